// Client libraries loaded at run time (libmariadb for mysql, libpq for
// postgresql), so that a collector without these inputs never maps them
// and stays small.
//
// A library is opened once per process, on the first use, and stays
// loaded. Thread-safe.
#pragma once

#include <dlfcn.h>

#include <string>

#include "core/status.h"

namespace tsd::collect {

class DynLib {
 public:
  // Opens `soname` (e.g. "libmariadb.so.3") once; later calls give the
  // same library. The error names the library and the Debian package
  // that provides it.
  static Result<DynLib*> open(const std::string& soname, const std::string& package);

  // Resolves `name` into *fn (a function pointer of the right type, for
  // example decltype(&mysql_init)).
  template <class F>
  Status sym(const char* name, F* fn) const {
    void* p = dlsym(handle_, name);
    if (p == nullptr) {
      return Status::not_supported(soname_ + ": no symbol " + name);
    }
    *fn = reinterpret_cast<F>(p);
    return Status();
  }

 private:
  DynLib(void* handle, std::string soname) : handle_(handle), soname_(std::move(soname)) {}
  void* handle_;
  std::string soname_;
};

}  // namespace tsd::collect
