#include "screening/index.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dualuse/lists/list.h"
#include "dualuse/screening/csv.h"
#include "screening/normalize.h"
#include "screening/terms.h"

namespace dualuse::screening {
namespace {

void ExpectSameDeletions(const std::string& s) {
  std::vector<uint64_t> fast, ref;
  DeletionHashes(s, &fast);
  DeletionHashesReference(s, &ref);
  EXPECT_EQ(fast, ref) << s;
}

TEST(IndexTest, DeletionHashesEdgeCases) {
  for (const char* s : {"", "a", "aa", "aaa", "ab", "abba", "mississippi", "xijinping"})
    ExpectSameDeletions(s);
  std::vector<uint64_t> h;
  DeletionHashes("abba", &h);
  // "bba", "aba" (one for the run "bb"), "abb".
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0], HashBytes("bba"));
  EXPECT_EQ(h[1], HashBytes("aba"));
  EXPECT_EQ(h[2], HashBytes("abb"));
}

// Every word of every name of the UN list and the OFAC CSV trio.
TEST(IndexTest, DeletionHashesEqualReferenceOnListWords) {
  const std::string dir = std::string(DUALUSE_LISTS_DIR) + "/";
  size_t n = 0;
  for (const char* list :
       {"un_sc/un_consolidated_2026-02-27.xml", "ofac_sdn/legacy_csv_2022-01-31"}) {
    auto v = lists::LoadList(dir + list);
    ASSERT_TRUE(v.ok()) << v.error().message();
    for (const lists::Entity& e : v->entities) {
      for (const lists::EntityName& nm : e.names) {
        for (const RawToken& t : Tokenize(Latinize(nm.full))) {
          ExpectSameDeletions(t.text);
          ++n;
        }
      }
    }
  }
  EXPECT_GT(n, 50000u);
}

// The cached candidate path against the reference (every token's hits
// computed afresh), on the UN and OFAC lists and real query names: the same
// candidates in the same order, on the first sight of a token and from the
// cache.
TEST(IndexTest, CachedCandidatesEqualReference) {
  auto terms = DefaultNameTerms();
  ASSERT_TRUE(terms.ok());
  const std::string lists_dir = std::string(DUALUSE_LISTS_DIR) + "/";
  // The evaluation sets are not carried in the repository: read from
  // ../shared/data/eval; the test fails when they are absent.
  const std::string shared = std::string(DUALUSE_SHARED_DIR) + "/data/";
  NameIndex index;
  uint32_t id = 0;
  for (const char* list :
       {"un_sc/un_consolidated_2026-02-27.xml", "ofac_sdn/legacy_csv_2022-01-31"}) {
    auto v = lists::LoadList(lists_dir + list);
    ASSERT_TRUE(v.ok()) << v.error().message();
    for (const lists::Entity& e : v->entities) {
      for (const lists::EntityName& nm : e.names) {
        AnalyzedName an = AnalyzeName(nm.full, ClassOf(e.schema), **terms);
        if (an.tokens.empty()) continue;
        index.Add(id++, an);
      }
    }
  }
  index.Finish();
  std::vector<std::string> queries;
  for (const char* file : {"eval/yente_candidate_generation/positives_un_untreated.csv",
                           "eval/yente_candidate_generation/negatives_us.csv"}) {
    std::ifstream in(shared + file, std::ios::binary);
    ASSERT_TRUE(in) << file;
    std::ostringstream ss;
    ss << in.rdbuf();
    auto rows = ParseCsv(ss.str());
    ASSERT_TRUE(rows.ok());
    for (size_t r = 1; r < rows->size() && r <= 3000; ++r)
      queries.push_back((*rows)[r][0]);
  }
  size_t nonempty = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::string& q : queries) {
      for (NameClass cls : {NameClass::kPerson, NameClass::kOrg}) {
        const AnalyzedName an = AnalyzeName(q, cls, **terms);
        const std::vector<uint32_t> fast = index.Candidates(an, 32, true);
        const std::vector<uint32_t> ref = index.Candidates(an, 32, false);
        ASSERT_EQ(fast, ref) << q;
        nonempty += !fast.empty();
      }
    }
  }
  EXPECT_GT(nonempty, 5000u);
}

}  // namespace
}  // namespace dualuse::screening
