// The compiled list snapshot: a screener's analysed and indexed lists in one
// versioned, checksummed binary file, mapped read-only by the commands
// instead of parsing and analysing the list files again (docs/screening.md,
// "List snapshot").
//
// File layout (integers little-endian):
//
//   offset  size  field
//   0       8     magic "DUSNAP\r\n" (a text-mode copy breaks it)
//   8       4     format version (kSnapshotFormat)
//   12      4     0 (reserved)
//   16      8     length of everything after byte 56 (source + body)
//   24      32    SHA-256 of everything after byte 56
//   56      4     source length S
//   60      S     source: the list versions it was built from, one
//                 "<list id> <version> <sha256 of the file>" line each
//   60+S    ...   body: ListScreener::EncodeBody
//
// A snapshot is trusted only when the magic, the format version, the length,
// the SHA-256 and the source (the versions the caller is about to screen)
// all agree; anything else is an error (kDataLoss), after which the caller
// rebuilds from the list files. The body decoder checks every length and
// every index against the data it has, so that even a body that passed the
// checksum cannot make it read out of bounds.
#ifndef DUALUSE_SCREENING_SNAPSHOT_H_
#define DUALUSE_SCREENING_SNAPSHOT_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/lists/entity.h"
#include "dualuse/screening/engine.h"
#include "screening/match.h"

namespace dualuse::screening {

// Bumped whenever the body's encoding or anything it stores (entities,
// analysed names, index tables) changes meaning: a snapshot of another
// version is rebuilt, never read.
inline constexpr uint32_t kSnapshotFormat = 1;
inline constexpr char kSnapshotMagic[8] = {'D', 'U', 'S', 'N', 'A', 'P', '\r', '\n'};
inline constexpr size_t kSnapshotHeaderSize = 56;

// Appends fixed-width little-endian integers and length-prefixed strings.
class SnapshotWriter {
 public:
  explicit SnapshotWriter(std::string* out) : out_(out) {}
  void U8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_->append(s);
  }
  void Strs(const std::vector<std::string>& v) {
    U32(static_cast<uint32_t>(v.size()));
    for (const std::string& s : v)
      Str(s);
  }
  void U32s(const std::vector<uint32_t>& v) {
    U32(static_cast<uint32_t>(v.size()));
    Raw(v.data(), v.size() * 4);
  }

 private:
  void Raw(const void* p, size_t n) {
    static_assert(std::endian::native == std::endian::little, "snapshots are little-endian");
    out_->append(static_cast<const char*>(p), n);
  }
  std::string* out_;
};

// Reads what SnapshotWriter wrote. Every read is bounds-checked; the first
// failure is sticky (ok() false, later reads give zeros and empty strings),
// so a decoder checks ok() once at the end of a section.
class SnapshotReader {
 public:
  explicit SnapshotReader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  // Marks the data bad (an index out of range, an unknown enum value).
  void Fail() { ok_ = false; }
  uint8_t U8() {
    uint8_t v = 0;
    Raw(&v, 1);
    return v;
  }
  uint32_t U32() {
    uint32_t v = 0;
    Raw(&v, 4);
    return v;
  }
  uint64_t U64() {
    uint64_t v = 0;
    Raw(&v, 8);
    return v;
  }
  void Skip(size_t n) {
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return;
    }
    pos_ += n;
  }
  // A count of items of at least `min_size` bytes each: fails when the rest
  // of the data cannot hold them (no allocation from a corrupt count).
  uint32_t Count(size_t min_size) {
    const uint32_t n = U32();
    if (!ok_ || static_cast<uint64_t>(n) * min_size > remaining()) {
      ok_ = false;
      return 0;
    }
    return n;
  }
  std::string Str() {
    const uint32_t n = Count(1);
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::vector<std::string> Strs() {
    std::vector<std::string> v(Count(4));
    for (std::string& s : v)
      s = Str();
    return v;
  }
  std::vector<uint32_t> U32s() {
    std::vector<uint32_t> v(Count(4));
    Raw(v.data(), v.size() * 4);
    return v;
  }
  // An enum stored as one byte, at most `max`.
  template <typename E>
  E Enum(uint8_t max) {
    const uint8_t v = U8();
    if (v > max) ok_ = false;
    return static_cast<E>(v > max ? 0 : v);
  }

 private:
  void Raw(void* p, size_t n) {
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return;
    }
    if (n) std::memcpy(p, data_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// A table of T (entities, analysed names) either built in memory or read
// lazily from a mapped snapshot: each item is decoded on first access, once
// (std::call_once; concurrent readers are safe), from its offset in the
// snapshot's section. Building uses the mutable accessors (in memory only);
// screening uses the const ones.
template <typename T>
class SnapshotTable {
 public:
  // Decodes one item; false when the bytes do not hold one. `context` is
  // what SetLazy was given.
  using Decoder = bool (*)(SnapshotReader* r, T* out, const void* context);
  using value_type = T;

  size_t size() const { return lazy_ ? offsets_.size() : items_.size(); }
  bool empty() const { return size() == 0; }
  void reserve(size_t n) { items_.reserve(n); }
  void push_back(T v) { items_.push_back(std::move(v)); }
  // In memory only (while building).
  T& operator[](size_t i) { return items_[i]; }
  const T& operator[](size_t i) const {
    if (!lazy_) return items_[i];
    std::call_once(once_[i], [&] {
      auto item = std::make_unique<T>();
      SnapshotReader r(section_.substr(offsets_[i]));
      // An item the bytes do not hold stays empty (the checksum makes this
      // a writer's error; the decoder stays within the bytes regardless).
      if (!decode_(&r, item.get(), context_) || !r.ok()) *item = T();
      decoded_[i] = std::move(item);
    });
    return *decoded_[i];
  }
  // Items are read from `section` (which outlives the table) at `offsets`,
  // each checked to lie inside it, ascending.
  bool SetLazy(std::string_view section, std::vector<uint32_t> offsets, Decoder decode,
               const void* context) {
    for (size_t i = 0; i < offsets.size(); ++i)
      if (offsets[i] >= section.size() || (i > 0 && offsets[i] <= offsets[i - 1])) return false;
    lazy_ = true;
    section_ = section;
    offsets_ = std::move(offsets);
    decode_ = decode;
    context_ = context;
    once_ = std::make_unique<std::once_flag[]>(offsets_.size());
    decoded_ = std::make_unique<std::unique_ptr<T>[]>(offsets_.size());
    items_.clear();
    return true;
  }

 private:
  std::vector<T> items_;
  bool lazy_ = false;
  std::string_view section_;
  std::vector<uint32_t> offsets_;
  Decoder decode_ = nullptr;
  const void* context_ = nullptr;
  std::unique_ptr<std::once_flag[]> once_;
  std::unique_ptr<std::unique_ptr<T>[]> decoded_;
};

void EncodeEntity(const lists::Entity& e, SnapshotWriter* w);
lists::Entity DecodeEntity(SnapshotReader* r);
void EncodeAnalyzedName(const AnalyzedName& n, SnapshotWriter* w);
AnalyzedName DecodeAnalyzedName(SnapshotReader* r);

// The source line block of a set of list versions (see the layout above):
// what a snapshot built from them records, in list id order.
struct SnapshotSource {
  std::string list_id, version, sha256;
};
std::string SnapshotSourceText(std::vector<SnapshotSource> sources);
// "snapshot-<format>-<first 16 hex digits of SHA-256 of the source>.bin".
std::string SnapshotFileName(const std::string& source_text);

// The whole file for `screener` built from `source_text`.
std::string EncodeSnapshot(const ListScreener& screener, const std::string& source_text);
// Writes it to `path` atomically (temporary file in the same directory,
// fsync, rename).
Status WriteSnapshot(const ListScreener& screener, const std::string& source_text,
                     const std::string& path);

// Decodes a whole file. `expected_source` non-empty: the file must have been
// built from exactly these versions. kDataLoss naming `what` (the file) and
// the place for a bad magic, version, length, checksum, source or body.
// `keep_alive` non-null: `file` stays valid as long as it lives, and the
// screener keeps it and decodes entities and names lazily (ReadSnapshot's
// mapping); null: everything is decoded and checked now.
Result<std::unique_ptr<ListScreener>> DecodeSnapshot(
    std::string_view file, const std::string& expected_source, EngineOptions options,
    const std::string& what = "snapshot", std::shared_ptr<const void> keep_alive = nullptr);
// Maps `path` read-only and decodes it lazily, the mapping kept by the
// screener (kNotFound when there is no such file).
Result<std::unique_ptr<ListScreener>> ReadSnapshot(const std::string& path,
                                                   const std::string& expected_source,
                                                   EngineOptions options);

}  // namespace dualuse::screening

#endif  // DUALUSE_SCREENING_SNAPSHOT_H_
