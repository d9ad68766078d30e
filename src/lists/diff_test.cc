// DiffLists on the real UN versions, against a slow reference twin.
#include "dualuse/lists/diff.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "dualuse/lists/list.h"

namespace dualuse::lists {
namespace {

const std::string kUn = std::string(DUALUSE_LISTS_DIR) + "/un_sc/";

// Reference twin: quadratic, straight from the contract in diff.h.
ListDiff SlowDiff(const ListVersion& a, const ListVersion& b) {
  ListDiff d;
  auto find = [](const ListVersion& v, const Entity& e) -> const Entity* {
    for (const Entity& x : v.entities) {
      if (x.list == e.list && x.id == e.id) return &x;
    }
    return nullptr;
  };
  for (const Entity& e : b.entities) {
    const Entity* old = find(a, e);
    if (!old) {
      d.added.push_back(e);
    } else if (auto f = ChangedFields(*old, e); !f.empty()) {
      d.changed.push_back({*old, e, f});
    }
  }
  for (const Entity& e : a.entities) {
    if (!find(b, e)) d.removed.push_back(e);
  }
  auto by_id = [](const Entity& x, const Entity& y) { return x.id < y.id; };
  std::sort(d.added.begin(), d.added.end(), by_id);
  std::sort(d.removed.begin(), d.removed.end(), by_id);
  std::sort(d.changed.begin(), d.changed.end(),
            [](const EntityChange& x, const EntityChange& y) { return x.after.id < y.after.id; });
  return d;
}

std::vector<std::string> Ids(const std::vector<Entity>& v) {
  std::vector<std::string> out;
  for (const Entity& e : v)
    out.push_back(e.id);
  return out;
}

TEST(DiffLists, UnNovemberToFebruary) {
  auto a = LoadList(kUn + "un_consolidated_2025-11-20.xml");
  auto b = LoadList(kUn + "un_consolidated_2026-02-27.xml");
  ASSERT_TRUE(a.ok() && b.ok());
  ListDiff d = DiffLists(*a, *b);
  // By DATAID (Python cross-check): 4 new listings, 1 delisting.
  EXPECT_EQ(Ids(d.added), (std::vector<std::string>{"6909526", "6909527", "6909528", "6909529"}));
  EXPECT_EQ(Ids(d.removed), std::vector<std::string>{"6908121"});
  // Between these two versions only COMMENTS1 of two entries changed (Python
  // cross-check of every element): remarks raise no re-screening alert.
  EXPECT_TRUE(d.changed.empty());
  ListDiff slow = SlowDiff(*a, *b);
  EXPECT_EQ(Ids(d.added), Ids(slow.added));
  EXPECT_EQ(Ids(d.removed), Ids(slow.removed));
  ASSERT_EQ(d.changed.size(), slow.changed.size());
  for (size_t i = 0; i < d.changed.size(); ++i) {
    EXPECT_EQ(d.changed[i].after.id, slow.changed[i].after.id);
    EXPECT_EQ(d.changed[i].fields, slow.changed[i].fields);
  }
}

TEST(DiffLists, AprilToNovemberMatchesReference) {
  auto a = LoadList(kUn + "un_consolidated_2025-04-19.xml");
  auto b = LoadList(kUn + "un_consolidated_2025-11-20.xml");
  ASSERT_TRUE(a.ok() && b.ok());
  ListDiff d = DiffLists(*a, *b);
  EXPECT_EQ(d.added.size(), 132u);
  EXPECT_EQ(d.removed.size(), 9u);
  ListDiff slow = SlowDiff(*a, *b);
  EXPECT_EQ(Ids(d.added), Ids(slow.added));
  EXPECT_EQ(Ids(d.removed), Ids(slow.removed));
  ASSERT_EQ(d.changed.size(), slow.changed.size());
  EXPECT_FALSE(d.changed.empty());
  for (size_t i = 0; i < d.changed.size(); ++i) {
    EXPECT_EQ(d.changed[i].before.id, d.changed[i].after.id);
    EXPECT_EQ(d.changed[i].fields, slow.changed[i].fields);
  }
}

TEST(DiffLists, SameVersionIsEmpty) {
  auto a = LoadList(kUn + "un_consolidated_2026-02-27.xml");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(DiffLists(*a, *a).empty());
}

TEST(ChangedFields, EachComparedField) {
  Entity base;
  base.list = "x";
  base.id = "1";
  base.names = {{"A B", NameStrength::kPrimary}, {"AB", NameStrength::kStrong}};
  base.birth_dates = {"1970", "1971"};
  base.countries = {"DE", "FR"};
  base.identifiers = {{"passport", "1", "DE"}};
  base.programs = {"P"};
  struct Case {
    const char* what;
    void (*mutate)(Entity&);
    std::vector<std::string> fields;
  } cases[] = {
      {"reordered sets are equal",
       [](Entity& e) {
         std::swap(e.countries[0], e.countries[1]);
         std::swap(e.birth_dates[0], e.birth_dates[1]);
       },
       {}},
      {"remarks are not compared", [](Entity& e) { e.remarks = "new"; }, {}},
      {"listing date is not compared", [](Entity& e) { e.listed_on = "2020-01-01"; }, {}},
      {"schema", [](Entity& e) { e.schema = Schema::kPerson; }, {"schema"}},
      {"primary name", [](Entity& e) { e.names[0].full = "A C"; }, {"name"}},
      {"alias strength", [](Entity& e) { e.names[1].strength = NameStrength::kWeak; }, {"aliases"}},
      {"alias added",
       [](Entity& e) {
         e.names.push_back({"Z", NameStrength::kStrong});
       },
       {"aliases"}},
      {"birth date", [](Entity& e) { e.birth_dates.pop_back(); }, {"birth_dates"}},
      {"country", [](Entity& e) { e.countries.push_back("IT"); }, {"countries"}},
      {"identifier country", [](Entity& e) { e.identifiers[0].country = "AT"; }, {"identifiers"}},
      {"programme", [](Entity& e) { e.programs = {"Q"}; }, {"programs"}},
      {"several",
       [](Entity& e) {
         e.programs = {"Q"};
         e.names[0].full = "Q";
       },
       {"name", "programs"}},
  };
  for (const Case& c : cases) {
    Entity changed = base;
    c.mutate(changed);
    EXPECT_EQ(ChangedFields(base, changed), c.fields) << c.what;
  }
}

}  // namespace
}  // namespace dualuse::lists
