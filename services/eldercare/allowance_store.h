// PostgreSQL access for the 高龄津贴: tier schedules, enrolments (one per person, by blind
// index), the stop of a deceased person's allowance, the monthly payment run (the kit's
// MonthlyRunner, services/common/monthly_run.h: exactly once per person and month) and the
// figures of a period. All SQL of these tables lives here; the rules are allowance.h's.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/deaths.h"
#include "services/common/grievance_store.h"
#include "services/common/monthly_run.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"
#include "services/eldercare/allowance.h"

namespace civil::eldercare {

// A payment as read back (`label` = the tier paid).
using PaymentRecord = MonthlyPaymentRecord;

struct EnrolmentRecord {
  std::string enrolment_id;
  std::string name;
  std::string id_masked;
  absl::CivilDay birth_date;
  std::string sex;
  std::string region_code;
  EnrolmentStatus status = EnrolmentStatus::kPendingApproval;
  absl::CivilDay applied_on;
  absl::CivilMonth start_month;
  std::optional<absl::CivilMonth> end_month;
  std::string recorded_by;
  std::string approved_by;
  std::optional<absl::CivilDay> approved_on;
  std::string reason;
  int64_t update_time_micros = 0;
  LowIncome low_income = LowIncome::kNotRequired;
  std::string low_income_enrolment_id;
  std::vector<PaymentRecord> payments;  // Get only
};

// How an enrolment starts, as the adapter decided it from assistance's answer.
struct EnrolmentStart {
  EnrolmentStatus status = EnrolmentStatus::kPendingApproval;  // or kPendingEligibility
  LowIncome low_income = LowIncome::kNotRequired;
  std::string low_income_enrolment_id;
  std::string reason;  // why it waits
};

// A pending enrolment with the person's clear ID number, for asking the assistance department.
struct EligibilitySubject {
  EnrolmentRecord enrolment;
  IdNumber id;
};

struct ScheduleRecord {
  TierSchedule schedule;
  std::string created_by;
  int64_t create_time_micros = 0;
};

using RunResult = MonthlyRunResult;

// The 高龄津贴 figures of a period, by tier label.
struct TierFigures {
  int persons = 0;
  int64_t paid_fen = 0;
};
struct AllowanceFigures {
  int persons = 0;
  int64_t paid_fen = 0;
  std::map<std::string, TierFigures> by_tier;
};

class AllowanceStore {
 public:
  // Prepares the statements on `pool`; none is owned. `deaths` is the department's registry
  // (a person recorded dead is not enrolled); `metrics` (may be null) gets the run's gauge.
  AllowanceStore(PgPool* pool, const PiiProtector* pii, const DeathRegistry* deaths,
                 prometheus::Registry* metrics = nullptr);

  // Adds `schedule`. ALREADY_EXISTS "effective_month: …" when its prefix has one from that month.
  absl::StatusOr<ScheduleRecord> AddSchedule(const TierSchedule& schedule,
                                             const std::string& actor);

  // The schedules whose prefix lies within `region_prefix` or contains it ("" = all), by prefix
  // and month.
  absl::StatusOr<std::vector<ScheduleRecord>> ListSchedules(const std::string& region_prefix);

  // Records the enrolment (PENDING_APPROVAL) after CheckEnrolmentAge under the schedules in the
  // same transaction. FAILED_PRECONDITION when that rule refuses or the person's death is
  // recorded; ALREADY_EXISTS "id_number: <masked> is already enrolled".
  absl::StatusOr<EnrolmentRecord> Enrol(const EnrolmentDraft& draft, const EnrolmentStart& start,
                                        const std::string& actor);

  // Enrolments waiting in PENDING_ELIGIBILITY within `region_prefix` (or just `enrolment_id`
  // when given), at most `limit`, oldest first.
  absl::StatusOr<std::vector<EligibilitySubject>> PendingEligibility(
      const std::string& region_prefix, const std::string& enrolment_id, int limit);

  // Settles a waiting enrolment: PENDING_APPROVAL with the confirming enrolment (low-income) or
  // REJECTED with `reason`. FAILED_PRECONDITION when it no longer waits.
  absl::StatusOr<EnrolmentRecord> ResolveEligibility(const std::string& enrolment_id,
                                                     const LowIncomeDecision& decision,
                                                     const std::string& reason);

  // Approves a pending enrolment after CheckApproval, under a row lock; `check_region` vets the
  // enrolment's region first. NOT_FOUND when there is none.
  absl::StatusOr<EnrolmentRecord> Approve(
      const std::string& enrolment_id, const std::string& approver, absl::CivilDay decided_on,
      const std::function<absl::Status(const std::string&)>& check_region);

  // Stops an active enrolment on `on` with `reason` (StopMonth), under a row lock; `check_region`
  // vets the enrolment's region first. NOT_FOUND when there is none.
  absl::StatusOr<EnrolmentRecord> Stop(
      const std::string& enrolment_id, absl::CivilDay on, const std::string& reason,
      const std::function<absl::Status(const std::string&)>& check_region);

  // The enrolment with its payments. NOT_FOUND when there is none.
  absl::StatusOr<EnrolmentRecord> Get(const std::string& enrolment_id);

  absl::StatusOr<Page<EnrolmentRecord>> List(const std::string& region_prefix,
                                             std::optional<EnrolmentStatus> status, int64_t after,
                                             int page_size);

  // Pays `month` to every person due within `region_prefix`, priced by PriceMonth, through the
  // kit's MonthlyRunner: overlapping or repeated runs pay nobody twice. FAILED_PRECONDITION when
  // a person due has no schedule (nothing is paid then).
  absl::StatusOr<RunResult> RunPayments(absl::CivilMonth month, const std::string& region_prefix,
                                        const std::string& actor);

  // The death handler (services/common/deaths.h OnDeath): the enrolment of the person with blind
  // index `id_index`, who died on `died`, stops from DeathStopMonth (never before its start; an
  // earlier date lowers a stop already made), in the consumer's `txn`. Returns how many
  // enrolments changed.
  absl::StatusOr<int> OnDeath(pqxx::transaction_base& txn, const std::string& id_index,
                              absl::CivilDay died);
  // The move-out handler (the exchange's PersonMovedOut): the same stop from MoveOutStopMonth,
  // in the consumer's `txn`. Returns how many enrolments changed (0 when stopped already).
  absl::StatusOr<int> OnMoveOut(pqxx::transaction_base& txn, const std::string& id_index,
                                absl::CivilDay moved);

  // The reopen hook of an upheld grievance against a stopped enrolment (eldercare.cc), in the
  // grievance's `txn`: CheckStopReversal (NOT_FOUND "case_id" for an unknown enrolment), then the
  // enrolment is active again, the stop it was is kept in allowance_enrolment_history, and each
  // month MonthsOwedAfterReversal finds is paid once, priced by PriceMonth, as an ADJUSTMENT row
  // naming the grievance (never an edit of a past payment). FAILED_PRECONDITION when a month owed
  // has no schedule. Returns what it did for the grievance's record.
  absl::StatusOr<std::string> ReverseStop(pqxx::transaction_base& txn,
                                          const ReopenRequest& request);

  // The figures of `start`..`end` within `region_prefix`: enrolments active on `end` by their
  // tier in that month, payments for the months of the period by the tier paid.
  absl::StatusOr<AllowanceFigures> Figures(const std::string& region_prefix, absl::CivilDay start,
                                           absl::CivilDay end);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  const DeathRegistry* deaths_;
  MonthlyRunner runs_;
};

}  // namespace civil::eldercare
