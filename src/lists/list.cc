// Format detection, LoadList/ParseList, and what every format shares:
// catalogue metadata, id uniqueness, the list's date.
#include "dualuse/lists/list.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "dualuse/base/date.h"
#include "dualuse/base/sha256.h"
#include "dualuse/lists/catalogue.h"
#include "lists/parsers.h"
#include "lists/util.h"

namespace dualuse::lists {

namespace fs = std::filesystem;
using internal::Lower;
using internal::Trim;

namespace {

struct FormatNameEntry {
  ListFormat format;
  const char* name;
};
constexpr FormatNameEntry kFormatNames[] = {
    {ListFormat::kUnScXml, "un_sc_xml"},   {ListFormat::kEuFsfXml, "eu_fsf_xml"},
    {ListFormat::kOfacXml, "ofac_xml"},    {ListFormat::kOfacLegacyCsv, "ofac_csv"},
    {ListFormat::kUsCslCsv, "us_csl_csv"}, {ListFormat::kFtmJson, "ftm_json"},
    {ListFormat::kEuOjCsv, "eu_oj_csv"},   {ListFormat::kOsSimpleCsv, "os_simple_csv"},
};

}  // namespace

const char* ListFormatName(ListFormat f) {
  for (const auto& e : kFormatNames) {
    if (e.format == f) return e.name;
  }
  return "unknown";
}

bool ParseListFormat(std::string_view name, ListFormat* out) {
  for (const auto& e : kFormatNames) {
    if (name == e.name) {
      *out = e.format;
      return true;
    }
  }
  return false;
}

std::string SkippedRowText(const SkippedRow& s) {
  std::string out = s.file;
  if (s.line > 0) out += ": line " + std::to_string(s.line);
  if (!s.field.empty()) out += ": field " + s.field;
  return out + ": " + s.reason;
}

std::string VersionString(const std::string& date, const std::string& sha256) {
  return date.empty() ? "undated:" + sha256.substr(0, 12) : date;
}

namespace internal {

void Skip(ListVersion* out, const std::string& file, long line, std::string field,
          std::string reason) {
  out->skipped.push_back({file, line, std::move(field), std::move(reason)});
}

bool CsvRowReadable(ListVersion* out, const std::string& file, long line,
                    const std::vector<std::string>& header, const std::vector<std::string>& row) {
  if (row.size() != header.size()) {
    Skip(out, file, line, "",
         "expected " + std::to_string(header.size()) + " fields (as in the header), got " +
             std::to_string(row.size()));
    return false;
  }
  for (size_t i = 0; i < row.size(); ++i) {
    if (!IsValidUtf8(row[i])) {
      Skip(out, file, line, Clean(header[i]), "expected UTF-8 text");
      return false;
    }
  }
  return true;
}

void FieldWarning(ListVersion* out, const std::string& file, long line, const std::string& field,
                  const std::string& reason) {
  out->warnings.push_back(file + (line > 0 ? ": line " + std::to_string(line) : "") + ": field " +
                          field + ": " + reason + " (field left out, record kept)");
}

std::string DerivedId(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& p : parts) {
    joined += p;
    joined.push_back('\x1f');
  }
  return "derived-" + Sha256Hex(joined).substr(0, 16);
}

long LineAt(std::string_view content, size_t offset) {
  offset = std::min(offset, content.size());
  return 1 + static_cast<long>(std::count(content.begin(), content.begin() + offset, '\n'));
}

std::optional<ListFormat> SniffFormat(std::string_view c) {
  if (c.substr(0, 3) == "\xEF\xBB\xBF") c.remove_prefix(3);
  size_t i = 0;
  while (i < c.size() && (c[i] == ' ' || c[i] == '\t' || c[i] == '\r' || c[i] == '\n'))
    ++i;
  if (i >= c.size()) return std::nullopt;
  if (c[i] == '<') {
    // The root element: the first '<' followed by a name start character.
    std::string_view head = c.substr(i, 1 << 16);
    size_t p = 0;
    while ((p = head.find('<', p)) != std::string_view::npos) {
      if (p + 1 < head.size() &&
          (std::isalpha(static_cast<unsigned char>(head[p + 1])) || head[p + 1] == '_')) {
        size_t e = p + 1;
        while (e < head.size() && !std::isspace(static_cast<unsigned char>(head[e])) &&
               head[e] != '>' && head[e] != '/')
          ++e;
        std::string_view root = head.substr(p + 1, e - p - 1);
        if (size_t colon = root.find(':'); colon != std::string_view::npos)
          root.remove_prefix(colon + 1);
        if (root == "CONSOLIDATED_LIST") return ListFormat::kUnScXml;
        if (root == "export") return ListFormat::kEuFsfXml;
        if (root == "sdnList") return ListFormat::kOfacXml;
        return std::nullopt;
      }
      ++p;
    }
    return std::nullopt;
  }
  if (c[i] == '{') return ListFormat::kFtmJson;
  // CSV: look at the first line with quotes removed.
  size_t eol = c.find('\n', i);
  std::string first;
  for (char ch : c.substr(i, eol == std::string_view::npos ? std::string_view::npos : eol - i)) {
    if (ch != '"' && ch != '\r') first.push_back(ch);
  }
  if (first.rfind("_id,source,entity_number", 0) == 0) return ListFormat::kUsCslCsv;
  if (first.rfind("celex,recordId", 0) == 0) return ListFormat::kEuOjCsv;
  if (first.rfind("id,schema,name,aliases", 0) == 0) return ListFormat::kOsSimpleCsv;
  internal::CsvReader reader(c.substr(i));
  std::vector<std::string> fields;
  if (reader.Next(&fields) && fields.size() == 12 && !fields[0].empty() &&
      std::all_of(fields[0].begin(), fields[0].end(),
                  [](char ch) { return ch >= '0' && ch <= '9'; }))
    return ListFormat::kOfacLegacyCsv;
  return std::nullopt;
}

std::string IdentifierType(std::string_view t) {
  std::string l = Lower(Trim(t));
  while (!l.empty() && (l.back() == '.' || l.back() == ':' || l.back() == ' '))
    l.pop_back();
  if (l.size() > 3 && l.compare(l.size() - 3, 3, " no") == 0) l.resize(l.size() - 3);
  if (l.rfind("alt. ", 0) == 0) l.erase(0, 5);
  static const char* kNotIds[] = {"gender",
                                  "website",
                                  "email",
                                  "phone",
                                  "fax",
                                  "telephone",
                                  "sanctions",
                                  "secondary",
                                  "additional",
                                  "transactions",
                                  "established",
                                  "organization type",
                                  "target type",
                                  "listing date",
                                  "vessel type",
                                  "vessel flag",
                                  "aircraft",
                                  "executive order",
                                  "ifca",
                                  "caatsa",
                                  "effective date",
                                  "equity ticker",
                                  "issuer name",
                                  "isin",
                                  "digital currency",
                                  "former vessel flag",
                                  "other vessel flag",
                                  "nationality",
                                  "citizen",
                                  "birth",
                                  "place of",
                                  "dob",
                                  "pob",
                                  "title",
                                  "linked to",
                                  "registration date",
                                  "construction"};
  for (const char* n : kNotIds) {
    if (l.find(n) != std::string::npos) return "";
  }
  if (l.find("passport") != std::string::npos) return "passport";
  if (l.find("imo") != std::string::npos) return "imo";
  if (l.find("mmsi") != std::string::npos) return "mmsi";
  if (l.find("swift") != std::string::npos || l.find("bic") != std::string::npos)
    return "swift_bic";
  if (l.find("tax") != std::string::npos || l == "rfc" || l == "nit" || l == "inn" ||
      l.find("ruc") != std::string::npos)
    return "tax_id";
  if (l.find("national") != std::string::npos || l.find("cedula") != std::string::npos ||
      l.find("personal id") != std::string::npos || l.find("identification") != std::string::npos ||
      l == "id" || l.find("curp") != std::string::npos || l.find("d.n.i") != std::string::npos)
    return "national_id";
  if (l.find("registration") != std::string::npos || l.find("registry") != std::string::npos ||
      l.find("business") != std::string::npos || l.find("company number") != std::string::npos ||
      l.find("ogrn") != std::string::npos || l.find("folio") != std::string::npos ||
      l.find("license") != std::string::npos || l.find("licence") != std::string::npos)
    return "registration";
  if (l.find("lei") != std::string::npos) return "lei";
  if (l.empty()) return "";
  // Anything else keeps its own (lower-case) name: an id of a kind we do not model.
  std::string slug;
  for (char ch : l) {
    if (std::isalnum(static_cast<unsigned char>(ch)))
      slug.push_back(ch);
    else if (!slug.empty() && slug.back() != '_')
      slug.push_back('_');
  }
  while (!slug.empty() && slug.back() == '_')
    slug.pop_back();
  return slug;
}

Schema SchemaFromType(std::string_view type) {
  std::string t = Lower(Trim(type));
  if (t == "individual" || t == "person") return Schema::kPerson;
  if (t == "vessel") return Schema::kVessel;
  if (t == "aircraft") return Schema::kAircraft;
  if (t == "entity") return Schema::kLegalEntity;
  return Schema::kLegalEntity;
}

}  // namespace internal

namespace {

// Publisher, effect and jurisdiction from data/lists-sources.json.
Status ApplyCatalogue(ListVersion* v) {
  DU_ASSIGN_OR_RETURN(const ListCatalogue* cat, Catalogue());
  const ListInfo* info = cat->Find(v->list_id);
  if (!info && v->list_id.rfind("eu_oj", 0) == 0) info = cat->Find("eu_oj");
  if (!info) return Status::Internal("list id " + v->list_id + " is not in lists-sources.json");
  v->publisher = info->publisher;
  for (Entity& e : v->entities) {
    e.effect = info->effect;
    e.jurisdiction = info->jurisdiction;
    for (const SubListRule& r : info->sub_lists) {
      bool hit = false;
      if (v->format == ListFormat::kFtmJson || v->format == ListFormat::kOsSimpleCsv) {
        hit = e.source == r.match;
      } else {
        hit = e.source.find(r.match) != std::string::npos;
      }
      if (hit) {
        e.effect = r.effect;
        if (!r.jurisdiction.empty()) e.jurisdiction = r.jurisdiction;
        break;
      }
    }
  }
  return Status::Ok();
}

// Everything a record says, for telling a repeated record from a different
// record under the same id.
std::string Fingerprint(const Entity& e) {
  std::string f = SchemaName(e.schema);
  auto add = [&f](const std::string& v) {
    f.push_back('\x1f');
    f += v;
  };
  for (const EntityName& n : e.names) {
    add(n.full);
    f.push_back(static_cast<char>('0' + static_cast<int>(n.strength)));
  }
  f += "\x1e";
  for (const auto& v : e.countries)
    add(v);
  f += "\x1e";
  for (const auto& v : e.birth_dates)
    add(v);
  f += "\x1e";
  for (const Identifier& i : e.identifiers)
    add(i.type + ":" + i.value + ":" + i.country);
  f += "\x1e";
  for (const auto& v : e.programs)
    add(v);
  add(e.listed_on);
  add(e.delisted_on);
  add(e.source);
  add(e.remarks);
  return f;
}

// The one rule for ids in every format (list.h): derive a missing id, drop a
// record that repeats an earlier one, keep a different record under a
// repeated id as "<id>~N". Records without a name are left out.
void ResolveIds(ListVersion* v, const std::string& name) {
  std::unordered_map<std::string, std::string> seen;  // id -> fingerprint
  // publisher id -> the fingerprints of every record kept under it (id, id~2, ...)
  std::unordered_map<std::string, std::vector<std::string>> by_base;
  seen.reserve(v->entities.size());
  std::vector<Entity> kept;
  kept.reserve(v->entities.size());
  for (size_t i = 0; i < v->entities.size(); ++i) {
    Entity& e = v->entities[i];
    if (e.names.empty()) {
      internal::Skip(v, name, 0, "name", "entity " + std::to_string(i + 1) + " has no name");
      continue;
    }
    if (e.id.empty()) {
      std::vector<std::string> parts{SchemaName(e.schema)};
      for (const EntityName& n : e.names)
        parts.push_back(n.full);
      e.id = internal::DerivedId(parts);
      v->warnings.push_back(name + ": entity " + std::to_string(i + 1) + " (" + e.caption +
                            "): no id; derived " + e.id);
    }
    std::string fp = Fingerprint(e);
    std::vector<std::string>& prints = by_base[e.id];
    if (std::find(prints.begin(), prints.end(), fp) != prints.end()) {
      v->warnings.push_back(name + ": entity " + e.id + " (" + e.caption +
                            ") repeats an earlier record identically; the repeat is dropped");
      continue;
    }
    prints.push_back(fp);
    if (!seen.emplace(e.id, fp).second) {
      std::string base = e.id;
      int n = 2;
      while (seen.count(base + "~" + std::to_string(n)))
        ++n;
      e.id = base + "~" + std::to_string(n);
      seen.emplace(e.id, fp);
      v->warnings.push_back(name + ": id " + base + " repeats with other content (" + e.caption +
                            "); this record is kept as " + e.id);
    }
    kept.push_back(std::move(e));
  }
  v->entities = std::move(kept);
}

Status ParseInto(std::string_view content, const std::string& name, ListFormat format,
                 ListVersion* out) {
  out->format = format;
  switch (format) {
    case ListFormat::kUnScXml:
      return internal::ParseUnXml(content, name, out);
    case ListFormat::kEuFsfXml:
      return internal::ParseEuFsfXml(content, name, out);
    case ListFormat::kOfacXml:
      return internal::ParseOfacXml(content, name, out);
    case ListFormat::kOfacLegacyCsv:
      return internal::ParseOfacCsv(content, "", "", name, "", "", out);
    case ListFormat::kUsCslCsv:
      return internal::ParseCslCsv(content, name, out);
    case ListFormat::kFtmJson:
      return internal::ParseFtmJson(content, name, out);
    case ListFormat::kEuOjCsv:
      return internal::ParseEuOjCsv(content, name, out);
    case ListFormat::kOsSimpleCsv:
      return internal::ParseOsSimpleCsv(content, name, out);
  }
  return Status::Internal("unknown format");
}

Status Finish(ListVersion* v, const std::string& name, const std::string& list_id = "") {
  for (Entity& e : v->entities) {
    if (e.caption.empty() && !e.names.empty()) e.caption = e.names.front().full;
  }
  ResolveIds(v, name);
  if (!list_id.empty()) v->list_id = list_id;
  v->version = VersionString(v->date, v->sha256);
  for (Entity& e : v->entities)
    e.list = v->list_id;
  return ApplyCatalogue(v);
}

Status UnknownFormat(const std::string& name) {
  return Status::InvalidArgument(
      name +
      ": line 1: not a list format dualuse reads (expected UN SC XML, EU FSF XML, "
      "OFAC sdnList XML, OFAC sdn.csv, trade.gov CSL CSV, EU OJ CSV, FollowTheMoney "
      "JSON lines or OpenSanctions simple CSV)");
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the file");
  std::string data;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) return Status::Internal(path + ": cannot read the file");
  data.resize(static_cast<size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(data.data(), size)) return Status::Internal(path + ": read error");
  return data;
}

// Finds sdn.csv / alt.csv / add.csv in a directory, any letter case.
std::string FindInDir(const std::string& dir, const std::string& lower_name) {
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(dir, ec)) {
    if (Lower(de.path().filename().string()) == lower_name) return de.path().string();
  }
  return "";
}

std::string DateFromSidecar(const std::string& sidecar) {
  std::ifstream in(sidecar);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  auto d = Date::Parse(Trim(line));
  return d ? d->ToString() : "";
}

// Sets the date of a version whose content carries none.
void FallbackDate(ListVersion* v, const std::string& path, bool is_dir) {
  if (!v->date.empty()) return;
  std::string d = DateFromSidecar(is_dir ? path + "/DATE" : path + ".date");
  if (!d.empty()) {
    v->date = d;
    v->date_source = "sidecar";
    return;
  }
  std::string base = fs::path(path).filename().string();
  if (base.empty()) base = fs::path(path).parent_path().filename().string();
  d = internal::DateFromName(base);
  if (!d.empty()) {
    v->date = d;
    v->date_source = "filename";
    return;
  }
  // Never the file's modification time: a copy made today is not today's list.
  v->date_source = "none";
}

// Says where a date that is not the publisher's own came from.
void DateWarning(ListVersion* v, const std::string& path) {
  if (v->date_source == "sidecar" || v->date_source == "filename") {
    v->warnings.push_back(path + ": the file carries no publication date; " + v->date +
                          " is taken from the " +
                          (v->date_source == "sidecar" ? "date file beside it" : "file name"));
  } else if (v->date_source == "none" || v->date.empty()) {
    v->warnings.push_back(path + ": the file carries no publication date; version " +
                          VersionString("", v->sha256) + " (give the date in " + path +
                          ".date as YYYY-MM-DD)");
  }
}

}  // namespace

Result<ListFormat> DetectFormat(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (!FindInDir(path, "sdn.csv").empty()) return ListFormat::kOfacLegacyCsv;
    return Status::InvalidArgument(path +
                                   ": directory: expected OFAC's sdn.csv (with alt.csv, "
                                   "add.csv) in it");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the file");
  std::string head(1 << 16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  auto f = internal::SniffFormat(head);
  if (!f) return UnknownFormat(path);
  return *f;
}

Result<ListVersion> ParseList(std::string_view content, const std::string& name) {
  auto f = internal::SniffFormat(content);
  if (!f) return UnknownFormat(name);
  ListVersion v;
  v.path = name;
  DU_RETURN_IF_ERROR(ParseInto(content, name, *f, &v));
  if (v.date.empty()) {
    v.date = internal::DateFromName(name);
    if (!v.date.empty()) v.date_source = "filename";
  }
  if (v.date.empty()) v.date_source = "none";
  v.sha256 = Sha256Hex(content);
  DateWarning(&v, name);
  DU_RETURN_IF_ERROR(Finish(&v, name));
  return v;
}

Result<ListVersion> LoadList(const std::string& path) { return internal::LoadListAs(path, ""); }

Result<std::vector<ListVersion>> LoadLists(const std::vector<std::string>& paths,
                                           unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, paths.size()));
  std::vector<std::optional<Result<ListVersion>>> loaded(paths.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < paths.size(); i = next.fetch_add(1))
      loaded[i].emplace(LoadList(paths[i]));
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(work);
  work();
  for (std::thread& t : pool)
    t.join();
  std::vector<ListVersion> out;
  out.reserve(paths.size());
  for (auto& r : loaded) {
    if (!r->ok()) return r->error();
    out.push_back(std::move(*r).value());
  }
  return out;
}

Result<ListVersion> internal::LoadListAs(const std::string& path, const std::string& list_id) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file or directory");
  ListVersion v;
  v.path = path;
  if (fs::is_directory(path, ec)) {
    std::string sdn = FindInDir(path, "sdn.csv");
    if (sdn.empty())
      return Status::InvalidArgument(path +
                                     ": directory: expected OFAC's sdn.csv (with alt.csv, "
                                     "add.csv) in it");
    std::string alt = FindInDir(path, "alt.csv"), add = FindInDir(path, "add.csv");
    DU_ASSIGN_OR_RETURN(std::string sdn_data, ReadFile(sdn));
    std::string alt_data, add_data;
    if (!alt.empty()) {
      DU_ASSIGN_OR_RETURN(alt_data, ReadFile(alt));
    }
    if (!add.empty()) {
      DU_ASSIGN_OR_RETURN(add_data, ReadFile(add));
    }
    auto f = internal::SniffFormat(sdn_data);
    if (!f || *f != ListFormat::kOfacLegacyCsv)
      return Status::DataLoss(sdn + ": line 1: expected OFAC's headerless 12-column sdn.csv");
    v.format = ListFormat::kOfacLegacyCsv;
    DU_RETURN_IF_ERROR(internal::ParseOfacCsv(sdn_data, alt_data, add_data, sdn, alt, add, &v));
    std::string manifest = "sdn.csv " + Sha256Hex(sdn_data) + "\n";
    if (!alt.empty()) manifest += "alt.csv " + Sha256Hex(alt_data) + "\n";
    if (!add.empty()) manifest += "add.csv " + Sha256Hex(add_data) + "\n";
    v.sha256 = Sha256Hex(manifest);
    FallbackDate(&v, path, /*is_dir=*/true);
    DateWarning(&v, path);
    DU_RETURN_IF_ERROR(Finish(&v, path, list_id));
    return v;
  }
  DU_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  auto f = internal::SniffFormat(data);
  if (!f) return UnknownFormat(path);
  DU_RETURN_IF_ERROR(ParseInto(data, path, *f, &v));
  v.sha256 = Sha256Hex(data);
  FallbackDate(&v, path, /*is_dir=*/false);
  DateWarning(&v, path);
  DU_RETURN_IF_ERROR(Finish(&v, path, list_id));
  return v;
}

}  // namespace dualuse::lists
