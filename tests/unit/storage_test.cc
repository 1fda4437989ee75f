#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <thread>

#include "core/time.h"
#include "lineproto/lineproto.h"
#include "storage/block.h"
#include "storage/catalog.h"
#include "storage/checkpointer.h"
#include "storage/dump.h"
#include "storage/head.h"
#include "storage/paths.h"
#include "storage/retention.h"
#include "storage/shard.h"
#include "storage/sqlite.h"
#include "storage/store.h"
#include "storage/wal_vfs.h"
#include "storage/writer.h"

namespace tsd::storage {
namespace {

namespace fs = std::filesystem;

// A scratch directory removed at the end of each test.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/tsd-storage-test.XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Status st_of(const Status& s) { return s; }
template <class T>
Status st_of(const Result<T>& r) {
  return r.status();
}

#define ASSERT_OK(expr)                              \
  do {                                               \
    auto&& s_ = (expr);                              \
    ASSERT_TRUE(s_.ok()) << st_of(s_).to_string();   \
  } while (0)
#define EXPECT_OK(expr) EXPECT_TRUE((expr).ok()) << st_of(expr).to_string()

Column floats(std::vector<int64_t> t, std::vector<double> v) {
  Column c;
  c.type = FieldType::kFloat;
  c.times = std::move(t);
  c.f = std::move(v);
  return c;
}

std::string block_of(const Column& c) {
  std::string b;
  begin_block(c.type, &b);
  append_segment(c, 0, c.size(), &b);
  return b;
}

// Everything (series, field) holds, merged.
Column read_all(Shard* sh, int64_t series, int64_t field) {
  Column all;
  Status s = sh->scan(series, field, kMinTime, kMaxTime, [&](const Column& c) {
    all.type = c.type;
    for (size_t k = 0; k < c.size(); k++) all.push_from(c, k);
    return Status();
  });
  EXPECT_TRUE(s.ok()) << s.to_string();
  return all;
}

// -- paths -------------------------------------------------------------------

TEST(Paths, LayoutAndEscaping) {
  EXPECT_EQ(meta_db_path("/d"), "/d/meta.db");
  EXPECT_EQ(shard_path("/d/", "mon", "autogen", 17), "/d/mon/autogen/17.db");
  EXPECT_EQ(escape_path_component("a/b c"), "a%2Fb%20c");
  EXPECT_EQ(escape_path_component(".."), "%2E.");
  EXPECT_EQ(escape_path_component("x.y-z_1"), "x.y-z_1");
  for (std::string n : {"a/b c", "..", "아이유", "%41", "."}) {
    EXPECT_EQ(unescape_path_component(escape_path_component(n)), n);
  }
}

// -- catalog -----------------------------------------------------------------

TEST(Catalog, ShardGroupDurationsAsInfluxDB) {
  EXPECT_EQ(default_shard_group_duration(0), kWeek);
  EXPECT_EQ(default_shard_group_duration(kHour), kHour);
  EXPECT_EQ(default_shard_group_duration(2 * kDay - 1), kHour);
  EXPECT_EQ(default_shard_group_duration(2 * kDay), kDay);
  EXPECT_EQ(default_shard_group_duration(180 * kDay - 1), kDay);
  EXPECT_EQ(default_shard_group_duration(180 * kDay), kWeek);  // influxd: d >= 180 days
  EXPECT_EQ(default_shard_group_duration(181 * kDay), kWeek);
}

TEST(Catalog, CreateDatabaseIsIdempotentWithAutogen) {
  TempDir d;
  EXPECT_EQ(Catalog::open(d.path() + "/x", false).status().code(), Status::Code::kNotFound);
  auto c = Catalog::open(d.path() + "/x", true);
  ASSERT_OK(c);
  EXPECT_OK((*c)->create_database("mon"));
  EXPECT_OK((*c)->create_database("mon"));
  EXPECT_OK((*c)->create_database("a/b"));
  auto dbs = (*c)->databases();
  ASSERT_OK(dbs);
  EXPECT_EQ(*dbs, (std::vector<std::string>{"mon", "a/b"}));  // creation order, as InfluxDB
  auto def = (*c)->default_retention_policy("mon");
  ASSERT_OK(def);
  EXPECT_EQ(*def, "autogen");
  auto rp = (*c)->retention_policy("mon", "autogen");
  ASSERT_OK(rp);
  EXPECT_EQ(rp->duration, 0);
  EXPECT_EQ(rp->shard_duration, kWeek);
  EXPECT_TRUE(rp->is_default);
  EXPECT_EQ((*c)->retention_policy("mon", "nope").status().code(), Status::Code::kNotFound);
  EXPECT_EQ((*c)->default_retention_policy("nope").status().code(), Status::Code::kNotFound);
  // A second process sees the same catalog, and each the other's changes
  // (what a Catalog keeps in memory follows the file).
  auto c2 = Catalog::open(d.path() + "/x", false);
  ASSERT_OK(c2);
  EXPECT_EQ((*c2)->databases()->size(), 2u);
  EXPECT_TRUE((*c2)->shard_groups("mon", "autogen", INT64_MIN, INT64_MAX)->empty());
  EXPECT_OK((*c)->create_database("third"));
  auto g = (*c)->shard_group_for("mon", "autogen", 5 * kWeek + 1);
  ASSERT_OK(g);
  EXPECT_EQ((*c2)->databases()->size(), 3u);
  EXPECT_EQ((*c2)->shard_groups("mon", "autogen", INT64_MIN, INT64_MAX)->size(), 1u);
  EXPECT_EQ((*c2)->shard_groups("mon", "autogen", 0, kWeek)->size(), 0u);
  RetentionPolicy week;
  week.name = "week";
  week.duration = kWeek;
  EXPECT_OK((*c2)->put_retention_policy("mon", week, true));
  EXPECT_EQ(*(*c)->default_retention_policy("mon"), "week");
  EXPECT_EQ((*c)->retention_policies("mon")->size(), 2u);
  EXPECT_OK((*c)->drop_database("third"));
  EXPECT_EQ((*c2)->databases()->size(), 2u);
}

// A new catalog in `dir` with the database "mon" (and, given, the default RP `rp`).
std::unique_ptr<Catalog> mon_catalog(const std::string& dir, const RetentionPolicy* rp = nullptr) {
  auto c = Catalog::open(dir, true);
  EXPECT_TRUE(c.ok()) << c.status().to_string();
  if (!c.ok()) return nullptr;
  Status s = (*c)->create_database("mon");
  if (s.ok() && rp) s = (*c)->put_retention_policy("mon", *rp, true);
  EXPECT_OK(s);
  return std::move(*c);
}

TEST(Catalog, ShardGroupIdsAreNeverGivenTwice) {
  constexpr int64_t kMonday = 4 * kDay;  // 1970-01-05, a week's start
  TempDir d;
  auto c = Catalog::open(d.path() + "/x", true);
  ASSERT_OK(c);
  ASSERT_OK((*c)->create_database("mon"));
  auto g1 = (*c)->shard_group_for("mon", "autogen", kMonday);
  auto g2 = (*c)->shard_group_for("mon", "autogen", kMonday + kWeek);
  ASSERT_OK(g1);
  ASSERT_OK(g2);
  EXPECT_EQ(g2->id, g1->id + 1);
  // The newest group dropped (as enforce does when writes stopped for a
  // while): the next one does not take its id, nor its file's path.
  auto dropped = (*c)->drop_shard_group(g2->id);
  ASSERT_OK(dropped);
  EXPECT_TRUE(*dropped);
  auto g3 = (*c)->shard_group_for("mon", "autogen", kMonday + 2 * kWeek);
  ASSERT_OK(g3);
  EXPECT_EQ(g3->id, g2->id + 1);
  // Nor after a whole database is dropped and made again.
  ASSERT_OK((*c)->drop_database("mon"));
  ASSERT_OK((*c)->create_database("mon"));
  auto g4 = (*c)->shard_group_for("mon", "autogen", kMonday);
  ASSERT_OK(g4);
  EXPECT_EQ(g4->id, g3->id + 1);
  // A catalog reopened keeps counting.
  c->reset();
  auto again = Catalog::open(d.path() + "/x", false);
  ASSERT_OK(again);
  ASSERT_OK((*again)->drop_shard_group(g4->id));
  auto g5 = (*again)->shard_group_for("mon", "autogen", kMonday + kWeek);
  ASSERT_OK(g5);
  EXPECT_EQ(g5->id, g4->id + 1);
}

TEST(Catalog, ShardRoutingByTime) {
  TempDir d;
  auto c = mon_catalog(d.path());
  ASSERT_TRUE(c);
  Catalog& cat = *c;
  // InfluxDB truncates from Go's zero time: 7-day groups start on Mondays
  // (1970-01-05 is one), not on the epoch's Thursday.
  constexpr int64_t kMonday = 4 * kDay;
  auto g1 = cat.shard_group_for("mon", "autogen", kMonday + 3 * kDay);
  ASSERT_OK(g1);
  EXPECT_EQ(g1->start, kMonday);
  EXPECT_EQ(g1->end, kMonday + kWeek);
  auto g2 = cat.shard_group_for("mon", "autogen", kMonday + kWeek - 1);
  ASSERT_OK(g2);
  EXPECT_EQ(g2->id, g1->id);
  auto g3 = cat.shard_group_for("mon", "autogen", kMonday + kWeek);
  ASSERT_OK(g3);
  EXPECT_NE(g3->id, g1->id);
  EXPECT_EQ(g3->start, kMonday + kWeek);
  auto neg = cat.shard_group_for("mon", "autogen", -1);
  ASSERT_OK(neg);
  EXPECT_EQ(neg->start, kMonday - kWeek);
  EXPECT_EQ(neg->end, kMonday);
  auto far = cat.shard_group_for("mon", "autogen", kMaxTime);
  ASSERT_OK(far);
  EXPECT_LE(far->start, kMaxTime);
  EXPECT_GT(far->end, far->start);
  // An RP of one day gets one-hour groups.
  ASSERT_OK(cat.put_retention_policy("mon", {"day", kDay, 0, 1, false}, true));
  EXPECT_EQ(*cat.default_retention_policy("mon"), "day");
  auto h = cat.shard_group_for("mon", "day", kHour + 5);
  ASSERT_OK(h);
  EXPECT_EQ(h->start, kHour);
  EXPECT_EQ(h->end, 2 * kHour);
  auto groups = cat.shard_groups("mon", "autogen", kMonday, kMonday + 2 * kWeek - 1);
  ASSERT_OK(groups);
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].id, g1->id);
  EXPECT_EQ(cat.shard_path(*g1), d.path() + "/mon/autogen/" + std::to_string(g1->id) + ".db");
}

// -- blocks ------------------------------------------------------------------

TEST(Block, RoundTripEveryTypeAndSegments) {
  Column c;
  c.type = FieldType::kString;
  for (int k = 0; k < 10; k++) c.push(k * 10, Value(std::string(k, 'x') + "é\"\\"));
  std::string b = block_of(c);
  Column got;
  ASSERT_TRUE(decode_block(b, &got).ok());
  EXPECT_EQ(got.s, c.s);
  EXPECT_EQ(got.times, c.times);

  Column f = floats({1, 2, 3, 4}, {-0.0, std::numeric_limits<double>::infinity(),
                                    std::bit_cast<double>(0x7ff8000000000123ULL), 1e-310});
  std::string fb;
  begin_block(FieldType::kFloat, &fb);
  append_segment(f, 0, 2, &fb);
  append_segment(f, 2, 4, &fb);
  Column fg;
  ASSERT_TRUE(decode_block(fb, &fg).ok());
  ASSERT_EQ(fg.size(), 4u);
  for (size_t k = 0; k < 4; k++) {
    EXPECT_EQ(std::bit_cast<uint64_t>(fg.f[k]), std::bit_cast<uint64_t>(f.f[k]));
  }
  for (FieldType t : {FieldType::kInteger, FieldType::kUnsigned, FieldType::kBoolean}) {
    Column x;
    x.type = t;
    x.push(5, t == FieldType::kInteger    ? Value(int64_t{INT64_MIN})
              : t == FieldType::kUnsigned ? Value(uint64_t{UINT64_MAX})
                                          : Value(true));
    x.push(6, t == FieldType::kInteger    ? Value(int64_t{INT64_MAX})
              : t == FieldType::kUnsigned ? Value(uint64_t{0})
                                          : Value(false));
    Column y;
    ASSERT_TRUE(decode_block(block_of(x), &y).ok());
    EXPECT_EQ(y.value(0), x.value(0));
    EXPECT_EQ(y.value(1), x.value(1));
  }
}

// Long columns are stored in segments of kMaxSegmentPoints; a range read
// decodes the segments it overlaps, up to its last point, and answers as
// a whole decode cut to the range, for every type.
TEST(Block, RangeReadsOfLongColumnsEqualTheWholeCut) {
  static_assert(kMaxSegmentPoints < 10000);
  constexpr int64_t kSeg = kMaxSegmentPoints;
  // Regular times are computed (enc::timestamps_progression), others
  // decoded: both, every type.
  for (bool regular : {true, false})
  for (FieldType t : {FieldType::kFloat, FieldType::kInteger, FieldType::kUnsigned,
                      FieldType::kBoolean, FieldType::kString}) {
    Column c;
    c.type = t;
    for (int64_t k = 0; k < 10000; k++) {
      int64_t time = 1000 + k * 10 + (!regular && k % 7 == 1 ? 3 : 0);
      switch (t) {
        case FieldType::kFloat: c.push(time, Value(static_cast<double>(k % 97) / 4)); break;
        case FieldType::kInteger: c.push(time, Value(int64_t{k * 7 % 1001})); break;
        case FieldType::kUnsigned: c.push(time, Value(uint64_t(k) << 20)); break;
        case FieldType::kBoolean: c.push(time, Value(k % 3 == 0)); break;
        case FieldType::kString: c.push(time, Value("v" + std::to_string(k % 13))); break;
      }
    }
    std::vector<EncodedBlock> blocks;
    encode_blocks(c, kMaxBlockPoints, 1, &blocks);
    ASSERT_EQ(blocks.size(), 1u);
    Column whole;
    ASSERT_TRUE(decode_block(blocks[0].blob, &whole).ok());
    const std::pair<int64_t, int64_t> ranges[] = {
        {INT64_MIN, INT64_MAX}, {0, 1000}, {1000, 1000}, {5000, 9000}, {1000 + (kSeg - 1) * 10, 1000 + kSeg * 10},
        {30000, 60000}, {1000 + 9999 * 10, INT64_MAX}, {200000, 300000}, {1005, 1005}};
    for (auto [start, end] : ranges) {
      Column got;
      int64_t total = 0, first = 0, last = 0;
      ASSERT_TRUE(decode_block_range(blocks[0].blob, start, end, &got, &total, &first, &last).ok());
      EXPECT_EQ(total, 10000);
      EXPECT_EQ(first, 1000);
      EXPECT_EQ(last, 1000 + 9999 * 10);
      Column want;
      want.type = t;
      for (size_t k = 0; k < whole.size(); k++) {
        if (whole.times[k] >= start && whole.times[k] <= end) want.push_from(whole, k);
      }
      ASSERT_EQ(got.times, want.times) << static_cast<int>(t) << " " << start << " " << end;
      for (size_t k = 0; k < got.size(); k++) EXPECT_EQ(got.value(k), want.value(k));
    }
    // The first and last points alone, at the times the header gives.
    for (bool last : {false, true}) {
      Column edge;
      const int64_t time = last ? 1000 + 9999 * 10 : 1000;
      ASSERT_TRUE(decode_block_edge_point(blocks[0].blob, last, time, &edge).ok());
      ASSERT_EQ(edge.size(), 1u);
      EXPECT_EQ(edge.times[0], time);
      EXPECT_EQ(edge.value(0), whole.value(last ? whole.size() - 1 : 0));
    }
  }
}

TEST(Block, DamageIsCorruptionNeverACrash) {
  Column c = floats({10, 20, 30, 40, 50}, {1.5, 2.25, 3, 4, 5});
  std::string b = block_of(c);
  for (size_t n = 0; n < b.size(); n++) {
    Column got;
    Status s = decode_block(std::string_view(b.data(), n), &got);
    if (n < 3) {
      EXPECT_FALSE(s.ok()) << n;
    }
  }
  for (size_t k = 0; k < b.size(); k++) {
    for (int bit = 0; bit < 8; bit++) {
      std::string d = b;
      d[k] ^= static_cast<char>(1 << bit);
      Column got;
      Status s = decode_block(d, &got);  // any status, no crash, no overread (ASan)
      if (!s.ok()) {
        EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.to_string();
      }
      for (bool last : {false, true}) {
        Status e = decode_block_edge_point(d, last, 50, &got);
        if (!e.ok()) {
          EXPECT_EQ(e.code(), Status::Code::kCorruption) << e.to_string();
        }
      }
    }
  }
  std::string v = b;
  v[0] = 9;
  Column got;
  EXPECT_EQ(decode_block(v, &got).code(), Status::Code::kCorruption);
}

TEST(Block, SortDedupKeepsLastWrite) {
  Column c = floats({30, 10, 20, 10, 30}, {1, 2, 3, 4, 5});
  sort_dedup(&c);
  EXPECT_EQ(c.times, (std::vector<int64_t>{10, 20, 30}));
  EXPECT_EQ(c.f, (std::vector<double>{4, 3, 5}));
}

TEST(Block, SortDedupOfRunsAndOfDisorder) {
  // A few runs in order (merged) and many (sorted): the same as a stable
  // sort keeping the last of equal times.
  std::mt19937_64 rng(7);
  for (int runs : {2, 3, 5, 64, 65, 500}) {
    std::vector<int64_t> t;
    std::vector<double> v;
    for (int r = 0; r < runs; r++) {
      int64_t at = static_cast<int64_t>(rng() % 1000);
      for (int k = 0, len = 1 + static_cast<int>(rng() % 40); k < len; k++) {
        at += static_cast<int64_t>(rng() % 3);  // equal times too
        t.push_back(at);
        v.push_back(static_cast<double>(t.size()));
      }
    }
    std::map<int64_t, double> want;
    for (size_t k = 0; k < t.size(); k++) want[t[k]] = v[k];
    Column c = floats(t, v);
    sort_dedup(&c);
    ASSERT_EQ(c.size(), want.size()) << runs;
    size_t k = 0;
    for (const auto& [time, value] : want) {
      EXPECT_EQ(c.times[k], time) << runs;
      EXPECT_EQ(c.f[k], value) << runs;
      k++;
    }
  }
}

// -- shard -------------------------------------------------------------------

class ShardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Shard::open(dir_.path() + "/s.db", "db/rp/1.db", true);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    shard_ = std::move(*s);
  }
  void put(int64_t series, int64_t field, const Column& c) {
    ASSERT_TRUE(shard_->begin_write().ok());
    ASSERT_TRUE(shard_->put_block(series, field, c.times.front(), c.times.back(),
                                  static_cast<int64_t>(c.size()), block_of(c))
                    .ok());
    ASSERT_TRUE(shard_->commit().ok());
  }
  TempDir dir_;
  std::unique_ptr<Shard> shard_;
};

TEST_F(ShardTest, SeriesIndexLookups) {
  ASSERT_TRUE(shard_->begin_write().ok());
  auto a = shard_->ensure_series("cpu,host=a,region=eu", "cpu", {{"host", "a"}, {"region", "eu"}});
  auto b = shard_->ensure_series("cpu,host=b,region=eu", "cpu", {{"host", "b"}, {"region", "eu"}});
  auto c = shard_->ensure_series("mem,host=a", "mem", {{"host", "a"}});
  auto a2 = shard_->ensure_series("cpu,host=a,region=eu", "cpu", {{"host", "a"}, {"region", "eu"}});
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_OK(c);
  ASSERT_OK(a2);
  EXPECT_EQ(*a, *a2);
  ASSERT_TRUE(shard_->commit().ok());
  EXPECT_EQ(*shard_->measurements(), (std::vector<std::string>{"cpu", "mem"}));
  EXPECT_EQ(*shard_->series_ids("cpu"), (std::vector<int64_t>{*a, *b}));
  EXPECT_EQ(*shard_->series_ids_with_tag("cpu", "host", "b"), (std::vector<int64_t>{*b}));
  EXPECT_EQ(*shard_->series_ids_with_tag("cpu", "region", "eu"), (std::vector<int64_t>{*a, *b}));
  EXPECT_TRUE(shard_->series_ids_with_tag("cpu", "host", "zz")->empty());
  EXPECT_EQ(*shard_->series_ids_with_tag_key("mem", "host"), (std::vector<int64_t>{*c}));
  EXPECT_EQ(*shard_->tag_keys("cpu"), (std::vector<std::string>{"host", "region"}));
  EXPECT_EQ(*shard_->tag_values("cpu", "host"), (std::vector<std::string>{"a", "b"}));
  auto series = shard_->series("cpu");
  ASSERT_OK(series);
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ((*series)[1].key, "cpu,host=b,region=eu");
  EXPECT_EQ((*series)[1].tags, (std::vector<Tag>{{"host", "b"}, {"region", "eu"}}));
  // The lookup by tag uses the index, not a scan of the table.
  auto db = Db::open(dir_.path() + "/s.db", "s.db", false);
  ASSERT_OK(db);
  auto plan = Stmt::prepare(*db,
                            "EXPLAIN QUERY PLAN SELECT series FROM tags WHERE measurement = 'cpu' "
                            "AND key = 'host' AND value = 'a'");
  ASSERT_OK(plan);
  bool row = false;
  ASSERT_TRUE(plan->step(&row).ok() && row);
  EXPECT_NE(std::string(plan->text(3)).find("USING PRIMARY KEY"), std::string::npos)
      << plan->text(3);
}

// The index a Shard keeps in memory follows the file: another
// connection's commits show at the next read (not inside a read
// transaction begun before them), and what a rolled-back write
// transaction read is never served afterwards.
TEST_F(ShardTest, CachedIndexFollowsOtherWritersAndRollbacks) {
  auto other = Shard::open(dir_.path() + "/s.db", "db/rp/1.db", false);
  ASSERT_OK(other);
  Shard& w = **other;
  auto add_series = [&](Shard& sh, const std::string& host) {
    EXPECT_TRUE(sh.begin_write().ok());
    auto id = sh.ensure_series("cpu,host=" + host, "cpu", {{"host", host}});
    EXPECT_TRUE(sh.commit().ok());
    return id.ok() ? *id : 0;
  };
  int64_t a = add_series(w, "a");
  ASSERT_EQ(shard_->series("cpu")->size(), 1u);
  EXPECT_EQ(*shard_->tag_keys("cpu"), std::vector<std::string>{"host"});
  EXPECT_TRUE(shard_->blocks(a, 1, INT64_MIN, INT64_MAX)->empty());
  add_series(w, "b");
  ASSERT_TRUE(w.begin_write().ok());
  ASSERT_TRUE(w.put_block(a, 1, 10, 20, 2, block_of(floats({10, 20}, {1, 2}))).ok());
  ASSERT_TRUE(w.commit().ok());
  EXPECT_EQ(shard_->series("cpu")->size(), 2u);
  EXPECT_EQ(shard_->blocks(a, 1, INT64_MIN, INT64_MAX)->size(), 1u);
  EXPECT_EQ(shard_->blocks(a, 1, 21, 30)->size(), 0u);
  EXPECT_EQ(shard_->blocks(a, 1, 15, 15)->size(), 1u);

  // A read transaction sees its snapshot, and the commits after it ends.
  ASSERT_TRUE(shard_->begin_read().ok());
  EXPECT_EQ(shard_->series("cpu")->size(), 2u);
  add_series(w, "c");
  EXPECT_EQ(shard_->series("cpu")->size(), 2u);
  shard_->end_read();
  EXPECT_EQ(shard_->series("cpu")->size(), 3u);

  // Read inside a write transaction that rolls back: not kept.
  ASSERT_TRUE(shard_->begin_write().ok());
  ASSERT_OK(shard_->ensure_series("cpu,host=d", "cpu", {{"host", "d"}}));
  EXPECT_EQ(shard_->series("cpu")->size(), 4u);
  shard_->rollback();
  EXPECT_EQ(shard_->series("cpu")->size(), 3u);
  // This connection's own commits show too.
  add_series(*shard_, "e");
  EXPECT_EQ(shard_->series("cpu")->size(), 4u);
  EXPECT_EQ(w.series("cpu")->size(), 4u);
}

// A column's block headers come from the index alone (version 3: the
// block's size is a column of the row and of blocks_by_column), in
// (min_time, id) order without a sort.
TEST_F(ShardTest, BlockHeadersAreReadFromTheIndexAlone) {
  Column c = floats({10, 20, 30}, {1, 2, 3});
  put(1, 1, c);
  auto hs = shard_->blocks(1, 1, INT64_MIN, INT64_MAX);
  ASSERT_OK(hs);
  ASSERT_EQ(hs->size(), 1u);
  EXPECT_EQ((*hs)[0].bytes, static_cast<int64_t>(block_of(c).size()));
  EXPECT_EQ((*hs)[0].count, 3);
  auto db = Db::open(dir_.path() + "/s.db", "s.db", false);
  ASSERT_OK(db);
  auto plan = Stmt::prepare(*db,
                            "EXPLAIN QUERY PLAN SELECT id, min_time, max_time, count, bytes "
                            "FROM blocks WHERE series = 1 AND field = 1+0 AND field != 0 "
                            "AND min_time <= 5 AND max_time >= 0 ORDER BY min_time, id");
  ASSERT_OK(plan);
  std::string steps;
  bool row = false;
  while (plan->step(&row).ok() && row) steps += std::string(plan->text(3)) + "\n";
  EXPECT_NE(steps.find("COVERING INDEX blocks_by_column"), std::string::npos) << steps;
  EXPECT_EQ(steps.find("TEMP B-TREE"), std::string::npos) << steps;
}

// A new shard file at `path`, its schema then changed by `sql` (an older
// version's).
void make_old_shard_file(const std::string& path, std::string_view sql) {
  ASSERT_OK(Shard::open(path, "old", true));
  auto db = Db::open(path, "old", false);
  ASSERT_OK(db);
  ASSERT_TRUE(db->exec(sql).ok());
}

// Shard files of version 2 (no bytes column; the index on the table's
// rows) are still read and written.
TEST(ShardFile, Version2FilesAreReadAndWritten) {
  TempDir d;
  std::string path = d.path() + "/old.db";
  make_old_shard_file(path, R"sql(
DROP TABLE blocks;
CREATE TABLE blocks(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  series INTEGER NOT NULL,
  field INTEGER NOT NULL,
  min_time INTEGER NOT NULL,
  max_time INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX blocks_by_column ON blocks(series, field, min_time);
CREATE INDEX head_rows ON blocks(series) WHERE field = 0;
PRAGMA user_version = 2;
)sql");
  auto s = Shard::open(path, "db/rp/2.db", false);
  ASSERT_OK(s);
  Shard& sh = **s;
  Column c = floats({10, 20}, {1.5, 2.5});
  ASSERT_TRUE(sh.begin_write().ok());
  ASSERT_TRUE(sh.put_block(7, 1, 10, 20, 2, block_of(c)).ok());
  ASSERT_TRUE(sh.commit().ok());
  auto hs = sh.blocks(7, 1, INT64_MIN, INT64_MAX);
  ASSERT_OK(hs);
  ASSERT_EQ(hs->size(), 1u);
  EXPECT_EQ((*hs)[0].bytes, static_cast<int64_t>(block_of(c).size()));
  std::vector<double> got;
  ASSERT_TRUE(sh.scan(7, 1, kMinTime, kMaxTime, [&](const Column& col) {
                  got.insert(got.end(), col.f.begin(), col.f.end());
                  return Status();
                }).ok());
  EXPECT_EQ(got, (std::vector<double>{1.5, 2.5}));
}

// Shard files of version 3 (head rows in blocks_by_column too) are still
// read and written: blocks, head rows, a dropped series.
TEST(ShardFile, Version3FilesAreReadAndWritten) {
  TempDir d;
  std::string path = d.path() + "/v3.db";
  make_old_shard_file(path, R"sql(
DROP INDEX blocks_by_column;
CREATE INDEX blocks_by_column ON blocks(series, field, min_time, id, max_time, count, bytes);
PRAGMA user_version = 3;
)sql");
  auto s = Shard::open(path, "db/rp/3.db", false);
  ASSERT_OK(s);
  Shard& sh = **s;
  ASSERT_TRUE(sh.begin_write().ok());
  auto id = sh.ensure_series("cpu,host=a", "cpu", {{"host", "a"}});
  ASSERT_OK(id);
  auto f = sh.ensure_field("cpu", "v", FieldType::kFloat);
  ASSERT_OK(f);
  Column c = floats({10, 20}, {1.5, 2.5});
  ASSERT_TRUE(sh.put_block(*id, f->id, 10, 20, 2, block_of(c)).ok());
  HeadChain ch;
  std::string row;
  Column h = floats({30}, {3.5});
  encode_head_row(&ch, {{f->id, FieldType::kFloat}}, {&h}, &row);
  ASSERT_OK(sh.put_head(*id, 30, 30, 1, row));
  ASSERT_TRUE(sh.commit().ok());
  std::vector<double> got;
  ASSERT_TRUE(sh.scan(*id, f->id, kMinTime, kMaxTime, [&](const Column& col) {
                  got.insert(got.end(), col.f.begin(), col.f.end());
                  return Status();
                }).ok());
  EXPECT_EQ(got, (std::vector<double>{1.5, 2.5, 3.5}));
  auto series = sh.series("cpu");
  ASSERT_OK(series);
  ASSERT_EQ(series->size(), 1u);
  ASSERT_TRUE(sh.begin_write().ok());
  ASSERT_OK(sh.drop_series((*series)[0]));
  ASSERT_TRUE(sh.commit().ok());
  EXPECT_FALSE(*sh.has_head(*id));
  EXPECT_TRUE(sh.blocks(*id, f->id, INT64_MIN, INT64_MAX)->empty());
}

TEST_F(ShardTest, FieldTypesAreFixed) {
  ASSERT_TRUE(shard_->begin_write().ok());
  auto f = shard_->ensure_field("cpu", "x", FieldType::kFloat);
  ASSERT_OK(f);
  auto again = shard_->ensure_field("cpu", "x", FieldType::kInteger);
  ASSERT_OK(again);
  EXPECT_EQ(again->type, FieldType::kFloat);
  EXPECT_EQ(again->id, f->id);
  auto other = shard_->ensure_field("mem", "x", FieldType::kString);
  ASSERT_OK(other);
  EXPECT_NE(other->id, f->id);
  ASSERT_TRUE(shard_->commit().ok());
  auto fields = shard_->fields("cpu");
  ASSERT_OK(fields);
  ASSERT_EQ(fields->size(), 1u);
  EXPECT_EQ((*fields)[0].type, FieldType::kFloat);
}

TEST_F(ShardTest, LastWriteWinsAcrossOverlappingBlocks) {
  put(1, 1, floats({10, 20, 30, 40}, {1, 2, 3, 4}));
  put(1, 1, floats({20, 25, 40}, {20, 25, 40}));  // newer: wins at 20 and 40
  put(1, 1, floats({100, 110}, {100, 110}));      // apart from the rest
  put(1, 1, floats({5, 10}, {5, 10}));            // newest: wins at 10
  Column c = read_all(shard_.get(), 1, 1);
  EXPECT_EQ(c.times, (std::vector<int64_t>{5, 10, 20, 25, 30, 40, 100, 110}));
  EXPECT_EQ(c.f, (std::vector<double>{5, 10, 20, 25, 3, 40, 100, 110}));
  // A time range cuts inside blocks.
  Column part;
  ASSERT_TRUE(shard_->scan(1, 1, 20, 100, [&](const Column& x) {
    for (size_t k = 0; k < x.size(); k++) part.push_from(x, k);
    return Status();
  }).ok());
  EXPECT_EQ(part.times, (std::vector<int64_t>{20, 25, 30, 40, 100}));
  // Headers alone answer count and time range.
  auto hs = shard_->blocks(1, 1, kMinTime, kMaxTime);
  ASSERT_OK(hs);
  EXPECT_EQ(hs->size(), 4u);
  EXPECT_EQ(shard_->blocks(1, 1, 50, 90)->size(), 0u);

  // Compaction gives one block with the same points.
  ASSERT_TRUE(shard_->compact().ok());
  auto after = shard_->blocks(1, 1, kMinTime, kMaxTime);
  ASSERT_OK(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].count, 8);
  EXPECT_EQ((*after)[0].min_time, 5);
  EXPECT_EQ((*after)[0].max_time, 110);
  Column c2 = read_all(shard_.get(), 1, 1);
  EXPECT_EQ(c2.times, c.times);
  EXPECT_EQ(c2.f, c.f);
  // A write after compaction still wins.
  put(1, 1, floats({30}, {-3}));
  EXPECT_EQ(read_all(shard_.get(), 1, 1).f, (std::vector<double>{5, 10, 20, 25, -3, 40, 100, 110}));
}

TEST_F(ShardTest, CompactionLeavesLargeBlocksAlone) {
  Column big;
  big.type = FieldType::kInteger;
  for (int64_t k = 0; k < kLargeBlockPoints; k++) big.push(k, Value(k));
  put(2, 1, big);
  Column small;
  small.type = FieldType::kInteger;
  small.push(kLargeBlockPoints + 10, Value(int64_t{7}));
  put(2, 1, small);
  Column tail;
  tail.type = FieldType::kInteger;
  tail.push(kLargeBlockPoints + 20, Value(int64_t{8}));
  put(2, 1, tail);
  ASSERT_TRUE(shard_->compact({{2, 1}}).ok());
  auto hs = shard_->blocks(2, 1, kMinTime, kMaxTime);
  ASSERT_OK(hs);
  // The two small ones merged, then joined to the large block as a second
  // segment (the large one is not decoded again).
  ASSERT_EQ(hs->size(), 1u);
  EXPECT_EQ((*hs)[0].count, kLargeBlockPoints + 2);
  Column joined = read_all(shard_.get(), 2, 1);
  ASSERT_EQ(joined.size(), static_cast<size_t>(kLargeBlockPoints + 2));
  EXPECT_EQ(joined.i.back(), 8);
  // A small block overlapping the large one pulls it into the merge.
  Column over;
  over.type = FieldType::kInteger;
  over.push(5, Value(int64_t{-5}));
  put(2, 1, over);
  ASSERT_TRUE(shard_->compact({{2, 1}}).ok());
  Column all = read_all(shard_.get(), 2, 1);
  ASSERT_EQ(all.size(), static_cast<size_t>(kLargeBlockPoints + 2));
  EXPECT_EQ(all.i[5], -5);
  EXPECT_EQ(all.i[6], 6);
  EXPECT_EQ(shard_->blocks(2, 1, kMinTime, kMaxTime)->size(), 1u);
}

TEST_F(ShardTest, DamagedBlockIsACorruptionErrorNamingIt) {
  put(1, 1, floats({10, 20}, {1, 2}));
  {
    auto db = Db::open(dir_.path() + "/s.db", "s.db", false);
    ASSERT_OK(db);
    ASSERT_TRUE(db->exec("UPDATE blocks SET data = x'0100ff'").ok());
  }
  Status s = shard_->scan(1, 1, kMinTime, kMaxTime, [](const Column&) { return Status(); });
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("db/rp/1.db: block"), std::string::npos) << s.to_string();
}

TEST(ShardFile, DamagedFileIsACorruptionError) {
  TempDir d;
  std::string path = d.path() + "/bad.db";
  {
    std::ofstream f(path);
    f << std::string(4096, 'x');
  }
  auto s = Shard::open(path, "db/rp/9.db", false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption);
  EXPECT_NE(s.status().message().find("db/rp/9.db"), std::string::npos) << s.status().to_string();
  // A real shard file cut short.
  std::string good = d.path() + "/good.db";
  {
    auto sh = Shard::open(good, "good", true);
    ASSERT_OK(sh);
  }
  fs::resize_file(good, 1500);
  auto t = Shard::open(good, "db/rp/10.db", false);
  if (t.ok()) {
    Status q = (*t)->measurements().status();
    EXPECT_FALSE(q.ok());
  } else {
    EXPECT_EQ(t.status().code(), Status::Code::kCorruption) << t.status().to_string();
  }
}

// -- head rows ---------------------------------------------------------------

Column ints(std::vector<int64_t> t, std::vector<int64_t> v) {
  Column c;
  c.type = FieldType::kInteger;
  c.times = std::move(t);
  c.i = std::move(v);
  return c;
}

TEST(Head, ChainsRoundTripEveryTypeAndPartialRows) {
  HeadChain a;
  std::vector<std::string> blobs;
  std::string b;
  // Row 1 (id 10): two fields at two times.
  Column i1 = ints({100, 200}, {5, INT64_MIN}), f1 = floats({100, 200}, {1.5, -0.0});
  encode_head_row(&a, {{1, FieldType::kInteger}, {2, FieldType::kFloat}}, {&i1, &f1}, &b);
  blobs.push_back(b);
  a.base = 10;
  // Row 2 (id 11, another chain): strings, booleans, unsigned.
  HeadChain c;
  Column s2, b2, u2;
  s2.type = FieldType::kString;
  s2.times = {150};
  s2.s = {"a \"q\"\n"};
  b2.type = FieldType::kBoolean;
  b2.times = {150};
  b2.b = {1};
  u2.type = FieldType::kUnsigned;
  u2.times = {150};
  u2.u = {UINT64_MAX};
  encode_head_row(&c, {{3, FieldType::kString}, {4, FieldType::kBoolean}, {5, FieldType::kUnsigned}},
                  {&s2, &b2, &u2}, &b);
  blobs.push_back(b);
  c.base = 11;
  // Row 3 (id 12, chain a): field 1 unchanged (mode "same"), field 2
  // at one of two times (a bitmap), then a new field appended.
  Column i3 = ints({300, 400}, {INT64_MIN, INT64_MIN}), f3 = floats({400}, {2.25}),
         n3 = ints({300}, {7});
  encode_head_row(&a, {{6, FieldType::kInteger}}, {&i3, &f3, &n3}, &b);
  blobs.push_back(b);
  a.base = 12;
  // Row 4 (id 13, chain a): field 1 goes back in time and overwrites 200.
  Column i4 = ints({200}, {42});
  encode_head_row(&a, {}, {&i4, nullptr, nullptr}, &b);
  blobs.push_back(b);

  std::vector<HeadRowRef> rows;
  for (size_t k = 0; k < blobs.size(); k++) rows.push_back({int64_t(10 + k), blobs[k]});
  std::map<int64_t, Column> out;
  ASSERT_OK(decode_head_rows(rows, &out));
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(out[1].times, (std::vector<int64_t>{100, 200, 300, 400}));
  EXPECT_EQ(out[1].i, (std::vector<int64_t>{5, 42, INT64_MIN, INT64_MIN}));
  EXPECT_EQ(out[2].times, (std::vector<int64_t>{100, 200, 400}));
  EXPECT_EQ(std::bit_cast<uint64_t>(out[2].f[1]), std::bit_cast<uint64_t>(-0.0));
  EXPECT_EQ(out[2].f[2], 2.25);
  EXPECT_EQ(out[3].s, (std::vector<std::string>{"a \"q\"\n"}));
  EXPECT_EQ(out[4].b, (std::vector<uint8_t>{1}));
  EXPECT_EQ(out[5].u, (std::vector<uint64_t>{UINT64_MAX}));
  EXPECT_EQ(out[6].times, (std::vector<int64_t>{300}));
  // An unchanged value costs its mode's two bits: row 3 is short.
  EXPECT_LT(blobs[2].size(), 24u);
}

TEST(Head, DamageIsCorruptionNeverACrash) {
  HeadChain a;
  std::string b;
  Column i1 = ints({100, 200, 300}, {5, 6, 1 << 30});
  encode_head_row(&a, {{1, FieldType::kInteger}}, {&i1}, &b);
  for (size_t n = 0; n < b.size(); n++) {
    std::map<int64_t, Column> out;
    Status s = decode_head_rows({{7, std::string_view(b).substr(0, n)}}, &out);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << n;
    EXPECT_NE(s.message().find("damaged head row 7"), std::string::npos) << s.message();
  }
  // A base row that is not there.
  a.base = 99;
  encode_head_row(&a, {}, {&i1}, &b);
  std::map<int64_t, Column> out;
  Status s = decode_head_rows({{8, b}}, &out);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  // Random bytes never crash.
  uint64_t x = 88172645463325252ull;
  for (int round = 0; round < 2000; round++) {
    std::string junk(1 + round % 40, '\0');
    for (char& ch : junk) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      ch = static_cast<char>(x);
    }
    junk[0] = static_cast<char>(kHeadVersion);
    std::map<int64_t, Column> o;
    (void)decode_head_rows({{1, junk}}, &o);
  }
}

TEST_F(ShardTest, HeadRowsAreReadMergedAndWinOverBlocksUntilPromoted) {
  put(1, 1, floats({10, 20, 30}, {1, 2, 3}));
  HeadChain ch;
  std::string b;
  Column h1 = floats({20, 40}, {-2, 4});
  encode_head_row(&ch, {{1, FieldType::kFloat}}, {&h1}, &b);
  ASSERT_TRUE(shard_->begin_write().ok());
  auto id = shard_->put_head(1, 20, 40, 2, b);
  ASSERT_OK(id);
  ASSERT_TRUE(shard_->commit().ok());
  ch.base = *id;
  // The head is newer than the block: it wins at 20.
  Column c = read_all(shard_.get(), 1, 1);
  EXPECT_EQ(c.times, (std::vector<int64_t>{10, 20, 30, 40}));
  EXPECT_EQ(c.f, (std::vector<double>{1, -2, 3, 4}));
  // A range inside the head only.
  Column part;
  ASSERT_TRUE(shard_->scan(1, 1, 35, 50, [&](const Column& x) {
    for (size_t k = 0; k < x.size(); k++) part.push_from(x, k);
    return Status();
  }).ok());
  EXPECT_EQ(part.times, (std::vector<int64_t>{40}));
  // Headers of blocks never show head rows.
  EXPECT_EQ(shard_->blocks(1, 1, kMinTime, kMaxTime)->size(), 1u);
  auto has = shard_->has_head(1);
  ASSERT_OK(has);
  EXPECT_TRUE(*has);
  // A second row continues the chain; the cache sees it.
  Column h2 = floats({50}, {5});
  encode_head_row(&ch, {}, {&h2}, &b);
  ASSERT_TRUE(shard_->begin_write().ok());
  ASSERT_OK(shard_->put_head(1, 50, 50, 1, b));
  ASSERT_TRUE(shard_->commit().ok());
  EXPECT_EQ(read_all(shard_.get(), 1, 1).f, (std::vector<double>{1, -2, 3, 4, 5}));
  // Compaction promotes the head first: same points, no head left.
  ASSERT_TRUE(shard_->compact().ok());
  EXPECT_FALSE(*shard_->has_head(1));
  auto hr = shard_->head_row_exists(1, *id);
  ASSERT_OK(hr);
  EXPECT_FALSE(*hr);
  Column after = read_all(shard_.get(), 1, 1);
  EXPECT_EQ(after.times, (std::vector<int64_t>{10, 20, 30, 40, 50}));
  EXPECT_EQ(after.f, (std::vector<double>{1, -2, 3, 4, 5}));
  EXPECT_EQ(shard_->blocks(1, 1, kMinTime, kMaxTime)->size(), 1u);
}

TEST_F(ShardTest, AReaderDecodesOnlyTheHeadRowsAddedSince) {
  // A second connection reads while this one writes a row a "second",
  // then promotes: the reader's cached head follows every step.
  auto reader = Shard::open(dir_.path() + "/s.db", "db/rp/1.db", false);
  ASSERT_OK(reader);
  HeadChain ch;
  std::string b;
  std::vector<double> want;
  for (int k = 0; k < 40; k++) {
    Column c = floats({1000 + k}, {k * 1.5});
    encode_head_row(&ch, ch.fields.empty() ? std::vector<HeadField>{{1, FieldType::kFloat}}
                                           : std::vector<HeadField>{},
                    {&c}, &b);
    ASSERT_TRUE(shard_->begin_write().ok());
    auto id = shard_->put_head(7, 1000 + k, 1000 + k, 1, b);
    ASSERT_OK(id);
    ASSERT_TRUE(shard_->commit().ok());
    ch.base = *id;
    want.push_back(k * 1.5);
    if (k % 3 == 0) {
      ASSERT_TRUE((*reader)->begin_read().ok());
      EXPECT_EQ(read_all(reader->get(), 7, 1).f, want) << k;
      (*reader)->end_read();
    }
    if (k == 20) {  // promoted meanwhile: the writer starts a new chain
      ASSERT_TRUE(shard_->begin_write().ok());
      ASSERT_OK(shard_->promote(7));
      ASSERT_TRUE(shard_->commit().ok());
      ch.reset();
    }
  }
  ASSERT_TRUE((*reader)->begin_read().ok());
  EXPECT_EQ(read_all(reader->get(), 7, 1).f, want);
  (*reader)->end_read();
}

// -- writer ------------------------------------------------------------------

class WriterTest : public ::testing::Test {
 protected:
  std::unique_ptr<Writer> open_writer(std::string db = "mon") {
    WriterOptions o;
    o.db = std::move(db);
    return open_writer(std::move(o));
  }
  std::unique_ptr<Writer> open_writer(WriterOptions o) {
    o.data_dir = dir_.path();
    auto w = Writer::open(o);
    EXPECT_TRUE(w.ok()) << w.status().to_string();
    return w.ok() ? std::move(*w) : nullptr;
  }
  Status add(Writer* w, std::string_view line) {
    lp::ParsedLine pl;
    Status s = lp::parse_line(line, {}, &pl);
    if (!s.ok()) return s;
    return w->add(pl, 1000);
  }
  std::string dump_all(DumpOptions o = {}) {
    auto st = Store::open(dir_.path());
    EXPECT_TRUE(st.ok()) << st.status().to_string();
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* f = open_memstream(&buf, &len);
    Status s = dump(st->get(), o, f);
    std::fclose(f);
    std::string out(buf, len);
    free(buf);
    EXPECT_TRUE(s.ok()) << s.to_string();
    // The header line (its range checked apart); no DDL (o.ddl unset).
    header_ = out.substr(0, out.find('\n') + 1);
    EXPECT_EQ(header_.rfind("# INFLUXDB EXPORT: ", 0), 0u) << out;
    return out.substr(header_.size());
  }
  // The only shard of mon.autogen and the first series and field of
  // measurement m in it (shard null when that is not what is there).
  struct OnlyColumn {
    std::unique_ptr<Store> store;
    Shard* shard = nullptr;
    int64_t series = 0, field = 0;
  };
  OnlyColumn only_column() {
    OnlyColumn c;
    auto st = Store::open(dir_.path());
    EXPECT_TRUE(st.ok()) << st.status().to_string();
    if (!st.ok()) return c;
    c.store = std::move(*st);
    auto shards = c.store->shards("mon", "autogen", kMinTime, kMaxTime);
    EXPECT_TRUE(shards.ok() && shards->size() == 1u);
    if (!shards.ok() || shards->size() != 1u) return c;
    Shard* sh = (*shards)[0].shard;
    auto fields = sh->fields("m");
    auto ids = sh->series_ids("m");
    EXPECT_TRUE(fields.ok() && !fields->empty() && ids.ok() && !ids->empty());
    if (!fields.ok() || fields->empty() || !ids.ok() || ids->empty()) return c;
    c.shard = sh;
    c.series = (*ids)[0];
    c.field = (*fields)[0].id;
    return c;
  }
  TempDir dir_;
  std::string header_;
};

TEST_F(WriterTest, TypeConflictRejectsTheWholeLine) {
  auto w = open_writer();
  ASSERT_TRUE(w);
  EXPECT_TRUE(add(w.get(), "m x=1 10").ok());
  Status s = add(w.get(), "m y=2,x=1i 20");
  EXPECT_EQ(s.code(), Status::Code::kConflict);
  EXPECT_EQ(s.message(),
            "field type conflict: input field \"x\" on measurement \"m\" is type integer, "
            "already exists as type float");
  // Another series of the measurement, and within one line.
  EXPECT_EQ(add(w.get(), "m,host=b x=\"s\" 30").code(), Status::Code::kConflict);
  EXPECT_EQ(add(w.get(), "n a=1i,b=true 30").code(), Status::Code::kOk);
  EXPECT_TRUE(w->close().ok());
  EXPECT_EQ(w->stats().points, 2);
  EXPECT_EQ(dump_all(),
            "# DML\n# CONTEXT-DATABASE:mon\n# CONTEXT-RETENTION-POLICY:autogen\n"
            "m x=1 10\nn a=1i,b=true 30\n");
  // The type is stored: a later writer rejects it too.
  auto w2 = open_writer();
  EXPECT_EQ(add(w2.get(), "m x=1i 40").code(), Status::Code::kConflict);
  EXPECT_TRUE(add(w2.get(), "m x=2 40").ok());
  EXPECT_TRUE(w2->close().ok());
}

TEST_F(WriterTest, LastWriteWinsAcrossBatchesAndWriters) {
  auto w = open_writer();
  ASSERT_TRUE(add(w.get(), "cpu,host=a v=1 10").ok());
  ASSERT_TRUE(add(w.get(), "cpu,host=a v=2 20").ok());
  ASSERT_TRUE(add(w.get(), "cpu,host=a v=3 10").ok());  // same batch
  ASSERT_TRUE(w->flush().ok());
  ASSERT_TRUE(add(w.get(), "cpu,host=a v=4 20").ok());  // next batch
  ASSERT_TRUE(w->flush().ok());
  auto w2 = open_writer();  // another writer, before the first closes
  ASSERT_TRUE(add(w2.get(), "cpu,host=a v=5 5").ok());
  ASSERT_TRUE(add(w2.get(), "cpu,host=a w=6 20").ok());
  ASSERT_TRUE(w2->close().ok());
  const std::string want =
      "# DML\n# CONTEXT-DATABASE:mon\n# CONTEXT-RETENTION-POLICY:autogen\n"
      "cpu,host=a v=5 5\ncpu,host=a v=3 10\ncpu,host=a v=4,w=6 20\n";
  EXPECT_EQ(dump_all(), want);  // merged before compaction
  ASSERT_TRUE(w->close().ok());
  EXPECT_EQ(dump_all(), want);  // and after
}

TEST_F(WriterTest, LiveFlushesGoThroughHeadRowsAndPromotion) {
  // One point a flush, as at the end of a 1 s pipe: every flushed point is
  // readable at once, through head rows and then blocks, and a second
  // writer that promotes the first one's head breaks nothing.
  auto w = open_writer();
  std::string want = "# DML\n# CONTEXT-DATABASE:mon\n# CONTEXT-RETENTION-POLICY:autogen\n";
  auto line = [](int k) {
    return "m,host=a c=" + std::to_string(k * 7) + "i,f=" + std::to_string(k) + ".5,g=" +
           std::to_string(k % 3) + "i" + (k % 5 == 0 ? ",s=\"x\"" : "") + " " +
           std::to_string(1000 + k);
  };
  for (int k = 0; k < 700; k++) {
    ASSERT_OK(add(w.get(), line(k)));
    ASSERT_OK(w->flush());
    want += line(k) + "\n";
    if (k == 10 || k == 600) {
      EXPECT_TRUE(dump_all() == want) << k;
    }
    if (k == 650) {
      auto w2 = open_writer();
      ASSERT_OK(add(w2.get(), "m,host=b c=1i 5"));
      ASSERT_OK(add(w2.get(), "m,host=a g=-1i 2000"));
      ASSERT_OK(w2->close());
    }
  }
  std::string got = dump_all();
  ASSERT_OK(w->close());
  EXPECT_TRUE(got == dump_all());
  EXPECT_NE(got.find("m,host=a g=-1i 2000\n"), std::string::npos);
  EXPECT_NE(got.find(line(651) + "\n"), std::string::npos);
  EXPECT_NE(got.find("m,host=b c=1i 5\n"), std::string::npos);
  EXPECT_NE(got.find(line(699) + "\n"), std::string::npos);
  EXPECT_NE(got.find(line(0) + "\n"), std::string::npos);
  EXPECT_EQ(std::count(got.begin(), got.end(), '\n'), 3 + 700 + 2);
}

// A writer that commits without pause: checkpoints run beside it (the
// database file grows while it writes), the commits catch up with them
// so that the WAL starts over (it stays within a few MB instead of
// growing with the data), and closing leaves no WAL; every point is read.
TEST_F(WriterTest, CheckpointsBesideTheWriterKeepTheWalSmall) {
  auto w = open_writer();
  ASSERT_TRUE(w);
  uint64_t x = 88172645463325252ull;
  int64_t lines = 0;
  std::string wal, file;
  uintmax_t wal_max = 0, file_before_close = 0;
  for (int flush = 0; flush < 150; flush++) {
    for (int host = 0; host < 300; host++) {
      std::string line = "mysql,host=h" + std::to_string(host) + " ";
      for (int f = 0; f < 8; f++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        line += (f ? ",f" : "f") + std::to_string(f) + "=" + std::to_string(x % 1000000) + "i";
      }
      line += " " + std::to_string(int64_t{1'000'000'000} * (1000 + flush));
      ASSERT_OK(add(w.get(), line));
      lines++;
    }
    ASSERT_OK(w->flush());
    if (wal.empty()) {
      for (const auto& e : fs::recursive_directory_iterator(dir_.path() + "/mon")) {
        std::string p = e.path().string();
        if (p.ends_with(".db-wal")) wal = p;
        if (p.ends_with(".db")) file = p;
      }
      ASSERT_FALSE(wal.empty());
    }
    wal_max = std::max(wal_max, fs::file_size(wal));
  }
  file_before_close = fs::file_size(file);
  ASSERT_OK(w->close());
  EXPECT_LT(wal_max, uintmax_t{3} * 2 * kCheckpointFrames * 2048) << wal_max;
  EXPECT_GT(file_before_close, uintmax_t{2} << 20);
  EXPECT_EQ(fs::exists(wal) ? fs::file_size(wal) : 0, 0u);
  std::string got = dump_all();
  EXPECT_EQ(std::count(got.begin(), got.end(), '\n'), 3 + lines);
}

// Requests coalesce, a file that vanished is no error, and forget()
// returns with nothing of the file's running (also for a file never asked).
TEST(Checkpointer, RequestsAndForget) {
  TempDir d;
  std::string path = d.path() + "/s.db";
  {
    auto s = Shard::open(path, "s", true);
    ASSERT_OK(s);
    ASSERT_TRUE((*s)->begin_write().ok());
    ASSERT_TRUE((*s)->put_block(1, 1, 10, 20, 2, block_of(floats({10, 20}, {1, 2}))).ok());
    ASSERT_TRUE((*s)->commit().ok());
    Checkpointer c;
    c.forget(path);
    for (int k = 0; k < 5; k++) c.request(path, "s");
    c.request(d.path() + "/gone.db", "gone");
    c.forget(path);
    c.forget(d.path() + "/gone.db");
    EXPECT_OK(c.error());
    c.request(path, "s");
  }  // the destructor waits for the request
  auto s = Shard::open(path, "s", false);
  ASSERT_OK(s);
  EXPECT_EQ((*s)->blocks(1, 1, INT64_MIN, INT64_MAX)->size(), 1u);
}

TEST_F(WriterTest, AWriterThatExitsPromotesHeadsAKilledOneLeft) {
  {
    auto w = open_writer();
    ASSERT_OK(add(w.get(), "m,host=a v=1i 1000"));
    ASSERT_OK(w->flush());
    // Destroyed without close(), as if killed: its head row stays.
  }
  std::string before = dump_all();
  auto w2 = open_writer();
  ASSERT_OK(add(w2.get(), "m,host=b v=2i 1000"));
  ASSERT_OK(w2->close());
  auto st = Store::open(dir_.path());
  ASSERT_OK(st);
  auto shards = (*st)->shards("mon", "autogen", kMinTime, kMaxTime);
  ASSERT_OK(shards);
  ASSERT_EQ(shards->size(), 1u);
  auto heads = (*shards)[0].shard->head_series();
  ASSERT_OK(heads);
  EXPECT_TRUE(heads->empty());
  EXPECT_NE(before.find("m,host=a v=1i 1000\n"), std::string::npos);
  EXPECT_EQ(dump_all(), "# DML\n# CONTEXT-DATABASE:mon\n# CONTEXT-RETENTION-POLICY:autogen\n"
                        "m,host=a v=1i 1000\nm,host=b v=2i 1000\n");
}

// A bulk load of many series leaves its points in head rows, three times
// the size of the blocks they become: at its end most of the file is
// free, and the writer gives it back (VACUUM then, the pages packed),
// every point still there.
TEST_F(WriterTest, AMostlyFreeFileIsGivenBackAtClose) {
  WriterOptions o;
  o.db = "mon";
  o.batch_size = 20000;  // flushes of 100 points a column: head rows
  auto w = open_writer(o);
  lp::ParseOptions po;
  po.defer_tags = true;
  int64_t lines = 0;
  for (int t = 0; t < 400; t++) {
    for (int h = 0; h < 200; h++) {
      std::string line = "m,host=h" + std::to_string(h) + " a=" + std::to_string((t * 7 + h) % 1000) +
                         "i,b=" + std::to_string(t * 3 + h) + "i " + std::to_string(1000000000LL * (t + 1));
      lp::ParsedLine pl;
      ASSERT_OK(lp::parse_line(line, po, &pl));
      ASSERT_OK(w->add(pl, 1000));
      lines++;
    }
  }
  ASSERT_OK(w->close());
  std::string out = dump_all();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), lines + 3);  // and the 3 context lines
  EXPECT_NE(out.find("m,host=h7 a=7i,b=7i 1000000000\n"), std::string::npos);
  EXPECT_NE(out.find("m,host=h199 a=992i,b=1396i 400000000000\n"), std::string::npos);
  // The shard file: no free page left, and about its data's size.
  std::string file;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.path() + "/mon")) {
    if (e.path().extension() == ".db") file = e.path().string();
  }
  ASSERT_FALSE(file.empty());
  auto db = Db::open(file, "shard", false);
  ASSERT_OK(db);
  auto free_pages = db->int64_of("PRAGMA freelist_count");
  auto pages = db->int64_of("PRAGMA page_count");
  ASSERT_OK(free_pages);
  ASSERT_OK(pages);
  EXPECT_EQ(*free_pages, 0);
  EXPECT_LT(*pages * Shard::kPageBytes, 2 * 2 * lines);  // < 2 bytes a value
}

TEST_F(WriterTest, OutOfOrderAndManySegments) {
  auto w = open_writer();
  // More than a segment, written backwards: merged at flush.
  for (int k = 3000; k > 0; k--) {
    ASSERT_TRUE(add(w.get(), "m v=" + std::to_string(k) + "i " + std::to_string(k)).ok());
  }
  Status closed = w->close();
  ASSERT_TRUE(closed.ok()) << closed.to_string();
  OnlyColumn col = only_column();
  ASSERT_TRUE(col.shard);
  auto hs = col.shard->blocks(col.series, col.field, kMinTime, kMaxTime);
  ASSERT_OK(hs);
  ASSERT_EQ(hs->size(), 1u);
  EXPECT_EQ((*hs)[0].count, 3000);
  Column c = read_all(col.shard, col.series, col.field);
  ASSERT_EQ(c.size(), 3000u);
  for (int64_t k = 0; k < 3000; k++) {
    ASSERT_EQ(c.times[k], k + 1);
    ASSERT_EQ(c.i[k], k + 1);
  }
}

// A batch is cut by what was added, never by how far the store thread got
// (the blocks and bytes of a bulk load are the same on any machine): one
// float column costs 16 bytes a raw point and 8 KiB a chunk of 1,024, so a
// 64 KiB budget is reached at 7 chunks and 512 points.
TEST_F(WriterTest, BatchesAreCutByWhatWasAddedNotByTiming) {
  WriterOptions o;
  o.db = "mon";
  o.memory_budget = 64 << 10;
  auto w = open_writer(o);
  ASSERT_TRUE(w);
  int64_t t = 0;
  for (int batch = 0; batch < 2; batch++) {
    for (int k = 0; k < 7 * 1024 + 512; k++) {
      ASSERT_FALSE(w->should_flush()) << "batch " << batch << ", point " << k;
      ASSERT_TRUE(add(w.get(), "m v=" + std::to_string(t) + ".25 " + std::to_string(t)).ok());
      t++;
      // The store thread gets ahead now and then: no matter.
      if (k % 1000 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_TRUE(w->should_flush());
    ASSERT_TRUE(w->flush_async().ok());
  }
  ASSERT_TRUE(add(w.get(), "m v=1.5 " + std::to_string(t)).ok());
  ASSERT_TRUE(w->close().ok());
  EXPECT_EQ(w->stats().flushes, 3);
  OnlyColumn col = only_column();
  ASSERT_TRUE(col.shard);
  EXPECT_EQ(read_all(col.shard, col.series, col.field).size(), static_cast<size_t>(t + 1));
}

TEST_F(WriterTest, RoutesPointsToShardsByTimeAndDumpsByRange) {
  auto w = open_writer();
  // 7-day groups start on Mondays: 1970-01-05 (4 days) and 1969-12-29.
  const int64_t monday = 4 * kDay;
  ASSERT_TRUE(add(w.get(), "m v=1 " + std::to_string(monday - 1)).ok());
  ASSERT_TRUE(add(w.get(), "m v=2 " + std::to_string(monday)).ok());
  ASSERT_TRUE(add(w.get(), "m v=3 " + std::to_string(monday - kWeek - 5)).ok());
  ASSERT_TRUE(w->close().ok());
  auto cat = Catalog::open(dir_.path(), false);
  ASSERT_OK(cat);
  auto groups = (*cat)->shard_groups("mon", "autogen", kMinTime, kMaxTime);
  ASSERT_OK(groups);
  EXPECT_EQ(groups->size(), 3u);
  DumpOptions o;
  o.start = 0;
  o.end = monday - 1;
  EXPECT_EQ(dump_all(o), "# DML\n# CONTEXT-DATABASE:mon\n# CONTEXT-RETENTION-POLICY:autogen\n"
                         "m v=1 " + std::to_string(monday - 1) + "\n");
  EXPECT_EQ(header_, "# INFLUXDB EXPORT: 1970-01-01T00:00:00Z - 1970-01-04T23:59:59Z\n");
  o.ddl = [](const std::string& db, const std::vector<RetentionPolicy>& rps) {
    return "CREATE " + db + " " + rps.at(0).name + "\n";
  };
  EXPECT_EQ(dump_all(o), "# DDL\nCREATE mon autogen\n# DML\n# CONTEXT-DATABASE:mon\n"
                         "# CONTEXT-RETENTION-POLICY:autogen\nm v=1 " +
                             std::to_string(monday - 1) + "\n");
}

// A bulk file repeats its series in the same order, and the writer checks
// each line's series text against the one that followed last time first:
// a changed order, a new series within the cycle, the same series with
// its tags in another order, and a bad text where a known one was expected
// all land (or fail) as they would without the guess.
TEST_F(WriterTest, SeriesGuessedFromTheLastCycle) {
  auto w = open_writer();
  lp::ParseOptions po;
  po.defer_tags = true;  // as tsd-write parses
  std::vector<std::string> want;
  int64_t t = 0;
  auto put = [&](const std::string& series, const std::string& canonical) {
    t++;
    std::string line = series + " v=" + std::to_string(t) + "i " + std::to_string(t);
    lp::ParsedLine pl;
    ASSERT_TRUE(lp::parse_line(line, po, &pl).ok()) << line;
    ASSERT_TRUE(w->add(pl, 1000).ok()) << line;
    want.push_back(canonical + " v=" + std::to_string(t) + "i " + std::to_string(t));
  };
  const std::string a = "m,h=a,r=1", b = "m,h=b,r=1", c = "m,h=c,r=1", d = "m,h=d,r=1";
  for (int k = 0; k < 3; k++) {
    put(a, a);
    put(b, b);
    put(c, c);
  }
  put(c, c);  // out of the cycle
  put(a, a);
  put(d, d);  // new, where b came
  put(b, b);
  put("m,r=1,h=a", a);  // the same series as a, written otherwise
  put(c, c);
  put(a, a);
  put("m,r=1,h=a", a);
  {
    lp::ParsedLine pl;  // a malformed text after a, where "m,r=1,h=a" came last
    ASSERT_TRUE(lp::parse_line("m,r=1,h=a,h=b v=1i 99", po, &pl).ok());
    EXPECT_FALSE(w->add(pl, 1000).ok());
  }
  put(b, b);
  ASSERT_TRUE(w->close().ok());
  std::string out = dump_all();
  std::vector<std::string> got;
  for (size_t at = 0; at < out.size();) {
    size_t nl = out.find('\n', at);
    std::string line = out.substr(at, nl - at);
    if (!line.empty() && line[0] != '#') got.push_back(line);
    at = nl + 1;
  }
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
}

TEST_F(WriterTest, PointsAsWellAsLines) {
  auto w = open_writer();
  Point p;
  p.measurement = "m x";
  p.add_tag("t", "a,b").add_field("f", 1.5).add_field("s", std::string("q\"")).add_field("i", int64_t{-2});
  p.time = 42;
  p.has_time = true;
  ASSERT_TRUE(w->add(p, 0).ok());
  Point untimed;
  untimed.measurement = "n";
  untimed.add_field("v", true);
  ASSERT_TRUE(w->add(untimed, 77).ok());
  ASSERT_TRUE(w->close().ok());
  EXPECT_EQ(dump_all(),
            "# DML\n# CONTEXT-DATABASE:mon\n# CONTEXT-RETENTION-POLICY:autogen\n"
            "m\\ x,t=a\\,b f=1.5,i=-2i,s=\"q\\\"\" 42\nn v=true 77\n");
}

TEST_F(WriterTest, UnknownRetentionPolicyIsInvalidArgument) {
  WriterOptions o;
  o.data_dir = dir_.path();
  o.db = "mon";
  o.rp = "nope";
  auto w = Writer::open(o);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(w.status().message(), "retention policy not found: nope");
}


// -- retention (retention.cc) ------------------------------------------------

TEST(Retention, DecisionsAsInfluxDB) {
  // A point is kept from now - duration on (points_writer: Before(min)).
  EXPECT_EQ(retention_min_time(kHour, 10 * kHour), 9 * kHour);
  EXPECT_EQ(retention_min_time(0, 10 * kHour), INT64_MIN);  // infinite
  EXPECT_EQ(retention_min_time(kHour, INT64_MIN + 5), INT64_MIN);  // no overflow
  // A group expires when end + duration is before now (ExpiredShardGroups):
  // not at the instant itself.
  const int64_t end = 100 * kHour, d = 24 * kHour;
  EXPECT_FALSE(shard_group_expired(end, d, end + d));
  EXPECT_TRUE(shard_group_expired(end, d, end + d + 1));
  EXPECT_FALSE(shard_group_expired(end, d, end));
  EXPECT_FALSE(shard_group_expired(end, 0, INT64_MAX));  // infinite keeps all
  EXPECT_FALSE(shard_group_expired(INT64_MAX, d, INT64_MAX));
  EXPECT_EQ(shard_group_expiry(end, d), end + d);
  EXPECT_EQ(shard_group_expiry(end, 0), end);
  EXPECT_EQ(shard_group_expiry(INT64_MAX - 1, d), INT64_MAX);
  EXPECT_EQ(beyond_retention_error(3), "partial write: points beyond retention policy dropped=3");
}

TEST(Retention, EnforceDropsExactlyTheExpiredGroups) {
  TempDir dir;
  const RetentionPolicy rt{"rt", 2 * kHour, kHour, 1, false};
  auto cat = mon_catalog(dir.path(), &rt);
  ASSERT_TRUE(cat);
  Catalog& c = *cat;
  std::vector<int64_t> ids;
  for (int h = 0; h < 5; h++) {  // groups [h, h+1) hours
    auto g = c.shard_group_for("mon", "rt", h * kHour + 1);
    ASSERT_OK(g);
    ids.push_back(g->id);
    fs::create_directories(fs::path(c.shard_path(*g)).parent_path());
    std::ofstream(c.shard_path(*g)) << "x";  // a file to remove
  }
  auto forever = c.shard_group_for("mon", "autogen", 0);  // infinite: kept
  ASSERT_OK(forever);
  // At 5h: groups ending before 3h have expired (ends 1h and 2h; the one
  // ending at 3h expires only after 5h).
  const int64_t now = 5 * kHour;
  auto expired = expired_shard_groups(c, now);
  ASSERT_OK(expired);
  ASSERT_EQ(expired->size(), 2u);
  EXPECT_EQ((*expired)[0].id, ids[0]);
  EXPECT_EQ((*expired)[1].id, ids[1]);

  std::vector<int64_t> said;
  auto collect = [&](const ShardGroup& g) { said.push_back(g.id); };
  ASSERT_OK(enforce_retention(c, now, true, collect));  // dry run: nothing goes
  EXPECT_EQ(said, (std::vector<int64_t>{ids[0], ids[1]}));
  auto all = c.shard_groups("mon", "rt", kMinTime, kMaxTime);
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 5u);
  EXPECT_TRUE(fs::exists(c.shard_path((*all)[0])));

  said.clear();
  ASSERT_OK(enforce_retention(c, now, false, collect));
  EXPECT_EQ(said, (std::vector<int64_t>{ids[0], ids[1]}));
  all = c.shard_groups("mon", "rt", kMinTime, kMaxTime);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, ids[2]);
  EXPECT_FALSE(fs::exists(shard_path(dir.path(), "mon", "rt", ids[0])));
  EXPECT_TRUE(fs::exists(c.shard_path((*all)[0])));
  // Again: nothing left to do; a group already dropped is not found.
  said.clear();
  ASSERT_OK(enforce_retention(c, now, false, collect));
  EXPECT_TRUE(said.empty());
  auto again = c.drop_shard_group(ids[0]);
  ASSERT_OK(again);
  EXPECT_FALSE(*again);
  auto kept = c.shard_groups("mon", "autogen", kMinTime, kMaxTime);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->size(), 1u);
}

TEST_F(WriterTest, PointsBeyondTheRetentionPolicyAreDroppedAndCounted) {
  const RetentionPolicy rt{"rt", kHour, kHour, 1, false};
  ASSERT_TRUE(mon_catalog(dir_.path(), &rt));
  auto w = open_writer();
  ASSERT_TRUE(w);
  const int64_t now = 10 * kHour;
  auto put = [&](const std::string& line) {
    lp::ParsedLine pl;
    Status s = lp::parse_line(line, {}, &pl);
    return s.ok() ? w->add(pl, now) : s;
  };
  EXPECT_OK(put("m v=1 " + std::to_string(now - kHour - 1)));  // beyond: dropped
  EXPECT_OK(put("m v=2 " + std::to_string(now - kHour)));      // the first time kept
  EXPECT_OK(put("m v=3"));                                      // now
  EXPECT_OK(put("m v=4 " + std::to_string(now + kHour)));      // the future is kept
  EXPECT_OK(put("m v=5 1"));
  ASSERT_OK(w->close());
  EXPECT_EQ(w->stats().points_beyond_retention, 2);
  EXPECT_EQ(w->stats().points, 3);
  DumpOptions only_rt;
  only_rt.rp = "rt";
  EXPECT_EQ(dump_all(only_rt), "# DML\n# CONTEXT-DATABASE:mon\n# CONTEXT-RETENTION-POLICY:rt\n"
                        "m v=2 " + std::to_string(now - kHour) + "\nm v=3 " +
                            std::to_string(now) + "\nm v=4 " + std::to_string(now + kHour) +
                            "\n");
  // An infinite RP keeps everything.
  WriterOptions o;
  o.data_dir = dir_.path();
  o.db = "mon";
  o.rp = "autogen";
  auto wa = Writer::open(o);
  ASSERT_OK(wa);
  lp::ParsedLine pl;
  const std::string oldest = "m v=1 " + std::to_string(kMinTime);  // pl points into it
  ASSERT_OK(lp::parse_line(oldest, {}, &pl));
  EXPECT_OK((*wa)->add(pl, now));
  ASSERT_OK((*wa)->close());
  EXPECT_EQ((*wa)->stats().points_beyond_retention, 0);
  EXPECT_EQ((*wa)->stats().points, 1);
}


// -- deletes (shard_delete.cc) -------------------------------------------------

// A series of `m` with its index rows, a float field "v" (the id returned).
SeriesInfo add_series(Shard* sh, const std::string& key, const std::string& m,
                      std::vector<Tag> tags, int64_t* field) {
  SeriesInfo s;
  EXPECT_TRUE(sh->begin_write().ok());
  auto id = sh->ensure_series(key, m, tags);
  auto f = sh->ensure_field(m, "v", FieldType::kFloat);
  EXPECT_TRUE(id.ok() && f.ok());
  EXPECT_TRUE(sh->commit().ok());
  s.id = *id;
  s.key = key;
  s.measurement = m;
  s.tags = std::move(tags);
  *field = f->id;
  return s;
}

TEST_F(ShardTest, DropSeriesRemovesBlocksHeadRowsAndIndexRows) {
  int64_t f = 0;
  SeriesInfo a = add_series(shard_.get(), "cpu,host=a", "cpu", {{"host", "a"}}, &f);
  SeriesInfo b = add_series(shard_.get(), "cpu,host=b", "cpu", {{"host", "b"}}, &f);
  put(a.id, f, floats({10, 20}, {1, 2}));
  put(b.id, f, floats({10}, {9}));
  HeadChain ch;
  std::string row;
  Column h = floats({30}, {3});
  encode_head_row(&ch, {{f, FieldType::kFloat}}, {&h}, &row);
  ASSERT_OK(shard_->begin_write());
  ASSERT_OK(shard_->put_head(a.id, 30, 30, 1, row));
  ASSERT_OK(shard_->commit());
  EXPECT_EQ(read_all(shard_.get(), a.id, f).size(), 3u);  // cached head

  ASSERT_OK(shard_->begin_write());
  ASSERT_OK(shard_->drop_series(a));
  auto dropped = shard_->drop_unused_fields("cpu");
  ASSERT_OK(dropped);
  EXPECT_FALSE(*dropped);  // b is left
  ASSERT_OK(shard_->commit());
  EXPECT_TRUE(read_all(shard_.get(), a.id, f).empty());
  EXPECT_FALSE(*shard_->has_head(a.id));
  EXPECT_EQ(*shard_->series_ids("cpu"), (std::vector<int64_t>{b.id}));
  EXPECT_EQ(*shard_->tag_values("cpu", "host"), (std::vector<std::string>{"b"}));
  EXPECT_EQ(read_all(shard_.get(), b.id, f).f, (std::vector<double>{9}));

  ASSERT_OK(shard_->begin_write());
  ASSERT_OK(shard_->drop_series(b));
  dropped = shard_->drop_unused_fields("cpu");
  ASSERT_OK(dropped);
  EXPECT_TRUE(*dropped);
  ASSERT_OK(shard_->commit());
  EXPECT_TRUE(shard_->measurements()->empty());
  EXPECT_TRUE(shard_->fields("cpu")->empty());
  EXPECT_TRUE(shard_->tag_keys("cpu")->empty());
  ASSERT_OK(shard_->release_free_pages());
}

TEST_F(ShardTest, DeleteRangeRewritesOnlyOverlappingBlocksNewestWinning) {
  int64_t f = 0;
  SeriesInfo a = add_series(shard_.get(), "cpu,host=a", "cpu", {{"host", "a"}}, &f);
  put(a.id, f, floats({10, 20, 30, 40}, {1, 2, 3, 4}));
  put(a.id, f, floats({20, 25}, {20, 25}));  // newer, overlaps the first
  put(a.id, f, floats({500, 510}, {500, 510}));  // apart: left alone
  put(a.id, f, floats({200, 210}, {200, 210}));  // inside the range: deleted
  const int64_t apart = (*shard_->blocks(a.id, f, 500, 510))[0].id;
  // A head row, newer than every block: promoted before the rewrite.
  HeadChain ch;
  std::string row;
  Column h = floats({30, 220, 300}, {-3, 220, 300});
  encode_head_row(&ch, {{f, FieldType::kFloat}}, {&h}, &row);
  ASSERT_OK(shard_->begin_write());
  ASSERT_OK(shard_->put_head(a.id, 30, 300, 3, row));
  ASSERT_OK(shard_->commit());

  ASSERT_OK(shard_->begin_write());
  auto gone = shard_->delete_points(a, 35, 250);
  ASSERT_OK(gone);
  EXPECT_FALSE(*gone);
  ASSERT_OK(shard_->commit());
  Column c = read_all(shard_.get(), a.id, f);
  EXPECT_EQ(c.times, (std::vector<int64_t>{10, 20, 25, 30, 300, 500, 510}));
  EXPECT_EQ(c.f, (std::vector<double>{1, 20, 25, -3, 300, 500, 510}));
  EXPECT_FALSE(*shard_->has_head(a.id));
  auto hs = shard_->blocks(a.id, f, kMinTime, kMaxTime);
  ASSERT_OK(hs);
  bool kept = false;
  for (const auto& b : *hs) kept |= b.id == apart;
  EXPECT_TRUE(kept);

  // Deleting the rest drops the series from the index, as InfluxDB does.
  ASSERT_OK(shard_->begin_write());
  gone = shard_->delete_points(a, 0, 1000);  // all that is left
  ASSERT_OK(gone);
  EXPECT_TRUE(*gone);
  ASSERT_OK(shard_->commit());
  EXPECT_TRUE(read_all(shard_.get(), a.id, f).empty());
  EXPECT_TRUE(shard_->series_ids("cpu")->empty());
  // Fields stay until drop_unused_fields is asked.
  EXPECT_EQ(shard_->fields("cpu")->size(), 1u);
}

TEST_F(ShardTest, DeleteIsOneTransactionSeenByAnotherConnection) {
  int64_t f = 0;
  SeriesInfo a = add_series(shard_.get(), "cpu,host=a", "cpu", {{"host", "a"}}, &f);
  put(a.id, f, floats({10, 20, 30}, {1, 2, 3}));
  auto other = Shard::open(dir_.path() + "/s.db", "db/rp/1.db", false);
  ASSERT_OK(other);
  EXPECT_EQ(read_all(other->get(), a.id, f).size(), 3u);
  ASSERT_OK(shard_->begin_write());
  ASSERT_OK(shard_->delete_points(a, 15, 25));
  // Not committed: the other connection still sees every point.
  EXPECT_EQ(read_all(other->get(), a.id, f).size(), 3u);
  shard_->rollback();
  EXPECT_EQ(read_all(shard_.get(), a.id, f).size(), 3u);
  ASSERT_OK(shard_->begin_write());
  ASSERT_OK(shard_->delete_points(a, 15, 25));
  ASSERT_OK(shard_->commit());
  EXPECT_EQ(read_all(other->get(), a.id, f).times, (std::vector<int64_t>{10, 30}));
}

// The VFS that gathers a transaction's writes: transactions larger than
// the page cache (SQLite writes frames before the commit, and rewrites
// some of them), rolled back or committed, leave the file whole and
// show other connections exactly the committed rows, at once.
// A reader's read-only WAL index (Db::Setup::read_only_index) follows the
// commits of a writer in another process (the -shm file is shared per
// process: a writer in this one would lend it its own), reads what a
// killed writer left in the WAL, and refuses to write.
TEST(Db, ReadOnlyIndexSeesEveryCommitOfOtherProcesses) {
  TempDir dir_;
  Db::allow_read_only_index();
  struct Disallow {
    ~Disallow() { Db::allow_read_only_index(false); }
  } disallow;
  const std::string path = dir_.path() + "/r.db";
  auto rows = [](Db& db) {
    auto st = Stmt::prepare(db, "SELECT count(*) FROM t");
    bool row = false;
    if (!st.ok() || !st->step(&row).ok() || !row) return int64_t{-1};
    return st->int64(0);
  };
  {
    // A writer that leaves its WAL behind, as a killed one does.
    Db::Setup s;
    s.create = true;
    s.keep_wal = true;
    auto w = Db::open(path, "r.db", s);
    ASSERT_OK(w);
    ASSERT_OK(w->exec("CREATE TABLE t(v INTEGER); INSERT INTO t VALUES(1)"));
  }
  ASSERT_GT(fs::file_size(path + "-wal"), 0u);
  Db::Setup rs;
  rs.read_only_index = true;
  rs.keep_wal = true;
  auto r = Db::open(path, "r.db", rs);
  ASSERT_OK(r);
  EXPECT_EQ(rows(*r), 1);
  EXPECT_FALSE(r->exec("INSERT INTO t VALUES(9)").ok());
  // The writer: this test binary again (a forked child would inherit
  // SQLite's view of the files this process has open).
  int to_child[2], to_parent[2];
  ASSERT_EQ(pipe(to_child), 0);
  ASSERT_EQ(pipe(to_parent), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(to_child[0], 0);
    dup2(to_parent[1], 1);
    for (int fd : {to_child[0], to_child[1], to_parent[0], to_parent[1]}) close(fd);
    setenv("TSD_TEST_WRITER_DB", path.c_str(), 1);
    execl("/proc/self/exe", "unit_tests", "--gtest_filter=Db.WriterProcess", "--gtest_brief=1",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(to_child[0]);
  close(to_parent[1]);
  for (int i = 2; i <= 4; i++) {
    char c = 0;
    ASSERT_EQ(write(to_child[1], "x", 1), 1);
    ASSERT_EQ(read(to_parent[0], &c, 1), 1) << "the writer process failed";
    EXPECT_EQ(rows(*r), i);
  }
  close(to_child[1]);
  close(to_parent[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_EQ(rows(*r), 4);
  *r = Db();
  {
    // The last writer to close checkpoints and removes -wal and -shm: a
    // reader then opens as usual.
    auto w = Db::open(path, "r.db", Db::Setup{});
    ASSERT_OK(w);
    EXPECT_EQ(rows(*w), 4);
  }
  ASSERT_FALSE(fs::exists(path + "-shm"));
  auto again = Db::open(path, "r.db", rs);
  ASSERT_OK(again);
  EXPECT_EQ(rows(*again), 4);
}

// ReadOnlyIndexSeesEveryCommitOfOtherProcesses's writer (run as a process
// of its own; nothing without TSD_TEST_WRITER_DB): inserts 2, 3, 4, one
// commit per byte read from stdin, a byte written after each, then stops
// as a killed writer would (its last commits left in the WAL).
TEST(Db, WriterProcess) {
  const char* path = getenv("TSD_TEST_WRITER_DB");
  if (path == nullptr) return;
  auto w = Db::open(path, "r.db", Db::Setup{});
  for (int i = 2; i <= 4 && w.ok(); i++) {
    char c;
    if (read(0, &c, 1) != 1) break;
    if (!w->exec("INSERT INTO t VALUES(" + std::to_string(i) + ")").ok()) break;
    if (write(1, "x", 1) != 1) break;
  }
  _exit(0);
}

TEST(WalVfs, GatheredWritesKeepTransactionsWhole) {
  TempDir dir_;
  const std::string path = dir_.path() + "/v.db";
  auto open = [&](sqlite3** db) {
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              wal_vfs_name()),
              SQLITE_OK);
  };
  auto exec = [](sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    return rc == SQLITE_OK ? std::string() : sql + ": " + msg;
  };
  auto count = [](sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
  };
  ASSERT_NE(wal_vfs_name(), nullptr);
  sqlite3 *w = nullptr, *r = nullptr;
  open(&w);
  EXPECT_EQ(exec(w, "PRAGMA page_size=2048; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA cache_size=-64; PRAGMA wal_autocheckpoint=64; "
                    "CREATE TABLE t(k TEXT PRIMARY KEY, v BLOB)"),
            "");
  open(&r);
  // Rows in a scattered key order touch pages all over the b-tree, more
  // than the cache holds: SQLite spills frames, and writes pages again.
  auto fill = [&](int round, int n) {
    std::string sql = "INSERT OR REPLACE INTO t VALUES";
    for (int i = 0; i < n; i++) {
      sql += (i ? ",(" : "(") + std::string("'k") + std::to_string((i * 7919) % n) +
             "', randomblob(" + std::to_string(100 + (i + round) % 700) + "))";
    }
    return exec(w, "BEGIN IMMEDIATE; " + sql);
  };
  ASSERT_EQ(fill(0, 20000), "");
  EXPECT_EQ(count(r, "SELECT count(*) FROM t"), 0);  // not committed yet
  EXPECT_EQ(exec(w, "COMMIT"), "");
  EXPECT_EQ(count(r, "SELECT count(*) FROM t"), 20000);
  ASSERT_EQ(fill(1, 30000), "");
  EXPECT_EQ(exec(w, "ROLLBACK"), "");
  EXPECT_EQ(count(r, "SELECT count(*) FROM t"), 20000);
  ASSERT_EQ(fill(2, 25000), "");
  EXPECT_EQ(exec(w, "COMMIT"), "");
  EXPECT_EQ(count(r, "SELECT count(*) FROM t"), 25000);
  EXPECT_EQ(exec(w, "PRAGMA wal_checkpoint(TRUNCATE)"), "");
  sqlite3_close(w);
  sqlite3_close(r);
  // A new connection (and SQLite's own check) sees a sound file.
  sqlite3* c = nullptr;
  open(&c);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(c, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
  sqlite3_finalize(st);
  EXPECT_EQ(count(c, "SELECT count(*) FROM t"), 25000);
  EXPECT_EQ(count(c, "SELECT count(*) FROM t WHERE length(v) < 100 OR length(v) >= 800"), 0);
  sqlite3_close(c);
}

}  // namespace
}  // namespace tsd::storage
