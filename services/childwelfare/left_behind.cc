#include "services/childwelfare/left_behind.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::childwelfare {
namespace {

bool Away(Whereabouts w) {
  return w == Whereabouts::kMigrantInProvince || w == Whereabouts::kMigrantOutOfProvince ||
         w == Whereabouts::kAbroad;
}
bool Absent(Whereabouts w) {
  return Away(w) || w == Whereabouts::kDeceased || w == Whereabouts::kUnable;
}

}  // namespace

absl::StatusOr<CareChildDraft> ValidateCareChild(const CareChildInput& input,
                                                 absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 64));
  absl::StatusOr<IdNumber> id = RequiredIdNumber("id_number", input.id_number, today);
  if (!id.ok()) return id.status();
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code, {RegionCode::Level::kVillage}));
  CIVIL_RETURN_IF_ERROR(kCareKindNames.Require("kind", input.kind));
  CIVIL_RETURN_IF_ERROR(kWhereaboutsNames.Require("father", input.father));
  CIVIL_RETURN_IF_ERROR(kWhereaboutsNames.Require("mother", input.mother));
  const auto kind = static_cast<CareKind>(input.kind);
  const auto father = static_cast<Whereabouts>(input.father);
  const auto mother = static_cast<Whereabouts>(input.mother);
  CIVIL_ASSIGN_OR_RETURN(std::string carer,
                         RequiredText("carer_name", input.carer_name, 64, "is required"));
  CIVIL_ASSIGN_OR_RETURN(std::string relation,
                         RequiredText("carer_relation", input.carer_relation, 64, "is required"));
  CIVIL_ASSIGN_OR_RETURN(std::string school,
                         BoundedText("school", input.school, 100, /*required=*/false));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                         EventDate("registration_date", input.registration_date, today));
  if (on < id->birth_date()) {
    return InvalidField("registration_date", "must not be before the birth date in the ID number");
  }
  const int age = AgeOn(id->birth_date(), on);
  std::string difficulty;
  if (kind == CareKind::kLeftBehind) {
    const bool ok = (Away(father) && Absent(mother)) || (Away(mother) && Absent(father));
    if (!ok) {
      return InvalidField(Away(father) ? "mother" : "father",
                          "a left-behind child has both parents away (migrant or abroad), or one "
                          "away and the other dead or unable to look after the child");
    }
    if (age >= kLeftBehindAge) {
      return InvalidField("id_number",
                          absl::StrCat("the child is ", age, "; a left-behind child is under 16"));
    }
    CIVIL_ASSIGN_OR_RETURN(difficulty,
                           BoundedText("difficulty", input.difficulty, 200, /*required=*/false));
  } else {
    CIVIL_ASSIGN_OR_RETURN(difficulty,
                           RequiredText("difficulty", input.difficulty, 200,
                                        "a child in difficulty is registered with what it is"));
    if (age >= 18) {
      return InvalidField("id_number", absl::StrCat("the child is ", age, "; only under 18"));
    }
  }
  return CareChildDraft{std::move(name),
                        *std::move(id),
                        std::move(region),
                        kind,
                        father,
                        mother,
                        std::move(carer),
                        std::move(relation),
                        std::move(school),
                        std::move(difficulty),
                        on};
}

absl::StatusOr<WorkerDraft> ValidateWorker(absl::string_view name, int role,
                                           absl::string_view region_code, absl::string_view date,
                                           absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string worker_name, BoundedText("name", name, 64));
  CIVIL_RETURN_IF_ERROR(kWorkerRoleNames.Require("role", role));
  const auto worker_role = static_cast<WorkerRole>(role);
  CIVIL_ASSIGN_OR_RETURN(RegionCode region, RegionOf("region_code", region_code,
                                                     {worker_role == WorkerRole::kDirector
                                                          ? RegionCode::Level::kVillage
                                                          : RegionCode::Level::kTownship}));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("appointment_date", date, today));
  return WorkerDraft{std::move(worker_name), worker_role, std::move(region), on};
}

absl::StatusOr<VisitDraft> ValidateVisit(absl::string_view worker_id, absl::string_view findings,
                                         bool follow_up_needed, absl::string_view follow_up,
                                         absl::string_view date, absl::CivilDay today) {
  VisitDraft v;
  CIVIL_RETURN_IF_ERROR(RequireUuid("worker_id", worker_id));
  v.worker_id = std::string(worker_id);
  CIVIL_ASSIGN_OR_RETURN(
      v.findings,
      RequiredText("findings", findings, 2000, "a visit records what was found", TextLines::kMany));
  v.follow_up_needed = follow_up_needed;
  if (follow_up_needed) {
    CIVIL_ASSIGN_OR_RETURN(v.follow_up, RequiredText("follow_up", follow_up, 500,
                                                     "say what follows up", TextLines::kMany));
  } else if (!follow_up.empty()) {
    return InvalidField("follow_up", "must be empty unless follow_up_needed");
  }
  CIVIL_ASSIGN_OR_RETURN(v.on, EventDate("visit_date", date, today));
  return v;
}

absl::Status CheckVisitor(WorkerRole role, absl::string_view worker_region,
                          absl::CivilDay appointed_on, bool left_before, absl::string_view village,
                          absl::CivilDay registered_on, absl::CivilDay on) {
  if (on < appointed_on || left_before) {
    return absl::FailedPreconditionError(
        absl::StrCat("worker_id: the worker is not in office on ", FormatDay(on)));
  }
  const bool covers = role == WorkerRole::kDirector ? village == worker_region
                                                    : absl::StartsWith(village, worker_region);
  if (!covers) {
    return absl::FailedPreconditionError(
        absl::StrCat("worker_id: the worker's ", worker_region, " does not cover ", village));
  }
  if (on < registered_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("visit_date: must not be before the registration ", FormatDay(registered_on)));
  }
  return absl::OkStatus();
}

absl::CivilDay QuarterStart(absl::CivilDay day) {
  return absl::CivilDay(day.year(), (day.month() - 1) / 3 * 3 + 1, 1);
}

}  // namespace civil::childwelfare
