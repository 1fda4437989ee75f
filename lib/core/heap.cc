#include "core/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace tsd {

void keep_heap_for_large_answers(size_t huge_bytes) {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest (64 MiB is refused)
  // Above the huge range: freeing what made it must not trim it away.
  mallopt(M_TRIM_THRESHOLD, static_cast<int>((256 << 20) + huge_bytes));
  if (huge_bytes == 0) return;
  constexpr uintptr_t kHuge = 2 << 20;
  // An allocation larger than what the heap has left on top (keepcost)
  // makes malloc extend it by that and the pad: a fresh range, ours to
  // advise.
  const auto before = reinterpret_cast<uintptr_t>(sbrk(0));
  mallopt(M_TOP_PAD, static_cast<int>(huge_bytes));
  void* p = std::malloc(mallinfo2().keepcost + (1 << 20));
  asm volatile("" : : "r"(p) : "memory");  // made, not elided with its free
  mallopt(M_TOP_PAD, 128 << 10);  // glibc's default again
  const auto top = reinterpret_cast<uintptr_t>(sbrk(0));
  std::free(p);
  const uintptr_t from = (before + kHuge - 1) & ~(kHuge - 1);
  if (top > from) madvise(reinterpret_cast<void*>(from), top - from, MADV_HUGEPAGE);
}

}  // namespace tsd
