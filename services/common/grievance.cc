#include "services/common/grievance.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil {
namespace {

constexpr absl::string_view kKindNames[] = {"", "RECONSIDERATION", "ADMINISTRATIVE_REVIEW",
                                            "COMPLAINT", "HOTLINE_12345"};
constexpr absl::string_view kStatusNames[] = {
    "", "RECEIVED", "ASSIGNED", "RESPONDED", "AWAITING_CONFIRMATION", "CLOSED"};
constexpr absl::string_view kOutcomeNames[] = {"", "UPHELD", "PARTLY_UPHELD", "DISMISSED"};

template <size_t N>
int IndexOf(const absl::string_view (&names)[N], absl::string_view text) {
  for (size_t i = 1; i < N; ++i) {
    if (names[i] == text) return static_cast<int>(i);
  }
  return 0;
}

}  // namespace

absl::string_view GrievanceKindName(GrievanceKind kind) {
  return kKindNames[static_cast<int>(kind)];
}
absl::string_view GrievanceStatusName(GrievanceStatus status) {
  return kStatusNames[static_cast<int>(status)];
}
absl::string_view GrievanceOutcomeName(GrievanceOutcome outcome) {
  return kOutcomeNames[static_cast<int>(outcome)];
}

absl::StatusOr<GrievanceKind> ParseGrievanceKind(absl::string_view field, absl::string_view text) {
  const int i = IndexOf(kKindNames, text);
  if (i == 0) {
    return InvalidField(field,
                        "must be RECONSIDERATION, ADMINISTRATIVE_REVIEW, COMPLAINT or "
                        "HOTLINE_12345");
  }
  return static_cast<GrievanceKind>(i);
}

absl::StatusOr<GrievanceStatus> ParseGrievanceStatus(absl::string_view text) {
  const int i = IndexOf(kStatusNames, text);
  if (i == 0) return absl::InternalError(absl::StrCat("unknown grievance status ", text));
  return static_cast<GrievanceStatus>(i);
}

absl::StatusOr<GrievanceOutcome> ParseGrievanceOutcome(absl::string_view field,
                                                       absl::string_view text) {
  if (text.empty()) return GrievanceOutcome::kNone;
  const int i = IndexOf(kOutcomeNames, text);
  if (i == 0) return InvalidField(field, "must be UPHELD, PARTLY_UPHELD or DISMISSED");
  return static_cast<GrievanceOutcome>(i);
}

absl::StatusOr<GrievanceDeadlines> GrievanceDeadlines::Parse(absl::string_view field,
                                                             absl::string_view text) {
  GrievanceDeadlines deadlines;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> parts = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    if (parts.size() != 2) {
      return InvalidField(field, absl::StrCat("\"", entry, "\" is not KIND=DAYS[w]"));
    }
    const int kind = IndexOf(kKindNames, parts[0]);
    if (kind == 0) return InvalidField(field, absl::StrCat("unknown kind \"", parts[0], "\""));
    absl::string_view days_text = parts[1];
    const bool working = absl::ConsumeSuffix(&days_text, "w");
    int days = 0;
    if (!absl::SimpleAtoi(days_text, &days) || days < 1 || days > 365) {
      return InvalidField(field, absl::StrCat("\"", entry, "\": days must be 1..365"));
    }
    deadlines.rules[kind] = {days, working};
  }
  return deadlines;
}

absl::CivilDay GrievanceDeadline(const DeadlineRule& rule, absl::CivilDay received,
                                 const HolidayCalendar& calendar) {
  if (rule.working_days) return calendar.AddWorkingDays(received, rule.days);
  return calendar.ExtendPastRestDays(received + rule.days);
}

bool IsOverdue(const GrievanceState& g, absl::CivilDay today) {
  return g.status != GrievanceStatus::kClosed && today > g.deadline;
}

bool ResolvedWithinDeadline(const GrievanceState& g) {
  return g.status == GrievanceStatus::kClosed && g.closed_on && *g.closed_on <= g.deadline;
}

absl::Status CheckAssign(const GrievanceState& g) {
  if (g.status != GrievanceStatus::kReceived && g.status != GrievanceStatus::kAssigned) {
    return absl::FailedPreconditionError(
        absl::StrCat("grievance_id: a ", GrievanceStatusName(g.status),
                     " grievance cannot be assigned (only RECEIVED or ASSIGNED)"));
  }
  return absl::OkStatus();
}

absl::Status CheckRespond(const GrievanceState& g) {
  if (g.status != GrievanceStatus::kAssigned && g.status != GrievanceStatus::kResponded) {
    return absl::FailedPreconditionError(
        absl::StrCat("grievance_id: a ", GrievanceStatusName(g.status),
                     " grievance cannot be answered (assign it first)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<DecisionEffect> Decide(const GrievanceState& g, GrievanceOutcome outcome,
                                      absl::string_view reason, bool pays_money,
                                      absl::CivilDay day) {
  if (outcome == GrievanceOutcome::kNone) return InvalidField("outcome", "is required");
  // Awaiting confirmation, a reviewer may still decide otherwise (the confirmation failing
  // because the case moved on, say).
  if (g.status != GrievanceStatus::kResponded &&
      g.status != GrievanceStatus::kAwaitingConfirmation) {
    return absl::FailedPreconditionError(
        absl::StrCat("grievance_id: a ", GrievanceStatusName(g.status),
                     " grievance cannot be decided (respond first)"));
  }
  if (day < g.received_on) {
    return InvalidField("decided_on", absl::StrCat("is before the grievance was received (",
                                                   FormatDay(g.received_on), ")"));
  }
  if (outcome != GrievanceOutcome::kUpheld && reason.empty()) {
    return InvalidField("reason", "is required for a partly upheld or dismissed grievance");
  }
  if (outcome != GrievanceOutcome::kUpheld) return DecisionEffect{GrievanceStatus::kClosed, false};
  if (pays_money) return DecisionEffect{GrievanceStatus::kAwaitingConfirmation, false};
  return DecisionEffect{GrievanceStatus::kClosed, true};
}

absl::Status CheckConfirm(const GrievanceState& g, absl::string_view checker) {
  if (g.status != GrievanceStatus::kAwaitingConfirmation) {
    return absl::FailedPreconditionError(absl::StrCat(
        "grievance_id: a ", GrievanceStatusName(g.status), " grievance has nothing to confirm"));
  }
  if (g.proposed_by == checker) {
    return absl::PermissionDeniedError(
        "grievance_id: the reviewer who upheld it cannot confirm it (maker ≠ checker)");
  }
  return absl::OkStatus();
}

namespace {
constexpr int kSeqBits = 40;
const absl::CivilDay kEpoch(1970, 1, 1);
}  // namespace

int64_t WorklistPosition(absl::CivilDay deadline, int64_t seq) {
  return (static_cast<int64_t>(deadline - kEpoch) << kSeqBits) |
         (seq & ((int64_t{1} << kSeqBits) - 1));
}

WorklistPoint WorklistAfter(int64_t position) {
  if (position <= 0) return {absl::CivilDay(1970, 1, 1) - 1, 0};
  return {kEpoch + (position >> kSeqBits), position & ((int64_t{1} << kSeqBits) - 1)};
}

}  // namespace civil
