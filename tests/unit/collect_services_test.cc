// The parsers of the service inputs, on text captured from real servers
// (memcached 1.6.18, Redis 7.0.15, ZooKeeper 3.8, nginx 1.22, MariaDB 10.11).
#include <gtest/gtest.h>

#include <limits>
#include <map>

#include "collect/service_dl.h"
#include "collect/service_inputs.h"
#include "collect/service_net.h"

namespace tsd::collect {
namespace {

class VecAcc : public Accumulator {
 public:
  using Accumulator::add;
  void add(Point p) override { points.push_back(std::move(p)); }
  std::vector<Point> points;
  // The points of one measurement.
  std::vector<const Point*> of(std::string_view m) const {
    std::vector<const Point*> out;
    for (const auto& p : points) {
      if (p.measurement == m) out.push_back(&p);
    }
    return out;
  }
};

const Value* find(const std::vector<Field>& fields, std::string_view key) {
  for (const auto& f : fields) {
    if (f.key == key) return &f.value;
  }
  return nullptr;
}

std::map<std::string, std::string> tag_map(const Point& p) {
  std::map<std::string, std::string> m;
  for (const auto& t : p.tags) m[t.key] = t.value;
  return m;
}

// -- memcached ---------------------------------------------------------------

constexpr std::string_view kStats =
    "STAT pid 12323\r\nSTAT uptime 42\r\nSTAT time 1795617258\r\n"
    "STAT version 1.6.18\r\nSTAT libevent 2.1.12-stable\r\nSTAT pointer_size 64\r\n"
    "STAT rusage_user 0.001234\r\nSTAT curr_connections 2\r\nSTAT total_connections 5\r\n"
    "STAT cmd_get 107\r\nSTAT cmd_set 1\r\nSTAT get_hits 100\r\nSTAT get_misses 7\r\n"
    "STAT bytes 68\r\nSTAT curr_items 1\r\nSTAT limit_maxbytes 67108864\r\n"
    "STAT evictions 0\r\nSTAT threads 4\r\nSTAT hash_is_expanding 0\r\n"
    "STAT accepting_conns 1\r\nEND\r\n";

TEST(Memcached, StatsKeepsTelegrafFieldsAsIntegers) {
  std::vector<Field> f;
  ASSERT_TRUE(parse_memcached_stats(kStats, &f).ok());
  // In Telegraf's (alphabetical) order; pid, time, version, rusage_user are not sent.
  std::vector<std::string> keys;
  for (const auto& x : f) keys.push_back(x.key);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "accepting_conns", "bytes", "cmd_get", "cmd_set", "curr_connections",
                      "curr_items", "evictions", "get_hits", "get_misses", "hash_is_expanding",
                      "limit_maxbytes", "threads", "total_connections", "uptime"}));
  EXPECT_EQ(*find(f, "get_hits"), Value(int64_t{100}));
  EXPECT_EQ(*find(f, "limit_maxbytes"), Value(int64_t{67108864}));
}

TEST(Memcached, NonIntegerValueStaysString) {
  std::vector<Field> f;
  ASSERT_TRUE(parse_memcached_stats("STAT threads many\r\nEND\r\n", &f).ok());
  EXPECT_EQ(*find(f, "threads"), Value(std::string("many")));
}

TEST(Memcached, BadReplies) {
  std::vector<Field> f;
  Status s = parse_memcached_stats("ERROR\r\n", &f);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "unexpected line in stats response: \"ERROR\"");
  EXPECT_FALSE(parse_memcached_stats("STAT uptime 1\r\n", &f).ok());  // no END
}

// -- redis -------------------------------------------------------------------

constexpr std::string_view kInfo =
    "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\nprocess_id:12317\r\n"
    "uptime_in_seconds:1\r\nuptime_in_days:0\r\nlru_clock:455146\r\nexecutable:/tmp/redis\r\n"
    "\r\n# Clients\r\nconnected_clients:1\r\nmaxclients:10000\r\nblocked_clients:0\r\n"
    "\r\n# Memory\r\nused_memory:966008\r\nused_memory_human:943.37K\r\n"
    "used_memory_peak_perc:100.19%\r\nmaxmemory_policy:noeviction\r\n"
    "allocator_frag_ratio:1.08\r\nallocator_frag_bytes:135968\r\nmem_fragmentation_ratio:7.94\r\n"
    "mem_allocator:jemalloc-5.3.0\r\n"
    "\r\n# Persistence\r\nrdb_last_save_time:1795617257\r\nrdb_last_bgsave_status:ok\r\n"
    "rdb_last_bgsave_time_sec:-1\r\ncurrent_fork_perc:0.00\r\n"
    "\r\n# Stats\r\ntotal_commands_processed:3\r\ninstantaneous_input_kbps:0.00\r\n"
    "keyspace_hits:1\r\nkeyspace_misses:3\r\n"
    "\r\n# Replication\r\nrole:master\r\nconnected_slaves:1\r\n"
    "slave0:ip=127.0.0.1,port=7379,state=online,offset=4556468,lag=0\r\n"
    "master_failover_state:no-failover\r\n"
    "master_replid:1d2b4434b05ca5e37722f6378c5ce71dda18d47b\r\nmaster_repl_offset:0\r\n"
    "\r\n# CPU\r\nused_cpu_sys:0.000827\r\nused_cpu_user_children:0.000000\r\n"
    "\r\n# Commandstats\r\n"
    "cmdstat_set:calls=1,usec=10,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n"
    "cmdstat_get:calls=2,usec=9,usec_per_call=4.50,rejected_calls=0,failed_calls=0\r\n"
    "\r\n# Errorstats\r\nerrorstat_ERR:count=37\r\n"
    "\r\n# Latencystats\r\nlatency_percentiles_usec_get:p50=4.015,p99=5.023,p99.9=5.023\r\n"
    "\r\n# Cluster\r\ncluster_enabled:0\r\n"
    "\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\ndb3:keys=20,expires=2,avg_ttl=1000\r\n";

TEST(Redis, InfoMainPoint) {
  VecAcc acc;
  parse_redis_info(kInfo, {{"port", "6379"}, {"server", "127.0.0.1"}}, 1795617300, acc);
  auto redis = acc.of("redis");
  ASSERT_EQ(redis.size(), 1u);
  const Point& p = *redis[0];
  EXPECT_EQ(tag_map(p),
            (std::map<std::string, std::string>{
                {"port", "6379"}, {"replication_role", "master"}, {"server", "127.0.0.1"}}));
  const auto& f = p.fields;
  EXPECT_EQ(*find(f, "redis_version"), Value(std::string("7.0.15")));
  EXPECT_EQ(*find(f, "uptime"), Value(int64_t{1}));  // uptime_in_seconds renamed
  EXPECT_EQ(*find(f, "lru_clock"), Value(int64_t{455146}));
  EXPECT_EQ(*find(f, "clients"), Value(int64_t{1}));  // connected_clients renamed
  EXPECT_EQ(*find(f, "maxclients"), Value(int64_t{10000}));
  EXPECT_EQ(*find(f, "used_memory"), Value(int64_t{966008}));
  EXPECT_EQ(*find(f, "used_memory_peak_perc"), Value(100.19));  // '%' dropped
  EXPECT_EQ(*find(f, "maxmemory_policy"), Value(std::string("noeviction")));
  EXPECT_EQ(*find(f, "allocator_frag_bytes"), Value(135968.0));  // a float for Telegraf
  EXPECT_EQ(*find(f, "mem_fragmentation_ratio"), Value(7.94));
  EXPECT_EQ(*find(f, "rdb_last_save_time_elapsed"), Value(int64_t{43}));
  EXPECT_EQ(*find(f, "rdb_last_bgsave_status"), Value(std::string("ok")));
  EXPECT_EQ(*find(f, "rdb_last_bgsave_time_sec"), Value(int64_t{-1}));
  EXPECT_EQ(*find(f, "current_fork_perc"), Value(0.0));
  EXPECT_EQ(*find(f, "instantaneous_input_kbps"), Value(0.0));
  EXPECT_EQ(*find(f, "used_cpu_user_children"), Value(0.0));
  EXPECT_EQ(*find(f, "master_failover_state"), Value(std::string("no-failover")));
  EXPECT_EQ(*find(f, "keyspace_hitrate"), Value(0.25));
  EXPECT_EQ(*find(f, "cluster_enabled"), Value(int64_t{0}));
  for (const char* gone : {"redis_mode", "process_id", "uptime_in_days", "executable",
                           "used_memory_human", "mem_allocator", "master_replid", "role",
                           "replication_role", "slave0", "db0", "cmdstat_get"}) {
    EXPECT_EQ(find(f, gone), nullptr) << gone;
  }
}

TEST(Redis, InfoSecondaryMeasurements) {
  VecAcc acc;
  parse_redis_info(kInfo, {{"port", "6379"}, {"server", "h"}}, 0, acc);
  auto ks = acc.of("redis_keyspace");
  ASSERT_EQ(ks.size(), 2u);
  EXPECT_EQ(tag_map(*ks[1])["database"], "db3");
  EXPECT_EQ(tag_map(*ks[1])["replication_role"], "master");
  EXPECT_EQ(ks[1]->fields,
            (std::vector<Field>{
                {"keys", int64_t{20}}, {"expires", int64_t{2}}, {"avg_ttl", int64_t{1000}}}));
  auto cmd = acc.of("redis_cmdstat");
  ASSERT_EQ(cmd.size(), 2u);
  EXPECT_EQ(tag_map(*cmd[1])["command"], "get");
  EXPECT_EQ(
      cmd[1]->fields,
      (std::vector<Field>{{"calls", int64_t{2}}, {"usec", int64_t{9}}, {"usec_per_call", 4.5}}));
  auto rep = acc.of("redis_replication");
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(tag_map(*rep[0]), (std::map<std::string, std::string>{{"port", "6379"},
                                                                  {"server", "h"},
                                                                  {"replica_id", "0"},
                                                                  {"replica_ip", "127.0.0.1"},
                                                                  {"replica_port", "7379"},
                                                                  {"replication_role", "slave"},
                                                                  {"state", "online"}}));
  EXPECT_EQ(rep[0]->fields,
            (std::vector<Field>{{"offset", int64_t{4556468}}, {"lag", int64_t{0}}}));
  auto err = acc.of("redis_errorstat");
  ASSERT_EQ(err.size(), 1u);
  EXPECT_EQ(tag_map(*err[0])["err"], "ERR");
  EXPECT_EQ(err[0]->fields, (std::vector<Field>{{"total", int64_t{37}}}));
  auto lat = acc.of("redis_latency_percentiles_usec");
  ASSERT_EQ(lat.size(), 1u);
  EXPECT_EQ(tag_map(*lat[0])["command"], "get");
  EXPECT_EQ(lat[0]->fields, (std::vector<Field>{{"p50", 4.015}, {"p99", 5.023}, {"p99.9", 5.023}}));
}

// A server's numbers out of int64 range (or not numbers at all) for the
// fields of fixed integer type: saturated (NaN is 0), never undefined.
TEST(Redis, InfoOutOfRangeNumbers) {
  VecAcc acc;
  parse_redis_info(
      "# Server\r\nlru_clock:99999999999999999999\r\n"
      "# Clients\r\nclients_in_timeout_table:-1e300\r\nblocked_clients:nan\r\n"
      "connected_clients:inf\r\n"
      "# Persistence\r\nrdb_last_save_time:-9223372036854775808\r\n"
      "# Stats\r\nkeyspace_hits:9223372036854775807\r\nkeyspace_misses:9223372036854775807\r\n",
      {{"server", "h"}}, 1795617300, acc);
  auto redis = acc.of("redis");
  ASSERT_EQ(redis.size(), 1u);
  const auto& f = redis[0]->fields;
  EXPECT_EQ(*find(f, "lru_clock"), Value(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(*find(f, "clients_in_timeout_table"), Value(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(*find(f, "blocked_clients"), Value(int64_t{0}));
  EXPECT_EQ(*find(f, "clients"), Value(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(*find(f, "rdb_last_save_time"), Value(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(find(f, "rdb_last_save_time_elapsed"), nullptr);  // no such span
  EXPECT_EQ(*find(f, "keyspace_hitrate"), Value(0.5));
}

// -- zookeeper ---------------------------------------------------------------

TEST(Zookeeper, Mntr) {
  std::string state;
  std::vector<Field> f;
  ASSERT_TRUE(
      parse_zookeeper_mntr("zk_version\t3.8.0-5a02a05e, built on 2022-02-25 08:49 UTC\n"
                           "zk_avg_latency\t0.1234\nzk_max_latency\t12\nzk_server_state\tfollower\n"
                           "zk_znode_count\t42\n",
                           &state, &f)
          .ok());
  EXPECT_EQ(state, "follower");
  EXPECT_EQ(f, (std::vector<Field>{{"version", std::string("3.8.0-5a02a05e")},
                                   {"avg_latency", std::string("0.1234")},
                                   {"max_latency", int64_t{12}},
                                   {"znode_count", int64_t{42}}}));
}

TEST(Zookeeper, BadLine) {
  std::string state;
  std::vector<Field> f;
  Status s = parse_zookeeper_mntr("zk_ok\t1\nThis ZooKeeper instance is not currently serving\n",
                                  &state, &f);
  EXPECT_EQ(
      s.message(),
      "unexpected line in mntr response: \"This ZooKeeper instance is not currently serving\"");
}

// -- nginx -------------------------------------------------------------------

TEST(Nginx, StubStatus) {
  std::vector<Field> f;
  ASSERT_TRUE(parse_nginx_stub_status("Active connections: 291 \nserver accepts handled requests\n"
                                      " 16630948 16630948 31070465 \n"
                                      "Reading: 6 Writing: 179 Waiting: 106 \n",
                                      &f)
                  .ok());
  EXPECT_EQ(f, (std::vector<Field>{{"active", int64_t{291}},
                                   {"accepts", int64_t{16630948}},
                                   {"handled", int64_t{16630948}},
                                   {"requests", int64_t{31070465}},
                                   {"reading", int64_t{6}},
                                   {"writing", int64_t{179}},
                                   {"waiting", int64_t{106}}}));
  EXPECT_FALSE(parse_nginx_stub_status("<html>hi</html>", &f).ok());
  EXPECT_FALSE(parse_nginx_stub_status("Active connections: 1\nserver accepts handled requests\n"
                                       " 1 1\n",
                                       &f)
                   .ok());
}

// -- mysql -------------------------------------------------------------------

TEST(Mysql, ParseValueLikeTelegraf) {
  EXPECT_EQ(mysql_parse_value("ON"), Value(int64_t{1}));
  EXPECT_EQ(mysql_parse_value("OFF"), Value(int64_t{0}));
  EXPECT_EQ(mysql_parse_value("Yes"), Value(int64_t{1}));
  EXPECT_EQ(mysql_parse_value("no"), Value(int64_t{0}));
  EXPECT_EQ(mysql_parse_value("on"), Value(std::string("on")));  // ON is case-sensitive
  EXPECT_EQ(mysql_parse_value("12345"), Value(int64_t{12345}));
  EXPECT_EQ(mysql_parse_value("-3"), Value(int64_t{-3}));
  EXPECT_EQ(mysql_parse_value("0.012"), Value(0.012));
  EXPECT_EQ(mysql_parse_value("18446744073709551615"), Value(18446744073709551615.0));
  EXPECT_EQ(mysql_parse_value("Dumping of buffer pool not started"),
            Value(std::string("Dumping of buffer pool not started")));
  EXPECT_EQ(mysql_parse_value(""), std::nullopt);
}

TEST(Mysql, SpecialKeys) {
  auto depth = mysql_convert_status("ssl_ctx_verify_depth", "18446744073709551615");
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(**depth, Value(INT64_MAX));
  EXPECT_FALSE(mysql_convert_status("ssl_ctx_verify_depth", "x").ok());
  EXPECT_EQ(**mysql_convert_status("uptime", "42"), Value(int64_t{42}));
  EXPECT_EQ(**mysql_convert_variable("gtid_mode", "ON_PERMISSIVE"), Value(int64_t{1}));
  EXPECT_EQ(**mysql_convert_variable("gtid_mode", "OFF_PERMISSIVE"), Value(int64_t{0}));
  EXPECT_FALSE(mysql_convert_variable("gtid_mode", "MAYBE").ok());
}

TEST(Mysql, ThreadStateGroups) {
  EXPECT_EQ(mysql_thread_state("Sleep", ""), "idle");
  EXPECT_EQ(mysql_thread_state("Query", "User sleep"), "idle");
  EXPECT_EQ(mysql_thread_state("Query", "Sending data"), "sending data");
  EXPECT_EQ(mysql_thread_state("Query", "Waiting for table metadata lock"), "waiting for lock");
  EXPECT_EQ(mysql_thread_state("Query", "query end"), "end");
  EXPECT_EQ(mysql_thread_state("Query", "Filling schema table"), "executing");
  EXPECT_EQ(mysql_thread_state("Binlog Dump", "Master has sent all binlog to slave"),
            "replication master");
  EXPECT_EQ(mysql_thread_state("Daemon", "InnoDB purge worker"), "other");
}

TEST(Mysql, Dsn) {
  auto d = parse_mysql_dsn("user:pa:ss@tcp(db1:3307)/app?timeout=2s&tls=false");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->user, "user");
  EXPECT_EQ(d->password, "pa:ss");
  EXPECT_EQ(d->net, "tcp");
  EXPECT_EQ(d->addr, "db1:3307");
  EXPECT_EQ(d->dbname, "app");
  EXPECT_EQ(d->timeout_ns, 2000000000);

  EXPECT_EQ(parse_mysql_dsn("tcp(127.0.0.1)/")->addr, "127.0.0.1:3306");
  EXPECT_EQ(parse_mysql_dsn("/")->addr, "127.0.0.1:3306");
  EXPECT_EQ(parse_mysql_dsn("root@/")->user, "root");
  auto u = parse_mysql_dsn("monitor:p@ss@unix(/run/mysqld/mysqld.sock)/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->password, "p@ss");
  EXPECT_EQ(u->net, "unix");
  EXPECT_EQ(u->addr, "/run/mysqld/mysqld.sock");
  EXPECT_FALSE(parse_mysql_dsn("tcp(127.0.0.1:3306)").ok());
  EXPECT_FALSE(parse_mysql_dsn("udp(127.0.0.1:3306)/").ok());
  EXPECT_FALSE(parse_mysql_dsn("tcp(127.0.0.1:3306/").ok());
}

// -- postgresql --------------------------------------------------------------

TEST(Postgresql, SanitizedAddress) {
  EXPECT_EQ(postgresql_sanitized_address("host=localhost user=postgres sslmode=disable"),
            "host=localhost user=postgres ");
  EXPECT_EQ(postgresql_sanitized_address("host=db password=secret user=pg sslmode=verify-full"),
            "host=db user=pg ");
  EXPECT_EQ(postgresql_sanitized_address(
                "postgres://monitor:s%40cret@db1:5433/app?sslmode=disable&application_name=tsd"),
            "application_name=tsd dbname=app host=db1 port=5433 user=monitor");
}

// -- exec --------------------------------------------------------------------

TEST(Exec, ShellWords) {
  using W = std::vector<std::string>;
  EXPECT_EQ(*split_shell_words("/usr/bin/mycollector --foo=bar"),
            (W{"/usr/bin/mycollector", "--foo=bar"}));
  EXPECT_EQ(*split_shell_words("a  'b c'\t\"d \\\"e\\\" $HOME \\x\" f\\ g"),
            (W{"a", "b c", "d \"e\" $HOME \\x", "f g"}));
  EXPECT_EQ(*split_shell_words("x''y \"\""), (W{"xy", ""}));
  EXPECT_EQ(*split_shell_words("   "), W{});
  EXPECT_FALSE(split_shell_words("'open").ok());
  EXPECT_FALSE(split_shell_words("\"open").ok());
  EXPECT_FALSE(split_shell_words("trailing\\").ok());
}

// -- shared helpers ----------------------------------------------------------

TEST(ServiceNet, SplitHostPort) {
  EXPECT_EQ(split_host_port("localhost:11211", "1").host, "localhost");
  EXPECT_EQ(split_host_port("localhost", "11211").port, "11211");
  EXPECT_EQ(split_host_port(":2181", "1").host, "");
  EXPECT_EQ(split_host_port(":2181", "1").port, "2181");
  EXPECT_EQ(split_host_port("[::1]:6379", "1").host, "::1");
  EXPECT_EQ(split_host_port("[::1]:6379", "1").port, "6379");
  EXPECT_EQ(split_host_port("::1", "80").host, "::1");
}

TEST(ServiceNumbers, GoParsing) {
  EXPECT_EQ(parse_int64("+5"), 5);
  EXPECT_EQ(parse_int64("9223372036854775808"), std::nullopt);
  EXPECT_EQ(parse_int64("1.0"), std::nullopt);
  EXPECT_EQ(parse_int64(""), std::nullopt);
  EXPECT_EQ(parse_float64("1e3"), 1000.0);
  EXPECT_EQ(parse_float64("-0.5"), -0.5);
  EXPECT_EQ(parse_float64("0.00"), 0.0);
  EXPECT_EQ(parse_float64("1.2.3"), std::nullopt);
  EXPECT_EQ(parse_float64(" 1"), std::nullopt);
}

TEST(ServiceDl, MissingLibraryNamesThePackage) {
  auto lib = DynLib::open("libtsd-no-such-client.so.9", "libtsd-no-such-client9");
  ASSERT_FALSE(lib.ok());
  EXPECT_EQ(lib.status().message().rfind("cannot load libtsd-no-such-client.so.9 (install the "
                                         "Debian package libtsd-no-such-client9): ",
                                         0),
            0u);
}

TEST(ServiceInputs, RegistryHasEveryServiceInput) {
  std::vector<InputInfo> v;
  add_service_inputs(&v);
  std::vector<std::string> names;
  for (const auto& i : v) {
    names.push_back(i.name);
    EXPECT_FALSE(i.description.empty()) << i.name;
    EXPECT_NE(i.sample_config.find("[[inputs." + i.name + "]]"), std::string::npos) << i.name;
    EXPECT_TRUE(static_cast<bool>(i.create)) << i.name;
    EXPECT_FALSE(i.default_input) << i.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"exec", "memcached", "mysql", "nginx", "postgresql",
                                             "redis", "zookeeper"}));
}

}  // namespace
}  // namespace tsd::collect
