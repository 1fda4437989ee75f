// tsd-serve's HTTP server (server.h) on cpp-httplib (http.h).
#include "serve/server.h"

#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <system_error>
#include <thread>
#include <map>
#include <mutex>
#include <vector>

#include "core/password.h"
#include "core/strings.h"
#include "core/turn.h"
#include "core/version.h"
#include "query/authorize.h"
#include "query/format.h"
#include "serve/api.h"
#include "serve/http.h"

namespace tsd::serve {
namespace {

using httplib::Request;
using httplib::Response;

// The methods each path answers (anything else: 405 with Allow, as
// influxd's router does; an unknown path: 404).
const std::map<std::string, std::string>& routes() {
  static const std::map<std::string, std::string> r = {
      {"/ping", "GET, HEAD"},
      {"/health", "GET, HEAD"},
      {"/query", "GET, POST, OPTIONS"},
      {"/write", "OPTIONS, POST"},
      {"/api/v2/write", "POST"},
  };
  return r;
}

bool allowed(const std::string& allow, const std::string& method) {
  size_t at = 0;
  while (at < allow.size()) {
    size_t comma = allow.find(',', at);
    if (comma == std::string::npos) comma = allow.size();
    std::string m = allow.substr(at, comma - at);
    if (!m.empty() && m.front() == ' ') m.erase(0, 1);
    if (m == method) return true;
    at = comma + 1;
  }
  return false;
}

void text_error(Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(text, "text/plain; charset=utf-8");
}

// influxd's httpError: the message in X-Influxdb-Error (up to 1 KiB; a
// 401 has the Basic challenge instead) and in the body, as JSON or (Accept: CSV on /query) CSV.
void http_error(Response& res, int status, const std::string& message, bool csv = false) {
  res.status = status;
  if (status == 401) {
    res.set_header("Www-Authenticate", "Basic realm=\"InfluxDB\"");
  } else {
    // (Go's header writer drops the blanks at its end.)
    res.set_header("X-Influxdb-Error", std::string(trim(message.substr(0, 1024))));
  }
  if (csv) {
    res.set_content(error_csv(message), "text/csv");
  } else {
    res.set_content(error_json(message), "application/json");
  }
}

// Whether /query is asked for CSV (Accept: application/csv or text/csv).
bool wants_csv(const Request& req) {
  const std::string accept = req.get_header_value("Accept");
  return accept == "application/csv" || accept == "text/csv";
}

// A status without a body; influxd's answers all say application/json.
void no_body(Response& res, int status) {
  res.status = status;
  res.set_header("Content-Type", "application/json");
}

// httplib's task queue: a thread per connection, up to `max` at once;
// beyond that connections wait their turn and are taken by the threads
// that finish. (httplib's ThreadPool runs a connection on one of a few
// workers for as long as it stays open: a thousand idle connections
// starve everyone else.)
class ConnectionThreads : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(size_t max) : max_(max) {}

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lk(mu_);
    if (active_ >= max_) {
      waiting_.push_back(std::move(fn));
      return;
    }
    ++active_;
    lk.unlock();
    try {
      std::thread([this, fn = std::move(fn)]() mutable { run(std::move(fn)); }).detach();
    } catch (const std::system_error&) {  // no thread to be had: wait for one
      lk.lock();
      --active_;
      waiting_.push_back(std::move(fn));
    }
  }

  void shutdown() override {
    std::unique_lock<std::mutex> lk(mu_);
    idle_.wait(lk, [&] { return active_ == 0; });
  }

 private:
  void run(std::function<void()> fn) {
    for (;;) {
      fn();
      std::lock_guard<std::mutex> lk(mu_);
      if (waiting_.empty()) {
        --active_;
        idle_.notify_all();
        return;
      }
      fn = std::move(waiting_.front());
      waiting_.pop_front();
    }
  }

  const size_t max_;
  std::mutex mu_;
  std::condition_variable idle_;
  size_t active_ = 0;
  std::deque<std::function<void()>> waiting_;
};

// Objects kept between requests for reuse, made when none is free: at
// most `keep` are kept.
template <class T>
class Pool {
 public:
  Pool(std::function<std::unique_ptr<T>()> make, size_t keep) : make_(std::move(make)), keep_(keep) {}

  // One for the life of the object, back to the pool after.
  class Held {
   public:
    explicit Held(Pool* p) : p_(p) {
      {
        std::lock_guard<std::mutex> l(p_->mu_);
        if (!p_->free_.empty()) {
          t_ = std::move(p_->free_.back());
          p_->free_.pop_back();
        }
      }
      if (!t_) t_ = p_->make_();
    }
    ~Held() {
      std::lock_guard<std::mutex> l(p_->mu_);
      if (p_->free_.size() < p_->keep_) p_->free_.push_back(std::move(t_));
    }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;
    T* get() { return t_.get(); }
    T* operator->() { return t_.get(); }

   private:
    Pool* p_;
    std::unique_ptr<T> t_;
  };

 private:
  std::function<std::unique_ptr<T>()> make_;
  size_t keep_;
  std::mutex mu_;
  std::vector<std::unique_ptr<T>> free_;
};

}  // namespace

struct Server::Impl {
  ServerOptions opts;
  ClientFactory factory;
  std::unique_ptr<Users> users;  // with opts.auth
  PasswordCache passwords;
  HttpServer http;
  int listen_fd = -1;  // the listening socket, to raise httplib's backlog of 5

  // Requests served at once (opts.threads; made by the constructor).
  std::unique_ptr<std::counting_semaphore<>> turns;
  // Clients not in use (an Engine belongs to one thread at a time).
  std::unique_ptr<Pool<client::Client>> clients;
  // Buffers of parsed lines for /write, as many as requests served at once.
  static constexpr size_t kKeepLines = 10000;  // lines of a request kept parsed
  std::unique_ptr<Pool<std::vector<lp::ParsedLine>>> parsed_lines;
  // One client (one writer) per database, shared by every connection.
  struct DbWriter {
    std::mutex mu;
    std::unique_ptr<client::Client> client;
  };
  std::mutex db_mu;
  std::map<std::string, DbWriter> db_writers;

  // A turn among the requests served at once, and a client.
  struct Lease {
    explicit Lease(Impl* impl) : turn(*impl->turns), client(impl->clients.get()) {}
    client::Client* operator->() { return client.get(); }
    Turn turn;
    Pool<client::Client>::Held client;
  };

  // With auth: who sent the request (*user; none when no admin user
  // exists yet, as influxd). False after answering 401 (no or bad
  // credentials) or 500.
  bool authenticate(const Request& req, Response& res, std::optional<storage::User>* user,
                    bool csv = false) {
    if (!opts.auth) return true;
    auto admin = users->admin_exists();
    if (!admin.ok()) {
      http_error(res, 500, admin.status().message(), csv);
      return false;
    }
    if (!*admin) return true;
    auto unauthorized = [&](const std::string& message) {
      http_error(res, 401, message, csv);
      return false;
    };
    auto creds = parse_credentials(req.get_param_value("u"), req.get_param_value("p"),
                                   req.get_header_value("Authorization"));
    if (!creds.ok()) return unauthorized(creds.status().message());
    if (creds->user.empty()) return unauthorized("username required");
    auto found = users->find(creds->user);
    if (!found.ok()) {
      http_error(res, 500, found.status().message(), csv);
      return false;
    }
    if (!*found || !passwords.verify(creds->user, (*found)->hash, creds->password)) {
      return unauthorized("authorization failed");
    }
    *user = std::move(*found);
    return true;
  }

  // With auth: whether `user` may write to db; false after answering 403
  // (or 404 for a database that does not exist, which influxd says
  // first).
  bool may_write(Response& res, const std::optional<storage::User>& user, const std::string& db) {
    if (!opts.auth || (user && user->may(storage::Privilege::kWrite, db))) return true;
    auto exists = users->database_exists(db);
    if (!exists.ok()) {
      http_error(res, 500, exists.status().message());
    } else if (!*exists) {
      http_error(res, 404, "database not found: \"" + db + "\"");
    } else if (!user) {
      http_error(res, 403, "user is required to write to database \"" + db + "\"");
    } else {
      http_error(res, 403, "\"" + user->name + "\" user is not authorized to write to database \"" +
                               db + "\"");
    }
    return false;
  }

  // The client that writes into db, and the lock its writes share.
  std::pair<client::Client*, std::mutex*> write_client(const std::string& db) {
    std::lock_guard<std::mutex> l(db_mu);
    DbWriter& w = db_writers[db];
    if (!w.client) w.client = factory();
    return {w.client.get(), &w.mu};
  }

  // Reads the body, decoded, into *body; false after answering 413 (more
  // than max_body bytes) or 400 (a broken body or gzip stream).
  bool read_body(const Request& req, Response& res, const httplib::ContentReader& reader,
                 std::string* body, bool csv = false) {
    // httplib reads a POST without Content-Length or chunked encoding
    // until the connection closes; HTTP/1.1 says it has no body.
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) return true;
    bool too_large = false;
    size_t drained = 0;
    // Room for the whole body at once (no regrowth of a large one), when
    // its length is known and allowed.
    if (req.get_header_value("Content-Encoding").empty()) {
      const std::string length = req.get_header_value("Content-Length");
      size_t n = 0;
      auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
      if (ec == std::errc() && n <= opts.max_body) body->reserve(n);
    }
    bool ok = reader([&](const char* data, size_t n) {
      if (too_large || body->size() + n > opts.max_body) {
        // Read on (a while) so that the connection stays in step.
        too_large = true;
        drained += n;
        return drained < 4 * opts.max_body;
      }
      body->append(data, n);
      return true;
    });
    if (too_large || res.status == 413) {
      http_error(res, 413, "Request Entity Too Large", csv);
      res.set_header("Connection", "close");
      return false;
    }
    if (!ok) {
      const bool gzip = req.get_header_value("Content-Encoding") == "gzip";
      http_error(res, 400, gzip ? "gzip: invalid header" : "unexpected EOF", csv);
      return false;
    }
    return true;
  }

  void write(const Request& req, Response& res, const std::string& body, const std::string& db,
             const std::string& rp, Precision precision, const std::optional<storage::User>& user) {
    if (db.empty()) return http_error(res, 400, "database is required");
    if (!may_write(res, user, db)) return;
    // The lines parsed here, outside the lock, are what the writer
    // stores (a request of up to kKeepLines lines; a larger one is parsed
    // again under the lock): a buffer from a pool, as many as requests
    // served at once.
    Pool<std::vector<lp::ParsedLine>>::Held parsed(parsed_lines.get());
    CheckedLines lines = check_lines(body, precision, parsed.get(), kKeepLines);
    Status s;
    {
      // One client and writer per database for every connection; its
      // lock is held while a request's lines are buffered and let go
      // while they commit (group commit: the next request buffers
      // meanwhile). The lines were checked just above, outside it.
      Turn turn(*turns);
      auto [c, lock] = write_client(db);
      client::WriteOptions wo;
      wo.db = db;
      wo.rp = rp;
      wo.precision = precision;
      wo.checked = true;
      wo.serialize = lock;
      if (lines.kept > 0) {
        wo.parsed = parsed.get();
        wo.parsed_count = lines.kept;
      }
      s = c->write(lines.all_good ? std::string_view(body) : std::string_view(lines.good), wo);
    }
    (void)req;
    if (!s.ok()) {
      if (s.code() == Status::Code::kNotFound && s.message().starts_with("database not found")) {
        return http_error(res, 404, s.message());
      }
      const bool client_error = s.code() == Status::Code::kNotFound ||
                                s.code() == Status::Code::kConflict ||
                                s.code() == Status::Code::kInvalidArgument;
      return http_error(res, client_error ? 400 : 500, s.message());
    }
    if (!lines.errors.empty()) {
      if (lines.good_count == 0) return http_error(res, 400, lines.error_text());
      return http_error(res, 400, "partial write: " + lines.error_text() + " dropped=0");
    }
    no_body(res, 204);
  }

  void query(const Request& req, Response& res, const std::string& body,
             const std::optional<storage::User>& user) {
    const bool csv = wants_csv(req);
    const std::string content_type = csv ? "text/csv" : "application/json";
    // Go's FormValue: the POST form first, then the URL's query.
    std::map<std::string, std::string> form;
    if (req.method == "POST" &&
        req.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded")) {
      form = parse_form(body);
    }
    auto value = [&](const std::string& key) -> std::string {
      if (auto it = form.find(key); it != form.end()) return it->second;
      return req.get_param_value(key);
    };
    const std::string q(trim(value("q")));
    if (q.empty()) return http_error(res, 400, "missing required parameter \"q\"", csv);
    const std::string epoch(trim(value("epoch")));
    const bool chunked = value("chunked") == "true";
    size_t chunk_size = 10000;
    if (chunked) {
      try {
        long long n = std::stoll(value("chunk_size"));
        if (n > 0) chunk_size = static_cast<size_t>(n);
      } catch (const std::exception&) {
      }
    }
    client::QueryOptions qo;
    qo.db = value("db");
    qo.rp = value("rp");
    qo.chunked = chunked;
    qo.params = std::string(trim(value("params")));
    qo.authorize = opts.auth;
    qo.user = user ? &*user : nullptr;
    query::Results r;
    {
      Lease c(this);
      r = c->query(q, qo);
    }
    if (!r.error.empty()) {
      return http_error(res, r.error.starts_with(query::kAuthorizeError) ? 403 : 400, r.error, csv);
    }
    if (req.method == "GET") {
      // influxd 1.6 runs statements that write on a GET, with a warning.
      std::vector<std::string> texts = split_statements(q);
      for (query::StatementResult& st : r.results) {
        const auto id = static_cast<size_t>(st.statement_id);
        if (id < texts.size() && writes_on_get(texts[id])) {
          st.messages.insert(st.messages.begin(), {"warning", read_only_warning(texts[id])});
        }
      }
    }
    query::FormatOptions fo;
    fo.format = query::Format::kJson;
    fo.precision = epoch;
    fo.pretty = req.get_param_value("pretty") == "true";
    res.status = 200;
    if (!chunked) {
      std::string out;
      if (csv) {
        int state = -1;
        format_csv_http(r, epoch, &state, &out);
      } else {
        query::format_json(r, fo, &out);
      }
      res.set_content(out, content_type);
      return;
    }
    // One document per chunk, each sent as it is made.
    auto pieces = std::make_shared<std::vector<query::Results>>(chunk_results(r, chunk_size));
    auto next = std::make_shared<size_t>(0);
    auto state = std::make_shared<int>(-1);
    res.set_chunked_content_provider(
        content_type, [pieces, next, state, fo, csv, epoch](size_t, httplib::DataSink& sink) {
          if (*next >= pieces->size()) {
            sink.done();
            return true;
          }
          std::string out;
          if (csv) {
            format_csv_http((*pieces)[*next], epoch, state.get(), &out);
          } else {
            query::format_json((*pieces)[*next], fo, &out);
          }
          ++*next;
          return out.empty() || sink.write(out.data(), out.size());
        });
  }

  void setup() {
    http.new_task_queue = [n = opts.connections] { return new ConnectionThreads(static_cast<size_t>(n)); };
    http.set_read_timeout(opts.read_timeout_s, 0);
    http.set_write_timeout(opts.write_timeout_s, 0);
    http.set_keep_alive_timeout(5);
    // As influxd (Go's server has no such limit): a client keeps its
    // connection, and the thread serving it, for as many requests as it
    // sends within the timeout. httplib's default of 5 closed it every
    // fifth request: a new connection and a new thread to start.
    http.set_keep_alive_max_count(100000);
    // Answers go out at once: without it a small answer on a kept-alive
    // connection waits for the client's delayed ACK (Nagle), about 40 ms.
    http.set_tcp_nodelay(true);
    // httplib listens with a backlog of 5: a burst of connections (a
    // thousand clients at once) overflows it and their SYNs wait for the
    // kernel's retries (1, 2, 4 ... seconds). Its default option (address
    // reuse) kept, the socket noted; bind() raises the backlog.
    http.set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_fd = sock;
    });
    http.set_payload_max_length(opts.max_body);
    http.set_default_headers({{"X-Influxdb-Build", "OSS"},
                              {"X-Influxdb-Version", kInfluxVersion}});
    http.set_pre_routing_handler([](const Request& req, Response& res) {
      const std::string id = request_id();
      auto r = routes().find(req.path);
      if (r != routes().end()) {
        if (!allowed(r->second, req.method)) {
          res.set_header("Allow", r->second);
          text_error(res, 405, "Method Not Allowed\n");
          return httplib::Server::HandlerResponse::Handled;
        }
        res.set_header("Request-Id", id);
        res.set_header("X-Request-Id", id);
        // influxd's CORS: a browser's page may call the API (Grafana's
        // "browser" access); a preflight OPTIONS answers 200 and nothing.
        if (const std::string origin = req.get_header_value("Origin"); !origin.empty()) {
          res.set_header("Access-Control-Allow-Origin", origin);
          res.set_header("Access-Control-Allow-Methods", "DELETE, GET, OPTIONS, POST, PUT");
          res.set_header("Access-Control-Allow-Headers",
                         "Accept, Accept-Encoding, Authorization, Content-Length, Content-Type, "
                         "X-CSRF-Token, X-HTTP-Method-Override");
          res.set_header("Access-Control-Expose-Headers",
                         "Date, X-InfluxDB-Version, X-InfluxDB-Build");
        }
        if (req.method == "OPTIONS") {
          res.status = 200;
          return httplib::Server::HandlerResponse::Handled;
        }
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_error_handler(httplib::Server::HandlerWithResponse([](const Request&, Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      if (res.status == 404) {
        text_error(res, 404, "404 page not found\n");
      } else if (res.status == 413) {
        http_error(res, 413, "Request Entity Too Large");
      } else {
        http_error(res, res.status, res.status == 400 ? "Bad Request" : "error");
      }
      return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_exception_handler([](const Request&, Response& res, std::exception_ptr ep) {
      std::string what = "internal error";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      http_error(res, 500, what);
    });

    auto ping = [](const Request& req, Response& res) {
      const std::string v = req.get_param_value("verbose");
      if (!v.empty() && v != "0" && v != "false") {
        res.status = 200;
        res.set_content(std::string("{\"version\":\"") + kInfluxVersion + "\"}\n",
                        "application/json");
        return;
      }
      no_body(res, 204);
    };
    http.Get("/ping", ping);
    http.Get("/health", [](const Request&, Response& res) {
      res.status = 200;
      res.set_content(std::string("{\"checks\":[],\"message\":\"ready for queries and writes\","
                                  "\"name\":\"influxdb\",\"status\":\"pass\",\"version\":\"") +
                          kInfluxVersion + "\"}\n",
                      "application/json");
    });
    http.Get("/query", [this](const Request& req, Response& res) {
      std::optional<storage::User> user;
      if (authenticate(req, res, &user, wants_csv(req))) query(req, res, {}, user);
    });
    http.Post("/query", [this](const Request& req, Response& res,
                               const httplib::ContentReader& reader) {
      std::optional<storage::User> user;
      std::string body;
      if (!authenticate(req, res, &user, wants_csv(req)) ||
          !read_body(req, res, reader, &body, wants_csv(req))) {
        return;
      }
      query(req, res, body, user);
    });
    http.Post("/write", [this](const Request& req, Response& res,
                               const httplib::ContentReader& reader) {
      std::optional<storage::User> user;
      std::string body;
      if (!authenticate(req, res, &user) || !read_body(req, res, reader, &body)) return;
      write(req, res, body, req.get_param_value("db"), req.get_param_value("rp"),
            write_precision(req.get_param_value("precision")), user);
    });
    http.Post("/api/v2/write", [this](const Request& req, Response& res,
                                      const httplib::ContentReader& reader) {
      auto p = v2_write_precision(req.get_param_value("precision"));
      if (!p.ok()) return http_error(res, 400, p.status().message());
      std::optional<storage::User> user;
      std::string body;
      if (!authenticate(req, res, &user) || !read_body(req, res, reader, &body)) return;
      std::string db, rp;
      split_bucket(req.get_param_value("bucket"), &db, &rp);
      if (db.empty()) return http_error(res, 400, "bucket is required");
      write(req, res, body, db, rp, *p, user);
    });
  }
};

Server::Server(ServerOptions opts, ClientFactory factory, std::unique_ptr<Users> users)
    : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(opts);
  impl_->factory = std::move(factory);
  impl_->users = std::move(users);
  if (!impl_->users) impl_->opts.auth = false;
  const int threads = std::max(1, impl_->opts.threads);
  impl_->turns = std::make_unique<std::counting_semaphore<>>(threads);
  impl_->clients = std::make_unique<Pool<client::Client>>(impl_->factory, SIZE_MAX);
  impl_->parsed_lines = std::make_unique<Pool<std::vector<lp::ParsedLine>>>(
      [] { return std::make_unique<std::vector<lp::ParsedLine>>(); }, static_cast<size_t>(threads));
  impl_->setup();
}

Server::~Server() = default;

Status Server::bind() {
  auto& o = impl_->opts;
  if (o.port == 0) {
    int p = impl_->http.bind_to_any_port(o.host);
    if (p <= 0) return Status::io_error("cannot bind " + o.host + ": " + std::strerror(errno));
    o.port = p;
  } else if (!impl_->http.bind_to_port(o.host, o.port)) {
    return Status::io_error("cannot bind " + o.host + ":" + std::to_string(o.port) + ": " +
                            std::strerror(errno));
  }
  // listen() again on a listening socket sets its backlog (Linux).
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  return Status();
}

int Server::port() const { return impl_->opts.port; }

Status Server::run() {
  if (!impl_->http.listen_after_bind()) return Status::io_error("the server stopped on an error");
  return Status();
}

void Server::stop() { impl_->http.stop_serving(); }

}  // namespace tsd::serve
