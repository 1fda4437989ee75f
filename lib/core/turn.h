// Holding one of a std::counting_semaphore's places for a scope: at most
// n holders at once, the others wait (tsd-serve's requests served at
// once, core/password.h's KDF runs).
#pragma once

#include <semaphore>

namespace tsd {

class Turn {
 public:
  explicit Turn(std::counting_semaphore<>& s) : s_(s) { s_.acquire(); }
  ~Turn() { s_.release(); }
  Turn(const Turn&) = delete;
  Turn& operator=(const Turn&) = delete;

 private:
  std::counting_semaphore<>& s_;
};

}  // namespace tsd
