#include "core/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

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
  // heap is laid out with only headers in the way, below `from`, the
  // first 2 MiB boundary above the break (nothing there was ever mapped).
  void* first_alloc = std::malloc(1);  // the heap made, if nothing was allocated yet
  asm volatile("" : : "r"(first_alloc) : "memory");  // not elided with its free
  std::free(first_alloc);
  auto top = [] { return reinterpret_cast<uintptr_t>(sbrk(0)) - mallinfo2().keepcost; };
  const uintptr_t from = (reinterpret_cast<uintptr_t>(sbrk(0)) + kHuge) & ~(kHuge - 1);
  // What takes the top chunk up to `from`: a chunk whose end (the next
  // header) is in the page below it.
  auto up_to_from = [&] { return std::malloc(from - kHeader - top() - sizeof(size_t)); };
  // 1. Asked for more than the top chunk holds, malloc extends the heap
  //    by what is missing and the pad: a fresh range past `from`, ours to
  //    advise once the allocation is given back.
  mallopt(M_TOP_PAD, static_cast<int>(huge_bytes));
  void* p = up_to_from();
  asm volatile("" : : "r"(p) : "memory");  // made, not elided with its free
  mallopt(M_TOP_PAD, 128 << 10);  // glibc's default again
  const auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  std::free(p);
  if (end <= from) return;  // served from something freed: the heap is as it was
  madvise(reinterpret_cast<void*>(from), end - from, MADV_HUGEPAGE);
  // 2. Fillers, handed out once and never touched, take the top chunk up
  //    to `from` again: what the program allocates next starts there, in
  //    a huge page (below it, up to 2 MiB would be made 4 KiB at a time).
  //    A request is served from what was freed when something fits: a
  //    few more tries while the top chunk did not move (each keeps a
  //    freed chunk), then the range below `from` is simply used first.
  for (int i = 0; i < 8 && top() + kHeader + 32 <= from; i++) {
    void* filler = up_to_from();
    asm volatile("" : : "r"(filler) : "memory");  // kept, never freed
  }
}

void map_code_at_once() {
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto from = reinterpret_cast<uintptr_t>(__executable_start) & ~(page - 1);
  const auto to = reinterpret_cast<uintptr_t>(etext);
#ifdef MADV_POPULATE_READ
  if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_READ);
#endif
}

}  // namespace tsd
