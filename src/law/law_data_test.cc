// Tests of loading and checking data/law/ (the real bundled files, and copies
// of them broken on purpose).
#include "dualuse/law/law_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

namespace dualuse::law {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

const std::string kLawDir = std::string(DUALUSE_SOURCE_DIR) + "/data/law";

Date D(const char* s) { return *Date::Parse(s); }

std::shared_ptr<const LawData> Bundled() {
  static auto law = [] {
    auto r = LawData::Load(kLawDir);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : nullptr;
  }();
  return law;
}

TEST(LawDataTest, LoadsTheBundledData) {
  auto law = Bundled();
  ASSERT_TRUE(law);
  EXPECT_EQ(law->regimes().size(), 2u);
  EXPECT_GT(law->countries().size(), 240u);
  EXPECT_GT(law->fact_counts().total(), 100);
  EXPECT_NE(law->version().find("+sha256:"), std::string::npos);
}

TEST(LawDataTest, RegimeBoundary) {
  auto law = Bundled();
  ASSERT_TRUE(law);
  struct Case {
    const char* date;
    const char* regime;
  } cases[] = {{"2019-07-18", "eu-428-2009"},
               {"2021-09-08", "eu-428-2009"},
               {"2021-09-09", "eu-2021-821"},
               {"2026-11-28", "eu-2021-821"}};
  for (const Case& c : cases) {
    const Regime* r = law->RegimeOn(D(c.date));
    ASSERT_TRUE(r) << c.date;
    EXPECT_EQ(r->id, c.regime) << c.date;
  }
  EXPECT_EQ(law->RegimeOn(D("2000-01-01")), nullptr);
}

TEST(LawDataTest, ProvisionNumberingPerRegime) {
  auto law = Bundled();
  ASSERT_TRUE(law);
  const Regime* old = law->FindRegime("eu-428-2009");
  const Regime* now = law->FindRegime("eu-2021-821");
  ASSERT_TRUE(old && now);
  struct Case {
    const char* key;
    const char* old_article;  // nullptr: no such rule under 428/2009
    const char* new_article;
  } cases[] = {
      {"listed_export", "3(1)", "3(1)"},
      {"catch_all_wmd", "4(1)", "4(1)(a)"},
      {"catch_all_military_embargo", "4(2)", "4(1)(b)"},
      {"catch_all_aware", "4(4)", "4(2)"},
      {"cyber_catch_all_aware", nullptr, "5(2)"},
      {"national_measures", "8(1)", "9(1)"},
      {"intra_eu_transfer", "22(1)", "11(1)"},
      {"technical_assistance_informed", nullptr, "8(1)"},
  };
  for (const Case& c : cases) {
    const Provision* p = old->Find(c.key);
    if (c.old_article) {
      ASSERT_TRUE(p) << c.key;
      EXPECT_EQ(p->article, c.old_article) << c.key;
    } else {
      EXPECT_EQ(p, nullptr) << c.key;
    }
    ASSERT_TRUE(now->Find(c.key)) << c.key;
    EXPECT_EQ(now->Find(c.key)->article, c.new_article) << c.key;
  }
  EXPECT_EQ(old->record_keeping_years, 3);
  EXPECT_EQ(now->record_keeping_years, 5);
}

TEST(LawDataTest, MemberStatesWithDates) {
  auto law = Bundled();
  ASSERT_TRUE(law);
  EXPECT_TRUE(law->IsMemberState("GB", D("2020-12-31")));
  EXPECT_FALSE(law->IsMemberState("GB", D("2021-01-01")));
  EXPECT_FALSE(law->IsMemberState("HR", D("2013-06-30")));
  EXPECT_TRUE(law->IsMemberState("HR", D("2013-07-01")));
  EXPECT_TRUE(law->IsMemberState("NL", D("2026-11-28")));
  EXPECT_FALSE(law->IsMemberState("CH", D("2026-11-28")));
}

TEST(LawDataTest, ChinaDeclarationIsPoliticallyBinding) {
  auto law = Bundled();
  ASSERT_TRUE(law);
  bool found = false;
  for (const ArmsEmbargo& a : law->arms_embargoes()) {
    if (a.country != "CN") continue;
    found = true;
    EXPECT_EQ(a.kind, "politically_binding");
    EXPECT_FALSE(a.counts_for_art_4_1_b);
  }
  EXPECT_TRUE(found);
}

TEST(LawDataTest, GeneralAuthorisationsPerRegime) {
  auto law = Bundled();
  ASSERT_TRUE(law);
  auto has = [&](const char* id, const char* regime, const char* dest, const char* date) {
    for (const GeneralAuthorisation& g : law->general_authorisations()) {
      if (g.id != id || g.regime != regime || !g.period.Contains(D(date))) continue;
      for (const DatedCountry& d : g.destinations) {
        if (d.country == dest && d.period.Contains(D(date))) return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(has("EU001", "eu-2021-821", "IS", "2021-09-09"));
  EXPECT_FALSE(has("EU001", "eu-428-2009", "IS", "2021-09-08"));
  EXPECT_FALSE(has("EU001", "eu-428-2009", "GB", "2020-12-31"));
  EXPECT_TRUE(has("EU001", "eu-428-2009", "GB", "2021-01-01"));
  int old_count = 0, new_count = 0;
  for (const GeneralAuthorisation& g : law->general_authorisations()) {
    (g.regime == "eu-428-2009" ? old_count : new_count)++;
  }
  EXPECT_EQ(old_count, 6);  // EU001-EU006
  EXPECT_EQ(new_count, 8);  // EU001-EU008
}

TEST(LawDataTest, Helpers) {
  EXPECT_TRUE(CodeWithin("5A001.j", "5A001.j"));
  EXPECT_TRUE(CodeWithin("5A001.j.1.a", "5A001.j"));
  EXPECT_FALSE(CodeWithin("5A001.jj", "5A001.j"));
  EXPECT_FALSE(CodeWithin("5A001", "5A001.j"));
  EXPECT_EQ(ArticleSlug("4(1)(b)"), "4-1-b");
  EXPECT_EQ(ArticleSlug("3(1)"), "3-1");
  EXPECT_EQ(ArticleSlug("1e"), "1e");
}

// Copies the bundled data to a temporary directory, lets `edit` change one
// file, and loads it.
Status LoadEdited(const std::string& file, const std::function<void(ordered_json&)>& edit) {
  fs::path dir =
      fs::temp_directory_path() /
      ("dualuse-law-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir / "member-states");
  for (const auto& e : fs::recursive_directory_iterator(kLawDir)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    fs::path rel = fs::relative(e.path(), kLawDir);
    std::string top = rel.begin()->string();
    if (top == "annex-i" || top == "authority") continue;
    fs::create_directories((dir / rel).parent_path());
    fs::copy_file(e.path(), dir / rel, fs::copy_options::overwrite_existing);
  }
  std::ifstream in(dir / file);
  ordered_json j = ordered_json::parse(in);
  in.close();
  edit(j);
  std::ofstream(dir / file) << j.dump(1);
  auto r = LawData::Load(dir.string());
  fs::remove_all(dir);
  return r.status();
}

struct BrokenCase {
  const char* name;
  const char* file;
  std::function<void(ordered_json&)> edit;
  const char* expect;  // substring of the error
};

TEST(LawDataTest, ValidatorRejectsBrokenData) {
  std::vector<BrokenCase> cases = {
      {"missing source", "regimes.json",
       [](ordered_json& j) { j["regimes"][0]["provisions"]["listed_export"].erase("source"); },
       "regimes.json: $.regimes[0].provisions.listed_export.source: missing"},
      {"bad verification", "arms-embargoes.json",
       [](ordered_json& j) { j["embargoes"][0]["verification"] = "X"; },
       "$.embargoes[0].verification: expected \"V\", \"S\" or \"K\""},
      {"unknown country", "arms-embargoes.json",
       [](ordered_json& j) { j["embargoes"][0]["country"] = "XX"; },
       "$.embargoes[0].country: \"XX\" is not an ISO 3166-1 alpha-2 code"},
      {"overlapping regimes", "regimes.json",
       [](ordered_json& j) { j["regimes"][1]["valid_from"] = "2021-09-01"; },
       "period overlaps regime eu-428-2009"},
      {"overlapping member-state periods", "eu-member-states.json",
       [](ordered_json& j) {
         ordered_json extra = j["member_states"][0];
         extra["valid_from"] = "2000-01-01";
         j["member_states"].push_back(extra);
       },
       "period overlaps another record"},
      {"unknown provision key", "regimes.json",
       [](ordered_json& j) {
         j["regimes"][0]["provisions"]["art_99"] = j["regimes"][0]["provisions"]["listed_export"];
       },
       "$.regimes[0].provisions.art_99: unknown provision key"},
      {"uses without its source", "regimes.json",
       [](ordered_json& j) {
         j["regimes"][1]["provisions"]["cyber_catch_all_informed"].erase("uses_source");
       },
       "$.regimes[1].provisions.cyber_catch_all_informed.uses_source: missing"},
      {"uses not a string", "regimes.json",
       [](ordered_json& j) {
         j["regimes"][1]["provisions"]["cyber_catch_all_informed"]["uses"] = 5;
       },
       "$.regimes[1].provisions.cyber_catch_all_informed.uses: expected"},
      {"bad code", "annex-iv.json",
       [](ordered_json& j) { j["versions"][0]["entries"][0]["code"] = "5A01.j"; },
       "\"5A01.j\" is not an Annex I code"},
      {"unknown condition", "general-authorisations.json",
       [](ordered_json& j) { j["authorisations"][0]["conditions"][0]["id"] = "whatever"; },
       "unknown condition id"},
      {"bad date", "restrictive-measures.json",
       [](ordered_json& j) { j["measures"][0]["valid_from"] = "2022-02-30"; },
       "$.measures[0].valid_from: expected a date YYYY-MM-DD"},
      {"empty period", "restrictive-measures.json",
       [](ordered_json& j) { j["measures"][0]["valid_until"] = j["measures"][0]["valid_from"]; },
       "expected a date after valid_from"},
      {"Section I repeats an Annex IV entry", "general-authorisations.json",
       [](ordered_json& j) { j["annex_ii_section_i"][0]["entries"].push_back("7A117"); },
       "lists 7A117, which annex-iv.json (eu-2021-821) already covers as 7A117"},
      {"Section I narrows a full Annex IV entry", "general-authorisations.json",
       [](ordered_json& j) { j["annex_ii_section_i"][0]["entries"].push_back("9A004.a"); },
       "already covers as 9A004"},
      {"Section I and Annex IV disagree on partial", "general-authorisations.json",
       [](ordered_json& j) { j["annex_ii_section_i"][0]["entries"].push_back("5E002.a"); },
       "lists 5E002.a, which annex-iv.json (eu-2021-821) already covers as 5E002.a (partial)"},
      {"measure at K without unsettled", "restrictive-measures.json",
       [](ordered_json& j) {
         j["measures"][0]["verification"] = "K";
         j["measures"][0].erase("unsettled");
       },
       "$.measures[0].unsettled: missing: a measure at level K must say what is not settled"},
      {"own annex without unsettled", "restrictive-measures.json",
       [](ordered_json& j) {
         for (auto& m : j["measures"]) {
           if (m["scope"] == "own_annex") m.erase("unsettled");
         }
       },
       "required for own_annex"},
      {"uncertain entries without reason", "restrictive-measures.json",
       [](ordered_json& j) {
         for (auto& m : j["measures"]) {
           if (m.contains("uncertain_entries")) m.erase("uncertain_reason");
         }
       },
       "uncertain_reason: missing"},
      {"overlapping territory records", "customs-territory.json",
       [](ordered_json& j) {
         ordered_json extra = j["territories"][0];
         extra["inside"] = false;
         j["territories"].push_back(extra);
       },
       "period overlaps another record for MC"},
      {"bad Annex I date kind", "annex-i-dates.json",
       [](ordered_json& j) { j["entries"][0]["before"] = "maybe"; },
       "expected not_listed or unknown"},
      {"authorities out of order", "member-states/nl.json",
       [](ordered_json& j) {
         std::swap(j["competent_authorities"][0], j["competent_authorities"][1]);
       },
       "expected the authorities in date order"},
      {"unknown embargo override", "member-states/nl.json",
       [](ordered_json& j) { j["arms_embargo_overrides"][0]["embargo"] = "nowhere"; },
       "unknown embargo"},
  };
  for (const BrokenCase& c : cases) {
    Status s = LoadEdited(c.file, c.edit);
    EXPECT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << c.name;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << c.name << ": " << s.message();
  }
}

TEST(LawDataTest, CustomsTerritoryOfTheUnion) {
  auto law = LawData::Load();
  ASSERT_TRUE(law.ok()) << law.status().ToString();
  const LawData& d = **law;
  Date day{2023, 5, 1};
  EXPECT_TRUE(d.InCustomsTerritory("MC", day));   // Art 4(2)(a)
  EXPECT_TRUE(d.InCustomsTerritory("AX", day));   // Finland incl. Aland
  EXPECT_TRUE(d.InCustomsTerritory("RE", day));   // outermost region
  EXPECT_FALSE(d.InCustomsTerritory("GL", day));  // Denmark except Greenland
  EXPECT_FALSE(d.InCustomsTerritory("FO", day));
  EXPECT_FALSE(d.InCustomsTerritory("NC", day));  // overseas country and territory
  EXPECT_TRUE(d.InCustomsTerritory("DE", day));
  EXPECT_FALSE(d.InCustomsTerritory("CH", day));
  EXPECT_FALSE(d.InCustomsTerritory("YT", Date{2013, 12, 31}));  // Mayotte before 2014
  EXPECT_TRUE(d.InCustomsTerritory("YT", Date{2014, 1, 1}));
  EXPECT_TRUE(d.InCustomsTerritory("JE", Date{2020, 12, 31}));
  EXPECT_FALSE(d.InCustomsTerritory("JE", Date{2021, 1, 1}));
  EXPECT_FALSE(d.IsMemberState("MC", day));  // inside, but not a Member State
}

TEST(LawDataTest, AuthorityTitleByDate) {
  auto law = LawData::Load();
  ASSERT_TRUE(law.ok()) << law.status().ToString();
  const MemberStateLayer* nl = (*law)->FindLayer("NL");
  ASSERT_NE(nl, nullptr);
  struct Row {
    Date day;
    const char* title;
  };
  for (const Row& r : {Row{{2019, 7, 18}, "Buitenlandse Handel en Ontwikkelingssamenwerking"},
                       Row{{2024, 7, 1}, "Buitenlandse Handel en Ontwikkelingssamenwerking"},
                       Row{{2024, 7, 2}, "Buitenlandse Handel en Ontwikkelingshulp"},
                       Row{{2026, 2, 23}, "Buitenlandse Handel en Ontwikkelingssamenwerking"},
                       Row{{2011, 1, 1}, "Economische Zaken"}}) {
    const DatedAuthority* a = nl->AuthorityOn(r.day);
    ASSERT_NE(a, nullptr) << r.day.ToString();
    EXPECT_NE(a->name.find(r.title), std::string::npos) << r.day.ToString() << ": " << a->name;
  }
}

TEST(LawDataTest, AnnexIEntryDates) {
  auto law = LawData::Load();
  ASSERT_TRUE(law.ok()) << law.status().ToString();
  const AnnexIEntryDate* j = (*law)->FindAnnexIDate("5A001.j.2");
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->code, "5A001.j");
  EXPECT_EQ(j->valid_from.ToString(), "2014-12-31");
  EXPECT_EQ(j->before, "not_listed");
  const AnnexIEntryDate* b = (*law)->FindAnnexIDate("5A004.b.1");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->code, "5A004.b");  // the nearest recorded ancestor, not 5A004
  EXPECT_EQ((*law)->FindAnnexIDate("1A001"), nullptr);
}

TEST(LawDataTest, MeasureCitationNamesParagraphAndPoint) {
  auto law = LawData::Load();
  ASSERT_TRUE(law.ok()) << law.status().ToString();
  bool found = false;
  for (const RestrictiveMeasure& m : (*law)->restrictive_measures()) {
    if (m.id != "ru-833-2014-art-2-2-a") continue;
    found = true;
    EXPECT_EQ(m.Citation(), "Council Regulation (EU) No 833/2014, Article 2(2)(a)");
  }
  EXPECT_TRUE(found);
}

TEST(LawDataTest, MissingDirectoryIsDataLoss) {
  auto r = LawData::Load("/nonexistent/law");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kDataLoss);
}

// The bundled files read into memory, keyed as law.json lists them.
std::map<std::string, std::string> BundledTexts() {
  std::map<std::string, std::string> texts;
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  texts["law.json"] = read(kLawDir + "/law.json");
  const nlohmann::json manifest = nlohmann::json::parse(texts["law.json"]);
  for (const auto& f : manifest["files"]) {
    texts[f.get<std::string>()] = read(kLawDir + "/" + f.get<std::string>());
  }
  return texts;
}

TEST(LawDataTest, LoadFromTextsMatchesLoadFromTheDirectory) {
  auto law = Bundled();
  ASSERT_TRUE(law);
  auto r = LawData::LoadFromTexts(BundledTexts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->version(), law->version());
  EXPECT_EQ((*r)->fact_counts().total(), law->fact_counts().total());
  EXPECT_EQ((*r)->general_authorisations().size(), law->general_authorisations().size());
  EXPECT_EQ((*r)->dir(), "");
}

TEST(LawDataTest, LoadFromTextsNamesTheMissingOrBrokenFile) {
  struct Case {
    const char* file;
    const char* text;  // nullptr: left out
    const char* expect;
  } cases[] = {
      {"regimes.json", nullptr, "regimes.json: not among the texts given"},
      {"law.json", nullptr, "law.json: not among the texts given"},
      {"annex-iv.json", "{", "annex-iv.json: $: not valid JSON"},
      {"annex-i-dates.json", "[]", "annex-i-dates.json: $"},
  };
  for (const Case& c : cases) {
    auto texts = BundledTexts();
    if (c.text) {
      texts[c.file] = c.text;
    } else {
      texts.erase(c.file);
    }
    auto r = LawData::LoadFromTexts(texts);
    ASSERT_FALSE(r.ok()) << c.file;
    EXPECT_EQ(r.error().code(), StatusCode::kDataLoss) << c.file;
    EXPECT_EQ(r.error().message().rfind(c.expect, 0), 0u) << r.error().message();
  }
}

}  // namespace
}  // namespace dualuse::law
