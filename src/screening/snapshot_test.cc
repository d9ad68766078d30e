// The list snapshot against its reference twin: screening through a decoded
// snapshot must give exactly the matches, scores and explanations of
// screening the freshly parsed lists (the real bundled UN, OFAC legacy CSV
// and CSL files), and a damaged snapshot must be refused with a Status.
#include "screening/snapshot.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dualuse/lists/list.h"
#include "dualuse/lists/registry.h"
#include "dualuse/screening/engine.h"

namespace dualuse::screening {
namespace {

const std::string kLists = DUALUSE_LISTS_DIR;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> BundledPaths() {
  return {kLists + "/un_sc/un_consolidated_2026-02-27.xml",
          kLists + "/ofac_sdn/legacy_csv_2022-01-31",
          kLists + "/us_csl/consolidated_2026-07-31.csv"};
}

// The bundled lists, parsed and screened the slow way (once per test binary).
struct Fixture {
  std::vector<lists::ListVersion> versions;
  std::unique_ptr<ListScreener> fresh;
  std::string file;  // its snapshot
};

const Fixture& Bundled() {
  static Fixture* f = [] {
    auto* out = new Fixture;
    auto loaded = lists::LoadLists(BundledPaths());
    EXPECT_TRUE(loaded.ok()) << loaded.error().message();
    if (!loaded.ok()) return out;
    out->versions = *loaded;
    auto built = ListScreener::Build(*loaded);
    EXPECT_TRUE(built.ok()) << built.error().message();
    if (!built.ok()) return out;
    out->fresh = std::move(built).value();
    out->file = EncodeSnapshot(*out->fresh, "test source\n");
    return out;
  }();
  return *f;
}

// A few hundred query names from the lists themselves: every 90th entity's
// names as published, and altered (a letter dropped, the parts reversed,
// a letter doubled), so that exact, fuzzy and failed alignments all occur.
std::vector<PartyQuery> Queries(const std::vector<lists::ListVersion>& versions) {
  std::vector<PartyQuery> out;
  size_t k = 0;
  for (const lists::ListVersion& v : versions) {
    for (const lists::Entity& e : v.entities) {
      if (k++ % 90 != 0 || e.names.empty()) continue;
      const std::string name = e.names.back().full;
      PartyQuery q;
      q.name = name;
      q.schema = e.schema;
      out.push_back(q);
      if (name.size() > 6) {
        PartyQuery dropped = q;
        dropped.name.erase(name.size() / 2, 1);
        dropped.schema = lists::Schema::kLegalEntity;
        out.push_back(dropped);
        PartyQuery doubled = q;
        doubled.name.insert(name.size() / 3, 1, name[name.size() / 3]);
        doubled.country = "RU";
        doubled.birth_date = "1970";
        out.push_back(doubled);
      }
      const size_t space = name.find(' ');
      if (space != std::string::npos) {
        PartyQuery reversed = q;
        reversed.name = name.substr(space + 1) + " " + name.substr(0, space);
        reversed.as_of = "2024-01-01";
        out.push_back(reversed);
      }
    }
  }
  return out;
}

void ExpectSame(const ScreeningResult& want, const ScreeningResult& got, const std::string& q) {
  ASSERT_EQ(want.status, got.status) << q;
  ASSERT_EQ(want.matches.size(), got.matches.size()) << q;
  for (size_t i = 0; i < want.matches.size(); ++i) {
    const ScreeningHit &a = want.matches[i], &b = got.matches[i];
    EXPECT_EQ(a.list, b.list) << q;
    EXPECT_EQ(a.list_version, b.list_version) << q;
    EXPECT_EQ(a.entity_id, b.entity_id) << q;
    EXPECT_EQ(a.score, b.score) << q;  // exactly: the same computation
    EXPECT_EQ(a.match, b.match) << q;
    EXPECT_EQ(a.name, b.name) << q;
    EXPECT_EQ(a.matched_name, b.matched_name) << q;
    EXPECT_EQ(a.programs, b.programs) << q;
    EXPECT_EQ(a.explanation, b.explanation) << q;
    EXPECT_EQ(a.schema, b.schema) << q;
    EXPECT_EQ(a.effect, b.effect) << q;
    EXPECT_EQ(a.listed_on, b.listed_on) << q;
  }
}

TEST(SnapshotTest, ScreensExactlyAsTheFreshlyParsedLists) {
  const Fixture& f = Bundled();
  ASSERT_TRUE(f.fresh);
  // Decoded at once (every item checked), and lazily from bytes kept alive
  // (as ReadSnapshot's mapping is).
  auto decoded = DecodeSnapshot(f.file, "test source\n", EngineOptions{});
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  auto kept = std::make_shared<const std::string>(f.file);
  auto lazy = DecodeSnapshot(*kept, "test source\n", EngineOptions{}, "snapshot", kept);
  ASSERT_TRUE(lazy.ok()) << lazy.error().message();
  const ListScreener& snap = **decoded;
  EXPECT_EQ(snap.entity_count(), f.fresh->entity_count());
  EXPECT_EQ(snap.name_count(), f.fresh->name_count());
  EXPECT_EQ(snap.ListVersions(), f.fresh->ListVersions());
  EXPECT_EQ((*lazy)->name_count(), f.fresh->name_count());
  const std::vector<PartyQuery> queries = Queries(f.versions);
  ASSERT_GE(queries.size(), 300u);
  size_t hits = 0;
  ScreenOptions wide;
  wide.limit = 20;
  wide.min_score = 0.3;
  for (const PartyQuery& q : queries) {
    const ScreeningResult want = f.fresh->Screen(q);
    hits += want.status == ScreeningStatus::kHit;
    ExpectSame(want, snap.Screen(q), q.name);
    ExpectSame(want, (*lazy)->Screen(q), q.name);
    const ScreeningResult want_wide = f.fresh->ScreenWith(q, wide);
    ExpectSame(want_wide, snap.ScreenWith(q, wide), q.name);
    ExpectSame(want_wide, (*lazy)->ScreenWith(q, wide), q.name);
  }
  // The queries are names of the lists: most of them must be found.
  EXPECT_GT(hits, queries.size() / 2);
  // Screened concurrently through the lazy tables: the same answers.
  const std::vector<ScreeningResult> batch = (*lazy)->ScreenBatch(queries, 4);
  for (size_t i = 0; i < queries.size(); i += 5)
    ExpectSame(f.fresh->Screen(queries[i]), batch[i], queries[i].name);
  // Encoding the lazily read screener gives the same file too.
  EXPECT_EQ(EncodeSnapshot(**lazy, "test source\n"), f.file);
  // Entities are found by id as before.
  for (const lists::ListVersion& v : f.versions) {
    const lists::Entity& e = v.entities[v.entities.size() / 2];
    const lists::Entity* got = snap.FindEntity(v.list_id, e.id);
    ASSERT_NE(got, nullptr) << e.id;
    EXPECT_EQ(got->caption, f.fresh->FindEntity(v.list_id, e.id)->caption);
    EXPECT_EQ(snap.EntityCount(v.list_id), f.fresh->EntityCount(v.list_id));
  }
  // Encoding the decoded screener gives the same file.
  EXPECT_EQ(EncodeSnapshot(snap, "test source\n"), f.file);
}

TEST(SnapshotTest, RefusesDamagedFiles) {
  const Fixture& f = Bundled();
  ASSERT_FALSE(f.file.empty());
  struct Case {
    const char* what;
    std::string file;
    std::string source = "test source\n";
  };
  std::vector<Case> cases;
  cases.push_back({"empty", ""});
  cases.push_back({"header only", f.file.substr(0, kSnapshotHeaderSize)});
  cases.push_back({"truncated", f.file.substr(0, f.file.size() / 2)});
  cases.push_back({"one byte short", f.file.substr(0, f.file.size() - 1)});
  cases.push_back({"one byte more", f.file + "x"});
  std::string magic = f.file;
  magic[1] = 'X';
  cases.push_back({"magic", magic});
  std::string version = f.file;
  version[8] = static_cast<char>(kSnapshotFormat + 1);
  cases.push_back({"format version", version});
  std::string body = f.file;
  body[body.size() * 2 / 3] ^= 0x20;
  cases.push_back({"a body byte", body});
  std::string sum = f.file;
  sum[30] ^= 1;
  cases.push_back({"the checksum", sum});
  cases.push_back({"other lists", f.file, "other source\n"});
  for (const Case& c : cases) {
    auto r = DecodeSnapshot(c.file, c.source, EngineOptions{}, "snap.bin");
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().code(), StatusCode::kDataLoss) << c.what;
    EXPECT_NE(r.error().message().find("snap.bin: "), std::string::npos) << r.error().message();
  }
}

// A body that passed (or skipped) the checksum still cannot make the decoder
// read out of bounds: every prefix and some altered bytes are refused.
TEST(SnapshotTest, BodyDecoderRefusesTruncatedAndAlteredBodies) {
  const Fixture& f = Bundled();
  ASSERT_FALSE(f.file.empty());
  const std::string body = f.file.substr(kSnapshotHeaderSize + 4 + 12);  // after the source
  ASSERT_TRUE(ListScreener::DecodeBody(body, {}, "b").ok());
  for (size_t len : {size_t{0}, size_t{3}, size_t{100}, body.size() / 7, body.size() / 2,
                     body.size() - 9, body.size() - 1}) {
    auto r = ListScreener::DecodeBody(std::string_view(body).substr(0, len), {}, "b");
    EXPECT_FALSE(r.ok()) << len;
  }
  // Counts set to huge values at the start of the body.
  std::string huge = body;
  huge[0] = huge[1] = huge[2] = huge[3] = '\xff';
  EXPECT_FALSE(ListScreener::DecodeBody(huge, {}, "b").ok());
}

// Inputs the fuzzer (fuzz_list_snapshot) found, kept as seeds: the first
// byte says whether the rest is a body alone (odd) or a whole file.
TEST(SnapshotTest, FuzzerFindingsAreRefused) {
  for (const char* seed : {"offset-past-section"}) {
    const std::string data =
        ReadAll(std::string(DUALUSE_SOURCE_DIR) + "/fuzz/corpus/fuzz_list_snapshot/" + seed);
    ASSERT_GT(data.size(), 1u) << seed;
    const std::string_view in = std::string_view(data).substr(1);
    auto r = (data[0] & 1) ? ListScreener::DecodeBody(in, {}, "seed") : DecodeSnapshot(in, "", {});
    ASSERT_FALSE(r.ok()) << seed;
    EXPECT_EQ(r.error().code(), StatusCode::kDataLoss) << seed;
  }
}

// The data directory path: lists imported, LoadScreener writes the snapshot
// on first use and reads it afterwards; a damaged one is rebuilt and the
// answers stay those of the list files.
TEST(SnapshotTest, LoadScreenerUsesAndRepairsTheSnapshot) {
  const Fixture& f = Bundled();
  ASSERT_TRUE(f.fresh);
  const std::string data = testing::TempDir() + "/snapshot-data-" + std::to_string(::getpid());
  std::filesystem::remove_all(data);
  lists::ListRegistry registry(data);
  std::vector<const lists::ListVersion*> ptrs;
  for (const lists::ListVersion& v : f.versions)
    ptrs.push_back(&v);
  auto imported = registry.ImportAll(ptrs, lists::ImportOptions{});
  ASSERT_TRUE(imported.ok()) << imported.error().message();
  const Date day = *Date::Parse("2026-12-07");

  auto snapshots = [&] {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(data + "/lists"))
      if (e.path().filename().string().rfind("snapshot-", 0) == 0) out.push_back(e.path());
    return out;
  };
  ASSERT_TRUE(snapshots().empty());
  auto first = LoadScreener({}, data, day);
  ASSERT_TRUE(first.ok()) << first.error().message();
  ASSERT_EQ(snapshots().size(), 1u);
  const std::string path = snapshots()[0];
  const std::string written = ReadAll(path);
  ASSERT_GT(written.size(), kSnapshotHeaderSize);

  // The reference: the imported list files parsed and screened afresh (in
  // the registry's order, which decides ties between candidates).
  auto parsed = registry.LoadAllCurrent(day);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  auto reference = ListScreener::Build(std::move(parsed).value());
  ASSERT_TRUE(reference.ok());
  const std::vector<PartyQuery> queries = Queries(f.versions);
  auto check = [&](const ListScreener& s) {
    for (size_t i = 0; i < queries.size(); i += 7)
      ExpectSame((*reference)->Screen(queries[i]), s.Screen(queries[i]), queries[i].name);
  };
  check(**first);
  auto second = LoadScreener({}, data, day);
  ASSERT_TRUE(second.ok());
  check(**second);

  // Damaged: a flipped byte, then a truncation. Both are rebuilt.
  for (int damage = 0; damage < 2; ++damage) {
    std::string bad = written;
    if (damage == 0) {
      bad[bad.size() / 2] ^= 1;
    } else {
      bad.resize(bad.size() / 3);
    }
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bad;
    auto again = LoadScreener({}, data, day);
    ASSERT_TRUE(again.ok()) << again.error().message();
    check(**again);
    EXPECT_EQ(ReadAll(path), written) << "the snapshot is rewritten from the list files";
  }
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace dualuse::screening
