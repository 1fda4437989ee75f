// Socket counts by state through netlink sock_diag (what ss(8) uses).
// Reading /proc/net/tcp walks the kernel's whole established hash table
// for every page it returns (milliseconds on a large machine); a sock_diag
// dump is many times cheaper. Used by netstat when HOST_PROC is /proc.
// A SockDiag is used by one thread at a time.
#pragma once

#include <cstdint>

#include "core/status.h"

namespace tsd::collect {

class SockDiag {
 public:
  SockDiag() = default;
  ~SockDiag();
  SockDiag(const SockDiag&) = delete;
  SockDiag& operator=(const SockDiag&) = delete;

  // Adds, for IPv4 and IPv6 sockets of `protocol` (IPPROTO_TCP, IPPROTO_UDP),
  // one to counts[state] per socket (states 1..11 as in /proc/net/tcp;
  // counts has 12 entries). Errors: the socket or the dump failed.
  Status count(int protocol, int64_t* counts);

 private:
  Status dump(int family, int protocol, int64_t* counts);
  int fd_ = -1;
  uint32_t seq_ = 0;
};

}  // namespace tsd::collect
