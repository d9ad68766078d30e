// The store commands of the dualuse binary: exit codes, error lines, output
// formats (spec section 1). Runs the built binary on a SQLite store.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "dualuse/store/store.h"

namespace dualuse::store {
namespace {

using Json = nlohmann::json;

struct CliResult {
  int code = -1;
  std::string out, err;
};

CliResult RunDualuse(const std::string& args) {
  static int n = 0;
  std::string errfile = (std::filesystem::temp_directory_path() /
                         ("du_cli_err_" + std::to_string(getpid()) + "_" + std::to_string(n++)))
                            .string();
  std::string cmd = std::string(DUALUSE_BINARY) + " " + args + " 2>" + errfile;
  CliResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), p)) > 0)
    r.out.append(buf.data(), got);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream e(errfile);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::filesystem::remove(errfile);
  return r;
}

// Raw SQL on a SQLite file, outside the store.
void RawSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string e = err ? err : "";
  if (err) sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << e;
}

class StoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("du_cli_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = Store::DefaultPath(dir_.string());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Dir() const { return " --data-dir " + dir_.string(); }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(StoreCliTest, VerifyExportAndTamper) {
  // No store yet: a clear error, exit 2, nothing created.
  CliResult none = RunDualuse("audit verify" + Dir());
  EXPECT_EQ(none.code, 2) << none.err;
  EXPECT_NE(none.err.find("error: "), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(db_));
  {
    auto s = Store::Open(db_);
    ASSERT_TRUE(s.ok());
    for (int i = 0; i < 3; ++i) {
      RecordInput r;
      r.kind = "assessment";
      r.actor = "alice";
      r.subject = "PO, \"quoted\" " + std::to_string(i);
      r.inputs = R"({"reference":"x"})";
      ASSERT_TRUE((*s)->Append(r).ok());
    }
  }
  CliResult ok = RunDualuse("audit verify" + Dir());
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("3 records"), std::string::npos) << ok.out;

  std::string today = NowTimestamp().substr(0, 10);
  CliResult jl = RunDualuse("audit export --from " + today + " --to " + today + Dir());
  ASSERT_EQ(jl.code, 0) << jl.err;
  std::istringstream lines(jl.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    Json j = Json::parse(line);
    EXPECT_EQ(j["id"], ++n);
    EXPECT_EQ(j["inputs"]["reference"], "x");
  }
  EXPECT_EQ(n, 3);
  auto out = dir_ / "export.csv";
  CliResult csv = RunDualuse("audit export --format csv --out " + out.string() + Dir());
  ASSERT_EQ(csv.code, 0) << csv.err;
  std::ifstream f(out);
  std::getline(f, line);
  EXPECT_EQ(line.rfind("id,recorded_at,kind,actor,subject", 0), 0u);
  std::getline(f, line);
  EXPECT_NE(line.find("\"PO, \"\"quoted\"\" 0\""), std::string::npos) << line;
  CliResult bad_date = RunDualuse("audit export --from 2026-13-01" + Dir());
  EXPECT_EQ(bad_date.code, 2);
  EXPECT_NE(bad_date.err.find("--from"), std::string::npos);

  // Tamper behind the store's back: verify names the record, exit 2.
  RawSql(db_, "DROP TRIGGER records_no_update; UPDATE records SET actor='mallory' WHERE id=2;");
  CliResult broken = RunDualuse("audit verify --format json" + Dir());
  EXPECT_EQ(broken.code, 2);
  Json rep = Json::parse(broken.out);
  EXPECT_FALSE(rep["ok"].get<bool>());
  EXPECT_EQ(rep["problems"][0]["record"], 2);
  EXPECT_EQ(rep["problems"][0]["problem"], "modified");
}

TEST_F(StoreCliTest, ReviewConfirmAndDismiss) {
  int64_t a1, a2;
  {
    auto s = Store::Open(db_);
    ASSERT_TRUE(s.ok());
    int64_t cp = (*s)->UpsertCounterparty({"Komid", {}, "KP", "Organization", "", "[]"})->id;
    AlertInput a;
    a.counterparty_id = cp;
    a.list = "un_sc";
    a.entity_id = "1";
    a.entity_hash = "h";
    a.effect = "asset_freeze";
    a.jurisdiction = "UN";
    a1 = (*s)->AddAlert(a)->second;
    a.entity_id = "2";
    a2 = (*s)->AddAlert(a)->second;
  }
  CliResult list = RunDualuse("review list --format json" + Dir());
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(Json::parse(list.out).size(), 2u);
  CliResult no_reason = RunDualuse("review confirm " + std::to_string(a1) + Dir());
  EXPECT_EQ(no_reason.code, 2);
  CliResult conf = RunDualuse("review confirm " + std::to_string(a1) +
                              " --reason 'same address' --actor carol" + Dir());
  EXPECT_EQ(conf.code, 0) << conf.err;
  CliResult dis =
      RunDualuse("review dismiss " + std::to_string(a2) + " --reason 'other firm'" + Dir());
  EXPECT_EQ(dis.code, 0) << dis.err;
  CliResult again = RunDualuse("review dismiss " + std::to_string(a2) + " --reason 'x'" + Dir());
  EXPECT_EQ(again.code, 2) << again.err;
  CliResult missing = RunDualuse("review show 999" + Dir());
  EXPECT_EQ(missing.code, 2);
  CliResult show = RunDualuse("review show " + std::to_string(a1) + Dir());
  ASSERT_EQ(show.code, 0);
  Json j = Json::parse(show.out);
  EXPECT_EQ(j["state"], "confirmed");
  EXPECT_EQ(j["decided_by"], "carol");
  auto s = Store::Open(db_);
  auto m = (*s)->ConfirmedMatchesFor(CounterpartyKey("Komid", "KP"));
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].decided_by, "carol");
  EXPECT_TRUE((*s)->Verify()->ok());
  EXPECT_EQ(*(*s)->RecordCount(), 2);
}

// `screen` then `review dismiss`, `review goodguy add|list|remove` on the
// built binary with the bundled UN list: the next screening of the same name
// shows the dismissal or the known false positive, and raises no item.
TEST_F(StoreCliTest, ScreeningRemembersDismissalsAndGoodGuys) {
  const std::string un =
      " --list " + std::string(DUALUSE_LISTS_DIR) + "/un_sc/un_consolidated_2026-02-27.xml";
  const std::string komid = " 'Korea Mining Development Trading Corporation'";
  auto screen = [&] {
    CliResult r = RunDualuse("screen --format json --schema Organization" + un + komid + Dir());
    EXPECT_EQ(r.code, 0) << r.err;
    Json j = Json::parse(r.out, nullptr, false);
    EXPECT_TRUE(j.is_array() && !j.empty() && !j[0]["matches"].empty()) << r.out;
    return j.is_array() && !j.empty() ? j[0]["matches"][0] : Json();
  };
  auto open_items = [&] {
    CliResult r = RunDualuse("review list --format json" + Dir());
    EXPECT_EQ(r.code, 0) << r.err;
    return Json::parse(r.out, nullptr, false);
  };
  Json first = screen();
  EXPECT_EQ(first["entity_id"], "690735");
  EXPECT_EQ(first["listed_on"], "2009-04-24");
  EXPECT_FALSE(first.contains("review"));
  Json items = open_items();
  ASSERT_EQ(items.size(), 1u);
  // Re-run: the same item, shown as open; no second item.
  EXPECT_EQ(screen()["review"]["state"], "open");
  ASSERT_EQ(open_items().size(), 1u);
  const std::string id = std::to_string(items[0]["id"].get<int64_t>());
  CliResult dis =
      RunDualuse("review dismiss " + id + " --reason 'a Peruvian mining firm' --actor rev" + Dir());
  ASSERT_EQ(dis.code, 0) << dis.err;
  // An exact asset-freeze hit: dismissed by a second reviewer.
  EXPECT_EQ(screen()["review"]["state"], "pending_dismissal");
  CliResult dis2 = RunDualuse("review dismiss " + id +
                              " --reason 'a Peruvian mining firm' --actor rev2" + Dir());
  ASSERT_EQ(dis2.code, 0) << dis2.err;
  Json again = screen();
  EXPECT_EQ(again["review"]["state"], "dismissed");
  EXPECT_EQ(again["review"]["by"], "rev2");
  EXPECT_EQ(again["review"]["reason"], "a Peruvian mining firm");
  EXPECT_FALSE(again["review"]["at"].get<std::string>().empty());
  EXPECT_TRUE(open_items().empty());

  // A known false positive for another name: shown with the reason, no item.
  CliResult bad = RunDualuse("review goodguy add --counterparty KOMID --entity 690735" + Dir());
  EXPECT_EQ(bad.code, 2);  // no reason
  CliResult add = RunDualuse(
      "review goodguy add --counterparty 'Korea Mining Development Trading Corp.' --list un_sc "
      "--entity 690735 --reason 'other register number' --actor rev2" +
      Dir());
  ASSERT_EQ(add.code, 0) << add.err;
  CliResult list = RunDualuse("review goodguy list --format json" + Dir());
  ASSERT_EQ(list.code, 0) << list.err;
  Json gg = Json::parse(list.out);
  ASSERT_EQ(gg.size(), 1u);
  EXPECT_EQ(gg[0]["reviewer"], "rev2");
  CliResult other = RunDualuse("screen --format json --schema Organization" + un +
                               " 'Korea Mining Development Trading Corp.'" + Dir());
  ASSERT_EQ(other.code, 0) << other.err;
  Json m = Json::parse(other.out)[0]["matches"][0];
  EXPECT_EQ(m["review"]["state"], "known_false_positive");
  EXPECT_EQ(m["review"]["reason"], "other register number");
  EXPECT_TRUE(open_items().empty());
  const std::string gid = std::to_string(gg[0]["id"].get<int64_t>());
  CliResult rm = RunDualuse("review goodguy remove " + gid + " --reason 'entry was wrong'" + Dir());
  ASSERT_EQ(rm.code, 0) << rm.err;
  CliResult rm2 = RunDualuse("review goodguy remove " + gid + " --reason 'again'" + Dir());
  EXPECT_EQ(rm2.code, 2);
  EXPECT_TRUE(Json::parse(RunDualuse("review goodguy list --format json" + Dir()).out).empty());
  EXPECT_EQ(Json::parse(RunDualuse("review goodguy list --all --format json" + Dir()).out).size(),
            1u);
  auto s = Store::Open(db_);
  ASSERT_TRUE(s.ok());
  RecordQuery q;
  q.kind = kKindGoodGuy;
  EXPECT_EQ((*s)->Records(q)->size(), 2u);
  EXPECT_TRUE((*s)->Verify()->ok());
}

TEST_F(StoreCliTest, CorruptAndForeignDatabasesExitTwo) {
  std::ofstream(db_) << "this is not a database";
  CliResult corrupt = RunDualuse("review list" + Dir());
  EXPECT_EQ(corrupt.code, 2);
  EXPECT_NE(corrupt.err.find("not a readable SQLite database"), std::string::npos) << corrupt.err;
  std::filesystem::remove(db_);
  RawSql(db_, "CREATE TABLE t (x)");
  CliResult foreign = RunDualuse("audit verify --db " + db_);
  EXPECT_EQ(foreign.code, 2);
  EXPECT_NE(foreign.err.find("not a dualuse store"), std::string::npos) << foreign.err;
}

TEST_F(StoreCliTest, RescreenTwoListFiles) {
  std::string un = std::string(DUALUSE_LISTS_DIR) + "/un_sc/";
  {
    auto s = Store::Open(db_);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(
        (*s)->UpsertCounterparty({"Example Trading GmbH", {}, "DE", "Organization", "", "[]"})
            .ok());
  }
  CliResult r =
      RunDualuse("rescreen --format json --old " + un + "un_consolidated_2025-11-20.xml --new " +
                 un + "un_consolidated_2026-02-27.xml" + Dir());
  ASSERT_EQ(r.code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["counterparties"], 1);
  EXPECT_EQ(j["new_counterparties"], 1);
  CliResult bad = RunDualuse("rescreen --old " + un + "un_consolidated_2025-11-20.xml" + Dir());
  EXPECT_EQ(bad.code, 2);
}

}  // namespace
}  // namespace dualuse::store

namespace dualuse::store {
namespace {

// `audit anchor` and `audit verify --anchor` on the built binary; the users
// commands record their changes; files 0600 and directories 0700.
TEST_F(StoreCliTest, AnchorUsersAndFileModes) {
  const std::filesystem::path data = dir_ / "data";
  const std::string d = " --data-dir " + data.string();
  CliResult add = RunDualuse("users add olga --role officer --organisation 'Example B.V.'" + d);
  ASSERT_EQ(add.code, 0) << add.err;
  CliResult tok = RunDualuse("users token olga --expires-days 30" + d);
  ASSERT_EQ(tok.code, 0) << tok.err;
  EXPECT_EQ(tok.out.rfind("du_", 0), 0u) << tok.out;
  // A name with a newline, or confusable with olga, is refused.
  EXPECT_NE(RunDualuse("users add \"$(printf 'ol\\tga')\" --role officer" + d).code, 0);
  EXPECT_NE(RunDualuse("users add Olga --role officer" + d).code, 0);
  // Files only the owner may read.
  namespace fs = std::filesystem;
  for (const char* f : {"dualuse.db", "token.key", "dualuse.db.marker"}) {
    auto perms = fs::status(data / f).permissions();
    EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none) << f;
  }
  EXPECT_EQ(fs::status(data).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);

  CliResult anchor = RunDualuse("audit anchor" + d);
  ASSERT_EQ(anchor.code, 0) << anchor.err;
  ASSERT_EQ(anchor.out.rfind("dualuse-anchor/1 records=", 0), 0u) << anchor.out;
  std::string line = anchor.out.substr(0, anchor.out.find('\n'));
  EXPECT_EQ(RunDualuse("audit verify --anchor '" + line + "'" + d).code, 0);
  std::ofstream(dir_ / "anchor.txt") << line << "\n";
  EXPECT_EQ(RunDualuse("audit verify --anchor " + (dir_ / "anchor.txt").string() + d).code, 0);
  // Revoking and disabling are recorded; the anchor still holds.
  std::string id = tok.out.substr(3, 12);
  EXPECT_EQ(RunDualuse("users revoke " + id + d).code, 0);
  EXPECT_EQ(RunDualuse("users disable olga" + d).code, 0);
  EXPECT_EQ(RunDualuse("audit verify --anchor '" + line + "'" + d).code, 0);
  // Cut back behind the store's back: the anchor sees it.
  const std::string db = (data / "dualuse.db").string();
  RawSql(db,
         "DROP TRIGGER records_no_delete; DELETE FROM records WHERE id > 1; "
         "UPDATE chain_head SET last_id = 1, last_hash = (SELECT hash FROM records WHERE id = 1); "
         "DELETE FROM tokens; DELETE FROM users;");
  CliResult cut = RunDualuse("audit verify --anchor '" + line + "'" + d);
  EXPECT_EQ(cut.code, 2) << cut.out << cut.err;
  EXPECT_NE(cut.out.find("records were cut"), std::string::npos) << cut.out;
  EXPECT_EQ(RunDualuse("audit verify --anchor 'dualuse-anchor/1 records=x'" + d).code, 2);
  // An emptied store is an error, not a new store.
  fs::remove(db + "-wal");
  fs::remove(db + "-shm");
  fs::resize_file(db, 0);
  CliResult empty = RunDualuse("audit verify" + d);
  EXPECT_NE(empty.code, 0);
  EXPECT_NE(empty.err.find("empty"), std::string::npos) << empty.err;
  EXPECT_EQ(fs::file_size(db), 0u);
}

}  // namespace
}  // namespace dualuse::store
