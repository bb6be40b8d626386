// Unit tests of the credit-commitment rules (services/socialorg/credit_commitment.h): the year
// and date, and that only a registered social group signs. No servers.
#include "services/socialorg/credit_commitment.h"

#include <gtest/gtest.h>

namespace civil::socialorg {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(CreditCommitmentTest, SignedInItsYearOrTheYearBefore) {
  const absl::CivilDay today = D(2023, 6, 30);
  EXPECT_TRUE(ValidateCommitment(2023, "诚信经营承诺", "2022-12-20", today).ok());
  EXPECT_EQ(ValidateCommitment(2023, "诚信经营承诺", "2021-12-20", today).status().message(),
            "signed_date: must be in 2022 or 2023");
  EXPECT_EQ(ValidateCommitment(2023, "", "", today).status().message(), "content: is required");
  EXPECT_EQ(ValidateCommitment(1999, "承诺", "", today).status().message(),
            "year: must be between 2000 and 2100");
}

TEST(CreditCommitmentTest, OnlyARegisteredIndustryAssociationSigns) {
  OrgState s;
  s.status = OrgStatus::kRegistered;
  s.established_on = D(2020, 1, 1);
  const CreditCommitment c{2023, "承诺", D(2023, 1, 5)};
  EXPECT_TRUE(CheckCommitment(OrgKind::kSocialGroup, true, s, c).ok());
  EXPECT_EQ(CheckCommitment(OrgKind::kFoundation, false, s, c).code(),
            absl::StatusCode::kFailedPrecondition);
  // A social group that is not an industry association or chamber of commerce does not sign.
  EXPECT_EQ(CheckCommitment(OrgKind::kSocialGroup, false, s, c).message(),
            "organisation_id: the social group is not registered as an industry association or "
            "chamber of commerce (行业协会商会, industry_association)");
  s.status = OrgStatus::kDeregistered;
  s.deregistered_on = D(2022, 12, 1);
  EXPECT_EQ(CheckCommitment(OrgKind::kSocialGroup, true, s, c).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace civil::socialorg
