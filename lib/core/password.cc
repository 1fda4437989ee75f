#include "core/password.h"

#include <sodium.h>

#include "core/turn.h"

namespace tsd {
namespace {

bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

// At most two KDF runs at once (each holds ~64 MiB while it runs).
std::counting_semaphore<>& kdf_turns() {
  static std::counting_semaphore<> s(2);
  return s;
}

}  // namespace

Result<std::string> hash_password(std::string_view password) {
  if (!sodium_ready()) return Status::io_error("libsodium cannot start");
  char out[crypto_pwhash_STRBYTES];
  Turn turn(kdf_turns());
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::io_error("cannot hash the password: out of memory");
  }
  return std::string(out);
}

bool verify_password(std::string_view stored, std::string_view password) {
  if (!sodium_ready() || stored.empty() || stored.size() >= crypto_pwhash_STRBYTES) return false;
  std::string s(stored);  // NUL-terminated for libsodium
  Turn turn(kdf_turns());
  return crypto_pwhash_str_verify(s.c_str(), password.data(), password.size()) == 0;
}

PasswordCache::PasswordCache() {
  if (sodium_ready()) {
    randombytes_buf(key_, sizeof key_);
  } else {
    sodium_memzero(key_, sizeof key_);
  }
}

std::string PasswordCache::digest(std::string_view password) const {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(password.data()),
                     password.size(), key_, sizeof key_);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

bool PasswordCache::verify(const std::string& user, const std::string& stored,
                           std::string_view password) {
  const std::string d = digest(password);
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = entries_.find(user);
    if (it != entries_.end() && it->second.stored == stored &&
        sodium_memcmp(it->second.digest.data(), d.data(), d.size()) == 0) {
      return true;
    }
  }
  // Not known (or the stored hash changed): the KDF decides, and a match
  // is remembered. A wrong password runs the KDF each time (what makes
  // guessing slow).
  if (!verify_password(stored, password)) return false;
  std::lock_guard<std::mutex> l(mu_);
  entries_[user] = Entry{stored, d};
  return true;
}

}  // namespace tsd
