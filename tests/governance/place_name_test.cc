// Unit tests of the place-naming rules (services/governance/place_name.h): no servers.
#include "services/governance/place_name.h"

#include <gtest/gtest.h>

namespace civil::governance {
namespace {

const absl::CivilDay kToday(2023, 6, 30);

NamingStepDraft Step(NamingStep step, absl::CivilDay on) { return {step, on, "文件"}; }

TEST(PlaceNameRulesTest, AnApplicationNamesItsBadField) {
  absl::StatusOr<NamingApplication> a = ValidateNamingApplication(
      "枞川路", static_cast<int>(PlaceKind::kRoad), "340722100", "县住建局", "", kToday);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->applied_on, kToday);
  EXPECT_EQ(a->region.value(), "340722100");
  EXPECT_EQ(ValidateNamingApplication("", 1, "340722100", "x", "", kToday).status().message(),
            "proposed_name: is required");
  EXPECT_EQ(ValidateNamingApplication("路", 0, "340722100", "x", "", kToday)
                .status()
                .message()
                .substr(0, 6),
            "kind: ");
  EXPECT_EQ(ValidateNamingApplication("路", 9, "340722100", "x", "", kToday).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ValidateNamingApplication("路", 1, "3407", "x", "", kToday).status().message().substr(0, 13),
      "region_code: ");
  EXPECT_EQ(ValidateNamingApplication("路", 1, "340722", "", "", kToday).status().message(),
            "applicant: is required");
  absl::Status future =
      ValidateNamingApplication("路", 1, "340722", "x", "2023-07-01", kToday).status();
  EXPECT_EQ(future.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(future.message().substr(0, 18), "application_date: ");
}

TEST(PlaceNameRulesTest, AStepNamesItsDateField) {
  absl::Status s = ValidateNamingStep(NamingStep::kFiling, "2023-13-01", "备案", kToday).status();
  EXPECT_EQ(s.message().substr(0, 13), "filing_date: ");
  EXPECT_EQ(ValidateNamingStep(NamingStep::kAnnouncement, "", "", kToday).status().message(),
            "document: is required");
  EXPECT_EQ(ValidateNamingStep(NamingStep::kApproval, "", "批复", kToday)->on, kToday);
}

TEST(PlaceNameRulesTest, StepsComeInOrderNotBeforeThePreviousOne) {
  NamingState s{"clerk", absl::CivilDay(2023, 5, 1), std::nullopt, std::nullopt, std::nullopt};
  EXPECT_EQ(CheckNamingStep(s, Step(NamingStep::kFiling, kToday), "reviewer").message(),
            "step: FILING is out of order; the next step is APPROVAL");
  EXPECT_EQ(
      CheckNamingStep(s, Step(NamingStep::kApproval, absl::CivilDay(2023, 4, 30)), "r").message(),
      "approval_date: 2023-04-30 is before the APPLICATION (2023-05-01)");
  EXPECT_EQ(CheckNamingStep(s, Step(NamingStep::kApproval, kToday), "clerk").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckNamingStep(s, Step(NamingStep::kApproval, kToday), "reviewer").ok());
  s.approved_on = absl::CivilDay(2023, 5, 10);
  EXPECT_EQ(CheckNamingStep(s, Step(NamingStep::kAnnouncement, kToday), "c").message(),
            "step: ANNOUNCEMENT is out of order; the next step is FILING");
  EXPECT_EQ(CheckNamingStep(s, Step(NamingStep::kApproval, kToday), "r").message(),
            "step: APPROVAL is out of order; the next step is FILING");
  s.filed_on = absl::CivilDay(2023, 5, 20);
  s.announced_on = absl::CivilDay(2023, 6, 1);
  EXPECT_EQ(LastStep(s), NamingStep::kAnnouncement);
  EXPECT_EQ(CheckNamingStep(s, Step(NamingStep::kAnnouncement, kToday), "c").message(),
            "step: ANNOUNCEMENT after the name was announced");
}

TEST(PlaceNameRulesTest, FilingAndAnnouncementAreDueFifteenDaysAfterTheStepBefore) {
  NamingState s{"clerk", absl::CivilDay(2023, 5, 1), absl::CivilDay(2023, 5, 10), std::nullopt,
                std::nullopt};
  EXPECT_EQ(DueOn(s, NamingStep::kFiling), absl::CivilDay(2023, 5, 25));
  EXPECT_EQ(DueOn(s, NamingStep::kAnnouncement), std::nullopt);
  // Not filed: overdue only after the due day.
  EXPECT_TRUE(LateSteps(s, absl::CivilDay(2023, 5, 25)).empty());
  std::vector<LateStep> late = LateSteps(s, absl::CivilDay(2023, 5, 26));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].step, NamingStep::kFiling);
  EXPECT_EQ(late[0].done_on, std::nullopt);
  // Filed late on 5-28; the announcement then is due 6-12 and overdue on 6-13.
  s.filed_on = absl::CivilDay(2023, 5, 28);
  EXPECT_EQ(LateSteps(s, absl::CivilDay(2023, 5, 27))[0].done_on, std::nullopt);  // not yet filed
  late = LateSteps(s, absl::CivilDay(2023, 6, 13));
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late[0].done_on, absl::CivilDay(2023, 5, 28));
  EXPECT_EQ(late[1].step, NamingStep::kAnnouncement);
  EXPECT_EQ(late[1].due_on, absl::CivilDay(2023, 6, 12));
  // Announced on its due day: not late.
  s.announced_on = absl::CivilDay(2023, 6, 12);
  late = LateSteps(s, kToday);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].step, NamingStep::kFiling);
  // A step before the approval is not due at all.
  s.approved_on = s.filed_on = s.announced_on = std::nullopt;
  EXPECT_TRUE(LateSteps(s, kToday).empty());
}

}  // namespace
}  // namespace civil::governance
