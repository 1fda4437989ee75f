// A shard: one SQLite file holding one shard group of a retention policy.
//
// It holds the series index (series, their measurement and tags, indexed
// so a query finds series by measurement and tag without a scan), the
// field types of each measurement (fixed per shard, as in InfluxDB), and
// the blocks (block.h) with a header row each: series, field, min/max
// time, count. Schema and block format: man/tsd-data.5.
//
// Reads merge overlapping blocks (newer wins on equal times), so they are
// right before compaction too. Writers change the file in short
// transactions (begin_write ... commit); several processes may share it
// (WAL mode, busy timeout). A Shard belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/point.h"
#include "core/status.h"
#include "storage/block.h"
#include "storage/head.h"
#include "storage/sqlite.h"

namespace tsd::storage {

struct SeriesInfo {
  int64_t id = 0;
  std::string key;          // canonical series key, escaped as line protocol
  std::string measurement;  // unescaped
  std::vector<Tag> tags;    // unescaped, sorted by key
};

struct FieldInfo {
  int64_t id = 0;
  std::string measurement;
  std::string name;  // unescaped
  FieldType type = FieldType::kFloat;
};

// What promoting a series' head rows writes (built without the file, so
// that helper threads can do it): one block per field (of at most
// kMaxBlockPoints points), replacing the head rows up to last_id.
struct Promotion {
  int64_t series = 0;
  int64_t last_id = 0;  // 0: no head rows
  int64_t values = 0;
  std::vector<EncodedBlock> blocks;
  Status status;  // a damaged head row
};

struct BlockHeader {
  int64_t id = 0;
  int64_t series = 0;
  int64_t field = 0;
  int64_t min_time = 0;
  int64_t max_time = 0;
  int64_t count = 0;
  int64_t bytes = 0;  // of the BLOB
};

// Compaction writes blocks of at most this many points (a reader holds
// one block per column at a time).
inline constexpr int64_t kMaxBlockPoints = 1 << 16;
// Compaction merges the small blocks of a column: fewer bytes than this
// (where a block's own overhead, ~100 bytes and half a page, matters)
// and fewer points than kLargeBlockPoints. The others are left alone
// unless they overlap a block being merged: rewriting them would cost
// I/O for no gain.
inline constexpr int64_t kSmallBlockBytes = 8 << 10;
// The most bytes (about) a shard keeps in memory for its index reads
// (series, fields, tag keys: a server's pooled connections each have their
// own), and the most block headers for blocks() (56 bytes each).
inline constexpr size_t kIndexCacheBytes = 16 << 20;
inline constexpr size_t kBlockCacheHeaders = 200000;
inline constexpr int64_t kLargeBlockPoints = kMaxBlockPoints / 2;

class Shard {
 public:
  // Opens (or with `create`, creates) the shard file at `path`; `name`
  // ("db/rp/17.db") prefixes every message. A damaged file is corruption;
  // a missing one (also one unlinked while it was being opened: a group
  // dropped meanwhile) not_found. Once open, a Shard reads and writes on
  // when its file is unlinked. `reader`: the file's pages are read
  // through a memory map (SQLite's mmap_size) instead of a read() and a
  // copy each (a server's queries come back to the same pages; but see
  // read_without_mapping; not for writers, whose RSS would count every
  // page of the file they touch),
  // and closing leaves the WAL to writers (Db::keep_wal_on_close).
  // `read_only`: nothing is written through it either (DELETE, DROP
  // SERIES do): Db::Setup::read_only_index.
  static Result<std::unique_ptr<Shard>> open(const std::string& path, std::string name,
                                             bool create, bool reader = false,
                                             bool read_only = false);
  // For a process that asks one question and leaves (a one-shot query):
  // readers opened after this read pages with a read() each, not through
  // the map. Such a process touches few pages of each file, once, and a
  // page fault in the map costs more than the read and its copy where
  // faults are dear (a VM: 10-40 us): 0.3-1.3 ms less for the light
  // TSBS-style queries; a scan of most of a file is 5 % slower.
  static void read_without_mapping(bool on = true);
  const std::string& name() const { return db_.name(); }

  // A read transaction: everything read until end_read() sees one
  // snapshot of the file, whatever writers and compactions do meanwhile.
  // Readers that use several statements (cursors) should hold one.
  // Within one, the in-memory index caches (series(), blocks(), head())
  // are checked against the file once, not at each call.
  Status begin_read() {
    reading_ = true;
    checked_ = false;
    return db_.begin_read();
  }
  void end_read() {
    db_.rollback();
    reading_ = checked_ = false;
  }
  // Stops the shard's statements under way while *flag is true (Db::set_interrupt).
  void set_interrupt(const std::atomic<bool>* flag) { db_.set_interrupt(flag); }

  // -- index reads -----------------------------------------------------------
  // Measurement names, sorted.
  Result<std::vector<std::string>> measurements();
  // Fields of one measurement (all when empty), sorted by measurement, name.
  Result<std::vector<FieldInfo>> fields(std::string_view measurement = {});
  // Series of one measurement with their tags, sorted by key. Kept in
  // memory (up to kIndexCacheBytes) while the file does not
  // change: a query's series list without reading the index.
  Result<std::vector<SeriesInfo>> series(std::string_view measurement);
  // Series of one measurement having tag key=value (through the tag
  // index; tags read from the series keys), sorted by key.
  Result<std::vector<SeriesInfo>> series_with_tag(std::string_view measurement,
                                                  std::string_view key, std::string_view value);
  // Series ids of a measurement; of those with tag key=value; of those
  // having the tag key at all (any value). Sorted ascending (index lookups).
  Result<std::vector<int64_t>> series_ids(std::string_view measurement);
  Result<std::vector<int64_t>> series_ids_with_tag(std::string_view measurement,
                                                   std::string_view key, std::string_view value);
  Result<std::vector<int64_t>> series_ids_with_tag_key(std::string_view measurement,
                                                       std::string_view key);
  Result<std::vector<std::string>> tag_keys(std::string_view measurement);
  Result<std::vector<std::string>> tag_values(std::string_view measurement, std::string_view key);

  // What was stored after block row `after` (shard_changes.cc): rows are
  // numbered in the order they are written (flushes, compaction, DELETE's
  // rewrites; never reused), so a reader that noted the last number sees
  // what came since. last_id: the last row's number (0 when none);
  // min_time, max_time: the time span of the newer rows of `measurement`.
  struct Changes {
    int64_t last_id = 0;
    std::optional<int64_t> min_time, max_time;
  };
  Result<Changes> changes_since(std::string_view measurement, int64_t after);

  // -- data reads ------------------------------------------------------------
  // Headers of the blocks of (series, field) overlapping [start, end], by
  // min time then id. Enough for count / min / max time and pruning.
  Result<std::vector<BlockHeader>> blocks(int64_t series, int64_t field, int64_t start,
                                          int64_t end);
  // The values stored, from the block headers alone (head rows included):
  // a value written twice counts twice until compaction merges it.
  Result<int64_t> value_count();
  // Calls fn with runs of points of (series, field) in [start, end], in
  // ascending time without duplicates (newest write wins). Stops with
  // fn's error if it returns one.
  using ColumnFn = std::function<Status(const Column&)>;
  Status scan(int64_t series, int64_t field, int64_t start, int64_t end, const ColumnFn& fn);
  // Decodes the blocks `hs` (any order), merges them (newest id wins on
  // equal times) and keeps the points in [start, end] in *out.
  Status read_blocks(std::vector<BlockHeader> hs, int64_t start, int64_t end, Column* out);

  // -- writes (shard_write.cc) -----------------------------------------------
  Status begin_write() { return db_.begin_write(); }
  Status commit() { return db_.commit(); }
  void rollback() { db_.rollback(); }
  // In a write transaction: the id of a series, added with its tags when new.
  Result<int64_t> ensure_series(std::string_view key, std::string_view measurement,
                                const std::vector<Tag>& tags);
  // In a write transaction: the field, added with `type` when new. When it
  // exists its stored type is returned (the caller checks for a conflict).
  Result<FieldInfo> ensure_field(std::string_view measurement, std::string_view name,
                                 FieldType type);
  // In a write transaction: stores one block (times ascending, unique).
  Status put_block(int64_t series, int64_t field, int64_t min_time, int64_t max_time,
                   int64_t count, std::string_view blob);

  // In a write transaction: stores a column (times ascending, unique) as
  // blocks of at most kMaxBlockPoints (encode_blocks' segments). Adds the bytes
  // written to *bytes when given.
  Status put_column(int64_t series, int64_t field, const Column& c, int64_t* bytes = nullptr);
  // In a write transaction: stores blocks encoded beforehand (each with
  // its field).
  Status put_blocks(int64_t series, const std::vector<EncodedBlock>& blocks,
                    int64_t* bytes = nullptr);

  // -- head rows (shard_head.cc, head.h) -------------------------------------
  // In a write transaction: stores a head row of `series`; returns its id.
  Result<int64_t> put_head(int64_t series, int64_t min_time, int64_t max_time, int64_t count,
                           std::string_view blob);
  // Whether head row `id` of `series` is still there (not promoted by
  // another process).
  Result<bool> head_row_exists(int64_t series, int64_t id);
  // Whether `series` has head rows.
  Result<bool> has_head(int64_t series);
  // Series that have head rows.
  Result<std::vector<int64_t>> head_series();
  // The points of the series' head rows by field id, merged (newest row
  // wins). Cached while the rows stay the same; valid until the next call.
  Result<const std::map<int64_t, Column>*> head(int64_t series);
  // In a write transaction: turns the head rows of `series` into one block
  // per field (at most kMaxBlockPoints each) and deletes them; the fields
  // written are appended to *fields when given. Returns the values moved.
  Result<int64_t> promote(int64_t series, std::vector<int64_t>* fields = nullptr);
  // In a write transaction: promotes the heads of every series given, the
  // decoding and encoding on helper threads; the columns written are
  // appended to *columns. Returns the values moved. With commit_bytes > 0
  // it commits and begins a new write transaction each time it has
  // written that many bytes of blocks (the WAL stays small).
  Result<int64_t> promote_all(const std::vector<int64_t>& series,
                              std::vector<std::pair<int64_t, int64_t>>* columns,
                              int64_t commit_bytes = 0);

  // -- compaction (shard_write.cc) -------------------------------------------
  // Merges the small blocks (see kSmallBlockBytes) of each (series, field)
  // that has at least `min_small` of them, with any block they overlap,
  // into sorted, de-duplicated blocks (last write wins), then joins runs
  // of blocks that overlap no other into fewer (segments end to end, no
  // re-encoding); one transaction per ~8 MB. Head rows of the series are
  // promoted first (blocks written must stay older than head rows). Then
  // frees the pages left over (`live`: a writer that goes on writing,
  // which must not stop to rewrite the file, see release_free_pages).
  // Empty `columns` = every column and every series with head rows.
  Status compact(const std::vector<std::pair<int64_t, int64_t>>& columns = {},
                 int min_small = 2, bool live = false);
  // Copies the WAL into the file and truncates it (best effort when busy);
  // without `truncate`, a passive checkpoint (what it can copy now).
  Status checkpoint(bool truncate = true);
  // After each commit: fn(frames in the WAL), in place of SQLite's
  // automatic checkpoint (a Checkpointer's request).
  void on_commit(std::function<void(int)> fn) { db_.on_commit(std::move(fn)); }
  // The bytes of blocks and head rows put since the last call (in on_commit's
  // function: about what the commit added to the WAL, in pages of kPageBytes).
  int64_t take_put_bytes() { return std::exchange(put_bytes_, 0); }
  static constexpr int64_t kPageBytes = 2048;  // PRAGMA page_size of new files

  // -- deletes (shard_delete.cc): DROP MEASUREMENT, DROP SERIES, DELETE ------
  // In a write transaction: removes series `s` (as series() lists it): its
  // blocks, head rows and index rows (series, tags).
  Status drop_series(const SeriesInfo& s);
  // In a write transaction: deletes the points of series `s` in [start,
  // end]. Its head rows are promoted first (head.h: they must stay newer
  // than its blocks); blocks inside the range are deleted, and those that
  // overlap it are merged with every block they overlap (newest wins, as
  // reads do) and written again without the range; other blocks are left
  // alone. A series left without points is dropped from the index
  // (drop_series), as InfluxDB drops it: true then.
  Result<bool> delete_points(const SeriesInfo& s, int64_t start, int64_t end);
  // In a write transaction: removes the fields of `measurement` when no
  // series of it is left (DROP MEASUREMENT; InfluxDB keeps them after
  // DELETE and DROP SERIES); returns whether it did.
  Result<bool> drop_unused_fields(std::string_view measurement);
  // Hands the pages freed by deletes and promotions back to the file
  // system (outside a transaction; best effort): VACUUM when most of the
  // file is free, unless `live`; else incremental_vacuum.
  Status release_free_pages(bool live = false);

  // Calls fn with the BLOB of block h (valid during the call); errors,
  // fn's too, name the shard and block.
  Status with_blob(const BlockHeader& h, const std::function<Status(std::string_view)>& fn);
  // The error for a damaged block, naming the shard and block.
  Status block_error(const BlockHeader& h, const Status& s) const;

 private:
  Shard() = default;
  Status init_schema(bool create);
  Result<std::vector<int64_t>> ids_query(std::string_view sql, std::string_view a,
                                         std::string_view b = {}, std::string_view c = {});
  Result<std::vector<std::string>> strings_query(std::string_view sql, std::string_view a,
                                                 std::string_view b = {});
  // The distinct values of an index's column, one seek each: `sql` is
  // "SELECT min(col) FROM … WHERE … col > ?2" (?1 = a when it names one).
  // A SELECT DISTINCT reads every entry: a measurement's tag keys were a
  // read of all its series' tags.
  Result<std::vector<std::string>> distinct_by_seek(std::string_view sql, std::string_view a);
  Result<bool> compact_column(int64_t series, int64_t field, int min_small, int64_t* bytes);
  Result<bool> join_column(int64_t series, int64_t field, int64_t* bytes);
  // Marks (to a fixed point) every block of `hs` that overlaps a marked one.
  static void mark_overlapping(const std::vector<BlockHeader>& hs, std::vector<bool>* pick);
  Status delete_column_range(int64_t series, int64_t field, int64_t start, int64_t end);
  Status read_head_rows(int64_t series, std::vector<int64_t>* ids, std::vector<std::string>* data,
                        int64_t after = 0);
  Status apply_promotion(const Promotion& p, std::vector<int64_t>* fields);
  void drop_cached_head(int64_t series);
  // The (series, field) columns with more than one block, sorted.
  Status multi_block_columns(std::vector<std::pair<int64_t, int64_t>>* out);

  Db db_;
  int64_t put_bytes_ = 0;  // take_put_bytes()
  Stmt ins_series_, sel_series_, ins_tag_, sel_field_, ins_field_, max_field_, ins_block_;
  Stmt sel_blocks_, sel_blob_, del_block_;
  Stmt sel_head_ids_, sel_head_rows_, sel_head_after_, sel_head_row_, del_head_;
  // The in-memory caches of the index: what series(), tag_keys(),
  // fields(), blocks() and head() read, valid while the file's version is
  // `version_` (each change of it starts a new epoch_ and empties them).
  // check_version() says whether what is read may be cached (not in a
  // write transaction).
  Result<bool> check_version();
  Result<std::vector<SeriesInfo>> read_series(std::string_view measurement);
  Result<std::vector<FieldInfo>> read_fields(std::string_view measurement);
  Result<std::vector<SeriesInfo>> read_series_with_tag(std::string_view measurement, std::string_view key,
                                                       std::string_view value);
  Result<std::vector<BlockHeader>> read_blocks(int64_t series, int64_t field, int64_t start, int64_t end);
  Db::Version version_;
  int64_t epoch_ = 0;
  bool reading_ = false;  // in begin_read's transaction
  bool checked_ = false;  // version_ checked in it
  template <class T>
  using Cache = std::map<std::string, std::vector<T>, std::less<>>;
  // cache[key], else read() kept there (when there is room).
  template <class T, class Read>
  Result<std::vector<T>> cached(Cache<T>* cache, std::string_view key, Read read);
  Cache<SeriesInfo> series_cache_, with_tag_cache_;
  Cache<std::string> tag_keys_cache_;
  Cache<FieldInfo> fields_cache_;
  size_t index_cached_ = 0;  // bytes, about
  std::map<std::pair<int64_t, int64_t>, std::vector<BlockHeader>> block_cache_;
  size_t blocks_cached_ = 0;
  struct CachedHead {
    int64_t epoch = -1;  // ids were read in this epoch_
    std::vector<int64_t> ids;
    HeadDecoder decoder;
    size_t bytes = 0;
  };
  std::map<int64_t, CachedHead> head_cache_;
  size_t head_cache_bytes_ = 0;
  // The series that have head rows, sorted, listed in epoch heads_epoch_
  // when there are at most kListedHeads (else unknown: asked per series).
  // A shard of blocks only (a bulk load, a finished writer) has none, and
  // a query over it asks once, not once a column.
  static constexpr size_t kListedHeads = 64;
  std::vector<int64_t> head_series_;
  int64_t heads_epoch_ = -1;
  bool heads_listed_ = false;
  Status list_head_series();
};

// A pull iterator over the points of one (series, field) in [start, end]
// of a shard: each next() gives the following run (a block, or a group of
// overlapping blocks merged, the head rows' points last), ascending,
// without duplicates. Holds at most one run and the column's head points
// in memory. The Shard must outlive it.
class ColumnCursor {
 public:
  ColumnCursor() = default;
  static Result<ColumnCursor> open(Shard* shard, int64_t series, int64_t field, int64_t start,
                                   int64_t end);
  // Fills *out with the next run; false (and *out empty) at the end.
  Result<bool> next(Column* out);

 private:
  Shard* shard_ = nullptr;
  std::vector<BlockHeader> blocks_;  // the head points as one with id 0
  Column head_;
  size_t at_ = 0;
  int64_t start_ = 0, end_ = 0;
};

}  // namespace tsd::storage
