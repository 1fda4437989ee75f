// libcurl loaded with dlopen on first use, so that programs that do not
// speak HTTP this run (a collector without an InfluxDB output, tsd-query
// over a data directory) never map libcurl and its TLS libraries: they
// start faster and stay smaller. Thread-safe.
#pragma once

#include <curl/curl.h>

#include "core/status.h"

namespace tsd {

// The libcurl entry points tsd uses, resolved once.
struct Curl {
  CURLcode (*global_init)(long);
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  void (*easy_cleanup)(CURL*);
  void (*easy_reset)(CURL*);
  const char* (*easy_strerror)(CURLcode);
  char* (*easy_escape)(CURL*, const char*, int);
  void (*free_fn)(void*);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
  time_t (*getdate)(const char*, const time_t*);
};

// libcurl.so.4 (curl_global_init done), or not_supported "cannot load
// libcurl: ...".
Result<const Curl*> load_curl();

}  // namespace tsd
