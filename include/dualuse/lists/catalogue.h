// The lists dualuse knows (data/lists-sources.json): publisher, jurisdiction,
// what a listing means (ListEffect), where to download, when a copy is stale.
#ifndef DUALUSE_LISTS_CATALOGUE_H_
#define DUALUSE_LISTS_CATALOGUE_H_

#include <string>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/lists/entity.h"

namespace dualuse::lists {

// A sub-list of an aggregated list (CSL "source" column, FtM dataset): the
// first rule whose `match` is a substring of the entity's source applies.
struct SubListRule {
  std::string match;
  ListEffect effect = ListEffect::kOther;
  std::string jurisdiction;  // empty: the list's
};

struct ListInfo {
  std::string id, name, publisher, jurisdiction, url, file, licence, basis;
  ListEffect effect = ListEffect::kOther;
  int stale_after_days = 7;
  // The list may legitimately have no entry (an EU act whose annex lists no
  // one today); otherwise an empty version is refused on import.
  bool may_be_empty = false;
  std::vector<SubListRule> sub_lists;
};

struct ListCatalogue {
  std::vector<ListInfo> lists;
  std::vector<std::string> update;  // ids `lists update` fetches by default
  const ListInfo* Find(const std::string& id) const;
};

// Loaded once from ResourcePath("lists-sources.json"); kFailedPrecondition
// when missing or malformed (the message names the file and the JSON path).
Result<const ListCatalogue*> Catalogue();

// "asset_freeze", "denied_party", "licence_requirement", "blocking", "other".
const char* ListEffectName(ListEffect e);
bool ParseListEffect(const std::string& name, ListEffect* out);

}  // namespace dualuse::lists

#endif  // DUALUSE_LISTS_CATALOGUE_H_
