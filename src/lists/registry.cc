#include "dualuse/lists/registry.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "dualuse/base/clock.h"
#include "dualuse/base/sha256.h"
#include "dualuse/lists/catalogue.h"
#include "lists/parsers.h"
#include "lists/util.h"

namespace dualuse::lists {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string RandomSuffix() {
  std::random_device rd;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

// An exclusive flock on <lists>/.lock for the lifetime of the object.
class FileLock {
 public:
  explicit FileLock(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

json ToJson(const VersionRecord& r) {
  json j{{"list", r.list_id},
         {"format", r.format},
         {"publisher", r.publisher},
         {"date", r.date},
         {"date_source", r.date_source},
         {"version", r.version},
         {"sha256", r.sha256},
         {"file", r.file},
         {"origin", r.origin},
         {"imported_at", r.imported_at},
         {"entities", r.entity_count},
         {"skipped_rows", r.skipped_rows},
         {"warnings", r.warning_count},
         {"import_id", r.import_id}};
  if (r.previous_entities >= 0) {
    j["previous_entities"] = r.previous_entities;
    j["removed_entities"] = r.removed_entities;
  }
  if (r.shrink_allowed) j["shrink_allowed"] = true;
  return j;
}

Result<std::vector<VersionRecord>> ReadManifest(const std::string& path) {
  std::vector<VersionRecord> out;
  std::ifstream in(path, std::ios::binary);
  if (!in) return out;  // nothing imported yet
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("versions") || !j["versions"].is_array())
    return Status::DataLoss(path + ": $: expected {\"versions\": [...]}");
  for (size_t i = 0; i < j["versions"].size(); ++i) {
    const json& o = j["versions"][i];
    auto str = [&](const char* k) {
      auto it = o.find(k);
      return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    VersionRecord r;
    r.list_id = str("list");
    r.format = str("format");
    r.publisher = str("publisher");
    r.date = str("date");
    r.date_source = str("date_source");
    r.sha256 = str("sha256");
    r.file = str("file");
    r.origin = str("origin");
    r.imported_at = str("imported_at");
    r.version = str("version");
    r.import_id = str("import_id");
    auto num = [&](const char* k, long* out) {
      if (auto it = o.find(k); it != o.end() && it->is_number_integer()) *out = it->get<long>();
    };
    num("entities", &r.entity_count);
    num("skipped_rows", &r.skipped_rows);
    num("warnings", &r.warning_count);
    num("previous_entities", &r.previous_entities);
    num("removed_entities", &r.removed_entities);
    if (auto it = o.find("shrink_allowed"); it != o.end() && it->is_boolean())
      r.shrink_allowed = it->get<bool>();
    if (r.list_id.empty() || r.sha256.empty() || r.file.empty() ||
        (!r.date.empty() && !Date::Parse(r.date)) ||
        (r.date.empty() && !Date::Parse(r.imported_at.substr(0, 10))))
      return Status::DataLoss(path + ": $.versions[" + std::to_string(i) +
                              "]: expected list, date (YYYY-MM-DD, or empty for an undated "
                              "version with its imported_at), sha256 and file");
    if (r.version.empty()) r.version = VersionString(r.date, r.sha256);
    out.push_back(std::move(r));
  }
  return out;
}

Status WriteFileAtomically(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp-" + RandomSuffix();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Internal(tmp + ": cannot create");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::Internal(tmp + ": write failed (disk full?)");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::Internal(tmp + ": fsync failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::Internal(path + ": rename failed");
  }
  return Status::Ok();
}

Status WriteManifest(const std::string& path, const std::vector<VersionRecord>& records,
                     const std::string& import_id = "") {
  json arr = json::array();
  for (const VersionRecord& r : records)
    arr.push_back(ToJson(r));
  json j{{"schema", "dualuse.lists-manifest/1"}, {"versions", arr}};
  if (!import_id.empty()) j["import_id"] = import_id;
  return WriteFileAtomically(path, j.dump(2) + "\n");
}

void SortRecords(std::vector<VersionRecord>& v) {
  std::stable_sort(v.begin(), v.end(), [](const VersionRecord& a, const VersionRecord& b) {
    std::string da = InForceFrom(a), db = InForceFrom(b);
    return std::tie(a.list_id, da, a.imported_at) < std::tie(b.list_id, db, b.imported_at);
  });
}

// The import id of a pending manifest; "" when unreadable.
std::string PendingImportId(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (!j.is_object() || !j.contains("import_id") || !j["import_id"].is_string()) return "";
  return j["import_id"].get<std::string>();
}

bool MayBeEmpty(const std::string& list_id) {
  auto cat = Catalogue();
  if (!cat.ok()) return false;
  const ListInfo* info = (*cat)->Find(list_id);
  if (!info && list_id.rfind("eu_oj", 0) == 0) info = (*cat)->Find("eu_oj");
  return info && info->may_be_empty;
}

std::string Extension(const ListVersion& v) {
  std::string ext = internal::Lower(fs::path(v.path).extension().string());
  if (ext == ".xml" || ext == ".csv" || ext == ".json" || ext == ".jsonl") return ext;
  switch (v.format) {
    case ListFormat::kUnScXml:
    case ListFormat::kEuFsfXml:
    case ListFormat::kOfacXml:
      return ".xml";
    case ListFormat::kFtmJson:
      return ".json";
    default:
      return ".csv";
  }
}

}  // namespace

std::string VersionRecordJson(const VersionRecord& r) {
  json j{{"list_id", r.list_id},
         {"format", r.format},
         {"publisher", r.publisher},
         {"date", r.date},
         {"date_source", r.date_source},
         {"version", r.version},
         {"sha256", r.sha256},
         {"file", r.file},
         {"origin", r.origin},
         {"imported_at", r.imported_at},
         {"entity_count", r.entity_count},
         {"skipped_rows", r.skipped_rows},
         {"warning_count", r.warning_count},
         {"import_id", r.import_id}};
  if (r.previous_entities >= 0) {
    j["previous_entities"] = r.previous_entities;
    j["removed_entities"] = r.removed_entities;
  }
  j["shrink_allowed"] = r.shrink_allowed;
  return j.dump();
}

ListRegistry::ListRegistry(std::string data_dir) : lists_dir_(std::move(data_dir) + "/lists") {}

std::string InForceFrom(const VersionRecord& r) {
  return r.date.empty() ? r.imported_at.substr(0, 10) : r.date;
}

Result<VersionRecord> ListRegistry::Import(const ListVersion& version, const std::string& origin) {
  ImportOptions options;
  if (!origin.empty()) options.origins.push_back(origin);
  DU_ASSIGN_OR_RETURN(std::vector<ImportOutcome> out, ImportAll({&version}, options));
  return out.front().record;
}

namespace {

// Recover's work; the caller holds the registry's lock.
Status RecoverLocked(const std::string& lists_dir,
                     const std::function<Result<bool>(const std::string&)>& recorded) {
  const std::string pending = lists_dir + "/manifest.pending.json";
  std::error_code ec;
  if (!fs::exists(pending, ec) || !recorded) return Status::Ok();
  std::string id = PendingImportId(pending);
  bool done = false;
  if (!id.empty()) {
    DU_ASSIGN_OR_RETURN(done, recorded(id));
  }
  if (done) {
    if (std::rename(pending.c_str(), (lists_dir + "/manifest.json").c_str()) != 0)
      return Status::Internal(pending + ": rename failed");
  } else {
    fs::remove(pending, ec);
  }
  return Status::Ok();
}

}  // namespace

Status ListRegistry::Recover(const std::function<Result<bool>(const std::string&)>& recorded) {
  std::error_code ec;
  if (!fs::exists(lists_dir_ + "/manifest.pending.json", ec) || !recorded) return Status::Ok();
  // Under the lock: an import in progress has a pending manifest too.
  FileLock lock(lists_dir_ + "/.lock");
  if (!lock.ok()) return Status::Internal(lists_dir_ + "/.lock: cannot lock");
  return RecoverLocked(lists_dir_, recorded);
}

namespace {

// Copies a parsed list's file (or OFAC directory) to `dest` by way of a
// temporary name; the copy must hash to what was parsed.
Status CopyInto(const ListVersion& version, const std::string& dest) {
  std::error_code ec;
  const bool is_dir = fs::is_directory(version.path, ec);
  if (fs::exists(dest, ec)) {
    // Content-addressed: a copy left by an interrupted import is reused when intact.
    if (is_dir || (Sha256File(dest).ok() && *Sha256File(dest) == version.sha256))
      return Status::Ok();
  }
  const std::string tmp = dest + ".tmp-" + RandomSuffix();
  if (is_dir) {
    fs::create_directories(tmp, ec);
    for (const auto& de : fs::directory_iterator(version.path, ec)) {
      std::string n = internal::Lower(de.path().filename().string());
      if (n != "sdn.csv" && n != "alt.csv" && n != "add.csv") continue;
      fs::copy_file(de.path(), tmp + "/" + n, fs::copy_options::overwrite_existing, ec);
      if (ec) break;
    }
  } else {
    fs::copy_file(version.path, tmp, fs::copy_options::overwrite_existing, ec);
  }
  if (ec) {
    std::error_code ec2;
    fs::remove_all(tmp, ec2);
    return Status::Internal(tmp + ": cannot copy the list: " + ec.message());
  }
  // The copy must be what was parsed (the source could have changed since).
  if (!is_dir) {
    auto hash = Sha256File(tmp);
    if (!hash.ok() || *hash != version.sha256) {
      fs::remove_all(tmp, ec);
      return Status::FailedPrecondition(version.path + ": the file changed while it was imported");
    }
  }
  fs::remove_all(dest, ec);
  fs::rename(tmp, dest, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    return Status::Internal(dest + ": rename failed");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ImportOutcome>> ListRegistry::ImportAll(
    const std::vector<const ListVersion*>& versions, const ImportOptions& options) {
  for (const ListVersion* v : versions) {
    if (v->list_id.empty() || v->sha256.empty())
      return Status::InvalidArgument("import: the list version has no id or hash");
    if (!v->date.empty() && !Date::Parse(v->date))
      return Status::InvalidArgument(v->path + ": the list date is not YYYY-MM-DD: " + v->date);
  }
  std::error_code ec;
  fs::create_directories(lists_dir_, ec);
  if (ec) return Status::Internal(lists_dir_ + ": cannot create: " + ec.message());
  FileLock lock(lists_dir_ + "/.lock");
  if (!lock.ok()) return Status::Internal(lists_dir_ + "/.lock: cannot lock");
  DU_RETURN_IF_ERROR(RecoverLocked(lists_dir_, options.recorded));
  const std::string manifest = lists_dir_ + "/manifest.json";
  const std::string pending = lists_dir_ + "/manifest.pending.json";
  if (fs::exists(pending, ec))
    return Status::FailedPrecondition(
        pending + ": an interrupted import awaits recovery; run `dualuse lists status`");
  DU_ASSIGN_OR_RETURN(std::vector<VersionRecord> records, ReadManifest(manifest));
  const std::string now = Clock::NowUtc();
  const std::string import_id = now + "-" + RandomSuffix().substr(0, 8);
  std::vector<ImportOutcome> out;
  std::vector<VersionRecord> fresh;
  std::vector<const ListVersion*> to_copy;
  for (size_t i = 0; i < versions.size(); ++i) {
    const ListVersion& version = *versions[i];
    const VersionRecord* existing = nullptr;
    for (const VersionRecord& r : records) {
      if (r.list_id == version.list_id && r.sha256 == version.sha256) existing = &r;
    }
    for (const VersionRecord& r : fresh) {
      if (r.list_id == version.list_id && r.sha256 == version.sha256) existing = &r;
    }
    if (existing) {
      out.push_back({*existing, false});
      continue;
    }
    const bool is_dir = fs::is_directory(version.path, ec);
    VersionRecord rec;
    rec.list_id = version.list_id;
    rec.format = ListFormatName(version.format);
    rec.publisher = version.publisher;
    rec.date = version.date;
    rec.date_source = version.date_source;
    rec.version = VersionString(version.date, version.sha256);
    rec.sha256 = version.sha256;
    rec.file = version.list_id + "/" + (version.date.empty() ? "undated" : version.date) + "-" +
               version.sha256.substr(0, 12) + (is_dir ? std::string() : Extension(version));
    rec.origin = i < options.origins.size() && !options.origins[i].empty()
                     ? options.origins[i]
                     : fs::absolute(version.path, ec).string();
    rec.imported_at = now;
    rec.import_id = import_id;
    rec.entity_count = static_cast<long>(version.entities.size());
    rec.skipped_rows = static_cast<long>(version.skipped.size());
    rec.warning_count = static_cast<long>(version.warnings.size());
    // The shrink guard, against the version this one follows.
    const VersionRecord* previous = nullptr;
    const std::string from = InForceFrom(rec);
    for (const std::vector<VersionRecord>* set : {&records, &fresh}) {
      for (const VersionRecord& r : *set) {
        if (r.list_id != rec.list_id || InForceFrom(r) > from) continue;
        if (!previous || std::make_tuple(InForceFrom(r), r.imported_at) >=
                             std::make_tuple(InForceFrom(*previous), previous->imported_at))
          previous = &r;
      }
    }
    std::string refusal;
    if (previous) {
      std::set<std::string> now_ids;
      for (const Entity& e : version.entities)
        now_ids.insert(e.id);
      long removed = 0;
      if (previous->entity_count > 0) {
        auto before = Load(*previous);
        if (!before.ok()) return before.error();
        for (const Entity& e : before->entities)
          removed += now_ids.count(e.id) == 0;
      }
      rec.previous_entities = previous->entity_count;
      rec.removed_entities = removed;
      const double share =
          previous->entity_count > 0 ? static_cast<double>(removed) / previous->entity_count : 0;
      char pct[32];
      std::snprintf(pct, sizeof pct, "%.1f %%", 100 * share);
      if (previous->entity_count > 0 && version.entities.empty()) {
        refusal = version.path + ": list " + rec.list_id + " would go from " +
                  std::to_string(previous->entity_count) + " entities (version " +
                  previous->version + ") to none";
      } else if (share > options.max_shrink) {
        char limit[32];
        std::snprintf(limit, sizeof limit, "%.1f %%", 100 * options.max_shrink);
        refusal = version.path + ": list " + rec.list_id + " would lose " +
                  std::to_string(removed) + " of the " + std::to_string(previous->entity_count) +
                  " entities of version " + previous->version + " (" + pct + ", more than " +
                  limit + ")";
      }
    }
    if (refusal.empty() && version.entities.empty() &&
        !(MayBeEmpty(rec.list_id) && (!previous || previous->entity_count == 0))) {
      refusal = version.path + ": list " + rec.list_id + " has no entities (" +
                std::to_string(version.skipped.size()) +
                " records skipped); an empty list would screen every name clear";
    }
    if (!refusal.empty()) {
      if (!options.allow_shrink)
        return Status::FailedPrecondition(
            refusal + "; nothing imported (pass --allow-shrink to import it anyway)");
      rec.shrink_allowed = true;
    }
    fresh.push_back(rec);
    to_copy.push_back(&version);
    out.push_back({rec, true});
  }
  if (fresh.empty()) return out;
  // 1. The files, content-addressed (a copy left by a killed import is harmless).
  for (size_t i = 0; i < fresh.size(); ++i) {
    fs::create_directories(lists_dir_ + "/" + fresh[i].list_id, ec);
    if (ec) return Status::Internal(lists_dir_ + ": cannot create: " + ec.message());
    DU_RETURN_IF_ERROR(CopyInto(*to_copy[i], lists_dir_ + "/" + fresh[i].file));
  }
  // 2. The new manifest, pending; 3. the audit records; 4. the commit.
  std::vector<VersionRecord> all = records;
  all.insert(all.end(), fresh.begin(), fresh.end());
  SortRecords(all);
  DU_RETURN_IF_ERROR(WriteManifest(pending, all, import_id));
  if (options.record) {
    Status s = options.record(fresh);
    if (!s.ok()) {
      fs::remove(pending, ec);
      return s;
    }
  }
  if (std::rename(pending.c_str(), manifest.c_str()) != 0) {
    fs::remove(pending, ec);
    return Status::Internal(manifest + ": rename failed");
  }
  RemoveListSnapshots(lists_dir_);
  return out;
}

void RemoveListSnapshots(const std::string& lists_dir) {
  // Compiled list snapshots (screening's snapshot-<format>-<hash>.bin) are
  // caches named by the versions they were built from: after an import the
  // versions in force change, and the old files are only dead weight (any
  // one still needed is rebuilt on first use).
  std::error_code ec;
  for (fs::directory_iterator it(lists_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("snapshot-", 0) == 0) fs::remove(it->path(), ec);
  }
}

Result<std::vector<VersionRecord>> ListRegistry::Versions() const {
  DU_ASSIGN_OR_RETURN(std::vector<VersionRecord> records,
                      ReadManifest(lists_dir_ + "/manifest.json"));
  SortRecords(records);
  return records;
}

Result<VersionRecord> ListRegistry::Current(const std::string& list_id, const Date& as_of) const {
  DU_ASSIGN_OR_RETURN(std::vector<VersionRecord> records, Versions());
  const VersionRecord* best = nullptr;
  const std::string day = as_of.ToString();
  for (const VersionRecord& r : records) {
    if (r.list_id != list_id || InForceFrom(r) > day) continue;
    if (!best || std::make_tuple(InForceFrom(r), r.imported_at) >=
                     std::make_tuple(InForceFrom(*best), best->imported_at))
      best = &r;
  }
  if (!best)
    return Status::NotFound("list " + list_id + ": no version imported dated on or before " + day);
  return *best;
}

Result<ListVersion> ListRegistry::Load(const VersionRecord& record) const {
  DU_ASSIGN_OR_RETURN(ListVersion v,
                      internal::LoadListAs(lists_dir_ + "/" + record.file, record.list_id));
  if (v.sha256 != record.sha256)
    return Status::DataLoss(lists_dir_ + "/" + record.file + ": content hash " +
                            v.sha256.substr(0, 12) + " does not match the manifest (" +
                            record.sha256.substr(0, 12) + ")");
  v.date = record.date;
  v.date_source = record.date_source;
  v.version = VersionString(record.date, record.sha256);
  return v;
}

Result<std::vector<ListVersion>> ListRegistry::LoadAllCurrent(const Date& as_of) const {
  DU_ASSIGN_OR_RETURN(std::vector<VersionRecord> records, Versions());
  std::set<std::string> ids;
  for (const VersionRecord& r : records)
    ids.insert(r.list_id);
  std::vector<ListVersion> out;
  for (const std::string& id : ids) {
    auto cur = Current(id, as_of);
    if (!cur.ok()) {
      if (cur.error().code() == StatusCode::kNotFound) continue;
      return cur.error();
    }
    DU_ASSIGN_OR_RETURN(ListVersion v, Load(*cur));
    out.push_back(std::move(v));
  }
  return out;
}

Result<VersionRecord> ListRegistry::Find(const std::string& ref) const {
  DU_ASSIGN_OR_RETURN(std::vector<VersionRecord> records, Versions());
  size_t at = ref.find('@');
  std::string id = ref.substr(0, at), sel = at == std::string::npos ? "" : ref.substr(at + 1);
  std::vector<const VersionRecord*> hits;
  for (const VersionRecord& r : records) {
    if (r.list_id != id) continue;
    if (sel.empty() || r.date == sel || r.version == sel ||
        (sel.size() >= 6 && r.sha256.rfind(sel, 0) == 0))
      hits.push_back(&r);
  }
  if (hits.empty()) return Status::NotFound(ref + ": no such imported list version");
  if (sel.empty()) return *hits.back();  // newest by date, then import time
  if (hits.size() > 1)
    return Status::InvalidArgument(ref + ": matches " + std::to_string(hits.size()) +
                                   " versions; give a hash prefix (list@abcdef)");
  return *hits.front();
}

}  // namespace dualuse::lists
