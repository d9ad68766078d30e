// dualuse classify: find the Annex I entry of an item (search, show, guided
// questions, CN hints) and keep the due-diligence record for cyber-surveillance
// items (Article 5 of Regulation (EU) 2021/821).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command.h"
#include "dualuse/base/resources.h"
#include "dualuse/classify/decision_tree.h"
#include "dualuse/classify/due_diligence.h"
#include "dualuse/classify/entry_info.h"
#include "dualuse/classify/integration.h"
#include "dualuse/classify/search.h"
#include "dualuse/controllist/control_list.h"

namespace dualuse::cli {

namespace {

using classify::ClassificationRecord;
using controllist::ControlList;

struct ClassifyOptions {
  CommonOptions common;
  std::string format = "text";
  std::vector<std::string> query;
  int limit = 10;
  std::string code;
  std::string tree;
  std::string answers;
  std::string out;
  std::string who;
  std::string item_id;
  std::string item_description;
  bool save = false;
  std::string input;
  bool notify = false;
  std::string notification_format = "text";
  std::string authority;
  std::string exporter;
  std::string request;
  std::vector<std::string> records;
  std::string due_diligence;
  std::string cn;
};

Result<std::shared_ptr<const ControlList>> LoadList() { return ControlList::Load(); }

Status CheckFormat(const std::string& f, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (f == a) return Status::Ok();
  }
  std::string list;
  for (const char* a : allowed)
    list += std::string(list.empty() ? "" : "|") + a;
  return Status::InvalidArgument("--format: \"" + f + "\" is not supported here (expected " + list +
                                 ")");
}

Result<std::string> ReadInput(const std::string& path) {
  std::stringstream buf;
  if (path == "-") {
    buf << std::cin.rdbuf();
    return buf.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot be read");
  buf << in.rdbuf();
  return buf.str();
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::error_code ec;
  std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Internal(path + ": cannot be written");
    out << text;
    if (!out.good()) return Status::Internal(path + ": write failed");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::Internal(path + ": cannot be written: " + ec.message());
  return Status::Ok();
}

void Print(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  if (!s.empty() && s.back() != '\n') std::fputc('\n', stdout);
  std::fflush(stdout);
}

std::string JoinWords(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& w : v)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

// --- search ---------------------------------------------------------------
Status RunSearch(const ClassifyOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format, {"text", "json"}));
  if (o.limit <= 0 || o.limit > 100) {
    return Status::InvalidArgument("--limit: expected 1 to 100");
  }
  std::string query = JoinWords(o.query);
  DU_ASSIGN_OR_RETURN(auto list, LoadList());
  auto t0 = std::chrono::steady_clock::now();
  DU_ASSIGN_OR_RETURN(auto index, classify::SearchIndex::Build(list));
  auto t1 = std::chrono::steady_clock::now();
  DU_ASSIGN_OR_RETURN(auto hits, index->Search(query, o.limit));
  auto t2 = std::chrono::steady_clock::now();
  double build_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  double search_ms = std::chrono::duration<double, std::milli>(t2 - t1).count();
  std::optional<classify::CyberSurveillanceHint> hint = index->CyberSurveillanceHintFor(query);
  if (o.format == "json") {
    nlohmann::ordered_json j = classify::SearchAnswerToJson(query, list->version(), hits, hint);
    j["timing_ms"] = {{"index_build", build_ms}, {"search", search_ms}};
    Print(j.dump(2));
    return Status::Ok();
  }
  std::string out = "Search \"" + query + "\" in Annex I (" + list->version() + ")\n";
  if (hint) {
    out += "Possibly a cyber-surveillance item (\"" + JoinWords(hint->terms) +
           "\"): " + hint->advice + "\n  Basis: ";
    for (size_t i = 0; i < hint->basis.size(); ++i)
      out += (i ? "; " : "") + hint->basis[i];
    out += "\n  Next: dualuse classify ask " + hint->tree + "\n";
  }
  if (hits.empty()) out += "  no entry matches\n";
  for (size_t i = 0; i < hits.size(); ++i) {
    const auto& h = hits[i];
    char head[64];
    std::snprintf(head, sizeof head, "%2zu. %-14s", i + 1, h.code.c_str());
    out += head;
    if (h.cyber_surveillance) out += " [cyber-surveillance]";
    out += "\n    " + h.heading.substr(0, h.heading.find('\n')) + "\n";
    if (!h.passage.empty() && h.passage != h.heading) out += "    match: " + h.passage + "\n";
    if (!h.via.empty()) out += "    via lay term: " + JoinWords(h.via) + "\n";
  }
  out += "(hints only: read the entry - dualuse classify show CODE)\n";
  Print(out);
  return Status::Ok();
}

// --- show -----------------------------------------------------------------
Status RunShow(const ClassifyOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format, {"text", "json"}));
  DU_ASSIGN_OR_RETURN(auto list, LoadList());
  classify::DescribeOptions d;
  if (!o.common.as_of.empty()) {
    auto date = Date::Parse(o.common.as_of);
    if (!date) return Status::InvalidArgument("--as-of: expected YYYY-MM-DD");
    d.date = *date;
  }
  classify::LawLists law = classify::LoadLawLists("");
  d.law = &law;
  auto us = classify::LoadUsCcl(ResourcePath("classify/us-ccl.json"));
  if (us.ok()) d.us = &us.value();
  auto cn = classify::LoadCnHints(ResourcePath("classify/cn-hints.json"), list.get());
  if (cn.ok()) d.cn = &cn.value();
  std::string code = o.code;
  if (!code.empty() && code.back() == '.') code.pop_back();
  DU_ASSIGN_OR_RETURN(auto info, classify::DescribeEntry(*list, code, d));
  if (!us.ok()) info.notes_on_sources.push_back(us.error().message());
  if (!cn.ok()) info.notes_on_sources.push_back(cn.error().message());
  Print(o.format == "json" ? classify::EntryInfoToJson(info) : classify::EntryInfoToText(info));
  return Status::Ok();
}

// --- cn -------------------------------------------------------------------
Status RunCn(const ClassifyOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format, {"text", "json"}));
  DU_ASSIGN_OR_RETURN(auto list, LoadList());
  DU_ASSIGN_OR_RETURN(auto hints,
                      classify::LoadCnHints(ResourcePath("classify/cn-hints.json"), list.get()));
  DU_ASSIGN_OR_RETURN(auto found, classify::HintsForCn(hints, o.cn));
  if (o.format == "json") {
    nlohmann::ordered_json j;
    j["cn"] = o.cn;
    j["kind"] = "hint";
    j["warning"] = hints.warning;
    j["verification"] = hints.verification;
    j["source"] = hints.source;
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& h : found) {
      nlohmann::ordered_json entries = nlohmann::ordered_json::array();
      for (const auto& e : h.entries) {
        const auto* ce = list->Find(e);
        entries.push_back({{"code", e}, {"heading", ce ? ce->heading : ""}});
      }
      arr.push_back({{"cn_prefix", h.cn}, {"description", h.description}, {"entries", entries}});
    }
    j["hints"] = arr;
    Print(j.dump(2));
    return Status::Ok();
  }
  std::string out = "HINT ONLY - NOT A CLASSIFICATION. CN " + o.cn + "\n";
  if (found.empty()) out += "  no Annex I entries are commonly declared under this code\n";
  for (const auto& h : found) {
    out += "  " + h.cn + " " + h.description + ":\n";
    for (const auto& e : h.entries) {
      const auto* ce = list->Find(e);
      std::string heading = ce ? ce->heading.substr(0, 100) : "";
      out += "    " + e + "  " + heading + "\n";
    }
  }
  out += hints.warning + "\n(source: hand-made table, verification " + hints.verification + ")\n";
  Print(out);
  return Status::Ok();
}

// --- ask ------------------------------------------------------------------
Result<std::string> AskInteractive(const classify::TreeNode& q) {
  while (true) {
    std::fprintf(stderr, "\n%s\n", q.text.c_str());
    if (!q.help.empty()) std::fprintf(stderr, "  (%s)\n", q.help.c_str());
    for (size_t i = 0; i < q.answers.size(); ++i) {
      std::fprintf(stderr, "  %zu) %s\n", i + 1, q.answers[i].label.c_str());
    }
    std::fprintf(stderr, "> ");
    std::fflush(stderr);
    std::string line;
    if (!std::getline(std::cin, line)) {
      return Status::InvalidArgument("stdin: input ended before question \"" + q.id +
                                     "\" was answered");
    }
    if (auto value = classify::MatchAnswer(q, line)) return *value;
    std::fprintf(
        stderr, "Please answer with a number from 1 to %zu%s.\n", q.answers.size(),
        q.answers.size() == 2 && q.answers[0].value == "yes" ? ", y or n (ja or nee)" : "");
  }
}

Status RunAsk(const ClassifyOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format, {"text", "json"}));
  DU_ASSIGN_OR_RETURN(auto list, LoadList());
  DU_ASSIGN_OR_RETURN(auto trees, classify::LoadDecisionTrees("", list.get()));
  const classify::DecisionTree* tree = classify::FindTree(trees, o.tree);
  if (!tree) {
    std::string ids;
    for (const auto& t : trees)
      ids += (ids.empty() ? "" : ", ") + t.id;
    return Status::InvalidArgument("\"" + o.tree + "\" is not a decision tree (expected one of " +
                                   ids + ", or an entry they cover)");
  }
  classify::RecordContext ctx;
  ctx.who = o.who;
  ctx.item_id = o.item_id;
  ctx.item_description = o.item_description;
  ctx.annex_version = list->version();
  ClassificationRecord rec;
  if (!o.answers.empty()) {
    DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o.answers));
    DU_ASSIGN_OR_RETURN(rec, classify::RunTreeWithAnswers(*tree, text, o.answers, ctx));
  } else {
    std::fprintf(stderr, "%s (tree version %s)\nAnswer by number.\n", tree->title.c_str(),
                 tree->version.c_str());
    DU_ASSIGN_OR_RETURN(rec, classify::RunTree(*tree, AskInteractive, ctx));
  }
  std::string json = classify::RecordToJson(rec);
  if (!o.out.empty()) DU_RETURN_IF_ERROR(WriteFile(o.out, json + "\n"));
  if (o.save) {
    std::string path = DataDir(o.common) + "/classification-records/" + rec.id + ".json";
    DU_RETURN_IF_ERROR(WriteFile(path, json + "\n"));
    std::fprintf(stderr, "stored %s\n", path.c_str());
  }
  Print(o.format == "json" ? json : classify::RecordToText(rec));
  return Status::Ok();
}

Status RunTrees(const ClassifyOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format, {"text", "json"}));
  DU_ASSIGN_OR_RETURN(auto list, LoadList());
  DU_ASSIGN_OR_RETURN(auto trees, classify::LoadDecisionTrees("", list.get()));
  if (o.format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& t : trees) {
      arr.push_back({{"id", t.id},
                     {"title", t.title},
                     {"version", t.version},
                     {"covers", t.covers},
                     {"results", t.Leaves().size()},
                     {"verification", t.verification}});
    }
    Print(arr.dump(2));
    return Status::Ok();
  }
  std::string out;
  for (const auto& t : trees) {
    out += t.id + "  " + t.title + " (version " + t.version + ", " +
           std::to_string(t.Leaves().size()) + " results)\n";
  }
  Print(out);
  return Status::Ok();
}

// --- due diligence --------------------------------------------------------
Status RunDueDiligence(const ClassifyOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format, {"text", "json"}));
  DU_RETURN_IF_ERROR(CheckFormat(o.notification_format, {"text", "json"}));
  DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o.input));
  DU_ASSIGN_OR_RETURN(auto rec, classify::ParseDueDiligence(text, o.input));
  auto warnings = classify::DueDiligenceWarnings(rec);
  classify::Knowledge k = classify::KnowledgeFromDueDiligence(rec);
  std::string notification;
  if (o.notify) {
    classify::NotificationOptions n;
    n.authority = o.authority;
    n.exporter = o.exporter;
    if (o.notification_format == "json") {
      DU_ASSIGN_OR_RETURN(notification, classify::NotificationJson(rec, n));
    } else {
      DU_ASSIGN_OR_RETURN(notification, classify::NotificationText(rec, n));
    }
    if (!o.out.empty()) DU_RETURN_IF_ERROR(WriteFile(o.out, notification + "\n"));
  }
  if (o.format == "json") {
    nlohmann::ordered_json j;
    j["valid"] = true;
    j["record"] = nlohmann::ordered_json::parse(classify::DueDiligenceToJson(rec));
    j["warnings"] = warnings;
    j["knowledge"] = {{"aware", k.aware}, {"suspects", k.suspects}};
    if (o.notify) {
      if (o.notification_format == "json") {
        j["notification"] = nlohmann::ordered_json::parse(notification);
      } else {
        j["notification"] = notification;
      }
    }
    Print(j.dump(2));
    return Status::Ok();
  }
  std::string out = classify::DueDiligenceToText(rec);
  out += "\nFor the assessment request: knowledge.aware = [" + JoinWords(k.aware) +
         "], knowledge.suspects = [" + JoinWords(k.suspects) + "]\n";
  for (const auto& w : warnings)
    out += "warning: " + w + "\n";
  if (o.notify) out += "\n--- notification ---\n" + notification + "\n";
  Print(out);
  return Status::Ok();
}

// --- apply (records into an assessment request) -----------------------------
Status RunApply(const ClassifyOptions& o) {
  DU_ASSIGN_OR_RETURN(std::string text, ReadInput(o.request));
  nlohmann::json request = nlohmann::json::parse(text, nullptr, false);
  if (request.is_discarded() || !request.is_object()) {
    return Status::InvalidArgument(o.request + ": $: expected an assessment request (JSON object)");
  }
  std::string records_dir = DataDir(o.common) + "/classification-records";
  for (const auto& ref : o.records) {
    DU_ASSIGN_OR_RETURN(auto rec, classify::LoadClassificationRecord(ref, records_dir));
    DU_ASSIGN_OR_RETURN(request, classify::ApplyClassificationRecord(request, rec));
  }
  if (!o.due_diligence.empty()) {
    DU_ASSIGN_OR_RETURN(std::string dd_text, ReadInput(o.due_diligence));
    DU_ASSIGN_OR_RETURN(auto dd, classify::ParseDueDiligence(dd_text, o.due_diligence));
    DU_ASSIGN_OR_RETURN(request, classify::ApplyDueDiligence(request, dd));
  }
  Print(request.dump(2));
  return Status::Ok();
}

}  // namespace

void RegisterClassify(CLI::App& app) {
  auto opts = std::make_shared<ClassifyOptions>();
  auto* cmd = app.add_subcommand(
      "classify", "Find the Annex I entry of an item; guided questions; due-diligence records");
  cmd->require_subcommand(1);

  auto* search = cmd->add_subcommand("search", "Rank Annex I entries for a plain-language query");
  search->add_option("query", opts->query, "Words to search for, e.g. \"imsi catcher\"")
      ->required();
  search->add_option("--limit", opts->limit, "Number of entries (default 10)");
  search->add_option("--format", opts->format, "text|json");
  SetAction(search, [opts] { return RunSearch(*opts); });

  auto* show = cmd->add_subcommand("show",
                                   "An entry: text, notes, related entries, Annex IV, "
                                   "general authorisations, US ECCN, CN hints");
  show->add_option("code", opts->code, "Annex I code, e.g. 5A001.j")->required();
  show->add_option("--format", opts->format, "text|json");
  show->add_option("--as-of", opts->common.as_of, "Law in force on YYYY-MM-DD (default today)");
  SetAction(show, [opts] { return RunShow(*opts); });

  auto* ask = cmd->add_subcommand("ask", "Guided questions for an entry or the Article 2(20) test");
  ask->add_option("tree", opts->tree, "Tree id or an entry it covers (see 'classify trees')")
      ->required();
  ask->add_option("--answers", opts->answers, "Answers file (JSON) instead of asking; - for stdin");
  ask->add_option("--out", opts->out, "Write the classification record (JSON) to this file");
  ask->add_flag("--save", opts->save,
                "Store the record in <data-dir>/classification-records/<id>.json");
  ask->add_option("--who", opts->who, "Who answered (recorded)");
  ask->add_option("--item-id", opts->item_id, "The item's id in the assessment request");
  ask->add_option("--item", opts->item_description, "The item's description");
  ask->add_option("--format", opts->format, "text|json");
  ask->add_option("--data-dir", opts->common.data_dir, kDataDirHelp);
  SetAction(ask, [opts] { return RunAsk(*opts); });

  auto* trees = cmd->add_subcommand("trees", "List the decision trees");
  trees->add_option("--format", opts->format, "text|json");
  SetAction(trees, [opts] { return RunTrees(*opts); });

  auto* cn = cmd->add_subcommand("cn",
                                 "Annex I entries often declared under an 8-digit CN code "
                                 "(a hint, not a classification)");
  cn->add_option("code", opts->cn, "8-digit CN code, e.g. 85176200")->required();
  cn->add_option("--format", opts->format, "text|json");
  SetAction(cn, [opts] { return RunCn(*opts); });

  auto* dd = cmd->add_subcommand("due-diligence",
                                 "Validate a due-diligence record for a cyber-surveillance item "
                                 "(Art. 5) and optionally generate the notification");
  dd->add_option("--input", opts->input,
                 "Record (JSON, schema dualuse.due-diligence/1); - for stdin")
      ->required();
  dd->add_option("--format", opts->format, "text|json");
  dd->add_flag("--notify", opts->notify,
               "Generate the notification to the competent authority (Art. 5(2))");
  dd->add_option("--notification-format", opts->notification_format, "text|json");
  dd->add_option("--authority", opts->authority, "Addressee of the notification");
  dd->add_option("--exporter", opts->exporter, "Exporter named in the notification");
  dd->add_option("--out", opts->out, "Also write the notification to this file");
  SetAction(dd, [opts] { return RunDueDiligence(*opts); });

  auto* apply =
      cmd->add_subcommand("apply",
                          "Apply classification and due-diligence records to an assessment request "
                          "(prints the request for 'dualuse assess -')");
  apply->add_option("--request", opts->request, "Assessment request (JSON); - for stdin")
      ->required();
  apply->add_option("--record", opts->records,
                    "Classification record file or id CR-... (repeatable)");
  apply->add_option("--due-diligence", opts->due_diligence, "Due-diligence record (JSON)");
  apply->add_option("--data-dir", opts->common.data_dir, kDataDirHelp);
  SetAction(apply, [opts] { return RunApply(*opts); });
}

}  // namespace dualuse::cli
