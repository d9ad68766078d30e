// Result<T>: a value or the Status that explains why there is none.
//
// Shaped like C++23 std::expected<T, Status> (has_value(), value(), error()),
// so that moving to C++23 is an alias. Accessing value() of an error Result,
// or error() of a value Result, is a programming error (asserted).
#ifndef DUALUSE_BASE_RESULT_H_
#define DUALUSE_BASE_RESULT_H_

#include <cassert>
#include <utility>
#include <variant>

#include "dualuse/base/status.h"

namespace dualuse {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result built from an OK Status");
  }

  bool has_value() const { return v_.index() == 0; }
  bool ok() const { return has_value(); }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Status& error() const {
    assert(!has_value());
    return std::get<Status>(v_);
  }
  // OK when a value is held, the error otherwise.
  Status status() const { return has_value() ? Status::Ok() : error(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace dualuse

#define DU_CONCAT_INNER_(a, b) a##b
#define DU_CONCAT_(a, b) DU_CONCAT_INNER_(a, b)
// DU_ASSIGN_OR_RETURN(auto x, Foo()): x = Foo().value() or return its error.
#define DU_ASSIGN_OR_RETURN(lhs, expr) \
  DU_ASSIGN_OR_RETURN_IMPL_(DU_CONCAT_(du_result_, __LINE__), lhs, expr)
#define DU_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.has_value()) return tmp.error();       \
  lhs = std::move(tmp).value()

#endif  // DUALUSE_BASE_RESULT_H_
