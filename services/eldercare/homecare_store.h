// PostgreSQL access for the 居家养老服务补贴: level schedules, assessed persons' subsidies (one
// open subsidy per person, by blind index), the stop of a deceased person's subsidy, the monthly
// run (the kit's MonthlyRunner) and the figures of a period. The rules are homecare.h's.
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
#include "services/eldercare/homecare.h"

namespace civil::eldercare {

struct SubsidyRecord {
  std::string subsidy_id;
  std::string name;
  std::string id_masked;
  absl::CivilDay birth_date;
  std::string sex;
  std::string region_code;
  bool low_income = false;
  bool disabled = false;
  bool living_alone = false;
  int level = 0;
  absl::CivilDay assessed_on;
  std::string assessor;
  SubsidyStatus status = SubsidyStatus::kPendingApproval;
  absl::CivilMonth start_month;
  std::optional<absl::CivilMonth> end_month;
  std::string recorded_by;
  std::string approved_by;
  std::optional<absl::CivilDay> approved_on;
  int stop_reason = 0;  // SubsidyStopReason, 0 while open
  std::string stop_note;
  std::optional<absl::CivilDay> stopped_on;
  int64_t update_time_micros = 0;
  std::vector<MonthlyPaymentRecord> payments;  // Get only
};

struct LevelScheduleRecord {
  LevelSchedule schedule;
  std::string created_by;
  int64_t create_time_micros = 0;
};

// The figures of a period by level label.
struct SubsidyFigures {
  int persons = 0;
  int64_t paid_fen = 0;
  std::map<std::string, int> persons_by_level;
  std::map<std::string, int64_t> paid_by_level;
};

class HomeCareStore {
 public:
  // Prepares the statements on `pool`; none is owned. `metrics` (may be null) gets the run's
  // gauge.
  HomeCareStore(PgPool* pool, const PiiProtector* pii, const DeathRegistry* deaths,
                prometheus::Registry* metrics = nullptr);

  // Adds `schedule`. ALREADY_EXISTS "effective_month: …" when its prefix has one from that month.
  absl::StatusOr<LevelScheduleRecord> AddSchedule(const LevelSchedule& schedule,
                                                  const std::string& actor);
  // The schedules within or containing `region_prefix`, by prefix and month.
  absl::StatusOr<std::vector<LevelScheduleRecord>> ListSchedules(const std::string& region_prefix);

  // Records the subsidy (PENDING_APPROVAL) after CheckAssessment under the schedules, in one
  // transaction. FAILED_PRECONDITION when the rule refuses or the person's death is recorded;
  // ALREADY_EXISTS "id_number: <masked> has an open 居家养老服务补贴".
  absl::StatusOr<SubsidyRecord> Assess(const AssessmentDraft& draft, const std::string& actor);

  // Approves after CheckSubsidyApproval under a row lock; `check_region` vets the region first.
  absl::StatusOr<SubsidyRecord> Approve(
      const std::string& subsidy_id, const std::string& approver, absl::CivilDay decided_on,
      const std::function<absl::Status(const std::string&)>& check_region);

  // Stops an active subsidy on `on` (SubsidyStopMonth) under a row lock.
  absl::StatusOr<SubsidyRecord> Stop(
      const std::string& subsidy_id, absl::CivilDay on, int reason, const std::string& note,
      const std::function<absl::Status(const std::string&)>& check_region);

  // The subsidy with its payments. NOT_FOUND when there is none.
  absl::StatusOr<SubsidyRecord> Get(const std::string& subsidy_id);

  absl::StatusOr<Page<SubsidyRecord>> List(const std::string& region_prefix,
                                           std::optional<SubsidyStatus> status, int64_t after,
                                           int page_size);

  // Pays `month` within `region_prefix` (PriceSubsidies) through the kit's MonthlyRunner.
  // FAILED_PRECONDITION when a person due cannot be priced (nothing is paid then).
  absl::StatusOr<MonthlyRunResult> RunPayments(absl::CivilMonth month,
                                               const std::string& region_prefix,
                                               const std::string& actor);

  // The death handler: the person's subsidies stop from the month after `died` (never before
  // their start; an earlier date lowers a stop already made), in the consumer's `txn`. Returns
  // how many changed.
  absl::StatusOr<int> OnDeath(pqxx::transaction_base& txn, const std::string& id_index,
                              absl::CivilDay died);
  // The move-out handler: the person's subsidies stop (reason MOVED_OUT) from the month after
  // `moved`, in the consumer's `txn`. Returns how many changed.
  absl::StatusOr<int> OnMoveOut(pqxx::transaction_base& txn, const std::string& id_index,
                                absl::CivilDay moved);

  // The reopen hook of an upheld grievance against a stopped subsidy (eldercare.cc), in the
  // grievance's `txn`: CheckSubsidyStopReversal (NOT_FOUND "case_id" for an unknown subsidy),
  // then the subsidy active again, a history row keeping the stop, and each month a run paid the
  // region while it was stopped paid once as an adjustment row naming the grievance (the kit's
  // MonthlyRunner). FAILED_PRECONDITION when a month owed has no level schedule. Returns what it
  // did for the grievance's record.
  absl::StatusOr<std::string> ReverseStop(pqxx::transaction_base& txn,
                                          const ReopenRequest& request);

  // Persons with a subsidy active on `end` by level; money paid for the months of the period.
  absl::StatusOr<SubsidyFigures> Figures(const std::string& region_prefix, absl::CivilDay start,
                                         absl::CivilDay end);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  const DeathRegistry* deaths_;
  MonthlyRunner runs_;
};

}  // namespace civil::eldercare
