#include "dualuse/lists/diff.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace dualuse::lists {

namespace {

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::string PrimaryName(const Entity& e) {
  for (const EntityName& n : e.names) {
    if (n.strength == NameStrength::kPrimary) return n.full;
  }
  return e.caption;
}

std::vector<std::tuple<std::string, int, bool>> Aliases(const Entity& e) {
  std::vector<std::tuple<std::string, int, bool>> out;
  for (const EntityName& n : e.names) {
    if (n.strength == NameStrength::kPrimary) continue;
    out.emplace_back(n.full, static_cast<int>(n.strength), n.original_script);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::tuple<std::string, std::string, std::string>> Ids(const Entity& e) {
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  for (const Identifier& i : e.identifiers)
    out.emplace_back(i.type, i.value, i.country);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::vector<std::string> ChangedFields(const Entity& a, const Entity& b) {
  std::vector<std::string> f;
  if (a.schema != b.schema) f.push_back("schema");
  if (PrimaryName(a) != PrimaryName(b)) f.push_back("name");
  if (Aliases(a) != Aliases(b)) f.push_back("aliases");
  if (Sorted(a.birth_dates) != Sorted(b.birth_dates)) f.push_back("birth_dates");
  if (Sorted(a.countries) != Sorted(b.countries)) f.push_back("countries");
  if (Ids(a) != Ids(b)) f.push_back("identifiers");
  if (Sorted(a.programs) != Sorted(b.programs)) f.push_back("programs");
  return f;
}

ListDiff DiffLists(const ListVersion& before, const ListVersion& after) {
  using Key = std::pair<std::string_view, std::string_view>;
  std::map<Key, const Entity*> old_by_id, new_by_id;
  for (const Entity& e : before.entities)
    old_by_id.emplace(Key(e.list, e.id), &e);
  for (const Entity& e : after.entities)
    new_by_id.emplace(Key(e.list, e.id), &e);
  ListDiff d;
  // Both maps are ordered by (list, id): one merge pass.
  auto o = old_by_id.begin(), n = new_by_id.begin();
  while (o != old_by_id.end() || n != new_by_id.end()) {
    if (n == new_by_id.end() || (o != old_by_id.end() && o->first < n->first)) {
      d.removed.push_back(*o->second);
      ++o;
    } else if (o == old_by_id.end() || n->first < o->first) {
      d.added.push_back(*n->second);
      ++n;
    } else {
      std::vector<std::string> fields = ChangedFields(*o->second, *n->second);
      if (!fields.empty()) d.changed.push_back({*o->second, *n->second, std::move(fields)});
      ++o;
      ++n;
    }
  }
  return d;
}

}  // namespace dualuse::lists
