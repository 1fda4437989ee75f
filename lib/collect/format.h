// Line protocol for what the agent emits. A thin seam over lp::format_point
// so the agent has one place that turns Points into lines (and --test its
// sorted-field variant). Pure functions, thread-safe.
#pragma once

#include <string>

#include "core/point.h"

namespace tsd::collect {

// Appends one line of line protocol (with its time, in nanoseconds) and '\n'.
void append_line(const Point& p, std::string* out);

}  // namespace tsd::collect
