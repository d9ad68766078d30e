#include "screening/terms.h"

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dualuse/base/resources.h"
#include "screening/normalize.h"

namespace dualuse::screening {
namespace {

using nlohmann::json;

// Normalises a data-file phrase the same way names are normalised.
std::string Canon(const std::string& phrase) {
  std::string out;
  for (const RawToken& t : Tokenize(Latinize(phrase))) {
    if (!out.empty()) out.push_back(' ');
    out += t.text;
  }
  return out;
}

Status Bad(const std::string& file, const std::string& where, const std::string& what) {
  return Status::DataLoss(file + ": " + where + ": " + what);
}

Status ReadTermList(const json& doc, const char* key, const std::string& file,
                    std::unordered_set<std::string>* out) {
  if (!doc.contains(key)) return Status::Ok();
  const json& sec = doc[key];
  if (!sec.is_object() || !sec.contains("terms") || !sec["terms"].is_array())
    return Bad(file, std::string("$.") + key + ".terms", "expected an array of strings");
  for (const json& t : sec["terms"]) {
    if (!t.is_string()) return Bad(file, std::string("$.") + key, "expected strings");
    std::string c = Canon(t.get<std::string>());
    if (!c.empty()) out->insert(c);
  }
  return Status::Ok();
}

// Written phrases kept as written (lower-cased ASCII), for matching on the
// name before normalisation.
Status ReadRawList(const json& doc, const char* key, const std::string& file,
                   std::vector<std::string>* out) {
  if (!doc.contains(key)) return Status::Ok();
  const json& sec = doc[key];
  if (!sec.is_object() || !sec.contains("terms") || !sec["terms"].is_array())
    return Bad(file, std::string("$.") + key + ".terms", "expected an array of strings");
  for (const json& t : sec["terms"]) {
    if (!t.is_string() || t.get<std::string>().empty())
      return Bad(file, std::string("$.") + key, "expected non-empty strings");
    std::string s = t.get<std::string>();
    for (char& c : s)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out->push_back(std::move(s));
  }
  return Status::Ok();
}

Status ReadVariants(const std::string& text, NameTerms* terms) {
  const std::string file = "name-variants.json";
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Bad(file, "$", "expected a JSON object");
  if (!doc.contains("classes") || !doc["classes"].is_array())
    return Bad(file, "$.classes", "expected an array");
  size_t idx = 0;
  for (const json& c : doc["classes"]) {
    const std::string where = "$.classes[" + std::to_string(idx++) + "]";
    if (!c.is_object() || !c.contains("source") || !c["source"].is_string() ||
        !c.contains("spellings") || !c["spellings"].is_array() || c["spellings"].size() < 2)
      return Bad(file, where, "expected source (string) and spellings (two or more strings)");
    std::string head;
    for (const json& v : c["spellings"]) {
      if (!v.is_string()) return Bad(file, where + ".spellings", "expected strings");
      const std::string s = Canon(v.get<std::string>());
      if (s.empty() || s.find(' ') != std::string::npos)
        return Bad(file, where + ".spellings", "expected one word per spelling");
      if (head.empty()) head = s;
      if (!terms->spelling_class.emplace(s, head).second)
        return Bad(file, where + ".spellings", "'" + s + "' is already in another class");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<NameTerms> ParseNameTerms(const std::string& legal_forms_json,
                                 const std::string& name_terms_json,
                                 const std::string& name_variants_json) {
  NameTerms terms;
  const std::string lf_file = "legal-forms.json", nt_file = "name-terms.json";
  json lf = json::parse(legal_forms_json, nullptr, false);
  if (lf.is_discarded() || !lf.is_object()) return Bad(lf_file, "$", "expected a JSON object");
  if (!lf.contains("forms") || !lf["forms"].is_array())
    return Bad(lf_file, "$.forms", "expected an array");
  size_t idx = 0;
  for (const json& f : lf["forms"]) {
    const std::string where = "$.forms[" + std::to_string(idx++) + "]";
    if (!f.is_object() || !f.contains("canonical") || !f["canonical"].is_string() ||
        !f.contains("group") || !f["group"].is_string() || !f.contains("variants") ||
        !f["variants"].is_array())
      return Bad(lf_file, where, "expected canonical, group (strings) and variants (array)");
    LegalForm form{Canon(f["canonical"].get<std::string>()), f["group"].get<std::string>()};
    for (const json& v : f["variants"]) {
      if (!v.is_string()) return Bad(lf_file, where + ".variants", "expected strings");
      std::string c = Canon(v.get<std::string>());
      if (c.empty()) continue;
      size_t ntok = 1;
      for (char ch : c)
        ntok += ch == ' ';
      terms.max_legal_form_tokens = std::max(terms.max_legal_form_tokens, ntok);
      terms.legal_forms.emplace(c, form);
      terms.legal_form_first.insert(c.substr(0, c.find(' ')));
    }
    terms.legal_forms.emplace(form.canonical, form);
    terms.legal_form_first.insert(form.canonical.substr(0, form.canonical.find(' ')));
  }

  json nt = json::parse(name_terms_json, nullptr, false);
  if (nt.is_discarded() || !nt.is_object()) return Bad(nt_file, "$", "expected a JSON object");
  DU_RETURN_IF_ERROR(ReadTermList(nt, "honorifics", nt_file, &terms.honorifics));
  DU_RETURN_IF_ERROR(ReadTermList(nt, "stopwords", nt_file, &terms.stopwords));
  DU_RETURN_IF_ERROR(ReadTermList(nt, "org_generic", nt_file, &terms.org_generic));
  DU_RETURN_IF_ERROR(ReadTermList(nt, "object_prefixes", nt_file, &terms.object_prefixes));
  std::unordered_set<std::string> patronymics;
  DU_RETURN_IF_ERROR(ReadTermList(nt, "patronymic_suffixes", nt_file, &patronymics));
  terms.patronymic_suffixes.assign(patronymics.begin(), patronymics.end());
  DU_RETURN_IF_ERROR(ReadRawList(nt, "boilerplate", nt_file, &terms.boilerplate));
  DU_RETURN_IF_ERROR(ReadRawList(nt, "alias_markers", nt_file, &terms.alias_markers));
  if (!name_variants_json.empty()) DU_RETURN_IF_ERROR(ReadVariants(name_variants_json, &terms));
  if (nt.contains("abbreviations")) {
    const json& m = nt["abbreviations"];
    if (!m.is_object() || !m.contains("map") || !m["map"].is_object())
      return Bad(nt_file, "$.abbreviations.map", "expected an object");
    for (auto it = m["map"].begin(); it != m["map"].end(); ++it) {
      if (!it.value().is_string())
        return Bad(nt_file, "$.abbreviations.map." + it.key(), "expected a string");
      terms.abbreviations[Canon(it.key())] = Canon(it.value().get<std::string>());
    }
  }
  if (nt.contains("number_words")) {
    const json& m = nt["number_words"];
    if (!m.is_object() || !m.contains("map") || !m["map"].is_object())
      return Bad(nt_file, "$.number_words.map", "expected an object");
    for (auto it = m["map"].begin(); it != m["map"].end(); ++it) {
      if (!it.value().is_number_integer())
        return Bad(nt_file, "$.number_words.map." + it.key(), "expected an integer");
      terms.number_words[Canon(it.key())] = it.value().get<int>();
    }
  }
  return terms;
}

namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::FailedPrecondition(path + ": cannot read the screening data file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<const NameTerms*> DefaultNameTerms() {
  static Result<const NameTerms*>* cached = [] {
    auto lf = ReadFile(ResourcePath("screening/legal-forms.json"));
    if (!lf) return new Result<const NameTerms*>(lf.error());
    auto nt = ReadFile(ResourcePath("screening/name-terms.json"));
    if (!nt) return new Result<const NameTerms*>(nt.error());
    auto nv = ReadFile(ResourcePath("screening/name-variants.json"));
    if (!nv) return new Result<const NameTerms*>(nv.error());
    auto parsed = ParseNameTerms(*lf, *nt, *nv);
    if (!parsed) return new Result<const NameTerms*>(parsed.error());
    return new Result<const NameTerms*>(new NameTerms(std::move(parsed).value()));
  }();
  return *cached;
}

}  // namespace dualuse::screening
