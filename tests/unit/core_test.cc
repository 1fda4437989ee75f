#include <gtest/gtest.h>

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/heap.h"
#include "core/password.h"
#include "core/point.h"
#include "core/status.h"
#include "core/time.h"

namespace tsd {
namespace {

// The heap gets a range advised for huge pages (VmFlags "hg" in smaps),
// and malloc goes on working over it.
TEST(Heap, HugePagesAdvisedForTheHeap) {
#ifdef __SANITIZE_ADDRESS__
  GTEST_SKIP() << "ASan's allocator is not malloc's heap";
#endif
  if (std::getenv("TSD_HEAP_TEST_CHILD") == nullptr) {
    // In a process of its own, whose heap is as a program's when it calls
    // this (tests run before leave large freed chunks malloc serves first).
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    ASSERT_GT(n, 0);
    self[n] = '\0';
    const std::string cmd = std::string("TSD_HEAP_TEST_CHILD=1 '") + self +
                            "' --gtest_filter=Heap.HugePagesAdvisedForTheHeap";
    std::string out;
    FILE* child = popen(cmd.c_str(), "r");
    ASSERT_NE(child, nullptr);
    char buf[4096];
    for (size_t got; (got = std::fread(buf, 1, sizeof buf, child)) > 0;) out.append(buf, got);
    EXPECT_EQ(pclose(child), 0) << out;
    return;
  }
  keep_heap_for_large_answers(16 << 20);
  // What the heap has not handed out (its top chunk, whose 16-byte
  // header sits below its memory) starts on a 2 MiB boundary: a filler
  // took it up there, so that the first pages a query makes are huge
  // too, not made 4 KiB at a time below it.
  const auto top = reinterpret_cast<uintptr_t>(sbrk(0)) - mallinfo2().keepcost;
  EXPECT_EQ((top + 16) & ((2 << 20) - 1), 0u) << std::hex << top;
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool heap = false, advised = false;
  while (std::getline(smaps, line)) {
    const std::string first = line.substr(0, line.find(' '));
    if (first.find('-') != std::string::npos &&
        first.find_first_not_of("0123456789abcdef-") == std::string::npos) {
      heap = line.find("[heap]") != std::string::npos;  // a mapping's first line
    } else if (heap && line.rfind("VmFlags:", 0) == 0 && line.find(" hg") != std::string::npos) {
      advised = true;
    }
  }
  if (!advised && std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled").fail()) {
    GTEST_SKIP() << "no transparent huge pages here";
  }
  EXPECT_TRUE(advised);
  std::vector<std::string> blocks;
  for (int i = 0; i < 1000; i++) blocks.emplace_back(static_cast<size_t>(i) * 97, 'x');
  EXPECT_EQ(blocks.back().size(), 999u * 97);
}

// The program's code is in its page tables at once: the executable's
// code mapping is resident whole (Rss = Size in smaps), not only the
// parts that ran.
TEST(Heap, CodeMappedAtOnce) {
  map_code_at_once();
  const auto here = reinterpret_cast<uintptr_t>(&map_code_at_once);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool mine = false;
  long size = -1, rss = -1;
  while (std::getline(smaps, line)) {
    const std::string first = line.substr(0, line.find(' '));
    const size_t dash = first.find('-');
    if (dash != std::string::npos && first.find_first_not_of("0123456789abcdef-") == std::string::npos) {
      const uintptr_t lo = std::stoull(first.substr(0, dash), nullptr, 16);
      const uintptr_t hi = std::stoull(first.substr(dash + 1), nullptr, 16);
      mine = lo <= here && here < hi;
    } else if (mine && line.rfind("Size:", 0) == 0) {
      size = std::stol(line.substr(5));
    } else if (mine && line.rfind("Rss:", 0) == 0) {
      rss = std::stol(line.substr(4));
    }
  }
  ASSERT_GT(size, 0);
  EXPECT_EQ(rss, size) << "kB resident of the code mapping";
}

TEST(Status, OkAndContext) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(ok.with_context("x").ok());
  Status e = Status::io_error("database is locked").with_context("open shard mon/autogen/17.db");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.code(), Status::Code::kIOError);
  EXPECT_EQ(e.to_string(), "open shard mon/autogen/17.db: database is locked");
}

TEST(Result, ValueOrStatus) {
  Result<int> r = 3;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 3);
  Result<int> e = Status::not_found("no");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(), "no");
}

TEST(Point, SortTagsLastWins) {
  Point p;
  p.add_tag("b", "1").add_tag("a", "2").add_tag("b", "3");
  p.sort_tags();
  ASSERT_EQ(p.tags.size(), 2u);
  EXPECT_EQ(p.tags[0], (Tag{"a", "2"}));
  EXPECT_EQ(p.tags[1], (Tag{"b", "3"}));
}

TEST(FieldType, Names) {
  EXPECT_EQ(field_type_name(FieldType::kUnsigned), "unsigned");
  EXPECT_EQ(field_type_from_name("boolean"), FieldType::kBoolean);
  EXPECT_FALSE(field_type_from_name("bool").has_value());
  EXPECT_EQ(value_type(Value{int64_t{3}}), FieldType::kInteger);
  EXPECT_EQ(value_type(Value{std::string("x")}), FieldType::kString);
}

TEST(Duration, Parse) {
  EXPECT_EQ(*parse_duration("1h30m"), kHour + 30 * kMinute);
  EXPECT_EQ(*parse_duration("10s"), 10 * kSecond);
  EXPECT_EQ(*parse_duration("2w"), 2 * kWeek);
  EXPECT_EQ(*parse_duration("1d"), kDay);
  EXPECT_EQ(*parse_duration("5ms"), 5 * kMillisecond);
  EXPECT_EQ(*parse_duration("7u"), 7 * kMicrosecond);
  EXPECT_EQ(*parse_duration("7\xC2\xB5"), 7 * kMicrosecond);
  EXPECT_EQ(*parse_duration("3ns"), 3);
  EXPECT_EQ(*parse_duration("INF"), 0);
  EXPECT_FALSE(parse_duration("").ok());
  EXPECT_FALSE(parse_duration("h").ok());
  EXPECT_FALSE(parse_duration("10").ok());
  EXPECT_FALSE(parse_duration("10x").ok());
  EXPECT_FALSE(parse_duration("99999999999999999999s").ok());
  EXPECT_FALSE(parse_duration("9999999999w").ok());
}

TEST(Duration, FormatLikeGo) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(168 * kHour), "168h0m0s");
  EXPECT_EQ(format_duration(kHour + 30 * kMinute), "1h30m0s");
  EXPECT_EQ(format_duration(90 * kSecond), "1m30s");
  EXPECT_EQ(format_duration(1500 * kMillisecond), "1.5s");
  EXPECT_EQ(format_duration(250 * kMillisecond), "250ms");
  EXPECT_EQ(format_duration(1500), "1.5\xC2\xB5s");
  EXPECT_EQ(format_duration(12), "12ns");
  EXPECT_EQ(format_duration(-kSecond), "-1s");
}

TEST(Time, Rfc3339) {
  EXPECT_EQ(*parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parse_rfc3339("2009-11-10T23:00:00Z"), 1257894000LL * kSecond);
  EXPECT_EQ(*parse_rfc3339("2009-11-10T23:00:00.5Z"), 1257894000LL * kSecond + 500 * kMillisecond);
  EXPECT_EQ(*parse_rfc3339("2009-11-11T01:00:00+02:00"), 1257894000LL * kSecond);
  EXPECT_EQ(*parse_rfc3339("2009-11-10 23:00:00"), 1257894000LL * kSecond);
  EXPECT_EQ(*parse_rfc3339("2009-11-10"), 1257811200LL * kSecond);
  EXPECT_EQ(*parse_rfc3339("1969-12-31T23:59:59.999999999Z"), -1);
  EXPECT_FALSE(parse_rfc3339("2009-02-30T00:00:00Z").ok());
  EXPECT_FALSE(parse_rfc3339("2009-11-10T23:00:00").ok());
  EXPECT_FALSE(parse_rfc3339("2009-11-10T25:00:00Z").ok());
  EXPECT_FALSE(parse_rfc3339("yesterday").ok());
  EXPECT_FALSE(parse_rfc3339("2009-11-10T23:00:00Zjunk").ok());
}

TEST(Time, FormatRoundTrip) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(format_rfc3339(1257894000LL * kSecond + 120 * kMillisecond), "2009-11-10T23:00:00.12Z");
  for (int64_t t : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{1700000000123456789},
                    int64_t{-86400} * kSecond * 365 * 100, kMaxTime, kMinTime}) {
    auto back = parse_rfc3339(format_rfc3339(t));
    ASSERT_TRUE(back.ok()) << format_rfc3339(t) << ": " << back.status().message();
    EXPECT_EQ(*back, t);
  }
}

TEST(Time, ParseExpressions) {
  const int64_t now = 1700000000LL * kSecond;
  EXPECT_EQ(*parse_time("now()", now), now);
  EXPECT_EQ(*parse_time("now() - 1h", now), now - kHour);
  EXPECT_EQ(*parse_time(" now()+30m ", now), now + 30 * kMinute);
  EXPECT_EQ(*parse_time("1600000000s", now), 1600000000LL * kSecond);
  EXPECT_EQ(*parse_time("1600000000000ms", now), 1600000000LL * kSecond);
  EXPECT_EQ(*parse_time("123", now), 123);
  EXPECT_EQ(*parse_time("-5", now), -5);
  EXPECT_EQ(*parse_time("2009-11-10T23:00:00Z", now), 1257894000LL * kSecond);
  EXPECT_FALSE(parse_time("now() * 2", now).ok());
  EXPECT_FALSE(parse_time("now() - 1x", now).ok());
  EXPECT_FALSE(parse_time("12parsecs", now).ok());
  EXPECT_FALSE(parse_time("99999999999999999999", now).ok());
}

TEST(Precision, Parse) {
  EXPECT_EQ(*parse_precision("n"), Precision::kNanosecond);
  EXPECT_EQ(*parse_precision("u"), Precision::kMicrosecond);
  EXPECT_EQ(*parse_precision("ms"), Precision::kMillisecond);
  EXPECT_EQ(*parse_precision("h"), Precision::kHour);
  EXPECT_EQ(precision_ns(Precision::kMinute), kMinute);
  EXPECT_FALSE(parse_precision("d").ok());
}

TEST(Precision, TruncateRoundsDown) {
  EXPECT_EQ(truncate_time(1700000000123456789, Precision::kSecond), 1700000000LL * kSecond);
  EXPECT_EQ(truncate_time(1700000000123456789, Precision::kMillisecond), 1700000000123LL * kMillisecond);
  EXPECT_EQ(truncate_time(1700000000123456789, Precision::kNanosecond), 1700000000123456789);
  EXPECT_EQ(truncate_time(-1, Precision::kSecond), -kSecond);
  EXPECT_EQ(truncate_time(kHour + 59 * kMinute, Precision::kHour), kHour);
}

}  // namespace
}  // namespace tsd

namespace tsd {
namespace {

TEST(Password, HashedSlowlyAndCheckedOncePerUser) {
  auto h = hash_password("s3cret");
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  auto h2 = hash_password("s3cret");
  EXPECT_NE(*h, *h2);  // salted
  EXPECT_TRUE(verify_password(*h, "s3cret"));
  EXPECT_FALSE(verify_password(*h, "s3cret "));
  EXPECT_FALSE(verify_password("plain", "plain"));
  EXPECT_FALSE(verify_password("", ""));
  PasswordCache cache;
  EXPECT_TRUE(cache.verify("bob", *h, "s3cret"));
  EXPECT_TRUE(cache.verify("bob", *h, "s3cret"));  // remembered
  EXPECT_FALSE(cache.verify("bob", *h, "wrong"));
  // A changed hash (SET PASSWORD) is checked again.
  EXPECT_FALSE(cache.verify("bob", *h2 + "x", "s3cret"));
  EXPECT_TRUE(cache.verify("bob", *h2, "s3cret"));
}

}  // namespace
}  // namespace tsd
