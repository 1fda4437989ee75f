#include "collect/sockdiag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace tsd::collect {

SockDiag::~SockDiag() {
  if (fd_ >= 0) ::close(fd_);
}

Status SockDiag::count(int protocol, int64_t* counts) {
  if (fd_ < 0) {
    fd_ = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd_ < 0) return Status::io_error(std::string("netlink sock_diag: ") + std::strerror(errno));
  }
  TSD_RETURN_IF_ERROR(dump(AF_INET, protocol, counts));
  return dump(AF_INET6, protocol, counts);
}

Status SockDiag::dump(int family, int protocol, int64_t* counts) {
  struct {
    nlmsghdr nlh;
    inet_diag_req_v2 req;
  } msg;
  std::memset(&msg, 0, sizeof msg);
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = ++seq_;
  msg.req.sdiag_family = static_cast<uint8_t>(family);
  msg.req.sdiag_protocol = static_cast<uint8_t>(protocol);
  msg.req.idiag_states = ~0u;  // every state
  sockaddr_nl nladdr;
  std::memset(&nladdr, 0, sizeof nladdr);
  nladdr.nl_family = AF_NETLINK;
  if (::sendto(fd_, &msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&nladdr), sizeof nladdr) < 0) {
    return Status::io_error(std::string("netlink sock_diag send: ") + std::strerror(errno));
  }
  alignas(nlmsghdr) char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::io_error(std::string("netlink sock_diag recv: ") + std::strerror(errno));
    }
    int len = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq_) continue;
      if (h->nlmsg_type == NLMSG_DONE) return Status();
      if (h->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<nlmsgerr*>(NLMSG_DATA(h));
        // A kernel without IPv6 (or UDP diag) has nothing to count.
        if (e->error == -ENOENT || e->error == -EAFNOSUPPORT) return Status();
        return Status::io_error(std::string("netlink sock_diag: ") + std::strerror(-e->error));
      }
      auto* d = static_cast<inet_diag_msg*>(NLMSG_DATA(h));
      if (d->idiag_state >= 1 && d->idiag_state <= 11) ++counts[d->idiag_state];
    }
  }
}

}  // namespace tsd::collect
