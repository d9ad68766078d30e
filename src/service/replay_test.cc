// Replay: a recorded assessment is re-run with the list versions it used
// (reproducing the record) and under the lists in force today (showing what
// the UN update of 2026-02-27 changed). Real lists, real law data, real store.
#include "dualuse/service/replay.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dualuse/lists/diff.h"
#include "dualuse/lists/list.h"
#include "dualuse/lists/registry.h"
#include "dualuse/rules/codec.h"
#include "dualuse/rules/engine.h"
#include "dualuse/screening/engine.h"
#include "dualuse/service/assessment_record.h"
#include "store/store_test_util.h"

namespace dualuse::service {
namespace {

using store::testing::BackendTest;
using Json = nlohmann::json;

const std::string kUnDir = std::string(DUALUSE_LISTS_DIR) + "/un_sc/";

class ReplayTest : public BackendTest {};

TEST_P(ReplayTest, ReproducesTheRecordAndShowsWhatTheListUpdateChanged) {
  std::string data_dir = (db_->dir().empty() ? std::filesystem::temp_directory_path() /
                                                   ("du_replay_" + std::to_string(getpid()))
                                             : db_->dir() / "data")
                             .string();
  std::filesystem::create_directories(data_dir);
  lists::ListRegistry reg(data_dir);
  auto old_list = lists::LoadList(kUnDir + "un_consolidated_2025-11-20.xml");
  auto new_list = lists::LoadList(kUnDir + "un_consolidated_2026-02-27.xml");
  ASSERT_TRUE(old_list.ok() && new_list.ok());
  ASSERT_TRUE(reg.Import(*old_list).ok());
  ASSERT_TRUE(reg.Import(*new_list).ok());
  lists::ListDiff diff = lists::DiffLists(*old_list, *new_list);
  ASSERT_FALSE(diff.added.empty());
  const lists::Entity* added = nullptr;
  for (const auto& e : diff.added) {
    if (e.schema != lists::Schema::kPerson) added = &e;
  }
  if (!added) added = &diff.added.front();

  Json req = {{"schema", "dualuse.assessment/1"},
              {"reference", "PO-REPLAY-1"},
              {"date", "2026-01-15"},
              {"activity", "export"},
              {"exporter", {{"name", "Example B.V."}, {"country", "NL"}}},
              {"destination", "AE"},
              {"items", {{{"id", "1"}, {"kind", "goods"}, {"control_entries", Json::array()}}}},
              {"parties",
               {{{"role", "end_user"},
                 {"name", added->caption},
                 {"type", added->schema == lists::Schema::kPerson ? "person" : "organization"}}}}};
  auto engine = rules::Engine::CreateDefault();
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto parsed = rules::ParseRequestText(req.dump(), "request");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  Date as_of = *Date::Parse("2026-01-15");
  auto then_lists = reg.LoadAllCurrent(as_of);
  ASSERT_TRUE(then_lists.ok());
  ASSERT_EQ(then_lists->size(), 1u);
  EXPECT_EQ((*then_lists)[0].date, old_list->date);
  auto screener = screening::ListScreener::Build(std::move(*then_lists));
  ASSERT_TRUE(screener.ok());
  auto det = (*engine)->Assess(*parsed, as_of, screener->get());
  ASSERT_TRUE(det.ok()) << det.status().ToString();
  auto recorded = RecordAssessment(*store_, *parsed, *det, "alice");
  ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  EXPECT_EQ(recorded->record.subject, "PO-REPLAY-1");
  ASSERT_EQ(recorded->counterparty_ids.size(), 1u);

  ReplayOptions opt;
  opt.data_dir = data_dir;
  opt.today = Date::Parse("2026-11-28");
  auto r = Replay(*store_, recorded->record.id, opt);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->reproduced) << ::testing::PrintToString(r->differences_from_record);
  EXPECT_EQ(r->as_of, "2026-01-15");
  bool screening_changed = false;
  for (const auto& d : r->differences_today) {
    if (d.rfind("screening party 0", 0) == 0) screening_changed = true;
  }
  EXPECT_TRUE(screening_changed) << ::testing::PrintToString(r->differences_today);
  Json out = Json::parse(r->ToJson());
  EXPECT_EQ(out["record"], recorded->record.id);
  EXPECT_FALSE(r->ToText().empty());

  // The same assessment as the HTTP server records it (POST /assess: the call,
  // the request as its body) replays to the same outcome.
  store::RecordInput over_http = recorded->record;
  over_http.inputs =
      Json{{"method", "POST"}, {"path", "/assess"}, {"role", "user"}, {"body", req}}.dump();
  auto http_record = store_->Append(over_http);
  ASSERT_TRUE(http_record.ok()) << http_record.error().ToString();
  auto h = Replay(*store_, http_record->id, opt);
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  EXPECT_TRUE(h->reproduced) << ::testing::PrintToString(h->differences_from_record);
  EXPECT_EQ(h->then_json, r->then_json);
  EXPECT_EQ(h->today_json, r->today_json);
  EXPECT_EQ(h->differences_today, r->differences_today);
  store::RecordInput no_request = over_http;
  no_request.inputs = Json{{"method", "POST"}, {"path", "/assess"}, {"body", "text"}}.dump();
  auto broken = store_->Append(no_request);
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(Replay(*store_, broken->id, opt).status().code(), StatusCode::kDataLoss);

  // Not an assessment, not a record.
  store::RecordInput other;
  other.kind = store::kKindScreening;
  auto rec = store_->Append(other);
  EXPECT_EQ(Replay(*store_, rec->id, opt).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Replay(*store_, 9999, opt).status().code(), StatusCode::kNotFound);
  if (db_->dir().empty()) std::filesystem::remove_all(data_dir);
}

DUALUSE_INSTANTIATE_BACKENDS(ReplayTest);

TEST(DiffDeterminationsTest, NamesWhatChanged) {
  std::string a = R"({"verdict":"no_licence_required","regime":"eu-2021-821","findings":[],
    "screening":[{"party":0,"status":"clear","matches":[]}],
    "data_versions":{"law":"1","lists":{"un_sc":"2025-11-20"}}})";
  std::string b = R"({"verdict":"prohibited","regime":"eu-2021-821","findings":[
    {"rule":"rm/un-asset-freeze","effect":"prohibited","party":0}],
    "screening":[{"party":0,"status":"hit","matches":[{"list":"un_sc","entity_id":"1"}]}],
    "data_versions":{"law":"1","lists":{"un_sc":"2026-02-27"}}})";
  auto d = DiffDeterminations(a, b);
  EXPECT_EQ(d, (std::vector<std::string>{"verdict: no_licence_required -> prohibited",
                                         "finding added: rm/un-asset-freeze prohibited party 0",
                                         "screening party 0: clear -> hit un_sc:1",
                                         "data version list un_sc: 2025-11-20 -> 2026-02-27"}));
  EXPECT_TRUE(DiffDeterminations(a, a).empty());
}

}  // namespace
}  // namespace dualuse::service
