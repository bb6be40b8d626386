// Grievances (复核申请、行政复议、投诉、12345 工单) against a department's decisions, the rules
// every department shares: the kinds and their deadlines (calendar or working days, from a
// configurable rule, over the holiday calendar), the steps (received → assigned → responded →
// decided, an upheld outcome that pays money confirmed by a second reviewer), overdue and on-time.
// Pure: Abseil and the kit's values only. The store is grievance_store.h, the RPCs
// grievance_service.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/holiday_calendar.h"

namespace civil {

// The numbers are the contract's (civil.grievance.v1.GrievanceKind, …).
enum class GrievanceKind {
  kReconsideration = 1,       // 复核申请: the applicant asks the bureau to look again
  kAdministrativeReview = 2,  // 行政复议: notice that a review body took up the case
  kComplaint = 3,             // 投诉 (信访)
  kHotline12345 = 4,          // a 12345 hotline work order
};
inline constexpr int kGrievanceKindCount = 4;

enum class GrievanceStatus {
  kReceived = 1,
  kAssigned = 2,
  kResponded = 3,
  kAwaitingConfirmation = 4,  // upheld, the reopening pays money: a second reviewer confirms
  kClosed = 5,
};

enum class GrievanceOutcome {
  kNone = 0,
  kUpheld = 1,        // the contested step is reopened
  kPartlyUpheld = 2,  // recorded with its reason; the department acts on the case itself
  kDismissed = 3,     // recorded with its reason
};

absl::string_view GrievanceKindName(GrievanceKind kind);
absl::string_view GrievanceStatusName(GrievanceStatus status);
absl::string_view GrievanceOutcomeName(GrievanceOutcome outcome);
// Parse the names above; INVALID_ARGUMENT naming `field` for anything else.
absl::StatusOr<GrievanceKind> ParseGrievanceKind(absl::string_view field, absl::string_view text);
absl::StatusOr<GrievanceStatus> ParseGrievanceStatus(absl::string_view text);
absl::StatusOr<GrievanceOutcome> ParseGrievanceOutcome(absl::string_view field,
                                                       absl::string_view text);

// How long the department has to answer a grievance of one kind.
struct DeadlineRule {
  int days = 0;
  bool working_days = false;  // counted over the holiday calendar
};

// The rule of each kind. Defaults: reconsideration 15 working days; administrative review 60
// days (行政复议法 第62条); complaint 60 days (信访工作条例 第36条); 12345 item 5 working days.
struct GrievanceDeadlines {
  DeadlineRule rules[kGrievanceKindCount + 1] = {
      {}, {15, true}, {60, false}, {60, false}, {5, true}};
  const DeadlineRule& For(GrievanceKind kind) const { return rules[static_cast<int>(kind)]; }

  // Overrides from text such as "RECONSIDERATION=10w,COMPLAINT=30" (`w`: working days; kinds not
  // named keep their default). INVALID_ARGUMENT naming `field` for a malformed entry or a number
  // of days outside 1..365.
  static absl::StatusOr<GrievanceDeadlines> Parse(absl::string_view field, absl::string_view text);
};

// The answer is due by: `days` working days after `received` when the rule counts working days;
// otherwise `received` + `days`, extended past a rest day (民法典 第203条). The received day is not
// counted (第201条).
absl::CivilDay GrievanceDeadline(const DeadlineRule& rule, absl::CivilDay received,
                                 const HolidayCalendar& calendar);

// Where a grievance stands, as the rules need it.
// The worklist's order is the deadline, then the order received: a position in it packs both
// into one page-token number (the deadline's day since 1970 above 40 bits of the sequence).
// WorklistAfter unpacks it: 0 is the start.
int64_t WorklistPosition(absl::CivilDay deadline, int64_t seq);
struct WorklistPoint {
  absl::CivilDay deadline;
  int64_t seq = 0;
};
WorklistPoint WorklistAfter(int64_t position);

struct GrievanceState {
  GrievanceStatus status = GrievanceStatus::kReceived;
  absl::CivilDay received_on;
  absl::CivilDay deadline;
  std::string proposed_by;  // who decided an outcome awaiting confirmation
  std::optional<absl::CivilDay> closed_on;
};

// Open (not closed) and `today` is after the deadline.
bool IsOverdue(const GrievanceState& g, absl::CivilDay today);
// Closed on or before its deadline.
bool ResolvedWithinDeadline(const GrievanceState& g);

// FAILED_PRECONDITION unless the grievance is received or assigned (reassignment allowed).
absl::Status CheckAssign(const GrievanceState& g);
// FAILED_PRECONDITION unless assigned (or responded: a response may be amended before a decision).
absl::Status CheckRespond(const GrievanceState& g);

// What a decision does.
struct DecisionEffect {
  GrievanceStatus next;  // kClosed, or kAwaitingConfirmation
  bool reopen = false;   // run the department's reopening now
};
// A decision of `outcome` with `reason` on `day`: only after a response (or again while awaiting
// confirmation), not before the day the
// grievance was received; partly upheld and dismissed need a reason (INVALID_ARGUMENT "reason");
// upheld reopens the contested step — at once, or after a second reviewer's confirmation when
// the reopening `pays_money`. FAILED_PRECONDITION for a decision out of order.
absl::StatusOr<DecisionEffect> Decide(const GrievanceState& g, GrievanceOutcome outcome,
                                      absl::string_view reason, bool pays_money,
                                      absl::CivilDay day);
// The second reviewer's confirmation of an upheld outcome that pays money: maker ≠ checker
// (PERMISSION_DENIED when `checker` decided it), FAILED_PRECONDITION unless awaiting confirmation.
absl::Status CheckConfirm(const GrievanceState& g, absl::string_view checker);

}  // namespace civil
