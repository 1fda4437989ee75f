// The connection flags (flags.h).
#include "client/flags.h"

#include "core/time.h"

namespace tsd::client {

void add_remote_flags(CLI::App* app, ConnectFlags* f) {
  RemoteOptions& r = f->options.remote;
  app->add_option("--url", r.url,
                  "an InfluxDB 1.x server (http://host:8086, https://...) instead of --data; "
                  "default $TSD_URL")
      // An empty value (a script's unset variable) would silently mean the
      // local data directory.
      ->check([](const std::string& v) {
        return v.empty() ? std::string("empty: give http://host:8086, or leave --url out for --data")
                         : std::string();
      });
  app->add_option("--username", r.username, "user name for --url (default $INFLUX_USERNAME)");
  app->add_option("--password", r.password, "password for --url (default $INFLUX_PASSWORD)");
  app->add_option("--token", r.token,
                  "token for --url, sent as \"Authorization: Token ...\" (default $INFLUX_TOKEN)");
  app->add_option("--timeout", f->timeout,
                  "--url: bound on connecting, each query and a write's retries (e.g. 30s; "
                  "default: connect 10s, queries unbounded, writes retried 60s)");
  app->add_flag("--insecure", r.insecure, "--url: do not verify the server's TLS certificate");
}

Status finish_flags(ConnectFlags* f) {
  apply_env(&f->options);
  if (!f->timeout.empty()) {
    auto d = parse_duration(f->timeout);
    if (!d.ok() || *d <= 0) return Status::invalid_argument("--timeout: bad duration \"" + f->timeout + "\"");
    f->options.remote.timeout = *d;
  }
  return Status();
}

}  // namespace tsd::client
