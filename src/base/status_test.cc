#include "dualuse/base/status.h"

#include <gtest/gtest.h>

#include "dualuse/base/result.h"

namespace dualuse {
namespace {

TEST(StatusTest, ExitCodesFollowTheSpec) {
  struct {
    Status status;
    int exit_code;
  } cases[] = {
      {Status::Ok(), 0},
      {Status::InvalidArgument("x"), 2},
      {Status::NotFound("x"), 2},
      {Status::DataLoss("x"), 2},
      {Status::FailedPrecondition("x"), 2},
      {Status::Unavailable("x"), 1},
      {Status::Internal("x"), 1},
  };
  for (const auto& c : cases)
    EXPECT_EQ(c.status.ExitCode(), c.exit_code) << c.status.ToString();
}

TEST(StatusTest, WithPrefixNamesTheFile) {
  Status s = Status::InvalidArgument("$.date: expected YYYY-MM-DD").WithPrefix("request.json");
  EXPECT_EQ(s.message(), "request.json: $.date: expected YYYY-MM-DD");
  EXPECT_TRUE(Status::Ok().WithPrefix("x").ok());
}

TEST(StatusTest, ErrorCodeIsAFieldNotPartOfTheMessage) {
  Status s = Status::InvalidArgument("the request body nests too deep").WithCode("too_deep");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.error_code(), "too_deep");
  EXPECT_EQ(s.message(), "the request body nests too deep");
  Status p = s.WithPrefix("request.json");
  EXPECT_EQ(p.error_code(), "too_deep");
  EXPECT_EQ(p.message(), "request.json: the request body nests too deep");
  EXPECT_EQ(Status::NotFound("x").error_code(), "");
  EXPECT_TRUE(Status::Ok().WithCode("too_deep").ok());
  EXPECT_EQ(Status::Ok().WithCode("too_deep").error_code(), "");
  Result<int> r = Status::Unavailable("later").WithCode("not_ready");
  EXPECT_EQ(r.error().error_code(), "not_ready");
}

Result<int> Half(int v) {
  if (v % 2) return Status::InvalidArgument("odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  DU_ASSIGN_OR_RETURN(int h, Half(v));
  return Half(h);
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_FALSE(Quarter(6).has_value());
  EXPECT_EQ(Quarter(6).error().message(), "odd");
}

}  // namespace
}  // namespace dualuse
