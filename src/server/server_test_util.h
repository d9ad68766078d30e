// Test helpers shared by the server's and the authority's HTTP tests.
#ifndef DUALUSE_SRC_SERVER_SERVER_TEST_UTIL_H_
#define DUALUSE_SRC_SERVER_SERVER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "dualuse/base/date.h"
#include "dualuse/screening/engine.h"
#include "dualuse/server/auth.h"
#include "dualuse/service/assess.h"
#include "dualuse/store/store.h"

namespace dualuse::server::testing {

// Creates user `name` with `role` and one API token for it, as `dualuse
// users add` and `users token` do; returns the token.
inline std::string AddUserWithToken(store::Store& store, const std::string& name,
                                    const std::string& role) {
  auto u = store.CreateUser(name, "", role);
  EXPECT_TRUE(u.ok()) << u.error().ToString();
  auto t = MintToken();
  EXPECT_TRUE(t.ok());
  if (!u.ok() || !t.ok()) return "";
  store::Token token;
  token.id = t->id;
  token.hash = t->hash;
  token.user_id = u->id;
  token.created_at = store::NowTimestamp();
  EXPECT_TRUE(store.AddToken(token).ok());
  return t->token;
}

// The screener of the bundled UN list and the assessment service on it, as
// `dualuse serve --list` builds them; made once per test program. `error`
// says why they are missing.
struct Engines {
  std::unique_ptr<screening::ListScreener> screener;
  std::unique_ptr<service::AssessService> assessor;
  std::string error;
};

inline Engines& SharedEngines() {
  static Engines* e = [] {
    auto* out = new Engines;
    auto s = screening::LoadScreener({DUALUSE_LISTS_DIR "/un_sc/un_consolidated_2026-02-27.xml"},
                                     "/nonexistent", Date::Today());
    if (!s.ok()) {
      out->error = s.error().ToString();
      return out;
    }
    out->screener = std::move(s).value();
    service::AssessOptions options;
    options.allow_paths = false;
    auto a = service::AssessService::Create(out->screener.get(), options);
    if (!a.ok()) {
      out->error = a.error().ToString();
      return out;
    }
    out->assessor = std::move(a).value();
    return out;
  }();
  return *e;
}

}  // namespace dualuse::server::testing

#endif  // DUALUSE_SRC_SERVER_SERVER_TEST_UTIL_H_
