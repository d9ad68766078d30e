#include "lists/xml_util.h"

#include <vector>

#include "lists/parsers.h"
#include "lists/util.h"

namespace dualuse::lists::internal {

std::string_view LocalName(const pugi::xml_node& n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& n, std::string_view local) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == local) return c;
  }
  return pugi::xml_node();
}

std::string ChildText(const pugi::xml_node& n, std::string_view local) {
  pugi::xml_node c = Child(n, local);
  return c ? Clean(c.text().get()) : std::string();
}

std::string Attr(const pugi::xml_node& n, const char* name) {
  return Clean(n.attribute(name).value());
}

std::string XPathOf(const pugi::xml_node& node) {
  std::vector<std::string> parts;
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    int index = 1;
    for (pugi::xml_node s = n.previous_sibling(); s; s = s.previous_sibling()) {
      if (s.type() == pugi::node_element && std::string_view(s.name()) == n.name()) ++index;
    }
    std::string part = std::string(LocalName(n));
    if (n.parent() && n.parent().type() == pugi::node_element) {
      // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on
      // `"[" + std::to_string(...)`.
      part.push_back('[');
      part.append(std::to_string(index));
      part.push_back(']');
    }
    parts.push_back(std::move(part));
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    out.push_back('/');
    out.append(*it);
  }
  return out;
}

Status LoadXml(std::string_view content, const std::string& name, pugi::xml_document* doc) {
  pugi::xml_parse_result r =
      doc->load_buffer(content.data(), content.size(), pugi::parse_default, pugi::encoding_auto);
  if (!r) {
    return Status::DataLoss(name + ": line " +
                            std::to_string(LineAt(content, static_cast<size_t>(r.offset))) +
                            ": expected well-formed XML (" + r.description() + ")");
  }
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
