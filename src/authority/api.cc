#include "dualuse/authority/api.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "dualuse/authority/codec.h"
#include "dualuse/base/http_error.h"

namespace dualuse::authority {
namespace {

using Json = nlohmann::json;

ApiResponse Error(int http, const std::string& message) {
  Json j = {{"error", {{"code", HttpErrorCode(http)}, {"message", message}}}};
  return {http, "application/json", j.dump()};
}

ApiResponse Error(const Status& s) {
  HttpError e = HttpErrorFor(s);
  Json j = {{"error", {{"code", e.code}, {"message", e.message}}}};
  return {e.status, "application/json", j.dump()};
}

ApiResponse Ok(int http, const std::string& json) { return {http, "application/json", json}; }

std::string Query(const ApiRequest& r, const std::string& key) {
  auto it = r.query.find(key);
  return it == r.query.end() ? "" : it->second;
}

bool IsAuthority(const std::string& role) { return role == "authority" || role == "admin"; }

}  // namespace

Result<LicenceQuery> ParseLicenceQuery(const std::multimap<std::string, std::string>& params) {
  LicenceQuery q;
  auto bad = [](const std::string& key, const std::string& value, const std::string& want) {
    return Status::InvalidArgument("query " + key + ": \"" + value + "\" " + want);
  };
  for (const auto& [key, value] : params) {
    if (key == "status") {
      for (size_t start = 0; start <= value.size();) {
        size_t comma = value.find(',', start);
        std::string one =
            value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        LicenceStatus st;
        if (!ParseLicenceStatus(one, &st)) {
          return bad(key, one,
                     "is not a licence status (expected active, exhausted, expired or "
                     "not_yet_valid, or several separated by commas)");
        }
        q.filter.statuses.push_back(st);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (key == "holder") {
      q.filter.holder = value;
    } else if (key == "destination") {
      if (value.size() != 2 || !std::isupper(static_cast<unsigned char>(value[0])) ||
          !std::isupper(static_cast<unsigned char>(value[1]))) {
        return bad(key, value, "is not an ISO 3166-1 alpha-2 code");
      }
      q.filter.destination = value;
    } else if (key == "type") {
      LicenceType t;
      if (!ParseLicenceType(value, &t)) return bad(key, value, "expected individual or global");
      q.filter.type = t;
    } else if (key == "entry") {
      if (value.empty()) return bad(key, value, "expected an Annex I entry, e.g. 5A001");
      q.filter.entry = value;
    } else if (key == "case_id") {
      q.filter.case_id = value;
    } else if (key == "as_of") {
      auto d = Date::Parse(value);
      if (!d) return bad(key, value, "is not YYYY-MM-DD");
      q.as_of = *d;
    } else {
      return Status::InvalidArgument("query " + key +
                                     ": unknown parameter (expected status, holder, destination, "
                                     "type, entry, case_id or as_of)");
    }
  }
  return q;
}

const std::vector<ApiRoute>& AuthorityApiRoutes() {
  static const std::vector<ApiRoute> routes = {
      {"GET", "/authority/filings"},
      {"POST", "/authority/filings"},
      {"GET", "/authority/filings/{id}"},
      {"GET", "/authority/status"},
      {"GET", "/authority/licences"},
      {"POST", "/authority/assessments"},
      {"POST", "/authority/consultations"},
      {"POST", "/authority/decisions"},
      {"GET", "/authority/decisions/{id}/letter"},
      {"POST", "/authority/bookings"},
      {"GET", "/authority/denials"},
      {"POST", "/authority/denials"},
      {"GET", "/authority/report"},
  };
  return routes;
}

namespace {

// Whether `path` is an instance of the template (segments equal, "{...}"
// matching one non-empty segment).
bool PathMatches(const std::string& tmpl, const std::string& path) {
  size_t i = 0, j = 0;
  while (i < tmpl.size() && j < path.size()) {
    if (tmpl[i] == '{') {
      size_t close = tmpl.find('}', i);
      size_t end = path.find('/', j);
      if (end == std::string::npos) end = path.size();
      if (end == j) return false;
      i = close + 1;
      j = end;
      continue;
    }
    if (tmpl[i] != path[j]) return false;
    ++i;
    ++j;
  }
  return i == tmpl.size() && j == path.size();
}

}  // namespace

int HttpStatusFor(const Status& s) { return HttpErrorFor(s).status; }

ApiResponse HandleAuthorityApi(Authority& a, const ApiRequest& r) {
  const std::string prefix = "/authority/";
  if (r.path.rfind(prefix, 0) != 0) return Error(404, "no such endpoint: " + r.path);
  bool known = false;
  for (const ApiRoute& route : AuthorityApiRoutes())
    known = known || PathMatches(route.path, r.path);
  if (!known) return Error(404, "no such endpoint: " + r.method + " " + r.path);
  std::string rest = r.path.substr(prefix.size());
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t slash = rest.find('/', start);
    parts.push_back(rest.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  const std::string& resource = parts[0];
  const bool get = r.method == "GET", post = r.method == "POST";
  // Separation of duties: the exporter side (officer) files and books, and
  // only that; the authority assesses, consults and decides; an admin may
  // read the authority's files but acts for neither side.
  const bool exporter_act =
      post && parts.size() == 1 && (resource == "filings" || resource == "bookings");
  // GET /authority/status: where the caller's own filings stand (the
  // exporter's view; the authority and an admin see every filing).
  const bool status_read = get && parts.size() == 1 && resource == "status";
  const bool allowed = exporter_act  ? r.role == "officer"
                       : status_read ? r.role == "officer" || IsAuthority(r.role)
                       : post        ? r.role == "authority"
                                     : IsAuthority(r.role);
  if (!allowed) {
    return Error(403, "role " + r.role + " may not call " + r.method + " " + r.path +
                          (exporter_act ? " (the exporter side files and books)"
                           : post       ? " (only the licensing authority acts on filings)"
                                        : ""));
  }
  const std::string name = "request body";

  if (resource == "filings" && parts.size() == 1) {
    if (post) {
      auto app = ApplicationFromFiling(r.body, name);
      if (!app) return Error(app.error());
      auto filed = a.File(std::move(*app), r.actor, r.organisation);
      if (!filed) return Error(filed.error());
      return Ok(201, ToJson(*filed));
    }
    if (get) {
      auto apps = a.Applications();
      if (!apps) return Error(apps.error());
      Json arr = Json::array();
      for (const auto& x : *apps)
        arr.push_back(Json::parse(ToJson(x)));
      return Ok(200, Json{{"filings", arr}}.dump());
    }
    return Error(405, "use GET or POST");
  }
  if (resource == "filings" && parts.size() == 2) {
    if (!get) return Error(405, "use GET");
    Date as_of = Date::Today();
    if (std::string q = Query(r, "as_of"); !q.empty()) {
      auto d = Date::Parse(q);
      if (!d) return Error(400, "as_of: \"" + q + "\" is not YYYY-MM-DD");
      as_of = *d;
    }
    auto c = a.Case(parts[1], as_of);
    if (!c) return Error(c.error());
    return Ok(200, CaseFileToJson(*c));
  }
  if (status_read) {
    auto statuses = a.FilingStatuses();
    if (!statuses) return Error(statuses.error());
    Json arr = Json::array();
    for (const FilingStatus& f : *statuses) {
      const Application& app = f.application;
      const bool own = app.filed_by == r.actor || (!app.filed_by_organisation.empty() &&
                                                   app.filed_by_organisation == r.organisation);
      if (!own && !IsAuthority(r.role)) continue;
      // filed -> assessed (criteria recorded) -> decided.
      Json j = {{"id", app.id},
                {"kind", FilingKindName(app.kind)},
                {"reference", app.reference},
                {"filed_on", app.filed_on.ToString()},
                {"filed_by", app.filed_by},
                {"destination", app.destination},
                {"state", f.decision   ? "decided"
                          : f.assessed ? "assessed"
                                       : "filed"},
                {"decision", nullptr},
                {"licence", nullptr}};
      if (f.decision) {
        j["decision"] = {{"id", f.decision->id},
                         {"kind", DecisionKindName(f.decision->kind)},
                         {"date", f.decision->date.ToString()}};
      }
      if (f.licence) {
        Json v = {{"from", f.licence->validity.from.ToString()}, {"until", nullptr}};
        if (f.licence->validity.until) v["until"] = f.licence->validity.until->ToString();
        j["licence"] = {{"id", f.licence->id}, {"validity", v}};
      }
      arr.push_back(std::move(j));
    }
    return Ok(200, Json{{"schema", "dualuse.authority-status/1"}, {"filings", arr}}.dump());
  }
  if (resource == "licences" && parts.size() == 1) {
    if (!get) return Error(405, "use GET");
    auto q = ParseLicenceQuery(r.query);
    if (!q) return Error(q.error());
    auto list = a.Licences(q->as_of, q->filter);
    if (!list) return Error(list.error());
    return Ok(200, LicencesToJson(*list, q->as_of));
  }
  if (resource == "assessments" && parts.size() == 1) {
    if (!post) return Error(405, "use POST");
    auto x = AssessmentFromJson(r.body, name);
    if (!x) return Error(x.error());
    if (x->officer.empty()) x->officer = r.actor;
    Status s = a.Assess(*x, r.actor);
    if (!s.ok()) return Error(s);
    return Ok(201, ToJson(*x));
  }
  if (resource == "consultations" && parts.size() == 1) {
    if (!post) return Error(405, "use POST");
    auto x = ConsultationFromJson(r.body, name);
    if (!x) return Error(x.error());
    auto rec = a.Consult(std::move(*x), r.actor);
    if (!rec) return Error(rec.error());
    return Ok(201, ToJson(*rec));
  }
  if (resource == "decisions" && parts.size() == 1) {
    if (!post) return Error(405, "use POST");
    auto x = DecisionFromJson(r.body, name);
    if (!x) return Error(x.error());
    auto rec = a.Decide(std::move(*x), r.actor);
    if (!rec) return Error(rec.error());
    return Ok(201, ToJson(*rec));
  }
  if (resource == "decisions" && parts.size() == 3 && parts[2] == "letter") {
    if (!get) return Error(405, "use GET");
    auto html = a.DecisionLetter(parts[1], r.lang);
    if (!html) return Error(html.error());
    return {200, "text/html; charset=utf-8", *html};
  }
  if (resource == "bookings" && parts.size() == 1) {
    if (!post) return Error(405, "use POST");
    auto x = BookingFromJson(r.body, name);
    if (!x) return Error(x.error());
    // Only the holder books on a licence: its filer or the filer's organisation.
    auto holder = a.HolderOf(x->licence_id);
    if (!holder) return Error(holder.error());
    const bool own =
        holder->first == r.actor || (!holder->second.empty() && holder->second == r.organisation);
    if (!own) {
      return Error(403, "licence " + x->licence_id + " is not held by " + r.actor +
                            "'s organisation; bookings only against one's own licence");
    }
    auto rec = a.Book(std::move(*x), r.actor);
    if (!rec) return Error(rec.error());
    return Ok(201, ToJson(*rec));
  }
  if (resource == "denials" && parts.size() == 1) {
    if (get) {
      auto json = a.ExportDenials(Date::Today());
      if (!json) return Error(json.error());
      return Ok(200, *json);
    }
    if (post) {
      auto n = a.ImportDenials(r.body, name, r.actor);
      if (!n) return Error(n.error());
      return Ok(200, Json{{"imported", *n}}.dump());
    }
    return Error(405, "use GET or POST");
  }
  if (resource == "report" && parts.size() == 1) {
    if (!get) return Error(405, "use GET");
    std::string y = Query(r, "year");
    int year = 0;
    if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos) {
      return Error(400, "year: expected a four-digit year");
    }
    year = std::stoi(y);
    auto rep = a.Report(year);
    if (!rep) return Error(rep.error());
    std::string format = Query(r, "format");
    if (format == "csv") return {200, "text/csv; charset=utf-8", ReportToCsv(*rep)};
    if (format == "html") {
      return {200, "text/html; charset=utf-8", ReportToHtml(*rep, a.options().authority_name)};
    }
    if (!format.empty() && format != "json")
      return Error(400, "format: expected json, csv or html");
    return Ok(200, ReportToJson(*rep));
  }
  return Error(404, "no such endpoint: " + r.method + " " + r.path);
}

}  // namespace dualuse::authority
