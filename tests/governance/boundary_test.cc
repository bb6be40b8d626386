// Unit tests of the boundary rules (services/governance/boundary.h): no servers.
#include "services/governance/boundary.h"

#include <gtest/gtest.h>

namespace civil::governance {
namespace {

const absl::CivilDay kToday(2023, 6, 30);

TEST(BoundaryRulesTest, AMarkerHasACodeCoordinatesAKindAndAStatus) {
  absl::StatusOr<MarkerDraft> m = ValidateMarker("枞庐-01", 30.9, 117.2, 3, 1, "", kToday);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->kind, MarkerKind::kTriPoint);
  EXPECT_EQ(m->placed_on, kToday);
  EXPECT_EQ(ValidateMarker("a", 91, 117, 1, 1, "", kToday).status().message(),
            "latitude: must be from -90 to 90 degrees");
  EXPECT_EQ(ValidateMarker("a", 30, 181, 1, 1, "", kToday).status().message(),
            "longitude: must be from -180 to 180 degrees");
  EXPECT_EQ(ValidateMarker("a", 30, 117, 0, 1, "", kToday).status().message(), "kind: is required");
  EXPECT_EQ(ValidateMarker("", 30, 117, 1, 1, "", kToday).status().message(), "code: is required");
}

TEST(BoundaryRulesTest, OnlyTriPointMarkersCarryABoard) {
  EXPECT_TRUE(CheckBoard(MarkerKind::kTriPoint).ok());
  EXPECT_EQ(CheckBoard(MarkerKind::kDouble).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(BoundaryRulesTest, AnInspectionIsOfAYearNotAfterItsCompletionWithItsArchive) {
  EXPECT_TRUE(ValidateInspection(2023, "2023-05-10", "JX-2023-01", "", kToday).ok());
  EXPECT_TRUE(ValidateInspection(2022, "2023-01-10", "JX-2022-01", "", kToday).ok());
  EXPECT_EQ(ValidateInspection(2023, "2022-12-30", "JX", "", kToday).status().message(),
            "year: must be from 2000 to 2022");
  EXPECT_EQ(ValidateInspection(2023, "", "", "", kToday).status().message(),
            "archive_ref: is required");
  EXPECT_EQ(ValidateLine("340722", "庐江县", "枞庐线").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateLine("340722102", "庐江县", "枞庐线").ok());
}

}  // namespace
}  // namespace civil::governance
