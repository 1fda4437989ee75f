// A SQLite VFS over the system's default one that gathers the writes a
// transaction makes to its WAL file into one buffer, written when the
// transaction commits (or the buffer fills), instead of two write calls
// a page (SQLite writes each frame's 24-byte header and its page apart).
// A bulk load of full-precision floats made 130,000 such calls for 55 MB.
//
// Nothing else changes: the commit frame's write returns only once every
// frame before it is in the file (its errors are that write's, so SQLite
// rolls the transaction back as it would), before SQLite publishes the
// commit to other connections in the WAL index; reads, syncs, truncation
// and size queries of the WAL see the buffer written first. A process
// killed with frames in the buffer loses only an uncommitted transaction.
#pragma once

namespace tsd::storage {

// The VFS's name for sqlite3_open_v2, registered on first use (not as the
// default).
const char* wal_vfs_name();

}  // namespace tsd::storage
