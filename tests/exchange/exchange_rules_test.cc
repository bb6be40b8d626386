// The exchange's rules, alone: batches, readable notices and moves (each fault naming its
// field), and what a notice, a move or a certificate event means against what the platform already
// knows.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/exchange/death_notice.h"
#include "services/exchange/disability_certificate.h"
#include "services/exchange/inbound.h"
#include "services/exchange/monitoring.h"
#include "services/exchange/move_out.h"
#include "services/exchange/registry.h"
#include "tests/support/test_ids.h"

namespace civil::exchange {
namespace {

using civil::affairs::testing::Id;

const absl::CivilDay kToday(2023, 7, 15);

std::string MessageOf(const absl::Status& s) { return std::string(s.message()); }

TEST(ExchangeBatchTest, NeedsAnIdAndOneToAThousandRecords) {
  EXPECT_EQ(*ValidBatch(" GA-2023-07-15 ", 3, "notices"), "GA-2023-07-15");
  EXPECT_EQ(MessageOf(ValidBatch("", 3, "notices").status()), "batch_id: is required");
  EXPECT_EQ(ValidBatch(std::string(65, 'x'), 3, "notices").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(ValidBatch("b", 0, "notices").status()),
            "notices: a batch needs at least one record");
  EXPECT_EQ(MessageOf(ValidBatch("b", kMaxBatchRecords + 1, "moves").status()),
            "moves: at most 1000 records per batch");
  EXPECT_TRUE(ValidBatch("b", kMaxBatchRecords, "moves").ok());
}

TEST(ExchangeBatchTest, SourcesAndTheirRoles) {
  EXPECT_EQ(*SourceFromNumber(1), Source::kPublicSecurity);
  EXPECT_EQ(*SourceFromNumber(2), Source::kHealth);
  EXPECT_EQ(MessageOf(SourceFromNumber(0).status()), "source: is required");
  EXPECT_EQ(MessageOf(SourceFromNumber(7).status()), "source: unknown value 7");
  EXPECT_EQ(SourceRole(Source::kPublicSecurity), "exchange.public_security");
  EXPECT_EQ(SourceRole(Source::kHealth), "exchange.health");
  EXPECT_EQ(*SourceFromName(SourceName(Source::kHealth)), Source::kHealth);
  EXPECT_EQ(DeathRecordKind(Source::kPublicSecurity), "HOUSEHOLD_DEREGISTRATION");
  EXPECT_EQ(DeathRecordKind(Source::kHealth), "DEATH_CERTIFICATE");
}

TEST(ExchangeBatchTest, ARejectedResultNamesTheFieldAndTheCode) {
  RecordResult r =
      Rejected(4, "GA-9", absl::InvalidArgumentError("date_of_death: must not be in the future"));
  EXPECT_EQ(r.index, 4);
  EXPECT_EQ(r.outcome, Outcome::kRejected);
  EXPECT_EQ(r.field, "date_of_death");
  EXPECT_EQ(r.code, "INVALID_ARGUMENT");
  RecordResult scope = Rejected(0, "x", absl::PermissionDeniedError("region_code: outside"));
  EXPECT_EQ(scope.field, "region_code");
  EXPECT_EQ(scope.code, "PERMISSION_DENIED");
  Tally t;
  t.Add(r);
  RecordResult again;
  again.outcome = Outcome::kAccepted;
  again.resent = true;
  t.Add(again);
  again.resent = false;
  t.Add(again);
  EXPECT_EQ(t.rejected, 1);
  EXPECT_EQ(t.resent, 1);
  EXPECT_EQ(t.accepted, 1);
}

DeathNoticeInput Notice() {
  return {"GA-1", Id("19400101", true, 1), "2023-07-01", "340722100001"};
}

TEST(DeathNoticeTest, AReadableNotice) {
  absl::StatusOr<DeathNotice> n = ValidDeathNotice(Notice(), kToday);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->died, absl::CivilDay(2023, 7, 1));
  EXPECT_EQ(n->region.value(), "340722100001");
  EXPECT_EQ(n->source_record_id, "GA-1");
  DeathNoticeInput today = Notice();
  today.date_of_death = "2023-07-15";
  EXPECT_TRUE(ValidDeathNotice(today, kToday).ok());
}

TEST(DeathNoticeTest, EachFaultNamesItsField) {
  auto fault = [](auto change) {
    DeathNoticeInput in = Notice();
    change(in);
    return MessageOf(ValidDeathNotice(in, kToday).status());
  };
  EXPECT_EQ(fault([](auto& in) { in.source_record_id = ""; }), "source_record_id: is required");
  EXPECT_EQ(fault([](auto& in) { in.id_number = ""; }), "id_number: is required");
  EXPECT_EQ(fault([](auto& in) {
              in.id_number[17] = in.id_number[17] == '1' ? '2' : '1';
            }).rfind("id_number: ", 0),
            0u);
  EXPECT_EQ(fault([](auto& in) { in.date_of_death = ""; }), "date_of_death: is required");
  EXPECT_EQ(fault([](auto& in) { in.date_of_death = "2023-7-1"; }).rfind("date_of_death: ", 0), 0u);
  EXPECT_EQ(fault([](auto& in) { in.date_of_death = "2023-07-16"; }),
            "date_of_death: must not be in the future");
  EXPECT_EQ(fault([](auto& in) { in.date_of_death = "1939-12-31"; }),
            "date_of_death: must not be before the birth date in id_number");
  EXPECT_EQ(fault([](auto& in) { in.region_code = "3407"; }).rfind("region_code: ", 0), 0u);
}

TEST(DeathNoticeTest, OneDeathHoweverManyReportIt) {
  const absl::CivilDay day(2023, 7, 1);
  EXPECT_EQ(DecideDeathNotice(std::nullopt, day), Outcome::kAccepted);
  EXPECT_EQ(DecideDeathNotice(KnownDeath{day}, day), Outcome::kDuplicate);
  EXPECT_EQ(DecideDeathNotice(KnownDeath{day}, day - 1), Outcome::kConflict);
  EXPECT_EQ(DecideDeathNotice(KnownDeath{day}, day + 1), Outcome::kConflict);
  // Known dead by a day (a 低保 exit for death): an earlier exact day is the day itself.
  EXPECT_EQ(DecideDeathNotice(KnownDeath{day, true}, day - 5), Outcome::kAccepted);
  EXPECT_EQ(DecideDeathNotice(KnownDeath{day, true}, day), Outcome::kDuplicate);
  EXPECT_EQ(DecideDeathNotice(KnownDeath{day, true}, day + 1), Outcome::kConflict);
}

MoveOutInput Move() {
  return {"GA-M1", Id("19500101", false, 2), "2023-06-30", "340722100001", "合肥市蜀山区"};
}

TEST(MoveOutTest, AReadableMoveAndItsFaults) {
  absl::StatusOr<MoveOut> m = ValidMoveOut(Move(), kToday);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->moved_out_on, absl::CivilDay(2023, 6, 30));
  EXPECT_EQ(m->destination, "合肥市蜀山区");
  auto fault = [](auto change) {
    MoveOutInput in = Move();
    change(in);
    return MessageOf(ValidMoveOut(in, kToday).status());
  };
  EXPECT_EQ(fault([](auto& in) { in.moved_out_on = "2023-07-16"; }),
            "moved_out_on: must not be in the future");
  EXPECT_EQ(fault([](auto& in) { in.moved_out_on = ""; }), "moved_out_on: is required");
  EXPECT_EQ(
      fault([](auto& in) { in.destination = std::string(201, 'x'); }).rfind("destination: ", 0),
      0u);
  EXPECT_EQ(fault([](auto& in) {
              in.source_record_id = std::string(65, 'x');
            }).rfind("source_record_id: ", 0),
            0u);
  MoveOutInput no_destination = Move();
  no_destination.destination = "";
  EXPECT_TRUE(ValidMoveOut(no_destination, kToday).ok());
}

TEST(MoveOutTest, TheSameMoveTwiceIsADuplicateAndBenefitsStopTheMonthAfter) {
  const absl::CivilDay day(2023, 6, 30);
  EXPECT_EQ(DecideMoveOut({}, day), Outcome::kAccepted);
  EXPECT_EQ(DecideMoveOut({day}, day), Outcome::kDuplicate);
  EXPECT_EQ(DecideMoveOut({absl::CivilDay(2020, 1, 1)}, day), Outcome::kAccepted);
  EXPECT_EQ(MoveOutStopMonth(day), absl::CivilMonth(2023, 7));
  EXPECT_EQ(MoveOutStopMonth(absl::CivilDay(2023, 12, 1)), absl::CivilMonth(2024, 1));
}

TEST(ExchangeBatchTest, TheFederationIsAThirdSource) {
  EXPECT_EQ(*SourceFromNumber(3), Source::kDisabledFederation);
  EXPECT_EQ(SourceRole(Source::kDisabledFederation), "exchange.disabled_federation");
  EXPECT_EQ(*SourceFromName("DISABLED_FEDERATION"), Source::kDisabledFederation);
  EXPECT_EQ(RecordKindFromName(RecordKindName(RecordKind::kDisabilityCertificate)),
            RecordKind::kDisabilityCertificate);
}

CertificateInput Cert() {
  return {"CL-1",       Id("19700101", true, 1), "34072219700101001X42", 4, 2, 1,
          "2023-07-01", "340722100001"};
}

TEST(DisabilityCertificateTest, AReadableEventNamesEachFaultsField) {
  absl::StatusOr<Certificate> ok = ValidCertificate(Cert(), kToday);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->category, "PHYSICAL");
  EXPECT_EQ(ok->grade, 2);
  EXPECT_EQ(ok->event, CertificateEvent::kIssued);
  auto fault = [](auto change) {
    CertificateInput in = Cert();
    change(in);
    return MessageOf(ValidCertificate(in, kToday).status());
  };
  EXPECT_EQ(fault([](auto& in) { in.certificate_number = ""; }), "certificate_number: is required");
  EXPECT_EQ(fault([](auto& in) { in.certificate_number = "34-07"; }),
            "certificate_number: letters and digits only");
  EXPECT_EQ(fault([](auto& in) { in.certificate_number = std::string(33, '1'); }),
            "certificate_number: at most 32 letters and digits");
  EXPECT_EQ(fault([](auto& in) { in.event = 0; }), "event: is required");
  EXPECT_EQ(fault([](auto& in) { in.event = 9; }), "event: unknown value");
  EXPECT_EQ(fault([](auto& in) { in.type = 0; }), "type: is required");
  EXPECT_EQ(fault([](auto& in) { in.type = 8; }), "type: unknown value");
  EXPECT_EQ(fault([](auto& in) { in.grade = 0; }), "grade: is required");
  EXPECT_EQ(fault([](auto& in) { in.grade = 5; }), "grade: must be from 1 to 4");
  EXPECT_EQ(fault([](auto& in) { in.event_date = "2023-07-16"; }),
            "event_date: must not be in the future");
  EXPECT_EQ(fault([](auto& in) { in.event_date = "1969-12-31"; }),
            "event_date: must not be before the birth date in id_number");
  EXPECT_EQ(fault([](auto& in) { in.id_number = "340722"; }).rfind("id_number: ", 0), 0u);
  EXPECT_EQ(fault([](auto& in) { in.region_code = "34"; }).rfind("region_code: ", 0), 0u);
  // A revocation may name no type or grade.
  CertificateInput revoke = Cert();
  revoke.event = 3;
  revoke.type = 0;
  revoke.grade = 0;
  ASSERT_TRUE(ValidCertificate(revoke, kToday).ok());
  EXPECT_EQ(ValidCertificate(revoke, kToday)->category, "");
}

TEST(DisabilityCertificateTest, OnlyAChangeOfWhatIsKnownIsAccepted) {
  Certificate issued = *ValidCertificate(Cert(), kToday);
  EXPECT_EQ(DecideCertificate(std::nullopt, issued), Outcome::kAccepted);
  const KnownCertificate known{"34072219700101001X42", "PHYSICAL", 2, false,
                               absl::CivilDay(2023, 7, 1)};
  EXPECT_EQ(DecideCertificate(known, issued), Outcome::kDuplicate);
  Certificate changed = issued;
  changed.event = CertificateEvent::kChanged;
  changed.grade = 3;
  EXPECT_EQ(DecideCertificate(known, changed), Outcome::kAccepted);
  changed.event_date = absl::CivilDay(2023, 6, 1);
  EXPECT_EQ(DecideCertificate(known, changed), Outcome::kConflict) << "dated before the known";
  Certificate revoked = issued;
  revoked.event = CertificateEvent::kRevoked;
  EXPECT_EQ(DecideCertificate(known, revoked), Outcome::kAccepted);
  KnownCertificate gone = known;
  gone.revoked = true;
  EXPECT_EQ(DecideCertificate(gone, revoked), Outcome::kDuplicate);
  EXPECT_EQ(DecideCertificate(gone, issued), Outcome::kAccepted) << "certified again";
  revoked.certificate_number = "OLD1";
  EXPECT_EQ(DecideCertificate(known, revoked), Outcome::kDuplicate) << "not the current one";
  EXPECT_EQ(CertificateStopMonth(absl::CivilDay(2023, 12, 31)), absl::CivilMonth(2024, 1));
}

MonitoringInput Monitored() {
  return {"XC-1", Id("19800101", false, 2), "王某", "340722100", 2, "2023-07-01"};
}

TEST(MonitoringObjectTest, AReadableObjectNamesEachFaultsField) {
  absl::StatusOr<MonitoringObject> ok = ValidMonitoringObject(Monitored(), kToday);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->category, "MARGINAL");
  EXPECT_EQ(*SourceFromNumber(4), Source::kRuralRevitalisation);
  EXPECT_EQ(SourceRole(Source::kRuralRevitalisation), "exchange.rural_revitalisation");
  auto fault = [](auto change) {
    MonitoringInput in = Monitored();
    change(in);
    return MessageOf(ValidMonitoringObject(in, kToday).status());
  };
  EXPECT_EQ(fault([](auto& in) { in.name = ""; }), "name: is required");
  EXPECT_EQ(fault([](auto& in) {
              in.household_region_code = "340722";
            }).rfind("household_region_code: ", 0),
            0u)
      << "a county is no township";
  EXPECT_EQ(fault([](auto& in) { in.category = 0; }), "category: is required");
  EXPECT_EQ(fault([](auto& in) { in.category = 4; }), "category: unknown value");
  EXPECT_EQ(fault([](auto& in) { in.identified_on = "2023-07-16"; }),
            "identified_on: must not be in the future");
  EXPECT_EQ(fault([](auto& in) { in.identified_on = ""; }), "identified_on: is required");
  EXPECT_EQ(fault([](auto& in) { in.id_number = "1"; }).rfind("id_number: ", 0), 0u);
}

TEST(MonitoringObjectTest, ACandidateWaitingOrTheSameIdentificationIsADuplicate) {
  const absl::CivilDay day(2023, 7, 1), earlier(2022, 3, 1);
  EXPECT_EQ(DecideMonitoringObject({}, day), Outcome::kAccepted);
  EXPECT_EQ(DecideMonitoringObject({{earlier, false}}, day), Outcome::kDuplicate);
  EXPECT_EQ(DecideMonitoringObject({{day, true}}, day), Outcome::kDuplicate);
  EXPECT_EQ(DecideMonitoringObject({{earlier, true}}, day), Outcome::kAccepted)
      << "identified again after a check";
}

TEST(MonitoringObjectTest, ACheckNeedsAnOutcomeAndANoteAndHappensOnce) {
  absl::StatusOr<MonitoringCheck> check = ValidMonitoringCheck(1, "纳入低保", "", kToday);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->outcome, "ENROLLED");
  EXPECT_EQ(check->checked_on, kToday);
  EXPECT_EQ(MessageOf(ValidMonitoringCheck(0, "n", "", kToday).status()), "outcome: is required");
  EXPECT_EQ(MessageOf(ValidMonitoringCheck(7, "n", "", kToday).status()), "outcome: unknown value");
  EXPECT_EQ(MessageOf(ValidMonitoringCheck(2, " ", "", kToday).status()),
            "note: a check needs a note of what was found");
  EXPECT_EQ(ValidMonitoringCheck(2, "n", "2023-07-16", kToday).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckMonitoringCheckAllowed(false, absl::CivilDay(2023, 7, 1), *check).ok());
  EXPECT_EQ(CheckMonitoringCheckAllowed(true, absl::CivilDay(2023, 7, 1), *check).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(MessageOf(CheckMonitoringCheckAllowed(false, absl::CivilDay(2023, 7, 16), *check)),
            "checked_on: must not be before the identification on 2023-07-16");
}

TEST(RegistrySearchTest, OnlyAnsweredFactsWithinTheCallersRegion) {
  DepartmentReply assistance{"assistance", true, "", {}};
  assistance.facts.push_back(
      {"PROGRAMME_DIBAO", "e1", true, std::nullopt, std::nullopt, "340722100001"});
  assistance.facts.push_back(
      {"PROGRAMME_TEKUN", "e2", false, std::nullopt, std::nullopt, "340722200001"});
  assistance.facts.push_back({"PROGRAMME_LINSHI", "e3", false, std::nullopt, std::nullopt, ""});
  DepartmentReply affairs{"affairs", false, "DEADLINE_EXCEEDED", {}};
  affairs.facts.push_back(
      {"DISABILITY_CARE_SUBSIDY", "s1", true, std::nullopt, std::nullopt, "340722100001"});
  EXPECT_EQ(FactsInScope({assistance, affairs}, "").size(), 3u) << "county: every answered fact";
  const auto township = FactsInScope({assistance, affairs}, "340722100");
  ASSERT_EQ(township.size(), 1u);
  EXPECT_EQ(township[0].first, "assistance");
  EXPECT_EQ(township[0].second.enrolment_id, "e1");
}

TEST(DeathConflictTest, OnlyAnEarlierReportedDayIsPublishedWhenSettled) {
  const absl::CivilDay known(2023, 6, 21);
  EXPECT_FALSE(
      *SettlementPublishes(ConflictDecision::kKnownDateStands, known - 20, KnownDeath{known}));
  EXPECT_TRUE(
      *SettlementPublishes(ConflictDecision::kReportedDateCorrect, known - 20, KnownDeath{known}));
  // Settled meanwhile to the same day: nothing more to publish.
  EXPECT_FALSE(
      *SettlementPublishes(ConflictDecision::kReportedDateCorrect, known, KnownDeath{known}));
  const absl::StatusOr<bool> later =
      SettlementPublishes(ConflictDecision::kReportedDateCorrect, known + 1, KnownDeath{known});
  EXPECT_EQ(later.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(later.status().message(), "decision: the reported day 2023-06-22"));
  // The known date standing never fails, even for a later reported day.
  EXPECT_FALSE(
      *SettlementPublishes(ConflictDecision::kKnownDateStands, known + 1, KnownDeath{known}));
  EXPECT_EQ(*ConflictDecisionFromName(ConflictDecisionName(ConflictDecision::kReportedDateCorrect)),
            ConflictDecision::kReportedDateCorrect);
}

}  // namespace
}  // namespace civil::exchange
