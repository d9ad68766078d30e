// The transparency report for a calendar year (Art 26 of Regulation (EU)
// 2021/821; data collection per Commission Recommendation (EU) 2021/1700):
// filings, grants and denials by item category, by destination and by
// decision, with a section on cyber-surveillance items (Art 2(20)). Every
// figure is a count over the records (repository.h); the CSV and the HTML
// page print the same TransparencyReport.
#ifndef DUALUSE_AUTHORITY_REPORT_H_
#define DUALUSE_AUTHORITY_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "dualuse/authority/repository.h"
#include "dualuse/base/result.h"

namespace dualuse::authority {

// Counts for one row. A filing is counted in the year it was filed; a
// decision in the year it was taken (so a filing of December decided in
// January counts in both years' reports, in different columns).
struct ReportRow {
  long applications = 0;   // filings of kind application
  long notifications = 0;  // filings of kind notification (Art 4(2), 5(2))
  long grants = 0;
  long denials = 0;
  long requirements_imposed = 0;  // notifications decided: authorisation required
  long no_requirement = 0;
  double granted_value_eur = 0;  // sum of allowance values of grants
  bool operator==(const ReportRow&) const = default;
};

struct TransparencyReport {
  int year = 0;
  ReportRow total;
  // Annex I category ("0".."9"), or "not listed" for items without an entry.
  // A filing with items of several categories counts once in each.
  std::map<std::string, ReportRow> by_category;
  std::map<std::string, ReportRow> by_destination;  // ISO alpha-2
  // Filings with at least one cyber-surveillance item (Art 2(20)).
  ReportRow cyber_total;
  std::map<std::string, ReportRow> cyber_by_destination;
  std::map<std::string, ReportRow> cyber_by_entry_family;  // "5A001", or "not listed"
  std::map<std::string, long> denials_by_criterion;        // criterion id -> denials
};

// Builds the report from the records (kinds authority_filing and
// authority_decision). DataLoss when a record does not parse.
Result<TransparencyReport> BuildTransparencyReport(const std::vector<Record>& records, int year);

// CSV: header `section,key,applications,notifications,grants,denials,
// requirements_imposed,no_requirement,granted_value_eur`.
std::string ReportToCsv(const TransparencyReport& r);
// JSON `dualuse.authority-report/1`: the same rows as the CSV, as objects.
std::string ReportToJson(const TransparencyReport& r);
// A self-contained HTML page with inline SVG bar charts (no script).
std::string ReportToHtml(const TransparencyReport& r, const std::string& authority_name);

}  // namespace dualuse::authority

#endif  // DUALUSE_AUTHORITY_REPORT_H_
