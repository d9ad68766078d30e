// The yente routes (yente.h) over real HTTP on 127.0.0.1, served by the
// Server class in-process over a real SQLite store and the real screening
// engine over two real lists of ../shared: the UN consolidated list (XML) and
// the US Consolidated Screening List (CSV). Expectations come from the list
// files themselves (lists::LoadList) and from the engine's exhaustive
// reference (ListScreener::ScreenWithExhaustive), not from constants. Every
// JSON answer is checked against web/openapi.json. The tests fail when the
// list files are missing.
#include "yente.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "dualuse/lists/list.h"
#include "dualuse/screening/engine.h"
#include "json_schema_check.h"
#include "server/server_test_util.h"
#include "store/store_test_util.h"

namespace dualuse::server {
namespace {

using nlohmann::json;

const char kUnList[] = DUALUSE_LISTS_DIR "/un_sc/un_consolidated_2026-02-27.xml";
const char kCsl[] = DUALUSE_LISTS_DIR "/us_csl/consolidated_2026-07-31.csv";

const json& OpenApi() {
  static const json doc = [] {
    std::ifstream in(DUALUSE_SOURCE_DIR "/web/openapi.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str(), nullptr, false);
  }();
  return doc;
}

// The two lists as loaded from their files, and a screener over them; built
// once for every test.
struct Data {
  std::vector<lists::ListVersion> loaded;
  std::unique_ptr<screening::ListScreener> screener;
  std::string error;

  const lists::Entity* Find(const std::string& list, const std::string& id) const {
    for (const lists::ListVersion& v : loaded) {
      if (v.list_id != list) continue;
      for (const lists::Entity& e : v.entities)
        if (e.id == id) return &e;
    }
    return nullptr;
  }
  const lists::ListVersion* List(const std::string& id) const {
    for (const lists::ListVersion& v : loaded)
      if (v.list_id == id) return &v;
    return nullptr;
  }
};

const Data& SharedData() {
  static const Data* d = [] {
    auto* out = new Data;
    for (const char* path : {kUnList, kCsl}) {
      auto l = lists::LoadList(path);
      if (!l.ok()) {
        out->error = std::string(path) + ": " + l.error().ToString();
        return out;
      }
      out->loaded.push_back(std::move(l).value());
    }
    auto s = screening::ListScreener::Build(out->loaded);
    if (!s.ok()) {
      out->error = s.error().ToString();
      return out;
    }
    out->screener = std::move(s).value();
    return out;
  }();
  return *d;
}

// Percent-encodes everything but unreserved characters (RFC 3986 2.3).
std::string PathEncode(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  return out;
}

screening::PartyQuery Query(const std::string& name, lists::Schema schema) {
  screening::PartyQuery q;
  q.name = name;
  q.schema = schema;
  return q;
}

// Names listed on the UN list that the CSL also lists, under the same or
// similar names, one or more times.
struct NameRow {
  const char* name;
  lists::Schema schema;
};
const NameRow kNames[] = {
    {"Korea Mining Development Trading Corporation", lists::Schema::kCompany},
    {"Korea Ryonbong General Corporation", lists::Schema::kCompany},
    {"Tanchon Commercial Bank", lists::Schema::kCompany},
    {"Ayman al-Zawahiri", lists::Schema::kPerson},
    {"Kim Jong", lists::Schema::kPerson},
    {"Mohammed Ali", lists::Schema::kPerson},
    {"Ali Hassan", lists::Schema::kPerson},
    {"Abdullah Ahmed", lists::Schema::kPerson},
};

// ScreenWith: each list's best match, screened over that list alone, is
// found with the same score when every list is screened: no list's
// candidates displace another's. And the index recalls what the exhaustive
// reference finds.
TEST(YenteScreenTest, EachListsBestMatchSurvivesTheOtherLists) {
  const Data& d = SharedData();
  ASSERT_TRUE(d.error.empty()) << d.error;
  int compared = 0;
  for (const NameRow& row : kNames) {
    const screening::PartyQuery q = Query(row.name, row.schema);
    screening::ScreenOptions all;
    all.limit = std::numeric_limits<size_t>::max();
    all.candidates = 50;
    const screening::ScreeningResult everything = d.screener->ScreenWith(q, all);
    for (const char* list : {"un_sc", "us_csl"}) {
      screening::ScreenOptions one = all;
      one.lists = {list};
      one.limit = 1;
      const screening::ScreeningResult alone = d.screener->ScreenWith(q, one);
      const screening::ScreeningResult reference = d.screener->ScreenWithExhaustive(q, one);
      ASSERT_EQ(alone.matches.empty(), reference.matches.empty()) << row.name << " " << list;
      if (alone.matches.empty()) continue;
      EXPECT_EQ(alone.matches[0].entity_id, reference.matches[0].entity_id) << row.name;
      EXPECT_DOUBLE_EQ(alone.matches[0].score, reference.matches[0].score) << row.name;
      EXPECT_EQ(alone.matches[0].list, list);
      bool found = false;
      for (const screening::ScreeningHit& h : everything.matches) {
        if (h.list == list && h.entity_id == alone.matches[0].entity_id) {
          found = true;
          EXPECT_DOUBLE_EQ(h.score, alone.matches[0].score) << row.name << " " << list;
        }
      }
      EXPECT_TRUE(found) << row.name << ": " << list << "'s best match "
                         << alone.matches[0].entity_id << " is missing over all lists";
      ++compared;
    }
  }
  EXPECT_GE(compared, 6);  // the table reaches matches on both lists
}

// The entity model the lists give, as yente's EntityResponse.
TEST(YenteScreenTest, EntityResponseCarriesTheListedProperties) {
  const Data& d = SharedData();
  ASSERT_TRUE(d.error.empty()) << d.error;
  int persons = 0, organisations = 0;
  for (const char* list : {"un_sc", "us_csl"}) {
    const lists::ListVersion* v = d.List(list);
    ASSERT_NE(v, nullptr);
    ASSERT_GT(v->entities.size(), 100u) << list;
    // Every 50th entity: persons and organisations, with and without details.
    for (size_t i = 0; i < v->entities.size(); i += 50) {
      const lists::Entity& e = v->entities[i];
      const json r = internal::EntityResponse(e);
      SCOPED_TRACE(std::string(list) + " " + e.id);
      EXPECT_EQ(r["id"], std::string(list) + "-" + e.id);
      EXPECT_EQ(r["referents"], json::array({e.id}));
      EXPECT_EQ(r["datasets"], json::array({list}));
      EXPECT_EQ(r["caption"], e.caption);
      const json& p = r["properties"];
      EXPECT_EQ(p["name"][0], e.caption);
      const bool person = e.schema == lists::Schema::kPerson;
      (person ? persons : organisations)++;
      const char* date_key = person ? "birthDate" : "incorporationDate";
      const char* country_key = person ? "nationality" : "country";
      EXPECT_EQ(p.contains(date_key), !e.birth_dates.empty());
      EXPECT_EQ(p.contains(country_key), !e.countries.empty());
      for (const std::string& date : e.birth_dates)
        EXPECT_NE(std::find(p[date_key].begin(), p[date_key].end(), date), p[date_key].end());
      EXPECT_EQ(p.contains("program"), !e.programs.empty());
      if (!e.programs.empty()) {
        EXPECT_EQ(p["program"].size(), e.programs.size());
      }
      EXPECT_EQ(p.contains("topics"), !internal::TopicsOf(e).empty());
      EXPECT_TRUE(p.contains("sourceUrl"));
      auto errors =
          testing::CheckSchema(r, OpenApi()["components"]["schemas"]["Entity"], OpenApi());
      EXPECT_TRUE(errors.empty()) << errors.front();
    }
  }
  EXPECT_GT(persons, 0);
  EXPECT_GT(organisations, 0);
  // The UN list is asset freezes: sanctions.
  const lists::ListVersion* un = d.List("un_sc");
  EXPECT_EQ(internal::TopicsOf(un->entities.front()), std::vector<std::string>{"sanction"});
}

struct HttpReply {
  int status = 0;
  json body;
};

class YenteHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Data& d = SharedData();
    ASSERT_TRUE(d.error.empty()) << d.error;
    db_ = std::make_unique<store::testing::TestDb>("sqlite");
    std::string why;
    ASSERT_TRUE(db_->Create(&why)) << why;
    auto st = store::Store::Open(db_->target());
    ASSERT_TRUE(st.ok()) << st.error().ToString();
    store_ = std::move(st).value();
    token_ = testing::AddUserWithToken(*store_, "officer-user", "officer");
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    Backends b;
    b.store = store_.get();
    b.screener = d.screener.get();
    auto srv = Server::Create(options, b);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server_ = std::move(srv).value();
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
  }

  void TearDown() override {
    if (!server_) return;
    server_->Stop();
    thread_.join();
  }

  HttpReply Call(const std::string& method, const std::string& path, const json& body = nullptr,
                 bool authenticated = true) {
    httplib::Client cli("127.0.0.1", server_->port());
    cli.set_read_timeout(60, 0);
    httplib::Headers headers;
    if (authenticated) headers.emplace("Authorization", "Bearer " + token_);
    httplib::Result r = method == "GET"
                            ? cli.Get(path.c_str(), headers)
                            : cli.Post(path.c_str(), headers, body.dump(), "application/json");
    HttpReply out;
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": " << httplib::to_string(r.error());
      return out;
    }
    out.status = r->status;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }

  void ExpectConforms(const HttpReply& reply, const std::string& tmpl, const std::string& method) {
    json schema = testing::ResponseSchema(OpenApi(), tmpl, method, reply.status);
    ASSERT_FALSE(schema.is_null())
        << "openapi.json has no " << reply.status << " for " << method << " " << tmpl;
    auto errors = testing::CheckSchema(reply.body, schema, OpenApi());
    EXPECT_TRUE(errors.empty()) << method << " " << tmpl << " " << reply.status << ": "
                                << errors.front() << "\n"
                                << reply.body.dump(1);
  }

  static json OneQuery(const std::string& name, const std::string& schema) {
    return {{"queries", {{"q", {{"schema", schema}, {"properties", {{"name", {name}}}}}}}}};
  }

  // The exhaustive reference for a /match query: every match at or above
  // `cutoff` on `lists`, best first.
  static std::vector<screening::ScreeningHit> Reference(const std::string& name,
                                                        lists::Schema schema, double cutoff,
                                                        std::vector<std::string> lists = {}) {
    screening::ScreenOptions o;
    o.lists = std::move(lists);
    o.min_score = cutoff;
    o.limit = std::numeric_limits<size_t>::max();
    return SharedData().screener->ScreenWithExhaustive(Query(name, schema), o).matches;
  }

  std::unique_ptr<store::testing::TestDb> db_;
  std::unique_ptr<store::Store> store_;
  std::string token_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

// limit, cutoff and the dataset filters act before the results are cut to
// `limit`: the answer is the first `limit` of every match the screener finds
// over both lists (the same candidates: they are gathered per list), kept
// when on the lists asked for and scoring at least the cutoff.
TEST_F(YenteHttpTest, MatchFiltersBeforeTruncation) {
  struct Row {
    const char* name;
    const char* schema;
    const char* params;
    double cutoff;
    std::vector<std::string> lists;  // the scope the params give; empty: both
    size_t limit;
  };
  const Row rows[] = {
      {"Mohammed Ali", "Person", "limit=50&cutoff=0.6", 0.6, {}, 50},
      {"Mohammed Ali", "Person", "limit=8&cutoff=0.6&include_dataset=un_sc", 0.6, {"un_sc"}, 8},
      {"Korea Mining Development Trading Corporation",
       "Company",
       "limit=1&include_dataset=un_sc",
       0.7,
       {"un_sc"},
       1},
      {"Korea Mining Development Trading Corporation",
       "Company",
       "limit=2&exclude_dataset=us_csl",
       0.7,
       {"un_sc"},
       2},
      {"Korea Ryonbong General Corporation", "Company", "limit=3&cutoff=0.5", 0.5, {}, 3},
      {"Kim Jong", "Person", "limit=20&cutoff=0.55", 0.55, {}, 20},
  };
  size_t more_than_five = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(row.name) + " ?" + row.params);
    lists::Schema schema;
    ASSERT_TRUE(lists::ParseSchema(row.schema, &schema));
    screening::ScreenOptions o;
    o.limit = std::numeric_limits<size_t>::max();
    o.candidates = std::max<size_t>(20, std::min<size_t>(row.limit * 10, 500));
    std::vector<screening::ScreeningHit> ref;
    for (const auto& h : SharedData().screener->ScreenWith(Query(row.name, schema), o).matches) {
      const bool in_scope = row.lists.empty() || std::find(row.lists.begin(), row.lists.end(),
                                                           h.list) != row.lists.end();
      if (in_scope && h.score >= row.cutoff) ref.push_back(h);
    }
    HttpReply r =
        Call("POST", std::string("/match/default?") + row.params, OneQuery(row.name, row.schema));
    ASSERT_EQ(r.status, 200) << r.body.dump();
    ExpectConforms(r, "/match/{dataset}", "post");
    EXPECT_EQ(r.body["limit"], row.limit);
    const json& results = r.body["responses"]["q"]["results"];
    ASSERT_EQ(results.size(), std::min(row.limit, ref.size()));
    if (results.size() > 5) ++more_than_five;
    int matches = 0;
    for (const screening::ScreeningHit& h : ref)
      matches += h.score >= 0.7;
    EXPECT_EQ(r.body["responses"]["q"]["total"]["value"], matches);
    for (size_t i = 0; i < results.size(); ++i) {
      EXPECT_DOUBLE_EQ(results[i]["score"].get<double>(), ref[i].score) << i;
      EXPECT_EQ(results[i]["match"], ref[i].score >= 0.7);
      EXPECT_GE(results[i]["score"].get<double>(), row.cutoff);
      if (!row.lists.empty()) {
        EXPECT_EQ(results[i]["datasets"][0], row.lists[0]);
      }
    }
  }
  EXPECT_GE(more_than_five, 1u);  // the table asks for, and gets, more than 5
}

// The defect this guards against: a hit on one list cut off because five
// matches from another list scored higher (the screener's five best were
// taken first, then filtered). The row is meaningful only when the other list
// has at least five better matches, which the test asserts first.
TEST_F(YenteHttpTest, AHitOnOneListIsNotCutOffByAnother) {
  struct Row {
    const char* name;
    lists::Schema schema;
    const char* schema_name;
  };
  const Row rows[] = {{"Ali Hassan", lists::Schema::kPerson, "Person"},
                      {"Abdullah Ahmed", lists::Schema::kPerson, "Person"}};
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const auto un = Reference(row.name, row.schema, 0.7, {"un_sc"});
    const auto csl = Reference(row.name, row.schema, 0.7, {"us_csl"});
    ASSERT_FALSE(un.empty());
    size_t csl_better = 0;
    for (const auto& h : csl)
      csl_better += h.score > un[0].score;
    ASSERT_GE(csl_better, 5u) << "the row does not reproduce the defect";
    for (const std::string path :
         {"/match/un_sc?limit=1", "/match/default?limit=1&include_dataset=un_sc",
          "/match/default?limit=1&exclude_dataset=us_csl"}) {
      HttpReply r = Call("POST", path, OneQuery(row.name, row.schema_name));
      ASSERT_EQ(r.status, 200) << r.body.dump();
      const json& results = r.body["responses"]["q"]["results"];
      ASSERT_EQ(results.size(), 1u) << path;
      EXPECT_EQ(results[0]["id"], "un_sc-" + un[0].entity_id) << path;
      EXPECT_EQ(results[0]["match"], true);
      // The result is the listed entity, with its list's properties.
      const lists::Entity* e = SharedData().Find("un_sc", un[0].entity_id);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(results[0]["properties"], internal::EntityResponse(*e)["properties"]);
      EXPECT_EQ(results[0]["properties"]["topics"], json::array({"sanction"}));
    }
  }
}

// Schema, topic and id filters also act before truncation.
TEST_F(YenteHttpTest, EntityFiltersActBeforeTruncation) {
  const std::string name = "Korea Mining Development Trading Corporation";
  HttpReply base = Call("POST", "/match/default?limit=3&cutoff=0.5", OneQuery(name, "Company"));
  ASSERT_EQ(base.status, 200) << base.body.dump();
  const json& first = base.body["responses"]["q"]["results"];
  ASSERT_GE(first.size(), 2u);
  // Excluding the best result (by its namespaced id, then by its publisher's
  // id) moves the second up; the answer still has up to `limit` results.
  for (const std::string& id :
       {first[0]["id"].get<std::string>(), first[0]["referents"][0].get<std::string>()}) {
    HttpReply r = Call("POST", "/match/default?limit=3&cutoff=0.5&exclude_entity_ids=" + id,
                       OneQuery(name, "Company"));
    ASSERT_EQ(r.status, 200) << r.body.dump();
    const json& results = r.body["responses"]["q"]["results"];
    EXPECT_EQ(results[0]["id"], first[1]["id"]) << id;
    for (const json& x : results)
      EXPECT_NE(x["id"], first[0]["id"]);
  }
  struct Row {
    const char* name;
    const char* params;
    const char* topic;  // every result carries it
    const char* list;   // every result's dataset
  };
  // The Entity List's Rosoboronexport scores below two blocking listings of
  // the same name: with limit=1 it is found only if the topic filter acts first.
  const Row rows[] = {
      {"Rosoboronexport", "topics=export.control&limit=1", "export.control", "us_csl"},
      {name.c_str(), "topics=sanction&include_dataset=un_sc&limit=1", "sanction", "un_sc"},
      {name.c_str(), "topics=sanction&limit=10", "sanction", nullptr},
  };
  for (const Row& row : rows) {
    HttpReply r = Call("POST", std::string("/match/default?cutoff=0.5&") + row.params,
                       OneQuery(row.name, "Company"));
    ASSERT_EQ(r.status, 200) << r.body.dump();
    const json& results = r.body["responses"]["q"]["results"];
    EXPECT_FALSE(results.empty()) << row.params;
    for (const json& x : results) {
      const json& topics = x["properties"]["topics"];
      EXPECT_NE(std::find(topics.begin(), topics.end(), row.topic), topics.end()) << x.dump();
      if (row.list) {
        EXPECT_EQ(x["datasets"][0], row.list);
      }
    }
  }
  // Excluding the schema of every listed organisation leaves only persons.
  HttpReply r = Call("POST",
                     "/match/default?limit=10&cutoff=0.5&exclude_schema=Company&exclude_schema="
                     "Organization&exclude_schema=LegalEntity",
                     OneQuery(name, "LegalEntity"));
  ASSERT_EQ(r.status, 200) << r.body.dump();
  for (const json& x : r.body["responses"]["q"]["results"])
    EXPECT_EQ(x["schema"], "Person");
}

// One invalid query of a batch gets its own error; the others are answered.
TEST_F(YenteHttpTest, AnInvalidQueryGetsItsOwnError) {
  json body = {{"queries",
                {{"good",
                  {{"schema", "Company"},
                   {"properties", {{"name", {"Korea Mining Development Trading Corporation"}}}}}},
                 {"no_name", {{"schema", "Person"}, {"properties", {{"birthDate", {"1970"}}}}}},
                 {"bad_schema", {{"schema", "Spaceship"}, {"properties", {{"name", {"X"}}}}}},
                 {"not_an_object", 42}}}};
  HttpReply r = Call("POST", "/match/default", body);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ExpectConforms(r, "/match/{dataset}", "post");
  const json& responses = r.body["responses"];
  EXPECT_EQ(responses["good"]["status"], 200);
  EXPECT_FALSE(responses["good"]["results"].empty());
  for (const char* key : {"no_name", "bad_schema", "not_an_object"}) {
    EXPECT_EQ(responses[key]["status"], 400) << key;
    EXPECT_EQ(responses[key]["error"]["code"], "invalid_request") << key;
    EXPECT_NE(responses[key]["error"]["message"].get<std::string>().find(key), std::string::npos)
        << responses[key].dump();
    EXPECT_TRUE(responses[key]["results"].empty());
  }
  // Whole-request problems still fail the request.
  struct Row {
    const char* path;
    json body;
    int status;
    const char* code;
  };
  const json good = OneQuery("Tanchon Commercial Bank", "Company");
  const Row rows[] = {
      {"/match/default?limit=501", good, 400, "invalid_request"},
      {"/match/default?limit=2.5", good, 400, "invalid_request"},
      {"/match/default?threshold=1.5", good, 400, "invalid_request"},
      {"/match/default?include_dataset=un_scc", good, 400, "invalid_request"},
      {"/match/default?include_dataset=un_sc&exclude_dataset=un_sc", good, 400, "invalid_request"},
      {"/match/default?algorithm=logic-v2", good, 400, "invalid_request"},
      {"/match/default?changed_since=2026-01-01", good, 400, "invalid_request"},
      {"/match/no_such_list", good, 404, "dataset_not_found"},
      {"/match/default", json{{"queries", json::object()}}, 400, "invalid_request"},
  };
  for (const Row& row : rows) {
    HttpReply e = Call("POST", row.path, row.body);
    EXPECT_EQ(e.status, row.status) << row.path << " " << e.body.dump();
    EXPECT_EQ(e.body["error"]["code"], row.code) << row.path;
    ExpectConforms(e, "/match/{dataset}", "post");
  }
  HttpReply best = Call("POST", "/match/default?algorithm=best", good);
  EXPECT_EQ(best.status, 200);
}

TEST_F(YenteHttpTest, EntitiesByNamespacedOrPublisherId) {
  const Data& d = SharedData();
  const lists::ListVersion* un = d.List("un_sc");
  const lists::ListVersion* csl = d.List("us_csl");
  for (const lists::Entity* e :
       {&un->entities.front(), &un->entities.back(), &csl->entities[csl->entities.size() / 2]}) {
    const json expected = internal::EntityResponse(*e);
    HttpReply r = Call("GET", "/entities/" + PathEncode(e->list + "-" + e->id));
    ASSERT_EQ(r.status, 200) << e->id << " " << r.body.dump();
    ExpectConforms(r, "/entities/{id}", "get");
    EXPECT_EQ(r.body, expected);
  }
  // The publisher's id alone, when one list has it.
  const lists::Entity& first = un->entities.front();
  HttpReply bare = Call("GET", "/entities/" + first.id);
  ASSERT_EQ(bare.status, 200) << bare.body.dump();
  EXPECT_EQ(bare.body["id"], "un_sc-" + first.id);
  HttpReply missing = Call("GET", "/entities/un_sc-no-such-entity");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["code"], "entity_not_found");
  ExpectConforms(missing, "/entities/{id}", "get");
}

TEST_F(YenteHttpTest, CatalogAndAlgorithms) {
  const Data& d = SharedData();
  HttpReply c = Call("GET", "/catalog");
  ASSERT_EQ(c.status, 200) << c.body.dump();
  ExpectConforms(c, "/catalog", "get");
  EXPECT_EQ(c.body["index_stale"], false);
  for (const lists::ListVersion& v : d.loaded) {
    const json* found = nullptr;
    for (const json& ds : c.body["datasets"])
      if (ds["name"] == v.list_id) found = &ds;
    ASSERT_NE(found, nullptr) << v.list_id;
    EXPECT_EQ((*found)["version"], v.date);
    EXPECT_EQ((*found)["entity_count"], v.entities.size());
    EXPECT_NE(std::find(c.body["current"].begin(), c.body["current"].end(), v.list_id),
              c.body["current"].end());
  }
  HttpReply a = Call("GET", "/algorithms");
  ASSERT_EQ(a.status, 200) << a.body.dump();
  ExpectConforms(a, "/algorithms", "get");
  ASSERT_EQ(a.body["algorithms"].size(), 1u);
  const std::string name = a.body["algorithms"][0]["name"];
  EXPECT_EQ(a.body["best"], name);
  EXPECT_EQ(a.body["default"], name);
  // The algorithm it names is the one /match accepts.
  HttpReply m = Call("POST", "/match/default?algorithm=" + name,
                     OneQuery("Tanchon Commercial Bank", "Company"));
  EXPECT_EQ(m.status, 200) << m.body.dump();
}

TEST_F(YenteHttpTest, NewRoutesNeedAToken) {
  for (const char* path : {"/catalog", "/algorithms", "/entities/un_sc-1"}) {
    HttpReply r = Call("GET", path, nullptr, /*authenticated=*/false);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.body["error"]["code"], "unauthenticated") << path;
  }
}

}  // namespace
}  // namespace dualuse::server
