// Changes reach every server on one store: two real servers on one real
// database (SQLite file or PostgreSQL), a token revoked through one, refused
// by the other; a list import announced by one process, seen by another's
// ChangeFeed; a ReloadableScreener replaced under a pinned request.
//
// On PostgreSQL the feeds poll once an hour, so only LISTEN/NOTIFY can make
// the second server refuse the token in time; on SQLite they poll every
// 200 ms. The waits are generous loops, not timing assertions.
#include "dualuse/server/change_feed.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "dualuse/base/date.h"
#include "dualuse/screening/engine.h"
#include "dualuse/server/auth.h"
#include "dualuse/server/reloadable_screener.h"
#include "dualuse/server/server.h"
#include "store/store_test_util.h"

namespace dualuse::server {
namespace {

using std::chrono::milliseconds;

constexpr const char* kKey = "change-feed-test-key-0123456789abcdef";

// Polls `done` every 50 ms for at most 10 s.
template <typename F>
bool Eventually(F done) {
  for (int i = 0; i < 200; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return done();
}

struct Issued {
  std::string token, id;
};

Issued AddUser(store::Store& st, const std::string& name, const std::string& role) {
  auto u = st.CreateUser(name, "", role);
  EXPECT_TRUE(u.ok()) << u.error().ToString();
  auto t = MintToken(kKey);
  EXPECT_TRUE(t.ok());
  if (!u.ok() || !t.ok()) return {};
  store::Token token;
  token.id = t->id;
  token.hash = t->hash;
  token.user_id = u->id;
  token.created_at = store::NowTimestamp();
  EXPECT_TRUE(st.AddToken(token).ok());
  return {t->token, t->id};
}

// One `dualuse serve` as cmd_serve.cc wires it: its own store connection,
// a server and a change feed that forgets verified tokens.
struct Instance {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Server> server;
  std::unique_ptr<ChangeFeed> feed;
  std::thread thread;

  void Start(const std::string& target, milliseconds poll) {
    auto st = store::Store::Open(target);
    ASSERT_TRUE(st.ok()) << st.error().ToString();
    store = std::move(st).value();
    ServerOptions o;
    o.port = 0;
    o.threads = 1;
    o.worker_threads = 2;
    o.token_key = kKey;
    o.token_cache_seconds = 600;  // only a change notice can make it forget
    Backends b;
    b.store = store.get();
    auto srv = Server::Create(o, b);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server = std::move(srv).value();
    ASSERT_TRUE(server->Bind().ok());
    thread = std::thread([this] { EXPECT_TRUE(server->Run().ok()); });
    ChangeFeedOptions fo;
    fo.store_target = target;
    fo.poll_interval = poll;
    ChangeHandlers h;
    Server* s = server.get();
    h.access = [s] { s->ForgetVerifiedTokens(); };
    feed = std::make_unique<ChangeFeed>(store.get(), fo, h);
    feed->Start();
  }
  ~Instance() {
    if (feed) feed->Stop();
    if (server) {
      server->Stop();
      thread.join();
    }
  }
  int Call(const std::string& method, const std::string& path, const std::string& token) {
    httplib::Client cli("127.0.0.1", server->port());
    httplib::Headers h = {{"Authorization", "Bearer " + token}};
    auto r = method == "GET" ? cli.Get(path, h) : cli.Post(path, h, "", "application/json");
    return r ? r->status : 0;
  }
};

class ChangeFeedTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::TestDb>(GetParam());
    std::string why;
    // No skip: a missing PostgreSQL fails (run scripts/start-postgres.sh).
    ASSERT_TRUE(db_->Create(&why)) << why;
  }
  bool postgres() const { return GetParam() == "postgresql"; }
  // PostgreSQL: notifications only (the poll would come after the test's
  // 10 s); SQLite: polling only.
  milliseconds poll() const { return postgres() ? milliseconds(3600 * 1000) : milliseconds(200); }

  std::unique_ptr<store::testing::TestDb> db_;
};

TEST_P(ChangeFeedTest, TokenRevokedThroughOneServerIsRefusedByTheOther) {
  Instance a, b;
  ASSERT_NO_FATAL_FAILURE(a.Start(db_->target(), poll()));
  ASSERT_NO_FATAL_FAILURE(b.Start(db_->target(), poll()));
  if (postgres()) {
    ASSERT_TRUE(Eventually([&] { return a.feed->listening() && b.feed->listening(); }));
  }
  Issued admin = AddUser(*a.store, "adm", "admin");
  Issued olga = AddUser(*a.store, "olga", "officer");
  // Both servers verify olga's token and cache it for 10 minutes.
  ASSERT_EQ(a.Call("GET", "/me", olga.token), 200);
  ASSERT_EQ(b.Call("GET", "/me", olga.token), 200);
  const int before = b.feed->access_changes();

  ASSERT_EQ(a.Call("POST", "/tokens/" + olga.id + "/revoke", admin.token), 200);
  EXPECT_EQ(a.Call("GET", "/me", olga.token), 401);  // the revoking server: at once
  EXPECT_TRUE(Eventually([&] { return b.Call("GET", "/me", olga.token) == 401; }))
      << "server b still accepts the revoked token";
  EXPECT_GT(b.feed->access_changes(), before);
  // Another user's token is not affected.
  EXPECT_EQ(b.Call("GET", "/me", admin.token), 200);
}

TEST_P(ChangeFeedTest, UserDisabledOnTheCommandLineIsRefusedByAServer) {
  Instance a;
  ASSERT_NO_FATAL_FAILURE(a.Start(db_->target(), poll()));
  if (postgres()) {
    ASSERT_TRUE(Eventually([&] { return a.feed->listening(); }));
  }
  Issued olga = AddUser(*a.store, "olga", "officer");
  ASSERT_EQ(a.Call("GET", "/me", olga.token), 200);
  // `dualuse users disable olga`: another process, another connection.
  auto cli = store::Store::Open(db_->target());
  ASSERT_TRUE(cli.ok()) << cli.error().ToString();
  auto u = (*cli)->GetUserByName("olga");
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE((*cli)->SetUserDisabled(u->id, true, "cli:test").ok());
  EXPECT_TRUE(Eventually([&] { return a.Call("GET", "/me", olga.token) == 401; }));
}

TEST_P(ChangeFeedTest, ListImportAnnouncedByAnotherProcessIsSeen) {
  auto st = store::Store::Open(db_->target());
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  const auto dir = std::filesystem::temp_directory_path() /
                   ("du_feed_" + std::to_string(::getpid()) + "_" + GetParam());
  std::filesystem::create_directories(dir);
  const std::string manifest = (dir / "manifest.json").string();
  std::ofstream(manifest) << R"({"versions": []})";
  std::atomic<int> reloads{0};
  ChangeFeedOptions fo;
  fo.store_target = db_->target();
  fo.manifest_path = manifest;
  fo.poll_interval = poll();
  ChangeHandlers h;
  h.lists = [&reloads] { ++reloads; };
  ChangeFeed feed(st->get(), fo, h);
  feed.Start();
  if (postgres()) {
    ASSERT_TRUE(Eventually([&] { return feed.listening(); }));
  }

  // The importer: a new manifest, then the announcement on its own connection.
  std::ofstream(manifest + ".tmp") << R"({"versions": [{"list_id": "un_sc"}]})";
  std::filesystem::rename(manifest + ".tmp", manifest);
  auto importer = store::Store::Open(db_->target());
  ASSERT_TRUE(importer.ok());
  ASSERT_TRUE((*importer)->AnnounceChange("lists").ok());
  EXPECT_TRUE(Eventually([&] { return reloads.load() == 1; }));
  // An announcement without a changed manifest reloads nothing.
  ASSERT_TRUE((*importer)->AnnounceChange("lists").ok());
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(reloads.load(), 1);
  feed.Stop();
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, ChangeFeedTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(AccessStampTest, ChangesWithTokensAndUsersOnly) {
  store::testing::TestDb db("sqlite");
  std::string why;
  ASSERT_TRUE(db.Create(&why)) << why;
  auto st = store::Store::Open(db.target());
  ASSERT_TRUE(st.ok());
  auto s0 = (*st)->AccessStamp();
  ASSERT_TRUE(s0.ok());
  Issued olga = AddUser(**st, "olga", "officer");
  auto s1 = (*st)->AccessStamp();
  ASSERT_TRUE(s1.ok());
  EXPECT_NE(*s0, *s1);
  store::RecordInput rec;
  rec.kind = store::kKindScreening;
  rec.actor = "olga";
  rec.subject = "x";
  rec.inputs = "{}";
  rec.outputs = "{}";
  ASSERT_TRUE((*st)->Append(rec).ok());
  EXPECT_EQ(*(*st)->AccessStamp(), *s1);  // a record is not an access change
  ASSERT_TRUE((*st)->RevokeToken(olga.id, "test").ok());
  EXPECT_NE(*(*st)->AccessStamp(), *s1);
}

// A request pinned to the screener in force keeps it while the lists are
// replaced; the next request sees the new lists.
TEST(ReloadableScreenerTest, PinnedRequestKeepsItsListsAcrossAReplacement) {
  auto load = [](const char* file) {
    auto s = screening::LoadScreener({std::string(DUALUSE_LISTS_DIR "/un_sc/") + file},
                                     "/nonexistent", Date::Today());
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return std::shared_ptr<const screening::ListScreener>(std::move(s).value());
  };
  auto old_lists = load("un_consolidated_2025-11-20.xml");
  auto new_lists = load("un_consolidated_2026-02-27.xml");
  ASSERT_TRUE(old_lists && new_lists);
  ReloadableScreener r(old_lists);
  EXPECT_EQ(r.ListVersions().at("un_sc"), "2025-11-20");
  {
    auto pinned = r.Pin();
    r.Replace(new_lists);
    EXPECT_EQ(r.ListVersions().at("un_sc"), "2025-11-20");
    screening::PartyQuery q;
    q.name = "Korea Mining Development Trading Corporation";
    auto hits = r.Screen(q);
    ASSERT_FALSE(hits.matches.empty());
    EXPECT_EQ(hits.matches[0].list_version, "2025-11-20");
    // Another thread is not pinned: it sees the new lists.
    std::string other;
    std::thread([&] { other = r.ListVersions().at("un_sc"); }).join();
    EXPECT_EQ(other, "2026-02-27");
  }
  EXPECT_EQ(r.ListVersions().at("un_sc"), "2026-02-27");
}

}  // namespace
}  // namespace dualuse::server
