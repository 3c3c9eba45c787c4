// vigil: version numbers and the inline versioned namespace.
#pragma once

#define VIGIL_VERSION_MAJOR 0
#define VIGIL_VERSION_MINOR 1
#define VIGIL_VERSION_PATCH 0
#define VIGIL_VERSION_STRING "0.1.0"

namespace vigil {
inline namespace v1 {

/// The version this header set was released as, "MAJOR.MINOR.PATCH".
inline constexpr const char* version_string = VIGIL_VERSION_STRING;

}  // namespace v1
}  // namespace vigil
