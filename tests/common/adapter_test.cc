#include "services/common/adapter.h"

#include <google/protobuf/timestamp.pb.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/test/server_context_test_spouse.h>

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "civil/events/v1/admin.pb.h"
#include "gtest/gtest.h"
#include "tests/support/call_as.h"

namespace civil {
namespace {

// --- Serve -----------------------------------------------------------------------------------

TEST(ServeTest, OkBecomesGrpcOk) {
  int calls = 0;
  const grpc::Status status = Serve([&] {
    ++calls;
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OK);
  EXPECT_EQ(calls, 1);
}

TEST(ServeTest, ErrorsKeepCodeAndMessage) {
  const grpc::Status invalid =
      Serve([] { return InvalidField("id_number", "must be 18 characters"); });
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(invalid.error_message(), "id_number: must be 18 characters");

  const grpc::Status not_found = Serve([] { return absl::NotFoundError("household not found"); });
  EXPECT_EQ(not_found.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(not_found.error_message(), "household not found");

  const grpc::Status aborted = Serve([] { return absl::AbortedError("concurrent change"); });
  EXPECT_EQ(aborted.error_code(), grpc::StatusCode::ABORTED);
}

TEST(ServeTest, HandlerBodyWithEarlyReturns) {
  auto handler = [](int n, int* out) {
    return Serve([&]() -> absl::Status {
      CIVIL_ASSIGN_OR_RETURN(int size, PageSize(n));
      *out = size;
      return absl::OkStatus();
    });
  };
  int out = 0;
  EXPECT_TRUE(handler(0, &out).ok());
  EXPECT_EQ(out, kDefaultPageSize);
  const grpc::Status bad = handler(-1, &out);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message(), "page_size: must not be negative");
}

// --- AuthorizeCall ---------------------------------------------------------------------------

absl::StatusOr<Caller> CallAs(const std::string& roles, const std::string& method) {
  // Links the generated descriptors of civil/events/v1/admin.proto into this binary.
  EXPECT_NE(civil::events::v1::ListDeadLettersRequest::descriptor(), nullptr);
  testing::TrustTestTokens trust("kittest");
  grpc::ServerContext context;
  grpc::testing::ServerContextTestSpouse spouse(&context);
  spouse.AddClientMetadata("authorization",
                           "Bearer " + testing::UserToken({"ops-1", roles, "340722"}));
  return AuthorizeCall(context, "civil.events.v1.EventAdminService", method);
}

TEST(AuthorizeCallTest, JoinsServiceAndMethod) {
  absl::StatusOr<Caller> caller = CallAs("operator", "ReplayDeadLetter");
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "ops-1");
  EXPECT_EQ(caller->region_prefix, "340722");

  absl::StatusOr<Caller> clerk = CallAs("assistance.clerk", "ReplayDeadLetter");
  EXPECT_EQ(clerk.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(clerk.status().message(), "requires one of the roles: admin, operator");

  absl::StatusOr<Caller> unknown = CallAs("operator", "Nope");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(unknown.status().message(),
            "civil.events.v1.EventAdminService.Nope declares no access rule");
}

TEST(AuthorizeCallTest, NoSubjectIsUnauthenticated) {
  grpc::ServerContext context;
  EXPECT_EQ(AuthorizeCall(context, "civil.events.v1.EventAdminService", "ListDeadLetters")
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

// --- RegionCheck -----------------------------------------------------------------------------

TEST(RegionCheckTest, ChecksAgainstTheCallersScope) {
  Caller caller;
  caller.subject = "clerk-1";
  caller.region_prefix = "340722100";
  const std::function<absl::Status(const std::string&)> check = RegionCheck(caller);
  EXPECT_TRUE(check("340722100001").ok());
  const absl::Status outside = check("340722101001");
  EXPECT_EQ(outside.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(outside.message(), "region_code: region 340722101001 is outside your scope 340722100");
}

TEST(RegionCheckTest, KeepsACopyOfTheCaller) {
  std::function<absl::Status(const std::string&)> check;
  {
    Caller caller;
    caller.region_prefix = "340722";
    check = RegionCheck(caller);
    caller.region_prefix = "*";
  }
  EXPECT_TRUE(check("340722100").ok());
  EXPECT_EQ(check("110101").code(), absl::StatusCode::kPermissionDenied);
}

TEST(RegionCheckTest, EverywhereAndNowhere) {
  Caller everywhere;
  everywhere.region_prefix = "*";
  EXPECT_TRUE(RegionCheck(everywhere)("110101001001").ok());
  Caller nowhere;
  EXPECT_EQ(RegionCheck(nowhere)("340722").message(),
            "region_code: region 340722 is outside your scope (none)");
}

// --- TimestampOf -----------------------------------------------------------------------------

TEST(TimestampOfTest, Epoch) {
  const google::protobuf::Timestamp ts = TimestampOf(0);
  EXPECT_EQ(ts.seconds(), 0);
  EXPECT_EQ(ts.nanos(), 0);
}

TEST(TimestampOfTest, SplitsSecondsAndNanos) {
  const google::protobuf::Timestamp ts = TimestampOf(int64_t{1'718'409'600'123'456});
  EXPECT_EQ(ts.seconds(), 1'718'409'600);  // 2024-06-15T00:00:00Z
  EXPECT_EQ(ts.nanos(), 123'456'000);
  const google::protobuf::Timestamp whole = TimestampOf(int64_t{5'000'000});
  EXPECT_EQ(whole.seconds(), 5);
  EXPECT_EQ(whole.nanos(), 0);
}

TEST(TimestampOfTest, BeforeTheEpochNanosStayNonNegative) {
  const google::protobuf::Timestamp ts = TimestampOf(-1);
  EXPECT_EQ(ts.seconds(), -1);
  EXPECT_EQ(ts.nanos(), 999'999'000);
  const google::protobuf::Timestamp earlier = TimestampOf(int64_t{-1'500'000});
  EXPECT_EQ(earlier.seconds(), -2);
  EXPECT_EQ(earlier.nanos(), 500'000'000);
}

TEST(ParseCheckRequestTest, ThePersonAndTheMonthAskedAboutOrTheFieldAtFault) {
  const absl::CivilDay today(2023, 6, 30);
  absl::StatusOr<CheckAsked> asked = ParseCheckRequest("11010519491231002X", "2023-03-15", today);
  ASSERT_TRUE(asked.ok()) << asked.status();
  EXPECT_EQ(asked->month, absl::CivilMonth(2023, 3));
  EXPECT_EQ(ParseCheckRequest("11010519491231002X", "", today)->month, absl::CivilMonth(2023, 6));
  absl::StatusOr<CheckAsked> bad_id = ParseCheckRequest("110105194912310021", "", today);
  EXPECT_EQ(bad_id.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad_id.status().message(), "id_number")) << bad_id.status();
  absl::StatusOr<CheckAsked> future = ParseCheckRequest("11010519491231002X", "2023-07-01", today);
  EXPECT_TRUE(absl::StartsWith(future.status().message(), "as_of")) << future.status();
}

}  // namespace
}  // namespace civil
