#include "dualuse/authority/repository.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "authority/json_util.h"
#include "dualuse/base/sha256.h"

namespace dualuse::authority {

using internal::Json;

Status InMemoryRepository::AppendAll(const std::vector<Record>& records) {
  std::lock_guard<std::mutex> lock(mu_);
  std::set<std::string> batch;
  for (const Record& r : records) {
    for (const std::string& c : r.claims) {
      if (claims_.count(c) || !batch.insert(c).second) {
        return Status::AlreadyExists("claim \"" + c + "\" is already held");
      }
    }
  }
  claims_.insert(batch.begin(), batch.end());
  std::string now = Clock::NowUtc();
  for (Record r : records) {
    r.recorded_at = now;
    records_.push_back(std::move(r));
  }
  return Status::Ok();
}

Result<std::vector<Record>> InMemoryRepository::Records() const {
  std::lock_guard<std::mutex> lock(mu_);
  return records_;
}

namespace {

constexpr char kGenesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

Json RecordJson(const Record& r) {
  return {{"kind", r.kind},
          {"id", r.id},
          {"payload", r.payload},
          {"actor", r.actor},
          {"recorded_at", r.recorded_at}};
}

struct Chain {
  std::vector<Record> records;
  std::string head = kGenesis;
};

// Reads and verifies the chain in `text`.
Result<Chain> ReadChain(const std::string& text, const std::string& path) {
  Chain c;
  std::istringstream in(text);
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    std::string where = path + ": line " + std::to_string(n) + ": ";
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("record") || !j["record"].is_object() ||
        !j.value("prev", Json()).is_string() || !j.value("hash", Json()).is_string()) {
      return Status::DataLoss(where + "not a record line (expected {seq, prev, hash, record})");
    }
    const Json& rj = j["record"];
    Record r;
    for (auto [key, field] :
         {std::pair{"kind", &r.kind}, std::pair{"id", &r.id}, std::pair{"payload", &r.payload},
          std::pair{"actor", &r.actor}, std::pair{"recorded_at", &r.recorded_at}}) {
      auto it = rj.find(key);
      if (it == rj.end() || !it->is_string()) {
        return Status::DataLoss(where + "record." + key + ": expected a string");
      }
      *field = it->get<std::string>();
    }
    std::string prev = j["prev"].get<std::string>();
    if (prev != c.head) {
      return Status::DataLoss(where +
                              "chain broken: prev does not match the hash of the line "
                              "before (a record was inserted or deleted)");
    }
    std::string hash = Sha256Hex(prev + "\n" + RecordJson(r).dump());
    if (hash != j["hash"].get<std::string>()) {
      return Status::DataLoss(where + "hash mismatch: the record was modified");
    }
    c.head = hash;
    c.records.push_back(std::move(r));
  }
  return c;
}

Result<std::string> ReadAll(int fd, const std::string& path) {
  std::string text;
  char buf[65536];
  if (lseek(fd, 0, SEEK_SET) < 0) return Status::Internal(path + ": " + std::strerror(errno));
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) return Status::Internal(path + ": read: " + std::strerror(errno));
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Status FileRepository::AppendAll(const std::vector<Record>& records) {
  std::lock_guard<std::mutex> lock(mu_);
  Fd fd(open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (fd.get() < 0) return Status::Internal(path_ + ": " + std::strerror(errno));
  if (flock(fd.get(), LOCK_EX) != 0)
    return Status::Internal(path_ + ": lock: " + std::strerror(errno));
  DU_ASSIGN_OR_RETURN(std::string text, ReadAll(fd.get(), path_));
  DU_ASSIGN_OR_RETURN(Chain chain, ReadChain(text, path_));
  std::string now = Clock::NowUtc();
  std::string out;
  if (!text.empty() && text.back() != '\n') out = "\n";
  std::string head = chain.head;
  size_t seq = chain.records.size();
  for (Record r : records) {
    r.recorded_at = now;
    Json rj = RecordJson(r);
    std::string hash = Sha256Hex(head + "\n" + rj.dump());
    Json line = {{"seq", ++seq}, {"prev", head}, {"hash", hash}, {"record", rj}};
    out += line.dump() + "\n";
    head = hash;
  }
  // One write of all lines: a crash leaves at most a torn last line, which
  // Records() reports as DataLoss rather than silently dropping it.
  const char* p = out.data();
  size_t left = out.size();
  while (left > 0) {
    ssize_t n = write(fd.get(), p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Internal(path_ + ": write: " + std::strerror(errno));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (fsync(fd.get()) != 0) return Status::Internal(path_ + ": fsync: " + std::strerror(errno));
  return Status::Ok();
}

Result<std::vector<Record>> FileRepository::Records() const {
  std::lock_guard<std::mutex> lock(mu_);
  Fd fd(open(path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::vector<Record>{};
    return Status::Internal(path_ + ": " + std::strerror(errno));
  }
  if (flock(fd.get(), LOCK_SH) != 0)
    return Status::Internal(path_ + ": lock: " + std::strerror(errno));
  DU_ASSIGN_OR_RETURN(std::string text, ReadAll(fd.get(), path_));
  DU_ASSIGN_OR_RETURN(Chain chain, ReadChain(text, path_));
  return std::move(chain.records);
}

}  // namespace dualuse::authority
