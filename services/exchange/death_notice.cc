#include "services/exchange/death_notice.h"

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::exchange {

absl::StatusOr<DeathNotice> ValidDeathNotice(const DeathNoticeInput& input, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string record_id, ValidSourceRecordId(input.source_record_id));
  CIVIL_ASSIGN_OR_RETURN(IdNumber id, RequiredIdNumber("id_number", input.id_number, today));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay died,
                         ReportedDay("date_of_death", input.date_of_death, today, id.birth_date()));
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code,
                                  {RegionCode::Level::kCounty, RegionCode::Level::kTownship,
                                   RegionCode::Level::kVillage}));
  return DeathNotice{std::move(record_id), std::move(id), died, std::move(region)};
}

Outcome DecideDeathNotice(const std::optional<KnownDeath>& known, absl::CivilDay reported) {
  if (!known.has_value()) return Outcome::kAccepted;
  if (known->day == reported) return Outcome::kDuplicate;
  if (known->upper_bound && reported < known->day) return Outcome::kAccepted;
  return Outcome::kConflict;
}

absl::string_view DeathRecordKind(Source source) {
  return source == Source::kHealth ? "DEATH_CERTIFICATE" : "HOUSEHOLD_DEREGISTRATION";
}

absl::string_view ConflictDecisionName(ConflictDecision decision) {
  return decision == ConflictDecision::kKnownDateStands ? "KNOWN_DATE_STANDS"
                                                        : "REPORTED_DATE_CORRECT";
}

absl::StatusOr<ConflictDecision> ConflictDecisionFromName(absl::string_view name) {
  if (name == "KNOWN_DATE_STANDS") return ConflictDecision::kKnownDateStands;
  if (name == "REPORTED_DATE_CORRECT") return ConflictDecision::kReportedDateCorrect;
  return absl::InternalError(absl::StrCat("unknown conflict decision ", name));
}

absl::StatusOr<bool> SettlementPublishes(ConflictDecision decision, absl::CivilDay reported,
                                         const std::optional<KnownDeath>& known) {
  if (decision == ConflictDecision::kKnownDateStands) return false;
  if (!known.has_value() || reported < known->day) return true;
  if (reported == known->day) return false;
  return absl::FailedPreconditionError(absl::StrCat(
      "decision: the reported day ", FormatDay(reported), " is after the recorded death on ",
      FormatDay(known->day),
      "; benefits stopped from it would have to be paid again: the department that recorded the "
      "death corrects its record"));
}

}  // namespace civil::exchange
