// Unit tests of the home-adaptation and placement rules (services/eldercare/adaptation.h).
#include "services/eldercare/adaptation.h"

#include <gtest/gtest.h>

#include "tests/support/test_ids.h"

namespace civil::eldercare {
namespace {

using civil::affairs::testing::Id;
constexpr absl::CivilDay kToday(2023, 7, 15);

std::string FieldOf(const absl::Status& s) {
  return std::string(s.message().substr(0, s.message().find(':')));
}

TEST(SurveyTest, AValidSurveyAndBadInputNamingTheField) {
  SurveyInput in{"张某", Id("19450101", true), "340722100001", 2023, "卫生间无扶手", ""};
  absl::StatusOr<SurveyDraft> d = ValidateSurvey(in, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->surveyed_on, kToday);
  SurveyInput bad = in;
  bad.target_year = 1990;
  EXPECT_EQ(FieldOf(ValidateSurvey(bad, kToday).status()), "target_year");
  bad = in;
  bad.survey_date = "2023-07-16";
  EXPECT_EQ(FieldOf(ValidateSurvey(bad, kToday).status()), "survey_date");
  bad = in;
  bad.head_id_number = "123";
  EXPECT_EQ(FieldOf(ValidateSurvey(bad, kToday).status()), "head_id_number");
}

TEST(PlanTest, ItemsAreNamedAndCostedAndTheCostIsTheirSum) {
  const std::vector<PlanItem> items = {{"卫生间扶手", 30000}, {"防滑地面", 45000}};
  EXPECT_TRUE(ValidatePlanItems(items).ok());
  EXPECT_EQ(PlanCost(items), 75000);
  EXPECT_EQ(FieldOf(ValidatePlanItems({})), "items");
  EXPECT_EQ(FieldOf(ValidatePlanItems({{"扶手", 1}, {"", 1}})), "items[1].item");
  EXPECT_EQ(FieldOf(ValidatePlanItems({{"扶手", 0}})), "items[0].cost_fen");
}

TEST(AdaptationStepTest, StepsAreTakenInOrder) {
  const absl::CivilDay on(2023, 3, 1);
  EXPECT_TRUE(CheckAdaptationStep(AdaptationStatus::kSurveyed, on, 2, on).ok());
  absl::Status s = CheckAdaptationStep(AdaptationStatus::kSurveyed, on, 3, on);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "step: the adaptation is SURVEYED; the next step is PLANNED, not WORKS");
  EXPECT_EQ(FieldOf(CheckAdaptationStep(AdaptationStatus::kAccepted, on, 4, on)), "step");
  EXPECT_EQ(FieldOf(CheckAdaptationStep(AdaptationStatus::kPlanned, on, 3, on - 1)), "date");
  EXPECT_EQ(CheckAdaptationStep(AdaptationStatus::kPlanned, on, 7, on).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PlacementTest, AnElderlyPersonIsPlacedAndThePlacementEndsOnce) {
  PlacementInput in{"赵某", Id("19500101", false), "340722100001", "县社会福利中心",
                    "低保", "2023-05-01"};
  ASSERT_TRUE(ValidatePlacement(in, kToday).ok());
  PlacementInput young = in;
  young.id_number = Id("19700101", false);
  absl::Status s = ValidatePlacement(young, kToday).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(s), "id_number");
  PlacementInput nobasis = in;
  nobasis.basis = "";
  EXPECT_EQ(FieldOf(ValidatePlacement(nobasis, kToday).status()), "basis");
  const absl::CivilDay placed(2023, 5, 1);
  EXPECT_TRUE(CheckPlacementEnd(false, placed, placed + 30).ok());
  EXPECT_EQ(FieldOf(CheckPlacementEnd(true, placed, placed + 30)), "placement_id");
  EXPECT_EQ(FieldOf(CheckPlacementEnd(false, placed, placed - 1)), "date");
}

}  // namespace
}  // namespace civil::eldercare
