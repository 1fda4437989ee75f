// A regular file read where it lies in the page cache: mapped, not copied
// into buffers by read().
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/status.h"

namespace tsd {

class MappedFile {
 public:
  // Maps what fd holds from its current offset to its end (read-only; the
  // offset is left alone). not_found when fd is not a regular file or holds
  // nothing more, or when it cannot be mapped: read it instead.
  static Result<std::unique_ptr<MappedFile>> map(int fd);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // The bytes, from the offset the file had when mapped.
  std::string_view data() const { return data_; }
  // Where the bytes end in the file (read on from there: what was
  // appended since the mapping).
  uint64_t end_offset() const { return end_offset_; }
  // The pages wholly inside `done` (a part of data()) leave the process:
  // they stay in the page cache, and a long read's RSS does not grow.
  void release(std::string_view done);
  // Whether the file shrank under the mapping: pages past its new end read
  // as zeros instead of killing the process (SIGBUS).
  bool truncated() const;

 private:
  MappedFile() = default;
  char* base_ = nullptr;
  size_t length_ = 0;  // mapped, from base_
  std::string_view data_;
  uint64_t end_offset_ = 0;
  int slot_ = -1;  // in the SIGBUS handler's table
};

}  // namespace tsd
