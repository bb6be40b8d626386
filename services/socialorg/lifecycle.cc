#include "services/socialorg/lifecycle.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::socialorg {
namespace {

absl::StatusOr<EventDraft> Filed(EventKind kind, const FilingInput& filing, absl::CivilDay today) {
  EventDraft draft;
  draft.kind = kind;
  CIVIL_ASSIGN_OR_RETURN(draft.date, EventDate("event_date", filing.event_date, today));
  CIVIL_ASSIGN_OR_RETURN(draft.documents, Documents("documents", filing.documents));
  return draft;
}

// Optional text of a change: empty → nullopt.
absl::StatusOr<std::optional<std::string>> ChangedText(absl::string_view field,
                                                       absl::string_view text, int max_chars) {
  CIVIL_ASSIGN_OR_RETURN(std::string value, BoundedText(field, text, max_chars, false));
  if (value.empty()) return std::nullopt;
  return value;
}

}  // namespace

EventDraft EstablishmentOf(const RegistrationDraft& registration) {
  EventDraft draft;
  draft.kind = EventKind::kEstablishment;
  draft.date = registration.filed_on;
  draft.documents = registration.documents;
  draft.term = registration.term;
  draft.certificate_valid_until = registration.certificate_valid_until;
  return draft;
}

absl::StatusOr<EventDraft> ValidateChange(const FilingInput& filing, const ChangeInput& change,
                                          absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(EventDraft draft, Filed(EventKind::kChange, filing, today));
  ChangeDraft& c = draft.change;
  CIVIL_ASSIGN_OR_RETURN(c.name, ChangedText("change.name", change.name, 100));
  CIVIL_ASSIGN_OR_RETURN(c.domicile, ChangedText("change.domicile", change.domicile, 200));
  CIVIL_ASSIGN_OR_RETURN(c.representative_name, ChangedText("change.legal_representative_name",
                                                            change.representative_name, 64));
  CIVIL_ASSIGN_OR_RETURN(c.business_scope,
                         ChangedText("change.business_scope", change.business_scope, 500));
  if (c.representative_name.has_value() != !change.representative_id.empty()) {
    return InvalidField(c.representative_name ? "change.legal_representative_id_number"
                                              : "change.legal_representative_name",
                        "a new legal representative needs both a name and an ID number");
  }
  if (!change.representative_id.empty()) {
    absl::StatusOr<IdNumber> id =
        RequiredIdNumber("change.legal_representative_id_number", change.representative_id, today);
    if (!id.ok()) return id.status();
    c.representative_id = *std::move(id);
  }
  if (!c.name && !c.domicile && !c.representative_name && !c.business_scope) {
    return InvalidField("change",
                        "names nothing to change (name, domicile, legal representative "
                        "or business scope)");
  }
  return draft;
}

absl::StatusOr<EventDraft> ValidateReElection(const FilingInput& filing,
                                              absl::string_view term_start,
                                              absl::string_view term_end, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(EventDraft draft, Filed(EventKind::kReElection, filing, today));
  CIVIL_ASSIGN_OR_RETURN(draft.term, TermOf("term_start", term_start, "term_end", term_end, true));
  return draft;
}

absl::StatusOr<EventDraft> ValidateCertificateRenewal(const FilingInput& filing,
                                                      absl::string_view valid_until,
                                                      absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(EventDraft draft, Filed(EventKind::kCertificateRenewal, filing, today));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay until,
                         RequiredDate("certificate_valid_until", valid_until));
  if (until <= draft.date)
    return InvalidField("certificate_valid_until", "must be after event_date");
  draft.certificate_valid_until = until;
  return draft;
}

absl::StatusOr<EventDraft> ValidateDeregistration(const FilingInput& filing,
                                                  absl::string_view liquidation,
                                                  absl::string_view liquidation_date,
                                                  absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(EventDraft draft, Filed(EventKind::kDeregistration, filing, today));
  CIVIL_ASSIGN_OR_RETURN(draft.liquidation,
                         RequiredText("liquidation", liquidation, 500,
                                      "a deregistration needs the liquidation noted (清算)"));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay liquidated,
                         RequiredDate("liquidation_date", liquidation_date));
  if (liquidated > draft.date) {
    return InvalidField("liquidation_date", "the liquidation must be completed by event_date");
  }
  draft.liquidation_date = liquidated;
  return draft;
}

absl::Status CheckApprovable(const OrgState& state, EventKind kind) {
  if (kind == EventKind::kEstablishment) {
    if (state.status != OrgStatus::kPendingEstablishment) {
      return absl::FailedPreconditionError(
          absl::StrCat("organisation_id: the organisation is ",
                       kOrgStatusNames.Name(static_cast<int>(state.status)),
                       ", not waiting for its establishment"));
    }
    return absl::OkStatus();
  }
  switch (state.status) {
    case OrgStatus::kRegistered:
      return absl::OkStatus();
    case OrgStatus::kDeregistered:
      return absl::FailedPreconditionError(absl::StrCat(
          "organisation_id: the organisation was deregistered on ",
          state.deregistered_on ? FormatDay(*state.deregistered_on) : std::string("record"),
          "; it takes no further events"));
    case OrgStatus::kPendingEstablishment:
      return absl::FailedPreconditionError(
          "organisation_id: the organisation's establishment is not approved yet");
    case OrgStatus::kRefused:
      return absl::FailedPreconditionError(
          "organisation_id: the organisation's establishment was refused");
  }
  return absl::InternalError("unknown organisation status");
}

absl::Status CheckFiling(const OrgState& state, const EventDraft& event) {
  CIVIL_RETURN_IF_ERROR(CheckApprovable(state, event.kind));
  if (state.event_pending) {
    return absl::FailedPreconditionError(
        "organisation_id: another event of the organisation is pending; a reviewer decides it "
        "first");
  }
  if (state.established_on && event.date < *state.established_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "event_date: must not be before the establishment on ", FormatDay(*state.established_on)));
  }
  if (event.kind == EventKind::kReElection) {
    if (!state.term) {
      return absl::FailedPreconditionError(
          "term_start: no previous term is on record; a re-election (换届) follows a term "
          "recorded at establishment or by an earlier re-election");
    }
    if (event.term->start <= state.term->start) {
      return absl::FailedPreconditionError(absl::StrCat(
          "term_start: must be after the previous term's start ", FormatDay(state.term->start)));
    }
  }
  if (event.kind == EventKind::kCertificateRenewal && state.certificate_valid_until &&
      *event.certificate_valid_until <= *state.certificate_valid_until) {
    return absl::FailedPreconditionError(
        absl::StrCat("certificate_valid_until: must be after the current certificate's ",
                     FormatDay(*state.certificate_valid_until)));
  }
  return absl::OkStatus();
}

absl::Status CheckDecision(EventStatus status, absl::string_view recorded_by,
                           absl::string_view decider, absl::CivilDay event_date,
                           absl::CivilDay decided_on) {
  if (status != EventStatus::kPending) {
    return absl::FailedPreconditionError(
        absl::StrCat("event_id: the event is ", kEventStatusNames.Name(static_cast<int>(status)),
                     ", not pending"));
  }
  if (recorded_by == decider) {
    return absl::PermissionDeniedError(
        "maker-checker: the reviewer must not be the person who filed the event");
  }
  if (decided_on < event_date) {
    return absl::FailedPreconditionError(
        absl::StrCat("decision_date: must not be before the event date ", FormatDay(event_date)));
  }
  return absl::OkStatus();
}

OrgState Applied(OrgState state, const EventDraft& event) {
  switch (event.kind) {
    case EventKind::kEstablishment:
      state.status = OrgStatus::kRegistered;
      state.established_on = event.date;
      state.term = event.term;
      state.certificate_valid_until = event.certificate_valid_until;
      break;
    case EventKind::kReElection:
      state.term = event.term;
      break;
    case EventKind::kCertificateRenewal:
      state.certificate_valid_until = event.certificate_valid_until;
      break;
    case EventKind::kDeregistration:
      state.status = OrgStatus::kDeregistered;
      state.deregistered_on = event.date;
      break;
    case EventKind::kChange:
      break;
  }
  state.event_pending = false;
  return state;
}

OrgState AfterRejection(OrgState state, EventKind kind) {
  if (kind == EventKind::kEstablishment) state.status = OrgStatus::kRefused;
  state.event_pending = false;
  return state;
}

absl::StatusOr<OrgStatus> ReopenRejectedEvent(EventStatus event, EventKind kind,
                                              const OrgState& org) {
  if (event != EventStatus::kRejected) {
    return absl::FailedPreconditionError(
        absl::StrCat("case_id: the event is ", kEventStatusNames.Name(static_cast<int>(event)),
                     ", not rejected"));
  }
  if (org.event_pending) {
    return absl::FailedPreconditionError(
        "case_id: another event of the organisation is pending a decision");
  }
  const OrgStatus needed =
      kind == EventKind::kEstablishment ? OrgStatus::kRefused : OrgStatus::kRegistered;
  if (org.status != needed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "case_id: the organisation is ", kOrgStatusNames.Name(static_cast<int>(org.status)),
        " now; the event cannot be reviewed again"));
  }
  return kind == EventKind::kEstablishment ? OrgStatus::kPendingEstablishment : org.status;
}

int ReElectionDaysOverdue(const std::optional<Term>& term, absl::CivilDay as_of) {
  if (!term || term->end >= as_of) return 0;
  return static_cast<int>(as_of - term->end);
}

}  // namespace civil::socialorg
