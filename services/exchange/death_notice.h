// The rules of a death notice from another department's system (公安 户籍注销, 卫健 死亡医学证明):
// what a readable notice is, and what it means against the death the platform already knows.
// One death however many sources report it: the first report is the death (published once, as
// PersonDeceased, so every department stops the person's benefits once); the same day again is
// a duplicate; another day is a conflict for a reviewer, never a second death.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/exchange/inbound.h"

namespace civil::exchange {

// A notice as the request writes it.
struct DeathNoticeInput {
  std::string source_record_id, id_number, date_of_death, region_code;
};

// A readable notice.
struct DeathNotice {
  std::string source_record_id;
  IdNumber id;
  absl::CivilDay died;
  RegionCode region;
};

// The notice `input` describes, on `today`. INVALID_ARGUMENT naming the field: source_record_id
// (1..64 characters), id_number (GB 11643), date_of_death (required, not in the future, not
// before the birth date), region_code (6, 9 or 12 digits).
absl::StatusOr<DeathNotice> ValidDeathNotice(const DeathNoticeInput& input, absl::CivilDay today);

// The death the platform knows of the person (its registry: a cremation, an exit for death, an
// earlier notice).
struct KnownDeath {
  absl::CivilDay day;
  // Known dead by `day` (an assistance exit for death), not the day itself.
  bool upper_bound = false;
};

// What a notice of a death on `reported` is, against `known`:
// - nothing known: kAccepted (the notice is the death);
// - the same day: kDuplicate (changes nothing);
// - an earlier day than a day the person was only known dead by: kAccepted (it is the exact day,
//   the registry moves the stop earlier, as the kit does for any earlier date agreeing with a
//   bound);
// - any other day: kConflict (kept for a reviewer; nothing published).
Outcome DecideDeathNotice(const std::optional<KnownDeath>& known, absl::CivilDay reported);

// How a reviewer settles a conflicting notice (numbers match civil.exchange.v1.ConflictDecision).
enum class ConflictDecision { kKnownDateStands = 1, kReportedDateCorrect = 2 };
absl::string_view ConflictDecisionName(ConflictDecision decision);
absl::StatusOr<ConflictDecision> ConflictDecisionFromName(absl::string_view name);

// Whether settling a conflict with `decision` publishes the reported day `reported` as the death,
// against the death recorded now (`known`): the known date standing, or the reported day equal to
// it, publishes nothing; an earlier reported day is published (the earliest day wins);
// FAILED_PRECONDITION "decision: …" for a later reported day (it would reopen benefits already
// stopped: the department that recorded the death corrects its record).
absl::StatusOr<bool> SettlementPublishes(ConflictDecision decision, absl::CivilDay reported,
                                         const std::optional<KnownDeath>& known);

// The kind of record a notice from `source` is, as the death registry names it:
// "HOUSEHOLD_DEREGISTRATION" (公安 户籍注销), "DEATH_CERTIFICATE" (卫健 死亡医学证明).
absl::string_view DeathRecordKind(Source source);

}  // namespace civil::exchange
