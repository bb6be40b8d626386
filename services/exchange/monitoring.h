// The rules of a poverty-return monitoring object (防止返贫监测对象) from rural revitalisation
// (乡村振兴): what a readable record is, whether it makes a new candidate for low-income
// monitoring, and the township's check of a candidate (once, with a note).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/exchange/inbound.h"

namespace civil::exchange {

// Numbered as civil.exchange.v1.MonitoringCategory: "UNSTABLE_LIFTED" (脱贫不稳定户),
// "MARGINAL" (边缘易致贫户), "SUDDEN_HARDSHIP" (突发严重困难户); "" for 0 or unknown.
absl::string_view MonitoringCategoryName(int number);
// The number of the stored name; 0 for anything unknown.
int MonitoringCategoryNumber(absl::string_view name);

struct MonitoringInput {
  std::string source_record_id, id_number, name, household_region_code;
  int category = 0;
  std::string identified_on;
};

struct MonitoringObject {
  std::string source_record_id;
  IdNumber id;
  std::string name;
  RegionCode region;  // a township or village
  std::string category;
  absl::CivilDay identified_on;
};

// The object `input` describes, on `today`. INVALID_ARGUMENT naming the field: source_record_id
// (1..64 characters), id_number, name (1..64 characters), household_region_code (9 or 12
// digits: the candidate is listed for a township), category (given, known), identified_on
// (required, not in the future, not before the birth date).
absl::StatusOr<MonitoringObject> ValidMonitoringObject(const MonitoringInput& input,
                                                       absl::CivilDay today);

// A candidate of the person known before.
struct KnownCandidate {
  absl::CivilDay identified_on;
  bool checked = false;
};

// kDuplicate when a candidate of the person waits for a check, or one was checked for the same
// identification day; else kAccepted (a person checked before and identified again is a new
// candidate).
Outcome DecideMonitoringObject(const std::vector<KnownCandidate>& known,
                               absl::CivilDay identified_on);

// Numbered as civil.exchange.v1.CheckOutcome: "ENROLLED", "NOT_ELIGIBLE", "REFERRED".
absl::string_view CheckOutcomeName(int number);
int CheckOutcomeNumber(absl::string_view name);

struct MonitoringCheck {
  std::string outcome;
  std::string note;
  absl::CivilDay checked_on;
};

// The check as entered: outcome (given, known), note (required, at most 2000 characters, line
// breaks allowed), checked_on (default `today`, not in the future). INVALID_ARGUMENT naming the
// field.
absl::StatusOr<MonitoringCheck> ValidMonitoringCheck(int outcome, absl::string_view note,
                                                     absl::string_view checked_on,
                                                     absl::CivilDay today);

// FAILED_PRECONDITION "candidate_id: …" when the candidate was checked already (`checked`), and
// INVALID_ARGUMENT "checked_on: …" when the check is dated before the identification.
absl::Status CheckMonitoringCheckAllowed(bool checked, absl::CivilDay identified_on,
                                         const MonitoringCheck& check);

}  // namespace civil::exchange
