// PostgreSQL access for enrolments (在保): reads with the amount each month pays, exits (one
// member or the whole household), exits for death or a move out, an exit reversed by a
// grievance, and the enrolment check other departments ask.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/programme.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/programme_store_util.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/deaths.h"
#include "services/common/grievance_store.h"
#include "services/common/pg.h"

namespace civil::assistance {

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
  absl::StatusOr<v1::Enrolment> Get(const Actor& actor, const std::string& enrolment_id,
                                    absl::CivilDay today);
  // Enrolments in `region_prefix` of `programme` (0 = all), covering `active_in` when given;
  // amounts as Get shows them on `today`.
  absl::StatusOr<std::vector<v1::Enrolment>> List(const std::string& region_prefix, int programme,
                                                  const std::optional<absl::CivilMonth>& active_in,
                                                  int64_t after, int page_size, int64_t* next,
                                                  absl::CivilDay today);
  // Ends the enrolment or one member's part of it from `effective` on (see ExitEnrolment).
  absl::StatusOr<v1::Enrolment> Exit(const Actor& actor, const std::string& enrolment_id,
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
  absl::Status ExitInTxn(pqxx::transaction_base& txn, const Actor& actor,
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
  // recorded in enrolment_checks with the asking caller's subject `asked_by`.
  absl::StatusOr<std::vector<v1::EnrolmentFact>> Check(const std::string& asked_by,
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
  // A row of the enrolment's history (enrolment_history), by `actor` (a subject).
  static void AppendHistory(pqxx::transaction_base& txn, const std::string& id,
                            absl::string_view action, const std::string& actor,
                            absl::CivilDay happened, const std::string& note, bool late);
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
  absl::Status ExitAndRecord(pqxx::transaction_base& txn, const Actor& actor,
                             const std::string& enrolment_id, const std::string& member_id,
                             ExitReason reason, absl::CivilMonth effective, bool phase_out,
                             const std::string& note, absl::CivilDay decided_on,
                             absl::CivilDay today, bool record_death);

  PgPool* pool_;
  AssistanceRules rules_;
  std::unique_ptr<DeathRegistry> own_deaths_;
  DeathRegistry* deaths_;
};

}  // namespace civil::assistance
