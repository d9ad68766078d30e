// Test helpers shared by the server's and the authority's HTTP tests.
#ifndef DUALUSE_SRC_SERVER_SERVER_TEST_UTIL_H_
#define DUALUSE_SRC_SERVER_SERVER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "dualuse/server/auth.h"
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

}  // namespace dualuse::server::testing

#endif  // DUALUSE_SRC_SERVER_SERVER_TEST_UTIL_H_
