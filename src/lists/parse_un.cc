// UN Security Council Consolidated List XML
// (https://scsanctions.un.org/resources/xml/en/consolidated.xml; schema
// https://www.un.org/sc/resources/sc-sanctions.xsd): CONSOLIDATED_LIST with
// INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY. Alias QUALITY "Low" is a weak
// alias (the UN's "low quality a.k.a."); "Good", "a.k.a." and "f.k.a." are strong.
#include <string>

#include "lists/parsers.h"
#include "lists/util.h"
#include "lists/xml_util.h"

namespace dualuse::lists::internal {

namespace {

Status Bad(const std::string& name, const pugi::xml_node& n, const std::string& what) {
  return Status::DataLoss(name + ": " + XPathOf(n) + ": " + what);
}

void AddDocument(Entity& e, const pugi::xml_node& d) {
  std::string type = ChildText(d, "TYPE_OF_DOCUMENT");
  std::string number = ChildText(d, "NUMBER");
  if (number.empty()) return;
  std::string country = ChildText(d, "ISSUING_COUNTRY");
  if (country.empty()) country = ChildText(d, "COUNTRY_OF_ISSUE");
  std::string t = IdentifierType(type);
  if (t.empty()) t = "other";
  AddIdentifier(e, t, number, CountryCode(country));
}

Status AddBirthDate(Entity& e, const pugi::xml_node& d, const std::string& name) {
  std::string type = Lower(ChildText(d, "TYPE_OF_DATE"));
  std::string date = ChildText(d, "DATE"), year = ChildText(d, "YEAR");
  std::string from = ChildText(d, "FROM_YEAR"), to = ChildText(d, "TO_YEAR");
  if (!date.empty()) {
    std::string n = NormalizeDate(date);
    if (n.empty())
      return Bad(name, Child(d, "DATE"), "expected a date YYYY-MM-DD, got \"" + date + "\"");
    AddUnique(e.birth_dates, n);
  }
  if (!year.empty()) {
    std::string n = NormalizeDate(year);
    if (n.empty()) return Bad(name, Child(d, "YEAR"), "expected a year YYYY, got \"" + year + "\"");
    AddUnique(e.birth_dates, n);
  }
  if (!from.empty() || !to.empty()) {
    std::string f = NormalizeDate(from), t = NormalizeDate(to);
    if (f.size() != 4 || t.size() != 4 || t < f)
      return Bad(name, d,
                 "expected FROM_YEAR <= TO_YEAR as years, got \"" + from + "\", \"" + to + "\"");
    int fy = std::stoi(f), ty = std::stoi(t);
    // A range of birth years: every year in it (bounded, as no one is listed
    // with a range wider than a few decades).
    if (ty - fy > 50) return Bad(name, d, "expected a birth-year range of at most 50 years");
    for (int y = fy; y <= ty; ++y)
      AddUnique(e.birth_dates, std::to_string(y));
  }
  (void)type;
  return Status::Ok();
}

long LineOf(std::string_view content, const pugi::xml_node& n) {
  ptrdiff_t off = n.offset_debug();
  return off < 0 ? 0 : LineAt(content, static_cast<size_t>(off));
}

// A field that cannot be read: left out, reported, the record kept.
void FieldProblem(ListVersion* v, std::string_view content, const std::string& name,
                  const Status& s, const pugi::xml_node& n) {
  std::string m = s.message();
  if (m.rfind(name + ": ", 0) == 0) m.erase(0, name.size() + 2);
  v->warnings.push_back(name + ": line " + std::to_string(LineOf(content, n)) + ": " + m +
                        " (field left out, record kept)");
}

Status ParseRecord(std::string_view content, const pugi::xml_node& node, bool individual,
                   const std::string& name, Entity* out, ListVersion* v) {
  Entity& e = *out;
  e.list = "un_sc";
  e.schema = individual ? Schema::kPerson : Schema::kOrganization;
  e.id = ChildText(node, "DATAID");
  std::string parts[4] = {ChildText(node, "FIRST_NAME"), ChildText(node, "SECOND_NAME"),
                          ChildText(node, "THIRD_NAME"), ChildText(node, "FOURTH_NAME")};
  std::string full;
  std::vector<std::string> present;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    present.push_back(p);
    full += (full.empty() ? "" : " ") + p;
  }
  if (full.empty()) return Bad(name, node, "expected a name (FIRST_NAME)");
  if (e.id.empty()) {
    // The UN's own reference (e.g. QDi.001) identifies the entry as well.
    std::string ref = ChildText(node, "REFERENCE_NUMBER");
    e.id = ref.empty() ? DerivedId({SchemaName(e.schema), full}) : "ref:" + ref;
    v->warnings.push_back(name + ": line " + std::to_string(LineOf(content, node)) + ": " +
                          XPathOf(node) + ": no DATAID; id " + e.id + " derived");
  }
  AddName(e, full, NameStrength::kPrimary);
  if (individual && !e.names.empty()) {
    EntityName& n = e.names.front();
    n.first_name = present.front();
    if (present.size() > 1) n.last_name = present.back();
    for (size_t i = 1; i + 1 < present.size(); ++i)
      n.middle_name += (n.middle_name.empty() ? "" : " ") + present[i];
  }
  std::string original = ChildText(node, "NAME_ORIGINAL_SCRIPT");
  if (!original.empty()) {
    AddName(e, original, NameStrength::kStrong);
    for (EntityName& n : e.names) {
      if (n.full == Clean(original)) n.original_script = true;
    }
  }
  std::string ref = ChildText(node, "REFERENCE_NUMBER");
  if (!ref.empty()) AddIdentifier(e, "un_reference", ref, "");
  std::string programme = ChildText(node, "UN_LIST_TYPE");
  AddUnique(e.programs, programme);
  std::string listed = ChildText(node, "LISTED_ON");
  if (!listed.empty()) {
    e.listed_on = NormalizeDate(listed);
    if (e.listed_on.size() != 10) {
      e.listed_on.clear();
      FieldProblem(
          v, content, name,
          Bad(name, Child(node, "LISTED_ON"), "expected a date YYYY-MM-DD, got \"" + listed + "\""),
          node);
    }
  }
  // A delisted entry still in the file (DELISTED_ON, where present).
  std::string delisted = ChildText(node, "DELISTED_ON");
  if (!delisted.empty()) e.delisted_on = NormalizeDate(delisted);
  e.remarks = ChildText(node, "COMMENTS1");
  const char* alias_tag = individual ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS";
  const char* address_tag = individual ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS";
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view tag = LocalName(c);
    if (tag == alias_tag) {
      std::string alias = ChildText(c, "ALIAS_NAME");
      if (alias.empty()) continue;
      std::string quality = ChildText(c, "QUALITY");
      AddName(e, alias, IEquals(quality, "Low") ? NameStrength::kWeak : NameStrength::kStrong);
    } else if (tag == "NATIONALITY") {
      for (pugi::xml_node v = c.first_child(); v; v = v.next_sibling()) {
        if (v.type() == pugi::node_element && LocalName(v) == "VALUE")
          AddCountry(e, v.text().get());
      }
    } else if (tag == address_tag) {
      AddCountry(e, ChildText(c, "COUNTRY"));
    } else if (tag == "INDIVIDUAL_DATE_OF_BIRTH") {
      Status dob = AddBirthDate(e, c, name);
      if (!dob.ok()) FieldProblem(v, content, name, dob, c);
    } else if (tag == "INDIVIDUAL_DOCUMENT") {
      AddDocument(e, c);
    }
  }
  return Status::Ok();
}

}  // namespace

Status ParseUnXml(std::string_view content, const std::string& name, ListVersion* out) {
  pugi::xml_document doc;
  DU_RETURN_IF_ERROR(LoadXml(content, name, &doc));
  pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "CONSOLIDATED_LIST")
    return Status::DataLoss(name + ": /" + std::string(LocalName(root)) +
                            ": expected the root element CONSOLIDATED_LIST");
  out->list_id = "un_sc";
  std::string generated = Attr(root, "dateGenerated");
  if (!generated.empty()) {
    std::string d = NormalizeDate(generated);
    if (d.size() != 10) {
      out->warnings.push_back(name +
                              ": /CONSOLIDATED_LIST/@dateGenerated: expected an ISO 8601 "
                              "date-time, got \"" +
                              generated + "\"; the list is undated");
    } else {
      out->date = d;
      out->date_source = "content";
    }
  }
  for (pugi::xml_node group = root.first_child(); group; group = group.next_sibling()) {
    if (group.type() != pugi::node_element) continue;
    std::string_view g = LocalName(group);
    bool individuals = g == "INDIVIDUALS";
    if (!individuals && g != "ENTITIES") continue;
    const char* record_tag = individuals ? "INDIVIDUAL" : "ENTITY";
    for (pugi::xml_node rec = group.first_child(); rec; rec = rec.next_sibling()) {
      if (rec.type() != pugi::node_element) continue;
      if (LocalName(rec) != record_tag) {
        Skip(out, name, LineOf(content, rec), XPathOf(rec),
             std::string("expected ") + record_tag + ", got " + std::string(LocalName(rec)));
        continue;
      }
      Entity e;
      Status s = ParseRecord(content, rec, individuals, name, &e, out);
      if (!s.ok()) {
        std::string m = s.message();
        if (m.rfind(name + ": ", 0) == 0) m.erase(0, name.size() + 2);
        size_t colon = m.find(": ");
        Skip(out, name, LineOf(content, rec), colon == std::string::npos ? "" : m.substr(0, colon),
             colon == std::string::npos ? m : m.substr(colon + 2));
        continue;
      }
      out->entities.push_back(std::move(e));
    }
  }
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
