#include "core/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

// The linker's bounds of the program's code (not of shared libraries').
extern "C" char __executable_start[], etext[];

namespace tsd {

void keep_heap_for_large_answers(size_t huge_bytes) {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest (64 MiB is refused)
  // Above the huge range: freeing what made it must not trim it away.
  mallopt(M_TRIM_THRESHOLD, static_cast<int>((256 << 20) + huge_bytes));
  if (huge_bytes == 0) return;
  constexpr uintptr_t kHuge = 2 << 20;
  constexpr uintptr_t kHeader = 2 * sizeof(size_t);  // a chunk's, before its memory
  // A 2 MiB range is backed by a huge page only if nothing in it was
  // touched before the advice, and malloc writes a chunk header at the
  // start of what it has not handed out (the top chunk, keepcost bytes up
  // to the break) whenever it hands something out from there. So the
  // heap is laid out with only headers in the way:
  void* first_alloc = std::malloc(1);  // the heap made, if nothing was allocated yet
  asm volatile("" : : "r"(first_alloc) : "memory");  // not elided with its free
  std::free(first_alloc);
  auto top = [] { return reinterpret_cast<uintptr_t>(sbrk(0)) - mallinfo2().keepcost; };
  // 1. Fillers, handed out once and never touched, take the top chunk up
  //    to a 2 MiB boundary, `from` (its header in the page below): what
  //    the query allocates next starts there. A request is served from
  //    what was freed when something fits, else from the top chunk: ask
  //    again until the top chunk has moved (a miss keeps a freed chunk).
  const uintptr_t from = (top() + (64 << 10) + kHuge - 1) & ~(kHuge - 1);
  for (int i = 0; i < 64 && top() + kHeader + 32 <= from; i++) {
    void* filler = std::malloc(from - kHeader - top() - sizeof(size_t));
    asm volatile("" : : "r"(filler) : "memory");  // kept, never freed
  }
  // 2. An allocation larger than the top chunk makes malloc extend the
  //    heap by it and the pad: a fresh range, ours to advise once it is
  //    given back. The header after it lands `first` bytes into the range
  //    (the 2 MiB there are made in small pages, the rest are huge).
  const size_t first = std::min<size_t>(huge_bytes / 2, 30 << 20);
  mallopt(M_TOP_PAD, static_cast<int>(huge_bytes - first));
  void* p = std::malloc(mallinfo2().keepcost + first);
  asm volatile("" : : "r"(p) : "memory");  // made, not elided with its free
  mallopt(M_TOP_PAD, 128 << 10);  // glibc's default again
  const auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  std::free(p);
  if (end > from) madvise(reinterpret_cast<void*>(from), end - from, MADV_HUGEPAGE);
}

void map_code_at_once() {
  const auto from = reinterpret_cast<uintptr_t>(__executable_start) & ~uintptr_t{4095};
  const auto to = reinterpret_cast<uintptr_t>(etext);
#ifdef MADV_POPULATE_READ
  if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_READ);
#endif
}

}  // namespace tsd
