// ListRegistry on a real temporary data directory with the real UN and OFAC files.
#include "dualuse/lists/registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace dualuse::lists {
namespace {

namespace fs = std::filesystem;
const std::string kLists = std::string(DUALUSE_LISTS_DIR) + "/";
const std::string kSharedLists = std::string(DUALUSE_SHARED_DIR) + "/data/lists/";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "dualuse-lists-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Date D(const char* s) { return *Date::Parse(s); }

TEST(ListRegistry, ImportCurrentAndVersions) {
  TempDir dir;
  ListRegistry reg(dir.path());
  EXPECT_TRUE(reg.Versions().ok());
  EXPECT_TRUE(reg.Versions()->empty());
  auto nov = LoadList(kLists + "un_sc/un_consolidated_2025-11-20.xml");
  auto feb = LoadList(kLists + "un_sc/un_consolidated_2026-02-27.xml");
  auto cons = LoadList(kLists + "ofac_consolidated/cons_non-sdn_2025-03-28.xml");
  auto trio = LoadList(kLists + "ofac_sdn/legacy_csv_2022-01-31");
  ASSERT_TRUE(nov.ok() && feb.ok() && cons.ok() && trio.ok());
  auto r1 = reg.Import(*feb);
  ASSERT_TRUE(r1.ok()) << r1.error().ToString();
  EXPECT_EQ(r1->file, "un_sc/2026-02-27-" + feb->sha256.substr(0, 12) + ".xml");
  EXPECT_TRUE(fs::exists(reg.lists_dir() + "/" + r1->file));
  EXPECT_EQ(r1->entity_count, 1003);
  ASSERT_TRUE(reg.Import(*nov).ok());
  ASSERT_TRUE(reg.Import(*cons).ok());
  auto rt = reg.Import(*trio);
  ASSERT_TRUE(rt.ok()) << rt.error().ToString();
  EXPECT_TRUE(fs::is_directory(reg.lists_dir() + "/" + rt->file));
  // Idempotent: the same content is not stored twice.
  auto again = reg.Import(*feb);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->imported_at, r1->imported_at);
  auto all = reg.Versions();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].list_id, "ofac_cons");
  EXPECT_EQ((*all)[2].date, "2025-11-20");  // sorted by list, then date
  // The version in force on a date.
  EXPECT_EQ(reg.Current("un_sc", D("2026-01-15"))->date, "2025-11-20");
  EXPECT_EQ(reg.Current("un_sc", D("2026-02-27"))->date, "2026-02-27");
  EXPECT_EQ(reg.Current("un_sc", D("2025-11-19")).error().code(), StatusCode::kNotFound);
  auto current = reg.LoadAllCurrent(D("2026-03-01"));
  ASSERT_TRUE(current.ok()) << current.error().ToString();
  ASSERT_EQ(current->size(), 3u);
  EXPECT_EQ((*current)[0].list_id, "ofac_cons");  // the name no longer says "cons"
  EXPECT_EQ((*current)[0].entities.size(), 443u);
  EXPECT_EQ((*current)[0].entities[0].list, "ofac_cons");
  EXPECT_EQ((*current)[1].list_id, "ofac_sdn");
  EXPECT_EQ((*current)[1].date, "2022-01-31");
  EXPECT_EQ((*current)[1].date_source, "filename");
  EXPECT_EQ((*current)[1].sha256, trio->sha256);
  EXPECT_EQ((*current)[2].date, "2026-02-27");
  EXPECT_EQ((*current)[2].entities.size(), 1003u);
  EXPECT_EQ(reg.LoadAllCurrent(D("2024-01-01"))->size(), 1u);  // only the 2022 SDN
  // Find by date, hash prefix, or newest.
  EXPECT_EQ(reg.Find("un_sc@2025-11-20")->sha256, nov->sha256);
  EXPECT_EQ(reg.Find("un_sc@" + nov->sha256.substr(0, 8))->date, "2025-11-20");
  EXPECT_EQ(reg.Find("un_sc")->date, "2026-02-27");
  EXPECT_EQ(reg.Find("eu_fsf").error().code(), StatusCode::kNotFound);
  // The manifest is valid JSON with every version.
  std::ifstream in(reg.lists_dir() + "/manifest.json");
  nlohmann::json m = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(m.is_discarded());
  EXPECT_EQ(m["versions"].size(), 4u);
  // No temporary files left behind.
  for (const auto& de : fs::recursive_directory_iterator(reg.lists_dir())) {
    EXPECT_EQ(de.path().filename().string().find(".tmp-"), std::string::npos) << de.path();
  }
}

TEST(ListRegistry, TamperedCopyIsDetected) {
  TempDir dir;
  ListRegistry reg(dir.path());
  auto v = LoadList(kLists + "un_sc/un_consolidated_2025-04-19.xml");
  ASSERT_TRUE(v.ok());
  auto r = reg.Import(*v);
  ASSERT_TRUE(r.ok());
  {
    std::ofstream out(reg.lists_dir() + "/" + r->file, std::ios::app);
    out << "<!-- edited -->\n";
  }
  auto loaded = reg.Load(*r);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code(), StatusCode::kDataLoss);
  EXPECT_NE(loaded.error().message().find("does not match the manifest"), std::string::npos);
}

TEST(ListRegistry, CorruptManifestIsDataLoss) {
  TempDir dir;
  fs::create_directories(dir.path() + "/lists");
  std::ofstream(dir.path() + "/lists/manifest.json") << "{not json";
  ListRegistry reg(dir.path());
  auto v = reg.Versions();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code(), StatusCode::kDataLoss);
}

// ImportAll: the audit records are written before the commit; when writing
// them fails nothing is imported. A pending manifest left by a killed import
// is rolled forward when its import was recorded and removed when not.
TEST(ListRegistry, ImportAllCommitsOnlyWithItsRecords) {
  TempDir dir;
  ListRegistry reg(dir.path());
  auto un = LoadList(kLists + "un_sc/un_consolidated_2026-02-27.xml");
  auto cons = LoadList(kLists + "ofac_consolidated/cons_non-sdn_2025-03-28.xml");
  ASSERT_TRUE(un.ok() && cons.ok());
  ImportOptions failing;
  std::vector<VersionRecord> seen;
  failing.record = [&](const std::vector<VersionRecord>& v) {
    seen = v;
    return Status::Unavailable("store down");
  };
  auto r = reg.ImportAll({&*un, &*cons}, failing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kUnavailable);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].import_id, seen[1].import_id);
  EXPECT_TRUE(reg.Versions()->empty());
  EXPECT_FALSE(fs::exists(reg.lists_dir() + "/manifest.pending.json"));

  ImportOptions ok;
  std::string recorded_id;
  ok.record = [&](const std::vector<VersionRecord>& v) {
    recorded_id = v.front().import_id;
    return Status::Ok();
  };
  r = reg.ImportAll({&*un, &*cons}, ok);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE((*r)[0].imported && (*r)[1].imported);
  EXPECT_EQ(reg.Versions()->size(), 2u);

  // A killed import's pending manifest (here: the current manifest under
  // another import id, without the OFAC version).
  auto write_pending = [&](const std::string& id) {
    nlohmann::json m = nlohmann::json::parse(std::ifstream(reg.lists_dir() + "/manifest.json"));
    m["import_id"] = id;
    m["versions"].erase(m["versions"].begin());
    std::ofstream(reg.lists_dir() + "/manifest.pending.json") << m.dump();
  };
  write_pending("never-recorded");
  ASSERT_TRUE(
      reg.Recover([](const std::string& id) -> Result<bool> { return id == "recorded"; }).ok());
  EXPECT_FALSE(fs::exists(reg.lists_dir() + "/manifest.pending.json"));
  EXPECT_EQ(reg.Versions()->size(), 2u);  // rolled back
  write_pending("recorded");
  ASSERT_TRUE(
      reg.Recover([](const std::string& id) -> Result<bool> { return id == "recorded"; }).ok());
  EXPECT_FALSE(fs::exists(reg.lists_dir() + "/manifest.pending.json"));
  EXPECT_EQ(reg.Versions()->size(), 1u);  // rolled forward
}

// Every list file of the shared data imports: each file (an OFAC CSV trio
// directory is one list) whose content is a list format loads with its
// unreadable rows reported, and imports into a fresh registry. The files that
// are not a list format dualuse reads are named here, so a new one fails the
// test until it is looked at. Fails when the directory is missing.
TEST(ListRegistry, EverySharedListFileImports) {
  ASSERT_TRUE(fs::is_directory(kSharedLists)) << kSharedLists << " is missing";
  const std::set<std::string> not_lists = {
      "SOURCES.md",
      // Third-party reshapes in formats no publisher uses.
      "ofac_sdn/ofac-sdn_2026-08-20.csv", "ofac_sdn/ofac-sdn_2026-08-20.json",
      "ofac_sdn/ofac-sdn_2026-08-20.metadata.json", "uk/subject_countries.csv",
      "uk/subject_dobs.csv", "uk/subject_identifiers.csv", "uk/subject_names.csv",
      "uk/subjects.csv", "us_csl/bis_mieu.csv",
      // OpenSanctions delta updates: changes to a list, not a version of one.
      "opensanctions/yente_fixture_t2/delta.json"};
  std::vector<std::string> paths;
  for (auto it = fs::recursive_directory_iterator(kSharedLists);
       it != fs::recursive_directory_iterator(); ++it) {
    const fs::path& p = it->path();
    if (it->is_directory()) {
      if (fs::exists(p / "sdn.csv")) {
        paths.push_back(p.string());
        it.disable_recursion_pending();
      }
      continue;
    }
    paths.push_back(p.string());
  }
  std::sort(paths.begin(), paths.end());
  int lists = 0;
  for (const std::string& path : paths) {
    const std::string rel = path.substr(kSharedLists.size());
    SCOPED_TRACE(rel);
    auto format = DetectFormat(path);
    if (not_lists.count(rel) || rel.find("yente_fixture_t2/") != std::string::npos) {
      // Not a list version: refused as a whole, with a reason.
      auto v = LoadList(path);
      EXPECT_FALSE(v.ok()) << rel << " loads; remove it from the not-a-list set";
      continue;
    }
    ASSERT_TRUE(format.ok()) << format.error().ToString();
    auto v = LoadList(path);
    ASSERT_TRUE(v.ok()) << v.error().ToString();
    ++lists;
    EXPECT_FALSE(v->version.empty());
    if (v->format == ListFormat::kEuOjCsv && v->entities.empty()) {
      // An act whose annex lists no one today: header only, nothing skipped.
      EXPECT_TRUE(v->skipped.empty());
    } else {
      EXPECT_GT(v->entities.size(), 0u);
    }
    // Few rows are unreadable in a publisher's file.
    EXPECT_LE(v->skipped.size() * 100, v->entities.size() + v->skipped.size());
    // Each into a data directory of its own (two files of one list are two
    // versions, which the shrink guard compares).
    TempDir dir;
    ListRegistry reg(dir.path());
    auto r = reg.Import(*v);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(r->entity_count, static_cast<long>(v->entities.size()));
    EXPECT_EQ(r->skipped_rows, static_cast<long>(v->skipped.size()));
  }
  // EU OJ 45, UN 3, OFAC XML 1, OFAC CSV 2 (a lone sdn.csv, a trio), FtM 1, CSL 2,
  // OpenSanctions simple CSV 1.
  EXPECT_EQ(lists, 45 + 3 + 1 + 2 + 1 + 2 + 1);
}

}  // namespace
}  // namespace dualuse::lists
