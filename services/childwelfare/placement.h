// Guardian and placement changes of an approved 孤儿 / 事实无人抚养儿童 case (pure C++ on Abseil):
// the change as a clerk records it (the new guardian, the kind of placement — family, kinship,
// foster, institution — and the day it happened), the county reviewer's decision by another
// person, and what it does to the allowance: an orphan placed in an institution is 集中供养
// (centralised), elsewhere 社会散居 (dispersed); the new category is paid from the month after the
// change.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/childwelfare/child.h"

namespace civil::childwelfare {

// Numbers match civil.childwelfare.v1.PlacementKind.
enum class PlacementKind { kFamily = 1, kKinship = 2, kFoster = 3, kInstitution = 4 };
inline constexpr absl::string_view kPlacementKindNameList[] = {"", "FAMILY", "KINSHIP", "FOSTER",
                                                               "INSTITUTION"};
inline constexpr EnumNames kPlacementKindNames{kPlacementKindNameList};

// Numbers match civil.childwelfare.v1.ChangeStatus.
enum class ChangeStatus { kPending = 1, kApproved = 2, kRejected = 3 };
inline constexpr absl::string_view kChangeStatusNameList[] = {"", "PENDING", "APPROVED",
                                                              "REJECTED"};
inline constexpr EnumNames kChangeStatusNames{kChangeStatusNameList};

struct PlacementChangeInput {
  std::string guardian_name;
  std::string guardian_relation;
  int kind = 0;
  std::string placement;
  std::string reason;
  std::string change_date;
};

struct PlacementChangeDraft {
  std::string guardian_name;
  std::string guardian_relation;
  PlacementKind kind = PlacementKind::kFamily;
  std::string placement;
  std::string reason;
  absl::CivilDay on;
};

// Validates: guardian name and relation 1–64 characters, a placement kind, the placement 1–200,
// the reason 1–500, the day of the change (default `today`, never in the future).
// INVALID_ARGUMENT naming the field.
absl::StatusOr<PlacementChangeDraft> ValidatePlacementChange(const PlacementChangeInput& input,
                                                             absl::CivilDay today);

// The category a case of `current` has in a placement of `kind`: an orphan in an institution is
// ORPHAN_CENTRALISED, elsewhere ORPHAN_DISPERSED; a child without de-facto guardians stays so.
Category CategoryIn(Category current, PlacementKind kind);

// The first month the change reaches the allowance: the month after the change.
absl::CivilMonth ChangeEffectiveMonth(absl::CivilDay on);

// A change may be recorded on `on` for a case in `status` approved on `approved_on`:
// FAILED_PRECONDITION "child_id: …" unless active, "change_date: …" before the approval.
absl::Status CheckChangeable(ChildStatus status, std::optional<absl::CivilDay> approved_on,
                             absl::CivilDay on);

// The decision on `on`: PERMISSION_DENIED "maker-checker: …" when `decider` recorded the change;
// FAILED_PRECONDITION unless pending, before the change date, or — when the change moves the case
// to another category — before its effective month: the case's category changes at the approval
// and the monthly run reads the category of the case, so a run made within each month up to the
// change pays the old standard and every later one the new.
absl::Status CheckChangeDecision(ChangeStatus status, absl::string_view proposed_by,
                                 absl::string_view decider, absl::CivilDay change_on,
                                 bool category_changes, bool approve, absl::CivilDay on);

}  // namespace civil::childwelfare
