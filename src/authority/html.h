// HTML helpers shared by the report and the decision letter (private).
#ifndef DUALUSE_SRC_AUTHORITY_HTML_H_
#define DUALUSE_SRC_AUTHORITY_HTML_H_

#include <string>
#include <string_view>

namespace dualuse::authority::internal {

// Escapes &, <, >, " and ' for text and attribute values.
inline std::string Html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace dualuse::authority::internal

#endif  // DUALUSE_SRC_AUTHORITY_HTML_H_
