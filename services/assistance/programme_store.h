// PostgreSQL access for the programme aggregates: benefit standards, applications, enrolments,
// disbursement batches and the summary figures. Each class holds all SQL of its aggregate.
//
// The stores speak the contract's message types (civil.assistance.v1.Application, Enrolment, …):
// they are plain data, and a second set of structs mirroring them field by field would only be
// copied back and forth. Rules stay in benefit.h, free of protobuf; the adapter validates input.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/disbursement.pb.h"
#include "civil/assistance/v1/programme.pb.h"
#include "services/assistance/benefit.h"
#include "services/common/caller.h"
#include "services/common/deaths.h"
#include "services/common/grievance_store.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::assistance {

// `YYYY-MM-01` of a month, as the SQL date columns hold it.
std::string MonthDate(absl::CivilMonth month);

class StandardStore {
 public:
  explicit StandardStore(PgPool* pool);

  // Records a standard. ALREADY_EXISTS for a duplicate programme/area/region/date.
  absl::StatusOr<v1::Standard> Set(const v1::Standard& standard, const std::string& actor);
  // Standards of `programme` (0 = all) whose region prefix starts with `region_prefix`, newest
  // first, after position `after`.
  absl::StatusOr<std::vector<v1::Standard>> List(int programme, const std::string& region_prefix,
                                                 int64_t after, int page_size, int64_t* next);
  // The standard in force for a household in `region_code` and `area` in `month`, as
  // StandardInForce (benefit.h) chooses it: the longest region prefix that matches, then the
  // latest effective date not after the month's first day. FAILED_PRECONDITION naming
  // programme, area and month when none is set.
  static absl::StatusOr<StandardValues> InForce(pqxx::transaction_base& txn, Programme programme,
                                                absl::string_view area,
                                                const std::string& region_code,
                                                absl::CivilMonth month);
  // The standards of `programme` that may be in force in `month` (effective by its first day)
  // for `area` (empty: both) and a region related to `region_code` (a prefix of it, or within
  // it; empty: all): the candidates StandardInForce chooses from.
  static std::vector<StandardRecord> StandardsFor(pqxx::transaction_base& txn, Programme programme,
                                                  absl::string_view area,
                                                  const std::string& region_code,
                                                  absl::CivilMonth month);

 private:
  PgPool* pool_;
};

// One step of an application, as the adapter validated it.
struct ApplicationStep {
  std::string application_id;
  ApplicationAction action;
  absl::CivilDay happened_on;
  std::string note;
  // kInvestigate
  int64_t income_fen = 0;
  bool assets_ok = false;
  std::vector<v1::MemberCircumstance> circumstances;
  // 特困 grounds found (nullopt: none sent).
  std::optional<TekunGrounds> tekun_grounds;
  // 支出型 rigid expenses found (nullopt: none sent).
  std::optional<RigidExpenses> rigid_expenses;
};

class ApplicationStore {
 public:
  ApplicationStore(PgPool* pool, const PiiProtector* pii, const AssistanceRules& rules);

  // Files an application. NOT_FOUND for an unknown household or member; PERMISSION_DENIED when
  // the household is outside the caller's region; FAILED_PRECONDITION when the person (or a
  // member of the household) is already enrolled in the programme's exclusive group.
  absl::StatusOr<v1::Application> Create(const Caller& caller, Programme programme,
                                         const std::string& household_id,
                                         const std::string& member_id, int care_mode,
                                         absl::CivilDay submitted_on, absl::CivilDay today);
  absl::StatusOr<v1::Application> Get(const Caller& caller, const std::string& application_id);
  absl::StatusOr<std::vector<v1::Application>> List(const Caller& caller,
                                                    const std::string& region_prefix,
                                                    const std::string& status, int programme,
                                                    int64_t after, int page_size, int64_t* next);
  // Applies a workflow step (investigate, publish, object, reject) with its history row.
  // FAILED_PRECONDITION for a step out of order.
  absl::StatusOr<v1::Application> Step(const Caller& caller, const ApplicationStep& step,
                                       absl::CivilDay today);
  // County approval: checks maker ≠ checker and that the notice is over, computes the monthly
  // amount from the standard in force, and creates the enrolment from the next month, in one
  // transaction.
  absl::StatusOr<std::pair<v1::Application, v1::Enrolment>> Approve(const Caller& caller,
                                                                    const ApplicationStep& step,
                                                                    absl::CivilDay today);

  // An upheld grievance against a rejection (the kit's ReopenHook, in the grievance's
  // transaction): the application goes back to investigation (SUBMITTED, the decision cleared
  // from the row and kept in its history, REOPENED added naming the grievance). NOT_FOUND
  // "case_id"; FAILED_PRECONDITION unless rejected (CheckReopenRejected), or when the household
  // has another open application of the programme.
  static absl::StatusOr<std::string> ReopenRejected(pqxx::transaction_base& txn,
                                                    const ReopenRequest& request);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  AssistanceRules rules_;
};

// What an enrolment pays for one month: AmountForMonth (benefit.h) on the enrolment's own rows,
// the rule and the facts the disbursement pays by (its decided amount, whether a review set it,
// the standards in force, the investigated income, the members enrolled that month).
struct EnrolmentMonthAmount {
  absl::CivilMonth month;
  MonthlyPayment payment;
  // The standard the amount follows (the one in force for `month`); none when the decided
  // amount is paid as it is for want of one (no standard, a programme not paid monthly).
  std::optional<StandardRecord> standard;
};

class EnrolmentStore {
 public:
  // `deaths` is the department's death registry (null: the store keeps one of its own).
  EnrolmentStore(PgPool* pool, const AssistanceRules& rules, DeathRegistry* deaths = nullptr);

  // The registry where an exit for death records the death (and RegisterEventHandlers records
  // other departments' deaths).
  DeathRegistry& deaths() { return *deaths_; }

  // The enrolment as of `today` (the department's clock): its monthly_amount_fen is what it
  // pays for the month shown (ShownMonth), as the disbursement would pay it.
  absl::StatusOr<v1::Enrolment> Get(const Caller& caller, const std::string& enrolment_id,
                                    absl::CivilDay today);
  // Enrolments in `region_prefix` of `programme` (0 = all), covering `active_in` when given;
  // amounts as Get shows them on `today`.
  absl::StatusOr<std::vector<v1::Enrolment>> List(const Caller& caller,
                                                  const std::string& region_prefix, int programme,
                                                  const std::optional<absl::CivilMonth>& active_in,
                                                  int64_t after, int page_size, int64_t* next,
                                                  absl::CivilDay today);
  // Ends the enrolment or one member's part of it from `effective` on (see ExitEnrolment).
  absl::StatusOr<v1::Enrolment> Exit(const Caller& caller, const std::string& enrolment_id,
                                     const std::string& member_id, ExitReason reason,
                                     absl::CivilMonth effective, bool phase_out,
                                     const std::string& note, absl::CivilDay decided_on,
                                     absl::CivilDay today);
  // An upheld grievance against an exit (the kit's ReopenHook, confirmed by a second reviewer:
  // it pays money): the ended enrolment is active again with the members that left with it, its
  // history keeps the exit and adds EXIT_REVERSED, and every month after its last paid month for
  // which the programme's monthly run has already paid the region gets one ADJUSTMENT payment of
  // the difference (BackPayment: due by AmountFor less paid for the month), so that together
  // with the runs still to come each month is paid once. NOT_FOUND "case_id";
  // FAILED_PRECONDITION for an active enrolment or an exit for death (CheckExitReversal), or when
  // a member is enrolled elsewhere in the same group meanwhile.
  absl::StatusOr<std::string> ReverseExit(pqxx::transaction_base& txn,
                                          const ReopenRequest& request);
  // Exit within `txn` (no commit): the body of Exit, for callers that own the transaction.
  // An exit for DEATH is a record of death: each leaver's death is recorded in the registry
  // (known dead by the earlier of `decided_on` and the last day of the last month paid) and,
  // when new or earlier than the one known, published as PersonDeceased and applied to the
  // person's other enrolments (EndForDeath), in the same transaction.
  absl::Status ExitInTxn(pqxx::transaction_base& txn, const Caller& caller,
                         const std::string& enrolment_id, const std::string& member_id,
                         ExitReason reason, absl::CivilMonth effective, bool phase_out,
                         const std::string& note, absl::CivilDay decided_on, absl::CivilDay today);

  // A death the registry holds (another department's PersonDeceased, or an exit for death
  // here): ends every active enrolment part of the person with blind index `id_index` with
  // reason DEATH, effective the month after `died_on` (a household goes on with the other
  // members at a recomputed amount; a household whose only member died is closed). Records no
  // death itself. Returns how many enrolments were touched.
  absl::StatusOr<int> EndForDeath(pqxx::transaction_base& txn, const std::string& id_index,
                                  absl::CivilDay died_on, absl::CivilDay today);

  // A move out of the county (the exchange's PersonMovedOut): ends every active enrolment part
  // of the person with blind index `id_index` with reason MOVED_AWAY, effective the month after
  // `moved_on` (the month of the move is still paid), as EndForDeath does for a death. Returns
  // how many enrolments were touched (0 when none is active: a move applied twice ends nothing).
  absl::StatusOr<int> EndForMoveOut(pqxx::transaction_base& txn, const std::string& id_index,
                                    absl::CivilDay moved_on, absl::CivilDay today);

  // The enrolments of the person with blind index `id_index`, as of `as_of`; the call is
  // recorded in enrolment_checks with the caller's identity.
  absl::StatusOr<std::vector<v1::EnrolmentFact>> Check(const Caller& caller,
                                                       const std::string& id_index, int programme,
                                                       absl::CivilDay as_of);

  // Loads one enrolment within `txn` (no scope check), its monthly_amount_fen the amount it pays
  // for ShownMonth(`as_of`): the month of the department's clock for a read, the first month for
  // the enrolment an approval returns.
  static absl::StatusOr<v1::Enrolment> Load(pqxx::transaction_base& txn,
                                            const std::string& enrolment_id,
                                            absl::CivilMonth as_of);
  // The month an enrolment's amount is shown for on the month `as_of`: `as_of` itself, the
  // enrolment's first month before it starts, its last month once it has ended.
  static absl::CivilMonth ShownMonth(const v1::Enrolment& enrolment, absl::CivilMonth as_of);
  // What each enrolment of `months` (enrolment id → month) pays for its month, by AmountForMonth
  // on the facts the disbursement reads (see EnrolmentMonthAmount); an unknown id is left out.
  // A few queries for the lot, not per enrolment.
  static std::map<std::string, EnrolmentMonthAmount> AmountsFor(
      pqxx::transaction_base& txn, const std::map<std::string, absl::CivilMonth>& months);
  // AmountsFor of one enrolment; NOT_FOUND "enrolment_id: …" when there is none.
  static absl::StatusOr<EnrolmentMonthAmount> AmountFor(pqxx::transaction_base& txn,
                                                        const std::string& enrolment_id,
                                                        absl::CivilMonth month);

 private:
  // The enrolment's row and members, monthly_amount_fen the amount decided last.
  static absl::StatusOr<v1::Enrolment> LoadRow(pqxx::transaction_base& txn,
                                               const std::string& enrolment_id);
  // Sets each enrolment's monthly_amount_fen to what it pays for ShownMonth(`as_of`).
  static void ShowAmounts(pqxx::transaction_base& txn,
                          const std::vector<v1::Enrolment*>& enrolments, absl::CivilMonth as_of);
  // Ends every active enrolment part of `id_index` for `reason` from the month after `on` (never
  // before a part's first month), as `actor`, without recording a death: EndForDeath,
  // EndForMoveOut.
  absl::StatusOr<int> EndActiveParts(pqxx::transaction_base& txn, const std::string& id_index,
                                     ExitReason reason, absl::CivilDay on, const std::string& actor,
                                     const std::string& note, absl::CivilDay today);
  // ExitInTxn; `record_death` false when the exit applies a death the registry already holds.
  absl::Status ExitAndRecord(pqxx::transaction_base& txn, const Caller& caller,
                             const std::string& enrolment_id, const std::string& member_id,
                             ExitReason reason, absl::CivilMonth effective, bool phase_out,
                             const std::string& note, absl::CivilDay decided_on,
                             absl::CivilDay today, bool record_death);

  PgPool* pool_;
  AssistanceRules rules_;
  std::unique_ptr<DeathRegistry> own_deaths_;
  DeathRegistry* deaths_;
};

// How far a running disbursement is: `done` of the `total` enrolments it pays (those of the
// programme in the region covering the month) have been through, in batch `batch_id`.
struct DisbursementProgress {
  std::string batch_id;
  int64_t done = 0;
  int64_t total = 0;
};

class DisbursementStore {
 public:
  // Enrolments per INSERT … SELECT of a run (see Run): about four progress reports per county
  // run, at a cost per chunk that stays out of the figures.
  static constexpr int kDefaultChunkSize = 25000;

  // `chunk_size` > 0: enrolments paid per statement, between two progress reports.
  explicit DisbursementStore(PgPool* pool, int chunk_size = kDefaultChunkSize);
  // See DisbursementService.RunDisbursement. `created` tells whether this call made the batch.
  // A new batch is paid in chunks of enrolments, in enrolment order, all in the one transaction
  // that creates the batch (a failure keeps nothing; the unique index on enrolment and month
  // still makes every payment exactly once); runs of one programme and month wait for each other.
  // `progress`, when set, is called before the first chunk and after each, on the calling
  // thread, and again from the start if the transaction is run again. Returns the mapped
  // database error when the run fails.
  absl::StatusOr<v1::DisbursementBatch> Run(
      const Caller& caller, Programme programme, absl::CivilMonth month,
      const std::string& region_prefix, bool* created,
      const std::function<void(const DisbursementProgress&)>& progress = nullptr);
  absl::StatusOr<v1::DisbursementBatch> Get(const Caller& caller, const std::string& batch_id);

 private:
  PgPool* pool_;
  int chunk_size_;
};

class SummaryStore {
 public:
  explicit SummaryStore(PgPool* pool);
  // Figures per programme and area for the period [start, end] in `region_prefix`. Caseload and
  // money come from the roll-ups of migration 0005 (caseload_changes, payment_totals), which
  // equal the counts and sums over enrolment_members, enrolments and payments they replace;
  // exits are counted from enrolment_members (a household once overall and once per reason).
  absl::StatusOr<std::vector<v1::ProgrammeFigures>> Figures(const std::string& region_prefix,
                                                            absl::CivilDay start,
                                                            absl::CivilDay end);

 private:
  PgPool* pool_;
};

}  // namespace civil::assistance
