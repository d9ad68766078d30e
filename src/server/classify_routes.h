// The classification endpoints (/classify/...) and the
// criteria checklist the authority screens show (/criteria)
// on the server's httplib instance. The logic is the classify module's
// (include/dualuse/classify/); this file only adapts HTTP to it, the way
// `dualuse classify search|show|trees|ask --save` use it.
//
//   GET  /classify/search?q=&limit=     ranked Annex I entries with the matching passage
//   GET  /classify/entries/{code}       what `classify show --format json` prints
//   GET  /classify/trees                the decision trees (data/classify/decision-trees)
//   GET  /classify/trees/{id}           one tree with its nodes
//   POST /classify/records              dualuse.classify-answers/1 -> 201 classification record
//   GET  /classify/records/{id}         a stored classification record ("CR-...")
//   GET  /criteria                      Art 15 + CP 2008/944/CFSP
//   (data/law/authority/criteria.json)
//
// Any authenticated role may read; officer and admin may create records.
// A classification record is stored in the store as a record of kind
// "classification" (subject = the "CR-..." id, outputs = the record as
// `classify ask --save` writes it, actor = the token's user): the server has
// no data directory of its own, and the store is what every server instance
// shares. Every other 2xx answer is appended as an "access" record, as the
// server does for its own GET routes; refused requests leave no record.
#ifndef DUALUSE_SRC_SERVER_CLASSIFY_ROUTES_H_
#define DUALUSE_SRC_SERVER_CLASSIFY_ROUTES_H_

#include <httplib.h>

#include <functional>
#include <optional>

#include "dualuse/server/auth.h"
#include "dualuse/store/store.h"
#include "http_server.h"
#include "route_table.h"

namespace dualuse::server {

// Returns the caller, or nullopt after answering the request itself (401).
using ClassifyAuthenticate =
    std::function<std::optional<Principal>(const httplib::Request&, httplib::Response&)>;

// Registers the routes above on `http`. `store` is not owned. The Annex I
// data, search index and trees are loaded on the first request (503
// "not_ready" when they cannot be).
void RegisterClassifyRoutes(RouteTable* routes, store::Store* store,
                            ClassifyAuthenticate authenticate);

}  // namespace dualuse::server

#endif  // DUALUSE_SRC_SERVER_CLASSIFY_ROUTES_H_
