#include "services/eldercare/adaptation.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::eldercare {

absl::StatusOr<SurveyDraft> ValidateSurvey(const SurveyInput& input, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("head_name", input.head_name, 64));
  absl::StatusOr<IdNumber> id = RequiredIdNumber("head_id_number", input.head_id_number, today);
  if (!id.ok()) return id.status();
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code, {RegionCode::Level::kVillage}));
  if (input.target_year < 2000 || input.target_year > 2100) {
    return InvalidField("target_year", "must be from 2000 to 2100");
  }
  CIVIL_ASSIGN_OR_RETURN(std::string findings, BoundedText("findings", input.findings, 2000,
                                                           /*required=*/false, TextLines::kMany));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                         EventDate("survey_date", input.survey_date, today));
  return SurveyDraft{std::move(name),   *std::move(id),      std::move(region),
                     input.target_year, std::move(findings), on};
}

absl::Status ValidatePlanItems(const std::vector<PlanItem>& items) {
  if (items.empty()) return InvalidField("items", "a plan (一户一方案) needs at least one item");
  if (static_cast<int>(items.size()) > kMaxPlanItems) {
    return InvalidField("items", absl::StrCat("at most ", kMaxPlanItems, " items"));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string field = absl::StrCat("items[", i, "]");
    CIVIL_RETURN_IF_ERROR(BoundedText(absl::StrCat(field, ".item"), items[i].item, 64).status());
    if (items[i].cost_fen < 1 || items[i].cost_fen > kMaxItemFen) {
      return InvalidField(absl::StrCat(field, ".cost_fen"),
                          absl::StrCat("must be from 1 to ", kMaxItemFen));
    }
  }
  return absl::OkStatus();
}

int64_t PlanCost(const std::vector<PlanItem>& items) {
  int64_t total = 0;
  for (const PlanItem& i : items) total += i.cost_fen;
  return total;
}

absl::Status CheckAdaptationStep(AdaptationStatus current, absl::CivilDay last_step_on, int next,
                                 absl::CivilDay on) {
  CIVIL_RETURN_IF_ERROR(kAdaptationStatusNames.Require("step", next));
  const int expected = static_cast<int>(current) + 1;
  if (next != expected) {
    if (current == AdaptationStatus::kAccepted) {
      return absl::FailedPreconditionError(
          absl::StrCat("step: the adaptation is ACCEPTED, the last step; not ",
                       kAdaptationStatusNames.Name(next)));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "step: the adaptation is ", kAdaptationStatusNames.Name(static_cast<int>(current)),
        "; the next step is ", kAdaptationStatusNames.Name(expected), ", not ",
        kAdaptationStatusNames.Name(next)));
  }
  if (on < last_step_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "date: must not be before the previous step's date ", FormatDay(last_step_on)));
  }
  return absl::OkStatus();
}

absl::StatusOr<PlacementDraft> ValidatePlacement(const PlacementInput& input,
                                                 absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 64));
  absl::StatusOr<IdNumber> id = RequiredIdNumber("id_number", input.id_number, today);
  if (!id.ok()) return id.status();
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code, {RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(std::string institution,
                         BoundedText("institution", input.institution, 64));
  CIVIL_ASSIGN_OR_RETURN(std::string basis, BoundedText("basis", input.basis, 64));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                         EventDate("placement_date", input.placement_date, today));
  const int age = AgeOn(id->birth_date(), on);
  if (age < 60) {
    return absl::FailedPreconditionError(
        absl::StrCat("id_number: the person is ", age, " on ", FormatDay(on), ", under 60"));
  }
  return PlacementDraft{std::move(name),        *std::move(id),   std::move(region),
                        std::move(institution), std::move(basis), on};
}

absl::Status CheckPlacementEnd(bool ended, absl::CivilDay placed_on, absl::CivilDay on) {
  if (ended) return absl::FailedPreconditionError("placement_id: the placement has ended already");
  if (on < placed_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("date: must not be before the placement date ", FormatDay(placed_on)));
  }
  return absl::OkStatus();
}

}  // namespace civil::eldercare
