// PostgreSQL access for 临时救助 cases, mutual-aid societies, outreach (visits, demands, contracted
// health checks), audits and their findings, reviews, the bank file of a disbursement batch and
// the report figures of these parts. Each class holds all SQL of its aggregate and speaks the
// contract's messages (see programme_store.h for why); the adapter has validated the input.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/relief.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/programme_store.h"
#include "services/assistance/relief.h"
#include "services/common/caller.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::assistance {

// One page of a list: `next` is 0 on the last page, else the position to resume after.
template <typename T>
struct ResultPage {
  std::vector<T> items;
  int64_t next = 0;
};

// A new 临时救助 case, as the adapter validated it.
struct ReliefCaseDraft {
  std::string household_id;
  std::string member_id;
  std::string reason;
  Money amount;
  absl::CivilDay happened_on;
  bool emergency = false;
};

// A decision or payment of a case, as the adapter validated it.
struct ReliefStep {
  std::string case_id;
  ReliefAction action = ReliefAction::kApprove;
  absl::CivilDay happened_on;
  std::string date_field;  // the request field the date came from, for messages
  std::string note;
  Money amount;  // kPay: amount paid, zero = the amount granted
};

class ReliefCaseStore {
 public:
  ReliefCaseStore(PgPool* pool, ReliefRules relief_rules, const AssistanceRules& rules);

  // Records a case for an active member of the household. NOT_FOUND for an unknown household
  // or member; PERMISSION_DENIED outside the caller's region; FAILED_PRECONDITION when the
  // person is no longer an active member.
  absl::StatusOr<v1::ReliefCase> Create(const Caller& caller, const ReliefCaseDraft& draft,
                                        absl::CivilDay today);
  // NOT_FOUND when there is none in the caller's region.
  absl::StatusOr<v1::ReliefCase> Get(const Caller& caller, const std::string& case_id);
  // Cases in `region_prefix`, in status `status` ("" = any), oldest first.
  absl::StatusOr<ResultPage<v1::ReliefCase>> List(const std::string& region_prefix,
                                                  const std::string& status, int64_t after,
                                                  int page_size);
  // Approves, rejects or pays a case (see NextReliefStatus), with its history row.
  // FAILED_PRECONDITION for a step out of order or dated before the case; PERMISSION_DENIED
  // for a decision above the caller's level, or by the clerk who submitted the case.
  absl::StatusOr<v1::ReliefCase> Step(const Caller& caller, const ReliefStep& step,
                                      absl::CivilDay today);
  // Emergency cases paid first whose completion was due before `as_of`, most overdue first.
  absl::StatusOr<ResultPage<v1::ReliefCase>> ListOverdue(const std::string& region_prefix,
                                                         absl::CivilDay as_of, int64_t after,
                                                         int page_size);

 private:
  PgPool* pool_;
  ReliefRules relief_rules_;
  AssistanceRules rules_;
};

// A person helped by a mutual-aid society, as the adapter validated it.
struct MutualAidCaseDraft {
  std::string society_id;
  std::string household_id;
  std::string member_id;
  Money amount;
  absl::CivilDay helped_on;
  std::string note;
};

class MutualAidStore {
 public:
  MutualAidStore(PgPool* pool, const AssistanceRules& rules);

  // Registers the society of a village. ALREADY_EXISTS "region_code: … already has a
  // mutual-aid society" for a second one.
  absl::StatusOr<v1::MutualAidSociety> Register(const Caller& caller,
                                                const std::string& region_code,
                                                const std::string& name,
                                                absl::CivilDay registered_on);
  absl::StatusOr<ResultPage<v1::MutualAidSociety>> ListSocieties(const std::string& region_prefix,
                                                                 int64_t after, int page_size);
  // NOT_FOUND for an unknown society, household or member; PERMISSION_DENIED outside the
  // caller's region; FAILED_PRECONDITION when the household lives in another village or the help
  // predates the registration.
  absl::StatusOr<v1::MutualAidCase> RecordCase(const Caller& caller,
                                               const MutualAidCaseDraft& draft,
                                               absl::CivilDay today);
  // Cases in `region_prefix`, of one society when `society_id` is not empty.
  absl::StatusOr<ResultPage<v1::MutualAidCase>> ListCases(const std::string& region_prefix,
                                                          const std::string& society_id,
                                                          int64_t after, int page_size);
  // Coverage as of `as_of`. With `villages_known` > 0 that count is used (INVALID_ARGUMENT when
  // it is below the societies registered); otherwise the villages are counted from households.
  absl::StatusOr<v1::GetMutualAidCoverageResponse> Coverage(const std::string& region_prefix,
                                                            absl::CivilDay as_of,
                                                            int64_t villages_known);

 private:
  PgPool* pool_;
  AssistanceRules rules_;
};

// A visit, as the adapter validated it.
struct VisitDraft {
  std::string household_id;
  std::string member_id;
  absl::CivilDay visited_on;
  std::string note;
  std::vector<std::string> demands;
};

// A health check, as the adapter validated it.
struct HealthCheckDraft {
  std::string batch_id;
  std::string household_id;
  std::string member_id;
  absl::CivilDay checked_on;
  std::string health_record;
};

class OutreachStore {
 public:
  OutreachStore(PgPool* pool, const AssistanceRules& rules);

  // Records a visit and its demands. NOT_FOUND / PERMISSION_DENIED / FAILED_PRECONDITION for
  // the person as in ReliefCaseStore::Create.
  absl::StatusOr<v1::Visit> RecordVisit(const Caller& caller, const VisitDraft& draft,
                                        absl::CivilDay today);
  absl::StatusOr<ResultPage<v1::Visit>> ListVisits(const std::string& region_prefix, int64_t after,
                                                   int page_size);
  // NOT_FOUND for an unknown demand (or one outside the caller's region); FAILED_PRECONDITION
  // when it is resolved already or `resolved_on` is before the visit.
  absl::StatusOr<v1::Demand> ResolveDemand(const Caller& caller, const std::string& demand_id,
                                           absl::CivilDay resolved_on,
                                           const std::string& resolution);
  // ALREADY_EXISTS for a second batch with the same region, provider and name.
  absl::StatusOr<v1::HealthCheckBatch> CreateBatch(const Caller& caller,
                                                   const v1::HealthCheckBatch& batch);
  // Records a check of a person in an active 特困 enrolment with dispersed care on the day.
  // FAILED_PRECONDITION naming the masked ID otherwise, or when the household is outside the
  // batch's region or the check predates the batch; ALREADY_EXISTS when the batch has the
  // person already.
  absl::StatusOr<v1::HealthCheck> RecordHealthCheck(const Caller& caller,
                                                    const HealthCheckDraft& draft);
  // Checks of a batch within `region_prefix`. NOT_FOUND for an unknown batch.
  absl::StatusOr<ResultPage<v1::HealthCheck>> ListHealthChecks(const std::string& batch_id,
                                                               const std::string& region_prefix,
                                                               int64_t after, int page_size);

 private:
  PgPool* pool_;
  AssistanceRules rules_;
};

class AuditStore {
 public:
  explicit AuditStore(PgPool* pool);

  // Runs every check over `region_prefix` as of `as_of` and stores the findings in one
  // transaction (see AuditService.RunAudit).
  absl::StatusOr<v1::RunAuditResponse> Run(const Caller& caller, const std::string& region_prefix,
                                           absl::CivilDay as_of);
  // Findings in `region_prefix` ("" status / kind = any), oldest first.
  absl::StatusOr<ResultPage<v1::Finding>> List(const std::string& region_prefix,
                                               const std::string& status, const std::string& kind,
                                               int64_t after, int page_size);
  // Confirms or dismisses an open finding (see CheckFindingDecision). NOT_FOUND when there is
  // none in the caller's region.
  absl::StatusOr<v1::Finding> Decide(const Caller& caller, const std::string& finding_id,
                                     FindingStatus to, const std::string& reason,
                                     absl::CivilDay decided_on);

 private:
  PgPool* pool_;
};

// A review, as the adapter validated it.
struct ReviewDraft {
  std::string enrolment_id;
  ReviewOutcome outcome = ReviewOutcome::kUnchanged;
  Money new_amount;
  std::string reason;
  ExitReason exit_reason = ExitReason::kOther;  // kStop
  bool phase_out = false;                       // kStop
  absl::CivilDay decided_on;
};

class ReviewStore {
 public:
  // `enrolments` carries out STOP (EnrolmentStore::Exit); not owned.
  ReviewStore(PgPool* pool, EnrolmentStore* enrolments, const AssistanceRules& rules);

  // Active enrolments in `region_prefix` of `programme` (0 = all) with review_due before
  // `due_before`, earliest due first.
  absl::StatusOr<ResultPage<v1::Enrolment>> ListDue(const std::string& region_prefix,
                                                    absl::CivilDay due_before, int programme,
                                                    int64_t after, int page_size);
  // Records the review and carries out its outcome. NOT_FOUND / PERMISSION_DENIED for the
  // enrolment; FAILED_PRECONDITION when it has ended or the new amount contradicts the outcome.
  absl::StatusOr<std::pair<v1::Review, v1::Enrolment>> Record(const Caller& caller,
                                                              const ReviewDraft& draft,
                                                              absl::CivilDay today);

 private:
  PgPool* pool_;
  EnrolmentStore* enrolments_;
  AssistanceRules rules_;
};

class BankFileStore {
 public:
  // `pii` decrypts ID numbers for callers allowed to see them; not owned.
  BankFileStore(PgPool* pool, const PiiProtector* pii);

  // The bank file of batch `batch_id`, restricted to `region_prefix` when not empty (which must
  // lie within the batch's region). ID numbers are full when the caller MaySeeFullId
  // ("assistance"), masked otherwise; the export is recorded. NOT_FOUND for an unknown batch or
  // one outside the caller's region; FAILED_PRECONDITION above kMaxBankFileRows rows.
  absl::StatusOr<v1::ExportBankFileResponse> Export(const Caller& caller,
                                                    const std::string& batch_id,
                                                    const std::string& region_prefix);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
};

class ReliefFiguresStore {
 public:
  explicit ReliefFiguresStore(PgPool* pool);

  // The figures of temporary relief, mutual aid, outreach, audits and reviews in
  // `region_prefix` for the period [start, end] (see v1::ReliefFigures).
  absl::StatusOr<v1::ReliefFigures> Figures(const std::string& region_prefix, absl::CivilDay start,
                                            absl::CivilDay end);

 private:
  PgPool* pool_;
};

}  // namespace civil::assistance
