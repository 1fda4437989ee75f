// redis: parsing INFO ALL into redis, redis_keyspace, redis_cmdstat,
// redis_replication, redis_errorstat, redis_latency_percentiles_usec
// (Telegraf's names and types).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "collect/service_inputs.h"

namespace tsd::collect {
namespace {

// The fields whose type Telegraf fixes whatever INFO prints ('i' integer,
// 'f' float, 's' string), sorted by name.
struct FieldType1 {
  std::string_view name;
  char type;
};
constexpr FieldType1 kRedisTypes[] = {
    {"active_defrag_hits", 'i'},
    {"active_defrag_key_hits", 'i'},
    {"active_defrag_key_misses", 'i'},
    {"active_defrag_misses", 'i'},
    {"active_defrag_running", 'i'},
    {"allocator_active", 'i'},
    {"allocator_allocated", 'i'},
    {"allocator_frag_bytes", 'f'},
    {"allocator_frag_ratio", 'f'},
    {"allocator_resident", 'i'},
    {"allocator_rss_bytes", 'i'},
    {"allocator_rss_ratio", 'f'},
    {"aof_current_rewrite_time_sec", 'i'},
    {"aof_enabled", 'i'},
    {"aof_last_bgrewrite_status", 's'},
    {"aof_last_cow_size", 'i'},
    {"aof_last_rewrite_time_sec", 'i'},
    {"aof_last_write_status", 's'},
    {"aof_rewrite_in_progress", 'i'},
    {"aof_rewrite_scheduled", 'i'},
    {"blocked_clients", 'i'},
    {"client_recent_max_input_buffer", 'i'},
    {"client_recent_max_output_buffer", 'i'},
    {"clients", 'i'},
    {"clients_in_timeout_table", 'i'},
    {"cluster_enabled", 'i'},
    {"connected_slaves", 'i'},
    {"evicted_keys", 'i'},
    {"expire_cycle_cpu_milliseconds", 'i'},
    {"expired_keys", 'i'},
    {"expired_stale_perc", 'f'},
    {"expired_time_cap_reached_count", 'i'},
    {"instantaneous_input_kbps", 'f'},
    {"instantaneous_ops_per_sec", 'i'},
    {"instantaneous_output_kbps", 'f'},
    {"io_threaded_reads_processed", 'i'},
    {"io_threaded_writes_processed", 'i'},
    {"keyspace_hits", 'i'},
    {"keyspace_misses", 'i'},
    {"latest_fork_usec", 'i'},
    {"lazyfree_pending_objects", 'i'},
    {"loading", 'i'},
    {"lru_clock", 'i'},
    {"master_repl_offset", 'i'},
    {"maxmemory", 'i'},
    {"maxmemory_policy", 's'},
    {"mem_aof_buffer", 'i'},
    {"mem_clients_normal", 'i'},
    {"mem_clients_slaves", 'i'},
    {"mem_fragmentation_bytes", 'i'},
    {"mem_fragmentation_ratio", 'f'},
    {"mem_not_counted_for_evict", 'i'},
    {"mem_replication_backlog", 'i'},
    {"migrate_cached_sockets", 'i'},
    {"module_fork_in_progress", 'i'},
    {"module_fork_last_cow_size", 'i'},
    {"number_of_cached_scripts", 'i'},
    {"pubsub_channels", 'i'},
    {"pubsub_patterns", 'i'},
    {"rdb_bgsave_in_progress", 'i'},
    {"rdb_changes_since_last_save", 'i'},
    {"rdb_current_bgsave_time_sec", 'i'},
    {"rdb_last_bgsave_status", 's'},
    {"rdb_last_bgsave_time_sec", 'i'},
    {"rdb_last_cow_size", 'i'},
    {"rdb_last_save_time", 'i'},
    {"rdb_last_save_time_elapsed", 'i'},
    {"redis_version", 's'},
    {"rejected_connections", 'i'},
    {"repl_backlog_active", 'i'},
    {"repl_backlog_first_byte_offset", 'i'},
    {"repl_backlog_histlen", 'i'},
    {"repl_backlog_size", 'i'},
    {"rss_overhead_bytes", 'i'},
    {"rss_overhead_ratio", 'f'},
    {"second_repl_offset", 'i'},
    {"slave_expires_tracked_keys", 'i'},
    {"sync_full", 'i'},
    {"sync_partial_err", 'i'},
    {"sync_partial_ok", 'i'},
    {"total_commands_processed", 'i'},
    {"total_connections_received", 'i'},
    {"total_net_input_bytes", 'i'},
    {"total_net_output_bytes", 'i'},
    {"total_reads_processed", 'i'},
    {"total_system_memory", 'i'},
    {"total_writes_processed", 'i'},
    {"tracking_clients", 'i'},
    {"tracking_total_items", 'i'},
    {"tracking_total_keys", 'i'},
    {"tracking_total_prefixes", 'i'},
    {"unexpected_error_replies", 'i'},
    {"uptime", 'i'},
    {"used_cpu_sys", 'f'},
    {"used_cpu_sys_children", 'f'},
    {"used_cpu_user", 'f'},
    {"used_cpu_user_children", 'f'},
    {"used_memory", 'i'},
    {"used_memory_dataset", 'i'},
    {"used_memory_dataset_perc", 'f'},
    {"used_memory_lua", 'i'},
    {"used_memory_overhead", 'i'},
    {"used_memory_peak", 'i'},
    {"used_memory_peak_perc", 'f'},
    {"used_memory_rss", 'i'},
    {"used_memory_scripts", 'i'},
    {"used_memory_startup", 'i'},
};

// d as an int64: truncated toward zero, saturated at the ends of the
// range, NaN as 0 (a plain cast of a double out of range is undefined).
int64_t saturated_int64(double d) {
  constexpr double kTwo63 = 9223372036854775808.0;  // 2^63, exact as a double
  if (std::isnan(d)) return 0;
  if (d >= kTwo63) return std::numeric_limits<int64_t>::max();
  if (d < -kTwo63) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

// Converts v to the fixed type, as Telegraf's coerceType does.
Value coerce(const Value& v, char type) {
  switch (type) {
    case 'i':
      if (auto* d = std::get_if<double>(&v)) return saturated_int64(*d);
      if (auto* s = std::get_if<std::string>(&v)) return parse_int64(*s).value_or(0);
      return v;
    case 'f':
      if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
      if (auto* s = std::get_if<std::string>(&v)) return parse_float64(*s).value_or(0.0);
      return v;
    default:
      if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
      if (auto* d = std::get_if<double>(&v)) {
        char buf[64];
        snprintf(buf, sizeof buf, "%f", *d);
        return std::string(buf);
      }
      return v;
  }
}

// Splits "k1=v1,k2=v2" into pairs (parts without exactly one '=' skipped).
std::vector<std::pair<std::string_view, std::string_view>> split_kv(std::string_view s) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view part = s.substr(0, comma);
    s.remove_prefix(comma == std::string_view::npos ? s.size() : comma + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos || part.find('=', eq + 1) != std::string_view::npos) continue;
    out.emplace_back(part.substr(0, eq), part.substr(eq + 1));
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<Tag> with_tag(std::vector<Tag> tags, std::string key, std::string value) {
  for (auto& t : tags) {
    if (t.key == key) {
      t.value = std::move(value);
      return tags;
    }
  }
  tags.push_back({std::move(key), std::move(value)});
  return tags;
}

void keyspace_line(std::string_view name, std::string_view line, const std::vector<Tag>& tags,
                   Accumulator& acc) {
  if (line.find("keys=") == std::string_view::npos) return;
  std::vector<Field> fields;
  for (auto [k, v] : split_kv(line)) {
    if (auto i = parse_int64(v)) fields.push_back({std::string(k), *i});
  }
  add_point(acc, "redis_keyspace", with_tag(tags, "database", std::string(name)),
            std::move(fields));
}

void cmdstat_line(std::string_view name, std::string_view line, const std::vector<Tag>& tags,
                  Accumulator& acc) {
  if (name.substr(0, 7) != "cmdstat") return;
  if (name.substr(0, 8) == "cmdstat_") name.remove_prefix(8);
  std::vector<Field> fields;
  for (auto [k, v] : split_kv(line)) {
    if (k == "calls" || k == "usec") {
      if (auto i = parse_int64(v)) fields.push_back({std::string(k), *i});
    } else if (k == "usec_per_call") {
      if (auto d = parse_float64(v)) fields.push_back({std::string(k), *d});
    }
  }
  add_point(acc, "redis_cmdstat", with_tag(tags, "command", std::string(name)), std::move(fields));
}

void replication_line(std::string_view name, std::string_view line, const std::vector<Tag>& tags,
                      Accumulator& acc) {
  std::vector<Tag> t = with_tag(tags, "replica_id", std::string(name.substr(5)));
  t = with_tag(std::move(t), "replication_role", "slave");
  std::vector<Field> fields;
  for (auto [k, v] : split_kv(line)) {
    if (k == "ip") {
      t = with_tag(std::move(t), "replica_ip", std::string(v));
    } else if (k == "port") {
      t = with_tag(std::move(t), "replica_port", std::string(v));
    } else if (k == "state") {
      t = with_tag(std::move(t), "state", std::string(v));
    } else if (auto i = parse_int64(v)) {
      fields.push_back({std::string(k), *i});
    }
  }
  add_point(acc, "redis_replication", std::move(t), std::move(fields));
}

void errorstat_line(std::string_view name, std::string_view line, const std::vector<Tag>& tags,
                    Accumulator& acc) {
  if (name.substr(0, 10) == "errorstat_") name.remove_prefix(10);
  size_t eq = line.find('=');
  if (eq == std::string_view::npos) return;
  size_t end = line.find('=', eq + 1);
  auto i = parse_int64(line.substr(eq + 1, end == std::string_view::npos ? end : end - eq - 1));
  if (!i) return;
  add_point(acc, "redis_errorstat", with_tag(tags, "err", std::string(name)), {{"total", *i}});
}

// latency_percentiles_usec_get:p50=4.015,p99=5.023,p99.9=5.023
void latency_line(std::string_view name, std::string_view line, const std::vector<Tag>& tags,
                  Accumulator& acc) {
  constexpr std::string_view kPrefix = "latency_percentiles_usec_";
  if (name.substr(0, kPrefix.size()) != kPrefix) return;
  std::vector<Field> fields;
  for (auto [k, v] : split_kv(line)) {
    if (auto d = parse_float64(v)) fields.push_back({std::string(k), *d});
  }
  add_point(acc, "redis_latency_percentiles_usec",
            with_tag(tags, "command", std::string(name.substr(kPrefix.size()))), std::move(fields));
}

bool is_slave_n(std::string_view name) {
  return name.size() > 5 && name.substr(0, 5) == "slave" &&
         std::isdigit(static_cast<unsigned char>(name[5]));
}

}  // namespace

void parse_redis_info(std::string_view info, const std::vector<Tag>& base_tags, int64_t now_s,
                      Accumulator& acc) {
  std::vector<Tag> tags = base_tags;
  std::vector<Field> fields;
  std::map<std::string, size_t, std::less<>> index;  // field name -> position
  auto set = [&](std::string key, Value v) {
    auto it = index.find(key);
    if (it != index.end()) {
      fields[it->second].value = std::move(v);
    } else {
      index.emplace(key, fields.size());
      fields.push_back({std::move(key), std::move(v)});
    }
  };
  std::string section;
  int64_t hits = 0, misses = 0;
  while (!info.empty()) {
    std::string_view line = next_line(&info);
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (line.size() > 2) section = std::string(line.substr(2));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::string_view val = trim(line.substr(colon + 1));
    if (section == "Server" && name != "lru_clock" && name != "uptime_in_seconds" &&
        name != "redis_version") {
      continue;
    }
    if (name.substr(0, 13) == "master_replid" || name == "mem_allocator") continue;
    if (name.size() >= 6 && name.substr(name.size() - 6) == "_human") continue;
    std::string metric;
    if (name == "uptime_in_seconds") {
      metric = "uptime";
    } else if (name == "connected_clients") {
      metric = "clients";
    } else if (name == "role") {
      metric = "replication_role";
    } else if (section == "Keyspace") {
      keyspace_line(name, val, tags, acc);
      continue;
    } else if (section == "Commandstats") {
      cmdstat_line(name, val, tags, acc);
      continue;
    } else if (section == "Replication" && is_slave_n(name)) {
      replication_line(name, val, tags, acc);
      continue;
    } else if (section == "Errorstats") {
      errorstat_line(name, val, tags, acc);
      continue;
    } else if (section == "Latencystats") {
      latency_line(name, val, tags, acc);
      continue;
    } else {
      metric = std::string(name);
    }
    if (!val.empty() && val.back() == '%') val.remove_suffix(1);
    if (auto i = parse_int64(val)) {
      if (name == "keyspace_hits") hits = *i;
      if (name == "keyspace_misses") misses = *i;
      int64_t elapsed = 0;
      if (name == "rdb_last_save_time" && !__builtin_sub_overflow(now_s, *i, &elapsed)) {
        set("rdb_last_save_time_elapsed", elapsed);
      }
      set(std::move(metric), *i);
    } else if (auto d = parse_float64(val)) {
      set(std::move(metric), *d);
    } else if (name == "role") {
      tags = with_tag(std::move(tags), "replication_role", std::string(val));
    } else {
      set(std::move(metric), std::string(val));
    }
  }
  double hitrate = 0;
  if (hits != 0 || misses != 0) {
    double h = static_cast<double>(hits), m = static_cast<double>(misses);  // h + m: no overflow
    hitrate = h / (h + m);
  }
  set("keyspace_hitrate", hitrate);
  for (auto& f : fields) {
    auto it =
        std::lower_bound(std::begin(kRedisTypes), std::end(kRedisTypes), f.key,
                         [](const FieldType1& t, const std::string& k) { return t.name < k; });
    if (it != std::end(kRedisTypes) && it->name == f.key) f.value = coerce(f.value, it->type);
  }
  add_point(acc, "redis", std::move(tags), std::move(fields));
}

}  // namespace tsd::collect
