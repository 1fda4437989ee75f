#include "core/mapped_file.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

namespace tsd {
namespace {

// The mappings the SIGBUS handler knows (a signal handler takes no lock:
// slots are claimed and read atomically).
struct Slot {
  std::atomic<char*> begin{nullptr};
  std::atomic<char*> end{nullptr};
  std::atomic<bool> truncated{false};
};
constexpr int kSlots = 64;
Slot g_slots[kSlots];
struct sigaction g_previous;

// An access past the end of a file that shrank: the rest of its mapping
// becomes zero pages, and the access is made again. Any other SIGBUS goes
// to the handler before ours (by default: the process ends).
void on_sigbus(int sig, siginfo_t* info, void* context) {
  char* at = static_cast<char*>(info->si_addr);
  for (Slot& s : g_slots) {
    char* b = s.begin.load(std::memory_order_acquire);
    char* e = s.end.load(std::memory_order_acquire);
    if (b == nullptr || at < b || at >= e) continue;
    const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    char* from = reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(at) & ~(page - 1));
    if (mmap(from, static_cast<size_t>(e - from), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
             -1, 0) != MAP_FAILED) {
      s.truncated.store(true, std::memory_order_release);
      return;
    }
  }
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction != nullptr) g_previous.sa_sigaction(sig, info, context);
    return;
  }
  // SIG_DFL (or a plain handler): put it back; the access faults again.
  sigaction(SIGBUS, &g_previous, nullptr);
}

void install_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa = {};
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &g_previous);
  });
}

}  // namespace

Result<std::unique_ptr<MappedFile>> MappedFile::map(int fd) {
  struct stat st;
  const off_t at = lseek(fd, 0, SEEK_CUR);
  if (at < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= at) {
    return Status::not_found("not a regular file with bytes to read");
  }
  int slot = -1;
  for (int i = 0; i < kSlots && slot < 0; i++) {
    char* none = nullptr;
    // Claimed with a non-null begin that no address matches yet.
    if (g_slots[i].begin.compare_exchange_strong(none, reinterpret_cast<char*>(1))) slot = i;
  }
  if (slot < 0) return Status::not_found("too many files mapped");
  install_handler();
  const size_t length = static_cast<size_t>(st.st_size);
  void* m = mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, 0);
  if (m == MAP_FAILED) {
    g_slots[slot].begin.store(nullptr);
    return Status::not_found("cannot be mapped");
  }
  madvise(m, length, MADV_SEQUENTIAL);
  std::unique_ptr<MappedFile> f(new MappedFile());
  f->base_ = static_cast<char*>(m);
  f->length_ = length;
  f->data_ = std::string_view(f->base_ + at, length - static_cast<size_t>(at));
  f->end_offset_ = length;
  f->slot_ = slot;
  g_slots[slot].truncated.store(false);
  g_slots[slot].end.store(f->base_ + length, std::memory_order_release);
  g_slots[slot].begin.store(f->base_, std::memory_order_release);
  return f;
}

MappedFile::~MappedFile() {
  Slot& s = g_slots[slot_];
  s.begin.store(reinterpret_cast<char*>(1), std::memory_order_release);  // still claimed
  s.end.store(nullptr, std::memory_order_release);
  munmap(base_, length_);
  s.begin.store(nullptr, std::memory_order_release);
}

void MappedFile::release(std::string_view done) {
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t from = (reinterpret_cast<uintptr_t>(done.data()) + page - 1) & ~(page - 1);
  const uintptr_t to = (reinterpret_cast<uintptr_t>(done.data()) + done.size()) & ~(page - 1);
  if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
}

bool MappedFile::truncated() const { return g_slots[slot_].truncated.load(std::memory_order_acquire); }

}  // namespace tsd
