#include "services/socialorg/party_building.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::socialorg {

absl::StatusOr<PartyBuilding> ValidatePartyBuilding(absl::string_view effective_date,
                                                    PartyBuilding flags, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(flags.effective_on, EventDate("effective_date", effective_date, today));
  return flags;
}

absl::Status CheckPartyBuildingRecordable(const OrgState& state, const PartyBuilding& record) {
  CIVIL_RETURN_IF_ERROR(CheckApprovable(state, EventKind::kChange));
  if (state.established_on && record.effective_on < *state.established_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("effective_date: must not be before the establishment on ",
                     FormatDay(*state.established_on)));
  }
  return absl::OkStatus();
}

const PartyBuilding* InForce(const std::vector<PartyBuilding>& records, absl::CivilDay day) {
  const PartyBuilding* best = nullptr;
  for (const PartyBuilding& r : records) {
    if (r.effective_on <= day && (best == nullptr || r.effective_on > best->effective_on)) {
      best = &r;
    }
  }
  return best;
}

PartyCounts CountAsOf(const std::vector<std::vector<PartyBuilding>>& per_organisation,
                      absl::CivilDay day) {
  PartyCounts counts;
  for (const std::vector<PartyBuilding>& records : per_organisation) {
    ++counts.organisations;
    const PartyBuilding* r = InForce(records, day);
    if (r == nullptr) continue;
    counts.party_organisations += r->party_organisation;
    counts.trade_unions += r->trade_union;
    counts.youth_leagues += r->youth_league;
    counts.womens_organisations += r->womens_organisation;
    counts.in_charter += r->in_charter;
    counts.commitments_signed += r->commitment_signed;
  }
  return counts;
}

}  // namespace civil::socialorg
