// Case, decision, licence and booking numbers across processes: several
// Authority objects, each on its own Store connection (what two `dualuse`
// processes are), file, decide and book at the same moment on one SQLite
// file or one PostgreSQL database. Numbers must be unique, a filing decided
// once, a licence never booked beyond its balance.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "authority/test_util.h"
#include "dualuse/authority/authority.h"
#include "dualuse/authority/codec.h"
#include "dualuse/authority/store_repository.h"
#include "store/store_test_util.h"

namespace dualuse::authority {
namespace {

using testing::AssessAll;
using testing::FilingJson;
using testing::FilingSpec;

Date D(const char* s) { return *Date::Parse(s); }

// One "process": its own store connection, repository and Authority.
struct Office {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<StoreRepository> repo;
  std::unique_ptr<Authority> authority;
};

class NumberingTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr int kOffices = 4;

  void SetUp() override {
    std::string why;
    if (!db_.Create(&why)) {
      FAIL() << why;
    }
    auto c = CriteriaCatalogue::Load(DUALUSE_SOURCE_DIR "/data/law/authority/criteria.json");
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cat_ = *c;
    for (int i = 0; i < kOffices; ++i) {
      auto s = store::Store::Open(db_.target());
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      Office o;
      o.store = std::move(*s);
      o.repo = std::make_unique<StoreRepository>(o.store.get());
      o.authority = std::make_unique<Authority>(o.repo.get(), cat_);
      offices_.push_back(std::move(o));
    }
  }

  Application Filing() {
    auto app = ApplicationFromFiling(FilingJson(FilingSpec{}).dump(), "filing.json");
    EXPECT_TRUE(app.ok()) << app.status().ToString();
    return app.ok() ? *app : Application{};
  }

  Decision Grant(const std::string& app_id) {
    Decision g;
    g.application_id = app_id;
    g.date = D("2026-04-10");
    g.kind = DecisionKind::kGrant;
    g.licence_type = LicenceType::kIndividual;
    g.validity = {D("2026-04-10"), D("2027-04-10")};
    g.allowances = {{"1", 10.0, 100000.0}};
    return g;
  }

  store::testing::TestDb db_{GetParam()};
  std::shared_ptr<const CriteriaCatalogue> cat_;
  std::vector<Office> offices_;
};

TEST_P(NumberingTest, ConcurrentFilingsGetDistinctNumbers) {
  constexpr int kEach = 6;
  std::vector<std::vector<std::string>> ids(kOffices);
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int i = 0; i < kOffices; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < kEach; ++k) {
        auto filed = offices_[i].authority->File(Filing(), "exporter" + std::to_string(i));
        if (!filed.ok()) {
          ++failed;
          ADD_FAILURE() << filed.status().ToString();
          continue;
        }
        ids[i].push_back(filed->id);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(failed.load(), 0);
  std::set<std::string> all;
  for (const auto& v : ids)
    all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kOffices * kEach)) << "a case number was given twice";
  // And the store agrees: one filing record per number.
  auto apps = offices_[0].authority->Applications();
  ASSERT_TRUE(apps.ok());
  EXPECT_EQ(apps->size(), static_cast<size_t>(kOffices * kEach));
  std::map<std::string, int> per_subject;
  store::RecordQuery q;
  q.kind = kFilingRecord;
  auto recs = offices_[0].store->Records(q);
  ASSERT_TRUE(recs.ok());
  for (const auto& r : *recs)
    ++per_subject[r.subject];
  for (const auto& [subject, n] : per_subject)
    EXPECT_EQ(n, 1) << subject;
}

TEST_P(NumberingTest, RacingDecisionsGrantOnce) {
  auto filed = offices_[0].authority->File(Filing(), "exporter");
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  ASSERT_TRUE(offices_[0].authority->Assess(AssessAll(*cat_, filed->id), "officer1").ok());
  for (int round = 0; round < 3; ++round) {
    // Each round a new filing, decided by every office at the same moment.
    auto app = offices_[0].authority->File(Filing(), "exporter");
    ASSERT_TRUE(app.ok());
    ASSERT_TRUE(offices_[0].authority->Assess(AssessAll(*cat_, app->id), "officer1").ok());
    std::atomic<int> granted{0}, refused{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kOffices; ++i) {
      threads.emplace_back([&, i] {
        while (!go)
          std::this_thread::yield();
        auto d = offices_[i].authority->Decide(Grant(app->id), "officer" + std::to_string(i));
        if (d.ok()) {
          ++granted;
        } else {
          EXPECT_EQ(d.error().code(), StatusCode::kFailedPrecondition) << d.error().ToString();
          ++refused;
        }
      });
    }
    go = true;
    for (auto& t : threads)
      t.join();
    EXPECT_EQ(granted.load(), 1) << app->id << " granted more than once";
    EXPECT_EQ(refused.load(), kOffices - 1);
  }
  auto report = offices_[1].authority->Report(2026);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->total.grants, 3);
  auto licences = offices_[2].authority->Licences(D("2026-05-01"), {});
  ASSERT_TRUE(licences.ok());
  std::set<std::string> numbers;
  for (const auto& l : *licences)
    numbers.insert(l.licence.id);
  EXPECT_EQ(numbers.size(), 3u);
  EXPECT_EQ(licences->size(), 3u);
}

TEST_P(NumberingTest, RacingBookingsStayWithinTheBalance) {
  auto app = offices_[0].authority->File(Filing(), "exporter");
  ASSERT_TRUE(app.ok());
  ASSERT_TRUE(offices_[0].authority->Assess(AssessAll(*cat_, app->id), "officer1").ok());
  ASSERT_TRUE(offices_[0].authority->Decide(Grant(app->id), "officer1").ok());
  auto cf = offices_[0].authority->Case(app->id, D("2026-05-01"));
  ASSERT_TRUE(cf.ok() && cf->licence);
  // Four bookings of 4 units each against 10 granted: at most two fit.
  std::atomic<int> booked{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kOffices; ++i) {
    threads.emplace_back([&, i] {
      Booking b;
      b.licence_id = cf->licence->id;
      b.date = D("2026-05-01");
      b.item_id = "1";
      b.quantity = 4;
      b.value_eur = 1000;
      b.reference = "MRN " + std::to_string(i);
      while (!go)
        std::this_thread::yield();
      if (offices_[i].authority->Book(b, "exporter").ok()) ++booked;
    });
  }
  go = true;
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(booked.load(), 2);
  auto after = offices_[3].authority->Case(app->id, D("2026-05-01"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->bookings.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, NumberingTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dualuse::authority
