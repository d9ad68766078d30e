#include "dualuse/base/http_error.h"

#include <gtest/gtest.h>

namespace dualuse {
namespace {

TEST(HttpErrorTest, MapsEveryStatusCodeAndErrorCode) {
  struct Case {
    Status status;
    int http;
    const char* code;
    const char* message;
  };
  const Case cases[] = {
      {Status::Ok(), 200, "ok", ""},
      {Status::InvalidArgument("$.date: expected YYYY-MM-DD"), 400, "invalid_request",
       "$.date: expected YYYY-MM-DD"},
      {Status::NotFound("record 7: no such record"), 404, "not_found", "record 7: no such record"},
      {Status::AlreadyExists("user bob"), 409, "conflict", "user bob"},
      {Status::FailedPrecondition("store locked"), 409, "conflict", "store locked"},
      {Status::Unavailable("database down"), 503, "unavailable", "database down"},
      {Status::DataLoss("bad file"), 500, "internal", "bad file"},
      {Status::Internal("bug"), 500, "internal", "bug"},
      // The error code replaces the StatusCode's name; the message stays whole.
      {Status::InvalidArgument("nests deeper than 64 levels").WithCode("too_deep"), 400, "too_deep",
       "nests deeper than 64 levels"},
      {Status::Unavailable("x: y").WithCode("not_ready"), 503, "not_ready", "x: y"},
      {Status::NotFound("No such entity: 'Q1'").WithCode("entity_not_found").WithPrefix("match"),
       404, "entity_not_found", "match: No such entity: 'Q1'"},
      // A message that starts with an API code names that code.
      {Status::InvalidArgument("malformed_json: not JSON"), 400, "malformed_json", "not JSON"},
      // Other "word: " prefixes (file names, JSON paths) are messages.
      {Status::InvalidArgument("request.json: $.x: bad"), 400, "invalid_request",
       "request.json: $.x: bad"},
  };
  for (const Case& c : cases) {
    HttpError e = HttpErrorFor(c.status);
    EXPECT_EQ(e.status, c.http) << c.status.ToString();
    EXPECT_EQ(e.code, c.code) << c.status.ToString();
    EXPECT_EQ(e.message, c.message) << c.status.ToString();
  }
}

TEST(HttpErrorTest, CodesOfHttpStatuses) {
  EXPECT_STREQ(HttpErrorCode(400), "invalid_request");
  EXPECT_STREQ(HttpErrorCode(403), "forbidden");
  EXPECT_STREQ(HttpErrorCode(404), "not_found");
  EXPECT_STREQ(HttpErrorCode(405), "method_not_allowed");
  EXPECT_STREQ(HttpErrorCode(409), "conflict");
  EXPECT_STREQ(HttpErrorCode(503), "unavailable");
  EXPECT_STREQ(HttpErrorCode(500), "internal");
  EXPECT_STREQ(HttpErrorCode(418), "internal");
}

}  // namespace
}  // namespace dualuse
