// Passwords of tsd's users (CREATE USER, SET PASSWORD; tsd-serve's
// authentication), on libsodium: hashed with Argon2id, a slow,
// memory-hard KDF (libsodium's "interactive" limits: ~64 MiB and a few
// tens of milliseconds a hash), each with a random salt, stored as the
// self-describing "$argon2id$v=19$m=…,t=…,p=…$salt$hash" text.
//
// A server that checks a password on every request would spend that
// time and memory on each: PasswordCache remembers, for a user, a keyed
// BLAKE2b digest of the last password that matched its stored hash (the
// key random per process; never the password itself), so that the KDF
// runs once per user and password, and again only when the stored hash
// changes. At most two KDF runs go at once (bounded memory whatever the
// number of clients; the others wait their turn).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tsd {

// The stored form of `password` (io_error when libsodium cannot run:
// out of memory).
Result<std::string> hash_password(std::string_view password);
// Whether `password` matches `stored` (a hash_password text; false for
// anything else).
bool verify_password(std::string_view stored, std::string_view password);

// Thread-safe.
class PasswordCache {
 public:
  PasswordCache();
  // verify_password, remembered per user.
  bool verify(const std::string& user, const std::string& stored, std::string_view password);

 private:
  struct Entry {
    std::string stored;  // the hash it was checked against
    std::string digest;  // keyed digest of the password that matched
  };
  std::string digest(std::string_view password) const;

  std::mutex mu_;
  std::map<std::string, Entry> entries_;
  unsigned char key_[32];
};

}  // namespace tsd
