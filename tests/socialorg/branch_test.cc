// Unit tests of the branch rules (services/socialorg/branch.h): who may set up a branch and
// when. No servers.
#include "services/socialorg/branch.h"

#include <gtest/gtest.h>

namespace civil::socialorg {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(BranchTest, ASocialGroupOrFoundationNotAPrivateNonEnterpriseUnit) {
  OrgState s;
  s.status = OrgStatus::kRegistered;
  s.established_on = D(2020, 1, 1);
  const Branch b{"青年委员会", "李某", "青年志愿服务", D(2023, 5, 1)};
  EXPECT_TRUE(CheckBranch(OrgKind::kSocialGroup, s, b).ok());
  EXPECT_TRUE(CheckBranch(OrgKind::kFoundation, s, b).ok());
  EXPECT_EQ(CheckBranch(OrgKind::kPrivateNonEnterpriseUnit, s, b).message(),
            "organisation_id: a private non-enterprise unit may not set up branches");
  EXPECT_EQ(CheckBranch(OrgKind::kSocialGroup, s, {"x", "y", "z", D(2019, 12, 31)}).message(),
            "established_date: must not be before the establishment on 2020-01-01");
  EXPECT_EQ(ValidateBranch("青年委员会", "", "服务", "", D(2023, 6, 30)).status().message(),
            "principal: is required");
  EXPECT_EQ(
      ValidateBranch("青年委员会", "李某", "服务", "2023-07-01", D(2023, 6, 30)).status().code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace civil::socialorg
