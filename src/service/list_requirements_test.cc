// Which lists an answer must have been screened against: table-driven over
// the lists used, their age and whether the requirement is enforced; and the
// data directory's declaration.
#include "dualuse/service/list_requirements.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace dualuse::service {
namespace {

TEST(ListRequirementsTest, MissingOrStaleRequiredListsRequireReview) {
  const Date today = *Date::Parse("2026-11-28");
  struct Case {
    const char* name;
    std::map<std::string, std::string> versions;
    bool enforced;
    size_t reasons;  // review reasons added
    const char* caveat_has;
  } cases[] = {
      {"both fresh",
       {{"eu_fsf", "2026-11-27"}, {"un_sc", "2026-11-25"}},
       true,
       0,
       "un_sc 2026-11-25 (3 days old)"},
      {"un missing", {{"eu_fsf", "2026-11-27"}}, true, 1, "eu_fsf 2026-11-27 (1 day old)"},
      {"none screened", {}, true, 2, ""},
      {"un stale",
       {{"eu_fsf", "2026-11-27"}, {"un_sc", "2026-02-27"}},
       true,
       1,
       "un_sc 2026-02-27 (274 days old)"},
      {"undated", {{"eu_fsf", "2026-11-27"}, {"un_sc", "current"}}, true, 1, "(undated)"},
      {"explicit files: named, not enforced",
       {{"un_sc", "2026-02-27"}},
       false,
       0,
       "un_sc 2026-02-27 (274 days old)"},
      {"other lists do not stand in", {{"ofac_sdn", "2026-11-27"}}, true, 2, "ofac_sdn"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ListRequirements r;
    r.required = {"eu_fsf", "un_sc"};
    r.enforced = c.enforced;
    rules::Determination d;
    ApplyListRequirements(r, c.versions, today, &d);
    EXPECT_EQ(d.review_reasons.size(), c.reasons);
    EXPECT_EQ(d.review_required, c.reasons > 0);
    if (c.versions.empty()) {
      EXPECT_TRUE(d.caveats.empty());
    } else {
      ASSERT_EQ(d.caveats.size(), 1u);
      EXPECT_NE(d.caveats[0].find(c.caveat_has), std::string::npos) << d.caveats[0];
    }
  }
}

TEST(ListRequirementsTest, DataDirectoryDeclaresOrDefaults) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("du_req_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // No lists imported, nothing declared: the engine's "not screened" case.
  auto r = LoadListRequirements(dir.string(), false);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->enforced);
  EXPECT_EQ(r->required, (std::vector<std::string>{"eu_fsf", "un_sc"}));
  std::ofstream(dir / "required-lists.json") << R"({"required": ["un_sc"]})";
  r = LoadListRequirements(dir.string(), false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->enforced);
  EXPECT_EQ(r->required, (std::vector<std::string>{"un_sc"}));
  // Explicit --list files relax it.
  r = LoadListRequirements(dir.string(), true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->enforced);
  std::ofstream(dir / "required-lists.json") << R"({"required": ["un_sc", 7]})";
  r = LoadListRequirements(dir.string(), false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("required-lists.json: $.required[1]"), std::string::npos)
      << r.error().message();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dualuse::service
