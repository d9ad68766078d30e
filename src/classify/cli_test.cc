// The `dualuse classify` commands, run as a user runs them: the built binary, real
// data files, exit codes and the one-line error format of spec section 7.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

const std::string kBinary = DUALUSE_BINARY;
const std::string kData = std::string(DUALUSE_SOURCE_DIR) + "/tests/data/classify/";

struct CliRun {
  int code = -1;
  std::string out, err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

CliRun Exec(const std::string& args, const std::string& stdin_text = "") {
  static int n = 0;
  std::string base = std::filesystem::temp_directory_path().string() + "/dualuse-classify-cli-" +
                     std::to_string(::getpid()) + "-" + std::to_string(n++);
  std::ofstream(base + ".in") << stdin_text;
  std::string cmd = kBinary + " " + args + " <" + base + ".in >" + base + ".out 2>" + base + ".err";
  int status = std::system(cmd.c_str());
  CliRun r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadAll(base + ".out");
  r.err = ReadAll(base + ".err");
  for (const char* ext : {".in", ".out", ".err"})
    std::filesystem::remove(base + ext);
  return r;
}

TEST(ClassifyCli, BinaryExists) { ASSERT_TRUE(std::filesystem::exists(kBinary)) << kBinary; }

TEST(ClassifyCli, SearchJson) {
  CliRun r = Exec("classify search imsi catcher --format json --limit 3");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["results"][0]["code"], "5A001.f.2");
  EXPECT_EQ(j["results"].size(), 3u);
  EXPECT_FALSE(j["results"][0]["passage"].get<std::string>().empty());
}

TEST(ClassifyCli, SearchPointsCyberSurveillanceItemsToArticle5) {
  CliRun text = Exec("classify search emotion recognition");
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("Article 2(20)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("dualuse classify ask art-2-20"), std::string::npos) << text.out;
  CliRun json = Exec("classify search facial recognition --format json");
  ASSERT_EQ(json.code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["cyber_surveillance_candidate"]["tree"], "art-2-20");
  CliRun plain = Exec("classify search night vision --format json");
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_TRUE(nlohmann::json::parse(plain.out)["cyber_surveillance_candidate"].is_null());
}

TEST(ClassifyCli, ShowTextAndJson) {
  CliRun t = Exec("classify show 5A001.j");
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("Quality of Experience"), std::string::npos);
  EXPECT_NE(t.out.find("ECCN 5A001"), std::string::npos);
  CliRun j = Exec("classify show 5A001.j --format json");
  ASSERT_EQ(j.code, 0) << j.err;
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["us_counterpart"]["reason_for_control"], "NS, SL, AT");
  EXPECT_EQ(doc["cyber_surveillance"], true);
}

TEST(ClassifyCli, AskWithAnswersWritesRecord) {
  std::string out = std::filesystem::temp_directory_path().string() + "/dualuse-cr-" +
                    std::to_string(::getpid()) + ".json";
  CliRun r = Exec("classify ask art-2-20 --answers " + kData +
                  "answers-art-2-20-in-scope.json --out " + out + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto rec = nlohmann::json::parse(ReadAll(out));
  EXPECT_EQ(rec["schema"], "dualuse.classification/1");
  EXPECT_EQ(rec["outcome"], "cyber_surveillance_item");
  EXPECT_EQ(rec["who"], "J. Jansen, export control officer");
  EXPECT_EQ(nlohmann::json::parse(r.out), rec);
  // The stored record applies to the request.
  CliRun a = Exec("classify apply --request " + kData + "request-emotion-analysis.json --record " +
                  out + " --due-diligence " + kData + "due-diligence-aware.json");
  ASSERT_EQ(a.code, 0) << a.err;
  auto req = nlohmann::json::parse(a.out);
  EXPECT_EQ(req["items"][0]["cyber_surveillance"], true);
  EXPECT_EQ(req["knowledge"]["aware"], nlohmann::json({"internal_repression"}));
  EXPECT_EQ(req["items"][0]["classification_records"][0]["id"], rec["id"]);
  std::filesystem::remove(out);
}

TEST(ClassifyCli, AskInteractive) {
  // Answers by number and by value; a wrong answer is asked again.
  CliRun r = Exec("classify ask 5A001.j --format json", "1\ncarrier?\nY\n1\nja\n");
  ASSERT_EQ(r.code, 0) << r.err;
  auto rec = nlohmann::json::parse(r.out);
  EXPECT_EQ(rec["entries"], nlohmann::json({"5A001.j"}));
  CliRun eof = Exec("classify ask 5A001.j", "1\n");
  EXPECT_EQ(eof.code, 2);
  EXPECT_NE(eof.err.find("error: stdin: input ended before question \"carrier\""),
            std::string::npos)
      << eof.err;
  EXPECT_TRUE(eof.out.empty());
}

TEST(ClassifyCli, DueDiligenceNotification) {
  CliRun r = Exec("classify due-diligence --input " + kData +
                  "due-diligence-aware.json --notify --notification-format json --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["knowledge"]["aware"], nlohmann::json({"internal_repression"}));
  EXPECT_EQ(j["notification"]["basis"], "Regulation (EU) 2021/821, Article 5(2)");
  EXPECT_EQ(j["notification"]["record"]["reference"], "PO-2026-0077");
  CliRun na =
      Exec("classify due-diligence --input " + kData + "due-diligence-not-aware.json --notify");
  EXPECT_EQ(na.code, 2);
  EXPECT_NE(na.err.find("not_aware"), std::string::npos);
}

TEST(ClassifyCli, CnHint) {
  CliRun r = Exec("classify cn 85176200");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("HINT ONLY"), std::string::npos);
  EXPECT_NE(r.out.find("5A001.j"), std::string::npos);
}

// Bad input: exit 2, one line "error: ...", nothing on stdout.
TEST(ClassifyCli, BadInputIsOneLineExit2) {
  std::string bad = std::filesystem::temp_directory_path().string() + "/dualuse-bad-" +
                    std::to_string(::getpid()) + ".json";
  std::ofstream(bad) << R"({"answers": {"kind": "hardware"}})";
  struct Case {
    std::string args;
    std::string err_contains;
  };
  const std::vector<Case> cases = {
      {"classify show 5A01.j", "is not an Annex I code"},
      {"classify show 5A999", "5A999 is not an Annex I entry"},
      {"classify search \"the of\"", "no searchable word"},
      {"classify search x --format csv", "--format"},
      {"classify ask nosuchtree --answers " + bad, "is not a decision tree"},
      {"classify ask 5A001.j --answers " + bad, bad + ": $.answers.kind"},
      {"classify ask 5A001.j --answers /nonexistent.json", "/nonexistent.json: cannot be read"},
      {"classify cn 8517", "not an 8-digit CN code"},
      {"classify due-diligence --input " + bad, bad + ": $.schema"},
      {"classify apply --request " + bad + " --record CR-zz", "not a classification record id"},
  };
  for (const auto& c : cases) {
    CliRun r = Exec(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args << "\n" << r.out;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << c.args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.err_contains), std::string::npos) << c.args << "\n" << r.err;
  }
  std::filesystem::remove(bad);
}

}  // namespace
