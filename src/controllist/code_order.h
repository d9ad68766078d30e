// Annex I code helpers shared inside the controllist and classify modules.
#ifndef DUALUSE_SRC_CONTROLLIST_CODE_ORDER_H_
#define DUALUSE_SRC_CONTROLLIST_CODE_ORDER_H_

#include <string>
#include <string_view>
#include <vector>

namespace dualuse::controllist {

class ControlList;
struct ControlEntry;

// One segment of a code: the 5-character head or a letter (text set), or a number.
struct CodeSegment {
  std::string text;
  int number = 0;
};

// Sort key giving Annex I order: "5A001" < "5A001.a" < "5A001.a.2" < "5A001.a.10" < "5A001.b".
std::vector<CodeSegment> CodeSortKey(std::string_view code);
bool CodeLess(std::string_view a, std::string_view b);

// "5A001.j.1" -> "5A001.j"; "5A001" -> "".
std::string ParentCode(std::string_view code);

// Definition terms compare case-insensitively without quotes: "\"Intrusion Software\"".
std::string NormalizeTerm(std::string_view term);

// The entry as printed: "<code> <heading>", its notes ("Note 2: ..."), then its
// sub-items ("1. ..."), each level indented by two spaces.
std::string RenderText(const ControlList& list, const ControlEntry& e, int depth);

}  // namespace dualuse::controllist

#endif  // DUALUSE_SRC_CONTROLLIST_CODE_ORDER_H_
