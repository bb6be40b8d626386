// The lifecycle of a social organisation (pure C++ on Abseil): establishment, change,
// re-election (换届), certificate renewal (换证) and deregistration (注销) as dated events with
// their documents; which events an organisation may take in its state (a deregistered one takes
// none, a re-election needs a previous term), maker ≠ checker on the decision, what an approved
// event does to the organisation, and when a re-election is overdue.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/values.h"
#include "services/socialorg/organisation.h"

namespace civil::socialorg {

// Numbers match civil.socialorg.v1.EventKind.
enum class EventKind {
  kEstablishment = 1,
  kChange = 2,
  kReElection = 3,
  kCertificateRenewal = 4,
  kDeregistration = 5
};
inline constexpr absl::string_view kEventKindNameList[] = {
    "", "ESTABLISHMENT", "CHANGE", "RE_ELECTION", "CERTIFICATE_RENEWAL", "DEREGISTRATION"};
inline constexpr EnumNames kEventKindNames{kEventKindNameList};

// Numbers match civil.socialorg.v1.EventStatus.
enum class EventStatus { kPending = 1, kApproved = 2, kRejected = 3 };
inline constexpr absl::string_view kEventStatusNameList[] = {"", "PENDING", "APPROVED", "REJECTED"};
inline constexpr EnumNames kEventStatusNames{kEventStatusNameList};

// The state of an organisation the lifecycle rules decide on.
struct OrgState {
  OrgStatus status = OrgStatus::kPendingEstablishment;
  std::optional<absl::CivilDay> established_on;
  std::optional<absl::CivilDay> deregistered_on;
  std::optional<Term> term;
  std::optional<absl::CivilDay> certificate_valid_until;
  bool event_pending = false;  // another event waits for a decision
};

// A change as entered: empty fields stay as they are.
struct ChangeInput {
  std::string name;
  std::string domicile;
  std::string representative_name;
  std::string representative_id;
  std::string business_scope;
};

struct ChangeDraft {
  std::optional<std::string> name;
  std::optional<std::string> domicile;
  std::optional<std::string> representative_name;
  std::optional<IdNumber> representative_id;  // with representative_name
  std::optional<std::string> business_scope;
};

// An event as filed, validated.
struct EventDraft {
  EventKind kind = EventKind::kChange;
  absl::CivilDay date;
  std::vector<std::string> documents;
  ChangeDraft change;                                     // kChange
  std::optional<Term> term;                               // kReElection, kEstablishment
  std::optional<absl::CivilDay> certificate_valid_until;  // kCertificateRenewal, kEstablishment
  std::string liquidation;                                // kDeregistration
  std::optional<absl::CivilDay> liquidation_date;         // kDeregistration
};

// The part every filing shares: the event date (`event_date`, default `today`, never in the
// future) and the documents.
struct FilingInput {
  std::string event_date;
  std::vector<std::string> documents;
};

// The establishment event of a validated registration.
EventDraft EstablishmentOf(const RegistrationDraft& registration);

// A change: at least one of name (1–100), domicile (1–200), legal representative (name 1–64 and
// ID number together), business scope (1–500). INVALID_ARGUMENT "change: …" / "change.<field>: …".
absl::StatusOr<EventDraft> ValidateChange(const FilingInput& filing, const ChangeInput& change,
                                          absl::CivilDay today);

// A re-election with the new term (TermOf, required; it may start before the event date, when
// the general assembly met before filing).
absl::StatusOr<EventDraft> ValidateReElection(const FilingInput& filing,
                                              absl::string_view term_start,
                                              absl::string_view term_end, absl::CivilDay today);

// A certificate renewal: `certificate_valid_until` required, after the event date.
absl::StatusOr<EventDraft> ValidateCertificateRenewal(const FilingInput& filing,
                                                      absl::string_view valid_until,
                                                      absl::CivilDay today);

// A deregistration: the liquidation noted (1–500 characters) and completed on
// `liquidation_date`, on or before the event date.
absl::StatusOr<EventDraft> ValidateDeregistration(const FilingInput& filing,
                                                  absl::string_view liquidation,
                                                  absl::string_view liquidation_date,
                                                  absl::CivilDay today);

// Whether an organisation in `state` may take `event` (not an establishment) now.
// FAILED_PRECONDITION "organisation_id: …" when it is not registered (establishment pending,
// refused, deregistered: "takes no further events"), another event is pending, or the event is
// dated before the establishment; "term_start: no previous term is on record …" for a
// re-election without one, or a new term not starting after the previous one's start;
// "certificate_valid_until: …" for a renewal not extending the current certificate.
absl::Status CheckFiling(const OrgState& state, const EventDraft& event);

// The decision on a pending event filed by `recorded_by` on `event_date`, by `decider` on
// `decided_on`: FAILED_PRECONDITION when it is not pending or `decided_on` is before the event
// date; PERMISSION_DENIED "maker-checker: …" when the decider filed it.
absl::Status CheckDecision(EventStatus status, absl::string_view recorded_by,
                           absl::string_view decider, absl::CivilDay event_date,
                           absl::CivilDay decided_on);

// Whether `event` may still be approved on an organisation in `state` (its state may have moved
// since the filing): an establishment needs PENDING_ESTABLISHMENT, every other event REGISTERED.
// FAILED_PRECONDITION "organisation_id: …".
absl::Status CheckApprovable(const OrgState& state, EventKind kind);

// The organisation's lifecycle state after `event` is approved: an establishment registers it
// from the event date (with its first term and certificate when filed), a re-election sets the
// term, a renewal the certificate's validity, a deregistration closes it on the event date. A
// change leaves the state as it is (its fields are the organisation's text).
OrgState Applied(OrgState state, const EventDraft& event);

// The state after a rejection: a rejected establishment refuses the organisation; any other
// rejection changes nothing.
OrgState AfterRejection(OrgState state, EventKind kind);

// An upheld grievance (复核, 行政复议) against a rejected event of `kind` reopens it to pending
// review (the decision is taken again, maker ≠ checker as before). Returns the organisation's
// status while it waits: a refused establishment puts it back to PENDING_ESTABLISHMENT; any other
// event needs it still REGISTERED. FAILED_PRECONDITION "case_id: …" unless the event is rejected
// (a second reopening finds it pending or decided), when another event of the organisation is
// pending, or when the organisation has moved on (deregistered, say).
absl::StatusOr<OrgStatus> ReopenRejectedEvent(EventStatus event, EventKind kind,
                                              const OrgState& org);

// Days a re-election is overdue on `as_of`: from the day after the term ended; 0 when the term
// has not ended before `as_of` or no term is on record.
int ReElectionDaysOverdue(const std::optional<Term>& term, absl::CivilDay as_of);

}  // namespace civil::socialorg
