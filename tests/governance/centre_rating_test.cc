// Unit tests of the centre-rating rules (services/governance/centre_rating.h): no servers.
#include "services/governance/centre_rating.h"

#include <gtest/gtest.h>

namespace civil::governance {
namespace {

const absl::CivilDay kToday(2023, 6, 30);

TEST(CentreRatingRulesTest, OneToFiveStarsForAYearNotAfterTheRating) {
  absl::StatusOr<RatingDraft> r =
      ValidateRating("340722100001", "胜利社区党群服务中心", 2022, 4, "", kToday);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rated_on, kToday);
  EXPECT_EQ(ValidateRating("340722100001", "c", 2022, 6, "", kToday).status().message(),
            "stars: must be from 1 to 5");
  EXPECT_EQ(ValidateRating("340722100001", "c", 2022, 0, "", kToday).status().message(),
            "stars: must be from 1 to 5");
  EXPECT_EQ(ValidateRating("340722100001", "c", 2024, 3, "", kToday).status().message(),
            "year: must be from 2000 to 2023");
  EXPECT_EQ(ValidateRating("340722100001", "c", 2022, 3, "2023-07-01", kToday).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace civil::governance
