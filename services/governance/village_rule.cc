#include "services/governance/village_rule.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::governance {

absl::StatusOr<RuleDraft> ValidateRule(absl::string_view village_code, int kind,
                                       absl::string_view title) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode village,
                         RegionOf("village_code", village_code, {RegionCode::Level::kVillage}));
  CIVIL_RETURN_IF_ERROR(kRuleKindNames.Require("kind", kind));
  CIVIL_ASSIGN_OR_RETURN(std::string clean, BoundedText("title", title, 100));
  return RuleDraft{std::move(village), static_cast<RuleKind>(kind), std::move(clean)};
}

bool HasQuorum(const VoteCounts& v) { return v.members_present * 3 >= v.members_total * 2; }

bool VotePasses(const VoteCounts& v) { return HasQuorum(v) && v.votes_for * 2 > v.members_present; }

absl::Status ValidateVote(const VoteCounts& v) {
  const std::pair<const char*, int> counts[] = {{"members_total", v.members_total},
                                                {"members_present", v.members_present},
                                                {"votes_for", v.votes_for},
                                                {"votes_against", v.votes_against},
                                                {"votes_abstain", v.votes_abstain}};
  for (const auto& [field, n] : counts) {
    if (n < 0) return InvalidField(field, "must not be negative");
  }
  if (v.members_total == 0) return InvalidField("members_total", "must be at least 1");
  if (v.members_present > v.members_total) {
    return InvalidField("members_present", absl::StrCat(v.members_present, " present but only ",
                                                        v.members_total, " members"));
  }
  const int cast = v.votes_for + v.votes_against + v.votes_abstain;
  if (cast > v.members_present) {
    return InvalidField("members_present", absl::StrCat(v.members_present, " members present but ",
                                                        cast, " votes cast"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StepDraft> ValidateStep(int step, absl::string_view step_date,
                                       absl::string_view document,
                                       const std::optional<VoteCounts>& vote,
                                       absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(kRuleStepNames.Require("step", step));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("step_date", step_date, today));
  CIVIL_ASSIGN_OR_RETURN(std::string doc, BoundedText("document", document, 200));
  StepDraft draft{static_cast<RuleStep>(step), on, std::move(doc), std::nullopt};
  if (draft.step == RuleStep::kVote) {
    if (!vote) return InvalidField("vote", "the vote step needs its counts");
    CIVIL_RETURN_IF_ERROR(ValidateVote(*vote));
    draft.vote = vote;
  } else if (vote) {
    return InvalidField(
        "vote", absl::StrCat("only the VOTE step has counts, not ", kRuleStepNames.Name(step)));
  }
  return draft;
}

absl::StatusOr<RuleState> ApplyStep(const RuleState& state, const StepDraft& step) {
  const int done = state.completed ? static_cast<int>(*state.completed) : 0;
  const absl::string_view name = kRuleStepNames.Name(static_cast<int>(step.step));
  if (done == static_cast<int>(RuleStep::kFileAndPublish)) {
    return absl::FailedPreconditionError(
        absl::StrCat("step: ", name, " after the revision was filed and published"));
  }
  if (static_cast<int>(step.step) != done + 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "step: ", name, " is out of order; the next step is ", kRuleStepNames.Name(done + 1)));
  }
  if (state.completed_on && step.on < *state.completed_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "step_date: ", name, " on ", absl::FormatCivilTime(step.on),
        " is before the previous step (", absl::FormatCivilTime(*state.completed_on), ")"));
  }
  if (step.step == RuleStep::kVote && !VotePasses(*step.vote)) return state;
  return RuleState{step.step, step.on};
}

absl::Status CheckSelection(const RuleState& state, int year, absl::CivilDay today) {
  if (year < 2000 || year > today.year()) {
    return InvalidField("year", absl::StrCat("must be from 2000 to ", today.year()));
  }
  if (state.completed != RuleStep::kFileAndPublish || !state.completed_on ||
      state.completed_on->year() > year) {
    return absl::FailedPreconditionError(
        absl::StrCat("rule_id: only rules filed and published by the end of ", year,
                     " may be selected for that year"));
  }
  return absl::OkStatus();
}

}  // namespace civil::governance
