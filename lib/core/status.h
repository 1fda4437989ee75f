// Status and Result<T>: how every fallible call in tsd reports failure.
//
// A Status is cheap to copy: OK carries nothing, an error carries a code and
// a message that names where and why ("open shard mon/autogen/17.db: database
// is locked"). Result<T> holds either a T or a non-OK Status. No exception
// crosses a library boundary; commands map a Status to an exit code.
// Both types are value types with no shared state: thread-compatible.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tsd {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kCorruption,
    kInvalidArgument,
    kIOError,
    kNotSupported,
    kConflict,  // e.g. a field type conflict
    kBusy,      // a lock or timeout that a retry may cure
    kCancelled, // stopped on request (a query's cancel flag)
  };

  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return Status(); }
  static Status not_found(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status invalid_argument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status io_error(std::string m) { return {Code::kIOError, std::move(m)}; }
  static Status not_supported(std::string m) { return {Code::kNotSupported, std::move(m)}; }
  static Status conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status busy(std::string m) { return {Code::kBusy, std::move(m)}; }
  static Status cancelled(std::string m) { return {Code::kCancelled, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "ok", or the message alone (the code is for programs, the message for people).
  std::string to_string() const { return ok() ? std::string("ok") : message_; }

  // Returns a copy whose message is "<context>: <message>"; OK stays OK.
  Status with_context(std::string_view context) const {
    if (ok()) return *this;
    std::string m(context);
    m += ": ";
    m += message_;
    return {code_, std::move(m)};
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
//
// Example:
//   Result<int64_t> r = parse_duration("1h30m");
//   if (!r.ok()) return r.status();
//   int64_t ns = *r;
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result from an OK Status has no value");
  }

  bool ok() const { return v_.index() == 0; }
  // The error; OK when the Result holds a value.
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tsd

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define TSD_RETURN_IF_ERROR(expr)         \
  do {                                    \
    ::tsd::Status tsd_status_ = (expr);   \
    if (!tsd_status_.ok()) return tsd_status_; \
  } while (0)
