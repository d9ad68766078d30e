// The decision letter (HTML). Every legal citation is taken from the
// catalogue's data (data/law/authority/criteria.json, "citations").
#include <set>

#include "authority/html.h"
#include "authority/json_util.h"
#include "dualuse/authority/authority.h"
#include "dualuse/messages/catalogue.h"

namespace dualuse::authority {
namespace {

using internal::FormatNumber;
using internal::Html;

// The letter's texts in its language (data/messages, "letter.*"). A text is
// formatted with its arguments HTML-escaped by the caller.
class Texts {
 public:
  explicit Texts(std::string lang) : lang_(std::move(lang)) {
    auto c = messages::Catalogue::Default();
    if (c.ok()) catalogue_ = *c;
  }
  std::string operator()(const char* id, const messages::Args& args = {}) const {
    return catalogue_ ? catalogue_->Format(lang_, id, args) : std::string(id);
  }
  const std::string& lang() const { return lang_; }

 private:
  std::string lang_;
  const messages::Catalogue* catalogue_ = nullptr;
};

class Citer {
 public:
  Citer(const CriteriaCatalogue& c, const Texts& t) : catalogue_(c), t_(t) {}
  // The citation text for `key` in the letter's language, remembered for the
  // sources annex.
  std::string Cite(const std::string& key) {
    const Citation* c = catalogue_.FindCitation(key);
    if (!c) return t_("letter.citation_missing", {{"key", Html(key)}});
    used_.insert(key);
    return Html(c->TextIn(t_.lang()));
  }
  std::string Annex() const {
    std::string h = "<h2>" + t_("letter.sources") + "</h2>\n<ul class=\"sources\">\n";
    for (const auto& key : used_) {
      const Citation* c = catalogue_.FindCitation(key);
      h += "<li>" + Html(c->TextIn(t_.lang())) + ": " + Html(c->source) + " [" +
           Html(c->verification) + "]</li>\n";
    }
    return h + "</ul>\n";
  }

 private:
  const CriteriaCatalogue& catalogue_;
  const Texts& t_;
  std::set<std::string> used_;
};

std::string Inclusive(const Texts& t, const Period& p) {
  if (!p.until) return t("letter.valid_from", {{"from", p.from}});
  return t("letter.valid_between",
           {{"from", p.from}, {"to", Date::FromDaysSinceEpoch(p.until->DaysSinceEpoch() - 1)}});
}

std::string Opt(const Texts& t, const std::optional<double>& v) {
  return v ? FormatNumber(*v) : t("letter.no_limit");
}

}  // namespace

std::string RenderDecisionLetter(const Application& app, const Decision& d,
                                 const std::optional<CriteriaAssessment>& assessment,
                                 const std::vector<Consultation>& consultations,
                                 const std::optional<Licence>& licence,
                                 const CriteriaCatalogue& catalogue,
                                 const AuthorityOptions& options, const std::string& lang) {
  Texts t(lang);
  Citer cite(catalogue, t);
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"" + Html(lang) + "\"><head><meta charset=\"utf-8\"><title>" +
      t("letter.title", {{"decision", Html(d.id)}, {"application", Html(app.id)}}) +
      "</title>\n<style>body{font-family:serif;max-width:46rem;margin:2rem auto;color:#111}"
      "table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #999;"
      "padding:.2rem .4rem;text-align:left;vertical-align:top}.sources{font-size:.85em}"
      "@media print{body{margin:0}}</style></head><body>\n";
  h += "<header><p><strong>" + Html(options.authority_name) + "</strong> (" +
       Html(options.authority_code) + ")</p><p>" +
       t("letter.header", {{"date", d.date},
                           {"ours", Html(d.id) + " / " + Html(app.id)},
                           {"yours", Html(app.reference)}}) +
       "</p><p>" +
       t("letter.to",
         {{"exporter", Html(app.exporter_name)}, {"country", Html(app.exporter_country)}}) +
       "</p></header>\n";
  const bool notification = app.kind == FilingKind::kNotification;
  h += "<h1>" +
       t("letter.heading", {{"kind", FilingKindName(app.kind)}, {"filed_on", app.filed_on}}) +
       "</h1>\n";
  h += "<p>" +
       t("letter.facts", {{"destination", Html(app.destination)},
                          {"activity", Html(app.activity)},
                          {"end_use", Html(app.end_use)}}) +
       "</p>\n";
  h += t("letter.items_head") + "\n";
  for (const auto& i : app.items) {
    std::string entries;
    for (const auto& e : i.control_entries)
      entries += (entries.empty() ? "" : ", ") + e;
    h += "<tr><td>" + Html(i.id) + "</td><td>" + Html(i.description) + "</td><td>" +
         (entries.empty() ? t("letter.not_listed") : Html(entries)) + "</td><td>" +
         FormatNumber(i.quantity) + "</td><td>" + FormatNumber(i.value_eur) + "</td></tr>\n";
  }
  h += "</tbody></table>\n<h2>" + t("letter.decision") + "</h2>\n";
  switch (d.kind) {
    case DecisionKind::kGrant: {
      bool global = d.licence_type == LicenceType::kGlobal;
      std::string basis = cite.Cite(global ? "grant_global" : "grant_individual");
      std::string considerations = cite.Cite("considerations");
      h += "<p>" +
           t("letter.granted", {{"type", global ? "global" : "individual"},
                                {"basis", basis},
                                {"considerations", considerations},
                                {"common_position", cite.Cite("common_position")}}) +
           "</p>\n";
      if (licence) {
        h += "<p>" +
             t("letter.licence",
               {{"id", Html(licence->id)}, {"validity", Inclusive(t, licence->validity)}}) +
             "</p>\n" + t("letter.allowances_head") + "\n";
        for (const auto& a : licence->allowances) {
          h += "<tr><td>" + Html(a.item_id) + "</td><td>" + Opt(t, a.quantity) + "</td><td>" +
               Opt(t, a.value_eur) + "</td></tr>\n";
        }
        h += "</tbody></table>\n<p>" + t("letter.write_off") + "</p>\n";
      }
      break;
    }
    case DecisionKind::kDeny: {
      std::string basis = cite.Cite("deny");
      std::string considerations = cite.Cite("considerations");
      h += "<p>" +
           t("letter.refused", {{"basis", basis},
                                {"considerations", considerations},
                                {"common_position", cite.Cite("common_position")}}) +
           "</p>\n<p>" + t("letter.reason", {{"reason", Html(d.reason)}}) + "</p>\n<p>" +
           t("letter.refusal_rests_on") + "</p><ul>\n";
      for (const auto& id : d.criteria) {
        const Criterion* c = catalogue.Find(id);
        h += "<li>" + (c ? Html(c->group) + ": " + Html(c->title) : Html(id)) + "</li>\n";
      }
      h += "</ul>\n";
      break;
    }
    case DecisionKind::kImposeRequirement:
    case DecisionKind::kNoRequirement: {
      bool art5 = app.HasCyberSurveillanceItem();
      for (const auto& g : app.grounds) {
        if (g.rule.find("art-5") != std::string::npos) art5 = true;
      }
      std::string basis = cite.Cite(art5 ? "notification_art5" : "notification_art4");
      if (d.kind == DecisionKind::kImposeRequirement) {
        h += "<p>" + t("letter.requirement_imposed", {{"basis", basis}}) + "</p>\n<p>" +
             t("letter.reason", {{"reason", Html(d.reason)}}) + "</p>\n";
      } else {
        h += "<p>" + t("letter.no_requirement", {{"basis", basis}}) + "</p>\n";
        if (!d.reason.empty()) h += "<p>" + Html(d.reason) + "</p>\n";
      }
      break;
    }
  }
  if (!notification && assessment) {
    h += "<h2>" + t("letter.assessment") + "</h2>\n" + t("letter.assessment_head") + "\n";
    for (const auto& c : catalogue.criteria()) {
      for (const auto& x : assessment->answers) {
        if (x.criterion != c.id) continue;
        h += "<tr><td>" + Html(c.group) + ": " + Html(c.title) + "</td><td>" +
             t("letter.finding", {{"finding", CriterionFindingName(x.finding)}}) + "</td><td>" +
             Html(x.reasoning) + "</td></tr>\n";
      }
    }
    h += "</tbody></table>\n";
  }
  if (!consultations.empty()) {
    h += "<h2>" + t("letter.denials") + "</h2>\n<p>" +
         t("letter.denials_examined", {{"basis", cite.Cite("denials_examined")}}) + "</p><ul>\n";
    for (const auto& c : consultations) {
      h += "<li>" +
           t("letter.consulted", {{"denial", Html(c.denial_id)},
                                  {"authority", Html(c.consulted_authority)},
                                  {"date", c.date},
                                  {"outcome", Html(c.outcome)}}) +
           "</li>\n";
    }
    h += "</ul>\n";
  }
  h += "<p>" + t("letter.records", {{"basis", cite.Cite("records")}}) + "</p>\n";
  // The administrative remedy of the authority's Member State, where the law
  // data records it (objection_NL: Algemene wet bestuursrecht, Articles 6:4,
  // 6:7, 6:8(1) and 7:1).
  if (catalogue.FindCitation("objection_" + options.authority_code)) {
    h += "<p>" +
         t("letter.objection", {{"authority", Html(options.authority_name)},
                                {"basis", cite.Cite("objection_" + options.authority_code)}}) +
         "</p>\n";
  }
  h += "<p>" + t("letter.decided_by", {{"officer", Html(d.officer)}}) + "</p>\n";
  h += cite.Annex();
  h += "</body></html>\n";
  return h;
}

}  // namespace dualuse::authority
