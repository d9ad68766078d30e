// The yente-compatible routes (opensanctions/yente: routers/match.py,
// routers/search.py, routers/admin.py, data/common.py) over a PartyScreener:
// POST /match/{dataset}, GET /entities/{id}, GET /catalog, GET /algorithms.
//
// /match applies every filter (datasets, schemata, topics, excluded ids,
// cutoff) before the results are cut to `limit`, and the screener gathers
// its candidates per list (screening::ScreenOptions), so a list's best match
// is never pushed out by another list's. An invalid query of a batch gets its
// own error in `responses`; the others are answered.
//
// Entity ids are namespaced by list: "<list id>-<publisher's id>" (e.g.
// "un_sc-6908555"); the publisher's id is the entity's referent, accepted by
// /entities/{id} (when one list has it) and by exclude_entity_ids.
#ifndef DUALUSE_SRC_SERVER_YENTE_H_
#define DUALUSE_SRC_SERVER_YENTE_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "dualuse/base/result.h"
#include "dualuse/lists/entity.h"
#include "dualuse/screening/screener.h"
#include "dualuse/server/server.h"
#include "handlers.h"

namespace dualuse::server::internal {

// yente's settings (yente/settings.py).
inline constexpr int kYenteMatchPage = 5;        // MATCH_PAGE: default limit
inline constexpr int kYenteMaxMatches = 500;     // MAX_MATCHES: largest limit
inline constexpr double kYenteThreshold = 0.70;  // SCORE_THRESHOLD
inline constexpr size_t kYenteMaxExcludedIds = 50;
// The one scoring algorithm of this server, as /algorithms names it.
inline constexpr const char* kAlgorithmName = "dualuse-names";

// "<list>-<publisher id>".
std::string NamespacedId(const std::string& list, const std::string& publisher_id);

// FollowTheMoney topics of a listing, from what it means for an export
// ("sanction" for asset freezes and blocking, "export.control" for denied
// parties and licence requirements).
std::vector<std::string> TopicsOf(const lists::Entity& e);

// yente's EntityResponse of a listed entity: id, caption, schema, the
// FollowTheMoney properties the list gives (name, alias, weakAlias,
// birthDate or incorporationDate, nationality or country, identifiers,
// program, topics, notes, sourceUrl), datasets, referents.
nlohmann::json EntityResponse(const lists::Entity& e);

// What /match computed: the body (EntityMatchResponse) and, per query that
// was answered, the name screened and the matches returned (for the review
// items the handler raises).
struct MatchAnswer {
  nlohmann::json body;
  std::vector<std::pair<std::string, screening::ScreeningResult>> screened;
  std::map<std::string, std::string> list_versions;
  std::string subject;  // the first query's name
};

class YenteApi {
 public:
  // Not owned; `screener` null: every route answers 503 not_ready.
  // `lists` may be null (titles and dates then come from the catalogue and
  // the screener).
  YenteApi(const screening::PartyScreener* screener, const ListStatusSource* lists, int max_batch,
           int stale_after_days)
      : screener_(screener),
        lists_(lists),
        max_batch_(max_batch),
        stale_after_days_(stale_after_days) {}

  // POST /match/{dataset}: c.matches[0] is the dataset.
  Result<MatchAnswer> Match(const Call& c) const;
  // GET /entities/{id}: c.matches[0] is the id.
  Result<Reply> Entity(const Call& c) const;
  // GET /catalog: yente's DataCatalogModel.
  Result<Reply> Catalog(const Call& c) const;
  // GET /algorithms: yente's AlgorithmResponse.
  Result<Reply> Algorithms(const Call& c) const;

 private:
  const screening::PartyScreener* screener_;
  const ListStatusSource* lists_;
  int max_batch_;
  int stale_after_days_;
};

}  // namespace dualuse::server::internal

#endif  // DUALUSE_SRC_SERVER_YENTE_H_
