// tsd-render --follow: line protocol drawn as it streams in, without a
// data directory (as ttyplot draws one number, for every series of the
// stream).
//
// Follow is a pure accumulator: chunks of text in (split anywhere, lines
// may span chunks), read with lineproto's Reader; for each (measurement,
// tag set, field) the points of the last `window` before the newest time
// seen, optionally only those that --select patterns name; a query
// Results out for any panel of render.h (a series per measurement and tag
// set, columns time and the fields). Strings are not kept (panels draw
// numbers); booleans are 0/1. A line without a time is stamped with the
// `now` the caller passes. Bad lines are counted, never fatal.
//
// Memory is bounded: the window, at most max_lines (measurement, tags,
// field) lines (the points of new lines beyond are dropped and the lines
// counted) and at most max_points points a line (the oldest go first). A
// line whose points all left the window is forgotten (its slot is free).
//
// run_follow is the live loop around it (a LiveScreen, an input fd).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "query/result.h"
#include "render/render.h"

namespace tsd::lp {
class Reader;
struct ParsedLine;
}  // namespace tsd::lp

namespace tsd::render {

class LiveScreen;

// One --select pattern: a glob (fnmatch) on "measurement.field", and tag
// filters key=glob that all must hold.
struct Selector {
  std::string pattern;
  std::vector<std::pair<std::string, std::string>> tags;
};

// "cpu.usage_user", "cpu.usage_*,mem.used", "cpu.usage_user,cpu=cpu-total":
// items separated by commas; an item with '=' is a tag filter of the
// pattern before it (of "*" when it comes first). Empty items are an
// invalid_argument.
Result<std::vector<Selector>> parse_select(std::string_view text);

struct FollowOptions {
  int64_t window = 5 * 60 * kSecond;
  std::vector<Selector> select;  // empty: everything
  size_t max_lines = 1000;
  size_t max_points = 8192;
};

class Follow {
 public:
  explicit Follow(FollowOptions o = {});
  ~Follow();
  Follow(const Follow&) = delete;
  Follow& operator=(const Follow&) = delete;

  // A chunk of input, read at `now` (ns).
  void feed(std::string_view chunk, int64_t now);
  // The end of the input: a last line without '\n'.
  void finish(int64_t now);

  // What is held, for render().
  query::Results results() const;

  size_t series() const { return series_.size(); }  // measurement + tags
  size_t lines() const { return lines_; }           // + field
  size_t points() const { return points_; }
  int64_t lines_read() const { return read_; }      // good and bad
  int64_t bad_lines() const { return bad_; }
  const std::string& last_error() const { return last_error_; }  // "line N: ..."
  size_t dropped_lines() const { return dropped_.size(); }
  int64_t newest() const { return newest_; }  // 0: nothing yet

  // "3 series, 7 lines, 1,204 points | read 620, 2 bad (line 9: ...) | 4
  // lines over the cap of 1000" (the parts that are not zero).
  std::string status() const;

 private:
  struct Field {
    std::string name;
    std::deque<std::pair<int64_t, double>> points;  // by time
  };
  struct Series {
    std::string name;
    std::vector<std::pair<std::string, std::string>> tags;
    std::vector<Field> fields;  // in the order first seen
  };
  // Feeds the Reader (finishes it when `final`), then trims.
  void read(std::string_view chunk, bool final, int64_t now);
  void add(const lp::ParsedLine& l, int64_t now);
  bool selected(const std::string& m, const std::string& f,
                const std::vector<std::pair<std::string, std::string>>& tags) const;
  void trim();

  FollowOptions o_;
  std::unique_ptr<lp::Reader> reader_;
  std::map<std::string, Series> series_;  // by series key
  size_t lines_ = 0, points_ = 0;
  int64_t read_ = 0, bad_ = 0, newest_ = 0;
  std::string last_error_;
  std::unordered_set<std::string> dropped_;  // lines over the cap (up to kMaxDropped kept)
};

// The frame of --follow: the status row, then the panel (o.height - 1 rows).
// `now` (ns, 0: none) is shown at the right of the status row, in o.zone.
std::string follow_frame(const Follow& f, Panel panel, const Options& o, int64_t now = 0);

// The live loop: reads input_fd (non-blocking reads after poll) into `f`
// until its end or a quit, redrawing the screen at most every 100 ms while
// input comes and at least every second; o.width / o.height 0 follow the
// screen's size. Off a terminal nothing is drawn. Returns the last frame
// (at the end of the input) or "" (after q, Ctrl-C, SIGTERM); *quit says
// which.
std::string run_follow(LiveScreen& screen, Follow& f, Panel panel, const Options& o, int input_fd,
                       bool* quit);

}  // namespace tsd::render
