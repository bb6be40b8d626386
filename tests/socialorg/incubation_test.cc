// Unit tests of the incubation rules (services/socialorg/incubation.h): the centre as entered and
// who may be admitted when. No servers.
#include "services/socialorg/incubation.h"

#include <gtest/gtest.h>

namespace civil::socialorg {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(IncubationTest, ACentreOfARegionDatedNotInTheFuture) {
  const absl::CivilDay today = D(2023, 6, 30);
  EXPECT_EQ(
      ValidateCentre("新华社区社会组织孵化服务中心", "340722100001", "", today)->established_on,
      today);
  EXPECT_EQ(ValidateCentre("中心", "34072", "", today).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_NE(ValidateCentre("中心", "34072", "", today).status().message().find("region_code"),
            std::string::npos);
  EXPECT_NE(ValidateCentre("中心", "340722", "2023-07-01", today)
                .status()
                .message()
                .find("established_date"),
            std::string::npos);
}

TEST(IncubationTest, AdmittedFromTheCentresEstablishmentUnlessRefusedOrDeregistered) {
  const IncubationCentre centre{"中心", "340722100001", D(2023, 3, 1)};
  OrgState pending;
  EXPECT_TRUE(CheckAdmission(centre, pending, D(2023, 3, 1)).ok());
  EXPECT_EQ(CheckAdmission(centre, pending, D(2023, 2, 28)).message(),
            "admitted_date: must not be before the centre's establishment on 2023-03-01");
  OrgState gone;
  gone.status = OrgStatus::kDeregistered;
  EXPECT_EQ(CheckAdmission(centre, gone, D(2023, 4, 1)).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace civil::socialorg
