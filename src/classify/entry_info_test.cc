#include "dualuse/classify/entry_info.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace dualuse::classify {
namespace {

const std::string kSource = DUALUSE_SOURCE_DIR;

std::shared_ptr<const controllist::ControlList> List() {
  static auto list = controllist::ControlList::Load(kSource + "/data/law/annex-i").value();
  return list;
}

TEST(EntryInfo, Show5A001j) {
  LawLists law = LoadLawLists(kSource + "/data/law");
  auto us = LoadUsCcl(kSource + "/data/classify/us-ccl.json");
  ASSERT_TRUE(us.ok()) << us.status().ToString();
  auto cn = LoadCnHints(kSource + "/data/classify/cn-hints.json", List().get());
  ASSERT_TRUE(cn.ok()) << cn.status().ToString();
  DescribeOptions o;
  o.date = Date{2026, 11, 28};
  o.law = &law;
  o.us = &us.value();
  o.cn = &cn.value();
  auto info = DescribeEntry(*List(), "5A001.j", o);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  const EntryInfo& i = info.value();
  EXPECT_EQ(i.entry->code, "5A001.j");
  EXPECT_EQ(i.ancestors.at(0)->code, "5A001");
  ASSERT_TRUE(i.us.has_value());
  EXPECT_EQ(i.us->eccn, "5A001");
  EXPECT_EQ(i.us_paragraph, "j");
  EXPECT_NE(i.us->reason_for_control.find("NS"), std::string::npos);
  bool ns_row = false;
  for (const auto& c : i.us_controls)
    ns_row |= c.find(".j") != std::string::npos;
  EXPECT_TRUE(ns_row);
  bool hard_selectors = false;
  for (const auto* d : i.definitions)
    hard_selectors |= d->term == "hard selectors";
  EXPECT_TRUE(hard_selectors);
  bool referenced_by_5D001a = false;
  for (const auto& r : i.referenced_by)
    referenced_by_5D001a |= r == "5D001.a";
  EXPECT_TRUE(referenced_by_5D001a);
  bool hint = false;
  for (const auto& h : i.cn_hints)
    hint |= h.cn == "851762";
  EXPECT_TRUE(hint);
  if (law.annex_iv_available) {
    EXPECT_EQ(i.annex_iv, "no");
  }
  auto json = nlohmann::json::parse(EntryInfoToJson(i));
  EXPECT_EQ(json["code"], "5A001.j");
  EXPECT_EQ(json["us_counterpart"]["eccn"], "5A001");
  EXPECT_NE(EntryInfoToText(i).find("5A001.j"), std::string::npos);
}

// Against a law directory written here (the rules module owns the real one), the
// Annex IV and general-authorisation logic: 5A004.a is in Annex IV and excluded from
// EU001 by Annex II Section I; 5A002.b is excluded from EU008 by its own list.
TEST(EntryInfo, AnnexIvAndGeneralAuthorisations) {
  LawLists law;
  law.annex_iv_available = law.ga_available = true;
  law.annex_iv.push_back({"eu-2021-821",
                          "Annex IV",
                          "2021-09-09",
                          "",
                          "src",
                          "K",
                          false,
                          {{"5A004.a", 1, false, ""}}});
  law.section_i.push_back({"eu-2021-821",
                           "Annex II Section I",
                           "2021-09-09",
                           "",
                           "src",
                           "K",
                           true,
                           {{"5E002.a", 0, false, ""}}});
  LawLists::Ga eu001;
  eu001.id = "EU001";
  eu001.regime = "eu-2021-821";
  eu001.valid_from = "2021-09-09";
  eu001.all_annex_i = eu001.except_section_i = true;
  LawLists::Ga eu008 = eu001;
  eu008.id = "EU008";
  eu008.all_annex_i = false;
  eu008.entries = {"5A002", "5D002"};
  eu008.exclude = {"5A002.b"};
  law.gas = {eu001, eu008};
  DescribeOptions o;
  o.date = Date{2026, 11, 28};
  o.law = &law;
  struct Case {
    const char* code;
    const char* annex_iv;
    const char* eu001;
    const char* eu008;
  };
  const Case cases[] = {
      {"5A004.a", "yes", "excluded", "not_in_scope"},
      {"5A004", "partly", "partly_excluded", "not_in_scope"},
      {"5A002.a", "no", "covered", "covered"},
      {"5A002.b", "no", "covered", "excluded"},
      {"5A002", "no", "covered", "partly_excluded"},
      {"5E002.a", "no", "excluded", "not_in_scope"},
  };
  for (const auto& c : cases) {
    auto info = DescribeEntry(*List(), c.code, o);
    ASSERT_TRUE(info.ok()) << c.code;
    EXPECT_EQ(info.value().annex_iv, c.annex_iv) << c.code;
    std::map<std::string, std::string> st;
    for (const auto& g : info.value().general_authorisations)
      st[g.id] = g.status;
    EXPECT_EQ(st["EU001"], c.eu001) << c.code;
    EXPECT_EQ(st["EU008"], c.eu008) << c.code;
  }
  // Before 2021-09-09 the 2021/821 data does not apply.
  o.date = Date{2020, 1, 1};
  auto old = DescribeEntry(*List(), "5A004.a", o);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old.value().regime, "eu-428-2009");
  EXPECT_EQ(old.value().annex_iv, "no");
  EXPECT_TRUE(old.value().general_authorisations.empty());
}

TEST(EntryInfo, BadCodes) {
  DescribeOptions o;
  auto bad = DescribeEntry(*List(), "5A01.j", o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), StatusCode::kInvalidArgument);
  auto missing = DescribeEntry(*List(), "5A999", o);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  auto nearest = DescribeEntry(*List(), "5A001.j.2.b.7", o);
  ASSERT_TRUE(nearest.ok());
  EXPECT_EQ(nearest.value().entry->code, "5A001.j.2.b");
}

TEST(CnHints, LookupTable) {
  auto cn = LoadCnHints(kSource + "/data/classify/cn-hints.json", List().get());
  ASSERT_TRUE(cn.ok()) << cn.status().ToString();
  EXPECT_EQ(cn.value().verification, "K");
  struct Case {
    const char* cn;
    const char* first_entry;  // nullptr: no hint
  };
  const Case cases[] = {
      {"85176200", "5A001.j"}, {"8517 62 00", "5A001.j"}, {"84011000", "0A001"},
      {"01012100", nullptr},   {"88062100", "9A012"},
  };
  for (const auto& c : cases) {
    auto h = HintsForCn(cn.value(), c.cn);
    ASSERT_TRUE(h.ok()) << c.cn;
    if (!c.first_entry) {
      EXPECT_TRUE(h.value().empty()) << c.cn;
    } else {
      ASSERT_FALSE(h.value().empty()) << c.cn;
      EXPECT_EQ(h.value()[0].entries.at(0), c.first_entry) << c.cn;
    }
  }
  for (const char* bad : {"8517", "8517620", "851762001", "abcdefgh", ""}) {
    auto h = HintsForCn(cn.value(), bad);
    ASSERT_FALSE(h.ok()) << bad;
    EXPECT_EQ(h.error().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace dualuse::classify
