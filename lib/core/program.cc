#include "core/program.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

// Defined by the linker in a program that has a dynamic section (one the
// dynamic loader starts); absent from a static, non-PIE one.
extern "C" __attribute__((weak)) char _DYNAMIC[];

namespace tsd {

bool linked_statically() { return _DYNAMIC == nullptr; }

Status exec_shared_twin(const std::string& name, char** argv) {
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return Status::io_error(std::string("cannot find this program: ") + std::strerror(errno));
  std::string path(self, static_cast<size_t>(n));
  path = path.substr(0, path.rfind('/') + 1) + name + "-shared";
  execv(path.c_str(), argv);
  return Status::io_error("cannot run " + path + ": " + std::strerror(errno));
}

}  // namespace tsd
