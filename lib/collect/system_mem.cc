// mem and swap: /proc/meminfo (and /proc/vmstat for swap in/out), with
// Telegraf's fields: bytes as integers, *_percent as floats.
#include <memory>
#include <string>
#include <vector>

#include "collect/procfs.h"
#include "collect/system.h"

namespace tsd::collect {
namespace {

// The /proc/meminfo values gopsutil reads, in bytes (counts for HugePages_*).
struct MemInfo {
  uint64_t total = 0, free = 0, available = 0, buffers = 0, cached = 0, swap_cached = 0,
           active = 0, inactive = 0, high_total = 0, high_free = 0, low_total = 0,
           low_free = 0, swap_total = 0, swap_free = 0, dirty = 0, writeback = 0,
           writeback_tmp = 0, mapped = 0, shared = 0, slab = 0, sreclaimable = 0,
           sunreclaim = 0, page_tables = 0, commit_limit = 0, committed_as = 0,
           vmalloc_total = 0, vmalloc_used = 0, vmalloc_chunk = 0, huge_pages_total = 0,
           huge_pages_free = 0, huge_page_size = 0;
  bool has_available = false;
};

struct MemKey {
  std::string_view name;
  uint64_t MemInfo::*member;
  bool kilobytes;
};

constexpr MemKey kMemKeys[] = {
    {"MemTotal", &MemInfo::total, true},
    {"MemFree", &MemInfo::free, true},
    {"MemAvailable", &MemInfo::available, true},
    {"Buffers", &MemInfo::buffers, true},
    {"Cached", &MemInfo::cached, true},
    {"SwapCached", &MemInfo::swap_cached, true},
    {"Active", &MemInfo::active, true},
    {"Inactive", &MemInfo::inactive, true},
    {"HighTotal", &MemInfo::high_total, true},
    {"HighFree", &MemInfo::high_free, true},
    {"LowTotal", &MemInfo::low_total, true},
    {"LowFree", &MemInfo::low_free, true},
    {"SwapTotal", &MemInfo::swap_total, true},
    {"SwapFree", &MemInfo::swap_free, true},
    {"Dirty", &MemInfo::dirty, true},
    {"Writeback", &MemInfo::writeback, true},
    {"WritebackTmp", &MemInfo::writeback_tmp, true},
    {"Mapped", &MemInfo::mapped, true},
    {"Shmem", &MemInfo::shared, true},
    {"Slab", &MemInfo::slab, true},
    {"SReclaimable", &MemInfo::sreclaimable, true},
    {"SUnreclaim", &MemInfo::sunreclaim, true},
    {"PageTables", &MemInfo::page_tables, true},
    {"CommitLimit", &MemInfo::commit_limit, true},
    {"Committed_AS", &MemInfo::committed_as, true},
    {"VmallocTotal", &MemInfo::vmalloc_total, true},
    {"VmallocUsed", &MemInfo::vmalloc_used, true},
    {"VmallocChunk", &MemInfo::vmalloc_chunk, true},
    {"HugePages_Total", &MemInfo::huge_pages_total, false},
    {"HugePages_Free", &MemInfo::huge_pages_free, false},
    {"Hugepagesize", &MemInfo::huge_page_size, true},
};

Result<MemInfo> read_meminfo(ProcFile& file) {
  auto text = file.read();
  if (!text.ok()) return text.status();
  MemInfo m;
  for_each_key_value(*text, [&](std::string_view key, std::string_view value) {
    for (const MemKey& k : kMemKeys) {
      if (k.name != key) continue;
      uint64_t v = 0;
      if (parse_u64(value, &v)) m.*k.member = k.kilobytes ? v * 1024 : v;
      if (k.member == &MemInfo::available) m.has_available = true;
      break;
    }
  });
  if (m.total == 0) return Status::corruption(file.path() + ": no MemTotal");
  // gopsutil counts reclaimable slab as cache.
  m.cached += m.sreclaimable;
  if (!m.has_available) m.available = m.free + m.buffers + m.cached;
  return m;
}

class MemInput : public Input {
 public:
  MemInput() : meminfo_(host_proc() + "/meminfo") {}
  Status gather(Accumulator& acc) override {
    auto r = read_meminfo(meminfo_);
    if (!r.ok()) return r.status();
    const MemInfo& m = *r;
    uint64_t used = m.total - m.free - m.buffers - m.cached;
    auto i = [](uint64_t v) { return Value(clamp_i64(v)); };
    acc.add("mem", {},
            {
                {"total", i(m.total)},
                {"available", i(m.available)},
                {"used", i(used)},
                {"used_percent", 100 * static_cast<double>(used) / static_cast<double>(m.total)},
                {"available_percent",
                 100 * static_cast<double>(m.available) / static_cast<double>(m.total)},
                {"active", i(m.active)},
                {"buffered", i(m.buffers)},
                {"cached", i(m.cached)},
                {"commit_limit", i(m.commit_limit)},
                {"committed_as", i(m.committed_as)},
                {"dirty", i(m.dirty)},
                {"free", i(m.free)},
                {"high_free", i(m.high_free)},
                {"high_total", i(m.high_total)},
                {"huge_pages_free", i(m.huge_pages_free)},
                {"huge_page_size", i(m.huge_page_size)},
                {"huge_pages_total", i(m.huge_pages_total)},
                {"inactive", i(m.inactive)},
                {"low_free", i(m.low_free)},
                {"low_total", i(m.low_total)},
                {"mapped", i(m.mapped)},
                {"page_tables", i(m.page_tables)},
                {"shared", i(m.shared)},
                {"slab", i(m.slab)},
                {"sreclaimable", i(m.sreclaimable)},
                {"sunreclaim", i(m.sunreclaim)},
                {"swap_cached", i(m.swap_cached)},
                {"swap_free", i(m.swap_free)},
                {"swap_total", i(m.swap_total)},
                {"vmalloc_chunk", i(m.vmalloc_chunk)},
                {"vmalloc_total", i(m.vmalloc_total)},
                {"vmalloc_used", i(m.vmalloc_used)},
                {"write_back", i(m.writeback)},
                {"write_back_tmp", i(m.writeback_tmp)},
            });
    return Status();
  }

 private:
  ProcFile meminfo_;
};

class SwapInput : public Input {
 public:
  SwapInput() : meminfo_(host_proc() + "/meminfo"), vmstat_(host_proc() + "/vmstat") {}
  Status gather(Accumulator& acc) override {
    auto r = read_meminfo(meminfo_);
    if (!r.ok()) return r.status();
    uint64_t total = r->swap_total, free = r->swap_free, used = total - free;
    double pct = total == 0 ? 0.0 : 100 * static_cast<double>(used) / static_cast<double>(total);
    acc.add("swap", {},
            {{"total", clamp_i64(total)},
             {"used", clamp_i64(used)},
             {"free", clamp_i64(free)},
             {"used_percent", pct}});
    auto v = vmstat_.read();
    if (!v.ok()) return v.status();
    uint64_t in = 0, out = 0;
    TextCursor c(*v);
    std::string_view line;
    while (c.next_line(&line)) {
      std::string_view w[2];
      if (split_words(line, w, 2) != 2) continue;
      // gopsutil counts swapped pages as 4 KiB each.
      if (w[0] == "pswpin" && parse_u64(w[1], &in)) in *= 4096;
      if (w[0] == "pswpout" && parse_u64(w[1], &out)) out *= 4096;
    }
    acc.add("swap", {}, {{"in", clamp_i64(in)}, {"out", clamp_i64(out)}});
    return Status();
  }

 private:
  ProcFile meminfo_;
  ProcFile vmstat_;
};

}  // namespace

void add_mem_inputs(std::vector<InputInfo>* out) {
  out->push_back(simple_input<MemInput>(
      "mem", "Read metrics about memory usage",
      "# Read metrics about memory usage\n[[inputs.mem]]\n  # no configuration\n"));
  out->push_back(simple_input<SwapInput>(
      "swap", "Read metrics about swap memory usage",
      "# Read metrics about swap memory usage\n[[inputs.swap]]\n  # no configuration\n"));
}

}  // namespace tsd::collect
