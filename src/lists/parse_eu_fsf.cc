// EU Financial Sanctions Files, XML schema 1.1 (xmlFullSanctionsList_1_1,
// namespace http://eu.europa.ec/fpi/fsd/export): <export generationDate=...>
// with sanctionEntity records (logicalId, euReferenceNumber, designationDate),
// subjectType (person / enterprise), nameAlias (wholeName, strong="true|false",
// nameLanguage), citizenship, birthdate, identification, address, regulation
// (programme, publicationDate). The first nameAlias is taken as the main name.
#include <string>

#include "lists/parsers.h"
#include "lists/util.h"
#include "lists/xml_util.h"

namespace dualuse::lists::internal {

namespace {

Status Bad(const std::string& name, const pugi::xml_node& n, const std::string& what) {
  return Status::DataLoss(name + ": " + XPathOf(n) + ": " + what);
}

std::string Iso2(const pugi::xml_node& n) {
  std::string code = Attr(n, "countryIso2Code");
  if (code == "00" || code.empty()) return CountryCode(Attr(n, "countryDescription"));
  return CountryCode(code);
}

long LineOf(std::string_view content, const pugi::xml_node& n) {
  ptrdiff_t off = n.offset_debug();
  return off < 0 ? 0 : LineAt(content, static_cast<size_t>(off));
}

Status ParseEntity(std::string_view content, const pugi::xml_node& node, const std::string& name,
                   Entity* out, ListVersion* v) {
  Entity& e = *out;
  e.list = "eu_fsf";
  e.id = Attr(node, "logicalId");
  auto field_problem = [&](const pugi::xml_node& at, const std::string& what) {
    v->warnings.push_back(name + ": line " + std::to_string(LineOf(content, at)) + ": " +
                          XPathOf(at) + ": " + what + " (field left out, record kept)");
  };
  std::string ref = Attr(node, "euReferenceNumber");
  if (!ref.empty()) AddIdentifier(e, "eu_reference", ref, "");
  std::string un = Attr(node, "unitedNationId");
  if (!un.empty()) AddIdentifier(e, "un_reference", un, "");
  std::string designated = Attr(node, "designationDate");
  if (!designated.empty()) e.listed_on = NormalizeDate(designated);
  bool first_name_seen = false;
  std::string first_regulation;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view tag = LocalName(c);
    if (tag == "subjectType") {
      std::string code = Lower(Attr(c, "code"));
      std::string cls = Attr(c, "classificationCode");
      if (code == "person" || cls == "P")
        e.schema = Schema::kPerson;
      else if (code == "enterprise" || cls == "E")
        e.schema = Schema::kLegalEntity;
      else
        field_problem(c, "expected code person or enterprise");
    } else if (tag == "nameAlias") {
      std::string whole = Attr(c, "wholeName");
      if (whole.empty()) {
        whole = Attr(c, "firstName");
        for (const char* part : {"middleName", "lastName"}) {
          std::string p = Attr(c, part);
          if (!p.empty()) whole += (whole.empty() ? "" : " ") + p;
        }
      }
      if (whole.empty()) continue;
      std::string strong = Lower(Attr(c, "strong"));
      if (!strong.empty() && strong != "true" && strong != "false") {
        field_problem(c, "expected strong=\"true\" or \"false\"; taken as strong");
        strong = "true";
      }
      NameStrength s = !first_name_seen    ? NameStrength::kPrimary
                       : strong == "false" ? NameStrength::kWeak
                                           : NameStrength::kStrong;
      size_t before = e.names.size();
      AddName(e, whole, s);
      if (!first_name_seen && e.names.size() > before) {
        EntityName& n = e.names.back();
        n.first_name = Attr(c, "firstName");
        n.middle_name = Attr(c, "middleName");
        n.last_name = Attr(c, "lastName");
      }
      first_name_seen = true;
    } else if (tag == "citizenship" || tag == "address") {
      AddUnique(e.countries, Iso2(c));
    } else if (tag == "birthdate") {
      std::string d = Attr(c, "birthdate");
      std::string n = d.empty() ? NormalizeDate(Attr(c, "year")) : NormalizeDate(d);
      if (n.empty() && !(d.empty() && Attr(c, "year").empty()))
        field_problem(c, "expected birthdate=\"YYYY-MM-DD\" or year=\"YYYY\"");
      AddUnique(e.birth_dates, n);
    } else if (tag == "identification") {
      std::string type = IdentifierType(Attr(c, "identificationTypeCode"));
      if (type.empty()) type = "other";
      AddIdentifier(e, type, Attr(c, "number"), Iso2(c));
    } else if (tag == "regulation") {
      AddUnique(e.programs, Attr(c, "programme"));
      // The earliest regulation naming the party lists it (when the record
      // gives no designationDate).
      std::string published = NormalizeDate(Attr(c, "publicationDate"));
      if (!published.empty() && (first_regulation.empty() || published < first_regulation))
        first_regulation = published;
    } else if (tag == "remark") {
      std::string r = Clean(c.text().get());
      if (!r.empty()) e.remarks += (e.remarks.empty() ? "" : " ") + r;
    }
  }
  if (e.listed_on.empty()) e.listed_on = first_regulation;
  if (e.names.empty()) return Bad(name, node, "expected a nameAlias with a wholeName");
  if (e.id.empty()) {
    std::string ref = Attr(node, "euReferenceNumber");
    e.id = ref.empty() ? DerivedId({SchemaName(e.schema), e.names.front().full}) : "ref:" + ref;
    v->warnings.push_back(name + ": line " + std::to_string(LineOf(content, node)) + ": " +
                          XPathOf(node) + ": no logicalId; id " + e.id + " derived");
  }
  return Status::Ok();
}

}  // namespace

Status ParseEuFsfXml(std::string_view content, const std::string& name, ListVersion* out) {
  pugi::xml_document doc;
  DU_RETURN_IF_ERROR(LoadXml(content, name, &doc));
  pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "export")
    return Status::DataLoss(name + ": /" + std::string(LocalName(root)) +
                            ": expected the root element export");
  out->list_id = "eu_fsf";
  std::string generated = Attr(root, "generationDate");
  if (generated.empty()) generated = ChildText(root, "exportGenerationDate");
  if (!generated.empty()) {
    std::string d = NormalizeDate(generated);
    if (d.size() != 10) {
      out->warnings.push_back(name +
                              ": /export/@generationDate: expected an ISO 8601 date-time, got \"" +
                              generated + "\"; the list is undated");
    } else {
      out->date = d;
      out->date_source = "content";
    }
  }
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element || LocalName(c) != "sanctionEntity") continue;
    Entity e;
    Status s = ParseEntity(content, c, name, &e, out);
    if (!s.ok()) {
      Skip(out, name, LineOf(content, c), XPathOf(c), "expected a nameAlias with a wholeName");
      continue;
    }
    out->entities.push_back(std::move(e));
  }
  return Status::Ok();
}

}  // namespace dualuse::lists::internal
