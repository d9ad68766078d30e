// JSON codec of the authority's documents (codec.h).
#include "dualuse/authority/codec.h"

#include <cctype>
#include <map>

#include "authority/json_util.h"
#include "dualuse/base/sha256.h"
#include "dualuse/classify/due_diligence.h"

namespace dualuse::authority {
namespace {

using internal::Fields;
using internal::Json;
using internal::ParseJson;

Json PeriodJson(const Period& p) {
  Json j = {{"from", p.from.ToString()}};
  j["until"] = p.until ? Json(p.until->ToString()) : Json(nullptr);
  return j;
}

Period ReadPeriod(Fields& f, const char* key, bool require_until) {
  Period p;
  const Json* o = f.Object(key, true);
  if (!o) return p;
  Fields pf(*o, f.PathOf(key), f.name());
  p.from = pf.DateField("from", true);
  p.until = pf.OptDate("until");
  if (pf.ok() && require_until && !p.until)
    pf.Fail(f.PathOf(key) + ".until", "missing; expected YYYY-MM-DD");
  if (pf.ok() && p.until && !(p.from < *p.until)) {
    pf.Fail(f.PathOf(key) + ".until", "expected a date after `from` (the period is [from, until))");
  }
  f.Merge(pf.status());
  return p;
}

Json AllowancesJson(const std::vector<Allowance>& as) {
  Json arr = Json::array();
  for (const auto& a : as) {
    Json j = {{"item_id", a.item_id}};
    j["quantity"] = a.quantity ? Json(*a.quantity) : Json(nullptr);
    j["value_eur"] = a.value_eur ? Json(*a.value_eur) : Json(nullptr);
    arr.push_back(j);
  }
  return arr;
}

std::vector<Allowance> ReadAllowances(Fields& f, const char* key) {
  std::vector<Allowance> out;
  const Json* arr = f.Array(key);
  if (!arr) return out;
  for (size_t i = 0; i < arr->size() && f.ok(); ++i) {
    Fields af((*arr)[i], f.PathOf(key, i), f.name());
    Allowance a;
    a.item_id = af.Str("item_id", true);
    a.quantity = af.OptNum("quantity");
    a.value_eur = af.OptNum("value_eur");
    if (af.ok() && a.quantity && *a.quantity < 0)
      af.Fail(f.PathOf(key, i) + ".quantity", "expected a number >= 0");
    if (af.ok() && a.value_eur && *a.value_eur < 0)
      af.Fail(f.PathOf(key, i) + ".value_eur", "expected a number >= 0");
    f.Merge(af.status());
    out.push_back(a);
  }
  return out;
}

Json GroundsJson(const std::vector<Ground>& gs) {
  Json arr = Json::array();
  for (const auto& g : gs) {
    arr.push_back(
        {{"rule", g.rule}, {"basis", g.basis}, {"effect", g.effect}, {"summary", g.summary}});
  }
  return arr;
}

std::vector<Ground> ReadGrounds(Fields& f, const char* key) {
  std::vector<Ground> out;
  const Json* arr = f.Array(key);
  if (!arr) return out;
  for (size_t i = 0; i < arr->size() && f.ok(); ++i) {
    Fields gf((*arr)[i], f.PathOf(key, i), f.name());
    Ground g{gf.Str("rule"), gf.Str("basis"), gf.Str("effect"), gf.Str("summary")};
    f.Merge(gf.status());
    out.push_back(std::move(g));
  }
  return out;
}

ItemLine ReadItem(const Json& j, const std::string& path, const std::string& name, Status* st) {
  Fields f(j, path, name);
  ItemLine it;
  it.id = f.Str("id", true);
  it.description = f.Str("description");
  it.kind = f.Str("kind");
  it.control_entries = f.StrList("control_entries");
  it.cyber_surveillance = f.Bool("cyber_surveillance");
  it.quantity = f.Num("quantity");
  it.value_eur = f.Num("value_eur");
  it.classification_record = f.Str("classification_record");
  if (f.ok() && it.quantity < 0) f.Fail(path + ".quantity", "expected a number >= 0");
  if (f.ok() && it.value_eur < 0) f.Fail(path + ".value_eur", "expected a number >= 0");
  *st = f.status();
  return it;
}

PartyLine ReadParty(const Json& j, const std::string& path, const std::string& name, Status* st) {
  Fields f(j, path, name);
  PartyLine p;
  p.role = f.Str("role", true);
  p.name = f.Str("name", true);
  p.country = f.Str("country");
  p.type = f.Str("type");
  p.sector = f.Str("sector");
  std::string s = f.Str("screening_status");
  if (!s.empty()) p.screening_status = s;
  p.screening_matches = f.StrList("screening_matches");
  p.review_decision = f.Str("review_decision");
  *st = f.status();
  return p;
}

Json NotificationToJson(const std::optional<NotificationLine>& n) {
  if (!n) return nullptr;
  return {{"schema", "dualuse.notification/1"},
          {"basis", n->basis},
          {"to", n->to},
          {"from", n->from},
          {"reference", n->reference},
          {"date", n->date},
          {"subject", n->subject},
          {"statement", n->statement},
          {"record_id", n->record_id},
          {"record_sha256", n->record_sha256},
          {"conclusion", n->conclusion},
          {"concerns", n->concerns},
          {"reasoning", n->reasoning},
          {"record", Json::parse(n->record_json, nullptr, false)}};
}

// The fields every notification line has, from either shape: the
// determination's dualuse.notification/1 or the application record's.
NotificationLine ReadNotificationText(Fields& f) {
  NotificationLine n;
  n.basis = f.Str("basis", true);
  n.to = f.Str("to");
  n.from = f.Str("from");
  n.reference = f.Str("reference");
  n.date = f.Str("date");
  n.subject = f.Str("subject");
  n.statement = f.Str("statement", true);
  n.record_sha256 = f.Str("record_sha256", true);
  return n;
}

bool IsCountryCode(const std::string& s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

}  // namespace

// ------------------------------------------------------------------ writers

std::string ToJson(const Application& a) {
  Json items = Json::array();
  for (const auto& i : a.items) {
    items.push_back({{"id", i.id},
                     {"description", i.description},
                     {"kind", i.kind},
                     {"control_entries", i.control_entries},
                     {"cyber_surveillance", i.cyber_surveillance},
                     {"quantity", i.quantity},
                     {"value_eur", i.value_eur},
                     {"classification_record", i.classification_record}});
  }
  Json parties = Json::array();
  for (const auto& p : a.parties) {
    parties.push_back({{"role", p.role},
                       {"name", p.name},
                       {"country", p.country},
                       {"type", p.type},
                       {"sector", p.sector},
                       {"screening_status", p.screening_status},
                       {"screening_matches", p.screening_matches},
                       {"review_decision", p.review_decision}});
  }
  Json dd = Json::array();
  for (const auto& d : a.due_diligence)
    dd.push_back({{"question", d.question}, {"answer", d.answer}});
  Json j = {{"schema", "dualuse.authority-application/1"},
            {"id", a.id},
            {"kind", FilingKindName(a.kind)},
            {"filed_on", a.filed_on.ToString()},
            {"filed_by", a.filed_by},
            {"reference", a.reference},
            {"activity", a.activity},
            {"exporter",
             {{"name", a.exporter_name},
              {"country", a.exporter_country},
              {"has_icp", a.exporter_has_icp}}},
            {"destination", a.destination},
            {"end_use", a.end_use},
            {"requested_licence_type", a.requested_licence_type},
            {"items", items},
            {"parties", parties},
            {"verdict", a.verdict},
            {"grounds", GroundsJson(a.grounds)},
            {"destination_facts", GroundsJson(a.destination_facts)},
            {"due_diligence", dd},
            {"notification", NotificationToJson(a.notification)}};
  if (!a.filed_by_organisation.empty()) j["filed_by_organisation"] = a.filed_by_organisation;
  return j.dump();
}

std::string ToJson(const CriteriaAssessment& a) {
  Json answers = Json::array();
  for (const auto& x : a.answers) {
    answers.push_back({{"criterion", x.criterion},
                       {"finding", CriterionFindingName(x.finding)},
                       {"reasoning", x.reasoning}});
  }
  Json j = {{"application_id", a.application_id},
            {"officer", a.officer},
            {"date", a.date.ToString()},
            {"answers", answers}};
  return j.dump();
}

std::string ToJson(const Consultation& c) {
  Json j = {{"id", c.id},
            {"application_id", c.application_id},
            {"denial_id", c.denial_id},
            {"consulted_authority", c.consulted_authority},
            {"date", c.date.ToString()},
            {"outcome", c.outcome}};
  return j.dump();
}

std::string ToJson(const Decision& d) {
  Json j = {{"id", d.id},
            {"application_id", d.application_id},
            {"officer", d.officer},
            {"date", d.date.ToString()},
            {"kind", DecisionKindName(d.kind)},
            {"reason", d.reason},
            {"criteria", d.criteria}};
  if (d.kind == DecisionKind::kGrant) {
    j["licence_type"] = LicenceTypeName(d.licence_type);
    j["validity"] = PeriodJson(d.validity);
    j["allowances"] = AllowancesJson(d.allowances);
  }
  return j.dump();
}

std::string ToJson(const Licence& l) {
  Json j = {{"id", l.id},
            {"application_id", l.application_id},
            {"decision_id", l.decision_id},
            {"holder", l.holder},
            {"destination", l.destination},
            {"type", LicenceTypeName(l.type)},
            {"validity", PeriodJson(l.validity)},
            {"allowances", AllowancesJson(l.allowances)}};
  return j.dump();
}

std::string ToJson(const Booking& b) {
  Json j = {{"id", b.id},
            {"licence_id", b.licence_id},
            {"date", b.date.ToString()},
            {"item_id", b.item_id},
            {"quantity", b.quantity},
            {"value_eur", b.value_eur},
            {"reference", b.reference}};
  return j.dump();
}

std::string ToJson(const Denial& d) {
  Json j = {{"id", d.id},
            {"issuing_authority", d.issuing_authority},
            {"application_id", d.application_id},
            {"issued_on", d.issued_on.ToString()},
            {"withdrawn_on", d.withdrawn_on ? Json(d.withdrawn_on->ToString()) : Json(nullptr)},
            {"entries", d.entries},
            {"destination", d.destination},
            {"end_user", {{"name", d.end_user_name}, {"country", d.end_user_country}}},
            {"reason", d.reason},
            {"criteria", d.criteria}};
  return j.dump();
}

// ------------------------------------------------------------------ readers

Result<Application> ApplicationFromJson(std::string_view json, const std::string& name) {
  DU_ASSIGN_OR_RETURN(Json j, ParseJson(json, name));
  Fields f(j, "$", name);
  Application a;
  a.id = f.Str("id");
  std::string kind = f.Str("kind", true);
  if (f.ok() && !ParseFilingKind(kind, &a.kind)) {
    f.Fail("$.kind",
           "\"" + kind + "\" is not a filing kind (expected application or notification)");
  }
  a.filed_on = f.DateField("filed_on", true);
  a.filed_by = f.Str("filed_by");
  a.filed_by_organisation = f.Str("filed_by_organisation");
  a.reference = f.Str("reference");
  a.activity = f.Str("activity");
  if (const Json* e = f.Object("exporter", true)) {
    Fields ef(*e, "$.exporter", name);
    a.exporter_name = ef.Str("name", true);
    a.exporter_country = ef.Str("country");
    a.exporter_has_icp = ef.Bool("has_icp");
    f.Merge(ef.status());
  }
  a.destination = f.Str("destination", true);
  a.end_use = f.Str("end_use");
  std::string lt = f.Str("requested_licence_type");
  if (!lt.empty()) a.requested_licence_type = lt;
  if (const Json* items = f.Array("items", true)) {
    for (size_t i = 0; i < items->size() && f.ok(); ++i) {
      Status st;
      a.items.push_back(ReadItem((*items)[i], f.PathOf("items", i), name, &st));
      f.Merge(st);
    }
  }
  if (const Json* parties = f.Array("parties")) {
    for (size_t i = 0; i < parties->size() && f.ok(); ++i) {
      Status st;
      a.parties.push_back(ReadParty((*parties)[i], f.PathOf("parties", i), name, &st));
      f.Merge(st);
    }
  }
  a.verdict = f.Str("verdict");
  a.grounds = ReadGrounds(f, "grounds");
  a.destination_facts = ReadGrounds(f, "destination_facts");
  if (const Json* dd = f.Array("due_diligence")) {
    for (size_t i = 0; i < dd->size() && f.ok(); ++i) {
      Fields df((*dd)[i], f.PathOf("due_diligence", i), name);
      a.due_diligence.push_back({df.Str("question", true), df.Str("answer")});
      f.Merge(df.status());
    }
  }
  if (const Json* n = f.Object("notification")) {
    Fields nf(*n, "$.notification", name);
    NotificationLine line = ReadNotificationText(nf);
    line.record_id = nf.Str("record_id");
    line.conclusion = nf.Str("conclusion");
    line.concerns = nf.StrList("concerns");
    line.reasoning = nf.Str("reasoning");
    if (const Json* rec = nf.Object("record", true)) line.record_json = rec->dump();
    f.Merge(nf.status());
    a.notification = std::move(line);
  }
  if (!f.ok()) return f.status();
  return a;
}

Result<CriteriaAssessment> AssessmentFromJson(std::string_view json, const std::string& name) {
  DU_ASSIGN_OR_RETURN(Json j, ParseJson(json, name));
  Fields f(j, "$", name);
  CriteriaAssessment a;
  a.application_id = f.Str("application_id", true);
  a.officer = f.Str("officer");
  a.date = f.DateField("date", true);
  if (const Json* arr = f.Array("answers", true)) {
    for (size_t i = 0; i < arr->size() && f.ok(); ++i) {
      Fields af((*arr)[i], f.PathOf("answers", i), name);
      CriterionAnswer x;
      x.criterion = af.Str("criterion", true);
      std::string finding = af.Str("finding", true);
      if (af.ok() && !ParseCriterionFinding(finding, &x.finding)) {
        af.Fail(f.PathOf("answers", i) + ".finding",
                "\"" + finding +
                    "\" is not a finding (expected no_concern, concern, clear_risk or "
                    "not_applicable)");
      }
      x.reasoning = af.Str("reasoning");
      f.Merge(af.status());
      a.answers.push_back(std::move(x));
    }
  }
  if (!f.ok()) return f.status();
  return a;
}

Result<Consultation> ConsultationFromJson(std::string_view json, const std::string& name) {
  DU_ASSIGN_OR_RETURN(Json j, ParseJson(json, name));
  Fields f(j, "$", name);
  Consultation c;
  c.id = f.Str("id");
  c.application_id = f.Str("application_id", true);
  c.denial_id = f.Str("denial_id", true);
  c.consulted_authority = f.Str("consulted_authority", true);
  c.date = f.DateField("date", true);
  c.outcome = f.Str("outcome", true);
  if (!f.ok()) return f.status();
  return c;
}

Result<Decision> DecisionFromJson(std::string_view json, const std::string& name) {
  DU_ASSIGN_OR_RETURN(Json j, ParseJson(json, name));
  Fields f(j, "$", name);
  Decision d;
  d.id = f.Str("id");
  d.application_id = f.Str("application_id", true);
  d.officer = f.Str("officer");
  d.date = f.DateField("date", true);
  std::string kind = f.Str("kind", true);
  if (f.ok() && !ParseDecisionKind(kind, &d.kind)) {
    f.Fail("$.kind", "\"" + kind +
                         "\" is not a decision (expected grant, deny, impose_requirement or "
                         "no_requirement)");
  }
  d.reason = f.Str("reason");
  d.criteria = f.StrList("criteria");
  if (f.ok() && d.kind == DecisionKind::kGrant) {
    std::string lt = f.Str("licence_type");
    if (!lt.empty() && !ParseLicenceType(lt, &d.licence_type)) {
      f.Fail("$.licence_type",
             "\"" + lt + "\" is not a licence type (expected individual or global)");
    }
    d.validity = ReadPeriod(f, "validity", /*require_until=*/true);
    d.allowances = ReadAllowances(f, "allowances");
  }
  if (!f.ok()) return f.status();
  return d;
}

Result<Licence> LicenceFromJson(std::string_view json, const std::string& name) {
  DU_ASSIGN_OR_RETURN(Json j, ParseJson(json, name));
  Fields f(j, "$", name);
  Licence l;
  l.id = f.Str("id", true);
  l.application_id = f.Str("application_id", true);
  l.decision_id = f.Str("decision_id", true);
  l.holder = f.Str("holder");
  l.destination = f.Str("destination");
  std::string lt = f.Str("type", true);
  if (f.ok() && !ParseLicenceType(lt, &l.type)) f.Fail("$.type", "expected individual or global");
  l.validity = ReadPeriod(f, "validity", true);
  l.allowances = ReadAllowances(f, "allowances");
  if (!f.ok()) return f.status();
  return l;
}

Result<Booking> BookingFromJson(std::string_view json, const std::string& name) {
  DU_ASSIGN_OR_RETURN(Json j, ParseJson(json, name));
  Fields f(j, "$", name);
  Booking b;
  b.id = f.Str("id");
  b.licence_id = f.Str("licence_id", true);
  b.date = f.DateField("date", true);
  b.item_id = f.Str("item_id", true);
  b.quantity = f.Num("quantity", true);
  b.value_eur = f.Num("value_eur");
  b.reference = f.Str("reference");
  if (!f.ok()) return f.status();
  return b;
}

namespace {
Denial ReadDenial(Fields& f) {
  Denial d;
  d.id = f.Str("id", true);
  d.issuing_authority = f.Str("issuing_authority", true);
  d.application_id = f.Str("application_id");
  d.issued_on = f.DateField("issued_on", true);
  d.withdrawn_on = f.OptDate("withdrawn_on");
  d.entries = f.StrList("entries", true);
  if (f.ok() && d.entries.empty())
    f.Fail(f.PathOf("entries"), "expected at least one Annex I entry");
  d.destination = f.Str("destination", true);
  if (f.ok() && !IsCountryCode(d.destination)) {
    f.Fail(f.PathOf("destination"), "\"" + d.destination + "\" is not an ISO 3166-1 alpha-2 code");
  }
  if (const Json* eu = f.Object("end_user", true)) {
    Fields ef(*eu, f.PathOf("end_user"), f.name());
    d.end_user_name = ef.Str("name", true);
    d.end_user_country = ef.Str("country");
    f.Merge(ef.status());
  }
  d.reason = f.Str("reason", true);
  d.criteria = f.StrList("criteria");
  return d;
}
}  // namespace

Result<Denial> DenialFromJson(std::string_view json, const std::string& name) {
  DU_ASSIGN_OR_RETURN(Json j, ParseJson(json, name));
  Fields f(j, "$", name);
  Denial d = ReadDenial(f);
  if (!f.ok()) return f.status();
  return d;
}

namespace internal {
// Used by denials.cc for the exchange document.
Result<Denial> ReadDenialAt(const Json& j, const std::string& path, const std::string& name) {
  Fields f(j, path, name);
  Denial d = ReadDenial(f);
  if (!f.ok()) return f.status();
  return d;
}
}  // namespace internal

// ------------------------------------------------------------------ filing

namespace {

// determination.notification: a dualuse.notification/1 document. The record
// it carries must be a valid due-diligence record (classify::ParseDueDiligence)
// whose canonical JSON has the SHA-256 the notification states, that every
// due-diligence record finding of the determination cites, for the request's
// transaction, concluding aware or suspect (a notification under Art 5(2) or
// 4(2) rests on awareness; NotificationJson makes none for not_aware).
// Anything else is InvalidArgument at its place: the authority does not file
// a notification whose record it cannot verify.
NotificationLine ReadFiledNotification(
    const Json& j, const std::string& request_reference,
    const std::vector<std::pair<std::string, std::string>>& cited, const std::string& name,
    Fields* df) {
  const std::string path = "$.determination.notification";
  Fields nf(j, path, name);
  std::string schema = nf.Str("schema", true);
  if (nf.ok() && schema != "dualuse.notification/1") {
    nf.Fail(path + ".schema", "\"" + schema + "\" is not dualuse.notification/1");
  }
  NotificationLine n = ReadNotificationText(nf);
  const Json* rec = nf.Object("record", true);
  if (nf.ok()) {
    auto parsed = classify::ParseDueDiligence(rec->dump(), name + ": " + path + ".record");
    if (!parsed) {
      nf.Merge(parsed.error());
    } else {
      std::string sha = Sha256Hex(classify::DueDiligenceToJson(*parsed));
      if (n.record_sha256 != sha) {
        nf.Fail(path + ".record_sha256", "\"" + n.record_sha256 +
                                             "\" does not match the record it carries (expected " +
                                             sha + ")");
      }
      for (const auto& [place, cited_sha] : cited) {
        if (nf.ok() && cited_sha != sha) {
          nf.Fail(place, "\"" + cited_sha +
                             "\" differs from the due-diligence record the notification carries (" +
                             sha + ")");
        }
      }
      if (nf.ok() && !request_reference.empty() && parsed->reference != request_reference) {
        nf.Fail(path + ".record.reference", "\"" + parsed->reference +
                                                "\" differs from the request's reference \"" +
                                                request_reference + "\"");
      }
      if (nf.ok() && parsed->conclusion == "not_aware") {
        nf.Fail(path + ".record.conclusion.value",
                "\"not_aware\" (expected aware or suspect: a notification rests on awareness)");
      }
      n.record_id = parsed->reference;
      n.conclusion = parsed->conclusion;
      n.concerns = parsed->concerns;
      n.reasoning = parsed->reasoning;
      n.record_json = Json::parse(classify::DueDiligenceToJson(*parsed)).dump();
    }
  }
  df->Merge(nf.status());
  return n;
}

}  // namespace

Result<Application> ApplicationFromFiling(std::string_view json, const std::string& name) {
  DU_ASSIGN_OR_RETURN(Json j, ParseJson(json, name));
  Fields f(j, "$", name);
  std::string schema = f.Str("schema", true);
  if (f.ok() && schema != "dualuse.authority-filing/1") {
    f.Fail("$.schema", "\"" + schema + "\" is not dualuse.authority-filing/1");
  }
  const Json* req = f.Object("request", true);
  const Json* det = f.Object("determination", true);
  if (!f.ok()) return f.status();

  Application a;
  Fields rf(*req, "$.request", name);
  a.reference = rf.Str("reference");
  a.activity = rf.Str("activity");
  if (const Json* e = rf.Object("exporter", true)) {
    Fields ef(*e, "$.request.exporter", name);
    a.exporter_name = ef.Str("name", true);
    a.exporter_country = ef.Str("country");
    a.exporter_has_icp = ef.Bool("has_icp");
    rf.Merge(ef.status());
  }
  a.destination = rf.Str("destination", true);
  if (rf.ok() && !IsCountryCode(a.destination)) {
    rf.Fail("$.request.destination", "\"" + a.destination + "\" is not an ISO 3166-1 alpha-2 code");
  }
  if (const Json* eu = rf.Object("end_use")) {
    Fields uf(*eu, "$.request.end_use", name);
    a.end_use = uf.Str("description");
    rf.Merge(uf.status());
  }
  if (const Json* items = rf.Array("items", true)) {
    if (items->empty()) rf.Fail("$.request.items", "expected at least one item");
    for (size_t i = 0; i < items->size() && rf.ok(); ++i) {
      Status st;
      a.items.push_back(ReadItem((*items)[i], rf.PathOf("items", i), name, &st));
      rf.Merge(st);
    }
  }
  if (const Json* parties = rf.Array("parties")) {
    for (size_t i = 0; i < parties->size() && rf.ok(); ++i) {
      Status st;
      PartyLine p = ReadParty((*parties)[i], rf.PathOf("parties", i), name, &st);
      p.screening_status = "not_screened";
      a.parties.push_back(std::move(p));
      rf.Merge(st);
    }
  }
  f.Merge(rf.status());
  if (!f.ok()) return f.status();

  Fields df(*det, "$.determination", name);
  std::string det_ref = df.Str("reference");
  if (df.ok() && !det_ref.empty() && !a.reference.empty() && det_ref != a.reference) {
    df.Fail("$.determination.reference",
            "\"" + det_ref + "\" differs from the request's reference \"" + a.reference + "\"");
  }
  a.verdict = df.Str("verdict", true);
  // Due-diligence records the findings cite: (place of the sha256, sha256).
  std::vector<std::pair<std::string, std::string>> cited_dd;
  if (const Json* findings = df.Array("findings")) {
    for (size_t i = 0; i < findings->size() && df.ok(); ++i) {
      const Json& fj = (*findings)[i];
      Fields ff(fj, df.PathOf("findings", i), name);
      Ground g{ff.Str("rule"), ff.Str("basis"), ff.Str("effect"), ff.Str("summary")};
      bool tied = fj.is_object() && (fj.contains("item") || fj.contains("party"));
      if (const Json* rec = ff.Object("record")) {
        Fields rf2(*rec, ff.PathOf("record"), name);
        if (rf2.Str("kind") == "due_diligence") {
          cited_dd.push_back({ff.PathOf("record") + ".sha256", rf2.Str("sha256")});
        }
        ff.Merge(rf2.status());
      }
      df.Merge(ff.status());
      if (g.effect == "licence_required" || g.effect == "notify_authority") {
        a.grounds.push_back(std::move(g));
      } else if (!tied) {
        a.destination_facts.push_back(std::move(g));
      }
    }
  }
  if (const Json* screening = df.Array("screening")) {
    for (size_t i = 0; i < screening->size() && df.ok(); ++i) {
      Fields sf((*screening)[i], df.PathOf("screening", i), name);
      double party = sf.Num("party", true);
      std::string status = sf.Str("status", true);
      size_t idx = static_cast<size_t>(party);
      if (sf.ok() && (party < 0 || idx >= a.parties.size() || static_cast<double>(idx) != party)) {
        sf.Fail(df.PathOf("screening", i) + ".party", "expected the index of a request party");
      }
      if (sf.ok()) {
        a.parties[idx].screening_status = status;
        if (const Json* matches = sf.Array("matches")) {
          for (const Json& m : *matches) {
            if (!m.is_object()) continue;
            std::string line = m.value("list", "") + ":" + m.value("entity_id", "") + " " +
                               m.value("name", "") + " (score " +
                               internal::FormatNumber(m.value("score", 0.0) * 100) + "%)";
            a.parties[idx].screening_matches.push_back(line);
          }
        }
      }
      df.Merge(sf.status());
    }
  }
  if (const Json* n = df.Object("notification")) {
    if (df.ok()) a.notification = ReadFiledNotification(*n, a.reference, cited_dd, name, &df);
  }
  f.Merge(df.status());
  if (!f.ok()) return f.status();
  if (a.verdict == "licence_required") {
    a.kind = FilingKind::kApplication;
  } else if (a.verdict == "notify_authority") {
    a.kind = FilingKind::kNotification;
  } else {
    return Status::FailedPrecondition(name + ": $.determination.verdict: \"" + a.verdict +
                                      "\" needs neither a licence application nor a notification "
                                      "(expected licence_required or notify_authority)");
  }

  if (const Json* cr = f.Object("classification_records")) {
    for (auto& item : a.items) {
      auto it = cr->find(item.id);
      if (it != cr->end() && it->is_string()) item.classification_record = it->get<std::string>();
    }
  }
  if (const Json* reviews = f.Array("reviews")) {
    for (size_t i = 0; i < reviews->size() && f.ok(); ++i) {
      Fields vf((*reviews)[i], f.PathOf("reviews", i), name);
      double party = vf.Num("party", true);
      std::string decision = vf.Str("decision", true);
      std::string reason = vf.Str("reason");
      size_t idx = static_cast<size_t>(party);
      if (vf.ok() && (party < 0 || idx >= a.parties.size())) {
        vf.Fail(f.PathOf("reviews", i) + ".party", "expected the index of a request party");
      }
      if (vf.ok())
        a.parties[idx].review_decision = decision + (reason.empty() ? "" : ": " + reason);
      f.Merge(vf.status());
    }
  }
  if (const Json* dd = f.Array("due_diligence")) {
    for (size_t i = 0; i < dd->size() && f.ok(); ++i) {
      Fields qf((*dd)[i], f.PathOf("due_diligence", i), name);
      a.due_diligence.push_back({qf.Str("question", true), qf.Str("answer")});
      f.Merge(qf.status());
    }
  }
  std::string lt = f.Str("licence_type");
  LicenceType parsed;
  if (f.ok() && !lt.empty()) {
    if (!ParseLicenceType(lt, &parsed)) {
      f.Fail("$.licence_type",
             "\"" + lt + "\" is not a licence type (expected individual or global)");
    } else {
      a.requested_licence_type = lt;
    }
  }
  if (auto d = f.OptDate("filed_on"))
    a.filed_on = *d;
  else
    a.filed_on = Date::Today();
  if (!f.ok()) return f.status();
  return a;
}

}  // namespace dualuse::authority
