#include "services/childwelfare/placement.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::childwelfare {

absl::StatusOr<PlacementChangeDraft> ValidatePlacementChange(const PlacementChangeInput& input,
                                                             absl::CivilDay today) {
  PlacementChangeDraft draft;
  CIVIL_ASSIGN_OR_RETURN(draft.guardian_name,
                         RequiredText("guardian_name", input.guardian_name, 64, "is required"));
  CIVIL_ASSIGN_OR_RETURN(
      draft.guardian_relation,
      RequiredText("guardian_relation", input.guardian_relation, 64, "is required"));
  CIVIL_RETURN_IF_ERROR(kPlacementKindNames.Require("kind", input.kind));
  draft.kind = static_cast<PlacementKind>(input.kind);
  CIVIL_ASSIGN_OR_RETURN(draft.placement,
                         RequiredText("placement", input.placement, 200, "is required"));
  CIVIL_ASSIGN_OR_RETURN(draft.reason, RequiredText("reason", input.reason, 500,
                                                    "a change says why", TextLines::kMany));
  CIVIL_ASSIGN_OR_RETURN(draft.on, EventDate("change_date", input.change_date, today));
  return draft;
}

Category CategoryIn(Category current, PlacementKind kind) {
  if (!IsOrphan(current)) return current;
  return kind == PlacementKind::kInstitution ? Category::kOrphanCentralised
                                             : Category::kOrphanDispersed;
}

absl::CivilMonth ChangeEffectiveMonth(absl::CivilDay on) { return absl::CivilMonth(on) + 1; }

absl::Status CheckChangeable(ChildStatus status, std::optional<absl::CivilDay> approved_on,
                             absl::CivilDay on) {
  if (status != ChildStatus::kActive || !approved_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("child_id: the case is ", kChildStatusNames.Name(static_cast<int>(status)),
                     "; only an active case changes guardian or placement"));
  }
  if (on < *approved_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("change_date: must not be before the approval ", FormatDay(*approved_on)));
  }
  return absl::OkStatus();
}

absl::Status CheckChangeDecision(ChangeStatus status, absl::string_view proposed_by,
                                 absl::string_view decider, absl::CivilDay change_on,
                                 bool category_changes, bool approve, absl::CivilDay on) {
  if (status != ChangeStatus::kPending) {
    return absl::FailedPreconditionError("change_id: the change is decided already");
  }
  if (proposed_by == decider) {
    return absl::PermissionDeniedError(
        "maker-checker: the change must be decided by another person than the one who recorded "
        "it");
  }
  if (on < change_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("decision_date: must not be before the change ", FormatDay(change_on)));
  }
  const absl::CivilMonth effective = ChangeEffectiveMonth(change_on);
  if (approve && category_changes && absl::CivilMonth(on) < effective) {
    return absl::FailedPreconditionError(absl::StrCat(
        "decision_date: the change moves the case to another category, paid from ",
        FormatMonth(effective), "; approve it from ", FormatDay(absl::CivilDay(effective))));
  }
  return absl::OkStatus();
}

}  // namespace civil::childwelfare
