#include "services/governance/place_name.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::governance {

absl::StatusOr<NamingApplication> ValidateNamingApplication(absl::string_view proposed_name,
                                                            int kind, absl::string_view region_code,
                                                            absl::string_view applicant,
                                                            absl::string_view application_date,
                                                            absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("proposed_name", proposed_name, 64));
  CIVIL_RETURN_IF_ERROR(kPlaceKindNames.Require("kind", kind));
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", region_code,
                                  {RegionCode::Level::kCounty, RegionCode::Level::kTownship,
                                   RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(std::string who, BoundedText("applicant", applicant, 100));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                         EventDate("application_date", application_date, today));
  return NamingApplication{std::move(name), static_cast<PlaceKind>(kind), std::move(region),
                           std::move(who), on};
}

absl::Status CheckNamingRegion(const std::optional<RegionFacts>& region,
                               absl::string_view region_code) {
  if (!region) {
    return absl::FailedPreconditionError(
        absl::StrCat("region_code: ", region_code, " is not in the region tree"));
  }
  if (!region->merged_into.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("region_code: ", region_code, " was merged into ", region->merged_into));
  }
  return absl::OkStatus();
}

absl::string_view StepDateField(NamingStep step) {
  switch (step) {
    case NamingStep::kApplication:
      return "application_date";
    case NamingStep::kApproval:
      return "approval_date";
    case NamingStep::kFiling:
      return "filing_date";
    case NamingStep::kAnnouncement:
      return "announcement_date";
  }
  return "step_date";
}

absl::StatusOr<NamingStepDraft> ValidateNamingStep(NamingStep step, absl::string_view date,
                                                   absl::string_view document,
                                                   absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate(StepDateField(step), date, today));
  CIVIL_ASSIGN_OR_RETURN(std::string doc, BoundedText("document", document, 200));
  return NamingStepDraft{step, on, std::move(doc)};
}

NamingStep LastStep(const NamingState& state) {
  if (state.announced_on) return NamingStep::kAnnouncement;
  if (state.filed_on) return NamingStep::kFiling;
  if (state.approved_on) return NamingStep::kApproval;
  return NamingStep::kApplication;
}

absl::Status CheckNamingStep(const NamingState& state, const NamingStepDraft& draft,
                             absl::string_view actor) {
  const NamingStep last = LastStep(state);
  const absl::string_view name = kNamingStepNames.Name(static_cast<int>(draft.step));
  if (last == NamingStep::kAnnouncement) {
    return absl::FailedPreconditionError(
        absl::StrCat("step: ", name, " after the name was announced"));
  }
  const int next = static_cast<int>(last) + 1;
  if (static_cast<int>(draft.step) != next) {
    return absl::FailedPreconditionError(absl::StrCat(
        "step: ", name, " is out of order; the next step is ", kNamingStepNames.Name(next)));
  }
  const absl::CivilDay previous = last == NamingStep::kApplication ? state.applied_on
                                  : last == NamingStep::kApproval  ? *state.approved_on
                                                                   : *state.filed_on;
  if (draft.on < previous) {
    return absl::FailedPreconditionError(absl::StrCat(
        StepDateField(draft.step), ": ", absl::FormatCivilTime(draft.on), " is before the ",
        kNamingStepNames.Name(static_cast<int>(last)), " (", absl::FormatCivilTime(previous), ")"));
  }
  if (draft.step == NamingStep::kApproval && actor == state.applied_by) {
    return absl::PermissionDeniedError(
        "maker-checker: the reviewer must not be the person who filed the application");
  }
  return absl::OkStatus();
}

std::optional<absl::CivilDay> DueOn(const NamingState& state, NamingStep step) {
  if (step == NamingStep::kFiling && state.approved_on) return *state.approved_on + kFilingDays;
  if (step == NamingStep::kAnnouncement && state.filed_on) {
    return *state.filed_on + kAnnouncementDays;
  }
  return std::nullopt;
}

std::vector<LateStep> LateSteps(const NamingState& state, absl::CivilDay as_of) {
  std::vector<LateStep> late;
  auto by = [&](const std::optional<absl::CivilDay>& day) -> std::optional<absl::CivilDay> {
    if (day && *day <= as_of) return day;
    return std::nullopt;
  };
  const NamingState seen{state.applied_by, state.applied_on, by(state.approved_on),
                         by(state.filed_on), by(state.announced_on)};
  const std::pair<NamingStep, std::optional<absl::CivilDay>> steps[] = {
      {NamingStep::kFiling, seen.filed_on}, {NamingStep::kAnnouncement, seen.announced_on}};
  for (const auto& [step, done] : steps) {
    const std::optional<absl::CivilDay> due = DueOn(seen, step);
    if (!due) continue;
    if (done ? IsLate(*due, *done) : as_of > *due) late.push_back({step, *due, done});
  }
  return late;
}

}  // namespace civil::governance
