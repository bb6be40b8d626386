// Left-behind children (农村留守儿童) and children in difficulty (困境儿童) (pure C++ on Abseil):
// who may be registered, the children's workers who visit them — village children's directors
// (儿童主任) and township children's supervisors (儿童督导员) — who may visit whom, and the quarter
// a visit counts for.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::childwelfare {

// Numbers match civil.childwelfare.v1.CareKind.
enum class CareKind { kLeftBehind = 1, kInDifficulty = 2 };
inline constexpr absl::string_view kCareKindNameList[] = {"", "LEFT_BEHIND", "IN_DIFFICULTY"};
inline constexpr EnumNames kCareKindNames{kCareKindNameList};

// Numbers match civil.childwelfare.v1.Whereabouts.
enum class Whereabouts {
  kAtHome = 1,
  kMigrantInProvince = 2,
  kMigrantOutOfProvince = 3,
  kAbroad = 4,
  kDeceased = 5,
  kUnable = 6  // alive but unable to look after the child (disabled, ill, detained)
};
inline constexpr absl::string_view kWhereaboutsNameList[] = {
    "",         "AT_HOME", "MIGRANT_IN_PROVINCE", "MIGRANT_OUT_OF_PROVINCE", "ABROAD",
    "DECEASED", "UNABLE"};
inline constexpr EnumNames kWhereaboutsNames{kWhereaboutsNameList};

// Numbers match civil.childwelfare.v1.WorkerRole.
enum class WorkerRole { kDirector = 1, kSupervisor = 2 };
inline constexpr absl::string_view kWorkerRoleNameList[] = {"", "DIRECTOR", "SUPERVISOR"};
inline constexpr EnumNames kWorkerRoleNames{kWorkerRoleNameList};

// A left-behind child is under 16 (国发〔2016〕13号), a child in difficulty under 18.
inline constexpr int kLeftBehindAge = 16;

struct CareChildInput {
  std::string name;
  std::string id_number;
  std::string region_code;
  int kind = 0;
  int father = 0;
  int mother = 0;
  std::string carer_name;
  std::string carer_relation;
  std::string school;
  std::string difficulty;
  std::string registration_date;
};

struct CareChildDraft {
  std::string name;
  IdNumber id;
  RegionCode region;  // the village
  CareKind kind = CareKind::kLeftBehind;
  Whereabouts father = Whereabouts::kAtHome;
  Whereabouts mother = Whereabouts::kAtHome;
  std::string carer_name;
  std::string carer_relation;
  std::string school;      // empty when not in school
  std::string difficulty;  // what makes the difficulty; required for IN_DIFFICULTY
  absl::CivilDay on;
};

// Validates: name 1–64, a valid ID number, a 12-digit village code, a kind, each parent's
// whereabouts, carer name and relation 1–64, school up to 100, difficulty 1–200 for
// IN_DIFFICULTY, the registration date (default `today`, never in the future). A left-behind
// child has both parents away (migrant or abroad), or one away and the other dead or unable
// (`father`/`mother: …`), and is under 16 on the date (`id_number: …`); a child in difficulty
// is under 18. INVALID_ARGUMENT naming the field.
absl::StatusOr<CareChildDraft> ValidateCareChild(const CareChildInput& input, absl::CivilDay today);

struct WorkerDraft {
  std::string name;
  WorkerRole role = WorkerRole::kDirector;
  RegionCode region;  // a director's village (12 digits), a supervisor's township (9)
  absl::CivilDay appointed_on;
};
// Validates: name 1–64, a role, the region of that role's level (`region_code: …`), the day of
// appointment (default `today`, never in the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<WorkerDraft> ValidateWorker(absl::string_view name, int role,
                                           absl::string_view region_code, absl::string_view date,
                                           absl::CivilDay today);

struct VisitDraft {
  std::string worker_id;
  std::string findings;
  bool follow_up_needed = false;
  std::string follow_up;
  absl::CivilDay on;
};
// Validates: a worker id, findings 1–2000 (line breaks allowed), the follow-up 1–500 when
// needed (empty otherwise), the visit date (default `today`, never in the future).
absl::StatusOr<VisitDraft> ValidateVisit(absl::string_view worker_id, absl::string_view findings,
                                         bool follow_up_needed, absl::string_view follow_up,
                                         absl::string_view date, absl::CivilDay today);

// Whether the worker may visit the child on `on`: appointed by then, not left, and the child's
// village their own (a director) or in their township (a supervisor). FAILED_PRECONDITION
// "worker_id: …" otherwise; "visit_date: …" before the child's registration.
absl::Status CheckVisitor(WorkerRole role, absl::string_view worker_region,
                          absl::CivilDay appointed_on, bool left_before, absl::string_view village,
                          absl::CivilDay registered_on, absl::CivilDay on);

// The first day of the quarter of `day` (1 January, 1 April, 1 July, 1 October).
absl::CivilDay QuarterStart(absl::CivilDay day);

}  // namespace civil::childwelfare
