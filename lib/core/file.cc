#include "core/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tsd {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int e = errno;
    std::string why = path + ": " + std::strerror(e);
    return e == ENOENT ? Status::not_found(why) : Status::io_error(why);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::io_error(path + ": " + std::strerror(errno));
  return ss.str();
}

Status for_each_input(const std::vector<std::string>& files, const volatile std::sig_atomic_t* stop,
                      const std::function<Status(int fd, const std::string& name)>& read) {
  if (files.empty()) return read(0, "");
  for (const auto& f : files) {
    if (*stop) break;
    if (f == "-") {
      TSD_RETURN_IF_ERROR(read(0, f));
      continue;
    }
    const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::io_error("open " + f + ": " + std::strerror(errno));
    Status s = read(fd, f);
    ::close(fd);
    TSD_RETURN_IF_ERROR(s);
  }
  return Status();
}

Status write_file(const std::string& path, std::string_view data) {
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::io_error(path + ": " + std::strerror(errno));
  const bool written = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  const int e = errno;
  if (std::fclose(f) != 0 || !written || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(written ? errno : e);
    std::remove(tmp.c_str());
    return Status::io_error(path + ": " + why);
  }
  return Status::ok_status();
}

}  // namespace tsd
