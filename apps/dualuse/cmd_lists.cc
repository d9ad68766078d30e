// dualuse lists import PATH... | status | diff OLD NEW | update
// (docs/spec.md sections 1 and 4). Imported versions live in
// <data-dir>/lists (lists::ListRegistry); every import is also written to the
// store's audit trail (service::RecordListImport, --db, default
// <data-dir>/dualuse.db).
//
// `import` parses every PATH before it stores anything: a file that is not a
// list format fails the run with exit 2 and imports nothing; unreadable rows
// are skipped and listed. The shrink guard (ListRegistry::ImportAll) refuses
// an import that empties a list or removes more than --max-shrink of it,
// unless --allow-shrink. All the versions of one run are imported with their
// audit records, or none.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "command.h"
#include "dualuse/base/date.h"
#include "dualuse/lists/catalogue.h"
#include "dualuse/lists/diff.h"
#include "dualuse/lists/list.h"
#include "dualuse/lists/registry.h"
#include "dualuse/lists/update.h"
#include "dualuse/screening/engine.h"
#include "dualuse/service/recording.h"
#include "dualuse/store/store.h"

namespace dualuse::cli {

namespace {

using nlohmann::json;

struct ListsOptions {
  CommonOptions common;
  std::string db;
  std::string format = "text";
  std::vector<std::string> paths;
  std::string old_ref, new_ref;
  std::string source_base;
  std::vector<std::string> only;
  long timeout = 300;
  bool allow_shrink = false;
  double max_shrink = 0.10;
};

Status CheckFormat(const std::string& f) {
  if (f == "text" || f == "json") return Status::Ok();
  return Status::InvalidArgument("--format: expected text or json, got \"" + f + "\"");
}

Result<Date> AsOf(const CommonOptions& o) {
  if (o.as_of.empty()) return Date::Today();
  auto d = Date::Parse(o.as_of);
  if (!d) return Status::InvalidArgument("--as-of: expected YYYY-MM-DD, got \"" + o.as_of + "\"");
  return *d;
}

Result<std::unique_ptr<store::Store>> OpenStore(const ListsOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(DataDir(o.common), ec);
  if (ec) return Status::Internal(DataDir(o.common) + ": cannot create: " + ec.message());
  return store::Store::Open(o.db.empty() ? store::Store::DefaultPath(DataDir(o.common)) : o.db);
}

// One audit record per newly imported version.
Status Audit(store::Store& st, const lists::VersionRecord& r) {
  auto rec = service::RecordListImport(st, lists::VersionRecordJson(r), service::DefaultActor());
  return rec.ok() ? Status::Ok() : rec.error();
}

json RecordJson(const lists::VersionRecord& r) { return json::parse(lists::VersionRecordJson(r)); }

// Whether an import was recorded in the store: a list_import record whose
// version JSON carries its import id.
Result<bool> ImportRecorded(store::Store& st, const std::string& import_id) {
  store::RecordQuery q;
  q.kind = store::kKindListImport;
  q.text = "\"import_id\":\"" + import_id + "\"";
  q.limit = 1;
  DU_ASSIGN_OR_RETURN(std::vector<store::Record> recs, st.Records(q));
  return !recs.empty();
}

// Finishes or undoes an import that was killed between its audit record and
// its commit (needs the store, so only when a pending manifest exists).
Status RecoverRegistry(const ListsOptions& o, lists::ListRegistry& reg) {
  std::error_code ec;
  if (!std::filesystem::exists(reg.lists_dir() + "/manifest.pending.json", ec)) return Status::Ok();
  DU_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, OpenStore(o));
  store::Store* s = st.get();
  return reg.Recover([s](const std::string& id) { return ImportRecorded(*s, id); });
}

// Tells the servers on this store that the imported lists changed, once
// the import is committed (the manifest renamed into place). A server that
// misses it sees the new manifest on its next poll (change_feed.h), so a
// failure here is only a warning.
template <typename Imported>
void AnnounceImport(store::Store& st, size_t n, Imported imported) {
  bool any = false;
  for (size_t i = 0; i < n; ++i)
    any |= imported(i);
  if (!any) return;
  if (Status s = st.AnnounceChange("lists"); !s.ok()) {
    std::fprintf(stderr, "warning: the servers were not notified (they notice within 2 s): %s\n",
                 s.message().c_str());
  }
}

// At most this many skipped rows are printed per file; all are counted.
constexpr size_t kSkippedShown = 20;

Status RunImport(const ListsOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format));
  if (o.paths.empty()) return Status::InvalidArgument("lists import: expected at least one PATH");
  if (!(o.max_shrink >= 0 && o.max_shrink <= 1))
    return Status::InvalidArgument("--max-shrink: expected a share between 0 and 1");
  // 1. Parse everything; a file that is not a list stops the run before anything is stored.
  std::vector<lists::ListVersion> versions;
  for (const std::string& p : o.paths) {
    DU_ASSIGN_OR_RETURN(lists::ListVersion v, lists::LoadList(p));
    for (const std::string& w : v.warnings)
      std::fprintf(stderr, "warning: %s\n", w.c_str());
    for (size_t i = 0; i < v.skipped.size() && i < kSkippedShown; ++i)
      std::fprintf(stderr, "skipped: %s\n", lists::SkippedRowText(v.skipped[i]).c_str());
    if (v.skipped.size() > kSkippedShown)
      std::fprintf(stderr, "skipped: %s: and %zu more rows\n", p.c_str(),
                   v.skipped.size() - kSkippedShown);
    versions.push_back(std::move(v));
  }
  // 2. The audit trail must be writable before the lists change.
  DU_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, OpenStore(o));
  lists::ListRegistry reg(DataDir(o.common));
  store::Store* s = st.get();
  lists::ImportOptions opt;
  opt.allow_shrink = o.allow_shrink;
  opt.max_shrink = o.max_shrink;
  opt.recorded = [s](const std::string& id) { return ImportRecorded(*s, id); };
  opt.record = [s](const std::vector<lists::VersionRecord>& fresh) -> Status {
    std::vector<std::string> jsons;
    for (const auto& r : fresh)
      jsons.push_back(lists::VersionRecordJson(r));
    auto recs = service::RecordListImports(*s, jsons, service::DefaultActor());
    return recs.ok() ? Status::Ok() : recs.error();
  };
  std::vector<const lists::ListVersion*> ptrs;
  for (const auto& v : versions)
    ptrs.push_back(&v);
  DU_ASSIGN_OR_RETURN(std::vector<lists::ImportOutcome> outcomes, reg.ImportAll(ptrs, opt));
  // The compiled snapshot of the lists now in force, for the next command
  // (written before the servers hear of the import, so that they map it).
  if (std::any_of(outcomes.begin(), outcomes.end(), [](const auto& x) { return x.imported; })) {
    auto day = AsOf(o.common);
    Status snap =
        screening::PrepareListSnapshot(DataDir(o.common), day.ok() ? *day : Date::Today());
    if (!snap.ok())
      std::fprintf(stderr, "warning: list snapshot not written: %s\n", snap.message().c_str());
  }
  AnnounceImport(*st, outcomes.size(), [&](size_t i) { return outcomes[i].imported; });
  json out = json::array();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const lists::VersionRecord& r = outcomes[i].record;
    const lists::ListVersion& v = versions[i];
    const bool fresh = outcomes[i].imported;
    if (fresh && r.shrink_allowed) {
      std::fprintf(stderr,
                   "warning: %s: imported although it removes %ld of the %ld entities of the "
                   "version before (--allow-shrink; recorded)\n",
                   r.list_id.c_str(), r.removed_entities, r.previous_entities);
    }
    if (o.format == "json") {
      json j = RecordJson(r);
      j["imported"] = fresh;
      j["warnings"] = v.warnings;
      json skipped = json::array();
      for (const auto& k : v.skipped)
        skipped.push_back(
            {{"file", k.file}, {"line", k.line}, {"field", k.field}, {"reason", k.reason}});
      j["skipped"] = skipped;
      out.push_back(j);
    } else {
      std::printf("%s %s %s (%s) %ld entities, %zu rows skipped, sha256 %.12s -> %s/%s\n",
                  fresh ? "imported" : "unchanged", r.list_id.c_str(), r.version.c_str(),
                  r.date_source.c_str(), r.entity_count, v.skipped.size(), r.sha256.c_str(),
                  reg.lists_dir().c_str(), r.file.c_str());
    }
  }
  if (o.format == "json") std::printf("%s\n", out.dump(2).c_str());
  return Status::Ok();
}

Status RunStatus(const ListsOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format));
  DU_ASSIGN_OR_RETURN(Date as_of, AsOf(o.common));
  lists::ListRegistry reg(DataDir(o.common));
  DU_RETURN_IF_ERROR(RecoverRegistry(o, reg));
  DU_ASSIGN_OR_RETURN(std::vector<lists::VersionRecord> all, reg.Versions());
  auto cat = lists::Catalogue();
  std::vector<std::string> ids;
  for (const auto& r : all) {
    if (ids.empty() || ids.back() != r.list_id) ids.push_back(r.list_id);
  }
  json out = json::array();
  std::error_code ec;
  const std::string data_dir = std::filesystem::absolute(DataDir(o.common), ec).string();
  if (o.format == "text") {
    std::printf("data directory: %s\n", data_dir.c_str());
    if (ids.empty())
      std::printf("no lists imported in %s\n", reg.lists_dir().c_str());
    else
      std::printf("%-18s %-10s %8s  %-12s  %-20s %5s  %s\n", "list", "date", "entities", "sha256",
                  "imported at", "age", "versions");
  }
  for (const std::string& id : ids) {
    int count = 0;
    for (const auto& r : all)
      count += r.list_id == id;
    auto cur = reg.Current(id, as_of);
    if (!cur.ok()) {
      if (o.format == "json") {
        out.push_back({{"list_id", id}, {"in_force", false}, {"versions", count}});
      } else {
        std::printf("%-18s (no version dated on or before %s; %d imported)\n", id.c_str(),
                    as_of.ToString().c_str(), count);
      }
      continue;
    }
    // An undated version has no age: it counts as stale (nothing says how old
    // its content is).
    const bool undated = cur->date.empty();
    long age = undated ? -1 : as_of.DaysSinceEpoch() - Date::Parse(cur->date)->DaysSinceEpoch();
    int stale_after = 7;
    if (cat.ok()) {
      const lists::ListInfo* info = (*cat)->Find(id);
      if (!info && id.rfind("eu_oj", 0) == 0) info = (*cat)->Find("eu_oj");
      if (info) stale_after = info->stale_after_days;
    }
    bool stale = undated || age > stale_after;
    if (undated) {
      std::fprintf(stderr,
                   "warning: %s: the version in force (%s) carries no publication date; its age "
                   "is unknown\n",
                   id.c_str(), cur->version.c_str());
    } else if (stale) {
      std::fprintf(stderr,
                   "warning: %s: the version in force is %ld days old (stale after %d); "
                   "run dualuse lists update\n",
                   id.c_str(), age, stale_after);
    }
    if (o.format == "json") {
      json j = RecordJson(*cur);
      j["in_force"] = true;
      j["age_days"] = undated ? json(nullptr) : json(age);
      j["stale"] = stale;
      j["stale_after_days"] = stale_after;
      j["versions"] = count;
      out.push_back(j);
    } else {
      std::string age_text = undated ? "?" : std::to_string(age) + "d";
      std::printf("%-18s %-10s %8ld  %.12s  %-20s %5s%s %d\n", id.c_str(),
                  undated ? "undated" : cur->date.c_str(), cur->entity_count, cur->sha256.c_str(),
                  cur->imported_at.c_str(), age_text.c_str(), stale ? "!" : " ", count);
    }
  }
  if (o.format == "json")
    std::printf(
        "%s\n",
        json{{"data_dir", data_dir}, {"as_of", as_of.ToString()}, {"lists", out}}.dump(2).c_str());
  return Status::Ok();
}

// OLD/NEW: a file or directory, else an imported version ("un_sc@2026-02-27").
Result<lists::ListVersion> Resolve(const lists::ListRegistry& reg, const std::string& ref) {
  std::error_code ec;
  if (std::filesystem::exists(ref, ec)) return lists::LoadList(ref);
  auto rec = reg.Find(ref);
  if (!rec.ok()) {
    return Status::InvalidArgument(ref +
                                   ": neither a list file nor an imported version "
                                   "(list@YYYY-MM-DD or list@sha256-prefix)");
  }
  return reg.Load(*rec);
}

json EntityJson(const lists::Entity& e) {
  json names = json::array();
  for (const auto& n : e.names)
    names.push_back(n.full);
  return {{"list", e.list},
          {"id", e.id},
          {"schema", lists::SchemaName(e.schema)},
          {"name", e.caption},
          {"programs", e.programs},
          {"names", names}};
}

Status RunDiff(const ListsOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format));
  lists::ListRegistry reg(DataDir(o.common));
  DU_ASSIGN_OR_RETURN(lists::ListVersion a, Resolve(reg, o.old_ref));
  DU_ASSIGN_OR_RETURN(lists::ListVersion b, Resolve(reg, o.new_ref));
  if (a.list_id != b.list_id) {
    return Status::InvalidArgument("lists diff: " + o.new_ref + " is list " + b.list_id + ", " +
                                   o.old_ref + " is list " + a.list_id +
                                   "; expected two versions of one list");
  }
  lists::ListDiff d = lists::DiffLists(a, b);
  if (o.format == "json") {
    json added = json::array(), removed = json::array(), changed = json::array();
    for (const auto& e : d.added)
      added.push_back(EntityJson(e));
    for (const auto& e : d.removed)
      removed.push_back(EntityJson(e));
    for (const auto& c : d.changed) {
      json j = EntityJson(c.after);
      j["fields"] = c.fields;
      changed.push_back(j);
    }
    json out = {
        {"list_id", a.list_id},
        {"old", {{"date", a.date}, {"sha256", a.sha256}, {"entities", a.entities.size()}}},
        {"new", {{"date", b.date}, {"sha256", b.sha256}, {"entities", b.entities.size()}}},
        {"summary",
         {{"added", d.added.size()}, {"removed", d.removed.size()}, {"changed", d.changed.size()}}},
        {"added", added},
        {"removed", removed},
        {"changed", changed}};
    std::printf("%s\n", out.dump(2).c_str());
    return Status::Ok();
  }
  std::printf("%s %s (%.12s) -> %s (%.12s): %zu added, %zu removed, %zu changed\n",
              a.list_id.c_str(), a.date.c_str(), a.sha256.c_str(), b.date.c_str(), b.sha256.c_str(),
              d.added.size(), d.removed.size(), d.changed.size());
  for (const auto& e : d.added)
    std::printf("+ %s %s\n", e.id.c_str(), e.caption.c_str());
  for (const auto& e : d.removed)
    std::printf("- %s %s\n", e.id.c_str(), e.caption.c_str());
  for (const auto& c : d.changed) {
    std::string fields;
    for (const auto& f : c.fields)
      fields += (fields.empty() ? "" : ", ") + f;
    std::printf("~ %s %s: %s\n", c.after.id.c_str(), c.after.caption.c_str(), fields.c_str());
  }
  return Status::Ok();
}

// A one-line progress bar on stderr, redrawn in place (terminals only).
void DrawProgress(const std::string& id, long long now, long long total) {
  static std::string last;
  char line[160];
  if (total > 0) {
    int width = 30, filled = static_cast<int>(width * now / total);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(static_cast<size_t>(width), '.');
    std::snprintf(line, sizeof line, "\r%-10s [%s] %3lld%% %8.1f MB", id.c_str(), bar.c_str(),
                  now * 100 / total, static_cast<double>(now) / 1e6);
  } else {
    std::snprintf(line, sizeof line, "\r%-10s %8.1f MB", id.c_str(),
                  static_cast<double>(now) / 1e6);
  }
  if (line == last) return;
  last = line;
  std::fputs(line, stderr);
  std::fflush(stderr);
}

Status RunUpdate(const ListsOptions& o) {
  DU_RETURN_IF_ERROR(CheckFormat(o.format));
  DU_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, OpenStore(o));
  lists::ListRegistry reg(DataDir(o.common));
  DU_RETURN_IF_ERROR(RecoverRegistry(o, reg));
  lists::UpdateOptions opt;
  opt.only = o.only;
  opt.source_base = o.source_base;
  opt.timeout_seconds = o.timeout;
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  if (tty) opt.progress = DrawProgress;
  std::vector<lists::UpdateOutcome> outcomes = lists::UpdateLists(reg, opt);
  if (tty) std::fputs("\r\033[K", stderr);
  Status first_error;
  int failures = 0;
  json out = json::array();
  for (const auto& oc : outcomes) {
    if (oc.status.ok() && oc.imported) DU_RETURN_IF_ERROR(Audit(*st, oc.record));
    if (!oc.status.ok()) {
      ++failures;
      if (first_error.ok()) first_error = oc.status;
    }
    if (o.format == "json") {
      json j = {{"list_id", oc.list_id},
                {"url", oc.url},
                {"ok", oc.status.ok()},
                {"imported", oc.imported}};
      if (oc.status.ok())
        j["version"] = RecordJson(oc.record);
      else
        j["error"] = oc.status.message();
      out.push_back(j);
    } else if (oc.status.ok()) {
      std::printf("%s %s %s %ld entities sha256 %.12s from %s\n",
                  oc.imported ? "updated" : "unchanged", oc.list_id.c_str(), oc.record.date.c_str(),
                  oc.record.entity_count, oc.record.sha256.c_str(), oc.url.c_str());
    } else {
      std::printf("failed %s (current version kept) from %s\n", oc.list_id.c_str(), oc.url.c_str());
    }
  }
  AnnounceImport(*st, outcomes.size(),
                 [&](size_t i) { return outcomes[i].status.ok() && outcomes[i].imported; });
  if (o.format == "json") std::printf("%s\n", out.dump(2).c_str());
  if (!first_error.ok()) {
    // One error line (main prints it): the first failure, and how many more.
    std::string more = failures > 1 ? " (and " + std::to_string(failures - 1) + " more)" : "";
    return Status(first_error.code(),
                  first_error.message() + more + "; the current versions were kept");
  }
  return Status::Ok();
}

}  // namespace

void RegisterLists(CLI::App& app) {
  auto o = std::make_shared<ListsOptions>();
  auto* cmd = app.add_subcommand("lists", "Import, inspect, compare and update sanctions lists");
  cmd->require_subcommand(1);
  auto common = [&](CLI::App* sub) {
    AddCommonOptions(sub, &o->common);
    sub->add_option("--format", o->format, "Output: text (default) or json");
  };

  auto* import = cmd->add_subcommand(
      "import",
      "Import list files (format detected from content; a directory holding OFAC's "
      "sdn.csv/alt.csv/add.csv is one list). Unreadable rows are skipped and listed; "
      "the files are imported all or nothing, with their audit records.");
  common(import);
  import->add_option("PATH", o->paths, "List files or directories")->required();
  import->add_option("--db", o->db, "Store for the audit record: SQLite path or postgresql:// URL");
  import->add_flag("--allow-shrink", o->allow_shrink,
                   "Import even a version that empties a list or removes more than --max-shrink "
                   "of its entities (recorded)");
  import->add_option("--max-shrink", o->max_shrink,
                     "Share of a list's entities an import may remove (default 0.10)");
  SetAction(import, [o] { return RunImport(*o); });

  auto* status =
      cmd->add_subcommand("status", "The version of each list in force (--as-of), its age");
  common(status);
  SetAction(status, [o] { return RunStatus(*o); });

  auto* diff = cmd->add_subcommand(
      "diff", "Entities added, removed and changed between two versions (files or list@date)");
  common(diff);
  diff->add_option("OLD", o->old_ref, "Older version: a file, or an imported list@date")
      ->required();
  diff->add_option("NEW", o->new_ref, "Newer version: a file, or an imported list@date")
      ->required();
  SetAction(diff, [o] { return RunDiff(*o); });

  auto* update = cmd->add_subcommand(
      "update", "Download the official lists (data/lists-sources.json), check and import them");
  common(update);
  update->add_option("--source-base", o->source_base,
                     "Fetch <URL>/<file> instead of the publishers' URLs (mirrors, tests)");
  update->add_option("--only", o->only, "Only this list id (repeatable)");
  update->add_option("--timeout", o->timeout, "Seconds per download (default 300)");
  update->add_option("--db", o->db, "Store for the audit record: SQLite path or postgresql:// URL");
  SetAction(update, [o] { return RunUpdate(*o); });
}

}  // namespace dualuse::cli
