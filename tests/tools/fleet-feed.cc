// fleet-feed: a deterministic, optionally paced feed of Telegraf's `mysql`
// measurement (SHOW GLOBAL STATUS, Telegraf's lower-cased names) from a
// fleet of database servers, one line per server per second, as line
// protocol on stdout or posted to an InfluxDB 1.x like Telegraf does.
//
//   fleet-feed --servers 200 --fields 300 --seconds 90 --seed 1
//              [--start TIME|now] [--pace]
//              [--url http://127.0.0.1:PORT --db NAME]
//
//   mysql,host=db-001,server=127.0.0.1:3306 aborted_clients=3i,bytes_received=...i <ns>
//
// Every second (timestamps in ns at whole seconds) has one line per server,
// servers in order. The --fields field names are real GLOBAL STATUS names
// (then derived ones such as handler_x_217), written in alphabetical order;
// every value is an integer. The value model:
//   ~45 % constant or rarely changing: error and lost-event counters that
//         stay 0, configuration-like values, counters that move once in
//         minutes (aborted_clients, commands_create_table, threads_created)
//   ~35 % monotonic counters: a per-field rate (0.1/s to 100,000/s,
//         bytes_sent highest) times a per-server factor, with noise;
//         fractions carry over, so a 0.1/s counter steps by 1 every ~10 s
//   ~20 % gauges: a bounded random walk (threads_connected,
//         innodb_buffer_pool_pages_free, ...)
// Deterministic: the field schedule depends on the seed and the field's
// rank only, server N's values on the seed, N and --fields (see tool_rng.h).
//
// --start: the first timestamp (RFC 3339, an epoch such as 1600000000s, or
// now(): tsd's time syntax), or `now` (default): the current wall second.
// --pace: each second's lines go out at their wall-clock second (the first
// at once when --start is now, else at the next whole second), flushed, so
// a pipe into tsd-write sees live 1 s data; without it, as fast as it can.
// --url, --db: instead of stdout, POST each second's lines to /write
// (precision=ns) in one request, over one keep-alive connection; the
// database is created first. A non-204 answer is reported and makes the
// exit status 1.
// At the end a summary goes to stderr: lines, values, seconds, wall time,
// the largest lag behind the pace, failed POSTs.
#include <time.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "influx_client.h"
#include "tool_out.h"
#include "tool_rng.h"

namespace {

using tsd_tools::Rng;
using tsd_tools::splitmix64;

constexpr const char* kProg = "fleet-feed";

// How a field moves.
enum class Kind : char {
  kZero = 'z',     // stays 0 (errors, lost events)
  kFixed = 'f',    // a configuration-like value; scale: the value
  kRare = 'r',     // +1 now and then; scale: log10 of the mean seconds between steps
  kUptime = 'u',   // +1 each second
  kCounter = 'c',  // scale: log10 of the rate per second
  kGauge = 'g',    // bounded random walk; scale: log10 of the upper bound
};

struct FieldSpec {
  const char* name;
  Kind kind;
  double scale;
};

constexpr Kind z = Kind::kZero, f = Kind::kFixed, r = Kind::kRare, u = Kind::kUptime,
               c = Kind::kCounter, g = Kind::kGauge;

// clang-format off
// Constant or rarely changing (about 45 % of the fields).
constexpr FieldSpec kConstants[] = {
    {"aborted_clients", r, 2.3}, {"aborted_connects", r, 2.8},
    {"max_used_connections", r, 3.5}, {"threads_created", r, 2.5},
    {"innodb_page_size", f, 16384}, {"innodb_buffer_pool_pages_total", f, 786432},
    {"slow_launch_threads", z, 0}, {"connection_errors_max_connections", z, 0},
    {"connection_errors_internal", z, 0}, {"connection_errors_accept", z, 0},
    {"connection_errors_peer_address", z, 0}, {"connection_errors_select", z, 0},
    {"connection_errors_tcpwrap", z, 0}, {"commands_create_table", r, 3.3},
    {"commands_drop_table", r, 3.5}, {"commands_alter_table", r, 3.6},
    {"commands_truncate", r, 3.4}, {"commands_kill", r, 3.0}, {"commands_flush", r, 3.2},
    {"commands_grant", r, 3.8}, {"commands_create_user", r, 3.9},
    {"commands_lock_tables", r, 3.1}, {"commands_unlock_tables", r, 3.1},
    {"commands_analyze", r, 3.7}, {"commands_show_grants", r, 2.9},
    {"commands_show_create_table", r, 2.7}, {"commands_show_master_status", r, 2.6},
    {"commands_show_binlogs", r, 2.8}, {"commands_show_keys", r, 3.0},
    {"commands_show_table_status", r, 2.9}, {"commands_call_procedure", r, 2.4},
    {"commands_purge_before_date", r, 3.6}, {"commands_savepoint", r, 2.6},
    {"commands_release_savepoint", r, 2.7}, {"commands_delete_multi", r, 2.5},
    {"commands_update_multi", r, 2.4}, {"commands_prepare_sql", r, 2.9},
    {"commands_execute_sql", r, 2.8}, {"commands_dealloc_sql", r, 2.9},
    {"commands_stmt_fetch", r, 3.1}, {"commands_load", r, 3.7}, {"flush_commands", r, 3.9},
    {"created_tmp_files", r, 2.2}, {"qcache_lowmem_prunes", r, 2.6},
    {"select_full_range_join", r, 2.5}, {"handler_mrr_init", r, 3.0},
    {"innodb_buffer_pool_wait_free", z, 0}, {"innodb_log_waits", z, 0},
    {"innodb_truncated_status_writes", z, 0}, {"innodb_available_undo_logs", f, 128},
    {"innodb_have_atomic_builtins", f, 1}, {"ssl_session_cache_size", f, 128},
    {"ssl_default_timeout", f, 7200}, {"ssl_ctx_verify_depth", f, 100},
    {"ssl_ctx_verify_mode", f, 5}, {"ssl_verify_depth", z, 0}, {"ssl_verify_mode", z, 0},
    {"tc_log_page_size", z, 0}, {"tc_log_max_pages_used", z, 0}, {"tc_log_page_waits", z, 0},
    {"rpl_semi_sync_master_status", f, 1}, {"rpl_semi_sync_master_clients", f, 2},
    {"delayed_errors", z, 0}, {"delayed_insert_threads", z, 0}, {"delayed_writes", z, 0},
    {"not_flushed_delayed_rows", z, 0}, {"handler_discover", z, 0},
    {"handler_savepoint", z, 0}, {"handler_savepoint_rollback", z, 0},
    {"locked_connects", z, 0}, {"max_execution_time_exceeded", z, 0},
    {"max_execution_time_set", z, 0}, {"max_execution_time_set_failed", z, 0},
    {"select_range_check", z, 0}, {"slave_open_temp_tables", z, 0}, {"open_streams", z, 0},
    {"ssl_accept_renegotiates", z, 0}, {"ssl_accepts", z, 0},
    {"ssl_callback_cache_hits", z, 0}, {"ssl_client_connects", z, 0},
    {"ssl_connect_renegotiates", z, 0}, {"ssl_finished_accepts", z, 0},
    {"ssl_finished_connects", z, 0}, {"ssl_session_cache_hits", z, 0},
    {"ssl_session_cache_misses", z, 0}, {"ssl_session_cache_overflows", z, 0},
    {"ssl_session_cache_timeouts", z, 0}, {"ssl_sessions_reused", z, 0},
    {"ssl_used_session_cache_entries", z, 0}, {"commands_create_db", z, 0},
    {"commands_drop_db", z, 0}, {"commands_revoke", z, 0}, {"commands_drop_user", z, 0},
    {"commands_optimize", z, 0}, {"commands_repair", z, 0}, {"commands_check", z, 0},
    {"commands_rename_table", z, 0}, {"commands_create_index", z, 0},
    {"commands_drop_index", z, 0}, {"commands_create_view", z, 0},
    {"commands_drop_view", z, 0}, {"commands_create_trigger", z, 0},
    {"commands_drop_trigger", z, 0}, {"commands_create_procedure", z, 0},
    {"commands_drop_procedure", z, 0}, {"commands_create_event", z, 0},
    {"commands_drop_event", z, 0}, {"commands_install_plugin", z, 0},
    {"commands_uninstall_plugin", z, 0}, {"commands_shutdown", z, 0},
    {"commands_reset", z, 0}, {"commands_purge", z, 0}, {"commands_change_master", z, 0},
    {"commands_slave_start", z, 0}, {"commands_slave_stop", z, 0},
    {"commands_xa_commit", z, 0}, {"commands_xa_end", z, 0}, {"commands_xa_prepare", z, 0},
    {"commands_xa_recover", z, 0}, {"commands_xa_rollback", z, 0},
    {"commands_xa_start", z, 0}, {"commands_help", z, 0}, {"commands_show_plugins", z, 0},
    {"commands_show_privileges", z, 0}, {"commands_show_triggers", z, 0},
    {"commands_show_events", z, 0}, {"commands_show_charsets", z, 0},
    {"commands_show_collations", z, 0}, {"commands_show_open_tables", z, 0},
    {"commands_show_profile", z, 0}, {"commands_show_profiles", z, 0},
    {"commands_show_errors", z, 0}, {"commands_show_function_status", z, 0},
    {"commands_show_procedure_status", z, 0}, {"commands_show_create_db", z, 0},
    {"commands_show_create_user", z, 0}, {"commands_show_engine_logs", z, 0},
    {"commands_show_engine_mutex", z, 0}, {"commands_show_storage_engines", z, 0},
    {"commands_show_create_func", z, 0}, {"commands_show_create_proc", z, 0},
    {"commands_show_create_trigger", z, 0}, {"commands_show_create_event", z, 0},
    {"commands_show_relaylog_events", z, 0}, {"commands_show_slave_hosts", z, 0},
    {"commands_show_binlog_events", z, 0}, {"commands_signal", z, 0},
    {"commands_resignal", z, 0}, {"commands_get_diagnostics", z, 0},
    {"commands_rollback_to_savepoint", z, 0}, {"commands_set_password", z, 0},
    {"commands_alter_user", z, 0}, {"commands_alter_db", z, 0},
    {"commands_alter_event", z, 0}, {"commands_alter_function", z, 0},
    {"commands_alter_procedure", z, 0}, {"commands_alter_server", z, 0},
    {"commands_alter_tablespace", z, 0}, {"commands_binlog", z, 0},
    {"commands_assign_to_keycache", z, 0}, {"commands_checksum", z, 0},
    {"commands_create_function", z, 0}, {"commands_create_server", z, 0},
    {"commands_create_udf", z, 0}, {"commands_do", z, 0}, {"commands_drop_function", z, 0},
    {"commands_drop_server", z, 0}, {"commands_empty_query", z, 0},
    {"commands_ha_close", z, 0}, {"commands_ha_open", z, 0}, {"commands_ha_read", z, 0},
    {"commands_stmt_reprepare", z, 0}, {"commands_stmt_reset", z, 0},
    {"commands_stmt_send_long_data", z, 0}, {"commands_preload_keys", z, 0},
    {"commands_rename_user", z, 0}, {"commands_replace_select", z, 0},
    {"commands_explain_other", z, 0}, {"performance_schema_accounts_lost", z, 0},
    {"performance_schema_cond_classes_lost", z, 0},
    {"performance_schema_cond_instances_lost", z, 0},
    {"performance_schema_digest_lost", z, 0},
    {"performance_schema_file_classes_lost", z, 0},
    {"performance_schema_file_handles_lost", z, 0},
    {"performance_schema_file_instances_lost", z, 0},
    {"performance_schema_hosts_lost", z, 0},
    {"performance_schema_index_stat_lost", z, 0},
    {"performance_schema_locker_lost", z, 0},
    {"performance_schema_memory_classes_lost", z, 0},
    {"performance_schema_metadata_lock_lost", z, 0},
    {"performance_schema_mutex_classes_lost", z, 0},
    {"performance_schema_mutex_instances_lost", z, 0},
    {"performance_schema_nested_statement_lost", z, 0},
    {"performance_schema_prepared_statements_lost", z, 0},
    {"performance_schema_program_lost", z, 0},
    {"performance_schema_rwlock_classes_lost", z, 0},
    {"performance_schema_rwlock_instances_lost", z, 0},
    {"performance_schema_session_connect_attrs_lost", z, 0},
    {"performance_schema_socket_classes_lost", z, 0},
    {"performance_schema_socket_instances_lost", z, 0},
    {"performance_schema_stage_classes_lost", z, 0},
    {"performance_schema_statement_classes_lost", z, 0},
    {"performance_schema_table_handles_lost", z, 0},
    {"performance_schema_table_instances_lost", z, 0},
    {"performance_schema_table_lock_stat_lost", z, 0},
    {"performance_schema_thread_classes_lost", z, 0},
    {"performance_schema_thread_instances_lost", z, 0},
    {"performance_schema_users_lost", z, 0},
};

// Monotonic counters (about 35 %).
constexpr FieldSpec kCounters[] = {
    {"bytes_sent", c, 5.0}, {"bytes_received", c, 4.6}, {"commands_select", c, 3.0},
    {"commands_insert", c, 2.5}, {"commands_update", c, 2.3}, {"commands_delete", c, 1.5},
    {"questions", c, 3.3}, {"queries", c, 3.35}, {"slow_queries", c, -0.9},
    {"innodb_rows_read", c, 4.7}, {"innodb_buffer_pool_reads", c, 1.4},
    {"innodb_buffer_pool_read_requests", c, 4.9}, {"handler_read_rnd_next", c, 4.8},
    {"created_tmp_tables", c, 1.5}, {"uptime", u, 0}, {"connections", c, 0.7},
    {"commands_begin", c, 2.0}, {"commands_commit", c, 2.2}, {"commands_rollback", c, 0.3},
    {"commands_replace", c, 0.5}, {"commands_insert_select", c, 0},
    {"commands_set_option", c, 2.4}, {"commands_show_status", c, -0.3},
    {"commands_show_variables", c, -0.5}, {"commands_show_slave_status", c, -0.5},
    {"commands_show_processlist", c, -1}, {"commands_show_engine_status", c, -1},
    {"commands_show_warnings", c, 0.2}, {"commands_show_tables", c, -0.8},
    {"commands_show_fields", c, -0.6}, {"commands_show_databases", c, -1},
    {"commands_change_db", c, 1.0}, {"commands_stmt_execute", c, 2.8},
    {"commands_stmt_prepare", c, 1.8}, {"commands_stmt_close", c, 1.8},
    {"commands_admin_commands", c, 0.5}, {"created_tmp_disk_tables", c, 0.2},
    {"handler_commit", c, 2.5}, {"handler_delete", c, 1.6}, {"handler_external_lock", c, 3.4},
    {"handler_prepare", c, 2.3}, {"handler_read_first", c, 1.2}, {"handler_read_key", c, 3.8},
    {"handler_read_last", c, 0.4}, {"handler_read_next", c, 4.4}, {"handler_read_prev", c, 2.2},
    {"handler_read_rnd", c, 2.5}, {"handler_rollback", c, 0.5}, {"handler_update", c, 2.6},
    {"handler_write", c, 3.2}, {"handler_icp_attempts", c, 2.5}, {"handler_icp_match", c, 2.4},
    {"innodb_buffer_pool_pages_flushed", c, 1.8}, {"innodb_buffer_pool_read_ahead", c, 0.8},
    {"innodb_buffer_pool_read_ahead_evicted", c, -0.4},
    {"innodb_buffer_pool_write_requests", c, 3.6},
    {"innodb_buffer_pool_pages_made_young", c, 1.5},
    {"innodb_buffer_pool_pages_made_not_young", c, 2.0}, {"innodb_data_fsyncs", c, 1.2},
    {"innodb_data_read", c, 4.5}, {"innodb_data_reads", c, 1.5}, {"innodb_data_writes", c, 2.0},
    {"innodb_data_written", c, 4.7}, {"innodb_dblwr_pages_written", c, 1.7},
    {"innodb_dblwr_writes", c, 0.6}, {"innodb_log_write_requests", c, 3.1},
    {"innodb_log_writes", c, 1.9}, {"innodb_os_log_fsyncs", c, 1.3},
    {"innodb_os_log_written", c, 4.4}, {"innodb_pages_created", c, 0.9},
    {"innodb_pages_read", c, 1.5}, {"innodb_pages_written", c, 1.8},
    {"innodb_rows_deleted", c, 1.6}, {"innodb_rows_inserted", c, 2.6},
    {"innodb_rows_updated", c, 2.4}, {"innodb_row_lock_time", c, 1.0},
    {"innodb_row_lock_waits", c, -0.5}, {"key_read_requests", c, 2.0}, {"key_reads", c, 0},
    {"key_write_requests", c, 1.0}, {"key_writes", c, 0.2}, {"opened_files", c, 0.3},
    {"opened_table_definitions", c, -1}, {"opened_tables", c, -0.7},
    {"select_full_join", c, -0.2}, {"select_range", c, 1.6}, {"select_scan", c, 1.9},
    {"sort_merge_passes", c, -0.8}, {"sort_range", c, 1.0}, {"sort_rows", c, 3.4},
    {"sort_scan", c, 1.3}, {"table_locks_immediate", c, 2.6}, {"table_locks_waited", c, -1},
    {"table_open_cache_hits", c, 3.3}, {"table_open_cache_misses", c, -0.7},
    {"table_open_cache_overflows", c, -1}, {"binlog_cache_use", c, 2.0},
    {"binlog_stmt_cache_use", c, 0.4}, {"binlog_cache_disk_use", c, -1},
    {"uptime_since_flush_status", u, 0},
};

// Gauges (about 20 %).
constexpr FieldSpec kGauges[] = {
    {"threads_connected", g, 2.5}, {"threads_running", g, 1.5}, {"threads_cached", g, 1.2},
    {"innodb_buffer_pool_pages_free", g, 4.5}, {"innodb_buffer_pool_pages_data", g, 5.5},
    {"innodb_buffer_pool_pages_dirty", g, 3.8}, {"innodb_buffer_pool_pages_misc", g, 3.2},
    {"innodb_buffer_pool_bytes_data", g, 10.3}, {"innodb_buffer_pool_bytes_dirty", g, 7.8},
    {"innodb_buffer_pool_pages_old", g, 5.0}, {"innodb_data_pending_fsyncs", g, 0.5},
    {"innodb_data_pending_reads", g, 0.7}, {"innodb_data_pending_writes", g, 0.7},
    {"innodb_os_log_pending_fsyncs", g, 0.3}, {"innodb_os_log_pending_writes", g, 0.3},
    {"innodb_row_lock_current_waits", g, 0.8}, {"innodb_num_open_files", g, 2.6},
    {"open_files", g, 2.3}, {"open_tables", g, 3.3}, {"open_table_definitions", g, 3.0},
    {"key_blocks_unused", g, 4.3}, {"key_blocks_used", g, 3.5},
    {"key_blocks_not_flushed", g, 1.5}, {"qcache_free_memory", g, 7.2},
    {"qcache_free_blocks", g, 3.0}, {"qcache_queries_in_cache", g, 3.7},
    {"qcache_total_blocks", g, 4.0}, {"prepared_stmt_count", g, 2.5},
    {"innodb_mem_adaptive_hash", g, 8.0}, {"innodb_mem_dictionary", g, 7.5},
    {"innodb_history_list_length", g, 4.0}, {"mysqlx_worker_threads_active", g, 0.6},
};
// clang-format on

// A field of the feed: its name and how it moves (the same on every server).
struct Field {
  std::string name;
  Kind kind;
  double scale;
};

// The schedule: field i goes to the class furthest behind its share
// (45/35/20), takes that class's next real name, then derived ones.
std::vector<Field> make_fields(int count, uint64_t seed) {
  constexpr double kShare[3] = {0.45, 0.35, 0.20};
  const FieldSpec* lists[3] = {kConstants, kCounters, kGauges};
  const size_t sizes[3] = {std::size(kConstants), std::size(kCounters), std::size(kGauges)};
  size_t used[3] = {0, 0, 0};
  std::vector<Field> out;
  for (int i = 0; i < count; ++i) {
    int cls = 0;
    double behind = -1e9;
    for (int k = 0; k < 3; ++k) {
      double b = kShare[k] * (i + 1) - static_cast<double>(used[k]);
      if (b > behind) behind = b, cls = k;
    }
    const size_t n = used[cls]++;
    if (n < sizes[cls]) {
      out.push_back({lists[cls][n].name, lists[cls][n].kind, lists[cls][n].scale});
      continue;
    }
    // Past the real names: a derived one, its scale drawn from the field's own stream.
    uint64_t mix = seed ^ (0x9e6c63d0676a9a99ULL * static_cast<uint64_t>(i + 1));
    Rng rng(splitmix64(mix));
    const std::string id = std::to_string(i);
    if (cls == 0) {
      const double d = rng.uniform();
      if (d < 0.6) {
        out.push_back({"performance_schema_x_" + id + "_lost", Kind::kZero, 0});
      } else if (d < 0.8) {
        out.push_back({"ssl_x_" + id, Kind::kFixed, std::round(std::pow(10.0, 4 * rng.uniform()))});
      } else {
        out.push_back({"aborted_x_" + id, Kind::kRare, 2 + 2 * rng.uniform()});
      }
    } else if (cls == 1) {
      out.push_back({"handler_x_" + id, Kind::kCounter, -1 + 6 * rng.uniform()});
    } else {
      out.push_back({"innodb_x_" + id + "_pages", Kind::kGauge, 0.3 + 6 * rng.uniform()});
    }
  }
  std::sort(out.begin(), out.end(), [](const Field& a, const Field& b) { return a.name < b.name; });
  return out;
}

// One server's state of one field.
struct Value {
  double v = 0;     // the value (written truncated to an integer)
  double rate = 0;  // counter: per second; gauge: step deviation; rare: chance per second
  double hi = 0;    // gauge: upper bound
};

struct Server {
  explicit Server(uint64_t seed) : rng(seed) {}
  Rng rng;
  std::string series;  // "mysql,host=db-001,server=127.0.0.1:3306 "
  std::vector<Value> values;
};

// 10^(lo + (hi - lo) u): log-uniform factors.
double log_uniform(Rng& rng, double lo, double hi) {
  return std::pow(10.0, lo + (hi - lo) * rng.uniform());
}

Server make_server(uint64_t seed, int index, const std::vector<Field>& fields) {
  uint64_t mix = seed ^ (0x51ed2701f3a5c7b9ULL * static_cast<uint64_t>(index + 1));
  Server s(splitmix64(mix));
  Rng& rng = s.rng;
  char host[32];
  std::snprintf(host, sizeof host, "db-%03d", index + 1);
  s.series = std::string("mysql,host=") + host + ",server=127.0.0.1:3306 ";
  const double load = log_uniform(rng, -0.3, 0.3);          // a busier or quieter server
  const double uptime = 86400 * (1 + 199 * rng.uniform());  // 1 to 200 days
  s.values.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& fd = fields[i];
    Value& v = s.values[i];
    switch (fd.kind) {
      case Kind::kZero:
        break;
      case Kind::kFixed:  // the fleet shares its configuration, a fifth of it doubled
        v.v = fd.scale * (rng.uniform() < 0.2 ? 2 : 1);
        break;
      case Kind::kRare:
        v.rate = 1 / std::pow(10.0, fd.scale);
        v.v = std::floor(uptime * v.rate * rng.uniform());
        break;
      case Kind::kUptime:
        v.rate = 1;
        v.v = std::floor(uptime);
        break;
      case Kind::kCounter:
        v.rate = std::pow(10.0, fd.scale) * load * log_uniform(rng, -0.15, 0.15);
        v.v = std::floor(uptime * v.rate * (0.5 + rng.uniform()));
        break;
      case Kind::kGauge:
        v.hi = std::pow(10.0, fd.scale) * log_uniform(rng, -0.2, 0.2);
        v.v = v.hi * rng.uniform();
        v.rate = v.hi * (0.005 + 0.03 * rng.uniform());
        break;
    }
  }
  return s;
}

// Moves server s's values one second on.
void step(Server& s, const std::vector<Field>& fields) {
  Rng& rng = s.rng;
  for (size_t i = 0; i < fields.size(); ++i) {
    Value& v = s.values[i];
    switch (fields[i].kind) {
      case Kind::kZero:
      case Kind::kFixed:
        break;
      case Kind::kRare:
        if (rng.uniform() < v.rate) v.v += 1 + rng.below(3);
        break;
      case Kind::kUptime:
        v.v += 1;
        break;
      case Kind::kCounter:  // the fraction carries in v (written truncated)
        v.v += std::max(0.0, v.rate * (1 + 0.25 * rng.normal()));
        break;
      case Kind::kGauge:
        v.v = std::clamp(v.v + v.rate * rng.normal(), 0.0, v.hi);
        break;
    }
  }
}

void append_line(std::string& out, const Server& s, const std::vector<std::string>& keys,
                 const char* ts, size_t ts_len) {
  out += s.series;
  char num[24];
  for (size_t i = 0; i < keys.size(); ++i) {
    out += keys[i];
    char* e = std::to_chars(num, num + sizeof num, static_cast<int64_t>(s.values[i].v)).ptr;
    out.append(num, static_cast<size_t>(e - num));
    out += 'i';
  }
  out += ' ';
  out.append(ts, ts_len);
  out += '\n';
}

void sleep_until(int64_t wall_ns) {
  timespec ts{static_cast<time_t>(wall_ns / tsd::kSecond),
              static_cast<long>(wall_ns % tsd::kSecond)};
  while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Feeds Telegraf-style mysql metrics of a fleet of servers, one line per server per second."};
  int servers = 200, nfields = 300;
  int64_t seconds = 90;
  uint64_t seed = 1;
  bool pace = false;
  std::string start_s = "now", url, db;
  app.add_option("--servers", servers, "number of servers (host=db-001...)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--fields", nfields, "fields per line")->check(CLI::Range(1, 100000));
  app.add_option("--seconds", seconds, "seconds of data")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  app.add_option("--seed", seed, "seed of the value model");
  app.add_option(
      "--start", start_s,
      "first timestamp: `now` (the current second) or a time (RFC 3339, epoch, now() - 1h)");
  app.add_flag("--pace", pace, "emit each second's lines at that wall-clock second");
  app.add_option("--url", url,
                 "POST to this InfluxDB 1.x (/write, one request a second) instead of stdout");
  app.add_option("--db", db, "database for --url (created first)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (url.empty() != db.empty()) {
    std::fprintf(stderr, "%s: --url and --db go together\n", kProg);
    return 2;
  }
  const int64_t now = tsd::now_ns();
  int64_t start = now;
  if (start_s != "now") {
    auto t = tsd::parse_time(start_s, now);
    if (!t.ok()) {
      std::fprintf(stderr, "%s: bad --start: %s\n", kProg, t.status().to_string().c_str());
      return 2;
    }
    start = *t;
  }
  start -= ((start % tsd::kSecond) + tsd::kSecond) % tsd::kSecond;  // whole seconds
  // With --pace, second k goes out at wall time wall0 + k s.
  const int64_t wall0 = start_s == "now" ? start : (now / tsd::kSecond + 1) * tsd::kSecond;

  const std::vector<Field> fields = make_fields(nfields, seed);
  std::vector<std::string> keys;  // "name=", ",name=" ...
  for (size_t i = 0; i < fields.size(); ++i) keys.push_back((i ? "," : "") + fields[i].name + "=");
  std::vector<Server> fleet;
  fleet.reserve(static_cast<size_t>(servers));
  for (int i = 0; i < servers; ++i) fleet.push_back(make_server(seed, i, fields));

  std::optional<tsd_tools::Client> client;
  std::string write_url;
  if (!url.empty()) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!tsd_tools::create_database(url, db, kProg)) return 1;
    write_url = tsd_tools::write_url(url, db, "ns");
    client.emplace();
  }

  long long lines = 0, failed = 0;
  int64_t max_lag = 0;
  std::string body;
  const int64_t t0 = tsd::now_ns();
  for (int64_t k = 0; k < seconds; ++k) {
    if (pace) {
      const int64_t due = wall0 + k * tsd::kSecond;
      sleep_until(due);
      if (k > 0) max_lag = std::max(max_lag, tsd::now_ns() - due);  // k = 0: at once
    }
    char ts[24];
    const size_t ts_len =
        static_cast<size_t>(std::to_chars(ts, ts + sizeof ts, start + k * tsd::kSecond).ptr - ts);
    body.clear();
    for (Server& s : fleet) {
      append_line(body, s, keys, ts, ts_len);
      step(s, fields);
    }
    lines += servers;
    if (!client) {
      tsd_tools::write_all(1, body.data(), body.size(), kProg);
      continue;
    }
    const long status = client->post(write_url, body);
    if (status != 204 && failed++ < 10)
      std::fprintf(stderr, "%s: /write: HTTP %ld: %.300s\n", kProg, status, client->body().c_str());
  }
  const double wall = static_cast<double>(tsd::now_ns() - t0) / tsd::kSecond;
  client.reset();
  if (!url.empty()) curl_global_cleanup();
  std::fprintf(
      stderr, "%s: %lld lines, %lld values, %lld seconds (%d servers x %d fields) in %.1f s", kProg,
      lines, lines * nfields, static_cast<long long>(seconds), servers, nfields, wall);
  if (pace)
    std::fprintf(stderr, ", at most %.0f ms behind the pace", static_cast<double>(max_lag) / 1e6);
  if (failed)
    std::fprintf(stderr, "; %lld of %lld POSTs failed", failed, static_cast<long long>(seconds));
  std::fputc('\n', stderr);
  return failed ? 1 : 0;
}
