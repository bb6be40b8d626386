// PostgreSQL access for disability subsidies: persons, subsidies with their history, standards,
// the monthly payment run and the back-payment of a resumed living subsidy (exactly once per
// person, kind and month by a UNIQUE constraint and ON CONFLICT DO NOTHING), and the stop of a
// deceased (a death hook) or moved-out person's subsidies. All SQL of these tables lives here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/affairs/death.h"
#include "services/affairs/disability.h"
#include "services/common/grievance_store.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"

namespace civil::affairs {

struct PersonRecord {
  std::string person_id;
  std::string name;
  std::string id_masked;
  absl::CivilDay birth_date;
  std::string sex;
  std::string region_code;
  int category = 0;
  int grade = 0;
  absl::CivilDay certified_on;
  bool long_term_care = false;
  int64_t create_time_micros = 0;
  // Set while the federation (残联) reports the certificate revoked.
  std::optional<absl::CivilDay> certificate_revoked_on;
};

// A DisabilityCertificateChanged as affairs applies it.
struct FederationCertificate {
  std::string id_index, id_masked;
  std::string certificate_number;
  std::string category;  // "" when the event named none (a revocation)
  CertificateChange change;
  std::string event_id;
};

struct SubsidyRecord {
  std::string subsidy_id;
  std::string person_id;
  SubsidyKind kind = SubsidyKind::kLiving;
  SubsidyStatus status = SubsidyStatus::kPendingEligibility;
  absl::CivilDay applied_on;
  absl::CivilMonth start_month;
  std::optional<absl::CivilMonth> end_month;
  std::string dibao_enrolment_id;
  std::string dibao_since;
  std::string reason;
  std::string region_code;
  int64_t update_time_micros = 0;
};

// A subsidy with its person's clear ID number, for asking the assistance department.
struct SubsidySubject {
  SubsidyRecord subsidy;
  IdNumber id;
};

// A new subsidy as the adapter decided it.
struct NewSubsidy {
  std::string person_id;
  SubsidyKind kind = SubsidyKind::kLiving;
  SubsidyStatus status = SubsidyStatus::kActive;  // ACTIVE or PENDING_ELIGIBILITY
  absl::CivilDay applied_on;
  std::string dibao_enrolment_id;
  std::string dibao_since;
  std::string reason;
};

// A PersonMovedOut as affairs applies it.
struct MoveOut {
  std::string id_index, id_masked;
  absl::CivilDay moved_on;
  std::string record_id;  // the exchange's record
  std::string event_id;
};

// An EnrolmentReinstated of 低保 as affairs applies it.
struct DibaoReinstated {
  std::string id_index, id_masked;
  absl::CivilMonth effective;  // the reversed exit's first month no longer covered
  std::string reason;          // for the history
  std::string event_id;        // named on the back-payment rows
};

// What a reinstatement did: subsidies resumed, and the months and money paid back.
struct Reinstatement {
  int resumed = 0;
  int back_paid_months = 0;
  int64_t back_paid_fen = 0;
};

struct StandardRecord {
  std::string standard_id;
  StandardDraft standard;
  int64_t create_time_micros = 0;
};

struct PaymentRunResult {
  std::string run_id;
  int due = 0;
  int paid = 0;
  int already_paid = 0;
  int64_t paid_fen = 0;
  // Back-payments of the kind and region (ADJUSTMENT rows) this run settled: its bank file pays
  // them after its own payments.
  int adjustments_settled = 0;
  int64_t adjustments_fen = 0;
};

class DisabilityStore {
 public:
  // Prepares the statements on `pool`; neither is owned.
  DisabilityStore(PgPool* pool, const PiiProtector* pii);

  // An upheld grievance against a refusal (the kit's ReopenHook, in the grievance's
  // transaction): the subsidy back to PENDING_ELIGIBILITY, its reason cleared from the row and
  // REOPENED in subsidy_history after the REJECTED row; the eligibility check runs again
  // (RecheckEligibility). NOT_FOUND "case_id"; FAILED_PRECONDITION unless refused, or when the
  // person has another open subsidy of the kind.
  absl::StatusOr<std::string> ReopenRejected(pqxx::transaction_base& txn,
                                             const ReopenRequest& request);

  // ALREADY_EXISTS "id_number: <masked> is already registered"; FAILED_PRECONDITION when the
  // platform records the person's death.
  absl::StatusOr<PersonRecord> RegisterPerson(const DisabledPersonDraft& draft,
                                              const std::string& actor);

  // The person and their subsidies (oldest first). NOT_FOUND when there is none.
  absl::StatusOr<std::pair<PersonRecord, std::vector<SubsidyRecord>>> GetPerson(
      const std::string& person_id);

  // The person with the clear ID number and the recorded date of death, if any.
  absl::StatusOr<std::tuple<PersonRecord, IdNumber, std::optional<absl::CivilDay>>>
  PersonForSubsidy(const std::string& person_id);

  // Inserts a subsidy starting with the application month, with its history, under a lock on the
  // person. ALREADY_EXISTS when the person has an open (pending or active) subsidy of the kind;
  // FAILED_PRECONDITION when a stopped one of the kind is still paid in the start month.
  absl::StatusOr<SubsidyRecord> AddSubsidy(const NewSubsidy& subsidy, const std::string& actor);

  // NOT_FOUND when there is none.
  absl::StatusOr<SubsidyRecord> GetSubsidy(const std::string& subsidy_id);

  absl::StatusOr<Page<SubsidyRecord>> ListSubsidies(const std::string& region_prefix,
                                                    std::optional<SubsidyKind> kind,
                                                    std::optional<SubsidyStatus> status,
                                                    int64_t after, int page_size);

  // Pending subsidies within `region_prefix` (or just `subsidy_id` when given), at most `limit`.
  absl::StatusOr<std::vector<SubsidySubject>> PendingSubsidies(const std::string& region_prefix,
                                                               const std::string& subsidy_id,
                                                               int limit);

  // Active, open-ended living subsidies within `region_prefix`, at most `limit`, oldest first.
  absl::StatusOr<std::vector<SubsidySubject>> ActiveLivingSubsidies(
      const std::string& region_prefix, int limit);

  // Settles a pending subsidy: ACTIVE with the enrolment (eligible) or REJECTED with `reason`.
  // FAILED_PRECONDITION when it is no longer pending.
  absl::StatusOr<SubsidyRecord> ResolvePending(const std::string& subsidy_id,
                                               const LivingEligibility& eligibility,
                                               const std::string& reason, const std::string& actor);

  // Records in the history that a pending subsidy was rechecked without an answer.
  absl::Status NoteRecheck(const std::string& subsidy_id, const std::string& reason,
                           const std::string& actor);

  // Stops an active subsidy: paid up to the month before `end_month` (never before its start),
  // with a history row and a DisabilitySubsidyStopped event. FAILED_PRECONDITION when it is not
  // active; `check_region` vets the subsidy's region first.
  absl::StatusOr<SubsidyRecord> Stop(
      const std::string& subsidy_id, absl::CivilMonth end_month, absl::CivilDay on_date,
      const std::string& reason, const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_region);

  // The death hook: active subsidies of the person stop from the month after the death (with
  // events); pending ones are rejected.
  absl::Status OnDeath(pqxx::transaction_base& txn, const Death& death);

  // The exchange reported that the person's household registration moved out of the county
  // (PersonMovedOut, in the consumer's transaction `txn`): every active subsidy of the person
  // stops from MoveOutStopMonth (never before its start), a stopped one running later is brought
  // back to it, a pending one is rejected, each with a history row (`event:PersonMovedOut`) and,
  // when stopped, a DisabilitySubsidyStopped (`MOVED_OUT`, the subsidy's region). A stopped
  // subsidy ending by then is left alone, so the same move again changes nothing. Returns how
  // many subsidies stopped or were rejected.
  absl::StatusOr<int> OnMoveOut(pqxx::transaction_base& txn, const MoveOut& move);

  // Assistance reported that the person left 低保 (EnrolmentEnded): their active living subsidy
  // stops from `stop`, the first month no longer covered (never before its start), with a history
  // row and a DisabilitySubsidyStopped event, in `txn`. Returns how many subsidies stopped.
  absl::StatusOr<int> OnDibaoEnded(pqxx::transaction_base& txn, const std::string& id_index,
                                   const std::string& id_masked, absl::CivilMonth stop,
                                   absl::CivilDay on_date, const std::string& reason);

  // The subsidies of the person with blind index `id_index`, oldest first.
  absl::StatusOr<std::vector<SubsidyRecord>> SubsidiesOf(const std::string& id_index);

  // The federation reported a certificate event (in the consumer's transaction `txn`): kept as
  // the person's federation certificate (federation_certificates); when the person is
  // registered, their type and grade follow it (ISSUED / CHANGED) or their certificate is marked
  // revoked (REVOKED), and the subsidies SubsidiesStoppedBy names stop from CertificateStopMonth
  // (active ones, never before their start; pending ones are rejected), each with a history row
  // and a DisabilitySubsidyStopped event. Returns how many subsidies stopped or were rejected.
  absl::StatusOr<int> OnCertificateChanged(pqxx::transaction_base& txn,
                                           const FederationCertificate& certificate,
                                           absl::CivilDay on_date);

  // Assistance reported that an exit was reversed (EnrolmentReinstated, an upheld grievance):
  // the person's living subsidy that the exit stopped (ResumesOnDibaoReinstated) is ACTIVE again
  // with a `RESUMED` history row and a DisabilitySubsidyResumed event, in `txn`; one the person
  // has another open living subsidy beside stays stopped (logged). The months its stop left
  // unpaid that a run has already passed (BackPayMonths, up to the latest LIVING run of the
  // person's region and `on_date`) are paid back as ADJUSTMENT rows of subsidy_payments naming
  // the event, priced as a run prices them, and listed with their total in the RESUMED row;
  // UNIQUE (person, kind, month) and ON CONFLICT DO NOTHING make a month paid once whatever is
  // delivered, reinstated or run again. FAILED_PRECONDITION "month: no LIVING standard prices …"
  // when a month owed has no standard (nothing changes; the event is retried, then
  // dead-lettered for a replay once the standard is set).
  absl::StatusOr<Reinstatement> OnDibaoReinstated(pqxx::transaction_base& txn,
                                                  const DibaoReinstated& back,
                                                  absl::CivilDay on_date);

  // ALREADY_EXISTS for the same kind, grade, prefix and month.
  absl::StatusOr<StandardRecord> AddStandard(const StandardDraft& standard,
                                             const std::string& actor);
  absl::StatusOr<std::vector<StandardRecord>> ListStandards(const std::string& region_prefix);

  // Pays `month` of `kind` to every person within `region_prefix` due then: an ACTIVE (or STOPPED
  // but still running) subsidy covering the month, no death recorded before the month. The amount
  // is the most local standard for the person's grade (or every grade) effective in the month.
  // Each payment is inserted with ON CONFLICT DO NOTHING against UNIQUE (person, kind, month), so
  // overlapping or repeated runs pay nobody twice. The back-payments of the kind within the region
  // that no run has settled are settled by this one (subsidy_adjustment_settlements), for its bank
  // file. FAILED_PRECONDITION when a person due has no standard (nothing is paid then).
  absl::StatusOr<PaymentRunResult> RunPayments(SubsidyKind kind, absl::CivilMonth month,
                                               const std::string& region_prefix,
                                               const std::string& actor);

 private:
  absl::StatusOr<std::vector<SubsidySubject>> Subjects(const pqxx::result& rows);

  struct BackPayment {
    std::vector<absl::CivilMonth> months;  // paid now, in order
    int64_t total_fen = 0;
  };
  // Pays back the months BackPayMonths owes the living subsidy `subsidy_id` stopped from `end`,
  // resumed on `on_date` by `event_id`, in `txn`. FAILED_PRECONDITION when a month has no standard.
  absl::StatusOr<BackPayment> BackPay(pqxx::transaction_base& txn, const std::string& subsidy_id,
                                      absl::CivilMonth end, absl::CivilDay on_date,
                                      const std::string& event_id);

  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::affairs
