// The nesting depth of a JSON text, measured in one pass without recursion
// and without building a document: the guard every parser of outside JSON
// runs first, so that no input can drive a recursive parser, serialiser or
// walk deeper than a fixed bound (docs/security.md, "Limits").
#ifndef DUALUSE_BASE_JSON_DEPTH_H_
#define DUALUSE_BASE_JSON_DEPTH_H_

#include <string_view>

namespace dualuse {

// Deepest nesting of arrays and objects in `text` (0 for a scalar),
// brackets inside strings ignored. Returns as soon as the depth exceeds
// `stop_above`. Text that is not JSON gets a number too; the parser that
// follows refuses it.
int JsonDepth(std::string_view text, int stop_above);

// The bound for documents kept in the store (records' inputs and outputs):
// far above any document dualuse writes, far below what overflows a stack.
inline constexpr int kMaxStoredJsonDepth = 128;

}  // namespace dualuse

#endif  // DUALUSE_BASE_JSON_DEPTH_H_
