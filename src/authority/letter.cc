// The decision letter (HTML). Every legal citation is taken from the
// catalogue's data (data/law/authority/criteria.json, "citations").
#include <set>

#include "authority/html.h"
#include "authority/json_util.h"
#include "dualuse/authority/authority.h"

namespace dualuse::authority {
namespace {

using internal::FormatNumber;
using internal::Html;

class Citer {
 public:
  explicit Citer(const CriteriaCatalogue& c) : catalogue_(c) {}
  // The citation text for `key`, remembered for the sources annex.
  std::string Cite(const std::string& key) {
    const Citation* c = catalogue_.FindCitation(key);
    if (!c) return "[citation '" + Html(key) + "' missing from the law data]";
    used_.insert(key);
    return Html(c->text);
  }
  std::string Annex() const {
    std::string h = "<h2>Sources of the citations</h2>\n<ul class=\"sources\">\n";
    for (const auto& key : used_) {
      const Citation* c = catalogue_.FindCitation(key);
      h += "<li>" + Html(c->text) + ": " + Html(c->source) + " [" + Html(c->verification) +
           "]</li>\n";
    }
    return h + "</ul>\n";
  }

 private:
  const CriteriaCatalogue& catalogue_;
  std::set<std::string> used_;
};

std::string Inclusive(const Period& p) {
  if (!p.until) return "from " + p.from.ToString() + " (no end)";
  return p.from.ToString() + " to " +
         Date::FromDaysSinceEpoch(p.until->DaysSinceEpoch() - 1).ToString() + " inclusive";
}

std::string Opt(const std::optional<double>& v) { return v ? FormatNumber(*v) : "no limit"; }

}  // namespace

std::string RenderDecisionLetter(const Application& app, const Decision& d,
                                 const std::optional<CriteriaAssessment>& assessment,
                                 const std::vector<Consultation>& consultations,
                                 const std::optional<Licence>& licence,
                                 const CriteriaCatalogue& catalogue,
                                 const AuthorityOptions& options) {
  Citer cite(catalogue);
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Decision " +
      Html(d.id) + " on " + Html(app.id) +
      "</title>\n<style>body{font-family:serif;max-width:46rem;margin:2rem auto;color:#111}"
      "table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #999;"
      "padding:.2rem .4rem;text-align:left;vertical-align:top}.sources{font-size:.85em}"
      "@media print{body{margin:0}}</style></head><body>\n";
  h += "<header><p><strong>" + Html(options.authority_name) + "</strong> (" +
       Html(options.authority_code) + ")</p><p>Date: " + d.date.ToString() +
       "<br>Our reference: " + Html(d.id) + " / " + Html(app.id) +
       "<br>Your reference: " + Html(app.reference) + "</p><p>To: " + Html(app.exporter_name) +
       " (" + Html(app.exporter_country) + ")</p></header>\n";
  const bool notification = app.kind == FilingKind::kNotification;
  h += "<h1>Decision on your " + std::string(FilingKindName(app.kind)) + " of " +
       app.filed_on.ToString() + "</h1>\n";
  h += "<p>Destination: " + Html(app.destination) + ". Activity: " + Html(app.activity) +
       ". Stated end use: " + Html(app.end_use) + "</p>\n";
  h += "<table><thead><tr><th>Item</th><th>Description</th><th>Entries</th><th>Quantity</th>"
       "<th>Value (EUR)</th></tr></thead><tbody>\n";
  for (const auto& i : app.items) {
    std::string entries;
    for (const auto& e : i.control_entries)
      entries += (entries.empty() ? "" : ", ") + e;
    h += "<tr><td>" + Html(i.id) + "</td><td>" + Html(i.description) + "</td><td>" +
         Html(entries.empty() ? "not listed" : entries) + "</td><td>" + FormatNumber(i.quantity) +
         "</td><td>" + FormatNumber(i.value_eur) + "</td></tr>\n";
  }
  h += "</tbody></table>\n<h2>Decision</h2>\n";
  switch (d.kind) {
    case DecisionKind::kGrant: {
      bool global = d.licence_type == LicenceType::kGlobal;
      h += "<p>The " + std::string(global ? "global" : "individual") +
           " export authorisation is <strong>granted</strong> under " +
           cite.Cite(global ? "grant_global" : "grant_individual") +
           ", having taken into account the considerations of " + cite.Cite("considerations") +
           ", including those covered by " + cite.Cite("common_position") + ".</p>\n";
      if (licence) {
        h += "<p>Licence <strong>" + Html(licence->id) + "</strong>, valid " +
             Inclusive(licence->validity) +
             ".</p>\n<table><thead><tr><th>Item</th>"
             "<th>Quantity authorised</th><th>Value authorised (EUR)</th></tr></thead><tbody>\n";
        for (const auto& a : licence->allowances) {
          h += "<tr><td>" + Html(a.item_id) + "</td><td>" + Opt(a.quantity) + "</td><td>" +
               Opt(a.value_eur) + "</td></tr>\n";
        }
        h += "</tbody></table>\n<p>Exports are written off this licence as they are booked; an "
             "export beyond the quantity or value left, or after the validity ends, is not "
             "covered.</p>\n";
      }
      break;
    }
    case DecisionKind::kDeny: {
      h += "<p>The application is <strong>refused</strong> under " + cite.Cite("deny") +
           ", having taken into account the considerations of " + cite.Cite("considerations") +
           ", including those covered by " + cite.Cite("common_position") +
           ".</p>\n<p>Reason: " + Html(d.reason) + "</p>\n<p>The refusal rests on:</p><ul>\n";
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
        h += "<p>Following your notification under " + basis +
             ", the export is <strong>made subject to authorisation</strong>. You may not export "
             "without applying for and obtaining an authorisation.</p>\n<p>Reason: " +
             Html(d.reason) + "</p>\n";
      } else {
        h += "<p>Following your notification under " + basis +
             ", the authority <strong>does not impose an authorisation requirement</strong> for "
             "this export as notified.</p>\n";
        if (!d.reason.empty()) h += "<p>" + Html(d.reason) + "</p>\n";
      }
      break;
    }
  }
  if (!notification && assessment) {
    h += "<h2>Assessment</h2>\n<table><thead><tr><th>Criterion</th><th>Finding</th>"
         "<th>Reasoning</th></tr></thead><tbody>\n";
    for (const auto& c : catalogue.criteria()) {
      for (const auto& x : assessment->answers) {
        if (x.criterion != c.id) continue;
        h += "<tr><td>" + Html(c.group) + ": " + Html(c.title) + "</td><td>" +
             CriterionFindingName(x.finding) + "</td><td>" + Html(x.reasoning) + "</td></tr>\n";
      }
    }
    h += "</tbody></table>\n";
  }
  if (!consultations.empty()) {
    h += "<h2>Denials of other authorities</h2>\n<p>Denials in force for essentially identical "
         "transactions were examined and their issuers consulted under " +
         cite.Cite("denials_examined") + ":</p><ul>\n";
    for (const auto& c : consultations) {
      h += "<li>" + Html(c.denial_id) + ": " + Html(c.consulted_authority) + " consulted on " +
           c.date.ToString() + ": " + Html(c.outcome) + "</li>\n";
    }
    h += "</ul>\n";
  }
  h += "<p>Keep the records of exports made under this decision as required by " +
       cite.Cite("records") + ".</p>\n";
  h += "<p>Decided by: " + Html(d.officer) + "</p>\n";
  h += cite.Annex();
  h += "</body></html>\n";
  return h;
}

}  // namespace dualuse::authority
