// The catalog: DATA/meta.db, what the data directory holds.
//
// Databases, their retention policies (InfluxDB's default `autogen`,
// infinite duration, 7-day shard groups), the default RP of each database,
// shard groups (one file each, see paths.h), and tables for continuous
// queries and their watermarks. The schema is in man/tsd-data.5.
// Several processes may use one catalog at once: every change is one short
// write transaction (BEGIN IMMEDIATE) and creation is idempotent.
// A Catalog belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/sqlite.h"

namespace tsd::storage {

inline constexpr std::string_view kDefaultRetentionPolicy = "autogen";

struct RetentionPolicy {
  std::string name;
  int64_t duration = 0;        // ns; 0 = infinite
  int64_t shard_duration = 0;  // ns
  int64_t replication = 1;
  bool is_default = false;
};

struct ShardGroup {
  int64_t id = 0;
  std::string db;
  std::string rp;
  int64_t start = 0;  // inclusive, ns
  int64_t end = 0;    // exclusive, ns
};

struct ContinuousQuery {
  std::string db;
  std::string name;
  std::string query;  // the CREATE CONTINUOUS QUERY statement, as InfluxDB renders it
};

// A user's privilege on a database (InfluxQL's: READ, WRITE, ALL).
enum class Privilege : int { kNone = 0, kRead = 1, kWrite = 2, kAll = 3 };
// "READ", "WRITE", "ALL PRIVILEGES", "NO PRIVILEGES" (as SHOW GRANTS).
std::string_view privilege_name(Privilege p);

struct User {
  std::string name;
  std::string hash;  // core/password.h's stored form
  bool admin = false;
  std::map<std::string, Privilege> privileges;  // by database
  // Whether the user may `p` on `db`: an admin may anything; else the
  // grant on db must be p or ALL (influxd's AuthorizeDatabase).
  bool may(Privilege p, std::string_view db) const;
};

// InfluxDB's shard group duration for an RP duration (0 = infinite):
// under 2 days 1 h, under 180 days 1 day, else (and infinite) 7 days
// (services/meta shardGroupDuration).
int64_t default_shard_group_duration(int64_t rp_duration);

class Catalog {
 public:
  // Opens DATA/meta.db. With `create`, makes the directory and the catalog
  // when missing; without, a missing catalog is not_found naming it. A
  // `reader` never writes through it (Db::Setup::read_only_index): opening
  // costs less, and a write fails.
  static Result<std::unique_ptr<Catalog>> open(const std::string& data_dir, bool create,
                                               bool reader = false);

  const std::string& data_dir() const { return data_dir_; }
  // For readers: closing leaves the WAL to writers (Db::keep_wal_on_close).
  void keep_wal_on_close() { db_.keep_wal_on_close(); }
  // SQLite's PRAGMA data_version: it changes when another connection (a
  // writer, another process) has committed to the catalog since this one
  // last looked; what tells a kept Writer that shard groups, RPs or
  // databases may have changed under it.
  Result<int64_t> data_version();
  // While a Hold lives, what the catalog keeps in memory is checked
  // against other connections' commits once (a query's statements see the
  // catalog as it was when they began; this connection's own changes
  // still show at once). Holds nest. A reader's holds read in one
  // transaction (one snapshot, one look at the WAL).
  class Hold {
   public:
    explicit Hold(Catalog* c) : c_(c) {
      if (c_->holds_++ == 0) c_->begin_hold();
    }
    ~Hold() {
      if (--c_->holds_ == 0) c_->end_hold();
    }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    Catalog* c_;
  };

  // Creates a database with the default RP `rp` (else `autogen`:
  // infinite, 7-day shard groups) when it does not exist (InfluxDB's
  // CREATE DATABASE); OK when it already does, unless `rp` is given and
  // is not its default as given (conflict "retention policy conflicts
  // with an existing policy"). An empty name is "invalid name".
  Status create_database(std::string_view name, const RetentionPolicy* rp = nullptr);
  // Drops a database: its RPs, shard groups and CQs, then its directory
  // DATA/<db>. OK when it does not exist.
  //
  // A writer that is storing into the database meanwhile: its open
  // shard files are unlinked under it (SQLite keeps writing into the
  // unlinked files; the points are lost when it closes them, as they
  // would have been had they come just before the drop), and its next
  // look-up of a shard group fails with "database not found". A shard
  // file that a writer creates after the drop (it held the group from
  // before) is left outside the catalog: nothing reads it, and a later
  // CREATE DATABASE of the same name starts with fresh group ids.
  Status drop_database(std::string_view name);
  // Drops an RP, its shard groups and DATA/<db>/<rp>, as drop_database
  // (the same holds for writers). OK when it does not exist; a default
  // RP dropped leaves the database without one.
  Status drop_retention_policy(std::string_view db, std::string_view rp);
  // Drops one shard group (one transaction) and then its file; false when
  // there is none (another process may have dropped it just before). As
  // drop_database for a writer that holds the group; a reader that has
  // the file open reads it on (it is only unlinked).
  Result<bool> drop_shard_group(int64_t id);
  // Names of all databases, in the order they were created.
  Result<std::vector<std::string>> databases();
  // not_found "database not found: <name>" when missing.
  Result<std::string> default_retention_policy(std::string_view db);
  // In the order they were created.
  Result<std::vector<RetentionPolicy>> retention_policies(std::string_view db);
  // not_found "retention policy not found: <rp>" when missing.
  Result<RetentionPolicy> retention_policy(std::string_view db, std::string_view rp);
  // Creates (or, when it exists, replaces the settings of) an RP.
  // shard_duration 0 picks default_shard_group_duration(duration).
  Status put_retention_policy(std::string_view db, RetentionPolicy rp, bool make_default);

  // The shard group of db/rp that holds time t, created when missing
  // (the caller opens or creates its file).
  Result<ShardGroup> shard_group_for(std::string_view db, std::string_view rp, int64_t t);
  // The shard groups of db/rp overlapping [start, end], by start time.
  Result<std::vector<ShardGroup>> shard_groups(std::string_view db, std::string_view rp,
                                               int64_t start, int64_t end);

  // Continuous queries: every database's, by database then creation.
  Result<std::vector<ContinuousQuery>> continuous_queries();
  // Adds one; OK when it exists with the same text, else conflict
  // "continuous query already exists". Its watermark starts at `created`
  // (ns): tsd-cq computes the windows from there on.
  Status create_continuous_query(const ContinuousQuery& cq, int64_t created);
  // A CQ's watermark: the time of its last run as InfluxDB's continuous
  // querier keeps it (lastRuns), or its creation time; nullopt when it has
  // none (a CQ of an older catalog).
  Result<std::optional<int64_t>> cq_watermark(std::string_view db, std::string_view name);
  Status set_cq_watermark(std::string_view db, std::string_view name, int64_t last_run);
  // Drops one and its watermark; OK when there is none.
  Status drop_continuous_query(std::string_view db, std::string_view name);
  // tsd-cq --recompute-late's marks (catalog_cq.cc): per shard group of a
  // CQ's source, the last block row it had seen (Shard::changes_since).
  Result<std::map<int64_t, int64_t>> cq_marks(std::string_view db, std::string_view name);
  Status set_cq_marks(std::string_view db, std::string_view name,
                      const std::map<int64_t, int64_t>& marks);

  // Users (catalog_users.cc), InfluxDB's: in the order they were made,
  // each with its privileges.
  Result<std::vector<User>> users();
  // nullopt when there is none of that name.
  Result<std::optional<User>> user(std::string_view name);
  Result<int64_t> user_count();
  Result<bool> admin_exists();
  // invalid_argument "username required", conflict "user already exists".
  Status create_user(std::string_view name, std::string_view hash, bool admin);
  // The others: not_found "user not found" when there is none.
  Status drop_user(std::string_view name);
  Status set_password(std::string_view name, std::string_view hash);
  Status set_admin(std::string_view name, bool admin);
  // Sets (replaces) the user's privilege on db; not_found
  // "database not found: <db>" when db does not exist. kNone stays listed
  // (SHOW GRANTS says NO PRIVILEGES), as influxd keeps it.
  Status set_privilege(std::string_view name, std::string_view db, Privilege p);

  // tsd-cq --url's continuous queries (catalog_cq.cc): kept here for a
  // server (its base URL), apart from the directory's own, each with its
  // watermark (its creation time until it first runs). Their table is
  // made the first time one is added; in the order they were added.
  Result<std::vector<ContinuousQuery>> server_cqs(std::string_view server);
  // As create_continuous_query (OK when the same text is there, conflict
  // "continuous query already exists" when another is).
  Status add_server_cq(std::string_view server, const ContinuousQuery& cq, int64_t created);
  // not_found "continuous query not found" when there is none.
  Status drop_server_cq(std::string_view server, std::string_view db, std::string_view name);
  Result<std::optional<int64_t>> server_cq_watermark(std::string_view server, std::string_view db,
                                                     std::string_view name);
  Status set_server_cq_watermark(std::string_view server, std::string_view db,
                                 std::string_view name, int64_t last_run);

  // The file of a shard group, and how messages name it.
  std::string shard_path(const ShardGroup& g) const;

 private:
  Catalog() = default;
  Status init_schema();
  Result<std::vector<ShardGroup>> query_groups(std::string_view sql, std::string_view db,
                                               std::string_view rp, int64_t a, int64_t b);
  Result<std::vector<std::string>> read_databases();
  Result<std::string> read_default_retention_policy(std::string_view db);
  Result<std::vector<RetentionPolicy>> read_retention_policies(std::string_view db);

  std::string data_dir_;
  Db db_;
  // What databases(), default_retention_policy(), retention_policies()
  // and shard_groups() read (each query asks again), valid while the
  // file's version is `version_`. check_version() says whether what is
  // read may be cached (not in a write transaction).
  Result<bool> check_version();
  void begin_hold();
  void end_hold();
  // (*cache)[key], else read() kept there.
  template <class T, class Read>
  Result<T> cached(std::map<std::string, T, std::less<>>* cache, std::string_view key, Read read);
  Db::Version version_;
  int holds_ = 0;
  bool held_checked_ = false;  // version_.others checked under the holds
  bool reader_ = false;        // opened with `reader`
  bool reading_ = false;       // in the holds' read transaction
  std::optional<std::vector<std::string>> databases_;
  std::map<std::string, std::string, std::less<>> default_rps_;
  std::map<std::string, std::vector<RetentionPolicy>, std::less<>> rps_;
  std::map<std::pair<std::string, std::string>, std::vector<ShardGroup>, std::less<>> groups_;
};

}  // namespace tsd::storage
