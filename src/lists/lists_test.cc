// Importers on the real list files (counts from SOURCES.md, cross-checked
// with an independent Python parse) and on malformed input. The UN, OFAC and
// CSL files are the repository's bundled copies (data/lists/bundled/,
// decompressed into the build directory); the OpenSanctions and EU OJ
// transcriptions (CC BY-NC 4.0, not redistributable) are read from
// ../shared/data/lists, and their tests fail when it is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "dualuse/lists/catalogue.h"
#include "dualuse/lists/list.h"

namespace dualuse::lists {
namespace {

const std::string kLists = std::string(DUALUSE_LISTS_DIR) + "/";
const std::string kSharedLists = std::string(DUALUSE_SHARED_DIR) + "/data/lists/";
const std::string kFixtures = std::string(DUALUSE_SOURCE_DIR) + "/tests/data/lists/";

struct Counts {
  std::map<Schema, int> schema;
  int primary = 0, strong = 0, weak = 0, original_script = 0;
};

Counts Count(const ListVersion& v) {
  Counts c;
  for (const Entity& e : v.entities) {
    c.schema[e.schema]++;
    for (const EntityName& n : e.names) {
      if (n.strength == NameStrength::kPrimary) c.primary++;
      if (n.strength == NameStrength::kStrong) c.strong++;
      if (n.strength == NameStrength::kWeak) c.weak++;
      if (n.original_script) c.original_script++;
    }
  }
  return c;
}

const Entity* FindByName(const ListVersion& v, const std::string& name) {
  for (const Entity& e : v.entities) {
    for (const EntityName& n : e.names) {
      if (n.full == name) return &e;
    }
  }
  return nullptr;
}

const Entity* FindById(const ListVersion& v, const std::string& id) {
  for (const Entity& e : v.entities) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(LoadList, UnConsolidatedThreeVersions) {
  struct Case {
    const char* file;
    const char* date;
    int individuals, entities;
  } cases[] = {
      {"un_sc/un_consolidated_2026-02-27.xml", "2026-02-27", 730, 273},
      {"un_sc/un_consolidated_2025-11-20.xml", "2025-11-20", 727, 273},
      {"un_sc/un_consolidated_2025-04-19.xml", "2025-04-19", 684, 193},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    auto v = LoadList(kLists + c.file);
    ASSERT_TRUE(v.ok()) << v.error().ToString();
    EXPECT_EQ(v->list_id, "un_sc");
    EXPECT_EQ(v->format, ListFormat::kUnScXml);
    EXPECT_EQ(v->date, c.date);
    EXPECT_EQ(v->date_source, "content");
    EXPECT_EQ(v->sha256.size(), 64u);
    Counts n = Count(*v);
    EXPECT_EQ(n.schema[Schema::kPerson], c.individuals);
    EXPECT_EQ(n.schema[Schema::kOrganization], c.entities);
    EXPECT_EQ(n.primary, c.individuals + c.entities);
    for (const Entity& e : v->entities) {
      EXPECT_EQ(e.effect, ListEffect::kAssetFreeze);
      EXPECT_EQ(e.jurisdiction, "UN");
      for (const std::string& country : e.countries)
        EXPECT_EQ(country.size(), 2u) << e.id;
    }
  }
}

// The concurrent loader against the sequential one (its reference) on the
// three lists the screening benchmark loads: same versions, same entities,
// same order.
TEST(LoadLists, ConcurrentEqualsSequential) {
  const std::vector<std::string> paths = {kLists + "un_sc/un_consolidated_2026-02-27.xml",
                                          kLists + "ofac_sdn/legacy_csv_2022-01-31",
                                          kLists + "us_csl/consolidated_2026-07-31.csv"};
  std::vector<ListVersion> sequential;
  for (const std::string& p : paths) {
    auto one = LoadList(p);
    ASSERT_TRUE(one.ok()) << one.error().message();
    sequential.push_back(std::move(one).value());
  }
  for (unsigned threads : {0u, 3u}) {
    auto all = LoadLists(paths, threads);
    ASSERT_TRUE(all.ok()) << all.error().message();
    ASSERT_EQ(all->size(), paths.size());
    for (size_t i = 0; i < paths.size(); ++i) {
      const ListVersion &a = (*all)[i], &b = sequential[i];
      EXPECT_EQ(a.list_id, b.list_id);
      EXPECT_EQ(a.date, b.date);
      EXPECT_EQ(a.sha256, b.sha256);
      ASSERT_EQ(a.entities.size(), b.entities.size()) << paths[i];
      for (size_t k = 0; k < a.entities.size(); ++k) {
        const Entity &x = a.entities[k], &y = b.entities[k];
        ASSERT_EQ(x.id, y.id);
        ASSERT_EQ(x.names.size(), y.names.size()) << x.id;
        for (size_t n = 0; n < x.names.size(); ++n)
          ASSERT_EQ(x.names[n].full, y.names[n].full) << x.id;
        ASSERT_EQ(x.birth_dates, y.birth_dates) << x.id;
        ASSERT_EQ(x.countries, y.countries) << x.id;
      }
    }
  }
}

// A failing path among good ones: the error of the first failing path.
TEST(LoadLists, FirstErrorInPathOrder) {
  auto r = LoadLists({kLists + "un_sc/un_consolidated_2026-02-27.xml", kLists + "no/such-a.xml",
                      kLists + "no/such-b.xml"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("such-a.xml"), std::string::npos) << r.error().message();
}

TEST(LoadList, UnAliasStrengthAndDetails) {
  auto v = LoadList(kLists + "un_sc/un_consolidated_2026-02-27.xml");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  Counts n = Count(*v);
  // Distinct non-primary names per entity (Python cross-check): QUALITY Low
  // -> weak (615, as SOURCES.md counts), the rest and NAME_ORIGINAL_SCRIPT strong.
  EXPECT_EQ(n.weak, 615);
  EXPECT_EQ(n.strong, 2503);
  EXPECT_GT(n.original_script, 300);
  const Entity* kmdtc = FindByName(*v, "KOREA MINING DEVELOPMENT TRADING CORPORATION");
  ASSERT_NE(kmdtc, nullptr);
  EXPECT_EQ(kmdtc->schema, Schema::kOrganization);
  EXPECT_EQ(kmdtc->programs, std::vector<std::string>{"DPRK"});
  EXPECT_FALSE(kmdtc->listed_on.empty());
  const Entity* badege = FindById(*v, "6907993");
  ASSERT_NE(badege, nullptr);
  EXPECT_EQ(badege->caption, "ERIC BADEGE");
  EXPECT_EQ(badege->birth_dates, std::vector<std::string>{"1971"});
  EXPECT_EQ(badege->countries, (std::vector<std::string>{"CD", "RW"}));
  EXPECT_EQ(badege->listed_on, "2012-12-31");
  EXPECT_EQ(badege->names.front().first_name, "ERIC");
  EXPECT_EQ(badege->names.front().last_name, "BADEGE");
}

TEST(LoadList, OfacConsolidatedXml) {
  auto v = LoadList(kLists + "ofac_consolidated/cons_non-sdn_2025-03-28.xml");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->list_id, "ofac_cons");
  EXPECT_EQ(v->format, ListFormat::kOfacXml);
  EXPECT_EQ(v->date, "2025-03-28");
  EXPECT_EQ(v->date_source, "content");
  ASSERT_EQ(v->entities.size(), 443u);
  Counts n = Count(*v);
  EXPECT_EQ(n.schema[Schema::kPerson], 80);
  EXPECT_EQ(n.schema[Schema::kLegalEntity], 363);
  // 1,136 aka of which 70 weak; one strong aka repeats another name of its entry.
  EXPECT_EQ(n.weak, 70);
  EXPECT_EQ(n.strong, 1065);
  const Entity* haniya = FindById(*v, "9639");
  ASSERT_NE(haniya, nullptr);
  EXPECT_EQ(haniya->caption, "Ismail Abdul Salah HANIYA");
  EXPECT_EQ(haniya->programs, std::vector<std::string>{"NS-PLC"});
  EXPECT_EQ(haniya->birth_dates, std::vector<std::string>{"1962"});
  EXPECT_EQ(haniya->jurisdiction, "US");
}

TEST(LoadList, OfacLegacyCsvTrio) {
  auto v = LoadList(kLists + "ofac_sdn/legacy_csv_2022-01-31");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->list_id, "ofac_sdn");
  EXPECT_EQ(v->format, ListFormat::kOfacLegacyCsv);
  // No date inside the files: taken from the directory name.
  EXPECT_EQ(v->date, "2022-01-31");
  EXPECT_EQ(v->date_source, "filename");
  ASSERT_EQ(v->entities.size(), 9044u);
  Counts n = Count(*v);
  EXPECT_EQ(n.schema[Schema::kPerson], 4643);
  EXPECT_EQ(n.schema[Schema::kVessel], 420);
  EXPECT_EQ(n.schema[Schema::kAircraft], 280);
  EXPECT_EQ(n.strong, 12409);  // every alt.csv row
  EXPECT_GT(n.weak, 2000);     // a.k.a. 'X' in Remarks
  // The publisher's own inconsistencies are repaired and reported.
  ASSERT_EQ(v->warnings.size(), 2u);
  EXPECT_NE(FindById(*v, "2677~2"), nullptr);
  const Entity* bnc = FindById(*v, "306");
  ASSERT_NE(bnc, nullptr);
  EXPECT_EQ(bnc->caption, "BANCO NACIONAL DE CUBA");
  EXPECT_EQ(bnc->effect, ListEffect::kBlocking);
  bool weak_bnc = false, strong_alt = false;
  for (const EntityName& nm : bnc->names) {
    weak_bnc |= nm.full == "BNC" && nm.strength == NameStrength::kWeak;
    strong_alt |= nm.full == "NATIONAL BANK OF CUBA" && nm.strength == NameStrength::kStrong;
  }
  EXPECT_TRUE(weak_bnc);
  EXPECT_TRUE(strong_alt);
  EXPECT_NE(std::find(bnc->countries.begin(), bnc->countries.end(), "CH"), bnc->countries.end());
  const Entity* zawahiri = FindById(*v, "2676");
  ASSERT_NE(zawahiri, nullptr);
  EXPECT_EQ(zawahiri->caption, "Dr. Ayman AL ZAWAHIRI");
  EXPECT_EQ(zawahiri->birth_dates, std::vector<std::string>{"1951-06-19"});
  ASSERT_FALSE(zawahiri->identifiers.empty());
  EXPECT_EQ(zawahiri->identifiers[0].type, "passport");
  EXPECT_EQ(zawahiri->identifiers[0].value, "1084010");
  EXPECT_EQ(zawahiri->identifiers[0].country, "EG");
}

TEST(LoadList, OfacLegacySdnCsvAlone) {
  auto v = LoadList(kLists + "ofac_sdn/sdn_2024-05-03.csv");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->date, "2024-05-03");
  EXPECT_EQ(v->date_source, "filename");
  ASSERT_EQ(v->entities.size(), 14965u);
  Counts n = Count(*v);
  EXPECT_EQ(n.schema[Schema::kPerson], 6854);
  EXPECT_EQ(n.schema[Schema::kVessel], 851);
  EXPECT_EQ(n.schema[Schema::kAircraft], 376);
  EXPECT_EQ(n.schema[Schema::kLegalEntity], 6884);
}

TEST(LoadList, ConsolidatedScreeningList) {
  auto v = LoadList(kLists + "us_csl/consolidated_2026-07-31.csv");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->list_id, "us_csl");
  EXPECT_EQ(v->format, ListFormat::kUsCslCsv);
  EXPECT_EQ(v->date, "2026-07-31");
  // 25,921 rows, 25,746 distinct _ids: a row repeating an earlier record of
  // its _id identically is dropped (121), one with other content (another
  // address) kept as "<_id>~2" (54).
  EXPECT_EQ(v->entities.size(), 25800u);
  EXPECT_TRUE(v->skipped.empty());
  int renamed = 0;
  for (const Entity& e : v->entities)
    renamed += e.id.find('~') != std::string::npos;
  EXPECT_EQ(renamed, 25800 - 25746);
  std::map<ListEffect, int> effects;
  std::map<std::string, int> sources;
  for (const Entity& e : v->entities) {
    effects[e.effect]++;
    sources[e.source.substr(0, e.source.find(" ("))]++;
  }
  EXPECT_EQ(sources["Specially Designated Nationals"], 19181);
  EXPECT_EQ(effects[ListEffect::kBlocking], 19181);
  EXPECT_EQ(sources["Entity List"] + sources["Military End User"] + sources["Unverified List"],
            effects[ListEffect::kLicenceRequirement]);
  EXPECT_GT(sources["Entity List"], 3000);
  EXPECT_GT(effects[ListEffect::kDeniedParty], 1000);
  const Entity* atlas = FindByName(*v, "Atlas Sanatgaran");
  ASSERT_NE(atlas, nullptr);
  EXPECT_EQ(atlas->effect, ListEffect::kLicenceRequirement);  // Unverified List
  EXPECT_EQ(atlas->countries, std::vector<std::string>{"AM"});
}

// OpenSanctions' simple CSV of the Ukrainian GUR "War & Sanctions" dataset
// (counts from SOURCES.md).
TEST(LoadList, OpenSanctionsSimpleCsv) {
  auto v = LoadList(kSharedLists + "opensanctions/ua_war_sanctions.targets.simple.csv");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->list_id, "opensanctions");
  EXPECT_EQ(v->format, ListFormat::kOsSimpleCsv);
  EXPECT_EQ(v->date, "2026-03-11");  // the newest last_change
  EXPECT_EQ(v->date_source, "content");
  EXPECT_EQ(v->entities.size(), 5600u);
  EXPECT_TRUE(v->skipped.empty());
  Counts n = Count(*v);
  EXPECT_EQ(n.schema[Schema::kPerson], 1543);
  EXPECT_EQ(n.schema[Schema::kCompany], 1524);
  EXPECT_EQ(n.schema[Schema::kVessel], 1340);
  EXPECT_EQ(n.schema[Schema::kLegalEntity], 1193);
  const Entity* rosalin = FindByName(*v, "ROSALIN");
  ASSERT_NE(rosalin, nullptr);
  EXPECT_EQ(rosalin->identifiers.size(), 1u);
  EXPECT_EQ(rosalin->identifiers[0].type, "imo");
  EXPECT_EQ(rosalin->identifiers[0].value, "9253325");
  EXPECT_EQ(rosalin->names.size(), 4u);  // ROSALIN; Ceram Sea; Gold Sun; Nurkez
  EXPECT_EQ(rosalin->source, "Ukraine War and Sanctions");
}

// Listing and delisting dates from the publishers' files.
TEST(LoadList, ListingDatesFromRealFiles) {
  struct Case {
    const char* file;
    const char* name;
    const char* listed_on;
    const char* delisted_on;
  } cases[] = {
      {"un_sc/un_consolidated_2026-02-27.xml", "CHANG AN SHIPPING & TECHNOLOGY", "2018-03-30", ""},
      {"shared:eu_oj/32002R0881.csv", "Abu Sayyaf Group", "2001-10-06", ""},  // "6.10.2001"
      {"shared:eu_oj/32010R0356.csv", "Al-Shabaab", "2010-04-12", ""},        // "12 April 2010"
      {"us_csl/csl_sample_13rows_2025-06.csv", "I. ASH", "2002-03-04", "2056-06-29"},
      {"us_csl/csl_sample_13rows_2025-06.csv",
       "Academy of Aerospace Solid Propulsion Technology (AASPT)", "2020-12-23", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.file) + " " + c.name);
    const std::string file = c.file;
    auto v =
        LoadList(file.rfind("shared:", 0) == 0 ? kSharedLists + file.substr(7) : kLists + file);
    ASSERT_TRUE(v.ok()) << v.error().ToString();
    const Entity* e = FindByName(*v, c.name);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->listed_on, c.listed_on);
    EXPECT_EQ(e->delisted_on, c.delisted_on);
    EXPECT_FALSE(ListedOn(*e, "2001-01-01"));
    EXPECT_TRUE(ListedOn(*e, c.listed_on));
  }
}

TEST(LoadList, CslSampleAllColumns) {
  auto v = LoadList(kLists + "us_csl/csl_sample_13rows_2025-06.csv");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  ASSERT_EQ(v->entities.size(), 13u);
  Counts n = Count(*v);
  EXPECT_EQ(n.strong, 15);
  const Entity* rim = FindById(*v, "52291");
  ASSERT_NE(rim, nullptr);
  EXPECT_EQ(rim->schema, Schema::kPerson);
  EXPECT_EQ(rim->birth_dates, std::vector<std::string>{"1978-12-05"});
  ASSERT_FALSE(rim->identifiers.empty());
  EXPECT_EQ(rim->identifiers[0].type, "passport");
  EXPECT_EQ(rim->identifiers[0].value, "836238033");
  EXPECT_EQ(rim->identifiers[0].country, "KP");
  EXPECT_NE(std::find(rim->countries.begin(), rim->countries.end(), "KP"), rim->countries.end());
}

TEST(LoadList, FollowTheMoneyJsonLines) {
  auto v = LoadList(kSharedLists + "opensanctions/yente_fixture_t1.entities.ftm.json");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->format, ListFormat::kFtmJson);
  // 7 lines, one of them an Address helper entity.
  ASSERT_EQ(v->entities.size(), 6u);
  const Entity* k = FindById(*v, "NK-2Ka3UvopqbpZmVDFjWd4LA");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->caption, "Vitaly Yurievich KUZMENKO");
  EXPECT_EQ(k->birth_dates, std::vector<std::string>{"1971-01-22"});
  EXPECT_EQ(k->countries, std::vector<std::string>{"RU"});
  EXPECT_EQ(k->effect, ListEffect::kAssetFreeze);  // dataset eu_fsf
  EXPECT_EQ(k->jurisdiction, "EU");
  bool cyrillic = false;
  for (const EntityName& n : k->names)
    cyrillic |= n.original_script;
  EXPECT_TRUE(cyrillic);
}

TEST(LoadList, EuFsfFixture) {
  auto v = LoadList(kFixtures + "eu_fsf_sample_2018-12-21.xml");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->list_id, "eu_fsf");
  EXPECT_EQ(v->date, "2018-12-21");
  EXPECT_EQ(v->date_source, "content");
  ASSERT_EQ(v->entities.size(), 3u);
  const Entity& m = v->entities[0];
  EXPECT_EQ(m.id, "1");
  EXPECT_EQ(m.schema, Schema::kPerson);
  EXPECT_EQ(m.caption, "Robert Gabriel Mugabe");
  ASSERT_EQ(m.names.size(), 2u);
  EXPECT_EQ(m.names[1].strength, NameStrength::kWeak);
  EXPECT_EQ(m.birth_dates, std::vector<std::string>{"1924-02-21"});
  EXPECT_EQ(m.countries, std::vector<std::string>{"ZW"});
  EXPECT_EQ(m.programs, std::vector<std::string>{"ZWE"});
  EXPECT_EQ(m.effect, ListEffect::kAssetFreeze);
  const Entity& front = v->entities[1];
  EXPECT_EQ(front.schema, Schema::kLegalEntity);
  EXPECT_EQ(front.countries, std::vector<std::string>{"TR"});
  EXPECT_TRUE(front.names[2].original_script);
  EXPECT_EQ(v->entities[2].listed_on, "2002-05-29");
}

TEST(LoadList, EuOjTranscription) {
  auto v = LoadList(kSharedLists + "eu_oj/32016R1686.csv");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->list_id, "eu_oj_32016R1686");
  ASSERT_FALSE(v->entities.empty());
  const Entity* t = FindByName(*v, "Rabah TAHARI");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->birth_dates, std::vector<std::string>{"1971-08-28"});
  EXPECT_EQ(t->effect, ListEffect::kAssetFreeze);
  auto empty = LoadList(kSharedLists + "eu_oj/32004R0314.csv");
  ASSERT_TRUE(empty.ok()) << empty.error().ToString();
  EXPECT_EQ(empty->entities.size(), 0u);
  EXPECT_EQ(empty->list_id, "eu_oj_32004R0314");
}

TEST(LoadList, ParseListMatchesLoadList) {
  const std::string path = kLists + "un_sc/un_consolidated_2025-11-20.xml";
  auto a = LoadList(path);
  auto b = ParseList(ReadAll(path), path);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->sha256, b->sha256);
  EXPECT_EQ(a->date, b->date);
  ASSERT_EQ(a->entities.size(), b->entities.size());
  for (size_t i = 0; i < a->entities.size(); ++i)
    EXPECT_EQ(a->entities[i].id, b->entities[i].id);
}

// The formats whose only real files here are OpenSanctions data (read from
// ../shared), and a list-like CSV of theirs that is no list format.
TEST(DetectFormat, OpenSanctionsFiles) {
  auto ftm = DetectFormat(kSharedLists + "opensanctions/yente_fixture_t1.entities.ftm.json");
  ASSERT_TRUE(ftm.ok()) << ftm.error().ToString();
  EXPECT_EQ(*ftm, ListFormat::kFtmJson);
  auto eu_oj = DetectFormat(kSharedLists + "eu_oj/32016R1686.csv");
  ASSERT_TRUE(eu_oj.ok()) << eu_oj.error().ToString();
  EXPECT_EQ(*eu_oj, ListFormat::kEuOjCsv);
  auto simple = DetectFormat(kSharedLists + "opensanctions/ua_war_sanctions.targets.simple.csv");
  ASSERT_TRUE(simple.ok()) << simple.error().ToString();
  EXPECT_EQ(*simple, ListFormat::kOsSimpleCsv);
  auto unknown = DetectFormat(kSharedLists + "us_csl/bis_mieu.csv");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), StatusCode::kInvalidArgument);
}

TEST(DetectFormat, RepositoryFiles) {
  struct Case {
    std::string path;
    ListFormat format;
  } cases[] = {
      {kLists + "un_sc/un_consolidated_2025-04-19.xml", ListFormat::kUnScXml},
      {kFixtures + "eu_fsf_sample_2018-12-21.xml", ListFormat::kEuFsfXml},
      {kLists + "ofac_consolidated/cons_non-sdn_2025-03-28.xml", ListFormat::kOfacXml},
      {kLists + "ofac_sdn/legacy_csv_2022-01-31", ListFormat::kOfacLegacyCsv},
      {kLists + "ofac_sdn/sdn_2024-05-03.csv", ListFormat::kOfacLegacyCsv},
      {kLists + "us_csl/csl_sample_13rows_2025-06.csv", ListFormat::kUsCslCsv},
  };
  for (const Case& c : cases) {
    auto f = DetectFormat(c.path);
    ASSERT_TRUE(f.ok()) << c.path << ": " << f.error().ToString();
    EXPECT_EQ(*f, c.format) << c.path;
  }
  auto missing = DetectFormat(kLists + "nope.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
}

const std::string kUnHead =
    "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09Z\">\n"
    "<INDIVIDUALS>\n";
const std::string kCslHeader = "_id,source,entity_number,type,programs,name,title,addresses\n";
const std::string kOjHeader = "celex,recordId,programKey,annex,measure,startDate,schema,name\n";

// A file that is not its format at all: one error naming the file, the place
// and what was expected; nothing loads.
TEST(ParseList, NotTheFormatIsRejectedWhole) {
  struct Case {
    const char* what;
    std::string content;
    StatusCode code;
    std::string message_part;
  } cases[] = {
      {"truncated xml", kUnHead + "<INDIVIDUAL><DATAID>1</DATAID>", StatusCode::kDataLoss,
       "x.xml: line 4: expected well-formed XML"},
      {"ofac truncated",
       "<sdnList><publshInformation><Publish_Date>03/28/2025</Publish_Date><Record_Count>2"
       "</Record_Count></publshInformation><sdnEntry><uid>1</uid><lastName>X</lastName>"
       "</sdnEntry></sdnList>",
       StatusCode::kDataLoss, "Record_Count: expected 1"},
      {"csl unterminated quote", kCslHeader + "a,\"Entity List,,,,N,,\n", StatusCode::kDataLoss,
       "expected CSV: unterminated quoted field"},
      {"csl without a name column", "_id,source,entity_number,type\na,EL,1,Entity\n",
       StatusCode::kDataLoss, "line 1: expected a \"name\" column"},
      {"ftm not json lines", "{oops\n", StatusCode::kDataLoss,
       "line 1: expected one JSON object per line"},
      {"ftm delta", "{\"op\":\"ADD\",\"entity\":{}}\n", StatusCode::kDataLoss, "delta files"},
      {"unknown", "hello,world\n", StatusCode::kInvalidArgument,
       "x.xml: line 1: not a list format"},
      {"empty", "", StatusCode::kInvalidArgument, "not a list format"},
      {"wrong root", "<rss></rss>", StatusCode::kInvalidArgument, "not a list format"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    auto v = ParseList(c.content, "x.xml");
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().code(), c.code) << v.error().ToString();
    EXPECT_NE(v.error().message().find(c.message_part), std::string::npos) << v.error().message();
    EXPECT_EQ(v.error().message().find('\n'), std::string::npos);
  }
}

// Row-level tolerance: a record that cannot be read is skipped and reported
// (file, line, field, reason), a field that cannot be read is left out with a
// warning; the rest loads. Ids: derived when missing, repeats dropped when
// identical and kept as "<id>~2" when not, in every format.
TEST(ParseList, UnreadableRowsAreSkippedAndReported) {
  struct Case {
    const char* what;
    std::string content;
    std::vector<std::string> ids;  // the entities loaded, in order
    std::string skipped;           // SkippedRowText of the one skipped row ("" = none)
    std::string warning;           // a part of one warning ("" = none expected)
  } cases[] = {
      {"un record without id",
       kUnHead + "<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>"
                 "<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>"
                 "</INDIVIDUALS></CONSOLIDATED_LIST>",
       {"derived-", "2"},
       "",
       "INDIVIDUAL[1]: no DATAID; id derived-"},
      {"un record without name",
       kUnHead + "<INDIVIDUAL><DATAID>1</DATAID></INDIVIDUAL>\n"
                 "<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>"
                 "</INDIVIDUALS></CONSOLIDATED_LIST>",
       {"2"},
       "x.xml: line 4: field /CONSOLIDATED_LIST/INDIVIDUALS[1]/INDIVIDUAL[1]: expected a name "
       "(FIRST_NAME)",
       ""},
      {"un bad listing date",
       kUnHead + "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><LISTED_ON>yesterday"
                 "</LISTED_ON></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
       {"1"},
       "",
       "LISTED_ON[1]: expected a date YYYY-MM-DD, got \"yesterday\" (field left out"},
      {"un repeated id, other content",
       kUnHead + "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>"
                 "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>"
                 "</INDIVIDUALS></CONSOLIDATED_LIST>",
       {"1", "1~2"},
       "",
       "id 1 repeats with other content (B); this record is kept as 1~2"},
      {"un repeated record",
       kUnHead + "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>"
                 "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>"
                 "</INDIVIDUALS></CONSOLIDATED_LIST>",
       {"1"},
       "",
       "repeats an earlier record identically"},
      {"ofac bad category",
       "<sdnList><sdnEntry><uid>1</uid><lastName>X</lastName><akaList><aka><category>meh"
       "</category><lastName>Y</lastName></aka></akaList></sdnEntry></sdnList>",
       {"1"},
       "",
       "/sdnList/sdnEntry[1]/akaList[1]/aka[1]/category[1]: expected strong or weak"},
      {"ofac entry without name",
       "<sdnList><sdnEntry><uid>1</uid></sdnEntry><sdnEntry><uid>2</uid><lastName>X</lastName>"
       "</sdnEntry></sdnList>",
       {"2"},
       "x.xml: line 1: field /sdnList/sdnEntry[1]: expected a name (lastName)",
       ""},
      {"csl wrong field count",
       kCslHeader + "a,Entity List (EL),,,,Name,,\nb,EL,,,,Other\n",
       {"a"},
       "x.xml: line 3: expected 8 fields (as in the header), got 6",
       ""},
      {"csl no name",
       kCslHeader + "a,Entity List (EL),,,,,,\nb,EL,,,,N,,\n",
       {"b"},
       "x.xml: line 2: field name: expected a name",
       ""},
      {"csl invalid utf-8",
       kCslHeader + "a,EL,,,,N\xff,,\nb,EL,,,,N,,\n",
       {"b"},
       "x.xml: line 2: field name: expected UTF-8 text",
       ""},
      {"csl no id", kCslHeader + ",EL,,,,N,,\n", {"derived-"}, "", "field _id: empty; id derived-"},
      {"csl repeated _id, other content",
       kCslHeader + "a,EL,,,,N,,RU\na,EL,,,,N,,CN\n",
       {"a", "a~2"},
       "",
       "this record is kept as a~2"},
      {"csl header only", kCslHeader, {}, "", ""},
      {"ofac csv short row",
       "36,AEROCARIBBEAN AIRLINES,-0- ,CUBA,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n37,X,-0-\n",
       {"36"},
       "x.xml: line 2: expected 12 fields, got 3",
       ""},
      {"ftm bad line",
       "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n{oops\n",
       {"a"},
       "x.xml: line 2: expected one JSON object per line",
       ""},
      {"ftm no name",
       "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{}}\n"
       "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":[\"B\"]}}\n",
       {"b"},
       "x.xml: line 1: field $.properties.name: expected a name",
       ""},
      {"eu oj empty recordId",
       kOjHeader + "32017R1509,,DPRK,I,Asset freeze,2.3.2016,LegalEntity,Chol Ryong\n"
                   "32017R1509,7,DPRK,I,Asset freeze,,Person,Kim\n",
       {"32017R1509/I/derived-", "32017R1509/I/7"},
       "",
       "field recordId: empty; id derived-"},
      {"eu oj other act",
       kOjHeader + "32017R1509,1,X,I,,,Person,A\n32014R0833,2,X,I,,,Person,B\n",
       {"32017R1509/I/1"},
       "x.xml: line 3: field celex: expected one act per file (32017R1509), got 32014R0833",
       ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    auto v = ParseList(c.content, "x.xml");
    ASSERT_TRUE(v.ok()) << v.error().ToString();
    ASSERT_EQ(v->entities.size(), c.ids.size());
    for (size_t i = 0; i < c.ids.size(); ++i)
      EXPECT_EQ(v->entities[i].id.rfind(c.ids[i], 0), 0u) << v->entities[i].id;
    if (c.skipped.empty()) {
      EXPECT_TRUE(v->skipped.empty()) << SkippedRowText(v->skipped.front());
    } else {
      ASSERT_EQ(v->skipped.size(), 1u);
      EXPECT_EQ(SkippedRowText(v->skipped.front()), c.skipped);
    }
    if (!c.warning.empty()) {
      bool found = false;
      for (const std::string& w : v->warnings)
        found |= w.find(c.warning) != std::string::npos;
      EXPECT_TRUE(found) << "no warning containing: " << c.warning;
    }
  }
}

// A derived id depends on the record's identifying content only: the same
// row in another file (another version) gets the same id.
TEST(ParseList, DerivedIdsAreStable) {
  auto a = ParseList(
      kOjHeader + "32017R1509,,DPRK,I,Asset freeze,2.3.2016,LegalEntity,Chol Ryong\n", "a.csv");
  auto b = ParseList(kOjHeader +
                         "32017R1509,5,DPRK,I,Asset freeze,,Person,Other\n"
                         "32017R1509,,DPRK,I,Asset freeze,2.3.2016,LegalEntity,Chol Ryong\n",
                     "b.csv");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->entities.size(), 1u);
  ASSERT_EQ(b->entities.size(), 2u);
  EXPECT_EQ(a->entities[0].id, b->entities[1].id);
  EXPECT_EQ(a->entities[0].listed_on, "2016-03-02");
}

// A file without a publication date is undated, never dated by its mtime.
TEST(ParseList, UndatedFileSaysSo) {
  auto v = ParseList(kCslHeader + "a,EL,,,,N,,\n", "consolidated.csv");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->date, "");
  EXPECT_EQ(v->date_source, "none");
  EXPECT_EQ(v->version, "undated:" + v->sha256.substr(0, 12));
  ASSERT_FALSE(v->warnings.empty());
  EXPECT_NE(v->warnings.back().find("carries no publication date"), std::string::npos);
  auto oj = LoadList(kSharedLists + "eu_oj/32017R1509.csv");
  ASSERT_TRUE(oj.ok()) << oj.error().ToString();
  EXPECT_EQ(oj->date_source, "none");
  EXPECT_EQ(oj->version.rfind("undated:", 0), 0u);
}

TEST(Catalogue, EveryParsedListIdIsCatalogued) {
  auto cat = Catalogue();
  ASSERT_TRUE(cat.ok()) << cat.error().ToString();
  for (const char* id :
       {"un_sc", "eu_fsf", "ofac_sdn", "ofac_cons", "us_csl", "opensanctions", "eu_oj"}) {
    const ListInfo* info = (*cat)->Find(id);
    ASSERT_NE(info, nullptr) << id;
    EXPECT_FALSE(info->publisher.empty()) << id;
  }
  for (const std::string& id : (*cat)->update) {
    const ListInfo* info = (*cat)->Find(id);
    ASSERT_NE(info, nullptr) << id;
    EXPECT_FALSE(info->url.empty()) << id;
    EXPECT_FALSE(info->file.empty()) << id;
  }
}

}  // namespace
}  // namespace dualuse::lists
