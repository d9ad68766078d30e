#include "dualuse/server/auth.h"

#include <gtest/gtest.h>

namespace dualuse::server {
namespace {

TEST(AuthTest, MintedTokenVerifiesAndOnlyItself) {
  auto t = MintToken();
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(TokenId(t->token), t->id);
  EXPECT_EQ(t->hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(t->hash.find(t->token), std::string::npos);  // never stored in clear
  EXPECT_TRUE(VerifyToken(t->hash, t->token));
  std::string other = t->token;
  other.back() = other.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(VerifyToken(t->hash, other));
  EXPECT_FALSE(VerifyToken("not a hash", t->token));
  auto t2 = MintToken();
  ASSERT_TRUE(t2.ok());
  EXPECT_NE(t->token, t2->token);
}

TEST(AuthTest, TokenIdRejectsMalformedTokens) {
  const std::string secret(64, 'f');
  struct Case {
    std::string token;
    bool ok;
  } cases[] = {
      {"du_0123456789ab_" + secret, true},
      {"du_0123456789AB_" + secret, false},  // upper-case hex
      {"du_0123456789a_" + secret + "f", false},
      {"xx_0123456789ab_" + secret, false},
      {"du_0123456789ab-" + secret, false},
      {"du_0123456789ab_" + secret.substr(1), false},
      {"", false},
  };
  for (const Case& c : cases)
    EXPECT_EQ(TokenId(c.token).has_value(), c.ok) << c.token;
}

TEST(AuthTest, RolesRoundTrip) {
  for (Role r : {Role::kOfficer, Role::kReviewer, Role::kAdmin, Role::kAuthority}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root").has_value());
  EXPECT_FALSE(ParseRole("Admin").has_value());
}

}  // namespace
}  // namespace dualuse::server
