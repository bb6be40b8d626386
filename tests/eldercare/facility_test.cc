// Unit tests of the facility rules (services/eldercare/facility.h): no servers.
#include "services/eldercare/facility.h"

#include <gtest/gtest.h>

namespace civil::eldercare {
namespace {

constexpr absl::CivilDay kToday(2023, 7, 15);

FacilityInput Canteen() {
  FacilityInput in;
  in.kind = static_cast<int>(FacilityKind::kCanteen);
  in.name = "会宫镇老年食堂";
  in.region_code = "340722100001";
  in.target_year = 2023;
  in.operator_name = "村委会";
  in.capacity = 40;
  in.planned_date = "2023-02-01";
  return in;
}

std::string FieldOf(const absl::Status& s) {
  return std::string(s.message().substr(0, s.message().find(':')));
}

TEST(FacilityTest, AValidFacilityAndBadInputNamingTheField) {
  absl::StatusOr<FacilityDraft> d = ValidateFacility(Canteen(), kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->kind, FacilityKind::kCanteen);
  FacilityInput township = Canteen();
  township.region_code = "340722100";
  township.planned_date = "";
  EXPECT_EQ(ValidateFacility(township, kToday)->planned_on, kToday);
  auto field = [](void (*change)(FacilityInput&)) {
    FacilityInput in = Canteen();
    change(in);
    absl::StatusOr<FacilityDraft> d = ValidateFacility(in, kToday);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    return FieldOf(d.status());
  };
  EXPECT_EQ(field([](FacilityInput& in) { in.kind = 0; }), "kind");
  EXPECT_EQ(field([](FacilityInput& in) { in.kind = 6; }), "kind");
  EXPECT_EQ(field([](FacilityInput& in) { in.name = ""; }), "name");
  EXPECT_EQ(field([](FacilityInput& in) { in.region_code = "340722"; }), "region_code");
  EXPECT_EQ(field([](FacilityInput& in) { in.target_year = 1999; }), "target_year");
  EXPECT_EQ(field([](FacilityInput& in) { in.capacity = -1; }), "capacity");
  EXPECT_EQ(field([](FacilityInput& in) { in.planned_date = "2023-07-16"; }), "planned_date");
}

TEST(FacilityStepTest, StepsAreTakenInOrderAndDatedNoEarlierThanTheLast) {
  const absl::CivilDay on(2023, 3, 1);
  EXPECT_TRUE(CheckFacilityStep(FacilityStatus::kPlanned, on, 2, on).ok());
  EXPECT_TRUE(CheckFacilityStep(FacilityStatus::kCompleted, on, 4, on + 1).ok());
  absl::Status s = CheckFacilityStep(FacilityStatus::kPlanned, on, 3, on);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "status: the facility is PLANNED; the next step is UNDER_CONSTRUCTION, not COMPLETED");
  s = CheckFacilityStep(FacilityStatus::kOperating, on, 4, on);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(s), "status");
  EXPECT_EQ(CheckFacilityStep(FacilityStatus::kPlanned, on, 1, on).code(),
            absl::StatusCode::kFailedPrecondition);  // no step back
  EXPECT_EQ(CheckFacilityStep(FacilityStatus::kPlanned, on, 9, on).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(CheckFacilityStep(FacilityStatus::kPlanned, on, 2, on - 1)), "date");
}

TEST(FacilityCanteenTest, SixNoticesAndMealsBelongToOperatingCanteens) {
  EXPECT_TRUE(CheckSixNotices(FacilityKind::kCanteen).ok());
  EXPECT_EQ(FieldOf(CheckSixNotices(FacilityKind::kVillageStation)), "facility_id");
  EXPECT_TRUE(CheckMeals(FacilityKind::kCanteen, FacilityStatus::kOperating, 900).ok());
  EXPECT_EQ(FieldOf(CheckMeals(FacilityKind::kCanteen, FacilityStatus::kCompleted, 900)), "status");
  EXPECT_EQ(FieldOf(CheckMeals(FacilityKind::kCanteen, FacilityStatus::kOperating, -1)), "meals");
  EXPECT_EQ(FieldOf(CheckMeals(FacilityKind::kFamilyCareBed, FacilityStatus::kOperating, 1)),
            "facility_id");
}

TEST(FacilityBuiltTest, CompletedOnOrBeforeTheDayCountsAsBuilt) {
  const absl::CivilDay done(2023, 5, 10);
  EXPECT_TRUE(BuiltBy(FacilityStatus::kCompleted, done, absl::CivilDay(2023, 6, 30)));
  EXPECT_TRUE(BuiltBy(FacilityStatus::kOperating, done, done));
  EXPECT_FALSE(BuiltBy(FacilityStatus::kCompleted, done, done - 1));
  EXPECT_FALSE(BuiltBy(FacilityStatus::kUnderConstruction, std::nullopt, done));
}

}  // namespace
}  // namespace civil::eldercare
