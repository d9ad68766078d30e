// What changed between two versions of a list: the input of re-screening.
#ifndef DUALUSE_LISTS_DIFF_H_
#define DUALUSE_LISTS_DIFF_H_

#include <string>
#include <vector>

#include "dualuse/lists/entity.h"
#include "dualuse/lists/list.h"

namespace dualuse::lists {

// Fields compared, by name as reported in EntityChange::fields:
//   "schema", "name" (the primary name), "aliases" (every other name, with its
//   strength and script flag), "birth_dates", "countries", "identifiers",
//   "programs". Compared as sets (order in the file does not matter).
// Remarks, listing date, source, effect are not compared: they do not change
// whom a name matches, so they raise no re-screening alert.
struct EntityChange {
  Entity before;
  Entity after;
  std::vector<std::string> fields;  // in the order above, never empty
};

struct ListDiff {
  std::vector<Entity> added;          // in `after` only, sorted by id
  std::vector<Entity> removed;        // in `before` only, sorted by id
  std::vector<EntityChange> changed;  // sorted by id
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

// Entity identity is (Entity::list, Entity::id): the publisher's id. Contract:
// an entity of `after` whose (list, id) is not in `before` is added, and vice
// versa; one in both is changed iff a compared field differs. Duplicated ids
// within a version cannot happen (LoadList renames or drops repeats).
ListDiff DiffLists(const ListVersion& before, const ListVersion& after);

// The names of the compared fields that differ between a and b (same list and id).
std::vector<std::string> ChangedFields(const Entity& a, const Entity& b);

}  // namespace dualuse::lists

#endif  // DUALUSE_LISTS_DIFF_H_
