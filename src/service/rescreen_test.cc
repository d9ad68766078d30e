// Re-screening: 100,000 counterparties against the UN list update
// 2025-11-20 -> 2026-02-27 (the bundled copies of data/lists/bundled/un_sc/),
// on each backend.
// The alerts raised must be exactly those a slow reference finds: every
// counterparty screened exhaustively (no index) against the changed entities
// with the same scorer. The time is reported, not asserted.
#include "dualuse/service/rescreen.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <tuple>

#include "dualuse/lists/diff.h"
#include "dualuse/lists/list.h"
#include "dualuse/screening/engine.h"
#include "service/rescreen_util.h"
#include "store/store_test_util.h"

namespace dualuse::service {
namespace {

using store::testing::BackendTest;

const std::string kUnDir = std::string(DUALUSE_LISTS_DIR) + "/un_sc/";

struct Fixture {
  lists::ListVersion before, after;
  lists::ListDiff diff;
};

const Fixture& Un() {
  static Fixture* f = [] {
    auto* f = new Fixture;
    auto a = lists::LoadList(kUnDir + "un_consolidated_2025-11-20.xml");
    auto b = lists::LoadList(kUnDir + "un_consolidated_2026-02-27.xml");
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    if (a.ok() && b.ok()) {
      f->before = std::move(a).value();
      f->after = std::move(b).value();
      f->diff = lists::DiffLists(f->before, f->after);
    }
    return f;
  }();
  return *f;
}

using AlertKey = std::tuple<int64_t, std::string, std::string>;  // counterparty, list, entity

// CPU seconds (user + system) of this process so far: the figure that does
// not depend on what else runs on the machine.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

class RescreenTest : public BackendTest {};

TEST_P(RescreenTest, HundredThousandCounterpartiesAfterTheUnUpdate) {
  const Fixture& un = Un();
  ASSERT_FALSE(un.after.entities.empty());
  ListUpdate update = UpdateFromDiff(un.diff, "un_sc", un.before.date, un.after.date);
  ASSERT_GT(update.changed.size(), 0u);
  std::vector<std::string> planted;
  auto parties = GenerateCounterparties(100000, un.diff, un.before, 20260227, &planted);
  ASSERT_EQ(parties.size(), 100000u);

  auto t0 = std::chrono::steady_clock::now();
  auto ups = store_->UpsertCounterparties(parties);
  ASSERT_TRUE(ups.ok()) << ups.error().ToString();
  auto t_upsert = std::chrono::steady_clock::now();
  // The register was screened against the old version: mark it so.
  auto cps = store_->Counterparties();
  ASSERT_TRUE(cps.ok());
  std::vector<std::pair<int64_t, std::string>> screened;
  for (const auto& c : *cps)
    screened.push_back({c.id, c.content_hash});
  ASSERT_TRUE(store_->MarkScreened(screened).ok());
  ASSERT_TRUE(store_->SetScreenedListVersion("un_sc", un.before.date).ok());
  auto t1 = std::chrono::steady_clock::now();
  double cpu1 = CpuSeconds();

  // Timed: what `dualuse rescreen` does after the import.
  auto full = screening::ListScreener::Build(
      std::vector<screening::ListInput>{{"un_sc", un.after.date, un.after.entities}},
      RescreenEngineOptions());
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  RescreenOptions opt;
  opt.actor = "test";
  opt.threads = 2;
  auto rep = Rescreen(*store_, {update}, full->get(), MakeMiniScreener, opt);
  auto t2 = std::chrono::steady_clock::now();
  double cpu = CpuSeconds() - cpu1;
  ASSERT_TRUE(rep.ok()) << rep.error().ToString();
  double secs = std::chrono::duration<double>(t2 - t1).count();
  std::string phases;
  for (const auto& [name, s] : rep->timings)
    phases += " " + name + "=" + std::to_string(s);
  std::printf(
      "[ figure   ] %s: rescreen of %zu counterparties after un_sc %s -> %s "
      "(%zu added, %zu changed, %zu removed): %.2f s wall, %.2f s CPU (this process), "
      "%zu alerts; phases:%s; setup %.2f s (upsert %.2f s)\n",
      GetParam().c_str(), rep->counterparties, un.before.date.c_str(), un.after.date.c_str(),
      un.diff.added.size(), un.diff.changed.size(), un.diff.removed.size(), secs, cpu, rep->raised,
      phases.c_str(), std::chrono::duration<double>(t1 - t0).count(),
      std::chrono::duration<double>(t_upsert - t0).count());
  RecordProperty("rescreen_seconds", std::to_string(secs));
  EXPECT_EQ(rep->counterparties, 100000u);
  EXPECT_EQ(rep->new_counterparties, 0u);

  // Slow reference: each counterparty, exhaustively, against the changed entities.
  auto mini = screening::ListScreener::Build(
      std::vector<screening::ListInput>{{"un_sc", un.after.date, update.changed}},
      RescreenEngineOptions());
  ASSERT_TRUE(mini.ok());
  std::set<AlertKey> expected;
  for (const auto& c : *cps) {
    auto r = (*mini)->ScreenExhaustive(QueryFor(c));
    for (const auto& h : r.matches)
      expected.insert({c.id, h.list, h.entity_id});
  }
  std::set<AlertKey> got;
  auto open = store_->Alerts("open");
  ASSERT_TRUE(open.ok());
  for (const auto& a : *open)
    got.insert({a.counterparty_id, a.list, a.entity_id});
  EXPECT_EQ(got.size(), open->size()) << "an alert raised twice";
  EXPECT_EQ(got, expected);
  EXPECT_GE(expected.size(), planted.size() / 2) << "the planted names should raise alerts";
  EXPECT_EQ(rep->raised, open->size());
  // Every planted name (an added entity's name) is among the alerts.
  std::set<std::string> alerted_names;
  for (const auto& a : *open)
    alerted_names.insert(a.counterparty_name);
  size_t found = 0;
  for (const auto& n : planted)
    found += alerted_names.count(n);
  EXPECT_EQ(found, planted.size());

  // Nothing changed since: a second run raises nothing new.
  auto again = Rescreen(*store_, {}, full->get(), MakeMiniScreener, opt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->raised, 0u);
  EXPECT_EQ(*store_->ScreenedListVersion("un_sc"), std::optional<std::string>(un.after.date));
  EXPECT_TRUE(store_->Verify()->ok());
}

TEST_P(RescreenTest, NewCounterpartiesAreScreenedAgainstAllListsAndDismissalsHold) {
  const Fixture& un = Un();
  ASSERT_FALSE(un.diff.added.empty());
  const lists::Entity& listed = un.after.entities.front();
  store::CounterpartyInput p{listed.caption, {}, "", "Organization", "", "[]"};
  if (listed.schema == lists::Schema::kPerson) p.schema = "Person";
  auto up = store_->UpsertCounterparty(p);
  ASSERT_TRUE(up.ok());
  auto full = screening::ListScreener::Build(
      std::vector<screening::ListInput>{{"un_sc", un.after.date, un.after.entities}},
      RescreenEngineOptions());
  ASSERT_TRUE(full.ok());
  RescreenOptions opt;
  opt.entity_hash = [&](const std::string&, const std::string& id) {
    for (const auto& e : un.after.entities) {
      if (e.id == id) return EntityContentHash(e);
    }
    return std::string();
  };
  auto rep = Rescreen(*store_, {}, full->get(), MakeMiniScreener, opt);
  ASSERT_TRUE(rep.ok()) << rep.error().ToString();
  EXPECT_EQ(rep->new_counterparties, 1u);
  ASSERT_GE(rep->raised, 1u);
  auto open = store_->Alerts("open");
  bool exact = false;
  for (const auto& a : *open) {
    if (a.entity_id == listed.id) {
      exact = true;
      ASSERT_TRUE(store_->DecideAlert(a.id, false, "test: not the listed party", "rev").ok());
      // An exact asset-freeze hit takes a second reviewer to dismiss.
      if (store_->GetAlert(a.id)->state == "pending_dismissal") {
        ASSERT_TRUE(store_->DecideAlert(a.id, false, "test: agreed", "rev2").ok());
      }
    } else {
      ASSERT_TRUE(store_->DecideAlert(a.id, false, "test: other", "rev").ok());
    }
  }
  EXPECT_TRUE(exact);
  // The counterparty gains an alias: screened again, but the dismissal
  // holds (it depends on the name, country and birth date).
  p.aliases = {"Another Name"};
  ASSERT_TRUE(store_->UpsertCounterparty(p)->changed);
  auto alias = Rescreen(*store_, {}, full->get(), MakeMiniScreener, opt);
  ASSERT_TRUE(alias.ok());
  EXPECT_EQ(alias->new_counterparties, 1u);
  EXPECT_GE(alias->suppressed, 1u);
  // The counterparty's birth date changes: the dismissed pair comes back.
  p.birth_date = "1971";
  ASSERT_TRUE(store_->UpsertCounterparty(p)->changed);
  auto rep2 = Rescreen(*store_, {}, full->get(), MakeMiniScreener, opt);
  ASSERT_TRUE(rep2.ok());
  EXPECT_EQ(rep2->new_counterparties, 1u);
  EXPECT_GE(rep2->raised, 1u);
  // The listing changes in an update (a new alias): raised again even
  // though the pair was dismissed for the counterparty's current content.
  auto open2 = store_->Alerts("open");
  ASSERT_TRUE(open2.ok());
  for (const auto& a : *open2) {
    ASSERT_TRUE(store_->DecideAlert(a.id, false, "test: again not", "rev").ok());
    if (store_->GetAlert(a.id)->state == "pending_dismissal") {
      ASSERT_TRUE(store_->DecideAlert(a.id, false, "test: agreed", "rev2").ok());
    }
  }
  lists::Entity changed = listed;
  changed.names.push_back({"SOME NEW ALIAS", lists::NameStrength::kStrong});
  ListUpdate u{"un_sc", un.after.date, "2099-01-01", {changed}, 0};
  auto rep3 = Rescreen(*store_, {u}, full->get(), MakeMiniScreener, opt);
  ASSERT_TRUE(rep3.ok());
  EXPECT_EQ(rep3->raised, 1u);
  EXPECT_EQ(rep3->suppressed, 0u);
  // The same update again: the pair is open, not raised twice.
  ListUpdate same = u;
  auto rep4 = Rescreen(*store_, {same}, full->get(), MakeMiniScreener, opt);
  ASSERT_TRUE(rep4.ok());
  EXPECT_EQ(rep4->raised, 0u);
  EXPECT_EQ(rep4->duplicates, 1u);
}

DUALUSE_INSTANTIATE_BACKENDS(RescreenTest);

TEST(EntityContentHashTest, ChangesExactlyWhenDiffListsSeesAChange) {
  const Fixture& un = Un();
  std::map<std::string, const lists::Entity*> before;
  for (const auto& e : un.before.entities)
    before[e.id] = &e;
  std::set<std::string> changed;
  for (const auto& c : un.diff.changed)
    changed.insert(c.after.id);
  size_t compared = 0;
  for (const auto& e : un.after.entities) {
    auto it = before.find(e.id);
    if (it == before.end()) continue;
    ++compared;
    EXPECT_EQ(EntityContentHash(*it->second) != EntityContentHash(e), changed.count(e.id) > 0)
        << e.id;
  }
  EXPECT_GT(compared, 500u);
}

}  // namespace
}  // namespace dualuse::service
