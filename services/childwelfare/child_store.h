// PostgreSQL access for 孤儿 and 事实无人抚养儿童: standards, cases (one open case per child, by
// blind index), the township check and county approval, education records, stops (a reviewer's,
// or a death's), the monthly payment run (exactly once per child and month by a UNIQUE constraint
// and ON CONFLICT DO NOTHING) and the figures of a period. All SQL of these tables lives here;
// the rules are child.h's.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/childwelfare/child.h"
#include "services/common/deaths.h"
#include "services/common/grievance_store.h"
#include "services/common/monthly_run.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"

namespace civil::childwelfare {

struct PaymentRecord {
  absl::CivilMonth month;
  Category category = Category::kOrphanDispersed;
  int64_t amount_fen = 0;
  std::string run_id;
};

struct StipendRecord {
  std::string stipend_id;
  int academic_year = 0;
  std::string university;
  int64_t amount_fen = 0;
  absl::CivilDay paid_on;
  std::string recorded_by;
};

// One step of a case's history that its row no longer shows (child_history), oldest first: a
// REOPENED row is two steps, the township check it undid (REJECTED: the checker, the check's day,
// its note) and the reopening (REOPENED: who upheld the grievance, the day, the grievance).
struct ChildHistoryStep {
  std::string action;  // REJECTED, REOPENED, STOPPED, STOP_REVERSED
  std::string actor;
  std::optional<absl::CivilDay> on;
  std::string note;
  std::string grievance_id;
};

struct ChildRecord {
  std::string child_id;
  std::string name;
  std::string id_masked;
  std::string id_index;  // the ID number's blind index (the name-view trail names the child)
  absl::CivilDay birth_date;
  std::string sex;
  std::string region_code;
  Category category = Category::kOrphanDispersed;
  ParentSituation father = ParentSituation::kAble;
  ParentSituation mother = ParentSituation::kAble;
  std::string guardian_name;
  std::string guardian_relation;
  std::string placement;
  ChildStatus status = ChildStatus::kPendingCheck;
  absl::CivilDay applied_on;
  absl::CivilMonth start_month;
  std::string recorded_by;
  std::string checked_by;
  std::optional<absl::CivilDay> checked_on;
  std::string check_note;
  std::string approved_by;
  std::optional<absl::CivilDay> approved_on;
  std::optional<absl::CivilMonth> end_month;
  std::optional<StopReason> stop_reason;
  std::string stop_note;
  std::optional<absl::CivilDay> stopped_on;  // the day of the adoption, return or death
  std::string school;
  std::optional<absl::CivilMonth> education_until;
  std::optional<absl::CivilDay> education_recorded_on;
  int64_t update_time_micros = 0;
  std::vector<PaymentRecord> payments;    // Get only
  std::vector<StipendRecord> stipends;    // Get only
  std::vector<ChildHistoryStep> history;  // Get only
};

struct StandardRecord {
  Standard standard;
  std::string created_by;
  int64_t create_time_micros = 0;
};

// A monthly run's counts (the kit's MonthlyRunner).
using RunResult = MonthlyRunResult;

struct CategoryFigures {
  int persons = 0;
  int64_t paid_fen = 0;
};
struct ChildFigures {
  std::map<Category, CategoryFigures> by_category;
  int stipend_persons = 0;  // distinct persons paid a stipend in the period
  int64_t stipend_fen = 0;
  int64_t stipend_standard_fen = 0;  // the one amount every stipend of the period was; 0 if not
};

// Who a stop by public security's report of a move out of the county is recorded as.
inline constexpr absl::string_view kMoveOutActor = "event:PersonMovedOut";

// Vets a case's region (the adapter's RegionCheck).
using RegionGuard = std::function<absl::Status(const std::string&)>;

class ChildStore {
 public:
  // Prepares the statements on `pool`; none is owned. `deaths` is the department's registry (a
  // child recorded dead is not identified). `education_max_age` bounds the education extension.
  // `metrics` (may be null) gets the monthly run's series (monthly_run.h).
  ChildStore(PgPool* pool, const PiiProtector* pii, const DeathRegistry* deaths,
             int education_max_age, prometheus::Registry* metrics);

  int education_max_age() const { return education_max_age_; }

  // The standards whose region prefix covers `region` (a prefix or a code), in `txn`: what the
  // domain's StandardFor chooses from.
  std::vector<Standard> StandardsCovering(pqxx::transaction_base& txn,
                                          const std::string& region) const;

  // Adds `standard`. ALREADY_EXISTS "effective_month: …" when its prefix has one of the category
  // from that month.
  absl::StatusOr<StandardRecord> AddStandard(const Standard& standard, const std::string& actor);

  // The standards whose prefix lies within `region_prefix` or contains it ("" = all).
  absl::StatusOr<std::vector<StandardRecord>> ListStandards(const std::string& region_prefix);

  // Records the application (PENDING_CHECK) in one transaction with its checks:
  // FAILED_PRECONDITION when no standard covers the category in the region in the application
  // month or the child's death is recorded; ALREADY_EXISTS "id_number: <masked> has an open case".
  absl::StatusOr<ChildRecord> Register(const ApplicationDraft& draft, const std::string& actor);

  // The township check (CheckTownshipCheck) under a row lock: PENDING_APPROVAL when `passed`,
  // REJECTED with `note` otherwise. NOT_FOUND when there is no such case.
  absl::StatusOr<ChildRecord> Check(const std::string& child_id, const std::string& checker,
                                    absl::CivilDay on, bool passed, const std::string& note,
                                    const RegionGuard& check_region);

  // The county approval (CheckApproval) under a row lock.
  absl::StatusOr<ChildRecord> Approve(const std::string& child_id, const std::string& approver,
                                      absl::CivilDay on, const RegionGuard& check_region);

  // Records full-time education (replacing an earlier record). FAILED_PRECONDITION when the case
  // is stopped or rejected.
  absl::StatusOr<ChildRecord> RecordEducation(const std::string& child_id,
                                              const EducationRecord& education,
                                              const RegionGuard& check_region);

  // A reviewer's stop on `on` (StopMonth) with the reason.
  absl::StatusOr<ChildRecord> Stop(const std::string& child_id, absl::CivilDay on,
                                   StopReason reason, const std::string& note,
                                   const RegionGuard& check_region);

  // Pays an orphan's university stipend (CheckStipendEligible) under a row lock on the case.
  // ALREADY_EXISTS "academic_year: …" when the person has one for that academic year.
  absl::StatusOr<StipendRecord> GrantStipend(const std::string& child_id, const StipendDraft& draft,
                                             const std::string& actor,
                                             const RegionGuard& check_region);

  // The case with its payments, stipends and history (ChildHistoryStep). NOT_FOUND when there is
  // none.
  absl::StatusOr<ChildRecord> Get(const std::string& child_id);

  absl::StatusOr<Page<ChildRecord>> List(const std::string& region_prefix,
                                         std::optional<ChildStatus> status, int64_t after,
                                         int page_size);

  // Pays `month` to every child due within `region_prefix`, priced by PriceMonth, through the
  // kit's MonthlyRunner (runs of the same month and prefix serialised; UNIQUE (child, month), so
  // overlapping or repeated runs pay nobody twice). FAILED_PRECONDITION when a child due has no
  // standard (nothing paid, not even the run row).
  absl::StatusOr<RunResult> RunPayments(absl::CivilMonth month, const std::string& region_prefix,
                                        const std::string& actor);

  // The reopen hook of an upheld grievance against a case (case kind CHILD, childwelfare.cc), in
  // the grievance's `txn` (DecideChildReopen): a case rejected at the township check is pending
  // the check again, the check it had (who, when, the note) kept in child_history (`REOPENED`); a
  // stopped case is left as it is (outcome recorded: its stop is contested as an ALLOWANCE).
  // NOT_FOUND "case_id"; FAILED_PRECONDITION when nothing is to reopen, or when the child has
  // another open case meanwhile.
  absl::StatusOr<std::string> ReopenCase(pqxx::transaction_base& txn, const ReopenRequest& request);

  // The reopen hook of an upheld grievance against a stop (case kind ALLOWANCE; it pays money, so
  // a second reviewer has confirmed it), in the grievance's `txn`: CheckStopReversal, then the
  // case is active again and each month a completed run paid the child's region since the stop
  // (MonthsOwedAfterReversal) and the child was not paid is paid once, priced by PriceBackPay, as
  // an ADJUSTMENT row of child_payments naming the grievance (UNIQUE (child_id, month): a month
  // is never paid twice); the later months are the runs'. The stop that was, the months and the
  // total are kept in child_history (`STOP_REVERSED`). NOT_FOUND "case_id"; FAILED_PRECONDITION
  // when the case is not stopped (a second reopening finds it active), the stop was for death,
  // the child has another open case since the stop, or no standard covers a month owed.
  absl::StatusOr<std::string> ReverseStop(pqxx::transaction_base& txn,
                                          const ReopenRequest& request);

  // The move-out handler (the exchange's PersonMovedOut, event_handlers.cc): every active case of
  // the child with blind index `id_index` stops from MoveOutStop (the month after `moved`) with
  // reason MOVED_OUT and `note`, in the consumer's `txn`; each stop is kept in child_history
  // (`STOPPED`, actor "event:PersonMovedOut"). Cases pending, rejected or already stopped are left
  // alone, so the same move applied again changes nothing. Returns how many cases stopped.
  absl::StatusOr<int> OnMoveOut(pqxx::transaction_base& txn, const std::string& id_index,
                                absl::CivilDay moved, const std::string& note);

  // The death handler (services/common/deaths.h OnDeath): the open case of the child with blind
  // index `id_index`, who died on `died`, stops from DeathStopMonth (never before its start; an
  // earlier date lowers a stop already made), in the consumer's `txn`. Pending cases close too.
  // Returns how many cases changed.
  absl::StatusOr<int> OnDeath(pqxx::transaction_base& txn, const std::string& id_index,
                              absl::CivilDay died);

  // The figures of `start`..`end` within `region_prefix`: cases approved by `end` whose allowance
  // covers the month of `end`, by category; payments for the months of the period by category;
  // stipends paid in the period (persons and money).
  absl::StatusOr<ChildFigures> Figures(const std::string& region_prefix, absl::CivilDay start,
                                       absl::CivilDay end);

 private:
  // Locks the case, vets its region and returns it; NOT_FOUND when there is none.
  absl::StatusOr<ChildRecord> Lock(pqxx::transaction_base& txn, const std::string& child_id,
                                   const RegionGuard& check_region);

  PgPool* pool_;
  const PiiProtector* pii_;
  const DeathRegistry* deaths_;
  int education_max_age_;
  MonthlyRunner runs_;
};

}  // namespace civil::childwelfare
