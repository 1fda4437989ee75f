// libcurl with dlopen (curl.h).
#include "core/curl.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "core/program.h"

namespace tsd {

Result<const Curl*> load_curl() {
  static std::once_flag once;
  static Curl curl;
  static std::string error;
  std::call_once(once, [] {
    if (linked_statically()) {  // (program.h)
      error = "cannot load libcurl into a statically linked program";
      return;
    }
    void* h = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = ::dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      error = std::string("cannot load libcurl: ") + ::dlerror();
      return;
    }
    auto sym = [&]<class F>(F*& out, const char* n) {
      void* p = ::dlsym(h, n);
      if (!p && error.empty()) error = std::string("libcurl has no ") + n;
      out = reinterpret_cast<F*>(p);
    };
    sym(curl.global_init, "curl_global_init");
    sym(curl.easy_init, "curl_easy_init");
    sym(curl.easy_setopt, "curl_easy_setopt");
    sym(curl.easy_perform, "curl_easy_perform");
    sym(curl.easy_getinfo, "curl_easy_getinfo");
    sym(curl.easy_cleanup, "curl_easy_cleanup");
    sym(curl.easy_reset, "curl_easy_reset");
    sym(curl.easy_strerror, "curl_easy_strerror");
    sym(curl.easy_escape, "curl_easy_escape");
    sym(curl.free_fn, "curl_free");
    sym(curl.slist_append, "curl_slist_append");
    sym(curl.slist_free_all, "curl_slist_free_all");
    sym(curl.getdate, "curl_getdate");
    if (error.empty()) curl.global_init(CURL_GLOBAL_DEFAULT);
  });
  if (!error.empty()) return Status::not_supported(error);
  return &curl;
}

}  // namespace tsd
