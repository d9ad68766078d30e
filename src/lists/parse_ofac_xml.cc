// OFAC sdnList XML (SDN.XML; also the consolidated non-SDN list): sdnEntry
// records with uid, names, sdnType, programList, akaList (category
// strong/weak: OFAC FAQ 91, weak AKAs do not identify on their own), idList,
// addressList, nationalityList, citizenshipList, dateOfBirthList.
#include <string>

#include "lists/parsers.h"
#include "lists/util.h"
#include "lists/xml_util.h"

namespace dualuse::lists::internal {

namespace {

Status Bad(const std::string& name, const pugi::xml_node& n, const std::string& what) {
  return Status::DataLoss(name + ": " + XPathOf(n) + ": " + what);
}

std::string JoinName(const std::string& first, const std::string& last) {
  if (first.empty()) return last;
  if (last.empty()) return first;
  return first + " " + last;
}

template <typename F>
void ForEach(const pugi::xml_node& n, std::string_view list, std::string_view item, F f) {
  pugi::xml_node l = Child(n, list);
  for (pugi::xml_node c = l.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == item) f(c);
  }
}

long LineOf(std::string_view content, const pugi::xml_node& n) {
  ptrdiff_t off = n.offset_debug();
  return off < 0 ? 0 : LineAt(content, static_cast<size_t>(off));
}

Status ParseEntry(std::string_view content, const pugi::xml_node& node, const std::string& list_id,
                  const std::string& name, Entity* out, ListVersion* v) {
  Entity& e = *out;
  e.list = list_id;
  e.id = ChildText(node, "uid");
  auto field_problem = [&](const pugi::xml_node& at, const std::string& what) {
    v->warnings.push_back(name + ": line " + std::to_string(LineOf(content, at)) + ": " +
                          XPathOf(at) + ": " + what + " (field left out, record kept)");
  };
  e.schema = SchemaFromType(ChildText(node, "sdnType"));
  std::string first = ChildText(node, "firstName"), last = ChildText(node, "lastName");
  std::string full = JoinName(first, last);
  if (full.empty()) return Bad(name, node, "expected a name (lastName)");
  if (e.id.empty()) {
    e.id = DerivedId({SchemaName(e.schema), full});
    v->warnings.push_back(name + ": line " + std::to_string(LineOf(content, node)) + ": " +
                          XPathOf(node) + ": no uid; id " + e.id + " derived");
  }
  AddName(e, full, NameStrength::kPrimary);
  if (e.schema == Schema::kPerson) {
    e.names.front().first_name = first;
    e.names.front().last_name = last;
  }
  ForEach(node, "programList", "program",
          [&](const pugi::xml_node& p) { AddUnique(e.programs, Clean(p.text().get())); });
  ForEach(node, "akaList", "aka", [&](const pugi::xml_node& a) {
    std::string category = ChildText(a, "category");
    std::string aka = JoinName(ChildText(a, "firstName"), ChildText(a, "lastName"));
    if (aka.empty()) return;
    if (!category.empty() && !IEquals(category, "strong") && !IEquals(category, "weak")) {
      // Kept as a weak alias: a name of the party, but not one that
      // identifies it on its own.
      field_problem(Child(a, "category"),
                    "expected strong or weak, got \"" + category + "\"; taken as weak");
      category = "weak";
    }
    AddName(e, aka, IEquals(category, "weak") ? NameStrength::kWeak : NameStrength::kStrong);
  });
  ForEach(node, "idList", "id", [&](const pugi::xml_node& i) {
    std::string type = IdentifierType(ChildText(i, "idType"));
    if (type.empty()) return;
    std::string number = ChildText(i, "idNumber");
    if (type == "imo" && number.rfind("IMO ", 0) == 0) number.erase(0, 4);
    AddIdentifier(e, type, number, CountryCode(ChildText(i, "idCountry")));
  });
  ForEach(node, "addressList", "address",
          [&](const pugi::xml_node& a) { AddCountry(e, ChildText(a, "country")); });
  ForEach(node, "nationalityList", "nationality",
          [&](const pugi::xml_node& a) { AddCountry(e, ChildText(a, "country")); });
  ForEach(node, "citizenshipList", "citizenship",
          [&](const pugi::xml_node& a) { AddCountry(e, ChildText(a, "country")); });
  ForEach(node, "dateOfBirthList", "dateOfBirthItem", [&](const pugi::xml_node& d) {
    std::string text = ChildText(d, "dateOfBirth");
    if (text.empty()) return;
    // OFAC writes "1962", "10 Dec 1948", "circa 1962", "1960 to 1962".
    size_t to = text.find(" to ");
    if (to != std::string::npos) {
      std::string a = NormalizeDate(text.substr(0, to)), b = NormalizeDate(text.substr(to + 4));
      if (a.size() >= 4 && b.size() >= 4) {
        int ya = std::stoi(a.substr(0, 4)), yb = std::stoi(b.substr(0, 4));
        if (ya <= yb && yb - ya <= 50) {
          for (int y = ya; y <= yb; ++y)
            AddUnique(e.birth_dates, std::to_string(y));
          return;
        }
      }
    }
    std::string n = NormalizeDate(text);
    if (n.empty()) {
      field_problem(Child(d, "dateOfBirth"),
                    "expected a date such as 10 Dec 1948 or 1962, got \"" + text + "\"");
      return;
    }
    AddUnique(e.birth_dates, n);
  });
  e.remarks = ChildText(node, "remarks");
  return Status::Ok();
}

}  // namespace

Status ParseOfacXml(std::string_view content, const std::string& name, ListVersion* out) {
  pugi::xml_document doc;
  DU_RETURN_IF_ERROR(LoadXml(content, name, &doc));
  pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "sdnList")
    return Status::DataLoss(name + ": /" + std::string(LocalName(root)) +
                            ": expected the root element sdnList");
  std::string base = Lower(
      name.substr(name.find_last_of('/') == std::string::npos ? 0 : name.find_last_of('/') + 1));
  out->list_id = base.find("cons") != std::string::npos ? "ofac_cons" : "ofac_sdn";
  pugi::xml_node info = Child(root, "publshInformation");
  std::string published = ChildText(info, "Publish_Date");
  if (!published.empty()) {
    std::string d = NormalizeDate(published);
    if (d.size() != 10) {
      out->warnings.push_back(name +
                              ": /sdnList/publshInformation/Publish_Date: expected "
                              "MM/DD/YYYY, got \"" +
                              published + "\"; the list is undated");
    } else {
      out->date = d;
      out->date_source = "content";
    }
  }
  long count = 0;
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element || LocalName(c) != "sdnEntry") continue;
    ++count;
    Entity e;
    Status s = ParseEntry(content, c, out->list_id, name, &e, out);
    if (!s.ok()) {
      Skip(out, name, LineOf(content, c), XPathOf(c), "expected a name (lastName)");
      continue;
    }
    out->entities.push_back(std::move(e));
  }
  std::string record_count = ChildText(info, "Record_Count");
  if (!record_count.empty() && record_count != std::to_string(count))
    return Status::DataLoss(name + ": /sdnList/publshInformation/Record_Count: expected " +
                            std::to_string(count) + " (the sdnEntry records present), got " +
                            record_count + " (truncated file?)");
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
