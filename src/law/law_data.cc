// Loading and checking data/law/ (schema in data/law/README.md).
#include "dualuse/law/law_data.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "dualuse/base/resources.h"
#include "dualuse/base/sha256.h"
#include "law/json_reader.h"

namespace dualuse::law {

using jsonutil::Errors;
using jsonutil::json;
using jsonutil::Member;
using jsonutil::Path;

const char* VerificationCode(Verification v) {
  switch (v) {
    case Verification::kVerified:
      return "V";
    case Verification::kSecondary:
      return "S";
    case Verification::kUnverified:
      return "K";
  }
  return "K";
}

const Provision* Regime::Find(std::string_view key) const {
  auto it = provisions.find(key);
  return it == provisions.end() ? nullptr : &it->second;
}

bool CodeWithin(std::string_view code, std::string_view entry) {
  if (code.size() < entry.size() || code.compare(0, entry.size(), entry) != 0) return false;
  return code.size() == entry.size() || code[entry.size()] == '.';
}

std::string ArticleSlug(std::string_view article) {
  std::string out;
  for (char c : article) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-')
    out.pop_back();
  return out;
}

// Provision keys the rules know (data/law/README.md).
static const std::set<std::string, std::less<>> kProvisionKeys = {
    "listed_export",
    "non_listed_basis",
    "catch_all_wmd",
    "catch_all_military_embargo",
    "catch_all_military_parts",
    "catch_all_aware",
    "catch_all_suspicion",
    "cyber_catch_all_informed",
    "cyber_catch_all_aware",
    "cyber_catch_all_suspicion",
    "brokering_informed",
    "brokering_aware",
    "transit",
    "technical_assistance_informed",
    "technical_assistance_aware",
    "technical_assistance_exemptions",
    "national_measures",
    "national_list_other_ms",
    "intra_eu_transfer",
    "general_authorisation",
    "authorisation_criteria",
    "guidelines",
    "record_keeping",
};
static const std::set<std::string, std::less<>> kConditionIds = {
    "not_informed_or_aware_art_4_1", "requires_icp", "exporter_established_in_member_state",
    "circumstance", "not_to_free_zone"};
static const std::set<std::string, std::less<>> kCircumstances = {
    "after_repair_or_replacement", "temporary_export_exhibition",    "intra_group", "public_domain",
    "basic_scientific_research",   "installation_maintenance_repair"};
static const std::set<std::string, std::less<>> kActivities = {
    "export", "transmission", "brokering", "transit", "technical_assistance", "transfer"};
static const std::set<std::string, std::less<>> kKinds = {"goods", "software", "technology"};

class LawLoader {
 public:
  // Reads the text of the file `name` (a path relative to data/law).
  using TextSource = std::function<Status(const std::string& name, std::string* text)>;

  explicit LawLoader(LawData* d) : d_(d) {}

  Status Load(const std::string& dir, const TextSource& read) {
    d_->dir_ = dir;
    json manifest;
    std::string manifest_text;
    DU_RETURN_IF_ERROR(ReadJson(read, "law.json", &manifest, &manifest_text));
    Errors e("law.json");
    Path root;
    std::string version;
    std::vector<std::string> files;
    if (!jsonutil::RequireObject(manifest, root, e) ||
        !CheckSchema(manifest, root, "dualuse.law.manifest/1", e) ||
        !jsonutil::ReadNonEmptyString(manifest, root, "version", true, &version, e) ||
        !jsonutil::ReadStringArray(manifest, root, "files", true, &files, e)) {
      return Status::DataLoss(e.message());
    }
    std::string all;
    std::map<std::string, json> docs;
    for (const std::string& f : files) {
      if (f.find("..") != std::string::npos || f.empty() || f[0] == '/') {
        return Status::DataLoss("law.json: $.files: " + jsonutil::Quote(f) +
                                " is not a relative path inside data/law");
      }
      json doc;
      std::string text;
      DU_RETURN_IF_ERROR(ReadJson(read, f, &doc, &text));
      all += Sha256Hex(text);
      docs[f] = std::move(doc);
    }
    // Countries first, then regimes: the other files refer to them.
    auto rank = [&](const std::string& f) {
      const json& doc = docs[f];
      const json* schema = doc.is_object() ? Member(doc, "schema") : nullptr;
      if (schema && *schema == "dualuse.law.countries/1") return 0;
      if (schema && *schema == "dualuse.law.regimes/1") return 1;
      if (schema && *schema == "dualuse.law.arms-embargoes/1") return 2;
      return 3;
    };
    std::vector<std::string> order = files;
    std::stable_sort(order.begin(), order.end(),
                     [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    for (const std::string& f : order) {
      file_ = f;
      Errors fe(f);
      LoadFile(docs[f], fe);
      if (!fe.ok()) return Status::DataLoss(fe.message());
    }
    file_ = "law.json";
    Errors ce("data/law");
    CrossChecks(ce);
    if (!ce.ok()) return Status::DataLoss(ce.message());
    d_->files_ = files;
    d_->version_ = version + "+sha256:" + Sha256Hex(all).substr(0, 16);
    return Status::Ok();
  }

 private:
  static Status ReadJson(const TextSource& read, const std::string& name, json* out,
                         std::string* text) {
    DU_RETURN_IF_ERROR(read(name, text));
    *out = json::parse(*text, nullptr, false);
    if (out->is_discarded()) return Status::DataLoss(name + ": $: not valid JSON");
    return Status::Ok();
  }

  static bool CheckSchema(const json& doc, const Path& p, std::string_view want, Errors& e) {
    std::string schema;
    if (!jsonutil::ReadString(doc, p, "schema", true, &schema, e)) return false;
    if (schema != want) {
      e.Fail(p.Key("schema"),
             "expected " + jsonutil::Quote(want) + ", got " + jsonutil::Quote(schema));
      return false;
    }
    return true;
  }

  void Count(Verification v) {
    FactCounts& c = d_->counts_by_file_[file_];
    switch (v) {
      case Verification::kVerified:
        ++c.verified, ++d_->counts_.verified;
        break;
      case Verification::kSecondary:
        ++c.secondary, ++d_->counts_.secondary;
        break;
      case Verification::kUnverified:
        ++c.unverified, ++d_->counts_.unverified;
        break;
    }
  }

  // A fact's source and verification level (both required).
  bool ReadProv(const json& obj, const Path& p, Provenance* out, Errors& e,
                std::string_view source_key = "source",
                std::string_view verification_key = "verification") {
    if (!jsonutil::ReadNonEmptyString(obj, p, source_key, true, &out->source, e)) return false;
    std::string v;
    if (!jsonutil::ReadString(obj, p, verification_key, true, &v, e)) return false;
    if (v == "V") {
      out->verification = Verification::kVerified;
    } else if (v == "S") {
      out->verification = Verification::kSecondary;
    } else if (v == "K") {
      out->verification = Verification::kUnverified;
    } else {
      e.Fail(p.Key(verification_key), "expected \"V\", \"S\" or \"K\", got " + jsonutil::Quote(v));
      return false;
    }
    Count(out->verification);
    return true;
  }

  bool ReadPeriod(const json& obj, const Path& p, Period* out, Errors& e, bool from_required) {
    std::optional<Date> from, until;
    if (!jsonutil::ReadDate(obj, p, "valid_from", from_required, &from, e) ||
        !jsonutil::ReadDate(obj, p, "valid_until", false, &until, e)) {
      return false;
    }
    out->from = from.value_or(Date{1900, 1, 1});
    out->until = until;
    if (until && *until <= out->from) {
      e.Fail(p.Key("valid_until"), "expected a date after valid_from " + out->from.ToString());
      return false;
    }
    return true;
  }

  bool ReadCountry(const json& obj, const Path& p, std::string_view key, std::string* out,
                   Errors& e) {
    if (!jsonutil::ReadString(obj, p, key, true, out, e)) return false;
    return CheckCountry(*out, p.Key(key), e);
  }

  bool CheckCountry(const std::string& c, const Path& p, Errors& e) {
    if (!d_->IsCountry(c)) {
      e.Fail(p, jsonutil::Quote(c) + " is not an ISO 3166-1 alpha-2 code in countries.json");
      return false;
    }
    return true;
  }

  bool CheckCodeSyntax(const std::string& code, const Path& p, Errors& e) {
    // Annex I notation: digit, letter A-E, three digits, then ".x" sub-items.
    auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    bool ok = code.size() >= 5 && digit(code[0]) && code[1] >= 'A' && code[1] <= 'E' &&
              digit(code[2]) && digit(code[3]) && digit(code[4]);
    for (size_t i = 5; ok && i < code.size(); ++i) {
      ok = code[i] == '.' ? (i + 1 < code.size() && code[i - 1] != '.') : alnum(code[i]);
    }
    if (ok && code.size() > 5 && code[5] != '.') ok = false;
    if (!ok) e.Fail(p, jsonutil::Quote(code) + " is not an Annex I code (expected e.g. 5A001.j)");
    return ok;
  }

  void LoadFile(const json& doc, Errors& e) {
    Path root;
    if (!jsonutil::RequireObject(doc, root, e)) return;
    std::string schema;
    if (!jsonutil::ReadString(doc, root, "schema", true, &schema, e)) return;
    if (schema == "dualuse.law.regimes/1") return LoadRegimes(doc, e);
    if (schema == "dualuse.law.countries/1") return LoadCountries(doc, e);
    if (schema == "dualuse.law.member-states/1") return LoadMemberStates(doc, e);
    if (schema == "dualuse.law.general-authorisations/1") return LoadGas(doc, e);
    if (schema == "dualuse.law.annex-iv/1") return LoadAnnexIv(doc, e);
    if (schema == "dualuse.law.arms-embargoes/1") return LoadEmbargoes(doc, e);
    if (schema == "dualuse.law.restrictive-measures/1") return LoadMeasures(doc, e);
    if (schema == "dualuse.law.member-state/1") return LoadLayer(doc, e);
    if (schema == "dualuse.law.customs-territory/1") return LoadTerritory(doc, e);
    if (schema == "dualuse.law.annex-i-dates/1") return LoadAnnexIDates(doc, e);
    e.Fail(root.Key("schema"), "unknown schema " + jsonutil::Quote(schema));
  }

  // Iterates an array member, calling fn(element, path) for each object.
  template <typename Fn>
  void ForEach(const json& obj, const Path& p, std::string_view key, bool required, Errors& e,
               Fn fn) {
    const json* arr = Member(obj, key);
    Path ap = p.Key(key);
    if (!arr) {
      if (required) e.Fail(ap, "missing (required)");
      return;
    }
    if (!jsonutil::RequireArray(*arr, ap, e)) return;
    for (size_t i = 0; i < arr->size() && e.ok(); ++i) {
      Path ep = ap.At(i);
      if (!jsonutil::RequireObject((*arr)[i], ep, e)) return;
      fn((*arr)[i], ep);
    }
  }

  void LoadCountries(const json& doc, Errors& e) {
    Path root;
    Provenance prov;
    if (!ReadProv(doc, root, &prov, e)) return;
    ForEach(doc, root, "countries", true, e, [&](const json& c, const Path& p) {
      Country country;
      if (!jsonutil::ReadString(c, p, "alpha_2", true, &country.alpha2, e) ||
          !jsonutil::ReadString(c, p, "alpha_3", false, &country.alpha3, e) ||
          !jsonutil::ReadString(c, p, "name", true, &country.name, e)) {
        return;
      }
      int idx = CountryIndex(country.alpha2);
      if (idx < 0) {
        e.Fail(p.Key("alpha_2"),
               "expected two upper-case letters, got " + jsonutil::Quote(country.alpha2));
        return;
      }
      if (d_->country_index_[idx] != 0) {
        e.Fail(p.Key("alpha_2"), "duplicate country " + jsonutil::Quote(country.alpha2));
        return;
      }
      d_->countries_.push_back(std::move(country));
      d_->country_index_[idx] = static_cast<int>(d_->countries_.size());
    });
  }

  void LoadRegimes(const json& doc, Errors& e) {
    Path root;
    ForEach(doc, root, "regimes", true, e, [&](const json& r, const Path& p) {
      Regime reg;
      if (!jsonutil::ReadNonEmptyString(r, p, "id", true, &reg.id, e) ||
          !jsonutil::ReadNonEmptyString(r, p, "act", true, &reg.act, e) ||
          !jsonutil::ReadNonEmptyString(r, p, "act_number", true, &reg.act_number, e) ||
          !jsonutil::ReadString(r, p, "title", false, &reg.title, e) ||
          !ReadPeriod(r, p, &reg.period, e, true) || !ReadProv(r, p, &reg.prov, e)) {
        return;
      }
      const json* rk = Member(r, "record_keeping");
      Path rkp = p.Key("record_keeping");
      if (!rk) return e.Fail(rkp, "missing (required)");
      Provenance rkprov;
      if (!jsonutil::RequireObject(*rk, rkp, e) ||
          !jsonutil::ReadInt(*rk, rkp, "years", true, &reg.record_keeping_years, e) ||
          !jsonutil::ReadNonEmptyString(*rk, rkp, "article", true, &reg.record_keeping_article,
                                        e) ||
          !ReadProv(*rk, rkp, &rkprov, e)) {
        return;
      }
      const json* provs = Member(r, "provisions");
      Path pp = p.Key("provisions");
      if (!provs) return e.Fail(pp, "missing (required)");
      if (!jsonutil::RequireObject(*provs, pp, e)) return;
      for (auto it = provs->begin(); it != provs->end() && e.ok(); ++it) {
        Path kp = pp.Key(it.key());
        if (!kProvisionKeys.count(it.key())) {
          return e.Fail(kp, "unknown provision key (see data/law/README.md)");
        }
        Provision prov;
        prov.key = it.key();
        if (!jsonutil::RequireObject(it.value(), kp, e) ||
            !jsonutil::ReadNonEmptyString(it.value(), kp, "article", true, &prov.article, e) ||
            !jsonutil::ReadNonEmptyString(it.value(), kp, "title", true, &prov.title, e) ||
            !ReadProv(it.value(), kp, &prov.prov, e)) {
          return;
        }
        if (Member(it.value(), "uses") &&
            (!jsonutil::ReadNonEmptyString(it.value(), kp, "uses", true, &prov.uses, e) ||
             !ReadProv(it.value(), kp, &prov.uses_prov, e, "uses_source", "uses_verification"))) {
          return;
        }
        reg.provisions.emplace(prov.key, std::move(prov));
      }
      for (const Regime& other : d_->regimes_) {
        if (other.id == reg.id) return e.Fail(p.Key("id"), "duplicate regime id");
        if (other.period.Overlaps(reg.period)) {
          return e.Fail(p.Key("valid_from"), "period overlaps regime " + other.id);
        }
      }
      d_->regimes_.push_back(std::move(reg));
    });
    std::sort(d_->regimes_.begin(), d_->regimes_.end(),
              [](const Regime& a, const Regime& b) { return a.period.from < b.period.from; });
  }

  void LoadMemberStates(const json& doc, Errors& e) {
    Path root;
    ForEach(doc, root, "member_states", true, e, [&](const json& m, const Path& p) {
      MemberState ms;
      if (!ReadCountry(m, p, "country", &ms.country, e) || !ReadPeriod(m, p, &ms.period, e, true) ||
          !ReadProv(m, p, &ms.prov, e)) {
        return;
      }
      for (const MemberState& o : d_->member_states_) {
        if (o.country == ms.country && o.period.Overlaps(ms.period)) {
          return e.Fail(p.Key("valid_from"), "period overlaps another record for " + ms.country);
        }
      }
      d_->member_states_.push_back(std::move(ms));
    });
  }

  bool ReadRegimeRef(const json& obj, const Path& p, std::string* out, Errors& e) {
    if (!jsonutil::ReadNonEmptyString(obj, p, "regime", true, out, e)) return false;
    if (!d_->FindRegime(*out)) {
      e.Fail(p.Key("regime"), "unknown regime " + jsonutil::Quote(*out));
      return false;
    }
    return true;
  }

  bool ReadCodes(const json& obj, const Path& p, std::string_view key, bool required,
                 std::vector<std::string>* out, Errors& e) {
    if (!jsonutil::ReadStringArray(obj, p, key, required, out, e)) return false;
    Path kp = p.Key(key);
    for (size_t i = 0; i < out->size(); ++i) {
      if (!CheckCodeSyntax((*out)[i], kp.At(i), e)) return false;
    }
    return true;
  }

  bool ReadCodeList(const json& v, const Path& p, CodeList* cl, Errors& e) {
    if (!ReadRegimeRef(v, p, &cl->regime, e) ||
        !jsonutil::ReadNonEmptyString(v, p, "annex", true, &cl->annex, e) ||
        !ReadPeriod(v, p, &cl->period, e, true) || !ReadProv(v, p, &cl->prov, e) ||
        !jsonutil::ReadBool(v, p, "include_annex_iv", false, &cl->include_annex_iv, e)) {
      return false;
    }
    const json* entries = Member(v, "entries");
    Path ep = p.Key("entries");
    if (!entries) {
      e.Fail(ep, "missing (required)");
      return false;
    }
    if (!jsonutil::RequireArray(*entries, ep, e)) return false;
    for (size_t i = 0; i < entries->size(); ++i) {
      const json& en = (*entries)[i];
      Path ip = ep.At(i);
      CodeEntry ce;
      if (en.is_string()) {
        ce.code = en.get<std::string>();
      } else if (en.is_object()) {
        if (!jsonutil::ReadString(en, ip, "code", true, &ce.code, e) ||
            !jsonutil::ReadInt(en, ip, "part", false, &ce.part, e) ||
            !jsonutil::ReadBool(en, ip, "partial", false, &ce.partial, e) ||
            !jsonutil::ReadString(en, ip, "note", false, &ce.note, e)) {
          return false;
        }
        if (Member(en, "part") && ce.part != 1 && ce.part != 2) {
          e.Fail(ip.Key("part"), "expected 1 or 2");
          return false;
        }
      } else {
        e.Fail(ip, std::string("expected a code or an object, got ") + jsonutil::TypeName(en));
        return false;
      }
      if (!CheckCodeSyntax(ce.code, en.is_object() ? ip.Key("code") : ip, e)) return false;
      cl->entries.push_back(std::move(ce));
    }
    return true;
  }

  bool CheckNoOverlap(const std::vector<CodeList>& lists, const CodeList& cl, const Path& p,
                      Errors& e) {
    for (const CodeList& o : lists) {
      if (o.regime == cl.regime && o.period.Overlaps(cl.period)) {
        e.Fail(p.Key("valid_from"), "period overlaps another list for regime " + cl.regime);
        return false;
      }
    }
    return true;
  }

  void LoadGas(const json& doc, Errors& e) {
    Path root;
    ForEach(doc, root, "annex_ii_section_i", true, e, [&](const json& v, const Path& p) {
      CodeList cl;
      if (!ReadCodeList(v, p, &cl, e) || !CheckNoOverlap(d_->section_i_, cl, p, e)) return;
      d_->section_i_.push_back(std::move(cl));
    });
    ForEach(doc, root, "authorisations", true, e, [&](const json& g, const Path& p) {
      GeneralAuthorisation ga;
      if (!jsonutil::ReadNonEmptyString(g, p, "id", true, &ga.id, e) ||
          !ReadRegimeRef(g, p, &ga.regime, e) ||
          !jsonutil::ReadNonEmptyString(g, p, "annex", true, &ga.annex, e) ||
          !jsonutil::ReadNonEmptyString(g, p, "title", true, &ga.title, e) ||
          !ReadPeriod(g, p, &ga.period, e, true) || !ReadProv(g, p, &ga.prov, e) ||
          !jsonutil::ReadStringArray(g, p, "activities", true, &ga.activities, e)) {
        return;
      }
      for (size_t i = 0; i < ga.activities.size(); ++i) {
        if (!kActivities.count(ga.activities[i])) {
          return e.Fail(p.Key("activities").At(i),
                        "unknown activity " + jsonutil::Quote(ga.activities[i]));
        }
      }
      const Regime* reg = d_->FindRegime(ga.regime);
      if (ga.period.from < reg->period.from ||
          (reg->period.until && (!ga.period.until || *reg->period.until < *ga.period.until))) {
        return e.Fail(p.Key("valid_from"), "period lies outside the period of regime " + reg->id);
      }
      const json* items = Member(g, "items");
      Path ip = p.Key("items");
      if (!items) return e.Fail(ip, "missing (required)");
      if (!jsonutil::RequireObject(*items, ip, e) ||
          !jsonutil::ReadBool(*items, ip, "all_annex_i", true, &ga.items.all_annex_i, e) ||
          !jsonutil::ReadBool(*items, ip, "except_annex_ii_section_i", true,
                              &ga.items.except_annex_ii_section_i, e) ||
          !ReadCodes(*items, ip, "entries", true, &ga.items.entries, e) ||
          !ReadCodes(*items, ip, "exclude", true, &ga.items.exclude, e) ||
          !jsonutil::ReadStringArray(*items, ip, "kinds", false, &ga.items.kinds, e)) {
        return;
      }
      for (size_t i = 0; i < ga.items.kinds.size(); ++i) {
        if (!kKinds.count(ga.items.kinds[i])) {
          return e.Fail(ip.Key("kinds").At(i), "expected goods, software or technology");
        }
      }
      if (!ga.items.all_annex_i && ga.items.entries.empty()) {
        return e.Fail(ip.Key("entries"), "expected entries when all_annex_i is false");
      }
      if (Member(g, "destinations_all_except")) {
        ga.all_destinations = true;
        if (!jsonutil::ReadStringArray(g, p, "destinations_all_except", true,
                                       &ga.destinations_all_except, e)) {
          return;
        }
        for (size_t i = 0; i < ga.destinations_all_except.size(); ++i) {
          if (!CheckCountry(ga.destinations_all_except[i], p.Key("destinations_all_except").At(i),
                            e)) {
            return;
          }
        }
      }
      ForEach(g, p, "destinations", true, e, [&](const json& dj, const Path& dp) {
        DatedCountry dc;
        if (!ReadCountry(dj, dp, "country", &dc.country, e) ||
            !ReadPeriod(dj, dp, &dc.period, e, false)) {
          return;
        }
        if (!Member(dj, "valid_from")) dc.period.from = ga.period.from;
        for (const DatedCountry& o : ga.destinations) {
          if (o.country == dc.country && o.period.Overlaps(dc.period)) {
            return e.Fail(dp.Key("country"), "duplicate destination " + dc.country);
          }
        }
        ga.destinations.push_back(std::move(dc));
      });
      if (!e.ok()) return;
      if (!ga.all_destinations && ga.destinations.empty()) {
        return e.Fail(p.Key("destinations"), "expected destinations or destinations_all_except");
      }
      if (!ReadProv(g, p, &ga.destinations_prov, e, "destinations_source",
                    "destinations_verification")) {
        return;
      }
      ForEach(g, p, "conditions", true, e, [&](const json& cj, const Path& cp) {
        Condition c;
        if (!jsonutil::ReadNonEmptyString(cj, cp, "id", true, &c.id, e) ||
            !jsonutil::ReadString(cj, cp, "value", false, &c.value, e) ||
            !jsonutil::ReadNonEmptyString(cj, cp, "text", true, &c.text, e) ||
            !ReadProv(cj, cp, &c.prov, e)) {
          return;
        }
        if (!kConditionIds.count(c.id)) {
          return e.Fail(cp.Key("id"), "unknown condition id " + jsonutil::Quote(c.id) +
                                          " (see data/law/README.md)");
        }
        if (c.id == "circumstance" && !kCircumstances.count(c.value)) {
          return e.Fail(cp.Key("value"), "unknown circumstance " + jsonutil::Quote(c.value));
        }
        ga.conditions.push_back(std::move(c));
      });
      ForEach(g, p, "obligations", false, e, [&](const json& oj, const Path& op) {
        Obligation o;
        if (!jsonutil::ReadNonEmptyString(oj, op, "text", true, &o.text, e) ||
            !ReadProv(oj, op, &o.prov, e)) {
          return;
        }
        ga.obligations.push_back(std::move(o));
      });
      if (!e.ok()) return;
      for (const GeneralAuthorisation& o : d_->gas_) {
        if (o.id == ga.id && o.regime == ga.regime && o.period.Overlaps(ga.period)) {
          return e.Fail(p.Key("valid_from"),
                        "period overlaps another version of " + ga.id + " under " + ga.regime);
        }
      }
      d_->gas_.push_back(std::move(ga));
    });
  }

  void LoadAnnexIv(const json& doc, Errors& e) {
    Path root;
    ForEach(doc, root, "versions", true, e, [&](const json& v, const Path& p) {
      CodeList cl;
      if (!ReadCodeList(v, p, &cl, e) || !CheckNoOverlap(d_->annex_iv_, cl, p, e)) return;
      d_->annex_iv_.push_back(std::move(cl));
    });
  }

  void LoadEmbargoes(const json& doc, Errors& e) {
    Path root;
    static const std::set<std::string, std::less<>> kKindsOk = {"legally_binding",
                                                                "politically_binding"};
    ForEach(doc, root, "embargoes", true, e, [&](const json& m, const Path& p) {
      ArmsEmbargo a;
      if (!jsonutil::ReadNonEmptyString(m, p, "id", true, &a.id, e) ||
          !ReadCountry(m, p, "country", &a.country, e) ||
          !jsonutil::ReadNonEmptyString(m, p, "authority", true, &a.authority, e) ||
          !jsonutil::ReadNonEmptyString(m, p, "kind", true, &a.kind, e) ||
          !jsonutil::ReadNonEmptyString(m, p, "scope", true, &a.scope, e) ||
          !jsonutil::ReadStringArray(m, p, "acts", true, &a.acts, e) ||
          !ReadPeriod(m, p, &a.period, e, true) ||
          !jsonutil::ReadBool(m, p, "counts_for_art_4_1_b", true, &a.counts_for_art_4_1_b, e) ||
          !ReadProv(m, p, &a.prov, e)) {
        return;
      }
      if (!kKindsOk.count(a.kind)) {
        return e.Fail(p.Key("kind"), "expected legally_binding or politically_binding");
      }
      if (a.acts.empty()) return e.Fail(p.Key("acts"), "expected at least one act");
      for (const ArmsEmbargo& o : d_->embargoes_) {
        if (o.id == a.id) return e.Fail(p.Key("id"), "duplicate embargo id");
        if (o.country == a.country && o.authority == a.authority && o.period.Overlaps(a.period)) {
          return e.Fail(p.Key("valid_from"), "period overlaps embargo " + o.id);
        }
      }
      d_->embargoes_.push_back(std::move(a));
    });
  }

  void LoadMeasures(const json& doc, Errors& e) {
    Path root;
    ForEach(doc, root, "measures", true, e, [&](const json& m, const Path& p) {
      RestrictiveMeasure r;
      std::string scope;
      if (!jsonutil::ReadNonEmptyString(m, p, "id", true, &r.id, e) ||
          !ReadCountry(m, p, "country", &r.country, e) ||
          !jsonutil::ReadNonEmptyString(m, p, "act", true, &r.act, e) ||
          !jsonutil::ReadString(m, p, "article", true, &r.article, e) ||
          !jsonutil::ReadString(m, p, "paragraph", false, &r.paragraph, e) ||
          !jsonutil::ReadString(m, p, "point", false, &r.point, e) ||
          !ReadPeriod(m, p, &r.period, e, true) ||
          !jsonutil::ReadNonEmptyString(m, p, "scope", true, &scope, e) ||
          !jsonutil::ReadNonEmptyString(m, p, "effect", true, &r.effect, e) ||
          !jsonutil::ReadBool(m, p, "human_rights", true, &r.human_rights, e) ||
          !jsonutil::ReadStringArray(m, p, "activities", true, &r.activities, e) ||
          !jsonutil::ReadNonEmptyString(m, p, "summary", true, &r.summary, e) ||
          !jsonutil::ReadString(m, p, "annex", false, &r.annex, e) ||
          !ReadCodes(m, p, "annex_i_indicative", false, &r.annex_i_indicative, e) ||
          !ReadCodes(m, p, "uncertain_entries", false, &r.uncertain_entries, e) ||
          !jsonutil::ReadString(m, p, "uncertain_reason", false, &r.uncertain_reason, e) ||
          !jsonutil::ReadString(m, p, "unsettled", false, &r.unsettled, e) ||
          !ReadProv(m, p, &r.prov, e)) {
        return;
      }
      if (r.article.empty() && (r.unsettled.empty() || !r.paragraph.empty())) {
        return e.Fail(p.Key("article"),
                      "empty: allowed only without a paragraph and with 'unsettled' saying why");
      }
      if (!r.uncertain_entries.empty() && r.uncertain_reason.empty()) {
        return e.Fail(p.Key("uncertain_reason"), "missing (required with uncertain_entries)");
      }
      if (r.prov.verification == Verification::kUnverified && r.unsettled.empty()) {
        return e.Fail(p.Key("unsettled"),
                      "missing: a measure at level K must say what is not settled, so that the "
                      "engine asks for review instead of guessing");
      }
      if (scope == "annex_i") {
        r.scope = MeasureScope::kAnnexI;
      } else if (scope == "annex_i_military_end_use") {
        r.scope = MeasureScope::kAnnexIMilitaryEndUse;
      } else if (scope == "monitoring_annex") {
        r.scope = MeasureScope::kMonitoringAnnex;
        if (r.annex.empty()) return e.Fail(p.Key("annex"), "missing (required for this scope)");
      } else if (scope == "own_annex") {
        r.scope = MeasureScope::kOwnAnnex;
        if (r.annex.empty()) return e.Fail(p.Key("annex"), "missing (required for this scope)");
        if (r.unsettled.empty()) {
          return e.Fail(p.Key("unsettled"),
                        "missing (required for own_annex: the annex is not held in the data)");
        }
      } else if (scope == "none") {
        r.scope = MeasureScope::kNone;
      } else {
        return e.Fail(p.Key("scope"),
                      "expected annex_i, annex_i_military_end_use, monitoring_annex, own_annex or "
                      "none");
      }
      if (r.effect != "prohibited" && r.effect != "licence_required" && r.effect != "red_flag") {
        return e.Fail(p.Key("effect"), "expected prohibited, licence_required or red_flag");
      }
      for (size_t i = 0; i < r.activities.size(); ++i) {
        if (!kActivities.count(r.activities[i])) {
          return e.Fail(p.Key("activities").At(i), "unknown activity");
        }
      }
      for (const RestrictiveMeasure& o : d_->measures_) {
        if (o.id == r.id) return e.Fail(p.Key("id"), "duplicate measure id");
        if (o.country == r.country && o.act == r.act && o.article == r.article &&
            o.paragraph == r.paragraph && o.point == r.point && o.scope == r.scope &&
            o.period.Overlaps(r.period)) {
          return e.Fail(p.Key("valid_from"), "period overlaps measure " + o.id);
        }
      }
      d_->measures_.push_back(std::move(r));
    });
    ForEach(doc, root, "asset_freeze_lists", true, e, [&](const json& m, const Path& p) {
      AssetFreezeList a;
      if (!jsonutil::ReadNonEmptyString(m, p, "list", true, &a.list, e) ||
          !jsonutil::ReadNonEmptyString(m, p, "basis", true, &a.basis, e) ||
          !jsonutil::ReadNonEmptyString(m, p, "effect", true, &a.effect, e) ||
          !ReadProv(m, p, &a.prov, e)) {
        return;
      }
      if (a.effect != "prohibited" && a.effect != "red_flag") {
        return e.Fail(p.Key("effect"), "expected prohibited or red_flag");
      }
      d_->asset_lists_.push_back(std::move(a));
    });
  }

  void LoadLayer(const json& doc, Errors& e) {
    Path root;
    MemberStateLayer l;
    if (!ReadCountry(doc, root, "country", &l.country, e) ||
        !jsonutil::ReadString(doc, root, "name", false, &l.name, e)) {
      return;
    }
    for (const MemberStateLayer& o : d_->layers_) {
      if (o.country == l.country) return e.Fail(root.Key("country"), "duplicate layer");
    }
    // competent_authorities[] (dated names) or, in older files, one competent_authority.
    if (Member(doc, "competent_authorities")) {
      ForEach(doc, root, "competent_authorities", true, e, [&](const json& a, const Path& ap) {
        DatedAuthority da;
        if (!jsonutil::ReadNonEmptyString(a, ap, "name", true, &da.name, e) ||
            !ReadPeriod(a, ap, &da.period, e, true) || !ReadProv(a, ap, &da.prov, e)) {
          return;
        }
        for (const DatedAuthority& o : l.authorities) {
          if (o.period.Overlaps(da.period)) {
            return e.Fail(ap.Key("valid_from"),
                          "period overlaps authority " + jsonutil::Quote(o.name));
          }
          if (o.period.from > da.period.from) {
            return e.Fail(ap.Key("valid_from"), "expected the authorities in date order");
          }
        }
        l.authorities.push_back(std::move(da));
      });
      if (!e.ok()) return;
      if (l.authorities.empty()) {
        return e.Fail(root.Key("competent_authorities"), "expected at least one authority");
      }
    } else {
      const json* ca = Member(doc, "competent_authority");
      Path cap = root.Key("competent_authority");
      if (!ca) return e.Fail(cap, "missing (required)");
      DatedAuthority da;
      if (!jsonutil::RequireObject(*ca, cap, e) ||
          !jsonutil::ReadNonEmptyString(*ca, cap, "name", true, &da.name, e) ||
          !ReadPeriod(*ca, cap, &da.period, e, true) || !ReadProv(*ca, cap, &da.prov, e)) {
        return;
      }
      l.authorities.push_back(std::move(da));
    }
    l.authority = l.authorities.back().name;
    l.authority_period = l.authorities.back().period;
    l.authority_prov = l.authorities.back().prov;
    ForEach(doc, root, "legal_framework", false, e, [&](const json& f, const Path& p) {
      std::string act;
      Period period;
      Provenance prov;
      if (!jsonutil::ReadNonEmptyString(f, p, "act", true, &act, e) ||
          !ReadPeriod(f, p, &period, e, true)) {
        return;
      }
      ReadProv(f, p, &prov, e);
    });
    ForEach(doc, root, "national_lists", false, e, [&](const json& n, const Path& p) {
      NationalList nl;
      if (!jsonutil::ReadNonEmptyString(n, p, "id", true, &nl.id, e) ||
          !jsonutil::ReadNonEmptyString(n, p, "prefix", true, &nl.prefix, e) ||
          !jsonutil::ReadNonEmptyString(n, p, "title", true, &nl.title, e) ||
          !jsonutil::ReadNonEmptyString(n, p, "article_basis", true, &nl.article_basis, e) ||
          !ReadPeriod(n, p, &nl.period, e, true) ||
          !jsonutil::ReadBool(n, p, "published_under_art_9_4", true, &nl.published_under_art_9_4,
                              e) ||
          !jsonutil::ReadStringArray(n, p, "entries", true, &nl.entries, e) ||
          !jsonutil::ReadBool(n, p, "intra_eu_transfer", false, &nl.intra_eu_transfer, e) ||
          !ReadProv(n, p, &nl.prov, e)) {
        return;
      }
      if (!kProvisionKeys.count(nl.article_basis)) {
        return e.Fail(p.Key("article_basis"), "unknown provision key");
      }
      if (nl.prefix != l.country) {
        return e.Fail(p.Key("prefix"), "expected the layer's country code " + l.country);
      }
      for (size_t i = 0; i < nl.entries.size(); ++i) {
        if (nl.entries[i].rfind(nl.prefix + ":", 0) != 0 ||
            nl.entries[i].size() <= nl.prefix.size() + 1) {
          return e.Fail(p.Key("entries").At(i), "expected " + nl.prefix + ":<code>");
        }
      }
      for (const NationalList& o : l.national_lists) {
        if (o.prefix == nl.prefix && o.period.Overlaps(nl.period)) {
          return e.Fail(p.Key("valid_from"), "period overlaps national list " + o.id);
        }
      }
      l.national_lists.push_back(std::move(nl));
    });
    ForEach(doc, root, "suspicion_rules", false, e, [&](const json& s, const Path& p) {
      SuspicionRule r;
      if (!jsonutil::ReadNonEmptyString(s, p, "provision", true, &r.provision, e) ||
          !jsonutil::ReadString(s, p, "text", false, &r.text, e) ||
          !ReadPeriod(s, p, &r.period, e, true) || !ReadProv(s, p, &r.prov, e)) {
        return;
      }
      if (r.provision != "catch_all_suspicion" && r.provision != "cyber_catch_all_suspicion" &&
          r.provision != "brokering_informed") {
        return e.Fail(p.Key("provision"),
                      "expected catch_all_suspicion or cyber_catch_all_suspicion");
      }
      for (const SuspicionRule& o : l.suspicion_rules) {
        if (o.provision == r.provision && o.period.Overlaps(r.period)) {
          return e.Fail(p.Key("valid_from"), "period overlaps another rule for " + r.provision);
        }
      }
      l.suspicion_rules.push_back(std::move(r));
    });
    ForEach(doc, root, "arms_embargo_overrides", false, e, [&](const json& s, const Path& p) {
      EmbargoOverride o;
      if (!jsonutil::ReadNonEmptyString(s, p, "embargo", true, &o.embargo, e) ||
          !jsonutil::ReadBool(s, p, "counts_for_art_4_1_b", true, &o.counts_for_art_4_1_b, e) ||
          !ReadPeriod(s, p, &o.period, e, true) || !ReadProv(s, p, &o.prov, e)) {
        return;
      }
      for (const EmbargoOverride& x : l.arms_embargo_overrides) {
        if (x.embargo == o.embargo && x.period.Overlaps(o.period)) {
          return e.Fail(p.Key("valid_from"), "period overlaps another override of " + o.embargo);
        }
      }
      l.arms_embargo_overrides.push_back(std::move(o));
    });
    ForEach(doc, root, "national_general_authorisations", false, e,
            [&](const json& s, const Path& p) {
              std::string id;
              Period period;
              Provenance prov;
              if (!jsonutil::ReadNonEmptyString(s, p, "id", true, &id, e) ||
                  !ReadPeriod(s, p, &period, e, true)) {
                return;
              }
              ReadProv(s, p, &prov, e);
            });
    if (e.ok()) d_->layers_.push_back(std::move(l));
  }

  void LoadTerritory(const json& doc, Errors& e) {
    Path root;
    ForEach(doc, root, "territories", true, e, [&](const json& t, const Path& p) {
      CustomsTerritoryRecord r;
      if (!ReadCountry(t, p, "country", &r.country, e) ||
          !jsonutil::ReadNonEmptyString(t, p, "name", true, &r.name, e) ||
          !ReadCountry(t, p, "member_state", &r.member_state, e) ||
          !jsonutil::ReadBool(t, p, "inside", true, &r.inside, e) ||
          !ReadPeriod(t, p, &r.period, e, true) ||
          !jsonutil::ReadNonEmptyString(t, p, "basis", true, &r.basis, e) ||
          !ReadProv(t, p, &r.prov, e)) {
        return;
      }
      for (const CustomsTerritoryRecord& o : d_->territories_) {
        if (o.country == r.country && o.period.Overlaps(r.period)) {
          return e.Fail(p.Key("valid_from"), "period overlaps another record for " + r.country);
        }
      }
      d_->territories_.push_back(std::move(r));
    });
    ForEach(doc, root, "notes", false, e, [&](const json& t, const Path& p) {
      TerritoryNote n;
      if (!jsonutil::ReadNonEmptyString(t, p, "name", true, &n.name, e) ||
          !ReadCountry(t, p, "member_state", &n.member_state, e) ||
          !ReadPeriod(t, p, &n.period, e, true) ||
          !jsonutil::ReadNonEmptyString(t, p, "text", true, &n.text, e) ||
          !ReadProv(t, p, &n.prov, e)) {
        return;
      }
      d_->territory_notes_.push_back(std::move(n));
    });
  }

  void LoadAnnexIDates(const json& doc, Errors& e) {
    Path root;
    const json* tf = Member(doc, "text_from");
    Path tp = root.Key("text_from");
    if (!tf) return e.Fail(tp, "missing (required)");
    std::optional<Date> from;
    if (!jsonutil::RequireObject(*tf, tp, e) ||
        !jsonutil::ReadDate(*tf, tp, "date", true, &from, e) ||
        !ReadProv(*tf, tp, &d_->annex_i_text_from_prov_, e)) {
      return;
    }
    d_->annex_i_text_from_ = *from;
    ForEach(doc, root, "entries", true, e, [&](const json& t, const Path& p) {
      AnnexIEntryDate r;
      std::optional<Date> vf;
      if (!jsonutil::ReadString(t, p, "code", true, &r.code, e) ||
          !CheckCodeSyntax(r.code, p.Key("code"), e) ||
          !jsonutil::ReadDate(t, p, "valid_from", true, &vf, e) ||
          !jsonutil::ReadNonEmptyString(t, p, "act", true, &r.act, e) ||
          !jsonutil::ReadNonEmptyString(t, p, "before", true, &r.before, e) ||
          !ReadProv(t, p, &r.prov, e)) {
        return;
      }
      r.valid_from = *vf;
      if (r.before != "not_listed" && r.before != "unknown") {
        return e.Fail(p.Key("before"), "expected not_listed or unknown");
      }
      for (const AnnexIEntryDate& o : d_->annex_i_dates_) {
        if (o.code == r.code) return e.Fail(p.Key("code"), "duplicate entry " + r.code);
      }
      d_->annex_i_dates_.push_back(std::move(r));
    });
  }

  // Annex II Section I takes in Annex IV by reference (include_annex_iv), so
  // each entry has one place. A Section I entry that equals an Annex IV entry,
  // or lies within an Annex IV entry that is not partial, is a second source of
  // truth and fails, unless both records are partial (each names its share). A
  // Section I entry broader than an Annex IV entry (1C351 over 1C351.d.4) is
  // coherent: it excludes more than Annex IV.
  void CheckSectionIAgainstAnnexIv(Errors& e) {
    Path root;
    for (const CodeList& si : d_->section_i_) {
      bool has_iv = false;
      for (const CodeList& iv : d_->annex_iv_) {
        if (iv.regime != si.regime || !iv.period.Overlaps(si.period)) continue;
        has_iv = true;
        for (const CodeEntry& a : si.entries) {
          for (const CodeEntry& b : iv.entries) {
            if (!CodeWithin(a.code, b.code)) continue;
            bool same = a.code == b.code;
            if (same ? (a.partial && b.partial) : b.partial) continue;
            return e.Fail(root, "general-authorisations.json: annex_ii_section_i (" + si.regime +
                                    ") lists " + a.code + (a.partial ? " (partial)" : "") +
                                    ", which annex-iv.json (" + iv.regime + ") already covers as " +
                                    b.code + (b.partial ? " (partial)" : "") +
                                    ": Section I includes Annex IV by reference; keep the entry in "
                                    "one of them, or mark both partial with notes");
          }
        }
      }
      if (si.include_annex_iv && !has_iv) {
        return e.Fail(root, "general-authorisations.json: annex_ii_section_i (" + si.regime +
                                ") includes Annex IV, but annex-iv.json has no list for that "
                                "regime and period");
      }
    }
  }

  // Checks that need every file: references between files.
  void CrossChecks(Errors& e) {
    Path root;
    if (d_->countries_.empty()) return e.Fail(root, "no countries.json loaded");
    if (d_->regimes_.empty()) return e.Fail(root, "no regimes.json loaded");
    CheckSectionIAgainstAnnexIv(e);
    if (!e.ok()) return;
    for (const MemberStateLayer& l : d_->layers_) {
      for (const EmbargoOverride& o : l.arms_embargo_overrides) {
        bool found = std::any_of(d_->embargoes_.begin(), d_->embargoes_.end(),
                                 [&](const ArmsEmbargo& a) { return a.id == o.embargo; });
        if (!found) {
          return e.Fail(root, "member-states/" + l.country + ": arms_embargo_overrides names " +
                                  "unknown embargo " + jsonutil::Quote(o.embargo));
        }
      }
    }
  }

  LawData* d_;
  std::string file_;
};

namespace {

Result<std::shared_ptr<const LawData>> LoadWith(const std::string& dir,
                                                const LawLoader::TextSource& read) {
  auto data = std::make_shared<LawData>();
  LawLoader loader(data.get());
  try {
    DU_RETURN_IF_ERROR(loader.Load(dir, read));
  } catch (const std::exception& ex) {  // nlohmann type errors: a bug or odd data
    return Status::DataLoss(std::string("data/law: ") + ex.what());
  }
  return std::shared_ptr<const LawData>(std::move(data));
}

}  // namespace

Result<std::shared_ptr<const LawData>> LawData::Load(const std::string& dir) {
  std::string d = dir.empty() ? ResourcePath("law") : dir;
  return LoadWith(d, [&d](const std::string& name, std::string* text) {
    std::string path = d + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::DataLoss(name + ": cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    *text = ss.str();
    return Status::Ok();
  });
}

Result<std::shared_ptr<const LawData>> LawData::LoadFromTexts(
    const std::map<std::string, std::string>& texts) {
  return LoadWith("", [&texts](const std::string& name, std::string* text) {
    auto it = texts.find(name);
    if (it == texts.end()) return Status::DataLoss(name + ": not among the texts given");
    *text = it->second;
    return Status::Ok();
  });
}

const Regime* LawData::RegimeOn(const Date& d) const {
  for (const Regime& r : regimes_) {
    if (r.period.Contains(d)) return &r;
  }
  return nullptr;
}

const Regime* LawData::FindRegime(std::string_view id) const {
  for (const Regime& r : regimes_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

bool LawData::IsCountry(std::string_view alpha2) const {
  int i = CountryIndex(alpha2);
  return i >= 0 && country_index_[i] != 0;
}

const Country* LawData::FindCountry(std::string_view alpha2) const {
  int i = CountryIndex(alpha2);
  if (i < 0 || country_index_[i] == 0) return nullptr;
  return &countries_[country_index_[i] - 1];
}

bool LawData::IsMemberState(std::string_view alpha2, const Date& d) const {
  for (const MemberState& m : member_states_) {
    if (m.country == alpha2 && m.period.Contains(d)) return true;
  }
  return false;
}

bool LawData::InCustomsTerritory(std::string_view alpha2, const Date& d) const {
  if (const CustomsTerritoryRecord* t = FindTerritory(alpha2, d)) return t->inside;
  return IsMemberState(alpha2, d);
}

const CustomsTerritoryRecord* LawData::FindTerritory(std::string_view alpha2, const Date& d) const {
  for (const CustomsTerritoryRecord& t : territories_) {
    if (t.country == alpha2 && t.period.Contains(d)) return &t;
  }
  return nullptr;
}

const AnnexIEntryDate* LawData::FindAnnexIDate(std::string_view code) const {
  const AnnexIEntryDate* best = nullptr;
  for (const AnnexIEntryDate& a : annex_i_dates_) {
    if (CodeWithin(code, a.code) && (!best || a.code.size() > best->code.size())) best = &a;
  }
  return best;
}

const DatedAuthority* MemberStateLayer::AuthorityOn(const Date& d) const {
  for (const DatedAuthority& a : authorities) {
    if (a.period.Contains(d)) return &a;
  }
  return nullptr;
}

std::string RestrictiveMeasure::Citation() const {
  if (article.empty()) return act;  // article not read: the act only (see `unsettled`)
  std::string s = act + ", Article " + article;
  if (!paragraph.empty()) s += "(" + paragraph + ")";
  if (!point.empty()) s += "(" + point + ")";
  return s;
}

const MemberStateLayer* LawData::FindLayer(std::string_view country) const {
  for (const MemberStateLayer& l : layers_) {
    if (l.country == country) return &l;
  }
  return nullptr;
}

const NationalList* LawData::FindNationalList(std::string_view prefix, const Date& d) const {
  for (const MemberStateLayer& l : layers_) {
    for (const NationalList& n : l.national_lists) {
      if (n.prefix == prefix && n.period.Contains(d)) return &n;
    }
  }
  return nullptr;
}

}  // namespace dualuse::law
