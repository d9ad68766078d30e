#include "batch.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <utility>

namespace dualuse::cli {

Result<LineReader> LineReader::Open(const std::string& path) {
  if (path == "-") return LineReader(STDIN_FILENO, false);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::InvalidArgument(path + ": cannot open the file");
  return LineReader(fd, true);
}

LineReader::LineReader(LineReader&& o) noexcept
    : fd_(o.fd_),
      owned_(o.owned_),
      eof_(o.eof_),
      buf_(std::move(o.buf_)),
      pos_(o.pos_),
      line_(o.line_) {
  o.owned_ = false;
}

LineReader::~LineReader() {
  if (owned_) ::close(fd_);
}

bool LineReader::Fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

bool LineReader::Next(std::string* line) {
  for (;;) {
    size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      line->assign(buf_, pos_, nl - pos_);
      pos_ = nl + 1;
      break;
    }
    if (!Fill()) {
      if (pos_ >= buf_.size()) return false;
      line->assign(buf_, pos_, std::string::npos);
      pos_ = buf_.size();
      break;
    }
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  ++line_;
  return true;
}

std::string LineReader::Rest() {
  while (Fill()) {
  }
  std::string out = buf_.substr(pos_);
  pos_ = buf_.size();
  return out;
}

bool LineReader::WouldBlock() {
  if (eof_ || buf_.find('\n', pos_) != std::string::npos) return false;
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

nlohmann::ordered_json LineError(size_t line, const Status& status, const std::string& name) {
  std::string m = status.message();
  if (!name.empty() && m.rfind(name + ": ", 0) == 0) m = m.substr(name.size() + 2);
  std::string path = "$";
  if (!m.empty() && m[0] == '$') {
    size_t colon = m.find(": ");
    path = m.substr(0, colon);
    m = colon == std::string::npos ? "" : m.substr(colon + 2);
  }
  nlohmann::ordered_json e;
  e["code"] = "invalid_request";
  e["path"] = path;
  e["message"] = m;
  nlohmann::ordered_json out;
  out["line"] = line;
  out["error"] = std::move(e);
  return out;
}

Result<std::set<std::string>> ParseFailOn(const std::string& text,
                                          const std::vector<std::string>& allowed) {
  std::set<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string w = text.substr(start, end - start);
    start = end + 1;
    if (w.empty()) continue;
    bool known = false;
    for (const std::string& a : allowed)
      known = known || a == w;
    if (!known) {
      std::string list;
      for (const std::string& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
      return Status::InvalidArgument("--fail-on: \"" + w + "\" is not one of " + list);
    }
    out.insert(w);
  }
  if (out.empty()) return Status::InvalidArgument("--fail-on: expected a comma-separated list");
  return out;
}

bool OutputBuffer::Flush() {
  if (!buf_.empty()) {
    std::fwrite(buf_.data(), 1, buf_.size(), stdout);
    buf_.clear();
  }
  return std::fflush(stdout) == 0;
}

}  // namespace dualuse::cli
