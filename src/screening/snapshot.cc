// The list snapshot's file format (snapshot.h) and its entity and name codecs.
#include "screening/snapshot.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <thread>

#include "dualuse/base/sha256.h"

namespace dualuse::screening {

void EncodeEntity(const lists::Entity& e, SnapshotWriter* w) {
  w->Str(e.list);
  w->Str(e.id);
  w->U8(static_cast<uint8_t>(e.schema));
  w->Str(e.caption);
  w->U32(static_cast<uint32_t>(e.names.size()));
  for (const lists::EntityName& n : e.names) {
    w->Str(n.full);
    w->U8(static_cast<uint8_t>(n.strength));
    w->U8(n.original_script ? 1 : 0);
    w->Str(n.first_name);
    w->Str(n.middle_name);
    w->Str(n.last_name);
  }
  w->Strs(e.countries);
  w->Strs(e.birth_dates);
  w->U32(static_cast<uint32_t>(e.identifiers.size()));
  for (const lists::Identifier& id : e.identifiers) {
    w->Str(id.type);
    w->Str(id.value);
    w->Str(id.country);
  }
  w->Strs(e.programs);
  w->Str(e.listed_on);
  w->Str(e.delisted_on);
  w->Str(e.source);
  w->U8(static_cast<uint8_t>(e.effect));
  w->Str(e.jurisdiction);
  w->Str(e.remarks);
}

lists::Entity DecodeEntity(SnapshotReader* r) {
  lists::Entity e;
  e.list = r->Str();
  e.id = r->Str();
  e.schema = r->Enum<lists::Schema>(static_cast<uint8_t>(lists::Schema::kAircraft));
  e.caption = r->Str();
  e.names.resize(r->Count(18));
  for (lists::EntityName& n : e.names) {
    n.full = r->Str();
    n.strength = r->Enum<lists::NameStrength>(static_cast<uint8_t>(lists::NameStrength::kWeak));
    n.original_script = r->Enum<uint8_t>(1) != 0;
    n.first_name = r->Str();
    n.middle_name = r->Str();
    n.last_name = r->Str();
  }
  e.countries = r->Strs();
  e.birth_dates = r->Strs();
  e.identifiers.resize(r->Count(12));
  for (lists::Identifier& id : e.identifiers) {
    id.type = r->Str();
    id.value = r->Str();
    id.country = r->Str();
  }
  e.programs = r->Strs();
  e.listed_on = r->Str();
  e.delisted_on = r->Str();
  e.source = r->Str();
  e.effect = r->Enum<lists::ListEffect>(static_cast<uint8_t>(lists::ListEffect::kOther));
  e.jurisdiction = r->Str();
  e.remarks = r->Str();
  return e;
}

namespace {

// Bits of NameToken's and AnalyzedName's flags.
enum : uint8_t {
  kTranslit = 1,
  kAlt = 2,
  kPatronymic = 4,
  kAcronym = 8,
  kAbjad = 16,
};

}  // namespace

void EncodeAnalyzedName(const AnalyzedName& n, SnapshotWriter* w) {
  w->Str(n.original);
  w->Str(n.joined);
  w->Str(n.full);
  w->U8((n.translit ? kTranslit : 0) | (n.alt ? kAlt : 0));
  w->U32(static_cast<uint32_t>(n.tokens.size()));
  for (const NameToken& t : n.tokens) {
    w->Str(t.text);
    w->Str(t.skel);
    w->Str(t.group);
    w->U8(static_cast<uint8_t>(t.kind));
    w->U8((t.translit ? kTranslit : 0) | (t.alt ? kAlt : 0) | (t.patronymic ? kPatronymic : 0) |
          (t.acronym ? kAcronym : 0) | (t.abjad ? kAbjad : 0));
    w->Str(t.korean);
    w->U64(static_cast<uint64_t>(t.number));
    w->U64(t.mask);
    w->Str(t.spell);
    w->Str(t.ckey);
    w->U64(t.spell_mask);
  }
}

AnalyzedName DecodeAnalyzedName(SnapshotReader* r) {
  AnalyzedName n;
  n.original = r->Str();
  n.joined = r->Str();
  n.full = r->Str();
  const uint8_t flags = r->Enum<uint8_t>(kTranslit | kAlt);
  n.translit = flags & kTranslit;
  n.alt = flags & kAlt;
  const uint32_t count = r->Count(46);
  // The analysis keeps at most kMaxNameTokens; the scorer relies on it.
  if (count > kMaxNameTokens) {
    r->Fail();
    return n;
  }
  n.tokens.resize(count);
  for (NameToken& t : n.tokens) {
    t.text = r->Str();
    t.skel = r->Str();
    t.group = r->Str();
    t.kind = r->Enum<TokenKind>(static_cast<uint8_t>(TokenKind::kLegalForm));
    const uint8_t tf = r->Enum<uint8_t>(kTranslit | kAlt | kPatronymic | kAcronym | kAbjad);
    t.translit = tf & kTranslit;
    t.alt = tf & kAlt;
    t.patronymic = tf & kPatronymic;
    t.acronym = tf & kAcronym;
    t.abjad = tf & kAbjad;
    t.korean = r->Str();
    t.number = static_cast<int64_t>(r->U64());
    t.mask = r->U64();
    t.spell = r->Str();
    t.ckey = r->Str();
    t.spell_mask = r->U64();
  }
  return n;
}

std::string SnapshotSourceText(std::vector<SnapshotSource> sources) {
  std::sort(sources.begin(), sources.end(), [](const SnapshotSource& a, const SnapshotSource& b) {
    if (a.list_id != b.list_id) return a.list_id < b.list_id;
    if (a.version != b.version) return a.version < b.version;
    return a.sha256 < b.sha256;
  });
  std::string out;
  for (const SnapshotSource& s : sources)
    out += s.list_id + " " + s.version + " " + s.sha256 + "\n";
  return out;
}

std::string SnapshotFileName(const std::string& source_text) {
  return "snapshot-" + std::to_string(kSnapshotFormat) + "-" +
         Sha256Hex(source_text).substr(0, 16) + ".bin";
}

namespace {

std::string HexToBytes(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

}  // namespace

std::string EncodeSnapshot(const ListScreener& screener, const std::string& source_text) {
  std::string rest;
  SnapshotWriter w(&rest);
  w.Str(source_text);
  screener.EncodeBody(&rest);
  std::string out(kSnapshotMagic, sizeof kSnapshotMagic);
  SnapshotWriter h(&out);
  h.U32(kSnapshotFormat);
  h.U32(0);
  h.U64(rest.size());
  out += HexToBytes(Sha256Hex(rest));
  out += rest;
  return out;
}

Status WriteSnapshot(const ListScreener& screener, const std::string& source_text,
                     const std::string& path) {
  const std::string data = EncodeSnapshot(screener, source_text);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Internal(tmp + ": cannot create: " + std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::Internal(tmp + ": cannot write: " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::Internal(tmp + ": cannot write: " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return Status::Internal(path + ": cannot rename into place: " + std::strerror(err));
  }
  return Status::Ok();
}

Result<std::unique_ptr<ListScreener>> DecodeSnapshot(std::string_view file,
                                                     const std::string& expected_source,
                                                     EngineOptions options, const std::string& what,
                                                     std::shared_ptr<const void> keep_alive) {
  auto bad = [&](const std::string& place, const std::string& expectation) {
    return Status::DataLoss(what + ": " + place + ": " + expectation);
  };
  if (file.size() < kSnapshotHeaderSize)
    return bad("header", "expected at least " + std::to_string(kSnapshotHeaderSize) +
                             " bytes, the file has " + std::to_string(file.size()));
  if (file.substr(0, 8) != std::string_view(kSnapshotMagic, 8))
    return bad("byte 0", "expected the magic \"DUSNAP\\r\\n\"");
  SnapshotReader h(file.substr(8, kSnapshotHeaderSize - 8));
  const uint32_t format = h.U32();
  (void)h.U32();
  const uint64_t length = h.U64();
  if (format != kSnapshotFormat)
    return bad("byte 8", "expected format version " + std::to_string(kSnapshotFormat) + ", got " +
                             std::to_string(format));
  const std::string_view rest = file.substr(kSnapshotHeaderSize);
  if (length != rest.size())
    return bad("byte 16", "expected " + std::to_string(length) + " bytes after the header, got " +
                              std::to_string(rest.size()));
  // The checksum is computed on another thread while the body is decoded
  // (the decoder stays within the bytes whatever they hold); nothing decoded
  // is returned unless the checksum agrees.
  std::string digest;
  std::thread sum([&] { digest = HexToBytes(Sha256Hex(rest)); });
  SnapshotReader r(rest);
  const std::string source = r.Str();
  const bool source_ok = r.ok() && (expected_source.empty() || source == expected_source);
  Result<std::unique_ptr<ListScreener>> decoded = Status::DataLoss(what + ": not decoded");
  if (source_ok)
    decoded = ListScreener::DecodeBody(rest.substr(r.pos()), options, what, std::move(keep_alive));
  sum.join();
  if (digest != file.substr(24, 32))
    return bad("byte 24", "SHA-256 of the content does not match the header");
  if (!r.ok()) return bad("byte 56", "expected the source length and text");
  if (!source_ok) return bad("source", "built from other list versions than the ones in force");
  return decoded;
}

Result<std::unique_ptr<ListScreener>> ReadSnapshot(const std::string& path,
                                                   const std::string& expected_source,
                                                   EngineOptions options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no snapshot");
    return Status::DataLoss(path + ": cannot open: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::DataLoss(path + ": not a regular file");
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return DecodeSnapshot(std::string_view(), expected_source, options, path);
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return Status::DataLoss(path + ": cannot map: " + std::strerror(errno));
  ::madvise(map, size, MADV_WILLNEED);
  // The screener reads its entities and names from the mapping on first use.
  std::shared_ptr<const void> mapping(
      map, [size](const void* p) { ::munmap(const_cast<void*>(p), size); });
  return DecodeSnapshot(std::string_view(static_cast<const char*>(map), size), expected_source,
                        options, path, std::move(mapping));
}

}  // namespace dualuse::screening
