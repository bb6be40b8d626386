// RevealFullIds (services/common/id_views.h): who gets full ID numbers, and only for a reason.
#include "services/common/id_views.h"

#include <gtest/gtest.h>

namespace civil {
namespace {

Caller With(std::vector<std::string> roles) {
  return Caller{.subject = "u", .roles = std::move(roles), .region_prefix = "340722"};
}

TEST(RevealFullIdsTest, NoReasonMeansMaskedForEveryone) {
  for (const Caller& c : {With({"assistance.clerk"}), With({"assistance.reviewer"}),
                          With({"admin"}), With({"system"})}) {
    absl::StatusOr<bool> full = RevealFullIds(c, "assistance", "reveal_reason", "");
    ASSERT_TRUE(full.ok()) << full.status();
    EXPECT_FALSE(*full);
    full = RevealFullIds(c, "assistance", "reveal_reason", "  \u3000 ");
    ASSERT_TRUE(full.ok()) << full.status();
    EXPECT_FALSE(*full);
  }
}

TEST(RevealFullIdsTest, AReasonFromAFullIdRoleOfThatDepartment) {
  for (const Caller& c : {With({"assistance.reviewer"}), With({"admin"}), With({"system"})}) {
    absl::StatusOr<bool> full = RevealFullIds(c, "assistance", "reveal_reason", "核对");
    ASSERT_TRUE(full.ok()) << full.status();
    EXPECT_TRUE(*full);
  }
  // Another department's reviewer is no reviewer here.
  absl::StatusOr<bool> other =
      RevealFullIds(With({"governance.reviewer"}), "assistance", "reveal_reason", "核对");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(other.status().message(),
            "reveal_reason: full ID numbers are shown only to assistance.reviewer, admin or "
            "system");
  EXPECT_EQ(
      RevealFullIds(With({"assistance.clerk", "auditor"}), "assistance", "reveal_reason", "核对")
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST(RevealFullIdsTest, AReasonMustSaySomething) {
  const Caller reviewer = With({"assistance.reviewer"});
  absl::StatusOr<bool> one = RevealFullIds(reviewer, "assistance", "reveal_reason", "核");
  EXPECT_EQ(one.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(one.status().message().substr(0, 15), "reveal_reason: ");
  EXPECT_EQ(RevealFullIds(reviewer, "assistance", "why", std::string(201, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RevealFullIds(reviewer, "assistance", "why", "two\nlines").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(RevealFullIds(reviewer, "assistance", "why", std::string(200, 'a')).ok());
}

}  // namespace
}  // namespace civil
