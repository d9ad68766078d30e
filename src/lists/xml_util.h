// Private: pugixml helpers shared by the XML list parsers.
#ifndef DUALUSE_SRC_LISTS_XML_UTIL_H_
#define DUALUSE_SRC_LISTS_XML_UTIL_H_

#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "dualuse/base/status.h"

namespace dualuse::lists::internal {

// Element name without a namespace prefix.
std::string_view LocalName(const pugi::xml_node& n);
// First child element with this local name (any prefix).
pugi::xml_node Child(const pugi::xml_node& n, std::string_view local);
// Trimmed, whitespace-collapsed text of the first child with this local name.
std::string ChildText(const pugi::xml_node& n, std::string_view local);
std::string Attr(const pugi::xml_node& n, const char* name);
// "/ROOT/A[3]/B[1]" for messages: the index counts same-named siblings.
std::string XPathOf(const pugi::xml_node& n);
// Parses `content` into `doc`; kDataLoss "<name>: line N: <pugixml message>".
Status LoadXml(std::string_view content, const std::string& name, pugi::xml_document* doc);

}  // namespace dualuse::lists::internal

#endif  // DUALUSE_SRC_LISTS_XML_UTIL_H_
