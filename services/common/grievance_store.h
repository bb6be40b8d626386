// The SQL of grievances (grievance.h), one store per department over the kit's tables of
// migration 9005 (grievances, grievance_history, holiday_calendar), and the department's case
// kinds: where a case of each kind lives (to check it exists and take its region) and how an
// upheld grievance reopens it.
#pragma once

#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "civil/grievance/v1/grievance.pb.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/common/calendar_store.h"
#include "services/common/caller.h"
#include "services/common/clock.h"
#include "services/common/grievance.h"
#include "services/common/holiday_calendar.h"
#include "services/common/periodic.h"
#include "services/common/pg.h"

namespace civil {

// What an upheld grievance asks the department to reopen.
struct ReopenRequest {
  std::string grievance_id;
  std::string case_id;
  std::string actor;     // who upheld it (or confirmed it)
  absl::CivilDay day;    // the decision's day
  absl::CivilDay today;  // the department's clock
};
// Reopens the contested step in `txn` (the grievance's own transaction), keeping the case's
// history; returns what it did, in a few words, for the grievance's record. An error (e.g.
// FAILED_PRECONDITION when the case is no longer in the contested state) keeps nothing.
using ReopenHook =
    std::function<absl::StatusOr<std::string>(pqxx::transaction_base&, const ReopenRequest&)>;

// One kind of case a grievance of this department may contest.
struct GrievanceCaseKind {
  std::string name;       // `APPLICATION`, `ENROLMENT`, … (the contract's case_kind)
  std::string table;      // where the case is: table, id column and region column
  std::string id_column;  // (identifiers from the department's wiring, never from a request)
  std::string region_column;
  // Upheld reopens with `reopen`; none: the outcome is recorded and the department acts itself.
  ReopenHook reopen;
  // The reopening pays money (a back-payment): a second reviewer confirms (maker ≠ checker).
  bool pays_money = false;
};

// A new grievance as the adapter validated it.
struct NewGrievance {
  GrievanceKind kind = GrievanceKind::kComplaint;
  std::string case_kind;
  std::string case_id;
  std::string complainant;
  std::string complainant_phone;
  std::string category;
  std::string details;
  std::string external_ref;
  absl::CivilDay received_on;
};

class GrievanceStore {
 public:
  // `metrics` (may be null) gets civil_grievances_overdue{department}. Nothing is owned.
  GrievanceStore(std::string department, PgPool* pool, std::vector<GrievanceCaseKind> cases,
                 GrievanceDeadlines deadlines, prometheus::Registry* metrics);
  ~GrievanceStore();

  // Loads the holiday calendar (call once at wiring, before serving). The mapped database error.
  absl::Status LoadCalendar();
  const HolidayCalendar& calendar() const { return calendar_; }
  const GrievanceDeadlines& deadlines() const { return deadlines_; }

  // Records a grievance with its deadline. INVALID_ARGUMENT "case_kind" for a kind the department
  // does not have; NOT_FOUND "case_id" for an unknown case; PERMISSION_DENIED when the case is
  // outside the caller's region.
  absl::StatusOr<grievance::v1::Grievance> Create(const Caller& caller, const NewGrievance& g,
                                                  absl::CivilDay today);
  // NOT_FOUND / PERMISSION_DENIED (region scope).
  absl::StatusOr<grievance::v1::Grievance> Get(const Caller& caller, const std::string& id,
                                               absl::CivilDay today);
  // The worklist in `region_prefix` (already scoped), nearest deadline first (then in the order
  // received), after position `after` (WorklistPosition; 0: from the start); `next` is the
  // position to continue from (0: no more).
  absl::StatusOr<std::vector<grievance::v1::Grievance>> List(const std::string& region_prefix,
                                                             bool open_only, bool overdue_only,
                                                             int64_t after, int page_size,
                                                             int64_t* next, absl::CivilDay today);
  // The steps; FAILED_PRECONDITION out of order (grievance.h).
  absl::StatusOr<grievance::v1::Grievance> Assign(const Caller& caller, const std::string& id,
                                                  const std::string& assignee,
                                                  absl::CivilDay today);
  absl::StatusOr<grievance::v1::Grievance> Respond(const Caller& caller, const std::string& id,
                                                   const std::string& response, absl::CivilDay day,
                                                   absl::CivilDay today);
  // Decide (grievance.h): an upheld outcome runs the case kind's reopen hook in the same
  // transaction, or waits for Confirm when the reopening pays money.
  absl::StatusOr<grievance::v1::Grievance> Decide(const Caller& caller, const std::string& id,
                                                  GrievanceOutcome outcome,
                                                  const std::string& reason, absl::CivilDay day,
                                                  absl::CivilDay today);
  // CheckConfirm (maker ≠ checker), then the reopen hook.
  absl::StatusOr<grievance::v1::Grievance> Confirm(const Caller& caller, const std::string& id,
                                                   absl::CivilDay today);

  // The summary's figures in `region_prefix` ("" = all): received in [start, end], of those
  // closed by their deadline, and open past their deadline on `end`.
  absl::StatusOr<grievance::v1::GrievanceFigures> Figures(const std::string& region_prefix,
                                                          absl::CivilDay start, absl::CivilDay end);

  // Sets the overdue gauge from the database as of `today`.
  absl::Status RefreshOverdue(absl::CivilDay today);
  // Refreshes the gauge every `interval_seconds` on a thread of its own until the store is
  // destroyed or StopRefresh is called.
  void StartRefresh(Clock clock, int interval_seconds);
  void StopRefresh();

 private:
  const GrievanceCaseKind* CaseKind(absl::string_view name) const;
  // The grievance locked for update; NOT_FOUND.
  absl::StatusOr<grievance::v1::Grievance> Load(pqxx::transaction_base& txn, const std::string& id,
                                                absl::CivilDay today);
  absl::StatusOr<std::string> Reopen(pqxx::transaction_base& txn, const grievance::v1::Grievance& g,
                                     const std::string& actor, absl::CivilDay day,
                                     absl::CivilDay today);
  void History(pqxx::transaction_base& txn, const std::string& id, absl::string_view action,
               const std::string& actor, absl::CivilDay day, const std::string& note);

  std::string department_;
  PgPool* pool_;
  std::vector<GrievanceCaseKind> cases_;
  GrievanceDeadlines deadlines_;
  HolidayCalendar calendar_;
  prometheus::Gauge* overdue_ = nullptr;
  prometheus::Gauge* calendar_last_year_ = nullptr;
  PeriodicTask refresher_;
};

}  // namespace civil
