// Rules of village rules and residents' conventions (村规民约 / 居民公约, pure C++ on Abseil): a
// revision goes through five legal steps in order — collect opinions, draft, legal review,
// deliberation and vote, filing and publication — each with its document; the vote's counts and
// quorum; the excellent-rules selection (评选) of a year.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::governance {

// Numbers match civil.governance.v1.RuleKind.
enum class RuleKind { kVillageRules = 1, kResidentsConvention = 2 };
inline constexpr absl::string_view kRuleKindNameList[] = {"", "VILLAGE_RULES",
                                                          "RESIDENTS_CONVENTION"};
inline constexpr EnumNames kRuleKindNames{kRuleKindNameList};

// The five steps, in their legal order. Numbers match civil.governance.v1.RuleStep.
enum class RuleStep {
  kCollectOpinions = 1,
  kDraft = 2,
  kLegalReview = 3,
  kVote = 4,
  kFileAndPublish = 5
};
inline constexpr absl::string_view kRuleStepNameList[] = {
    "", "COLLECT_OPINIONS", "DRAFT", "LEGAL_REVIEW", "VOTE", "FILE_AND_PUBLISH"};
inline constexpr EnumNames kRuleStepNames{kRuleStepNameList};

// A revision as started.
struct RuleDraft {
  RegionCode village;
  RuleKind kind;
  std::string title;
};

// Validates: a 12-digit village code, a defined kind, a title of 1–100 characters.
// INVALID_ARGUMENT naming `village_code`, `kind` or `title`.
absl::StatusOr<RuleDraft> ValidateRule(absl::string_view village_code, int kind,
                                       absl::string_view title);

// The counts of a deliberation and vote (村民会议 / 村民代表会议 / 居民会议).
struct VoteCounts {
  int members_total = 0;    // members of the meeting
  int members_present = 0;  // of which present
  int votes_for = 0;
  int votes_against = 0;
  int votes_abstain = 0;
};

// The quorum: at least two thirds of the members present (the 村民代表会议 rule of the 村民委员会
// 组织法, art. 26; the stricter of the meeting forms, used for all).
bool HasQuorum(const VoteCounts& v);
// Passes when the meeting had its quorum and more than half of those present voted for.
bool VotePasses(const VoteCounts& v);

// Validates the counts: every count ≥ 0, at least one member, `members_present` ≤
// `members_total`, and for + against + abstain ≤ `members_present`. INVALID_ARGUMENT naming the
// field ("members_present: 40 members present but 45 votes cast").
absl::Status ValidateVote(const VoteCounts& v);

// A step as entered.
struct StepDraft {
  RuleStep step;
  absl::CivilDay on;
  std::string document;            // the step's document: a title or an archive reference
  std::optional<VoteCounts> vote;  // the vote step only
};

// Validates: a defined step, the date (default `today`, never in the future), a document of
// 1–200 characters, and for VOTE the counts (ValidateVote; `vote` required). INVALID_ARGUMENT
// naming the field.
absl::StatusOr<StepDraft> ValidateStep(int step, absl::string_view step_date,
                                       absl::string_view document,
                                       const std::optional<VoteCounts>& vote, absl::CivilDay today);

// Where a revision stands: the last step completed (none yet: nullopt) and its date. A vote that
// did not pass leaves the revision at LEGAL_REVIEW (the vote may be held again).
struct RuleState {
  std::optional<RuleStep> completed;
  std::optional<absl::CivilDay> completed_on;
};

// Whether `step` may follow `state`: FAILED_PRECONDITION "step: …" naming the step when it is
// not the next one (or the revision is filed already), or when its date is before the last
// step's. On success returns the state after the step (a VOTE that fails does not advance).
absl::StatusOr<RuleState> ApplyStep(const RuleState& state, const StepDraft& step);

// Whether a revision may be selected as excellent rules of `year`: FAILED_PRECONDITION
// "rule_id: …" unless it was filed and published on or before the end of `year`; INVALID_ARGUMENT
// "year: …" for a year before 2000 or after `today`'s.
absl::Status CheckSelection(const RuleState& state, int year, absl::CivilDay today);

}  // namespace civil::governance
