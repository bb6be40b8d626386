#include "services/common/caller.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/test/server_context_test_spouse.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "civil/events/v1/admin.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/call_as.h"

namespace civil {
namespace {

using ::testing::ElementsAre;

// An RPC whose contract declares `access = {roles: ["admin", "operator"]}`.
constexpr char kListDeadLetters[] = "civil.events.v1.EventAdminService.ListDeadLetters";

Caller MakeCaller(std::vector<std::string> roles, std::string region_prefix,
                  std::string subject = "u-1") {
  Caller caller;
  caller.subject = std::move(subject);
  caller.roles = std::move(roles);
  caller.region_prefix = std::move(region_prefix);
  return caller;
}

// --- Caller ----------------------------------------------------------------------------------

TEST(CallerTest, HasRole) {
  const Caller caller = MakeCaller({"assistance.clerk", "auditor"}, "340722");
  EXPECT_TRUE(caller.HasRole("assistance.clerk"));
  EXPECT_TRUE(caller.HasRole("auditor"));
  EXPECT_FALSE(caller.HasRole("assistance.reviewer"));
  EXPECT_FALSE(caller.HasRole("assistance"));
  EXPECT_FALSE(caller.HasRole(""));
  EXPECT_FALSE(MakeCaller({}, "*").HasRole("admin"));
}

TEST(CallerTest, CanActOnIsAPrefixMatch) {
  const Caller county = MakeCaller({}, "340722");
  EXPECT_TRUE(county.CanActOn("340722"));
  EXPECT_TRUE(county.CanActOn("340722100"));
  EXPECT_TRUE(county.CanActOn("340722100001"));
  EXPECT_FALSE(county.CanActOn("340723"));
  EXPECT_FALSE(county.CanActOn("340723100001"));
  EXPECT_FALSE(county.CanActOn("34072"));
  EXPECT_FALSE(county.CanActOn(""));

  const Caller township = MakeCaller({}, "340722100");
  EXPECT_TRUE(township.CanActOn("340722100002"));
  EXPECT_FALSE(township.CanActOn("340722"));  // the county is wider than the scope
  EXPECT_FALSE(township.CanActOn("340722101001"));
}

TEST(CallerTest, StarMeansEverywhereEmptyMeansNowhere) {
  const Caller everywhere = MakeCaller({}, "*");
  EXPECT_TRUE(everywhere.CanActOn("340722"));
  EXPECT_TRUE(everywhere.CanActOn("110101001001"));
  EXPECT_TRUE(everywhere.CanActOn(""));

  const Caller nowhere = MakeCaller({}, "");
  EXPECT_FALSE(nowhere.CanActOn("340722"));
  EXPECT_FALSE(nowhere.CanActOn(""));
}

TEST(CallerTest, MaySeeFullId) {
  EXPECT_TRUE(MakeCaller({"admin"}, "").MaySeeFullId("assistance"));
  EXPECT_TRUE(MakeCaller({"system"}, "").MaySeeFullId("assistance"));
  EXPECT_TRUE(
      MakeCaller({"assistance.clerk", "assistance.reviewer"}, "").MaySeeFullId("assistance"));
  EXPECT_FALSE(MakeCaller({"assistance.reviewer"}, "").MaySeeFullId("affairs"));
  EXPECT_FALSE(MakeCaller({"assistance.clerk", "auditor"}, "*").MaySeeFullId("assistance"));
  EXPECT_FALSE(MakeCaller({"reviewer"}, "*").MaySeeFullId("assistance"));
  EXPECT_FALSE(MakeCaller({}, "*").MaySeeFullId("assistance"));
}

// --- Authorize -------------------------------------------------------------------------------

class AuthorizeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Links the generated descriptors of civil/events/v1/admin.proto into this binary.
    ASSERT_NE(civil::events::v1::ListDeadLettersRequest::descriptor(), nullptr);
  }

  // The Authorize result for a call carrying a user's token with these claims ("" subject = no
  // token).
  static absl::StatusOr<Caller> Call(const std::string& method, const std::string& subject,
                                     const std::string& roles,
                                     const std::string& region = "340722") {
    grpc::ServerContext context;
    grpc::testing::ServerContextTestSpouse spouse(&context);
    if (!subject.empty()) {
      spouse.AddClientMetadata("authorization",
                               "Bearer " + testing::UserToken({subject, roles, region}));
    }
    return Authorize(context, method);
  }

  testing::TrustTestTokens trust_{"kittest"};
};

TEST_F(AuthorizeTest, NoSubjectIsUnauthenticated) {
  absl::StatusOr<Caller> caller = Call(kListDeadLetters, "", "admin");
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(caller.status().message()), ::testing::HasSubstr("no bearer token"));
}

TEST_F(AuthorizeTest, ARoleTheRuleNamesSuffices) {
  absl::StatusOr<Caller> caller = Call(kListDeadLetters, "ops-1", "auditor,operator", "*");
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "ops-1");
  EXPECT_THAT(caller->roles, ElementsAre("auditor", "operator"));
  EXPECT_EQ(caller->region_prefix, "*");
  // A second call is answered from the cache of rules with the same result.
  EXPECT_TRUE(Call(kListDeadLetters, "ops-2", "operator").ok());
}

TEST_F(AuthorizeTest, OtherRolesAreDeniedNamingTheRolesRequired) {
  for (const char* roles : {"assistance.clerk", "", "operators", "Operator"}) {
    absl::StatusOr<Caller> caller = Call(kListDeadLetters, "clerk-1", roles);
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied) << roles;
    EXPECT_EQ(caller.status().message(), "requires one of the roles: admin, operator") << roles;
  }
}

TEST_F(AuthorizeTest, NoAccessRuleDeniesAllButAdmin) {
  const std::string unknown = "civil.nowhere.v1.NoService.NoMethod";
  absl::StatusOr<Caller> denied = Call(unknown, "ops-1", "operator");
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.status().message(), unknown + " declares no access rule");

  absl::StatusOr<Caller> admin = Call(unknown, "root", "admin", "*");
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_EQ(admin->subject, "root");
}

TEST_F(AuthorizeTest, AdminPassesEveryRule) {
  absl::StatusOr<Caller> caller = Call(kListDeadLetters, "root", "admin");
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_TRUE(caller->HasRole("admin"));
}

// --- CheckRegion -----------------------------------------------------------------------------

TEST(CheckRegionTest, WithinScopeIsOk) {
  EXPECT_TRUE(CheckRegion(MakeCaller({}, "340722"), "region_code", "340722100001").ok());
  EXPECT_TRUE(CheckRegion(MakeCaller({}, "*"), "region_code", "110101").ok());
}

TEST(CheckRegionTest, OutsideScopeIsDeniedNamingFieldRegionAndScope) {
  const absl::Status status =
      CheckRegion(MakeCaller({}, "340722100"), "household.region_code", "340722101001");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(),
            "household.region_code: region 340722101001 is outside your scope 340722100");
}

TEST(CheckRegionTest, NoScopeSaysNone) {
  const absl::Status status = CheckRegion(MakeCaller({}, ""), "region_code", "340722");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "region_code: region 340722 is outside your scope (none)");
}

// --- ScopedPrefix ----------------------------------------------------------------------------

TEST(ScopedPrefixTest, NothingRequestedIsTheWholeScope) {
  EXPECT_EQ(*ScopedPrefix(MakeCaller({}, "340722"), ""), "340722");
  EXPECT_EQ(*ScopedPrefix(MakeCaller({}, "340722100"), ""), "340722100");
  EXPECT_EQ(*ScopedPrefix(MakeCaller({}, "*"), ""), "");
}

TEST(ScopedPrefixTest, NothingRequestedWithoutScopeIsDenied) {
  absl::StatusOr<std::string> prefix = ScopedPrefix(MakeCaller({}, ""), "");
  EXPECT_EQ(prefix.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(prefix.status().message(), "region_prefix: you have no region scope");
  EXPECT_EQ(ScopedPrefix(MakeCaller({}, ""), "", "filter.region").status().message(),
            "filter.region: you have no region scope");
}

TEST(ScopedPrefixTest, RequestedWithinScope) {
  EXPECT_EQ(*ScopedPrefix(MakeCaller({}, "340722"), "340722"), "340722");
  EXPECT_EQ(*ScopedPrefix(MakeCaller({}, "340722"), "340722100"), "340722100");
  EXPECT_EQ(*ScopedPrefix(MakeCaller({}, "340722"), "340722100001"), "340722100001");
  EXPECT_EQ(*ScopedPrefix(MakeCaller({}, "*"), "110101"), "110101");
}

TEST(ScopedPrefixTest, RequestedOutsideScopeIsDenied) {
  absl::StatusOr<std::string> wider = ScopedPrefix(MakeCaller({}, "340722100"), "340722");
  EXPECT_EQ(wider.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(wider.status().message(),
            "region_prefix: region 340722 is outside your scope 340722100");

  absl::StatusOr<std::string> elsewhere = ScopedPrefix(MakeCaller({}, "340722"), "340723");
  EXPECT_EQ(elsewhere.status().code(), absl::StatusCode::kPermissionDenied);

  absl::StatusOr<std::string> none = ScopedPrefix(MakeCaller({}, ""), "340722");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(none.status().message(), "region_prefix: region 340722 is outside your scope (none)");
}

TEST(ScopedPrefixTest, MalformedRequestIsInvalidNamingTheField) {
  for (const char* bad : {"3407", "3407221", "34072210", "abcdef", "340722100001x", "*"}) {
    absl::StatusOr<std::string> prefix = ScopedPrefix(MakeCaller({}, "*"), bad, "region");
    EXPECT_EQ(prefix.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(prefix.status().message(), "region: must be empty or 6, 9 or 12 digits") << bad;
  }
}

}  // namespace
}  // namespace civil
