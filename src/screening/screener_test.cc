#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dualuse/lists/list.h"
#include "dualuse/screening/engine.h"

namespace dualuse::screening {
namespace {

using lists::Entity;
using lists::EntityName;
using lists::NameStrength;
using lists::Schema;

Entity Person(const std::string& id, const std::string& name, const std::string& dob,
              const std::string& country, std::vector<std::string> weak = {}) {
  Entity e;
  e.list = "test";
  e.id = id;
  e.schema = Schema::kPerson;
  e.caption = name;
  e.names.push_back({name, NameStrength::kPrimary});
  for (auto& w : weak)
    e.names.push_back({w, NameStrength::kWeak});
  if (!dob.empty()) e.birth_dates.push_back(dob);
  if (!country.empty()) e.countries.push_back(country);
  e.effect = lists::ListEffect::kAssetFreeze;
  e.jurisdiction = "UN";
  return e;
}

Entity Org(const std::string& id, const std::string& name, std::vector<std::string> aliases = {}) {
  Entity e;
  e.list = "test";
  e.id = id;
  e.schema = Schema::kOrganization;
  e.caption = name;
  e.names.push_back({name, NameStrength::kPrimary});
  for (auto& a : aliases)
    e.names.push_back({a, NameStrength::kStrong});
  return e;
}

std::unique_ptr<ListScreener> Small() {
  ListInput in;
  in.list_id = "test";
  in.version = "2026-01-01";
  in.entities = {Person("p1", "Ivan Petrovich PETROV", "1970-05-01", "RU", {"The Hammer"}),
                 Person("p2", "Maria SANCHEZ", "", ""),
                 Org("o1", "Korea Mining Development Trading Corporation", {"KOMID"}),
                 Org("o2", "Almaz Trading LLC")};
  Entity v;
  v.id = "v1";
  v.schema = Schema::kVessel;
  v.caption = "Ocean Star";
  v.names.push_back({"Ocean Star", NameStrength::kPrimary});
  in.entities.push_back(v);
  std::vector<ListInput> all;
  all.push_back(std::move(in));
  auto s = ListScreener::Build(std::move(all));
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

PartyQuery Q(const std::string& name, Schema schema = Schema::kLegalEntity) {
  PartyQuery q;
  q.name = name;
  q.schema = schema;
  return q;
}

TEST(ScreenerTest, HitWithExplanation) {
  auto s = Small();
  auto r = s->Screen(Q("Ivan Petrov", Schema::kPerson));
  ASSERT_EQ(r.status, ScreeningStatus::kHit);
  EXPECT_EQ(r.matches[0].entity_id, "p1");
  EXPECT_EQ(r.matches[0].list_version, "2026-01-01");
  EXPECT_EQ(r.matches[0].effect, lists::ListEffect::kAssetFreeze);
  EXPECT_FALSE(r.matches[0].explanation.empty());
  EXPECT_EQ(s->ListVersions().at("test"), "2026-01-01");
}

TEST(ScreenerTest, WeakAliasAloneIsNoHit) {
  auto s = Small();
  auto r = s->Screen(Q("The Hammer", Schema::kPerson));
  EXPECT_NE(r.status, ScreeningStatus::kHit);
  ASSERT_FALSE(r.matches.empty());
  EXPECT_FALSE(r.matches[0].match);
}

struct QualifierCase {
  const char* dob;
  const char* country;
  int direction;  // +1 raises, -1 lowers, relative to no qualifier
};

TEST(ScreenerTest, QualifiersTable) {
  auto s = Small();
  auto base = s->Screen(Q("Ivan Petrov", Schema::kPerson));
  ASSERT_FALSE(base.matches.empty());
  const double b = base.matches[0].score;
  const QualifierCase cases[] = {
      {"1970-05-01", "", +1}, {"1970", "", +1}, {"1970-06-02", "", -1}, {"1981", "", -1},
      {"", "RU", +1},         {"", "ru", +1},   {"", "FR", -1},         {"1981", "FR", -1},
  };
  for (const auto& c : cases) {
    PartyQuery q = Q("Ivan Petrov", Schema::kPerson);
    q.birth_date = c.dob;
    q.country = c.country;
    auto r = s->Screen(q);
    const double got = r.matches.empty() ? 0.0 : r.matches[0].score;
    if (c.direction > 0 && b < 1.0) {
      EXPECT_GT(got, b) << c.dob << " " << c.country;
    } else if (c.direction > 0) {
      EXPECT_GE(got, b) << c.dob << " " << c.country;
    } else {
      EXPECT_LT(got, b) << c.dob << " " << c.country;
    }
  }
}

TEST(ScreenerTest, SchemaCompatibility) {
  auto s = Small();
  EXPECT_EQ(s->Screen(Q("Ocean Star", Schema::kVessel)).status, ScreeningStatus::kHit);
  EXPECT_EQ(s->Screen(Q("Ocean Star", Schema::kPerson)).status, ScreeningStatus::kClear);
  EXPECT_EQ(s->Screen(Q("Maria Sanchez", Schema::kCompany)).status, ScreeningStatus::kClear);
  EXPECT_EQ(s->Screen(Q("Almaz Trading OOO", Schema::kCompany)).status, ScreeningStatus::kHit);
}

TEST(ScreenerTest, BatchKeepsInputOrder) {
  auto s = Small();
  std::vector<PartyQuery> qs;
  for (int i = 0; i < 200; ++i) {
    qs.push_back(Q(i % 3 == 0 ? "Ivan Petrov" : i % 3 == 1 ? "Nobody Here" : "KOMID"));
  }
  auto rs = s->ScreenBatch(qs, 4);
  ASSERT_EQ(rs.size(), qs.size());
  for (size_t i = 0; i < qs.size(); ++i) {
    auto one = s->Screen(qs[i]);
    EXPECT_EQ(rs[i].status, one.status) << i;
    ASSERT_EQ(rs[i].matches.size(), one.matches.size());
    if (!one.matches.empty()) {
      EXPECT_EQ(rs[i].matches[0].entity_id, one.matches[0].entity_id);
    }
  }
}

// The real UN list: the index finds what scoring every name finds.
class UnListTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto v =
        lists::LoadList(std::string(DUALUSE_LISTS_DIR) + "/un_sc/un_consolidated_2026-02-27.xml");
    ASSERT_TRUE(v.ok()) << v.error().message();
    std::vector<lists::ListVersion> all;
    all.push_back(std::move(v).value());
    auto s = ListScreener::Build(std::move(all));
    ASSERT_TRUE(s.ok());
    screener_ = std::move(s).value().release();
  }
  static void TearDownTestSuite() {
    delete screener_;
    screener_ = nullptr;
  }
  static ListScreener* screener_;
};
ListScreener* UnListTest::screener_ = nullptr;

TEST_F(UnListTest, KomidIsAHit) {
  auto r = screener_->Screen(Q("Korea Mining Development Trading Corporation"));
  ASSERT_EQ(r.status, ScreeningStatus::kHit);
  EXPECT_EQ(r.matches[0].list, "un_sc");
}

// Listing dates (UN LISTED_ON): CHANG AN SHIPPING & TECHNOLOGY was listed on
// 2018-03-30. Screening for a date before that finds no hit; on the day and
// after it does, and the hit says when the party was listed.
TEST_F(UnListTest, NoHitBeforeTheListingDate) {
  struct Case {
    const char* as_of;
    bool hit;
  } cases[] = {{"2017-06-01", false},
               {"2018-03-29", false},
               {"2018-03-30", true},
               {"2026-01-01", true},
               {"", true}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.as_of);
    PartyQuery q = Q("Chang An Shipping & Technology");
    q.as_of = c.as_of;
    auto r = screener_->Screen(q);
    const ScreeningHit* found = nullptr;
    for (const ScreeningHit& h : r.matches) {
      if (h.entity_id == "6908691" && h.match) found = &h;
    }
    EXPECT_EQ(found != nullptr, c.hit);
    if (found) {
      EXPECT_EQ(found->listed_on, "2018-03-30");
      EXPECT_EQ(found->list_version, "2026-02-27");
    }
    auto slow = screener_->ScreenExhaustive(q);
    EXPECT_EQ(slow.status, r.status);
  }
}

TEST_F(UnListTest, IndexedEqualsExhaustive) {
  const char* queries[] = {"Korea Mining Development Trading Corp", "Abdul Baqi Basir",
                           "Mohammed Omar", "Tangun Trading", "Hamza bin Laden", "Hasan Mahsum",
                           "Green Pine Associated", "Kim Jong Sik", "Ri Hong Sop", "Amanullah",
                           // Other scripts and spelling systems: the index's
                           // spelling, consonant and Korean keys.
                           "صدام حسين التكريتي", "عزت ابراهيم الدوري", "Izzat Ibrahim al-Douri",
                           "김정식", "Kim Chong Sik", "리홍섭", "Choe Chun Sik", "Юрий Гагарин",
                           "Aleksei Sergeyevich Ivanov"};
  for (const char* q : queries) {
    auto fast = screener_->Screen(Q(q));
    auto slow = screener_->ScreenExhaustive(Q(q));
    std::string slow_best;
    if (!slow.matches.empty()) {
      slow_best = slow.matches[0].matched_name;
      for (const std::string& e : slow.matches[0].explanation)
        slow_best += "\n  " + e;
    }
    EXPECT_EQ(fast.status, slow.status) << q << " (exhaustive: " << slow_best << ")";
    ASSERT_FALSE(slow.matches.empty() && !fast.matches.empty()) << q;
    if (!slow.matches.empty() && slow.matches[0].match) {
      ASSERT_FALSE(fast.matches.empty()) << q;
      EXPECT_EQ(fast.matches[0].entity_id, slow.matches[0].entity_id) << q;
      EXPECT_DOUBLE_EQ(fast.matches[0].score, slow.matches[0].score) << q;
    }
  }
}

// LoadScreener from list files (lists parsed concurrently, transliterators
// built beside them): the same screener as loading each list in turn.
TEST(LoadScreenerTest, FilesEqualSequentialLoad) {
  const std::string dir = std::string(DUALUSE_LISTS_DIR) + "/";
  const std::vector<std::string> paths = {dir + "un_sc/un_consolidated_2026-02-27.xml",
                                          dir + "ofac_sdn/legacy_csv_2022-01-31"};
  auto loaded = LoadScreener(paths, "", Date());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  std::vector<lists::ListVersion> versions;
  for (const std::string& p : paths) {
    auto v = lists::LoadList(p);
    ASSERT_TRUE(v.ok()) << v.error().message();
    versions.push_back(std::move(v).value());
  }
  auto built = ListScreener::Build(std::move(versions));
  ASSERT_TRUE(built.ok());
  EXPECT_EQ((*loaded)->entity_count(), (*built)->entity_count());
  EXPECT_EQ((*loaded)->name_count(), (*built)->name_count());
  EXPECT_EQ((*loaded)->ListVersions(), (*built)->ListVersions());
  for (const char* q : {"Korea Mining Development Trading Corporation", "Hamza bin Laden",
                        "Banco Nacional de Cuba", "Ri Hong Sop", "Ротенберг Аркадий"}) {
    auto a = (*loaded)->Screen(Q(q));
    auto b = (*built)->Screen(Q(q));
    EXPECT_EQ(a.status, b.status) << q;
    ASSERT_EQ(a.matches.size(), b.matches.size()) << q;
    for (size_t i = 0; i < a.matches.size(); ++i) {
      EXPECT_EQ(a.matches[i].entity_id, b.matches[i].entity_id) << q;
      EXPECT_DOUBLE_EQ(a.matches[i].score, b.matches[i].score) << q;
    }
  }
  EXPECT_EQ((*loaded)->Screen(Q("Korea Mining Development Trading Corporation")).status,
            ScreeningStatus::kHit);
}

TEST(LoadScreenerTest, BadPathIsTheLoadersError) {
  const std::string dir = std::string(DUALUSE_LISTS_DIR) + "/";
  auto r =
      LoadScreener({dir + "un_sc/un_consolidated_2026-02-27.xml", dir + "no/such.xml"}, "", Date());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("no/such.xml"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace dualuse::screening
