// Unit tests of the lifecycle rules (services/socialorg/lifecycle.h): filings as entered, which
// events an organisation may take (none once deregistered; a re-election needs a previous term),
// maker ≠ checker, what an approval does, overdue re-elections. No servers.
#include "services/socialorg/lifecycle.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/support/test_ids.h"

namespace civil::socialorg {
namespace {

using civil::affairs::testing::Id;

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }
const absl::CivilDay kToday = D(2023, 6, 30);
const FilingInput kFiling{"2023-05-10", {"换届大会决议"}};

OrgState Registered(std::optional<Term> term = Term{D(2018, 5, 1), D(2023, 4, 30)}) {
  OrgState s;
  s.status = OrgStatus::kRegistered;
  s.established_on = D(2018, 5, 1);
  s.term = term;
  s.certificate_valid_until = D(2023, 12, 31);
  return s;
}

std::string Message(const absl::Status& s) { return s.ok() ? "ok" : std::string(s.message()); }

TEST(FilingTest, AChangeNamesSomethingAndARepresentativeWholly) {
  EXPECT_EQ(Message(ValidateChange(kFiling, {}, kToday).status()),
            "change: names nothing to change (name, domicile, legal representative or business "
            "scope)");
  EXPECT_EQ(Message(ValidateChange(kFiling, {.representative_name = "李某"}, kToday).status()),
            "change.legal_representative_id_number: a new legal representative needs both a name "
            "and an ID number");
  EXPECT_EQ(
      Message(
          ValidateChange(kFiling, {.representative_id = Id("19800101", false)}, kToday).status()),
      "change.legal_representative_name: a new legal representative needs both a name and "
      "an ID number");
  absl::StatusOr<EventDraft> d = ValidateChange(kFiling,
                                                {.domicile = "枞阳县会宫镇",
                                                 .representative_name = "李某",
                                                 .representative_id = Id("19800101", false)},
                                                kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->kind, EventKind::kChange);
  EXPECT_EQ(d->date, D(2023, 5, 10));
  EXPECT_EQ(d->change.domicile, "枞阳县会宫镇");
  EXPECT_FALSE(d->change.name.has_value());
  ASSERT_TRUE(d->change.representative_id.has_value());
}

TEST(FilingTest, DatesDocumentsAndLiquidation) {
  EXPECT_TRUE(absl::StartsWith(
      Message(ValidateChange({"2023-07-01", {"x"}}, {.name = "新名"}, kToday).status()),
      "event_date: must not be in the future"));
  EXPECT_EQ(Message(ValidateChange({"", {}}, {.name = "新名"}, kToday).status()),
            "documents: at least one document reference is required");
  EXPECT_EQ(Message(ValidateCertificateRenewal(kFiling, "2023-05-10", kToday).status()),
            "certificate_valid_until: must be after event_date");
  EXPECT_EQ(Message(ValidateDeregistration(kFiling, "", "2023-05-01", kToday).status()),
            "liquidation: a deregistration needs the liquidation noted (清算)");
  EXPECT_EQ(Message(ValidateDeregistration(kFiling, "清算组报告", "2023-05-11", kToday).status()),
            "liquidation_date: the liquidation must be completed by event_date");
  EXPECT_TRUE(ValidateDeregistration(kFiling, "清算组报告", "2023-05-10", kToday).ok());
}

TEST(CheckFilingTest, ADeregisteredOrganisationTakesNoFurtherEvents) {
  OrgState s = Registered();
  s.status = OrgStatus::kDeregistered;
  s.deregistered_on = D(2023, 3, 1);
  const EventDraft change = *ValidateChange(kFiling, {.name = "新名"}, kToday);
  const absl::Status st = CheckFiling(s, change);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Message(st),
            "organisation_id: the organisation was deregistered on 2023-03-01; it takes no "
            "further events");
  s.status = OrgStatus::kPendingEstablishment;
  EXPECT_EQ(Message(CheckFiling(s, change)),
            "organisation_id: the organisation's establishment is not approved yet");
  s = Registered();
  s.event_pending = true;
  EXPECT_EQ(CheckFiling(s, change).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckFiling(Registered(), change).ok());
  const EventDraft early = *ValidateChange({"2018-04-30", {"x"}}, {.name = "新名"}, kToday);
  EXPECT_EQ(Message(CheckFiling(Registered(), early)),
            "event_date: must not be before the establishment on 2018-05-01");
}

TEST(CheckFilingTest, AReElectionNeedsAPreviousTermAndALaterStart) {
  const EventDraft next = *ValidateReElection(kFiling, "2023-05-01", "2028-04-30", kToday);
  const absl::Status none = CheckFiling(Registered(std::nullopt), next);
  EXPECT_EQ(none.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(Message(none), "term_start: no previous term is on record")) << none;
  EXPECT_TRUE(CheckFiling(Registered(), next).ok());
  const EventDraft same = *ValidateReElection(kFiling, "2018-05-01", "2023-04-30", kToday);
  EXPECT_EQ(Message(CheckFiling(Registered(), same)),
            "term_start: must be after the previous term's start 2018-05-01");
  EXPECT_EQ(Message(ValidateReElection(kFiling, "2023-05-01", "2028-05-02", kToday).status()),
            "term_end: a term lasts at most 5 years (until 2028-05-01)");
}

TEST(CheckFilingTest, ARenewalExtendsTheCertificate) {
  const EventDraft shorter = *ValidateCertificateRenewal(kFiling, "2023-12-31", kToday);
  EXPECT_EQ(Message(CheckFiling(Registered(), shorter)),
            "certificate_valid_until: must be after the current certificate's 2023-12-31");
  EXPECT_TRUE(
      CheckFiling(Registered(), *ValidateCertificateRenewal(kFiling, "2028-12-31", kToday)).ok());
}

TEST(DecisionTest, MakerIsNotCheckerAndNotBeforeTheEvent) {
  EXPECT_EQ(
      CheckDecision(EventStatus::kPending, "clerk", "clerk", D(2023, 5, 1), D(2023, 5, 2)).code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Message(CheckDecision(EventStatus::kPending, "clerk", "reviewer", D(2023, 5, 2),
                                  D(2023, 5, 1))),
            "decision_date: must not be before the event date 2023-05-02");
  EXPECT_EQ(Message(CheckDecision(EventStatus::kApproved, "clerk", "reviewer", D(2023, 5, 1),
                                  D(2023, 5, 1))),
            "event_id: the event is APPROVED, not pending");
  EXPECT_TRUE(
      CheckDecision(EventStatus::kPending, "clerk", "reviewer", D(2023, 5, 1), D(2023, 5, 1)).ok());
}

TEST(AppliedTest, EachApprovedEventMovesTheState) {
  OrgState pending;
  EventDraft establishment;
  establishment.kind = EventKind::kEstablishment;
  establishment.date = D(2023, 3, 1);
  establishment.term = Term{D(2023, 3, 1), D(2028, 2, 28)};
  ASSERT_TRUE(CheckApprovable(pending, EventKind::kEstablishment).ok());
  OrgState s = Applied(pending, establishment);
  EXPECT_EQ(s.status, OrgStatus::kRegistered);
  EXPECT_EQ(s.established_on, D(2023, 3, 1));
  EXPECT_EQ(s.term->end, D(2028, 2, 28));
  EXPECT_EQ(CheckApprovable(s, EventKind::kEstablishment).code(),
            absl::StatusCode::kFailedPrecondition);

  s = Applied(s, *ValidateReElection(kFiling, "2023-05-01", "2028-04-30", kToday));
  EXPECT_EQ(s.term->start, D(2023, 5, 1));
  s = Applied(s, *ValidateCertificateRenewal(kFiling, "2028-12-31", kToday));
  EXPECT_EQ(s.certificate_valid_until, D(2028, 12, 31));
  s = Applied(s, *ValidateDeregistration(kFiling, "清算组报告", "2023-05-01", kToday));
  EXPECT_EQ(s.status, OrgStatus::kDeregistered);
  EXPECT_EQ(s.deregistered_on, D(2023, 5, 10));
  EXPECT_EQ(CheckApprovable(s, EventKind::kChange).code(), absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(AfterRejection(pending, EventKind::kEstablishment).status, OrgStatus::kRefused);
  EXPECT_EQ(AfterRejection(Registered(), EventKind::kChange).status, OrgStatus::kRegistered);
}

TEST(OverdueTest, ATermEndedBeforeTheDayIsOverdue) {
  const std::optional<Term> term = Term{D(2018, 5, 1), D(2023, 4, 30)};
  EXPECT_EQ(ReElectionDaysOverdue(term, D(2023, 4, 30)), 0);
  EXPECT_EQ(ReElectionDaysOverdue(term, D(2023, 5, 1)), 1);
  EXPECT_EQ(ReElectionDaysOverdue(term, D(2023, 6, 30)), 61);
  EXPECT_EQ(ReElectionDaysOverdue(std::nullopt, D(2023, 6, 30)), 0);
}

TEST(ReopenRejectedEventTest,
     ARefusedRegistrationWaitsAgainOtherEventsNeedARegisteredOrganisation) {
  OrgState refused;
  refused.status = OrgStatus::kRefused;
  EXPECT_EQ(*ReopenRejectedEvent(EventStatus::kRejected, EventKind::kEstablishment, refused),
            OrgStatus::kPendingEstablishment);
  EXPECT_EQ(*ReopenRejectedEvent(EventStatus::kRejected, EventKind::kChange, Registered()),
            OrgStatus::kRegistered);
  // A second reopening finds it pending (or decided again): nothing to reopen.
  for (EventStatus st : {EventStatus::kPending, EventStatus::kApproved}) {
    const absl::StatusOr<OrgStatus> r = ReopenRejectedEvent(st, EventKind::kEstablishment, refused);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(absl::StrContains(r.status().message(), "not rejected")) << r.status();
  }
  // Another event waits for a decision; the organisation was deregistered meanwhile.
  OrgState busy = Registered();
  busy.event_pending = true;
  EXPECT_EQ(ReopenRejectedEvent(EventStatus::kRejected, EventKind::kChange, busy).status().code(),
            absl::StatusCode::kFailedPrecondition);
  OrgState closed = Registered();
  closed.status = OrgStatus::kDeregistered;
  const absl::StatusOr<OrgStatus> r =
      ReopenRejectedEvent(EventStatus::kRejected, EventKind::kReElection, closed);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "DEREGISTERED")) << r.status();
}

}  // namespace
}  // namespace civil::socialorg
