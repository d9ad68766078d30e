#include "dualuse/authority/report.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "authority/html.h"
#include "authority/json_util.h"
#include "dualuse/authority/codec.h"
#include "dualuse/authority/denials.h"

namespace dualuse::authority {
namespace {

using internal::FormatNumber;
using internal::Html;

constexpr char kNotListed[] = "not listed";

// The Annex I category of an entry: its first digit; national entries
// ("NL:...") are reported as "national".
std::string CategoryOf(const std::string& entry) {
  if (!entry.empty() && std::isdigit(static_cast<unsigned char>(entry[0]))) {
    return std::string(1, entry[0]);
  }
  return "national";
}

std::set<std::string> ItemCategories(const ItemLine& item) {
  std::set<std::string> out;
  for (const auto& e : item.control_entries)
    out.insert(CategoryOf(e));
  if (out.empty()) out.insert(kNotListed);
  return out;
}

std::set<std::string> ItemFamilies(const ItemLine& item) {
  std::set<std::string> out;
  for (const auto& e : item.control_entries)
    out.insert(EntryFamily(e));
  if (out.empty()) out.insert(kNotListed);
  return out;
}

enum class Event { kApplication, kNotification, kGrant, kDeny, kImpose, kNoRequirement };

void Count(ReportRow* row, Event e, double granted_value) {
  switch (e) {
    case Event::kApplication:
      ++row->applications;
      break;
    case Event::kNotification:
      ++row->notifications;
      break;
    case Event::kGrant:
      ++row->grants;
      row->granted_value_eur += granted_value;
      break;
    case Event::kDeny:
      ++row->denials;
      break;
    case Event::kImpose:
      ++row->requirements_imposed;
      break;
    case Event::kNoRequirement:
      ++row->no_requirement;
      break;
  }
}

Event DecisionEvent(DecisionKind k) {
  switch (k) {
    case DecisionKind::kGrant:
      return Event::kGrant;
    case DecisionKind::kDeny:
      return Event::kDeny;
    case DecisionKind::kImposeRequirement:
      return Event::kImpose;
    case DecisionKind::kNoRequirement:
      return Event::kNoRequirement;
  }
  return Event::kDeny;
}

double AllowanceValue(const Decision* d, const std::string& item_id) {
  if (!d) return 0;
  double v = 0;
  for (const auto& a : d->allowances) {
    if (a.item_id == item_id && a.value_eur) v += *a.value_eur;
  }
  return v;
}

// Counts one event of `app` in every row it belongs to.
void CountEvent(TransparencyReport* r, const Application& app, Event e, const Decision* d) {
  double total_value = 0;
  if (d) {
    for (const auto& a : d->allowances)
      total_value += a.value_eur.value_or(0);
  }
  Count(&r->total, e, total_value);
  Count(&r->by_destination[app.destination], e, total_value);
  // Per category: once per filing, with the value of that category's items.
  std::map<std::string, double> cat_value;
  for (const auto& item : app.items) {
    for (const auto& c : ItemCategories(item))
      cat_value[c] += AllowanceValue(d, item.id);
  }
  for (const auto& [cat, v] : cat_value)
    Count(&r->by_category[cat], e, v);
  if (!app.HasCyberSurveillanceItem()) return;
  double cyber_value = 0;
  std::map<std::string, double> fam_value;
  for (const auto& item : app.items) {
    if (!item.cyber_surveillance) continue;
    cyber_value += AllowanceValue(d, item.id);
    for (const auto& f : ItemFamilies(item))
      fam_value[f] += AllowanceValue(d, item.id);
  }
  Count(&r->cyber_total, e, cyber_value);
  Count(&r->cyber_by_destination[app.destination], e, cyber_value);
  for (const auto& [fam, v] : fam_value)
    Count(&r->cyber_by_entry_family[fam], e, v);
}

}  // namespace

Result<TransparencyReport> BuildTransparencyReport(const std::vector<Record>& records, int year) {
  TransparencyReport r;
  r.year = year;
  std::map<std::string, Application> apps;
  std::vector<Decision> decisions;
  for (const auto& rec : records) {
    if (rec.kind == kFilingRecord) {
      auto a = ApplicationFromJson(rec.payload, "record " + rec.id);
      if (!a) return Status::DataLoss(a.error().message());
      apps[a->id] = std::move(*a);
    } else if (rec.kind == kDecisionRecord) {
      auto d = DecisionFromJson(rec.payload, "record " + rec.id);
      if (!d) return Status::DataLoss(d.error().message());
      decisions.push_back(std::move(*d));
    }
  }
  for (const auto& [id, app] : apps) {
    if (app.filed_on.year != year) continue;
    CountEvent(&r, app,
               app.kind == FilingKind::kApplication ? Event::kApplication : Event::kNotification,
               nullptr);
  }
  for (const auto& d : decisions) {
    if (d.date.year != year) continue;
    auto it = apps.find(d.application_id);
    if (it == apps.end()) {
      return Status::DataLoss("decision " + d.id + " refers to unknown filing " + d.application_id);
    }
    CountEvent(&r, it->second, DecisionEvent(d.kind),
               d.kind == DecisionKind::kGrant ? &d : nullptr);
    if (d.kind == DecisionKind::kDeny) {
      for (const auto& c : d.criteria)
        ++r.denials_by_criterion[c];
    }
  }
  return r;
}

namespace {

void CsvRow(std::string* out, const std::string& section, const std::string& key,
            const ReportRow& row) {
  std::string k = key;
  if (k.find_first_of(",\"\n") != std::string::npos) {
    std::string q = "\"";
    for (char c : k)
      q += c == '"' ? std::string("\"\"") : std::string(1, c);
    k = q + "\"";
  }
  *out += section + "," + k + "," + std::to_string(row.applications) + "," +
          std::to_string(row.notifications) + "," + std::to_string(row.grants) + "," +
          std::to_string(row.denials) + "," + std::to_string(row.requirements_imposed) + "," +
          std::to_string(row.no_requirement) + "," + FormatNumber(row.granted_value_eur) + "\n";
}

}  // namespace

std::string ReportToCsv(const TransparencyReport& r) {
  std::string out =
      "section,key,applications,notifications,grants,denials,requirements_imposed,no_requirement,"
      "granted_value_eur\n";
  CsvRow(&out, "total", std::to_string(r.year), r.total);
  for (const auto& [k, row] : r.by_category)
    CsvRow(&out, "category", k, row);
  for (const auto& [k, row] : r.by_destination)
    CsvRow(&out, "destination", k, row);
  CsvRow(&out, "cyber_total", std::to_string(r.year), r.cyber_total);
  for (const auto& [k, row] : r.cyber_by_destination)
    CsvRow(&out, "cyber_destination", k, row);
  for (const auto& [k, row] : r.cyber_by_entry_family)
    CsvRow(&out, "cyber_entry_family", k, row);
  for (const auto& [k, n] : r.denials_by_criterion) {
    ReportRow row;
    row.denials = n;
    CsvRow(&out, "denial_criterion", k, row);
  }
  return out;
}

std::string ReportToJson(const TransparencyReport& r) {
  using Json = nlohmann::json;
  auto row = [](const ReportRow& x) {
    return Json{{"applications", x.applications},
                {"notifications", x.notifications},
                {"grants", x.grants},
                {"denials", x.denials},
                {"requirements_imposed", x.requirements_imposed},
                {"no_requirement", x.no_requirement},
                {"granted_value_eur", x.granted_value_eur}};
  };
  auto rows = [&](const std::map<std::string, ReportRow>& m) {
    Json j = Json::object();
    for (const auto& [k, v] : m)
      j[k] = row(v);
    return j;
  };
  Json doc = {{"schema", "dualuse.authority-report/1"},
              {"year", r.year},
              {"total", row(r.total)},
              {"by_category", rows(r.by_category)},
              {"by_destination", rows(r.by_destination)},
              {"cyber_surveillance",
               {{"total", row(r.cyber_total)},
                {"by_destination", rows(r.cyber_by_destination)},
                {"by_entry", rows(r.cyber_by_entry_family)}}},
              {"denials_by_criterion", r.denials_by_criterion}};
  return doc.dump(2);
}

namespace {

// Horizontal grouped bars: filings, grants, denials per key. Inline SVG.
std::string BarChart(const std::string& title, const std::map<std::string, ReportRow>& rows) {
  long max = 1;
  for (const auto& [k, row] : rows) {
    max = std::max({max, row.applications + row.notifications, row.grants, row.denials});
  }
  const int label_w = 120, bar_w = 360, row_h = 42;
  int height = static_cast<int>(rows.size()) * row_h + 30;
  std::string svg = "<figure><figcaption>" + Html(title) +
                    "</figcaption>\n<svg role=\"img\" aria-label=\"" + Html(title) + "\" width=\"" +
                    std::to_string(label_w + bar_w + 60) + "\" height=\"" + std::to_string(height) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  int y = 4;
  struct Bar {
    const char* name;
    const char* color;
  };
  const Bar bars[] = {{"filings", "#4a6fa5"}, {"grants", "#3c8d5a"}, {"denials", "#b5443b"}};
  for (const auto& [k, row] : rows) {
    long values[] = {row.applications + row.notifications, row.grants, row.denials};
    svg += "<text x=\"0\" y=\"" + std::to_string(y + 24) + "\" font-size=\"12\">" + Html(k) +
           "</text>\n";
    for (int i = 0; i < 3; ++i) {
      int w = static_cast<int>(static_cast<double>(values[i]) * bar_w / static_cast<double>(max));
      int by = y + i * 12;
      svg += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(by) +
             "\" width=\"" + std::to_string(w) + "\" height=\"10\" fill=\"" + bars[i].color +
             "\"><title>" + Html(k) + " " + bars[i].name + ": " + std::to_string(values[i]) +
             "</title></rect>\n";
      svg += "<text x=\"" + std::to_string(label_w + w + 4) + "\" y=\"" + std::to_string(by + 9) +
             "\" font-size=\"10\">" + std::to_string(values[i]) + "</text>\n";
    }
    y += row_h;
  }
  int ly = y + 14, lx = label_w;
  for (const auto& b : bars) {
    svg += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(ly - 9) +
           "\" width=\"10\" height=\"10\" fill=\"" + b.color + "\"/><text x=\"" +
           std::to_string(lx + 14) + "\" y=\"" + std::to_string(ly) + "\" font-size=\"11\">" +
           b.name + "</text>\n";
    lx += 90;
  }
  svg += "</svg></figure>\n";
  return svg;
}

std::string Table(const std::string& key_title, const std::map<std::string, ReportRow>& rows) {
  std::string t = "<table><thead><tr><th scope=\"col\">" + Html(key_title) +
                  "</th><th scope=\"col\">Applications</th><th scope=\"col\">Notifications</th>"
                  "<th scope=\"col\">Grants</th><th scope=\"col\">Denials</th><th scope=\"col\">"
                  "Requirement imposed</th><th scope=\"col\">No requirement</th><th scope=\"col\">"
                  "Granted value (EUR)</th></tr></thead><tbody>\n";
  for (const auto& [k, row] : rows) {
    t += "<tr><th scope=\"row\">" + Html(k) + "</th><td>" + std::to_string(row.applications) +
         "</td><td>" + std::to_string(row.notifications) + "</td><td>" +
         std::to_string(row.grants) + "</td><td>" + std::to_string(row.denials) + "</td><td>" +
         std::to_string(row.requirements_imposed) + "</td><td>" +
         std::to_string(row.no_requirement) + "</td><td>" + FormatNumber(row.granted_value_eur) +
         "</td></tr>\n";
  }
  return t + "</tbody></table>\n";
}

}  // namespace

std::string ReportToHtml(const TransparencyReport& r, const std::string& authority_name) {
  std::string y = std::to_string(r.year);
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Transparency "
      "report " +
      y + " - " + Html(authority_name) +
      "</title>\n<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
      "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem "
      ".5rem;"
      "text-align:right}th[scope=row],thead th{text-align:left}figure{margin:1rem 0}"
      "figcaption{font-weight:bold}</style></head><body>\n";
  h += "<h1>Dual-use export controls: transparency report " + y + "</h1>\n";
  h +=
      "<p>" + Html(authority_name) +
      ". Data for the annual report under Article 26 of Regulation (EU) 2021/821 (data collection "
      "per Commission Recommendation (EU) 2021/1700). Every figure is a count over the authority's "
      "records: filings by the date filed, decisions by the date decided. A filing with items of "
      "several categories is counted once in each.</p>\n";
  h += "<h2>Totals</h2>\n" + Table("Year", {{y, r.total}});
  h += "<h2>By item category (Annex I)</h2>\n" + BarChart("By item category", r.by_category) +
       Table("Category", r.by_category);
  h += "<h2>By destination</h2>\n" + BarChart("By destination", r.by_destination) +
       Table("Destination", r.by_destination);
  h += "<h2>Cyber-surveillance items (Article 2(20))</h2>\n<p>Filings with at least one item the "
       "exporter identified as a cyber-surveillance item.</p>\n" +
       Table("Year", {{y, r.cyber_total}});
  h += BarChart("Cyber-surveillance items by destination", r.cyber_by_destination) +
       Table("Destination", r.cyber_by_destination);
  h += Table("Entry", r.cyber_by_entry_family);
  h += "<h2>Denials by criterion</h2>\n<table><thead><tr><th scope=\"col\">Criterion</th><th "
       "scope=\"col\">Denials</th></tr></thead><tbody>\n";
  for (const auto& [k, n] : r.denials_by_criterion) {
    h += "<tr><th scope=\"row\">" + Html(k) + "</th><td>" + std::to_string(n) + "</td></tr>\n";
  }
  h += "</tbody></table>\n</body></html>\n";
  return h;
}

}  // namespace dualuse::authority
