#include "dualuse/controllist/control_list.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "controllist/code_order.h"

namespace dualuse::controllist {
namespace {

const std::string kDataDir = std::string(DUALUSE_SOURCE_DIR) + "/data/law/annex-i";

std::shared_ptr<const ControlList> RealList() {
  static auto list = [] {
    auto r = ControlList::Load(kDataDir);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : nullptr;
  }();
  return list;
}

TEST(IsAnnexICodeSyntax, Table) {
  struct Case {
    const char* code;
    bool ok;
  };
  const Case cases[] = {
      {"5A001", true},      {"5A001.j", true},    {"5A001.j.2.b", true},   {"3A001.a.16", true},
      {"4A506", true},      {"0C001", true},      {"5A01.j", false},       {"5a001", false},
      {"5F001", false},     {"5A001.", false},    {"5A001.J", false},      {"5A001.1", false},
      {"5A001.j.a", false}, {"5A001.j.0", false}, {"5A001.j.100", false},  {"5A001.jj", false},
      {"NL:5A001", false},  {"", false},          {"5A001.j.1.a.1", true}, {" 5A001", false},
      {"5A001..j", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(IsAnnexICodeSyntax(c.code), c.ok) << c.code;
}

TEST(CodeOrder, NaturalNumbers) {
  EXPECT_TRUE(CodeLess("5A001", "5A001.a"));
  EXPECT_TRUE(CodeLess("5A001.a.2", "5A001.a.10"));
  EXPECT_TRUE(CodeLess("5A001.a.10", "5A001.b"));
  EXPECT_TRUE(CodeLess("4E001.c", "5A001"));
  EXPECT_FALSE(CodeLess("5A001.b", "5A001.a.9"));
  EXPECT_EQ(ParentCode("5A001.j.1"), "5A001.j");
  EXPECT_EQ(ParentCode("5A001"), "");
}

TEST(ControlList, LoadsRealData) {
  auto list = RealList();
  ASSERT_NE(list, nullptr);
  // 366 entry codes in the shared tree, each a top-level entry here.
  int top = 0;
  for (const auto& e : list->entries())
    top += e.parent.empty();
  EXPECT_GE(top, 366);
  EXPECT_GT(list->entries().size(), 2900u);
  EXPECT_NE(list->version().find("annex-i@"), std::string::npos);
}

TEST(ControlList, FindTable) {
  auto list = RealList();
  ASSERT_NE(list, nullptr);
  struct Case {
    const char* code;
    const char* parent;
    const char* heading_contains;
    bool cyber;
  };
  const Case cases[] = {
      {"5A001", "", "Telecommunications systems", false},
      {"5A001.f", "5A001", "interception", true},
      {"5A001.f.2", "5A001.f", "IMSI", true},
      {"5A001.j", "5A001", "Internet Protocol (IP) network communications surveillance", true},
      {"5A001.j.2.a", "5A001.j.2", "hard selectors", true},
      {"4A005", "", "intrusion software", true},
      {"4D004", "", "intrusion software", true},
      {"4E001.c", "4E001", "intrusion software", true},
      {"5A004.b.1", "5A004.b", "Extract raw data", true},
      {"5A002", "", "", true},
      {"5B001", "", "", true},
      {"5A001.b", "5A001", "", false},
      {"0A001", "", "Nuclear reactors", false},
      {"9E003", "", "", false},
  };
  for (const auto& c : cases) {
    const ControlEntry* e = list->Find(c.code);
    ASSERT_NE(e, nullptr) << c.code;
    EXPECT_EQ(e->code, c.code);
    EXPECT_EQ(e->parent, c.parent) << c.code;
    EXPECT_NE(e->heading.find(c.heading_contains), std::string::npos)
        << c.code << ": " << e->heading;
    EXPECT_EQ(e->cyber_surveillance, c.cyber) << c.code;
    EXPECT_FALSE(e->version.empty()) << c.code;
    EXPECT_NE(e->text.find(e->heading.substr(0, 20)), std::string::npos) << c.code;
  }
  for (const char* missing : {"5A001.z", "5A999", "5A001.j.9", "NL:5A001", ""}) {
    EXPECT_EQ(list->Find(missing), nullptr) << missing;
  }
}

TEST(ControlList, NotesAndChildren) {
  auto list = RealList();
  ASSERT_NE(list, nullptr);
  const ControlEntry* f = list->Find("5A001.f");
  ASSERT_NE(f, nullptr);
  std::vector<std::string> want = {"5A001.f.1", "5A001.f.2", "5A001.f.3", "5A001.f.4"};
  EXPECT_EQ(f->children, want);
  bool decontrol = false;
  for (const auto& n : f->notes)
    decontrol |= n.kind == "decontrol_note";
  EXPECT_TRUE(decontrol);
  const ControlEntry* j = list->Find("5A001.j");
  ASSERT_NE(j, nullptr);
  bool qos = false;
  for (const auto& n : j->notes)
    qos |= n.text.find("Quality of Service") != std::string::npos;
  EXPECT_TRUE(qos);
}

TEST(ControlList, FindNearestTable) {
  auto list = RealList();
  ASSERT_NE(list, nullptr);
  struct Case {
    const char* query;
    const char* want;  // nullptr: no entry
  };
  const Case cases[] = {
      {"5A001.j.1.a", "5A001.j.1.a"},
      {"5A001.j.1.a.3", "5A001.j.1.a"},
      {"5A001.j.9", "5A001.j"},
      {"5A001.z", "5A001"},
      {"4D004.a.1", "4D004"},
      {"5A999.a", nullptr},
      {"5A01.j", nullptr},
      {"", nullptr},
      {"5A001", "5A001"},
  };
  for (const auto& c : cases) {
    const ControlEntry* e = list->FindNearest(c.query);
    if (c.want == nullptr) {
      EXPECT_EQ(e, nullptr) << c.query;
    } else {
      ASSERT_NE(e, nullptr) << c.query;
      EXPECT_EQ(e->code, c.want) << c.query;
    }
  }
  EXPECT_TRUE(list->IsKnown("5A001.j.1.a"));
  EXPECT_FALSE(list->IsKnown("5A999"));
}

// Reference twin: FindNearest by linear scan over all entries (longest code that is
// the query or an ancestor of it) must agree with the indexed look-up.
TEST(ControlList, FindNearestMatchesLinearScan) {
  auto list = RealList();
  ASSERT_NE(list, nullptr);
  auto slow = [&](const std::string& q) -> const ControlEntry* {
    if (!IsAnnexICodeSyntax(q)) return nullptr;
    const ControlEntry* best = nullptr;
    for (const auto& e : list->entries()) {
      bool ancestor = q == e.code || (q.size() > e.code.size() && q.rfind(e.code, 0) == 0 &&
                                      q[e.code.size()] == '.');
      if (ancestor && (!best || e.code.size() > best->code.size())) best = &e;
    }
    return best;
  };
  for (const auto& e : list->entries()) {
    for (const std::string& q : {e.code, e.code + ".z", e.code + ".9", e.code + ".a.1"}) {
      EXPECT_EQ(list->FindNearest(q), slow(q)) << q;
    }
  }
}

TEST(ControlList, EntriesInAnnexOrderAndConsistent) {
  auto list = RealList();
  ASSERT_NE(list, nullptr);
  const auto& es = list->entries();
  for (size_t i = 1; i < es.size(); ++i) {
    EXPECT_TRUE(CodeLess(es[i - 1].code, es[i].code)) << es[i - 1].code << " " << es[i].code;
  }
  for (const auto& e : es) {
    EXPECT_TRUE(IsAnnexICodeSyntax(e.code)) << e.code;
    EXPECT_FALSE(e.heading.empty()) << e.code;
    EXPECT_EQ(list->Find(e.code), &e);
    if (!e.parent.empty()) {
      const ControlEntry* p = list->Find(e.parent);
      ASSERT_NE(p, nullptr) << e.code;
      EXPECT_NE(std::find(p->children.begin(), p->children.end(), e.code), p->children.end());
      // A sub-item of a cyber-surveillance entry is one too.
      if (p->cyber_surveillance) {
        EXPECT_TRUE(e.cyber_surveillance) << e.code;
      }
    }
    for (const auto& n : e.notes)
      EXPECT_FALSE(n.text.empty()) << e.code;
  }
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("dualuse-controllist-" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  void Write(const std::string& name, const std::string& content) {
    std::ofstream(path_ / name) << content;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(ControlList, BadFilesAreDataLossWithPlace) {
  struct Case {
    const char* content;
    const char* message_contains;
  };
  const Case cases[] = {
      {"not json", "$: expected valid JSON"},
      {"[]", "$: expected an object"},
      {R"({"schema": "other/1"})", "$.schema"},
      {R"({"schema": "dualuse.annex-i/1", "data_version": "x", "entries": [{"code": "5A01"}]})",
       "$.entries[0].code"},
      {R"({"schema": "dualuse.annex-i/1", "data_version": "x", "entries": [{"code": "5A001.a",
          "parent": "5A001", "heading": "h", "version": "v"}]})",
       "parent 5A001 is not defined"},
      {R"({"schema": "dualuse.annex-i/1", "data_version": "x", "entries": [{"code": "5A001",
          "parent": "", "heading": "h", "version": "v", "notes": [{"kind": "x", "text": "t"}]}]})",
       "$.entries[0].notes[0].kind"},
      {R"({"schema": "dualuse.annex-i/1", "data_version": "x", "entries": [{"code": "5A001",
          "parent": "", "heading": "h", "version": "v"}, {"code": "5A001", "parent": "",
          "heading": "h", "version": "v"}]})",
       "defined twice"},
      {R"({"schema": "dualuse.annex-i/1", "data_version": "x", "entries": [{"code": "5A001",
          "parent": "5A00", "heading": "h", "version": "v"}]})",
       "$.entries[0].parent"},
  };
  for (const auto& c : cases) {
    TempDir dir;
    dir.Write("10-a.json", c.content);
    auto r = ControlList::Load(dir.path());
    ASSERT_FALSE(r.ok()) << c.content;
    EXPECT_EQ(r.error().code(), StatusCode::kDataLoss);
    EXPECT_NE(r.error().message().find(c.message_contains), std::string::npos)
        << r.error().message();
  }
  auto missing = ControlList::Load("/nonexistent/dir");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kDataLoss);
}

TEST(ControlList, AmendingFileReplacesSubtree) {
  TempDir dir;
  dir.Write("10-base.json", R"({"schema": "dualuse.annex-i/1", "data_version": "old", "entries": [
    {"code": "5A001", "parent": "", "heading": "Telecom", "version": "old"},
    {"code": "5A001.j", "parent": "5A001", "heading": "old j", "version": "old"},
    {"code": "5A001.j.1", "parent": "5A001.j", "heading": "old j1", "version": "old"},
    {"code": "5A001.k", "parent": "5A001", "heading": "k", "version": "old"}]})");
  dir.Write("20-new.json", R"({"schema": "dualuse.annex-i/1", "data_version": "new",
    "replaces": ["5A001.j"], "entries": [
    {"code": "5A001.j", "parent": "5A001", "heading": "new j", "version": "new"}]})");
  dir.Write("cyber.json", R"({"schema": "dualuse.annex-i-cyber-surveillance/1",
    "entries": [{"code": "5A001.j"}]})");
  auto r = ControlList::Load(dir.path());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto list = r.value();
  EXPECT_EQ(list->version(), "annex-i@old+new");
  ASSERT_NE(list->Find("5A001.j"), nullptr);
  EXPECT_EQ(list->Find("5A001.j")->heading, "new j");
  EXPECT_TRUE(list->Find("5A001.j")->cyber_surveillance);
  EXPECT_FALSE(list->Find("5A001.k")->cyber_surveillance);
  EXPECT_EQ(list->Find("5A001.j.1"), nullptr);
  std::vector<std::string> want = {"5A001.j", "5A001.k"};
  EXPECT_EQ(list->Find("5A001")->children, want);
}

}  // namespace
}  // namespace dualuse::controllist

namespace dualuse::controllist {
namespace {

// The 2025 text of the cyber-surveillance entries (legal-reference section 2.2) replaces
// the pre-2023 text: the wording differences listed there are visible.
TEST(ControlList, CyberEntriesCarry2025Text) {
  auto list = RealList();
  ASSERT_NE(list, nullptr);
  struct Case {
    const char* code;
    const char* text_contains;
  };
  const Case cases[] = {
      {"5D001.e", "for law enforcement purposes"},
      {"5D001.e.2", "movement or location"},
      {"5D001.e", "Mediation devices"},
      {"4E001.b.1", "24 Weighted TeraFLOPS"},
      {"4E001", "vulnerability disclosure"},
      {"5A002.a", "Wireless \"personal area network\""},
      {"5A002.a", "32 or fewer concurrent users"},
      {"5A002", "Cryptography Note"},
      {"5D002", "Cryptography Note"},
      {"5A004.b", "jail-breaking or rooting"},
      {"5A001.f.2", "IMSI"},
      {"5A001.j", "Quality of Experience"},
  };
  for (const auto& c : cases) {
    const ControlEntry* e = list->Find(c.code);
    ASSERT_NE(e, nullptr) << c.code;
    EXPECT_NE(e->text.find(c.text_contains), std::string::npos) << c.code << ":\n" << e->text;
    EXPECT_NE(e->version.find("2025/2003"), std::string::npos) << c.code;
  }
  // Entries outside the amended set keep the older text and version.
  EXPECT_EQ(list->Find("5A001.b")->version.find("2025/2003"), std::string::npos);
  EXPECT_EQ(list->Find("5E001.b")->version.find("2025/2003"), std::string::npos);
  // The 5A001.f subtree was replaced, not duplicated.
  EXPECT_EQ(list->Find("5A001.f")->children.size(), 4u);
  EXPECT_NE(list->version().find("2025-11-15"), std::string::npos);
}

TEST(ControlList, DefinitionsTable) {
  auto list = RealList();
  ASSERT_NE(list, nullptr);
  struct Case {
    const char* query;
    const char* text_contains;
  };
  const Case cases[] = {
      {"intrusion software", "'monitoring tools'"},
      {"\"Intrusion Software\"", "externally provided instructions"},
      {"hard selectors", "family name"},
      {"vulnerability disclosure", "remediation"},
      {"cyber incident response", "cybersecurity incident"},
  };
  for (const auto& c : cases) {
    const ControlDefinition* d = list->FindDefinition(c.query);
    ASSERT_NE(d, nullptr) << c.query;
    EXPECT_NE(d->text.find(c.text_contains), std::string::npos) << c.query;
    EXPECT_FALSE(d->verification.empty());
    EXPECT_FALSE(d->source.empty());
  }
  EXPECT_EQ(list->FindDefinition("spyware"), nullptr);
}

}  // namespace
}  // namespace dualuse::controllist
