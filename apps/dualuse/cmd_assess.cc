// dualuse assess FILE|-: one request, a JSON array of requests, or JSON lines
// (spec/README.md sections 1-3, 7). Every request is parsed and checked
// before anything is printed: a bad request fails the whole run with exit 2
// and one line "error: <file>: $.path: <expectation>", nothing on stdout.
// Record references (items[].classification_record, due_diligence) are
// resolved before the rules run (classify/integration.h); the determination
// cites the records and, for notify_authority, carries the notification.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "assess_record.h"
#include "command.h"
#include "dualuse/base/date.h"
#include "dualuse/classify/integration.h"
#include "dualuse/law/law_data.h"
#include "dualuse/rules/codec.h"
#include "dualuse/rules/engine.h"
#include "dualuse/screening/engine.h"
#include "dualuse/screening/screener.h"
#include "dualuse/store/recording.h"
#include "dualuse/store/store.h"

namespace dualuse::cli {

namespace {

using nlohmann::json;

enum class InputShape { kSingle, kArray, kLines };

struct Input {
  InputShape shape = InputShape::kSingle;
  std::vector<rules::AssessmentRequest> requests;
  std::vector<json> resolved;  // the requests with their record references resolved
};

Result<std::string> ReadAll(const std::string& path) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::InvalidArgument(path + ": cannot open the file");
    ss << in.rdbuf();
    if (in.bad()) return Status::InvalidArgument(path + ": cannot read the file");
  }
  return ss.str();
}

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

Status ParseOne(const json& j, const std::string& name, const rules::Engine& engine,
                classify::ResolveOptions records, Input* out) {
  records.name = name;
  DU_ASSIGN_OR_RETURN(json resolved, classify::ResolveRecordReferences(j, records));
  DU_ASSIGN_OR_RETURN(auto req, rules::ParseRequest(resolved, name));
  DU_RETURN_IF_ERROR(engine.Validate(req, name));
  out->requests.push_back(std::move(req));
  out->resolved.push_back(std::move(resolved));
  return Status::Ok();
}

Result<Input> ParseInput(const std::string& text, const std::string& file,
                         const rules::Engine& engine, const classify::ResolveOptions& records) {
  Input in;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return Status::InvalidArgument(file +
                                   ": $: expected a JSON request, an array or JSON lines; "
                                   "the input is empty");
  }
  json whole = json::parse(text, nullptr, false);
  if (!whole.is_discarded()) {
    if (whole.is_array()) {
      in.shape = InputShape::kArray;
      if (whole.empty())
        return Status::InvalidArgument(file + ": $: expected at least one request");
      for (size_t i = 0; i < whole.size(); ++i) {
        // Paths inside an array read "$[3].items[0]...".
        Status v = ParseOne(whole[i], file, engine, records, &in);
        if (!v.ok()) {
          std::string m = v.message();
          std::string pre = file + ": $";
          if (m.rfind(pre, 0) == 0) m = pre + "[" + std::to_string(i) + "]" + m.substr(pre.size());
          return Status(v.code(), m);
        }
      }
      return in;
    }
    in.shape = InputShape::kSingle;
    DU_RETURN_IF_ERROR(ParseOne(whole, file, engine, records, &in));
    return in;
  }
  // Not one JSON document: JSON lines if the first line is a document on its own.
  size_t eol = text.find('\n', first);
  std::string first_line =
      text.substr(first, eol == std::string::npos ? std::string::npos : eol - first);
  if (eol == std::string::npos || json::parse(first_line, nullptr, false).is_discarded()) {
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
  in.shape = InputShape::kLines;
  size_t pos = 0, line = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++line;
    std::string_view sv(text.data() + pos, end - pos);
    pos = end + 1;
    if (sv.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string name = file + ":" + std::to_string(line);
    json j = json::parse(sv.begin(), sv.end(), nullptr, false);
    if (j.is_discarded()) {
      return Status::InvalidArgument(name +
                                     ": $: expected one JSON request per line (invalid "
                                     "JSON)");
    }
    DU_RETURN_IF_ERROR(ParseOne(j, name, engine, records, &in));
  }
  return in;
}

class Progress {
 public:
  Progress(size_t total) : total_(total), on_(total >= 200 && isatty(STDERR_FILENO)) {}
  void Step(size_t done) {
    if (!on_) return;
    int pct = static_cast<int>(done * 100 / total_);
    if (pct == last_ && done != total_) return;
    last_ = pct;
    int bar = pct / 2;
    std::fprintf(stderr, "\rassessing [%.*s%*s] %3d%% %zu/%zu", bar,
                 "##################################################", 50 - bar, "", pct, done,
                 total_);
    if (done == total_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  size_t total_;
  bool on_;
  int last_ = -1;
};

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
  struct Opts {
    CommonOptions common;
    std::string input;
    std::string db;
    std::string actor;
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
  cmd->add_flag("--no-record", o->no_record,
                "Do not consult or write the store (no record, no confirmed matches)");
  SetAction(cmd, [o]() -> Status {
    std::optional<Date> as_of;
    if (!o->common.as_of.empty()) {
      as_of = Date::Parse(o->common.as_of);
      if (!as_of) {
        return Status::InvalidArgument("--as-of: expected a date YYYY-MM-DD, got \"" +
                                       o->common.as_of + "\"");
      }
    }
    DU_ASSIGN_OR_RETURN(auto screener, LoadScreener(o->common.lists, DataDir(o->common),
                                                    as_of.value_or(Date::Today())));
    DU_ASSIGN_OR_RETURN(auto engine, rules::Engine::CreateDefault());
    std::string file = o->input == "-" ? "<stdin>" : o->input;
    DU_ASSIGN_OR_RETURN(std::string text, ReadAll(o->input));
    // Record references: ids in <data-dir>/classification-records, paths
    // relative to the request file's directory.
    classify::ResolveOptions records;
    records.records_dir = DataDir(o->common) + "/classification-records";
    if (o->input != "-") records.base_dir = std::filesystem::path(o->input).parent_path().string();
    // Ids are looked up in the store first (the web UI keeps its records
    // there), when a store already exists: a request that fails to parse must
    // not create one.
    std::unique_ptr<store::Store> st;
    const std::string target =
        o->db.empty() ? store::Store::DefaultPath(DataDir(o->common)) : o->db;
    if (!o->no_record && (target.rfind("postgresql://", 0) == 0 ||
                          target.rfind("postgres://", 0) == 0 || std::filesystem::exists(target))) {
      DU_ASSIGN_OR_RETURN(st, store::Store::Open(target));
      records.find_record = [&st](const std::string& id) {
        return store::LatestRecordOutputs(*st, "classification", id);
      };
    }
    DU_ASSIGN_OR_RETURN(Input in, ParseInput(text, file, *engine, records));
    // Every request must fall under a regime before anything is printed.
    std::vector<Date> dates;
    dates.reserve(in.requests.size());
    for (size_t i = 0; i < in.requests.size(); ++i) {
      Date d = rules::Engine::EffectiveDate(in.requests[i], as_of);
      if (!engine->law().RegimeOn(d)) {
        return Status::InvalidArgument(
            file + ": " + (in.shape == InputShape::kSingle ? "$" : "$[" + std::to_string(i) + "]") +
            ".date: no regime in the law data covers " + d.ToString());
      }
      dates.push_back(d);
    }
    std::string format = o->common.format;
    if (format.empty()) format = in.shape == InputShape::kLines ? "jsonl" : "json";
    bool array = format == "json" && in.shape != InputShape::kSingle;
    Progress progress(in.requests.size());
    // Determinations first, then the record, then the output: a run that
    // cannot be recorded prints nothing.
    std::vector<rules::Determination> determinations;
    determinations.reserve(in.requests.size());
    for (size_t i = 0; i < in.requests.size(); ++i) {
      auto det = engine->Assess(in.requests[i], dates[i], screener.get());
      if (!det.ok()) return det.error().WithPrefix(file);
      determinations.push_back(std::move(det).value());
      progress.Step(i + 1);
    }
    if (!o->no_record) {
      if (!st) {
        if (o->db.empty()) {
          std::error_code ec;
          std::filesystem::create_directories(DataDir(o->common), ec);
        }
        DU_ASSIGN_OR_RETURN(st, store::Store::Open(target));
      }
      for (size_t i = 0; i < in.requests.size(); ++i) {
        DU_RETURN_IF_ERROR(ApplyConfirmedMatches(*st, in.requests[i], &determinations[i]));
      }
    }
    // The notification, once the verdict is final; it is part of the record.
    for (size_t i = 0; i < in.requests.size(); ++i) {
      DU_RETURN_IF_ERROR(AttachNotification(in.resolved[i], &determinations[i]));
    }
    if (st) {
      DU_RETURN_IF_ERROR(RecordAssessments(*st, in.requests, determinations,
                                           o->actor.empty() ? store::DefaultActor() : o->actor));
    }
    std::string buf;
    if (array) buf += "[\n";
    for (size_t i = 0; i < in.requests.size(); ++i) {
      const rules::Determination* det = &determinations[i];
      if (format == "text") {
        if (i) buf += "\n" + std::string(78, '=') + "\n\n";
        buf += rules::ToText(*det);
      } else if (format == "jsonl") {
        buf += rules::ToJsonString(*det, -1);
        buf += '\n';
      } else {
        if (i) buf += ",\n";
        buf += rules::ToJsonString(*det, 2);
        if (!array) buf += '\n';
      }
      if (buf.size() > (1 << 20)) {
        std::fwrite(buf.data(), 1, buf.size(), stdout);
        buf.clear();
      }
    }
    if (array) buf += "\n]\n";
    std::fwrite(buf.data(), 1, buf.size(), stdout);
    if (std::fflush(stdout) != 0) return Status::Internal("cannot write the output");
    return Status::Ok();
  });
}

}  // namespace dualuse::cli
