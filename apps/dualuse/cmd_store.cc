// dualuse audit | rescreen | review | replay: the record.
//
//   dualuse audit verify                       check the hash chain of the records
//   dualuse audit export --from D --to D [--format jsonl|csv] [--out FILE]
//   dualuse rescreen [--as-of D] [--old FILE --new FILE]
//   dualuse review list [--state open|confirmed|dismissed|all]
//   dualuse review show ID
//   dualuse review confirm|dismiss ID --reason "..." [--actor NAME]
//   dualuse replay RECORD_ID [--format json|text]
//
// The store: --db (a SQLite path or a postgresql:// URL), else
// <data-dir>/dualuse.db. Records are kept at least five years (Article 27 of
// Regulation (EU) 2021/821); there is deliberately no purge command.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "command.h"
#include "dualuse/base/date.h"
#include "dualuse/service/list_rescreen.h"
#include "dualuse/service/recording.h"
#include "dualuse/service/replay.h"
#include "dualuse/store/store.h"

namespace dualuse::cli {
namespace {

using Json = nlohmann::json;
using store::Store;

struct StoreOptions {
  CommonOptions common;
  std::string db;
};

void AddStoreOptions(CLI::App* cmd, StoreOptions* o) {
  cmd->add_option("--data-dir", o->common.data_dir, kDataDirHelp);
  cmd->add_option(
      "--db", o->db,
      "The store: a SQLite file or a postgresql:// URL (default <data-dir>/dualuse.db)");
}

// Opens the store. Commands that only read do not create one.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& o, bool create) {
  std::string target = o.db;
  if (target.empty()) {
    std::string dir = DataDir(o.common);
    if (create) {
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      if (ec)
        return Status::Unavailable(dir + ": cannot create the data directory: " + ec.message());
    }
    target = Store::DefaultPath(dir);
  }
  store::OpenOptions opt;
  opt.create_if_missing = create;
  auto s = Store::Open(target, opt);
  if (!s.ok() && s.error().code() == StatusCode::kNotFound) {
    return Status::NotFound(target + ": no dualuse store here (use --db or --data-dir)");
  }
  return s;
}

std::string JsonText(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(text).dump()
                          : j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string o = "\"";
  for (char c : v)
    o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

// Writes to --out atomically (temporary file + rename), or to stdout.
class Output {
 public:
  explicit Output(std::string path) : path_(std::move(path)) {}
  Status Open() {
    if (path_.empty() || path_ == "-") return Status::Ok();
    tmp_ = path_ + ".tmp." + std::to_string(getpid());
    f_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!f_) return Status::Unavailable(path_ + ": cannot write");
    return Status::Ok();
  }
  void Write(const std::string& s) {
    if (tmp_.empty()) {
      std::fwrite(s.data(), 1, s.size(), stdout);
    } else {
      f_ << s;
    }
  }
  Status Commit() {
    if (tmp_.empty())
      return std::fflush(stdout) == 0 ? Status::Ok() : Status::Unavailable("stdout");
    f_.close();
    std::error_code ec;
    if (!f_ || (std::filesystem::rename(tmp_, path_, ec), ec)) {
      std::filesystem::remove(tmp_, ec);
      return Status::Unavailable(path_ + ": cannot write");
    }
    tmp_.clear();
    return Status::Ok();
  }
  ~Output() {
    if (!tmp_.empty()) {
      std::error_code ec;
      std::filesystem::remove(tmp_, ec);
    }
  }

 private:
  std::string path_, tmp_;
  std::ofstream f_;
};

// ------------------------------------------------------------------ audit

void RegisterAudit(CLI::App& app) {
  auto* audit = app.add_subcommand(
      "audit", "Check and export the hash-chained records (kept >= 5 years, Art 27 of 2021/821)");
  audit->require_subcommand(1);

  static StoreOptions ao;
  auto* anchor = audit->add_subcommand(
      "anchor",
      "Print a checkpoint of the chain (record count, head hash, time) to keep outside the "
      "database; `audit verify --anchor` checks the chain still passes through it");
  AddStoreOptions(anchor, &ao);
  SetAction(anchor, [] {
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(ao, false));
    DU_ASSIGN_OR_RETURN(store::Anchor a, st->MakeAnchor());
    std::printf("%s\n", store::AnchorText(a).c_str());
    return Status::Ok();
  });

  static StoreOptions vo;
  static std::string vformat = "text", vanchor;
  auto* verify = audit->add_subcommand(
      "verify", "Recompute the hash chain; report modified, inserted or deleted records");
  AddStoreOptions(verify, &vo);
  verify->add_option("--format", vformat, "text or json")->check(CLI::IsMember({"text", "json"}));
  verify->add_option("--anchor", vanchor,
                     "An anchor printed by `audit anchor` (its text, or a file holding it): "
                     "also detect truncation, rewriting and replacement since then");
  SetAction(verify, [] {
    std::optional<store::Anchor> anchor;
    if (!vanchor.empty()) {
      std::string text = vanchor;
      if (text.rfind("dualuse-anchor/", 0) != 0) {
        std::ifstream in(vanchor);
        if (!in) return Status::NotFound("--anchor: " + vanchor + ": no such file");
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
      }
      auto parsed = store::ParseAnchor(text);
      if (!parsed.ok()) return parsed.error().WithPrefix("--anchor " + vanchor);
      anchor = *parsed;
    }
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(vo, false));
    DU_ASSIGN_OR_RETURN(store::VerifyReport rep,
                        anchor ? st->VerifyWithAnchor(*anchor) : st->Verify());
    if (vformat == "json") {
      Json probs = Json::array();
      for (const auto& p : rep.problems) {
        probs.push_back({{"record", p.record_id}, {"problem", p.what}, {"message", p.message}});
      }
      Json j = {
          {"ok", rep.ok()}, {"records", rep.records}, {"head", rep.head_hash}, {"problems", probs}};
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      for (const auto& p : rep.problems)
        std::printf("%s\n", p.message.c_str());
      if (rep.ok()) {
        std::printf("ok: %lld records, chain intact, head %s\n",
                    static_cast<long long>(rep.records), rep.head_hash.c_str());
      }
    }
    if (!rep.ok()) {
      return Status::DataLoss("audit verify: the record chain is broken (" +
                              std::to_string(rep.problems.size()) + " problem(s))");
    }
    return Status::Ok();
  });

  static StoreOptions eo;
  static std::string efrom, eto, eformat = "jsonl", eout, ekind;
  auto* exp = audit->add_subcommand("export", "Write records for an inspector (JSON lines or CSV)");
  AddStoreOptions(exp, &eo);
  exp->add_option("--from", efrom, "First day, YYYY-MM-DD (inclusive)");
  exp->add_option("--to", eto, "Last day, YYYY-MM-DD (inclusive)");
  exp->add_option("--format", eformat, "jsonl (default) or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  exp->add_option("--out", eout, "Write to FILE instead of stdout");
  exp->add_option("--kind", ekind, "Only records of this kind");
  SetAction(exp, [] {
    for (auto [flag, v] : {std::pair{"--from", &efrom}, std::pair{"--to", &eto}}) {
      if (!v->empty() && !Date::Parse(*v)) {
        return Status::InvalidArgument(std::string(flag) + ": \"" + *v +
                                       "\" is not a date (expected YYYY-MM-DD)");
      }
    }
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(eo, false));
    Output out(eout);
    DU_RETURN_IF_ERROR(out.Open());
    if (eformat == "csv") {
      out.Write(
          "id,recorded_at,kind,actor,subject,law_version,list_versions,inputs,outputs,"
          "prev_hash,hash\r\n");
    }
    store::RecordQuery q;
    q.from = efrom;
    q.to = eto;
    q.kind = ekind;
    q.limit = 2000;
    while (true) {
      DU_ASSIGN_OR_RETURN(std::vector<store::Record> recs, st->Records(q));
      for (const auto& r : recs) {
        if (eformat == "csv") {
          out.Write(std::to_string(r.id) + "," + CsvField(r.recorded_at) + "," + CsvField(r.kind) +
                    "," + CsvField(r.actor) + "," + CsvField(r.subject) + "," +
                    CsvField(r.law_version) + "," + CsvField(r.list_versions) + "," +
                    CsvField(r.inputs) + "," + CsvField(r.outputs) + "," + r.prev_hash + "," +
                    r.hash + "\r\n");
        } else {
          out.Write("{\"id\":" + std::to_string(r.id) +
                    ",\"recorded_at\":" + Json(r.recorded_at).dump() +
                    ",\"kind\":" + Json(r.kind).dump() + ",\"actor\":" + Json(r.actor).dump() +
                    ",\"subject\":" + Json(r.subject).dump() + ",\"law_version\":" +
                    Json(r.law_version).dump() + ",\"list_versions\":" + JsonText(r.list_versions) +
                    ",\"inputs\":" + JsonText(r.inputs) + ",\"outputs\":" + JsonText(r.outputs) +
                    ",\"prev_hash\":\"" + r.prev_hash + "\",\"hash\":\"" + r.hash + "\"}\n");
        }
      }
      if (recs.size() < static_cast<size_t>(q.limit)) break;
      q.after_id = recs.back().id;
    }
    return out.Commit();
  });
}

// --------------------------------------------------------------- rescreen

void Progress(size_t done, size_t total) {
  static int last = -1;
  if (total == 0) return;
  int pct = static_cast<int>(done * 100 / total);
  if (pct == last) return;
  last = pct;
  int bar = pct * 30 / 100;
  std::fprintf(stderr, "\rrescreen [%.*s%*s] %3d%% %zu/%zu", bar, "##############################",
               30 - bar, "", pct, done, total);
  if (done >= total) std::fprintf(stderr, "\n");
}

void RegisterRescreen(CLI::App& app) {
  static StoreOptions o;
  static std::string as_of, old_path, new_path, actor, format = "text";
  static unsigned threads = 0;
  auto* cmd = app.add_subcommand(
      "rescreen",
      "After a list import: screen new/changed list entities against all counterparties and "
      "new counterparties against all lists; raise review items");
  AddStoreOptions(cmd, &o);
  cmd->add_option("--as-of", as_of, "Use the list versions in force on YYYY-MM-DD (default today)");
  cmd->add_option("--old", old_path, "An older version of a list file (with --new)");
  cmd->add_option("--new", new_path, "The newer version of that list file (with --old)");
  cmd->add_option("--actor", actor, "Who runs it (default $DUALUSE_ACTOR, else cli:$USER)");
  cmd->add_option("--threads", threads, "Worker threads (default: all cores)");
  cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
  SetAction(cmd, [] {
    if (old_path.empty() != new_path.empty()) {
      return Status::InvalidArgument("rescreen: --old and --new go together");
    }
    std::optional<Date> date = as_of.empty() ? Date::Today() : Date::Parse(as_of);
    if (!date) return Status::InvalidArgument("--as-of: \"" + as_of + "\": expected YYYY-MM-DD");
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(o, true));
    service::RescreenOptions opt;
    opt.actor = actor.empty() ? service::DefaultActor() : actor;
    opt.threads = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    if (isatty(STDERR_FILENO)) opt.progress = Progress;
    auto t0 = std::chrono::steady_clock::now();
    Result<service::RescreenRun> run =
        old_path.empty() ? service::RescreenFromRegistry(*st, DataDir(o.common), *date, opt)
                         : service::RescreenFromFiles(*st, old_path, new_path, opt);
    DU_RETURN_IF_ERROR(run.status());
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const service::RescreenReport& rep = run->report;
    if (format == "json") {
      Json lists = Json::array();
      for (const auto& u : run->updates) {
        lists.push_back({{"list", u.list}, {"from", u.old_version}, {"to", u.new_version}});
      }
      Json j = {{"record", rep.record_id},
                {"lists", lists},
                {"counterparties", rep.counterparties},
                {"new_counterparties", rep.new_counterparties},
                {"changed_entities", rep.changed_entities},
                {"alerts_raised", rep.raised},
                {"suppressed_dismissed", rep.suppressed},
                {"already_open", rep.duplicates},
                {"seconds", secs}};
      for (const auto& [phase, t] : rep.timings)
        j["phases"][phase] = t;
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      for (const auto& u : run->updates) {
        std::printf("list %s: %s -> %s\n", u.list.c_str(),
                    u.old_version.empty() ? "(never screened)" : u.old_version.c_str(),
                    u.new_version.c_str());
      }
      std::printf(
          "rescreened %zu counterparties (%zu new) against %zu changed entities in %.2f s: %zu "
          "alert(s) raised, %zu suppressed (dismissed before), %zu already open; record %lld\n",
          rep.counterparties, rep.new_counterparties, rep.changed_entities, secs, rep.raised,
          rep.suppressed, rep.duplicates, static_cast<long long>(rep.record_id));
    }
    return Status::Ok();
  });
}

// ----------------------------------------------------------------- review

Json AlertJson(const store::Alert& a) {
  return {{"id", a.id},
          {"state", a.state},
          {"kind", a.kind},
          {"created_at", a.created_at},
          {"subject", a.subject},
          {"counterparty", a.counterparty_id ? Json(a.counterparty_key) : Json()},
          {"counterparty_name", a.counterparty_name},
          {"list", a.list},
          {"list_version", a.list_version},
          {"entity_id", a.entity_id},
          {"entity_name", a.entity_name},
          {"matched_name", a.matched_name},
          {"score", a.score},
          {"effect", a.effect},
          {"jurisdiction", a.jurisdiction},
          {"programs", Json::parse(a.programs, nullptr, false)},
          {"details", Json::parse(a.details, nullptr, false)},
          {"record", a.record_id},
          {"decided_at", a.decided_at},
          {"decided_by", a.decided_by},
          {"reason", a.reason},
          {"decision_record", a.decision_record},
          {"also_listed", Json::parse(a.also_listed, nullptr, false)}};
}

Json GoodGuyJson(const store::GoodGuy& g) {
  Json j = {{"id", g.id},
            {"counterparty", g.counterparty},
            {"list", g.list},
            {"entity_id", g.entity_id},
            {"reason", g.reason},
            {"reviewer", g.reviewer},
            {"created_at", g.created_at},
            {"record", g.record_id}};
  if (g.counterparty_id) j["counterparty_id"] = g.counterparty_id;
  if (!g.removed_at.empty()) {
    j["removed_by"] = g.removed_by;
    j["removed_at"] = g.removed_at;
    j["removed_record"] = g.removed_record;
  }
  return j;
}

Result<int64_t> ParseId(const std::string& s, const char* what);

// dualuse review goodguy add|list|remove: known false positives of this
// store (data directory). Each change is a good_guy record.
void RegisterGoodGuy(CLI::App* review) {
  auto* gg = review->add_subcommand(
      "goodguy",
      "Known false positives: a counterparty that is not a listed entity (screening shows the "
      "match with the reason and raises no review item)");
  gg->require_subcommand(1);

  struct Add {
    StoreOptions o;
    std::string counterparty, list, entity, reason, actor;
  };
  auto a = std::make_shared<Add>();
  auto* add = gg->add_subcommand("add", "Add a known false positive");
  AddStoreOptions(add, &a->o);
  add->add_option("--counterparty", a->counterparty, "The counterparty's name, or its register id")
      ->required();
  add->add_option("--entity", a->entity, "The listed entity's id (the publisher's)")->required();
  add->add_option("--list", a->list, "The list id (default: the entity on any list)");
  add->add_option("--reason", a->reason, "Why they are not the same (kept in the record)")
      ->required();
  add->add_option("--actor", a->actor, "Who decides (default $DUALUSE_ACTOR, else cli:$USER)");
  SetAction(add, [a] {
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(a->o, true));
    DU_ASSIGN_OR_RETURN(store::GoodGuy g,
                        st->AddGoodGuy({a->counterparty, a->list, a->entity, a->reason},
                                       a->actor.empty() ? service::DefaultActor() : a->actor));
    std::printf("good guy %lld added; record %lld\n", static_cast<long long>(g.id),
                static_cast<long long>(g.record_id));
    return Status::Ok();
  });

  struct List {
    StoreOptions o;
    bool all = false;
    std::string format = "text";
  };
  auto l = std::make_shared<List>();
  auto* list = gg->add_subcommand("list", "List the known false positives");
  AddStoreOptions(list, &l->o);
  list->add_flag("--all", l->all, "Also the removed entries");
  list->add_option("--format", l->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  SetAction(list, [l] {
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(l->o, false));
    DU_ASSIGN_OR_RETURN(auto entries, st->GoodGuys(l->all));
    if (l->format == "json") {
      Json arr = Json::array();
      for (const auto& g : entries)
        arr.push_back(GoodGuyJson(g));
      std::printf("%s\n", arr.dump(2, ' ', false, Json::error_handler_t::replace).c_str());
      return Status::Ok();
    }
    for (const auto& g : entries) {
      std::printf("%lld\t%s\t%s:%s\t%s\t%s %s%s\n", static_cast<long long>(g.id),
                  g.counterparty.c_str(), g.list.empty() ? "*" : g.list.c_str(),
                  g.entity_id.c_str(), g.reason.c_str(), g.reviewer.c_str(), g.created_at.c_str(),
                  g.removed_at.empty() ? "" : ("\tremoved by " + g.removed_by).c_str());
    }
    std::fprintf(stderr, "%zu entr%s\n", entries.size(), entries.size() == 1 ? "y" : "ies");
    return Status::Ok();
  });

  struct Remove {
    StoreOptions o;
    std::string id, reason, actor;
  };
  auto r = std::make_shared<Remove>();
  auto* remove = gg->add_subcommand("remove", "Remove a known false positive");
  AddStoreOptions(remove, &r->o);
  remove->add_option("ID", r->id, "The entry's id")->required();
  remove->add_option("--reason", r->reason, "Why (kept in the record)")->required();
  remove->add_option("--actor", r->actor, "Who decides (default $DUALUSE_ACTOR, else cli:$USER)");
  SetAction(remove, [r] {
    DU_ASSIGN_OR_RETURN(int64_t id, ParseId(r->id, "ID"));
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(r->o, false));
    DU_ASSIGN_OR_RETURN(
        store::GoodGuy g,
        st->RemoveGoodGuy(id, r->reason, r->actor.empty() ? service::DefaultActor() : r->actor));
    std::printf("good guy %lld removed; record %lld\n", static_cast<long long>(g.id),
                static_cast<long long>(g.removed_record));
    return Status::Ok();
  });
}

Result<int64_t> ParseId(const std::string& s, const char* what) {
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used == s.size() && v > 0) return static_cast<int64_t>(v);
  } catch (...) {
  }
  return Status::InvalidArgument(std::string(what) + ": \"" + s + "\": expected a positive number");
}

void RegisterReview(CLI::App& app) {
  auto* review =
      app.add_subcommand("review", "The review queue of potential matches and red flags");
  review->require_subcommand(1);
  RegisterGoodGuy(review);

  static StoreOptions lo;
  static std::string state = "open", lformat = "text";
  auto* list = review->add_subcommand("list", "List review items");
  AddStoreOptions(list, &lo);
  list->add_option("--state", state, "open (default), confirmed, dismissed or all")
      ->check(CLI::IsMember({"open", "confirmed", "dismissed", "all"}));
  list->add_option("--format", lformat, "text or json")->check(CLI::IsMember({"text", "json"}));
  SetAction(list, [] {
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(lo, false));
    DU_ASSIGN_OR_RETURN(auto alerts, st->Alerts(state == "all" ? "" : state));
    if (lformat == "json") {
      Json arr = Json::array();
      for (const auto& a : alerts)
        arr.push_back(AlertJson(a));
      std::printf("%s\n", arr.dump(2, ' ', false, Json::error_handler_t::replace).c_str());
      return Status::Ok();
    }
    for (const auto& a : alerts) {
      std::printf("%lld\t%s\t%s\t%s\t%.2f\t%s\n", static_cast<long long>(a.id), a.state.c_str(),
                  a.kind.c_str(),
                  (a.counterparty_name.empty() ? a.subject : a.counterparty_name).c_str(), a.score,
                  a.list.empty() ? "" : (a.list + ":" + a.entity_id + " " + a.entity_name).c_str());
    }
    std::fprintf(stderr, "%zu item(s)\n", alerts.size());
    return Status::Ok();
  });

  static StoreOptions so;
  static std::string sid;
  auto* show = review->add_subcommand("show", "Show one review item (JSON)");
  AddStoreOptions(show, &so);
  show->add_option("ID", sid, "Review item id")->required();
  SetAction(show, [] {
    DU_ASSIGN_OR_RETURN(int64_t id, ParseId(sid, "ID"));
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(so, false));
    DU_ASSIGN_OR_RETURN(store::Alert a, st->GetAlert(id));
    std::printf("%s\n", AlertJson(a).dump(2, ' ', false, Json::error_handler_t::replace).c_str());
    return Status::Ok();
  });

  for (bool confirm : {true, false}) {
    struct Decide {
      StoreOptions o;
      std::string id, reason, actor;
    };
    auto d = std::make_shared<Decide>();  // kept alive by the action below
    auto* cmd = review->add_subcommand(
        confirm ? "confirm" : "dismiss",
        confirm ? "Confirm a match: later assessments of the counterparty are prohibited or "
                  "need review, as its list dictates"
                : "Dismiss a potential match (not raised again until the listing or the "
                  "counterparty changes)");
    AddStoreOptions(cmd, &d->o);
    cmd->add_option("ID", d->id, "Review item id")->required();
    cmd->add_option("--reason", d->reason, "Why (kept in the record)")->required();
    cmd->add_option("--actor", d->actor, "Who decides (default $DUALUSE_ACTOR, else cli:$USER)");
    SetAction(cmd, [d, confirm] {
      DU_ASSIGN_OR_RETURN(int64_t id, ParseId(d->id, "ID"));
      DU_ASSIGN_OR_RETURN(auto st, OpenStore(d->o, false));
      DU_ASSIGN_OR_RETURN(store::Record rec,
                          st->DecideAlert(id, confirm, d->reason,
                                          d->actor.empty() ? service::DefaultActor() : d->actor));
      std::printf("review item %lld %s; record %lld\n", static_cast<long long>(id),
                  confirm ? "confirmed" : "dismissed", static_cast<long long>(rec.id));
      return Status::Ok();
    });
  }
}

// ----------------------------------------------------------------- replay

void RegisterReplay(CLI::App& app) {
  static StoreOptions o;
  static std::string rid, format = "json";
  auto* cmd = app.add_subcommand(
      "replay", "Re-run a recorded assessment with the versions it used, and under today's");
  AddStoreOptions(cmd, &o);
  cmd->add_option("RECORD_ID", rid, "The assessment record")->required();
  cmd->add_option("--format", format, "json (default) or text")
      ->check(CLI::IsMember({"json", "text"}));
  SetAction(cmd, [] {
    DU_ASSIGN_OR_RETURN(int64_t id, ParseId(rid, "RECORD_ID"));
    DU_ASSIGN_OR_RETURN(auto st, OpenStore(o, false));
    service::ReplayOptions opt;
    opt.data_dir = DataDir(o.common);
    DU_ASSIGN_OR_RETURN(service::ReplayResult r, service::Replay(*st, id, opt));
    std::printf("%s\n", (format == "text" ? r.ToText() : r.ToJson()).c_str());
    return Status::Ok();
  });
}

}  // namespace

void RegisterStore(CLI::App& app) {
  RegisterAudit(app);
  RegisterRescreen(app);
  RegisterReview(app);
  RegisterReplay(app);
}

}  // namespace dualuse::cli
