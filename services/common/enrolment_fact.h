// What the assistance department answers about one person's enrolment (EnrolmentCheckService):
// plain values, so that domain rules of any department can decide on them without the contract.
// The client that asks is services/common/enrolment_check.h.
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

}  // namespace civil
