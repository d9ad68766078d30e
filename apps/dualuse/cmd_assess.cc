// dualuse assess FILE|-: one request, a JSON array of requests, or JSON lines
// (docs/spec.md sections 1-3, 7, 8). The steps of an assessment are the
// service's (service/assess.h), as POST /assess runs them; this file reads,
// writes and records.
//
// A single request that is invalid fails the run with exit 2 and one line
// "error: <file>: $.path: <expectation>", nothing on stdout. In a batch (JSON
// lines or an array), an invalid request is answered in its place by an error
// object (batch.h) and the others go on: exit 4. JSON lines are read and
// answered as they come, memory flat in their number: answers are written
// once their records are committed, in groups of kRecordGroup, and at once
// whenever the input pauses (a pipe waiting for its writer).
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "batch.h"
#include "command.h"
#include "dualuse/base/date.h"
#include "dualuse/messages/catalogue.h"
#include "dualuse/messages/refusal.h"
#include "dualuse/rules/codec.h"
#include "dualuse/screening/engine.h"
#include "dualuse/screening/screener.h"
#include "dualuse/service/assess.h"
#include "dualuse/service/assessment_record.h"
#include "dualuse/service/list_requirements.h"
#include "dualuse/service/recording.h"
#include "dualuse/service/screening_record.h"
#include "dualuse/store/store.h"

namespace dualuse::cli {

namespace {

using nlohmann::json;

// Records per transaction: large enough that a commit's cost spreads over
// many records, small enough that answers are not held back long.
constexpr size_t kRecordGroup = 256;

enum class InputShape { kSingle, kArray, kLines };

// "line 3, column 7" for a byte offset.
std::string Where(const std::string& text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r") == std::string::npos; }

struct RunOptions {
  std::string format;  // json, jsonl, text
  std::set<std::string> fail_on;
  bool record = true;
  std::string target;  // the store
  bool create_data_dir = false;
  std::string data_dir;
  std::string actor;
  std::string lang = "en";  // of the answers' texts
};

// Answers requests one at a time, in input order. With recording, answers
// are held in groups; a writer thread commits each group's records (while the
// next group is assessed) and then writes its answers, so that no answer is
// written before its record is committed.
class Batch {
 public:
  Batch(const service::AssessService& service, RunOptions options, InputShape shape,
        std::unique_ptr<store::Store> store)
      : service_(service), o_(std::move(options)), shape_(shape), store_(std::move(store)) {
    if (o_.record) writer_ = std::thread([this] { WriterLoop(); });
  }
  ~Batch() { StopWriter(); }  // before the stores close

  // One request; `line` is its line (JSON lines) or position (array), 1-based.
  Status Answer(const json& request, size_t line, const std::string& name) {
    ++requests_;
    auto prepared = service_.Prepare(request, name, store_.get());
    if (!prepared.ok()) {
      if (shape_ == InputShape::kSingle) return InLang(prepared.error(), name, false);
      return Reject(line, InLang(prepared.error(), name, true), name);
    }
    prepared->request.lang = o_.lang;
    if (o_.record && !store_) DU_RETURN_IF_ERROR(OpenStore());
    auto det = service_.Decide(*prepared, store_.get());
    if (!det.ok()) return det.error().WithPrefix(name);
    CountFailOn(*det);
    std::string compact = rules::ToJsonString(*det, -1);
    std::string text;
    if (o_.format == "jsonl") {
      text = compact + "\n";
    } else if (o_.format == "text") {
      text = rules::ToText(*det);
    } else {
      text = rules::ToJsonString(*det, 2);
    }
    if (!o_.record) {
      Emit(text);
      return Status::Ok();
    }
    group_.plans.push_back(service::PlanAssessmentRecord(
        prepared->request, *det, rules::ToJson(prepared->request).dump(), std::move(compact),
        o_.actor, service::ListedEntityHashes(service_.screener())));
    // The listed entities' identity across lists (a shared UN reference
    // number), as screening gives it: one review item per party and entity.
    if (service_.screener()) {
      for (service::PlannedAlert& pa : group_.plans.back().alerts) {
        if (!pa.alert.entity_id.empty()) {
          service::ListedEntityIdentity(*service_.screener(), &pa.alert);
        }
      }
    }
    group_.texts.push_back(std::move(text));
    if (group_.plans.size() >= kRecordGroup) return Submit();
    return Status::Ok();
  }

  // A refused request's message in the reader's language (messages/refusal.h),
  // still prefixed by `name` (the input file); `detail`: the path and the
  // expectation only, for a rejected line of a batch.
  Status InLang(const Status& s, const std::string& name, bool detail) const {
    if (s.code() != StatusCode::kInvalidArgument || o_.lang == messages::kDefaultLang) return s;
    auto cat = messages::Catalogue::Default();
    if (!cat.ok()) return s;
    std::string text = detail ? messages::RefusalDetail(**cat, o_.lang, s.message(), name)
                              : messages::RefusalText(**cat, o_.lang, s.message(), name);
    return Status::InvalidArgument(name.empty() ? text : name + ": " + text);
  }

  // A line that is not JSON at all.
  Status RejectText(size_t line, const std::string& expectation) {
    ++requests_;
    return Reject(line, Status::InvalidArgument("$: " + expectation), "");
  }

  // Commits the records held and writes their answers, then returns.
  Status Commit() {
    if (!o_.record)
      return out_.Flush() ? Status::Ok() : Status::Internal("cannot write the output");
    DU_RETURN_IF_ERROR(Submit());
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return queue_.empty() && !busy_; });
    return error_;
  }

  Status Finish() {
    DU_RETURN_IF_ERROR(Commit());
    StopWriter();
    if (o_.format == "json" && shape_ != InputShape::kSingle) {
      out_.Write(emitted_ ? "\n]\n" : "[]\n");
    }
    if (!out_.Flush()) return Status::Internal("cannot write the output");
    if (matched_ > 0) {
      std::fprintf(stderr, "dualuse assess: %zu of %zu answers matched --fail-on\n", matched_,
                   requests_);
      ActionExitCode() = kExitFailOn;
    }
    if (rejected_ > 0) {
      std::fprintf(stderr,
                   "dualuse assess: %zu of %zu requests rejected (invalid_request); the other %zu "
                   "were answered%s\n",
                   rejected_, requests_, requests_ - rejected_, o_.record ? " and recorded" : "");
      if (ActionExitCode() == 0) ActionExitCode() = kExitSomeRejected;
    }
    return Status::Ok();
  }

 private:
  struct Group {
    std::vector<service::AssessmentRecordPlan> plans;
    std::vector<std::string> texts;  // the answers, rejections included, in input order
  };

  Status OpenStore() {
    if (o_.create_data_dir) {
      std::error_code ec;
      std::filesystem::create_directories(o_.data_dir, ec);
    }
    DU_ASSIGN_OR_RETURN(store_, store::Store::Open(o_.target));
    return Status::Ok();
  }

  // Hands the group over to the writer; waits while two are queued, so that
  // memory stays flat however long the input.
  Status Submit() {
    if (group_.texts.empty()) return Status::Ok();
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return queue_.size() < 2 || !error_.ok(); });
    if (!error_.ok()) return error_;
    queue_.push_back(std::move(group_));
    group_ = Group();
    lock.unlock();
    cv_.notify_all();
    return Status::Ok();
  }

  void WriterLoop() {
    for (;;) {
      Group g;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopped and drained
        g = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        if (!error_.ok()) {  // after a failed commit nothing more is written
          busy_ = false;
          cv_.notify_all();
          continue;
        }
      }
      Status s = Write(g);
      {
        std::lock_guard lock(mu_);
        busy_ = false;
        if (!s.ok()) error_ = s;
      }
      cv_.notify_all();
    }
  }

  Status Write(Group& g) {
    if (!g.plans.empty()) {
      if (!writer_store_) {
        DU_ASSIGN_OR_RETURN(writer_store_, store::Store::Open(o_.target));
      }
      service::AssessmentRecorder recorder(*writer_store_);
      for (auto& p : g.plans)
        recorder.Add(std::move(p));
      DU_ASSIGN_OR_RETURN(auto written, recorder.Flush());
      (void)written;
    }
    for (const std::string& t : g.texts)
      Emit(t);
    if (!out_.Flush()) return Status::Internal("cannot write the output");
    return Status::Ok();
  }

  void StopWriter() {
    if (!writer_.joinable()) return;
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    writer_.join();
  }

  Status Reject(size_t line, const Status& why, const std::string& name) {
    ++rejected_;
    nlohmann::ordered_json e = LineError(line, why, name);
    std::string text;
    if (o_.format == "text") {
      text = "line " + std::to_string(line) + ": error: " + e["error"]["path"].get<std::string>() +
             ": " + e["error"]["message"].get<std::string>() + "\n";
    } else if (o_.format == "jsonl") {
      text = e.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    } else {
      text = e.dump(2, ' ', false, json::error_handler_t::replace);
    }
    if (o_.record) {
      group_.texts.push_back(std::move(text));
    } else {
      Emit(text);
    }
    return Status::Ok();
  }

  void CountFailOn(const rules::Determination& d) {
    if (o_.fail_on.empty()) return;
    bool hit = o_.fail_on.count(rules::EffectName(d.verdict)) > 0 ||
               (d.review_required && o_.fail_on.count("review_required") > 0);
    for (const rules::PartyScreening& s : d.screening)
      hit = hit || o_.fail_on.count(s.status) > 0;
    matched_ += hit ? 1 : 0;
  }

  // Called by one thread only: the writer with recording, else the caller.
  void Emit(const std::string& text) {
    if (o_.format == "text") {
      if (emitted_) out_.Write("\n" + std::string(78, '=') + "\n\n");
      out_.Write(text);
    } else if (o_.format == "jsonl") {
      out_.Write(text);
    } else if (shape_ == InputShape::kSingle) {
      out_.Write(text + "\n");
    } else {
      out_.Write(emitted_ ? ",\n" : "[\n");
      out_.Write(text);
    }
    emitted_ = true;
  }

  const service::AssessService& service_;
  RunOptions o_;
  InputShape shape_;
  std::unique_ptr<store::Store> store_;  // look-ups by the assessing thread
  // The writer's own connection: a group's transaction does not hold up the
  // look-ups of the next group (SQLite WAL readers, PostgreSQL connections).
  std::unique_ptr<store::Store> writer_store_;
  Group group_;  // being assessed
  OutputBuffer out_;
  bool emitted_ = false;
  size_t requests_ = 0, rejected_ = 0, matched_ = 0;
  // The writer thread and its queue.
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Group> queue_;
  bool busy_ = false, stop_ = false;
  Status error_;
  std::thread writer_;
};

// The whole input as one document (a request or an array), from `text`.
Status RunDocument(Batch& batch, const std::string& text, const std::string& file,
                   InputShape* shape) {
  (void)shape;
  json whole = json::parse(text, nullptr, false);
  if (whole.is_discarded()) {
    try {
      json probe = json::parse(text);
      (void)probe;
    } catch (const json::parse_error& e) {
      return Status::InvalidArgument(file + ": " + Where(text, e.byte > 0 ? e.byte - 1 : 0) +
                                     ": expected a JSON request, an array or JSON lines (invalid "
                                     "JSON)");
    }
    return Status::InvalidArgument(file + ": $: expected a JSON request");
  }
  if (whole.is_array()) {
    if (whole.empty()) return Status::InvalidArgument(file + ": $: expected at least one request");
    for (size_t i = 0; i < whole.size(); ++i) {
      DU_RETURN_IF_ERROR(batch.Answer(whole[i], i + 1, file));
    }
    return Status::Ok();
  }
  return batch.Answer(whole, 1, file);
}

}  // namespace

// The screening behind --list, else the lists imported into the data
// directory (in force on `as_of`). nullptr when there are none: the engine
// then reports every party as "not_screened" and says so in a finding.
Result<std::unique_ptr<screening::PartyScreener>> LoadScreener(
    const std::vector<std::string>& lists, const std::string& data_dir, const Date& as_of) {
  auto s = screening::LoadScreener(lists, data_dir, as_of);
  if (!s.ok()) {
    if (lists.empty() && s.error().code() == StatusCode::kFailedPrecondition) {
      return std::unique_ptr<screening::PartyScreener>();  // no lists imported
    }
    return s.error();
  }
  return std::unique_ptr<screening::PartyScreener>(std::move(s).value());
}

void RegisterAssess(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "assess",
      "Assess export requests (dualuse.assessment/1) under the law in force on their date");
  cmd->footer(
      "Exit codes: 0 all answered; 1 internal error or store unreachable; 2 unusable input "
      "(a single invalid request, not JSON, bad options); 3 an answer matched --fail-on; 4 some "
      "lines of a batch were rejected (answered by {\"line\": N, \"error\": ...}), the "
      "others answered and recorded. 3 wins over 4.");
  struct Opts {
    CommonOptions common;
    std::string input;
    std::string db;
    std::string actor;
    std::string fail_on;
    std::string lang;
    bool no_record = false;
  };
  auto o = std::make_shared<Opts>();
  AddCommonOptions(cmd, &o->common);
  cmd->add_option("--format", o->common.format,
                  "json, jsonl or text (default: json; jsonl for "
                  "JSON-lines input)")
      ->check(CLI::IsMember({"json", "jsonl", "text"}));
  cmd->add_option("input", o->input,
                  "Request file: one request, a JSON array or JSON lines; - for "
                  "stdin")
      ->required();
  cmd->add_option("--db", o->db,
                  "Store for records and review decisions: a SQLite path or postgresql:// URL "
                  "(default: <data-dir>/dualuse.db)");
  cmd->add_option("--actor", o->actor, "Who is assessing, for the record (default $DUALUSE_ACTOR)");
  cmd->add_option("--fail-on", o->fail_on,
                  "Exit 3 (after all output) when an answer has one of these, comma-separated: "
                  "verdicts (prohibited, licence_required, notify_authority, "
                  "needs_classification, general_authorisation, no_licence_required), "
                  "review_required, or a party's screening status (hit, potential_match, "
                  "not_screened)");
  cmd->add_option("--lang", o->lang,
                  "Language of the answers' texts: en or nl (default: nl when LC_ALL, "
                  "LC_MESSAGES or LANG starts with nl, else en); codes are the same in every "
                  "language")
      ->check(CLI::IsMember({"en", "nl"}));
  cmd->add_flag("--no-record", o->no_record,
                "Do not consult or write the store (no record, no confirmed matches)");
  SetAction(cmd, [o]() -> Status {
    RunOptions run;
    run.lang = o->lang.empty() ? messages::LangFromEnvironment() : o->lang;
    if (!o->fail_on.empty()) {
      DU_ASSIGN_OR_RETURN(
          run.fail_on,
          ParseFailOn(o->fail_on,
                      {"prohibited", "licence_required", "notify_authority", "needs_classification",
                       "general_authorisation", "no_licence_required", "review_required", "hit",
                       "potential_match", "not_screened"}));
    }
    service::AssessOptions options;
    if (!o->common.as_of.empty()) {
      options.as_of = Date::Parse(o->common.as_of);
      if (!options.as_of) {
        return Status::InvalidArgument("--as-of: expected a date YYYY-MM-DD, got \"" +
                                       o->common.as_of + "\"");
      }
    }
    DU_ASSIGN_OR_RETURN(auto screener, LoadScreener(o->common.lists, DataDir(o->common),
                                                    options.as_of.value_or(Date::Today())));
    // Record references: ids in <data-dir>/classification-records, paths
    // relative to the request file's directory.
    options.records_dir = DataDir(o->common) + "/classification-records";
    if (o->input != "-") options.base_dir = std::filesystem::path(o->input).parent_path().string();
    DU_ASSIGN_OR_RETURN(
        options.lists, service::LoadListRequirements(DataDir(o->common), !o->common.lists.empty()));
    DU_ASSIGN_OR_RETURN(auto service, service::AssessService::Create(screener.get(), options));
    const std::string file = o->input == "-" ? "<stdin>" : o->input;
    DU_ASSIGN_OR_RETURN(LineReader reader, LineReader::Open(o->input));

    // Ids are looked up in the store first (the web UI keeps its records
    // there), when a store already exists: a request that fails to parse must
    // not create one.
    run.record = !o->no_record;
    run.data_dir = DataDir(o->common);
    run.target = o->db.empty() ? store::Store::DefaultPath(run.data_dir) : o->db;
    run.create_data_dir = o->db.empty();
    run.actor = o->actor.empty() ? service::DefaultActor() : o->actor;
    std::unique_ptr<store::Store> st;
    if (run.record &&
        (run.target.rfind("postgresql://", 0) == 0 || run.target.rfind("postgres://", 0) == 0 ||
         std::filesystem::exists(run.target))) {
      DU_ASSIGN_OR_RETURN(st, store::Store::Open(run.target));
    }

    // The shape: JSON lines when the first non-blank line is a document on
    // its own and more follows; else one document (a request or an array).
    std::string first, second;
    size_t first_line = 0, second_line = 0;
    while (reader.Next(&first) && Blank(first)) {
    }
    first_line = reader.line_number();
    if (Blank(first)) {
      return Status::InvalidArgument(file +
                                     ": $: expected a JSON request, an array or JSON lines; "
                                     "the input is empty");
    }
    json first_doc = json::parse(first, nullptr, false);
    bool lines = false;
    if (!first_doc.is_discarded()) {
      while (reader.Next(&second) && Blank(second)) {
      }
      second_line = reader.line_number();
      lines = !Blank(second);
    }
    run.format = o->common.format;
    if (run.format.empty()) run.format = lines ? "jsonl" : "json";
    if (!lines) {
      std::string text = std::string(first_line - 1, '\n') + first + "\n" + reader.Rest();
      InputShape shape = InputShape::kSingle;
      if (!first_doc.is_discarded()) {
        shape = first_doc.is_array() ? InputShape::kArray : InputShape::kSingle;
      } else {
        size_t p = text.find_first_not_of(" \t\r\n");
        shape = p != std::string::npos && text[p] == '[' ? InputShape::kArray : InputShape::kSingle;
      }
      Batch batch(*service, run, shape, std::move(st));
      DU_RETURN_IF_ERROR(RunDocument(batch, text, file, &shape));
      return batch.Finish();
    }
    Batch batch(*service, run, InputShape::kLines, std::move(st));
    auto one = [&](const std::string& line_text, size_t line) -> Status {
      json j = json::parse(line_text, nullptr, false);
      if (j.is_discarded()) {
        return batch.RejectText(line, "expected one JSON request per line (invalid JSON)");
      }
      return batch.Answer(j, line, file + ":" + std::to_string(line));
    };
    DU_RETURN_IF_ERROR(one(first, first_line));
    DU_RETURN_IF_ERROR(one(second, second_line));
    std::string line;
    for (;;) {
      if (reader.WouldBlock()) DU_RETURN_IF_ERROR(batch.Commit());
      if (!reader.Next(&line)) break;
      if (Blank(line)) continue;
      DU_RETURN_IF_ERROR(one(line, reader.line_number()));
    }
    return batch.Finish();
  });
}

}  // namespace dualuse::cli
