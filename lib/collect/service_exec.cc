// exec: runs commands (no shell: words split as a shell would) and reads
// their stdout as line protocol; each command has a timeout after which
// its process group is killed. Bad output lines are reported with their
// numbers while the good lines still count.
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "collect/service_inputs.h"
#include "collect/service_net.h"
#include "collect/system.h"  // TSD_ASSIGN_OPT
#include "core/time.h"
#include "lineproto/lineproto.h"

extern char** environ;

namespace tsd::collect {
namespace {

constexpr std::string_view kSample =
    R"(# Read metrics from one or more commands that can output to stdout
[[inputs.exec]]
  ## Commands array
  commands = [
    "/tmp/test.sh",
    "/usr/bin/mycollector --foo=bar",
    "/tmp/collect_*.sh"
  ]

  ## Environment variables
  ## Array of "key=value" pairs to pass as environment variables
  ## e.g. "KEY=value", "USERNAME=John Doe",
  ## "LD_LIBRARY_PATH=/opt/custom/lib64:/usr/local/libs"
  # environment = []

  ## Timeout for each command to complete.
  timeout = "5s"

  ## Data format to consume (tsd reads "influx", line protocol).
  data_format = "influx"
)";

constexpr size_t kMaxStderr = 512;        // bytes of stderr kept for a message
constexpr int kMaxBadLines = 3;           // bad lines named in one error
constexpr size_t kMaxStdout = 64u << 20;  // a runaway command is stopped here

struct Run {
  std::string out, err;
  int status = 0;
  bool timed_out = false;
  bool too_big = false;
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Runs argv in its own process group; kills the group at the deadline.
Result<Run> run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                int64_t timeout_ns) {
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0)
    return Status::io_error(std::string("pipe: ") + strerror(errno));
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return Status::io_error(std::string("pipe: ") + strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(out[0]);
    ::close(err[0]);
    return Status::io_error(argv[0] + ": " + strerror(rc));
  }
  Run r;
  int64_t deadline = monotonic_ns() + timeout_ns;
  int fds[2] = {out[0], err[0]};
  std::string* bufs[2] = {&r.out, &r.err};
  while (fds[0] >= 0 || fds[1] >= 0) {
    int64_t left = deadline - monotonic_ns();
    if (left <= 0) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    int n = ::poll(p, 2, static_cast<int>((left + 999999) / 1000000));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2 && n > 0; ++i) {
      if (fds[i] < 0 || (p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buf[65536];
      ssize_t got = ::read(fds[i], buf, sizeof buf);
      if (got > 0) {
        if (i == 0 || bufs[i]->size() < kMaxStderr) bufs[i]->append(buf, static_cast<size_t>(got));
        if (i == 0 && r.out.size() > kMaxStdout) {
          r.too_big = true;
          ::kill(-pid, SIGKILL);
          close_fd(fds[0]);
          close_fd(fds[1]);
        }
      } else if (got == 0 || errno != EINTR) {
        close_fd(fds[i]);
      }
    }
  }
  close_fd(fds[0]);
  close_fd(fds[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = status;
  return r;
}

std::string stderr_text(std::string err) {
  if (err.size() > kMaxStderr) err.resize(kMaxStderr);
  while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
  return err;
}

// The commands a configured one stands for: its program may be a glob
// ("/tmp/collect_*.sh"), one command per match, or itself without one.
std::vector<std::vector<std::string>> expand(const std::vector<std::string>& words) {
  glob_t g{};
  std::vector<std::vector<std::string>> out;
  if (::glob(words[0].c_str(), 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) {
      out.push_back(words);
      out.back()[0] = g.gl_pathv[i];
    }
  }
  globfree(&g);
  if (out.empty()) out.push_back(words);
  return out;
}

class ExecInput : public Input {
 public:
  ExecInput(std::vector<std::string> commands, std::vector<std::string> env, int64_t timeout)
      : commands_(std::move(commands)), env_(std::move(env)), timeout_(timeout) {}

  Status gather(Accumulator& acc) override {
    std::vector<std::pair<std::string, std::vector<std::string>>> runs;
    for (const auto& c : commands_) {
      auto words = split_shell_words(c);
      if (!words.ok() || words->empty()) continue;  // checked at creation
      for (auto& argv : expand(*words)) runs.emplace_back(c, std::move(argv));
    }
    // All commands run at once; each one's points are added afterwards.
    std::vector<std::vector<Point>> points(runs.size());
    std::vector<Status> status(runs.size());
    std::vector<std::thread> threads;
    for (size_t i = 1; i < runs.size(); ++i) {
      threads.emplace_back([&, i] { status[i] = one(runs[i].first, runs[i].second, &points[i]); });
    }
    if (!runs.empty()) status[0] = one(runs[0].first, runs[0].second, &points[0]);
    for (auto& t : threads) t.join();
    Status errors;
    for (size_t i = 0; i < runs.size(); ++i) {
      for (auto& p : points[i]) acc.add(std::move(p));
      add_error(&errors, status[i]);
    }
    return errors;
  }

 private:
  Status one(const std::string& command, const std::vector<std::string>& argv,
             std::vector<Point>* points) {
    std::string name = "command '" + command + "'";
    Result<Run> r = run(argv, env_, timeout_);
    if (!r.ok()) return r.status().with_context(name);
    if (r->too_big) {
      return Status::invalid_argument(name + ": killed after more than " +
                                      std::to_string(kMaxStdout >> 20) + " MiB of output");
    }
    if (r->timed_out) {
      return Status::busy(name + ": killed after the timeout of " + format_duration(timeout_));
    }
    if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0) {
      std::string how = WIFEXITED(r->status)
                            ? "exit status " + std::to_string(WEXITSTATUS(r->status))
                            : std::string("killed by signal ") + strsignal(WTERMSIG(r->status));
      std::string err = stderr_text(r->err);
      return Status::io_error(name + ": " + how + (err.empty() ? "" : ": " + err));
    }
    lp::Reader reader(lp::ParseOptions{});
    int bad = 0;
    std::string bad_msg;
    auto on_line = [&](const lp::ParsedLine& l) { points->push_back(lp::to_point(l)); };
    auto on_error = [&](int64_t line_no, const Status& s) {
      if (++bad <= kMaxBadLines) {
        bad_msg += (bad_msg.empty() ? "" : "; ") + std::string("line ") + std::to_string(line_no) +
                   ": " + s.message();
      }
    };
    reader.feed(r->out, on_line, on_error);
    reader.finish(on_line, on_error);
    if (bad > 0) {
      return Status::invalid_argument(name + ": " + std::to_string(bad) + " bad line" +
                                      (bad > 1 ? "s" : "") + " of output (" +
                                      std::to_string(points->size()) + " good): " + bad_msg);
    }
    return Status();
  }

  std::vector<std::string> commands_;
  std::vector<std::string> env_;
  int64_t timeout_;
};

Result<std::unique_ptr<Input>> create(const Options& opts) {
  std::vector<std::string> commands;
  TSD_ASSIGN_OPT(commands, opts.get_strings("commands", {}));
  std::vector<std::string> env;
  TSD_ASSIGN_OPT(env, opts.get_strings("environment", {}));
  int64_t timeout;
  TSD_ASSIGN_OPT(timeout, opts.get_duration("timeout", int64_t{5} * 1000000000));
  if (timeout <= 0) return Status::invalid_argument("timeout: must be positive");
  std::string format;
  TSD_ASSIGN_OPT(format, opts.get_string("data_format", "influx"));
  if (format != "influx") {
    return Status::not_supported("data_format \"" + format + "\": tsd reads only \"influx\"");
  }
  for (const auto& c : commands) {
    auto words = split_shell_words(c);
    if (!words.ok()) return words.status().with_context("commands: '" + c + "'");
    if (words->empty()) return Status::invalid_argument("commands: an empty command");
  }
  for (const auto& e : env) {
    if (e.find('=') == std::string::npos) {
      return Status::invalid_argument("environment: \"" + e + "\" is not KEY=value");
    }
  }
  return std::unique_ptr<Input>(new ExecInput(std::move(commands), std::move(env), timeout));
}

}  // namespace

Result<std::vector<std::string>> split_shell_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= line.size()) return Status::invalid_argument("unterminated backslash-escape");
      if (line[i + 1] != '\n') {
        word += line[i + 1];
        in_word = true;
      }
      i += 2;
    } else if (c == '\'') {
      size_t end = line.find('\'', i + 1);
      if (end == std::string_view::npos) {
        return Status::invalid_argument("unterminated single-quoted string");
      }
      word.append(line.substr(i + 1, end - i - 1));
      in_word = true;
      i = end + 1;
    } else if (c == '"') {
      ++i;
      for (;;) {
        if (i >= line.size()) return Status::invalid_argument("unterminated double-quoted string");
        char d = line[i];
        if (d == '"') break;
        if (d == '\\' && i + 1 < line.size() &&
            std::string_view("$`\"\\\n").find(line[i + 1]) != std::string_view::npos) {
          if (line[i + 1] != '\n') word += line[i + 1];
          i += 2;
          continue;
        }
        word += d;
        ++i;
      }
      in_word = true;
      ++i;
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

InputInfo exec_input_info() {
  return {.name = "exec",
          .description = "Read metrics from one or more commands that can output to stdout",
          .sample_config = std::string(kSample),
          .create = create};
}

}  // namespace tsd::collect
