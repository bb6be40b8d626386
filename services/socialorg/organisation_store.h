// PostgreSQL access for the register of social organisations and their lifecycle events: the
// establishment filing (organisation and ESTABLISHMENT event in one transaction), events filed and
// decided under a row lock on the organisation (one pending event at a time, a partial UNIQUE
// index), the overdue re-elections and the events of a period. All SQL of these tables lives
// here; the rules are organisation.h's and lifecycle.h's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/grievance_store.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"
#include "services/socialorg/lifecycle.h"
#include "services/socialorg/organisation.h"

namespace civil::socialorg {

struct OrgRecord {
  std::string organisation_id;
  std::string name;
  std::string credit_code;
  OrgKind kind = OrgKind::kSocialGroup;
  OrgState state;
  std::string supervising_unit;
  std::string domicile;
  std::string representative_name;
  std::string representative_masked;
  std::string representative_id;     // clear, only when revealed
  std::string representative_index;  // its blind index, only when revealed
  int64_t registered_capital_fen = 0;
  std::string region_code;
  std::string business_scope;
  bool industry_association = false;
  std::string recorded_by;
  int64_t update_time_micros = 0;
  int64_t seq = 0;
};

struct EventRecord {
  std::string event_id;
  std::string organisation_id;
  EventKind kind = EventKind::kChange;
  EventStatus status = EventStatus::kPending;
  absl::CivilDay date;
  std::vector<std::string> documents;
  std::string new_name, new_domicile, new_representative_name, new_representative_masked,
      new_business_scope;
  std::optional<Term> term;
  std::optional<absl::CivilDay> certificate_valid_until;
  std::string liquidation;
  std::optional<absl::CivilDay> liquidation_date;
  std::string recorded_by;
  std::string decided_by;
  std::optional<absl::CivilDay> decided_on;
  std::string reason;
  int64_t create_time_micros = 0;
};

// One step of an event's history (org_event_history), oldest first: a REOPENED row is two steps,
// the rejection it undid (REJECTED: the reviewer, the decision's day, the reason) and the
// reopening (REOPENED: who upheld the grievance, the day, the grievance).
struct EventHistoryStep {
  std::string action;  // REJECTED, REOPENED
  std::string actor;
  std::optional<absl::CivilDay> on;
  std::string note;
  std::string grievance_id;
};

struct Registered {
  OrgRecord organisation;
  EventRecord establishment;
};

// Approved events of a period by event kind and organisation kind.
struct EventCountRow {
  EventKind event_kind;
  OrgKind organisation_kind;
  int events = 0;
  int organisations = 0;  // distinct organisations with such an event
};

// A function vetting a stored record's region against the caller's scope.
using RegionVet = std::function<absl::Status(const std::string&)>;

// A deregistration being approved, as what it ends with the organisation (its branches) needs it.
struct ApprovedDeregistration {
  std::string organisation_id;
  std::string event_id;
  absl::CivilDay date;  // the deregistration's date
  std::vector<std::string> documents;
  std::string filed_by;
  std::string approved_by;
  absl::CivilDay approved_on;
};

// Runs in the approval's transaction, the organisation's row locked; an error undoes the
// approval and is the caller's answer.
using DeregistrationHook =
    std::function<absl::Status(pqxx::transaction_base&, const ApprovedDeregistration&)>;

class OrganisationStore {
 public:
  // Prepares the statements on `pool`; neither is owned.
  OrganisationStore(PgPool* pool, const PiiProtector* pii);

  // Records the organisation (PENDING_ESTABLISHMENT) and its ESTABLISHMENT event (PENDING) in
  // one transaction. ALREADY_EXISTS "credit_code: … is registered already".
  absl::StatusOr<Registered> Register(const RegistrationDraft& draft, const std::string& actor);

  // The organisation; the representative's clear ID number when `reveal`. NOT_FOUND.
  absl::StatusOr<OrgRecord> Get(const std::string& organisation_id, bool reveal);

  // Organisations under `region_prefix` by registration order, of `kind` and in `status` when
  // given, only industry associations when `industry_associations_only`.
  absl::StatusOr<Page<OrgRecord>> List(const std::string& region_prefix,
                                       std::optional<OrgKind> kind, std::optional<OrgStatus> status,
                                       bool industry_associations_only, int64_t after,
                                       int page_size);

  // Files `event` (not an establishment) on the organisation after CheckFiling, under a row lock;
  // `vet` checks the organisation's region first. NOT_FOUND when there is none.
  absl::StatusOr<EventRecord> File(const std::string& organisation_id, const EventDraft& event,
                                   const std::string& actor, const RegionVet& vet);

  // The reopen hook of an upheld grievance against a rejected event (socialorg.cc), in the
  // grievance's `txn`: ReopenRejectedEvent decides; the event is PENDING again, the rejection it
  // had (who, when, why) kept in org_event_history (`REOPENED`), and a refused organisation is
  // PENDING_ESTABLISHMENT again. NOT_FOUND "case_id"; FAILED_PRECONDITION as the rule says, or
  // when another organisation holds the credit code of a refused one meanwhile.
  absl::StatusOr<std::string> ReopenEvent(pqxx::transaction_base& txn,
                                          const ReopenRequest& request);

  // Approves (`approve`) or rejects (with `reason`) a pending event after CheckDecision (and
  // CheckApprovable for an approval), writing the organisation's state that Applied or
  // AfterRejection decides and, for an approved change, its new text; an approved deregistration
  // runs the OnDeregistration hook in the same transaction (its error refuses the approval).
  // NOT_FOUND when there is no such event.
  absl::StatusOr<EventRecord> Decide(const std::string& event_id, bool approve,
                                     const std::string& decider, absl::CivilDay decided_on,
                                     const std::string& reason, const RegionVet& vet);

  // Sets what an approved deregistration also does in its transaction (socialorg.cc: close the
  // organisation's branches, BranchStore::CloseForDeregistration). Call before serving.
  void OnDeregistration(DeregistrationHook hook) { on_deregistration_ = std::move(hook); }

  // The events of one organisation, oldest first; `vet` checks its region. NOT_FOUND.
  absl::StatusOr<std::vector<EventRecord>> Events(const std::string& organisation_id,
                                                  const RegionVet& vet);

  // The history of one event (EventHistoryStep), oldest first; `vet` checks its organisation's
  // region. NOT_FOUND "event_id" when there is no such event.
  absl::StatusOr<std::vector<EventHistoryStep>> EventHistory(const std::string& event_id,
                                                             const RegionVet& vet);

  // Registered organisations within `region_prefix` whose current term ended before `as_of`
  // (ReElectionDaysOverdue > 0), earliest end first.
  absl::StatusOr<std::vector<OrgRecord>> OverdueReElections(const std::string& region_prefix,
                                                            absl::CivilDay as_of);

  // Approved events dated `start`..`end` of organisations within `region_prefix`.
  absl::StatusOr<std::vector<EventCountRow>> CountEvents(const std::string& region_prefix,
                                                         absl::CivilDay start, absl::CivilDay end);

  // Distinct organisations within `region_prefix` with an approved re-election or certificate
  // renewal dated `start`..`end` (the report's "换届、换证备案").
  absl::StatusOr<int> ReElectionOrRenewalFilings(const std::string& region_prefix,
                                                 absl::CivilDay start, absl::CivilDay end);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  DeregistrationHook on_deregistration_;
};

}  // namespace civil::socialorg
