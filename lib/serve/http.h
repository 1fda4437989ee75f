// tsd-serve's use of cpp-httplib (Debian's libcpp-httplib 0.11): the
// library's header with the macros it was built with, and the connection
// loop under httplib's request handling.
//
// httplib parses each request and writes each answer; HttpServer only
// replaces how a connection is read, written and kept alive (its
// process_and_close_socket, which httplib made virtual for that):
//  - Reads are buffered 64 KiB at a time: httplib reads a request line a
//    byte at a time and a body 4 KiB at a time, from a stream made per
//    request whose own 4 KiB buffer costs a poll and a recv per 4 KiB (a
//    /write body of 5,000 lines: 70 of each). A stream lives as long as
//    its connection, so what a client sent ahead (pipelining) is kept.
//  - An answer goes out in one send when it is complete (the status line
//    and headers, then the body, were two: the client woke up twice), or
//    64 KiB at a time while it is made, and before the stream waits for
//    the client (the "100 Continue" of a request that expects it).
//  - Between requests the connection waits in one poll (for the client,
//    or for the server to stop) instead of httplib's 10 ms polls with
//    1 ms sleeps between them, during which a request waited.
//  - The peer's and its own address are asked once a connection.
// Timeouts stay httplib's: the socket's SO_RCVTIMEO and SO_SNDTIMEO (the
// read and write timeouts), and the keep-alive timeout between requests.
#pragma once

// Debian's libcpp-httplib is built in split mode with OpenSSL, zlib and
// brotli: its header must see the same macros as the library (its
// pkg-config Cflags). Request bodies sent with Content-Encoding: gzip are
// decoded by httplib before they reach the receivers.
#define CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#include <httplib.h>

#include <atomic>

namespace tsd::serve {

class HttpServer : public httplib::Server {
 public:
  HttpServer();
  ~HttpServer() override;

  // Stops listening and ends the connections waiting between requests
  // at once (a request being served is answered first).
  void stop_serving();

 private:
  bool process_and_close_socket(socket_t sock) override;

  int stop_fd_ = -1;  // an eventfd, readable once stop_serving() was called
  std::atomic<bool> stopping_{false};
};

}  // namespace tsd::serve
