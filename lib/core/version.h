// The version every tsd program prints for --version.
#pragma once

namespace tsd {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace tsd
