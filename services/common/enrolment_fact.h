// What a department answers about one person's enrolment (assistance's EnrolmentCheckService and
// the other departments' check RPCs): plain values, so that domain rules of any department can
// decide on them without the contract. The client that asks assistance is
// services/common/enrolment_check.h.
#pragma once

#include <optional>
#include <string>

#include "absl/time/civil_time.h"

namespace civil {

struct EnrolmentFact {
  std::string enrolment_id;
  std::string programme;  // civil.assistance.v1.Programme name, e.g. "PROGRAMME_DIBAO"
  bool active = false;    // covers the date asked about
  std::optional<absl::CivilMonth> start_month;
  std::optional<absl::CivilMonth> end_month;  // last month covered
};

// A benefit as a department's check RPC answers it (eldercare's CheckEldercare, childwelfare's
// CheckChildAllowances; the exchange's registry search reads them): paid from `start_month`,
// stored with the first month no longer paid.
struct PaidSpan {
  std::string status;  // the record's status name: ACTIVE and STOPPED were approved
  absl::CivilMonth start_month;
  std::optional<absl::CivilMonth> end_month;  // the first month not paid

  // The last month paid, as the contracts answer `end_month`; none while it runs.
  std::optional<absl::CivilMonth> LastPaidMonth() const {
    if (!end_month) return std::nullopt;
    return *end_month - 1;
  }
  // Whether `month` is paid: approved, started, not yet ended.
  bool PaysIn(absl::CivilMonth month) const {
    const bool approved = status == "ACTIVE" || status == "STOPPED";
    return approved && start_month <= month && (!end_month || month < *end_month);
  }
};

}  // namespace civil
