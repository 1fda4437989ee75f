// How a process's memory is laid out, for programs that build large
// answers or start often.
#pragma once

#include <cstddef>

namespace tsd {

// For a process whose answers come and go in large pieces (decoded
// columns, rows): blocks up to 32 MiB come from the heap and freed memory
// is kept (up to 256 MiB more than huge_bytes) for the next instead of
// unmapped and faulted in again; and the next `huge_bytes` of the heap are one range backed by
// transparent huge pages where the system allows them (THP "madvise" or
// "always"): a query that builds tens of megabytes of rows takes a page
// fault per 2 MiB instead of one per 4 KiB (a fifth of such a query's
// time). The range starts on a 2 MiB boundary with what the heap hands out
// next, so that a light query's first megabyte is one huge page too, not
// 250 small ones (140 page faults instead of 200 for the lightest query).
// Only address space is reserved; pages are made on first touch.
// Call early, before threads.
void keep_heap_for_large_answers(size_t huge_bytes);

// Maps the program's code into its page tables in one call
// (MADV_POPULATE_READ, Linux 5.14; a no-op before) instead of a page fault
// per 64 KiB window the first time it runs there: a light tsd-query runs
// code in 70 of its 90 windows, a fault each where faults cost 10-30 us
// (a VM with paravirtual paging): 0.15-0.4 ms of a 4-5 ms query.
void map_code_at_once();

}  // namespace tsd
