#include "dualuse/server/backends.h"

#include <set>

#include "dualuse/base/date.h"
#include "dualuse/lists/catalogue.h"
#include "dualuse/lists/registry.h"

namespace dualuse::server {

Result<std::vector<ListStatusEntry>> RegistryListStatus::Lists() const {
  lists::ListRegistry registry(data_dir_);
  DU_ASSIGN_OR_RETURN(auto versions, registry.Versions());
  const lists::ListCatalogue* catalogue = nullptr;
  if (auto c = lists::Catalogue(); c.ok()) catalogue = *c;
  Date today = Date::Today();
  std::set<std::string> ids;
  for (const auto& v : versions)
    ids.insert(v.list_id);
  std::vector<ListStatusEntry> out;
  for (const std::string& id : ids) {
    auto current = registry.Current(id, today);
    if (!current.ok()) continue;  // only versions dated in the future
    ListStatusEntry e;
    e.id = id;
    e.version = current->date;
    e.imported_at = current->imported_at;
    e.entity_count = current->entity_count;
    if (const lists::ListInfo* info = catalogue ? catalogue->Find(id) : nullptr) {
      e.name = info->name;
      e.stale_after_days = info->stale_after_days;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace dualuse::server
