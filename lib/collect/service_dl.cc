#include "collect/service_dl.h"

#include <map>
#include <memory>
#include <mutex>

namespace tsd::collect {

Result<DynLib*> DynLib::open(const std::string& soname, const std::string& package) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<DynLib>> libs;
  std::lock_guard<std::mutex> lock(mu);
  auto it = libs.find(soname);
  if (it != libs.end()) return it->second.get();
  void* h = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* why = dlerror();
    return Status::not_supported("cannot load " + soname + " (install the Debian package " +
                                 package + "): " + (why ? why : "unknown error"));
  }
  auto lib = std::unique_ptr<DynLib>(new DynLib(h, soname));
  DynLib* raw = lib.get();
  libs.emplace(soname, std::move(lib));
  return raw;
}

}  // namespace tsd::collect
