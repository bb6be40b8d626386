// Party building in social organisations (pure C++ on Abseil): the record of an organisation
// from a date (party organisation, trade union, youth league, women's organisation, party
// building in the charter, the commitment signed), which organisations may have one, the record
// in force on a day, and the counts as of a day.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/socialorg/lifecycle.h"

namespace civil::socialorg {

struct PartyBuilding {
  absl::CivilDay effective_on;
  bool party_organisation = false;
  bool trade_union = false;
  bool youth_league = false;
  bool womens_organisation = false;
  bool in_charter = false;
  bool commitment_signed = false;
};

// A record as entered: `effective_date` default `today`, never in the future. INVALID_ARGUMENT
// naming the field.
absl::StatusOr<PartyBuilding> ValidatePartyBuilding(absl::string_view effective_date,
                                                    PartyBuilding flags, absl::CivilDay today);

// Whether an organisation in `state` may have `record`: FAILED_PRECONDITION "organisation_id: …"
// unless it is registered; "effective_date: …" before its establishment.
absl::Status CheckPartyBuildingRecordable(const OrgState& state, const PartyBuilding& record);

// The record of `records` in force on `day`: the latest effective on or before it; nullptr when
// none is.
const PartyBuilding* InForce(const std::vector<PartyBuilding>& records, absl::CivilDay day);

struct PartyCounts {
  int organisations = 0;
  int party_organisations = 0;
  int trade_unions = 0;
  int youth_leagues = 0;
  int womens_organisations = 0;
  int in_charter = 0;
  int commitments_signed = 0;
};

// The counts as of `day` over organisations registered that day, each given with its records:
// every organisation counts in `organisations`, and in each other figure when its record in
// force that day says so (none in force: counted in none).
PartyCounts CountAsOf(const std::vector<std::vector<PartyBuilding>>& per_organisation,
                      absl::CivilDay day);

}  // namespace civil::socialorg
