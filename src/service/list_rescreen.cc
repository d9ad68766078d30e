#include "dualuse/service/list_rescreen.h"

#include <map>
#include <set>

#include "dualuse/lists/registry.h"

namespace dualuse::service {

screening::EngineOptions RescreenEngineOptions() {
  screening::EngineOptions o;
  o.limit = 50;
  return o;
}

Result<std::unique_ptr<screening::PartyScreener>> MakeMiniScreener(
    const std::vector<ListUpdate>& updates) {
  std::vector<screening::ListInput> in;
  for (const auto& u : updates) {
    if (!u.changed.empty()) in.push_back({u.list, u.new_version, u.changed});
  }
  DU_ASSIGN_OR_RETURN(std::unique_ptr<screening::ListScreener> s,
                      screening::ListScreener::Build(std::move(in), RescreenEngineOptions()));
  return std::unique_ptr<screening::PartyScreener>(std::move(s));
}

ListUpdate UpdateFromDiff(const lists::ListDiff& diff, const std::string& list,
                          const std::string& old_version, const std::string& new_version) {
  ListUpdate u;
  u.list = list;
  u.old_version = old_version;
  u.new_version = new_version;
  u.changed = diff.added;
  for (const auto& c : diff.changed)
    u.changed.push_back(c.after);
  u.removed = diff.removed.size();
  return u;
}

std::string ListVersionTag(const std::string& date, const std::string& sha256) {
  return date + "@" + sha256.substr(0, 12);
}

namespace {

// The list date inside a tag ("2026-02-27@abc..." -> "2026-02-27").
std::string DateOf(const std::string& tag) { return tag.substr(0, tag.find('@')); }

Result<RescreenRun> Run(store::Store& store, std::vector<ListUpdate> updates,
                        std::vector<lists::ListVersion> current, const RescreenOptions& options) {
  // Entity hashes of everything current, for hits of new counterparties.
  auto hashes = std::make_shared<std::map<std::pair<std::string, std::string>, std::string>>();
  for (const auto& v : current) {
    for (const auto& e : v.entities)
      (*hashes)[{v.list_id, e.id}] = EntityContentHash(e);
  }
  RescreenOptions opt = options;
  opt.entity_hash = [hashes](const std::string& list, const std::string& id) {
    auto it = hashes->find({list, id});
    return it == hashes->end() ? std::string() : it->second;
  };
  std::unique_ptr<screening::ListScreener> all;
  if (!current.empty()) {
    DU_ASSIGN_OR_RETURN(
        all, screening::ListScreener::Build(std::move(current), RescreenEngineOptions()));
  }
  // The mini lists carry the list's own date as version (like hits of `all`).
  std::vector<ListUpdate> screen_updates = updates;
  for (auto& u : screen_updates)
    u.new_version = DateOf(u.new_version);
  // Screen with dates, commit with tags.
  RescreenRun run;
  {
    std::vector<ListUpdate> commit = screen_updates;
    for (size_t i = 0; i < commit.size(); ++i)
      commit[i].new_version = updates[i].new_version;
    MiniScreenerFactory dated = [screen_updates](const std::vector<ListUpdate>&) {
      return MakeMiniScreener(screen_updates);
    };
    DU_ASSIGN_OR_RETURN(run.report, Rescreen(store, commit, all.get(), dated, opt));
  }
  for (auto& u : updates)
    u.changed.clear();
  run.updates = std::move(updates);
  return run;
}

}  // namespace

Result<RescreenRun> RescreenFromRegistry(store::Store& store, const std::string& data_dir,
                                         const Date& as_of, const RescreenOptions& options) {
  lists::ListRegistry reg(data_dir);
  DU_ASSIGN_OR_RETURN(std::vector<lists::VersionRecord> versions, reg.Versions());
  std::set<std::string> ids;
  for (const auto& v : versions)
    ids.insert(v.list_id);
  std::vector<ListUpdate> updates;
  std::vector<lists::ListVersion> current;
  for (const std::string& id : ids) {
    auto cur_rec = reg.Current(id, as_of);
    if (!cur_rec.ok()) continue;  // nothing in force on as_of
    DU_ASSIGN_OR_RETURN(lists::ListVersion cur, reg.Load(*cur_rec));
    std::string tag = ListVersionTag(cur_rec->date, cur_rec->sha256);
    DU_ASSIGN_OR_RETURN(std::optional<std::string> prev, store.ScreenedListVersion(id));
    if (!prev || *prev != tag) {
      lists::ListDiff diff;
      std::string old_tag = prev.value_or("");
      bool have_old = false;
      if (prev) {
        std::string sha =
            prev->substr(prev->find('@') == std::string::npos ? prev->size() : prev->find('@') + 1);
        auto old_rec = reg.Find(id + "@" + sha);
        if (old_rec.ok()) {
          DU_ASSIGN_OR_RETURN(lists::ListVersion old, reg.Load(*old_rec));
          diff = lists::DiffLists(old, cur);
          have_old = true;
        }
      }
      if (!have_old) {
        lists::ListVersion empty;
        empty.list_id = id;
        diff = lists::DiffLists(empty, cur);
      }
      updates.push_back(UpdateFromDiff(diff, id, old_tag, tag));
    }
    current.push_back(std::move(cur));
  }
  return Run(store, std::move(updates), std::move(current), options);
}

Result<RescreenRun> RescreenFromFiles(store::Store& store, const std::string& old_path,
                                      const std::string& new_path, const RescreenOptions& options) {
  DU_ASSIGN_OR_RETURN(lists::ListVersion old, lists::LoadList(old_path));
  DU_ASSIGN_OR_RETURN(lists::ListVersion cur, lists::LoadList(new_path));
  if (old.list_id != cur.list_id) {
    return Status::InvalidArgument(new_path + ": is list " + cur.list_id + ", " + old_path +
                                   " is list " + old.list_id +
                                   "; expected two versions of one list");
  }
  lists::ListDiff diff = lists::DiffLists(old, cur);
  std::vector<ListUpdate> updates = {UpdateFromDiff(diff, cur.list_id,
                                                    ListVersionTag(old.date, old.sha256),
                                                    ListVersionTag(cur.date, cur.sha256))};
  std::vector<lists::ListVersion> current;
  current.push_back(std::move(cur));
  return Run(store, std::move(updates), std::move(current), options);
}

}  // namespace dualuse::service
