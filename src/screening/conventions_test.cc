#include "screening/conventions.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dualuse/lists/list.h"
#include "dualuse/screening/engine.h"
#include "screening/terms.h"

namespace dualuse::screening {
namespace {

const NameTerms& Terms() {
  auto t = DefaultNameTerms();
  EXPECT_TRUE(t.ok()) << t.error().message();
  return **t;
}

struct PartsCase {
  const char* name;
  std::vector<std::string> parts;
};

TEST(ConventionsTest, PublisherNamePartsTable) {
  const PartsCase cases[] = {
      {"Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof",
       {"Sinobright Import and Export Company"}},
      {"ZIBO CHEMET EQUIPMENT CO., LTD. AND ANY SUCCESSOR, SUB-UNIT, OR SUBSIDIARY THEREOF",
       {"ZIBO CHEMET EQUIPMENT CO., LTD."}},
      {"Chitron Electronics (a.k.a. Chi-Chung Electronics Company Ltd.)",
       {"Chitron Electronics", "Chi-Chung Electronics Company Ltd."}},
      {"Bank Y (f.k.a., Bank X)", {"Bank Y", "Bank X"}},
      {"A a.k.a. B; a.k.a. C", {"A", "B", "C"}},
      {"Delta Shipping ALSO KNOWN AS DELTA LOGISTICS, B.V.",
       {"Delta Shipping", "DELTA LOGISTICS, B.V."}},
      // Not a marker inside a word; not boilerplate at the start.
      {"Akai Trading Company (Shenzhen)", {"Akai Trading Company (Shenzhen)"}},
      {"And Any Successor", {"And Any Successor"}},
      {"  Plain Name  ", {"Plain Name"}},
      {"Юрий Гагарин", {"Юрий Гагарин"}},
      {"a.k.a.", {"a.k.a."}},  // nothing left: the name stays whole
  };
  for (const PartsCase& c : cases)
    EXPECT_EQ(PublisherNameParts(c.name, Terms()), c.parts) << c.name;
}

TEST(ConventionsTest, PartsAreBounded) {
  std::string name = "X";
  for (int i = 0; i < 100; ++i)
    name += " a.k.a. N" + std::to_string(i);
  EXPECT_LE(PublisherNameParts(name, Terms()).size(), kMaxNameParts);
  // Long punctuation runs are trimmed in one pass (no quadratic rescans).
  const std::string parens = "(X" + std::string(1 << 20, ')');
  EXPECT_EQ(PublisherNameParts(parens, Terms()), std::vector<std::string>{"X"});
  EXPECT_EQ(PublisherNameParts("X" + std::string(1 << 20, ';'), Terms()),
            std::vector<std::string>{"X"});
}

// The CSL's own rows: each entity with the successor clause in its name is
// found by that name without the clause, as a hit of the right entity.
TEST(ConventionsTest, CslSuccessorClauseNamesMatchTheirEntity) {
  const std::string path = std::string(DUALUSE_LISTS_DIR) + "/us_csl/consolidated_2026-07-31.csv";
  auto list = lists::LoadList(path);
  ASSERT_TRUE(list.ok()) << list.error().message();
  std::vector<std::pair<std::string, std::string>> probes;  // id, name without the clause
  for (const lists::Entity& e : list->entities) {
    for (const lists::EntityName& n : e.names) {
      std::string lower = n.full;
      for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const size_t p = lower.find("and any successor");
      if (p == std::string::npos) continue;
      std::string name = n.full.substr(0, p);
      while (!name.empty() && (name.back() == ' ' || name.back() == ';' || name.back() == ','))
        name.pop_back();
      probes.push_back({e.id, name});
    }
  }
  ASSERT_GE(probes.size(), 10u);  // 12 names in the 2026-07-31 file
  std::vector<lists::ListVersion> in;
  in.push_back(std::move(list).value());
  auto screener = ListScreener::Build(std::move(in), EngineOptions{});
  ASSERT_TRUE(screener.ok()) << screener.error().message();
  bool sinobright = false;
  for (const auto& [id, name] : probes) {
    PartyQuery q;
    q.name = name;
    ScreeningResult r = (*screener)->Screen(q);
    // The CSL lists some parties under several agencies' programmes: the
    // entity is one of the matches scoring 1.0.
    bool found = false;
    for (const ScreeningHit& h : r.matches)
      found |= h.entity_id == id && h.score == 1.0;
    EXPECT_TRUE(found) << name;
    sinobright |= name == "Sinobright Import and Export Company";
  }
  EXPECT_TRUE(sinobright);
  EXPECT_DOUBLE_EQ(
      CompareNames(lists::Schema::kCompany, "Sinobright Import and Export Company",
                   "Sinobright Import and Export Company; and any successor, sub-unit, or "
                   "subsidiary thereof"),
      1.0);
}

// The CSL's names with inline a.k.a./f.k.a. fragments: each fragment alone
// finds its entity as a hit (before, the fragment was one more part of a
// long name).
TEST(ConventionsTest, CslAliasFragmentsFindTheirEntity) {
  const std::string path = std::string(DUALUSE_LISTS_DIR) + "/us_csl/consolidated_2026-07-31.csv";
  auto list = lists::LoadList(path);
  ASSERT_TRUE(list.ok()) << list.error().message();
  std::vector<std::pair<std::string, std::string>> probes;  // id, fragment
  for (const lists::Entity& e : list->entities) {
    for (const lists::EntityName& n : e.names) {
      const std::vector<std::string> parts = PublisherNameParts(n.full, Terms());
      if (parts.size() < 2) continue;
      for (size_t k = 1; k < parts.size(); ++k)
        if (parts[k].size() >= 8) probes.push_back({e.id, parts[k]});
    }
  }
  ASSERT_GE(probes.size(), 10u);  // fragments of the 2026-07-31 file
  std::vector<lists::ListVersion> in;
  in.push_back(std::move(list).value());
  auto screener = ListScreener::Build(std::move(in), EngineOptions{});
  ASSERT_TRUE(screener.ok()) << screener.error().message();
  size_t found = 0;
  for (const auto& [id, fragment] : probes) {
    PartyQuery q;
    q.name = fragment;
    for (const ScreeningHit& h : (*screener)->Screen(q).matches) {
      if (h.entity_id == id && h.match) {
        ++found;
        break;
      }
    }
  }
  // Every fragment that is a name on its own; a few are not ("Compatriots
  // ..." cut mid-phrase by the publisher's own punctuation).
  EXPECT_GE(found * 10, probes.size() * 9) << found << " of " << probes.size();
}

}  // namespace
}  // namespace dualuse::screening
