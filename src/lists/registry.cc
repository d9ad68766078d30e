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

#include "dualuse/base/sha256.h"
#include "lists/parsers.h"
#include "lists/util.h"

namespace dualuse::lists {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string NowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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
  return json{{"list", r.list_id},
              {"format", r.format},
              {"publisher", r.publisher},
              {"date", r.date},
              {"date_source", r.date_source},
              {"sha256", r.sha256},
              {"file", r.file},
              {"origin", r.origin},
              {"imported_at", r.imported_at},
              {"entities", r.entity_count}};
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
    if (auto it = o.find("entities"); it != o.end() && it->is_number_integer())
      r.entity_count = it->get<long>();
    if (r.list_id.empty() || r.sha256.empty() || r.file.empty() || !Date::Parse(r.date))
      return Status::DataLoss(path + ": $.versions[" + std::to_string(i) +
                              "]: expected list, date (YYYY-MM-DD), sha256 and file");
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

Status WriteManifest(const std::string& path, const std::vector<VersionRecord>& records) {
  json arr = json::array();
  for (const VersionRecord& r : records)
    arr.push_back(ToJson(r));
  json j{{"schema", "dualuse.lists-manifest/1"}, {"versions", arr}};
  return WriteFileAtomically(path, j.dump(2) + "\n");
}

void SortRecords(std::vector<VersionRecord>& v) {
  std::stable_sort(v.begin(), v.end(), [](const VersionRecord& a, const VersionRecord& b) {
    return std::tie(a.list_id, a.date, a.imported_at) < std::tie(b.list_id, b.date, b.imported_at);
  });
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
  return json{{"list_id", r.list_id},
              {"format", r.format},
              {"publisher", r.publisher},
              {"date", r.date},
              {"date_source", r.date_source},
              {"sha256", r.sha256},
              {"file", r.file},
              {"origin", r.origin},
              {"imported_at", r.imported_at},
              {"entity_count", r.entity_count}}
      .dump();
}

ListRegistry::ListRegistry(std::string data_dir) : lists_dir_(std::move(data_dir) + "/lists") {}

Result<VersionRecord> ListRegistry::Import(const ListVersion& version, const std::string& origin) {
  if (version.list_id.empty() || version.sha256.empty())
    return Status::InvalidArgument("import: the list version has no id or hash");
  if (!Date::Parse(version.date))
    return Status::InvalidArgument(version.path + ": the list has no date (YYYY-MM-DD)");
  std::error_code ec;
  fs::create_directories(lists_dir_ + "/" + version.list_id, ec);
  if (ec) return Status::Internal(lists_dir_ + ": cannot create: " + ec.message());
  FileLock lock(lists_dir_ + "/.lock");
  if (!lock.ok()) return Status::Internal(lists_dir_ + "/.lock: cannot lock");
  const std::string manifest = lists_dir_ + "/manifest.json";
  DU_ASSIGN_OR_RETURN(std::vector<VersionRecord> records, ReadManifest(manifest));
  for (const VersionRecord& r : records) {
    if (r.list_id == version.list_id && r.sha256 == version.sha256) return r;
  }
  const bool is_dir = fs::is_directory(version.path, ec);
  VersionRecord rec;
  rec.list_id = version.list_id;
  rec.format = ListFormatName(version.format);
  rec.publisher = version.publisher;
  rec.date = version.date;
  rec.date_source = version.date_source;
  rec.sha256 = version.sha256;
  rec.file = version.list_id + "/" + version.date + "-" + version.sha256.substr(0, 12) +
             (is_dir ? std::string() : Extension(version));
  rec.origin = origin.empty() ? fs::absolute(version.path, ec).string() : origin;
  rec.imported_at = NowUtc();
  rec.entity_count = static_cast<long>(version.entities.size());
  const std::string dest = lists_dir_ + "/" + rec.file;
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
    fs::remove_all(tmp, ec);
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
  records.push_back(rec);
  SortRecords(records);
  Status s = WriteManifest(manifest, records);
  if (!s.ok()) {
    fs::remove_all(dest, ec);
    return s;
  }
  return rec;
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
    if (r.list_id != list_id || r.date > day) continue;
    if (!best || std::tie(r.date, r.imported_at) >= std::tie(best->date, best->imported_at))
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
    if (sel.empty() || r.date == sel || (sel.size() >= 6 && r.sha256.rfind(sel, 0) == 0))
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
