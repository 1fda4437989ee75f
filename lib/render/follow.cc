// tsd-render --follow (follow.h): the accumulator and the live loop.
#include "render/follow.h"

#include <errno.h>
#include <fnmatch.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>

#include "lineproto/lineproto.h"
#include "render/internal.h"
#include "render/screen.h"

namespace tsd::render {
namespace {

constexpr size_t kMaxDropped = 10000;  // distinct dropped lines remembered

bool glob(const std::string& pattern, const std::string& s) {
  return fnmatch(pattern.c_str(), s.c_str(), 0) == 0;
}

// A field as a number: floats, integers, unsigned, booleans 0/1; false for
// strings.
bool number_of(const Value& v, double* out) {
  switch (value_type(v)) {
    case FieldType::kFloat: *out = std::get<double>(v); return true;
    case FieldType::kInteger: *out = static_cast<double>(std::get<int64_t>(v)); return true;
    case FieldType::kUnsigned: *out = static_cast<double>(std::get<uint64_t>(v)); return true;
    case FieldType::kBoolean: *out = std::get<bool>(v) ? 1 : 0; return true;
    case FieldType::kString: return false;
  }
  return false;
}

int64_t mono_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

Result<std::vector<Selector>> parse_select(std::string_view text) {
  std::vector<Selector> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = std::min(text.find(',', pos), text.size());
    std::string item(text.substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) return Status::invalid_argument("--select: an empty pattern in \"" + std::string(text) + "\"");
    const size_t eq = item.find('=');
    if (eq == std::string::npos) {
      out.push_back(Selector{item, {}});
      continue;
    }
    if (eq == 0) return Status::invalid_argument("--select: a tag filter without a key: \"" + item + "\"");
    if (out.empty()) out.push_back(Selector{"*", {}});
    out.back().tags.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

Follow::Follow(FollowOptions o) : o_(std::move(o)), reader_(std::make_unique<lp::Reader>(lp::ParseOptions{})) {}
Follow::~Follow() = default;

bool Follow::selected(const std::string& m, const std::string& f,
                      const std::vector<std::pair<std::string, std::string>>& tags) const {
  if (o_.select.empty()) return true;
  const std::string name = m + "." + f;
  for (const auto& s : o_.select) {
    if (!glob(s.pattern, name)) continue;
    bool ok = true;
    for (const auto& [k, v] : s.tags) {
      auto it = std::find_if(tags.begin(), tags.end(), [&](const auto& t) { return t.first == k; });
      if (it == tags.end() || !glob(v, it->second)) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

void Follow::add(const lp::ParsedLine& l, int64_t now) {
  const int64_t t = l.has_time ? l.time : now;
  if (newest_ != 0 && t < newest_ - o_.window) return;  // already out of the window
  const Point p = lp::to_point(l);
  std::vector<std::pair<std::string, std::string>> tags;
  tags.reserve(p.tags.size());
  for (const auto& tag : p.tags) tags.emplace_back(tag.key, tag.value);
  std::string key;
  Series* s = nullptr;
  for (const auto& f : p.fields) {
    double v = 0;
    if (!number_of(f.value, &v) || !selected(p.measurement, f.key, tags)) continue;
    if (key.empty()) {
      key = lp::series_key(l);
      auto it = series_.find(key);
      if (it != series_.end()) s = &it->second;
    }
    Field* field = nullptr;
    if (s != nullptr) {
      auto it = std::find_if(s->fields.begin(), s->fields.end(), [&](const Field& x) { return x.name == f.key; });
      if (it != s->fields.end()) field = &*it;
    }
    if (field == nullptr) {
      if (lines_ >= o_.max_lines) {
        if (dropped_.size() < kMaxDropped) dropped_.insert(key + " " + f.key);
        continue;
      }
      if (s == nullptr) {
        s = &series_[key];
        s->name = p.measurement;
        s->tags = tags;
      }
      s->fields.push_back(Field{f.key, {}});
      field = &s->fields.back();
      lines_++;
    }
    auto& pts = field->points;
    if (pts.empty() || pts.back().first < t) {
      pts.emplace_back(t, v);
      points_++;
    } else {
      auto it = std::lower_bound(pts.begin(), pts.end(), t, [](const auto& a, int64_t b) { return a.first < b; });
      if (it != pts.end() && it->first == t) {
        it->second = v;  // the same time again: the last value wins
      } else {
        pts.insert(it, {t, v});
        points_++;
      }
    }
    if (pts.size() > o_.max_points) {
      pts.pop_front();
      points_--;
    }
    newest_ = std::max(newest_, t);
  }
}

void Follow::trim() {
  const int64_t cut = newest_ - o_.window;
  for (auto it = series_.begin(); it != series_.end();) {
    auto& fields = it->second.fields;
    for (auto& f : fields) {
      while (!f.points.empty() && f.points.front().first < cut) {
        f.points.pop_front();
        points_--;
      }
    }
    const size_t before = fields.size();
    std::erase_if(fields, [](const Field& f) { return f.points.empty(); });
    lines_ -= before - fields.size();
    it = fields.empty() ? series_.erase(it) : std::next(it);
  }
}

void Follow::read(std::string_view chunk, bool final, int64_t now) {
  auto on_line = [&](lp::ParsedLine& l) {
    read_++;
    add(l, now);
  };
  auto on_error = [&](int64_t line_no, const Status& s) {
    read_++;
    bad_++;
    last_error_ = "line " + std::to_string(line_no) + ": " + s.message();
  };
  if (final) {
    reader_->finish(on_line, on_error);
  } else {
    reader_->feed(chunk, on_line, on_error);
  }
  trim();
}

void Follow::feed(std::string_view chunk, int64_t now) { read(chunk, false, now); }
void Follow::finish(int64_t now) { read({}, true, now); }

query::Results Follow::results() const {
  query::Results r;
  r.results.emplace_back();
  for (const auto& [key, s] : series_) {
    query::Series out;
    out.name = s.name;
    out.tags = s.tags;
    out.has_time = true;
    out.columns = {"time"};
    std::vector<int64_t> times;
    for (const auto& f : s.fields) {
      out.columns.push_back(f.name);
      for (const auto& pt : f.points) times.push_back(pt.first);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    out.values.resize(times.size(), query::Row(out.columns.size()));
    for (size_t i = 0; i < times.size(); i++) out.values[i][0] = times[i];
    for (size_t j = 0; j < s.fields.size(); j++) {
      size_t i = 0;
      for (const auto& [t, v] : s.fields[j].points) {
        while (times[i] < t) i++;
        out.values[i][j + 1] = v;
      }
    }
    r.results.back().series.push_back(std::move(out));
  }
  return r;
}

std::string Follow::status() const {
  std::string s = std::to_string(series_.size()) + " series, " + std::to_string(lines_) + " lines, " +
                  std::to_string(points_) + " points | read " + std::to_string(read_);
  if (bad_ > 0) s += ", " + std::to_string(bad_) + " bad (" + last_error_ + ")";
  if (!dropped_.empty()) {
    s += " | " + std::to_string(dropped_.size()) + (dropped_.size() >= kMaxDropped ? "+" : "") +
         " lines over the cap of " + std::to_string(o_.max_lines);
  }
  return s;
}

std::string follow_frame(const Follow& f, Panel panel, const Options& o, int64_t now) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  std::string status = f.status();
  if (now != 0) {
    const std::string clock = format_local_time(now, o.zone).substr(11, 8);
    const int room = std::max(0, o.width - 1 - static_cast<int>(clock.size()));
    status = pad_right(fit(status, room, ascii), room, ascii) + " " + clock;
  }
  std::string out = fit(status, o.width, ascii) + "\n";
  Options po = o;
  po.height = std::max(1, o.height - 1);
  if (f.lines() == 0) {
    out += message_panel(f.lines_read() == 0 ? "waiting for line protocol on stdin" : "nothing to draw (yet)", po);
  } else {
    out += render(panel, f.results(), po);
  }
  return out;
}

std::string run_follow(LiveScreen& screen, Follow& f, Panel panel, const Options& o, int input_fd,
                       bool* quit) {
  *quit = false;
  auto frame = [&](int64_t now) {
    Options fo = o;
    if (fo.width <= 0 || fo.height <= 0) {
      int w = 80, h = 24;
      screen.size(&w, &h);
      if (fo.width <= 0) fo.width = w;
      if (fo.height <= 0) fo.height = h;
    }
    return follow_frame(f, panel, fo, now);
  };
  std::string buf(1 << 16, '\0');
  bool dirty = true, force = true;
  int64_t last_draw = 0;
  for (;;) {
    if (screen.interactive()) {
      const int64_t since = mono_ms() - last_draw;
      if (force || since >= (dirty ? 100 : 1000)) {
        screen.draw(frame(now_ns()));
        last_draw = mono_ms();
        dirty = force = false;
      }
    }
    int timeout = -1;
    if (screen.interactive()) {
      const int64_t since = mono_ms() - last_draw;
      timeout = static_cast<int>(std::max<int64_t>(0, (dirty ? 100 : 1000) - since));
    }
    char key = 0;
    switch (screen.wait(timeout, input_fd, &key)) {
      case LiveScreen::Event::kQuit:
        *quit = true;
        return "";
      case LiveScreen::Event::kResize:
        force = true;
        break;
      case LiveScreen::Event::kInput: {
        const ssize_t n = ::read(input_fd, buf.data(), buf.size());
        if (n > 0) {
          f.feed(std::string_view(buf.data(), static_cast<size_t>(n)), now_ns());
          dirty = true;
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
          f.finish(now_ns());
          return frame(0);
        }
        break;
      }
      case LiveScreen::Event::kTimeout:
      case LiveScreen::Event::kKey:
        break;
    }
  }
}

}  // namespace tsd::render
