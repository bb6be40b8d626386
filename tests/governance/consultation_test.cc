// Unit tests of the consultation-site rules (services/governance/consultation.h): no servers.
#include "services/governance/consultation.h"

#include <gtest/gtest.h>

namespace civil::governance {
namespace {

const absl::CivilDay kToday(2023, 6, 30);

TEST(ConsultationRulesTest, ASiteIsAVillageWithANameAndADayNotInTheFuture) {
  absl::StatusOr<SiteDraft> site = ValidateSite("340722100001", "协商议事厅", "", kToday);
  ASSERT_TRUE(site.ok()) << site.status();
  EXPECT_EQ(site->selected_on, kToday);
  EXPECT_EQ(ValidateSite("340722100", "x", "", kToday).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateSite("340722100001", "", "", kToday).status().message(), "name: is required");
  absl::StatusOr<SiteDraft> future = ValidateSite("340722100001", "x", "2023-07-01", kToday);
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(future.status().message().find("selected_date"), absl::string_view::npos);
}

}  // namespace
}  // namespace civil::governance
