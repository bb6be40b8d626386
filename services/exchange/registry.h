// The registry search (the "Out" half, DCI-style): what each department answered about one
// person, and what of it the caller may see. Pure C++ on Abseil.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace civil::exchange {

// One enrolment as a department answered it.
struct ProgrammeFact {
  std::string programme;
  std::string enrolment_id;
  bool active = false;
  std::optional<absl::CivilMonth> start_month, end_month;  // end: last month covered
  std::string region_code;
};

// What one department said: its facts, or that it did not answer (`reason` the code name).
struct DepartmentReply {
  std::string department;
  bool answered = false;
  std::string reason;
  std::vector<ProgrammeFact> facts;
};

// The facts of `replies` the caller scoped to `region_prefix` ("" = the county) may see: those
// whose region lies within it (a fact with no region only for a county-wide caller).
std::vector<std::pair<std::string, ProgrammeFact>> FactsInScope(
    const std::vector<DepartmentReply>& replies, const std::string& region_prefix);

}  // namespace civil::exchange
