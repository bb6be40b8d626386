// Grievances in assistance on real PostgreSQL and Redis: the kit's mechanism (grievance_store.h)
// with assistance's reopen hooks — a rejected application back to investigation, an exit
// reversed with its back-payment paid once — and region scope of the worklist.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "civil/events/v1/events.pb.h"
#include "civil/grievance/v1/grievance.grpc.pb.h"
#include "tests/support/assistance_testbed.h"

namespace civil::assistance {
namespace {

namespace gv1 = civil::grievance::v1;
using testbed::As;
using testbed::AssistanceTestbed;
using testbed::IdNumber;
using testbed::kClerk;
using testbed::kReviewer;
using testbed::Who;

const Who kReviewer2{"reviewer-2", "assistance.reviewer", "340722"};
const Who kOtherClerk{"clerk-b", "assistance.clerk", "340722200"};
const Who kOtherReviewer{"reviewer-3", "assistance.reviewer", "340722200"};

class GrievanceIntegrationTest : public AssistanceTestbed {
 protected:
  absl::CivilDay today_{2023, 10, 20};
  void SetUp() override {
    clock_ = [this] { return today_; };  // 2023-10-20 unless a test moves it on
    AssistanceTestbed::SetUp();
    SetStandards({{v1::PROGRAMME_DIBAO, civil::common::v1::AREA_RURAL, 64000}});
    grievances_ = civil::grievance::v1::GrievanceService::NewStub(host_->Channel());
  }

  // Files a reconsideration of `case_kind` `case_id` received on `received`, assigns and answers
  // it; returns it.
  gv1::Grievance Answered(const std::string& case_kind, const std::string& case_id,
                          const std::string& received, const Who& clerk = kClerk) {
    gv1::CreateGrievanceRequest create;
    create.set_department("assistance");
    create.set_kind(gv1::RECONSIDERATION);
    create.set_case_kind(case_kind);
    create.set_case_id(case_id);
    create.set_complainant("申请人");
    create.set_category("低保认定");
    create.set_received_on(received);
    gv1::CreateGrievanceResponse created;
    grpc::Status s = grievances_->CreateGrievance(As(clerk).get(), create, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    gv1::AssignGrievanceRequest assign;
    assign.set_department("assistance");
    assign.set_grievance_id(created.grievance().grievance_id());
    assign.set_assignee("handler-1");
    gv1::AssignGrievanceResponse assigned;
    s = grievances_->AssignGrievance(As(clerk).get(), assign, &assigned);
    EXPECT_TRUE(s.ok()) << s.error_message();
    gv1::RespondGrievanceRequest respond;
    respond.set_department("assistance");
    respond.set_grievance_id(created.grievance().grievance_id());
    respond.set_response("经复查，收入核算有误");
    gv1::RespondGrievanceResponse responded;
    s = grievances_->RespondGrievance(As(clerk).get(), respond, &responded);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return responded.grievance();
  }

  grpc::Status Decide(const std::string& id, gv1::GrievanceOutcome outcome, const Who& who,
                      gv1::Grievance* out) {
    gv1::DecideGrievanceRequest request;
    request.set_department("assistance");
    request.set_grievance_id(id);
    request.set_outcome(outcome);
    request.set_reason(outcome == gv1::UPHELD ? "" : "依据充分");
    gv1::DecideGrievanceResponse response;
    grpc::Status s = grievances_->DecideGrievance(As(who).get(), request, &response);
    *out = response.grievance();
    return s;
  }

  grpc::Status Confirm(const std::string& id, const Who& who, gv1::Grievance* out) {
    gv1::ConfirmGrievanceRequest request;
    request.set_department("assistance");
    request.set_grievance_id(id);
    gv1::ConfirmGrievanceResponse response;
    grpc::Status s = grievances_->ConfirmGrievance(As(who).get(), request, &response);
    *out = response.grievance();
    return s;
  }

  std::unique_ptr<civil::grievance::v1::GrievanceService::Stub> grievances_;
};

TEST_F(GrievanceIntegrationTest,
       UpheldReconsiderationSendsARejectedApplicationBackToInvestigation) {
  const v1::Household h = NewHousehold("340722100001", {{IdNumber(11, 1960, "0101"), 1}});
  const std::string app = Investigated(h, v1::PROGRAMME_DIBAO, 0, "2023-09-01");
  v1::RejectApplicationRequest reject;
  reject.set_application_id(app);
  reject.set_reason("收入超标");
  reject.set_decided_on("2023-09-05");
  v1::RejectApplicationResponse rejected;
  ASSERT_TRUE(application_->RejectApplication(As(kReviewer).get(), reject, &rejected).ok());

  const gv1::Grievance g = Answered("APPLICATION", app, "2023-09-28");
  // 15 working days from Thursday 28 September over the National Day week and its make-up
  // weekend (7–8 October): 7, 8, 9 … 25 October.
  EXPECT_EQ(g.deadline(), "2023-10-25");
  gv1::Grievance decided;
  ASSERT_TRUE(Decide(g.grievance_id(), gv1::UPHELD, kReviewer, &decided).ok());
  EXPECT_EQ(decided.status(), gv1::CLOSED);
  EXPECT_EQ(decided.reopened(), "application back to investigation");

  EXPECT_EQ(Exec1("SELECT status FROM applications WHERE application_id = '" + app + "'"),
            "SUBMITTED");
  // The rejection stays in the history, followed by the reopening.
  EXPECT_EQ(Exec1("SELECT string_agg(action, ',' ORDER BY history_id) FROM application_history "
                  "WHERE application_id = '" +
                  app + "'"),
            "SUBMITTED,INVESTIGATED,REJECTED,REOPENED");
  // Investigation runs again.
  v1::InvestigateApplicationRequest investigate;
  investigate.set_application_id(app);
  investigate.set_household_monthly_income_fen(0);
  investigate.set_assets_within_limits(true);
  investigate.set_visit_note("复查入户");
  v1::InvestigateApplicationResponse investigated;
  grpc::Status s =
      application_->InvestigateApplication(As(kClerk).get(), investigate, &investigated);
  EXPECT_TRUE(s.ok()) << s.error_message();
  // A second upheld outcome has nothing left to decide.
  gv1::Grievance again;
  EXPECT_EQ(Decide(g.grievance_id(), gv1::UPHELD, kReviewer, &again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(GrievanceIntegrationTest, ReversedExitKeepsHistoryAndPaysTheDifferenceOnce) {
  const v1::Household h = NewHousehold("340722100002", {{IdNumber(12, 1958, "0202"), 1}});
  const v1::Enrolment e = Enrol(h, v1::PROGRAMME_DIBAO, 0, "2023-06-01", "2023-06-10");
  ASSERT_FALSE(e.enrolment_id().empty());
  const std::string id = e.enrolment_id();
  v1::RunDisbursementResponse paid;
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-07", &paid).ok());
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-08", &paid).ok());
  v1::ExitEnrolmentRequest exit;
  exit.set_enrolment_id(id);
  exit.set_reason(v1::EXIT_REASON_INELIGIBLE_INCOME);
  exit.set_effective_month("2023-09");
  exit.set_note("收入超标");
  exit.set_decided_on("2023-08-25");
  v1::ExitEnrolmentResponse exited;
  ASSERT_TRUE(enrolment_->ExitEnrolment(As(kReviewer).get(), exit, &exited).ok());
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-09", &paid).ok());
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-10", &paid).ok());
  const std::string regular = Exec1("SELECT amount_fen FROM payments WHERE enrolment_id = '" + id +
                                    "' AND month = '2023-07-01'");
  ASSERT_FALSE(regular.empty());
  const std::string payments = "SELECT count(*) FROM payments WHERE enrolment_id = '" + id + "'";
  ASSERT_EQ(Count(payments), 2);

  const gv1::Grievance g = Answered("ENROLMENT", id, "2023-09-01");
  gv1::Grievance decided;
  ASSERT_TRUE(Decide(g.grievance_id(), gv1::UPHELD, kReviewer, &decided).ok());
  // Reinstating pays money: nothing happens before a second reviewer confirms.
  EXPECT_EQ(decided.status(), gv1::AWAITING_CONFIRMATION);
  EXPECT_EQ(Count(payments), 2);
  gv1::Grievance confirmed;
  EXPECT_EQ(Confirm(g.grievance_id(), kReviewer, &confirmed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status s = Confirm(g.grievance_id(), kReviewer2, &confirmed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(confirmed.status(), gv1::CLOSED);
  EXPECT_EQ(confirmed.confirmed_by(), "reviewer-2");

  EXPECT_EQ(Exec1("SELECT status FROM enrolments WHERE enrolment_id = '" + id + "'"), "ACTIVE");
  // The exit stays in the history, followed by its reversal.
  const std::string history = Exec1(
      "SELECT string_agg(action, ',' ORDER BY history_id) FROM enrolment_history "
      "WHERE enrolment_id = '" +
      id + "'");
  EXPECT_TRUE(absl::EndsWith(history, "ENDED,EXIT_REVERSED")) << history;
  // The exit's EnrolmentEnded no longer holds: its reinstatement is in the outbox, in the same
  // transaction, once for the member who came back.
  const std::string reinstated_rows =
      "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.EnrolmentReinstated'";
  ASSERT_EQ(Count(reinstated_rows), 1);
  {
    pqxx::connection c(*dsn_);
    pqxx::nontransaction txn(c);
    const pqxx::row row = txn.exec1(
        "SELECT envelope FROM outbox WHERE event_type = 'civil.events.v1.EnrolmentReinstated'");
    const pqxx::binarystring bytes(row[0]);
    civil::events::v1::Envelope envelope;
    ASSERT_TRUE(envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
    civil::events::v1::EnrolmentReinstated reinstated;
    ASSERT_TRUE(envelope.payload().UnpackTo(&reinstated));
    EXPECT_EQ(reinstated.enrolment_id(), id);
    EXPECT_EQ(reinstated.programme(), "PROGRAMME_DIBAO");
    EXPECT_EQ(reinstated.reversed_reason(), "EXIT_REASON_INELIGIBLE_INCOME");
    EXPECT_EQ(reinstated.effective_month(), "2023-09");  // the EnrolmentEnded's month
    EXPECT_EQ(reinstated.grievance_id(), g.grievance_id());
    EXPECT_FALSE(envelope.subject_index().empty());
  }
  // September and October, which the runs paid without it, each get one adjustment of the
  // full month.
  EXPECT_EQ(Count(payments + " AND kind = 'ADJUSTMENT'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM (SELECT month FROM payments WHERE enrolment_id = '" + id +
                  "' GROUP BY month HAVING sum(amount_fen) = " + regular + ") m"),
            4);

  // Paid once: the runs again, and the grievance again, add nothing.
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-09", &paid).ok());
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-10", &paid).ok());
  EXPECT_EQ(Confirm(g.grievance_id(), kReviewer2, &confirmed).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count(payments), 4);
  // An active enrolment has no exit to reverse.
  const gv1::Grievance second = Answered("ENROLMENT", id, "2023-10-09");
  gv1::Grievance upheld;
  ASSERT_TRUE(Decide(second.grievance_id(), gv1::UPHELD, kReviewer, &upheld).ok());
  EXPECT_EQ(Confirm(second.grievance_id(), kReviewer2, &confirmed).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count(payments), 4);
  // The failed confirmation changed nothing; the reviewer closes it otherwise.
  gv1::Grievance dismissed;
  ASSERT_TRUE(Decide(second.grievance_id(), gv1::DISMISSED, kReviewer, &dismissed).ok());
  EXPECT_EQ(dismissed.status(), gv1::CLOSED);
  EXPECT_EQ(Count(reinstated_rows), 1);  // nothing published again

  // The next batch of 低保 in the region settles the two back-payments: its bank file pays
  // November and then September and October, marked 补发; the batch after settles none.
  today_ = absl::CivilDay(2023, 12, 5);
  v1::RunDisbursementResponse november;
  s = Pay(v1::PROGRAMME_DIBAO, "2023-11", &november);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(november.created());
  EXPECT_EQ(november.batch().adjustments_settled(), 2);
  EXPECT_EQ(november.batch().adjustments_fen(), 2 * std::stoll(regular));
  v1::ExportBankFileRequest bank;
  bank.set_batch_id(november.batch().batch_id());
  bank.set_region_prefix("340722100002");  // this household's village
  v1::ExportBankFileResponse file;
  s = bank_file_->ExportBankFile(As(kReviewer).get(), bank, &file);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(file.rows(), 3);
  const std::vector<std::string> lines = absl::StrSplit(file.content(), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << file.content();
  EXPECT_FALSE(absl::StrContains(lines[1], "(补发)")) << lines[1];
  EXPECT_TRUE(absl::StrContains(lines[2], ",2023-09,") && absl::EndsWith(lines[2], "(补发)"))
      << lines[2];
  EXPECT_TRUE(absl::StrContains(lines[3], ",2023-10,") && absl::EndsWith(lines[3], "(补发)"))
      << lines[3];
  v1::RunDisbursementResponse december;
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-12", &december).ok());
  EXPECT_EQ(december.batch().adjustments_settled(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM adjustment_settlements"), 2);
}

// The worklist is nearest deadline first, whatever order the grievances came in, also across
// pages: a 12345 item received on 20 September is due on the 27th, one received earlier, on 1
// September, is due on the 8th and comes first.
TEST_F(GrievanceIntegrationTest, TheWorklistIsNearestDeadlineFirstAcrossPages) {
  const v1::Household here = NewHousehold("340722100009", {{IdNumber(19, 1956, "0404"), 1}});
  const std::string app = Investigated(here, v1::PROGRAMME_DIBAO, 0, "2023-09-01");
  auto file = [&](const std::string& received) {
    gv1::CreateGrievanceRequest create;
    create.set_department("assistance");
    create.set_kind(gv1::HOTLINE_12345);
    create.set_case_kind("APPLICATION");
    create.set_case_id(app);
    create.set_complainant("来电人");
    create.set_category("办理进度");
    create.set_received_on(received);
    gv1::CreateGrievanceResponse created;
    EXPECT_TRUE(grievances_->CreateGrievance(As(kClerk).get(), create, &created).ok());
    return created.grievance();
  };
  const gv1::Grievance later = file("2023-09-20");
  const gv1::Grievance sooner = file("2023-09-01");
  ASSERT_EQ(later.deadline(), "2023-09-27");
  ASSERT_EQ(sooner.deadline(), "2023-09-08");

  gv1::ListGrievancesRequest list;
  list.set_department("assistance");
  list.set_region_prefix("340722100009");
  list.set_page_size(1);
  gv1::ListGrievancesResponse first;
  ASSERT_TRUE(grievances_->ListGrievances(As(kClerk).get(), list, &first).ok());
  ASSERT_EQ(first.grievances_size(), 1);
  EXPECT_EQ(first.grievances(0).grievance_id(), sooner.grievance_id());
  ASSERT_FALSE(first.next_page_token().empty());
  list.set_page_token(first.next_page_token());
  gv1::ListGrievancesResponse second;
  ASSERT_TRUE(grievances_->ListGrievances(As(kClerk).get(), list, &second).ok());
  ASSERT_EQ(second.grievances_size(), 1);
  EXPECT_EQ(second.grievances(0).grievance_id(), later.grievance_id());
  EXPECT_TRUE(second.next_page_token().empty());
}

TEST_F(GrievanceIntegrationTest, WorklistsAndSummaryKeepToTheCallersRegion) {
  const v1::Household here = NewHousehold("340722100003", {{IdNumber(13, 1955, "0303"), 1}});
  const std::string app = Investigated(here, v1::PROGRAMME_DIBAO, 0, "2023-09-01");
  // The other township's clerk may not file against a case outside their region.
  gv1::CreateGrievanceRequest create;
  create.set_department("assistance");
  create.set_kind(gv1::HOTLINE_12345);
  create.set_case_kind("APPLICATION");
  create.set_case_id(app);
  create.set_complainant("来电人");
  create.set_category("办理进度");
  create.set_received_on("2023-09-01");
  gv1::CreateGrievanceResponse created;
  EXPECT_EQ(grievances_->CreateGrievance(As(kOtherClerk).get(), create, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  create.set_case_kind("HOUSEHOLD");
  EXPECT_EQ(grievances_->CreateGrievance(As(kClerk).get(), create, &created).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  create.set_case_kind("APPLICATION");
  ASSERT_TRUE(grievances_->CreateGrievance(As(kClerk).get(), create, &created).ok());
  // 5 working days from Friday 1 September: Friday 8 September; open on 20 October: overdue.
  EXPECT_EQ(created.grievance().deadline(), "2023-09-08");
  EXPECT_TRUE(created.grievance().overdue());
  EXPECT_EQ(Count("SELECT count(*) FROM grievance_history WHERE grievance_id = '" +
                  created.grievance().grievance_id() + "'"),
            1);

  gv1::ListGrievancesRequest list;

  list.set_department("assistance");
  list.set_overdue_only(true);
  list.set_region_prefix("340722100003");
  gv1::ListGrievancesResponse mine;
  ASSERT_TRUE(grievances_->ListGrievances(As(kClerk).get(), list, &mine).ok());
  ASSERT_EQ(mine.grievances_size(), 1);
  EXPECT_EQ(mine.grievances(0).grievance_id(), created.grievance().grievance_id());
  gv1::ListGrievancesResponse theirs;
  list.clear_region_prefix();
  ASSERT_TRUE(grievances_->ListGrievances(As(kOtherClerk).get(), list, &theirs).ok());
  EXPECT_EQ(theirs.grievances_size(), 0);
  list.set_region_prefix("340722100003");
  EXPECT_EQ(grievances_->ListGrievances(As(kOtherClerk).get(), list, &theirs).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  gv1::GetGrievanceRequest get;
  get.set_department("assistance");
  get.set_grievance_id(created.grievance().grievance_id());
  gv1::GetGrievanceResponse got;
  EXPECT_EQ(grievances_->GetGrievance(As(kOtherClerk).get(), get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // The summary counts it, within the caller's region only.
  v1::GetSummaryRequest summary;
  summary.set_period_start("2023-07-01");
  summary.set_period_end("2023-09-30");
  summary.set_region_prefix("340722100003");
  v1::GetSummaryResponse figures;
  ASSERT_TRUE(summary_->GetSummary(As(kReviewer).get(), summary, &figures).ok());
  EXPECT_EQ(figures.grievances().received(), 1);
  EXPECT_EQ(figures.grievances().resolved_within_deadline(), 0);
  EXPECT_EQ(figures.grievances().overdue(), 1);
  summary.clear_region_prefix();
  ASSERT_TRUE(summary_->GetSummary(As(kOtherReviewer).get(), summary, &figures).ok());
  EXPECT_EQ(figures.grievances().received(), 0);

  // The gauge counts it.
  GrievanceStore* store = host_->department().Find<GrievanceStore>();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->RefreshOverdue(absl::CivilDay(2023, 10, 20)).ok());
  bool seen = false;
  for (const auto& family : host_->registry().Collect()) {
    if (family.name != "civil_grievances_overdue") continue;
    for (const auto& metric : family.metric) {
      EXPECT_GE(metric.gauge.value, 1);
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

// Last: the suite shares one database, and the worklist test counts the grievances before it.
TEST_F(GrievanceIntegrationTest, AnExitForDeathIsNotReversedNorItsEndRepublished) {
  const v1::Household h = NewHousehold("340722100003", {{IdNumber(13, 1940, "0303"), 1}});
  const v1::Enrolment e = Enrol(h, v1::PROGRAMME_DIBAO, 0, "2023-06-01", "2023-06-10");
  ASSERT_FALSE(e.enrolment_id().empty());
  v1::ExitEnrolmentRequest exit;
  exit.set_enrolment_id(e.enrolment_id());
  exit.set_reason(v1::EXIT_REASON_DEATH);
  exit.set_effective_month("2023-09");
  exit.set_note("本人死亡");
  exit.set_decided_on("2023-08-25");
  v1::ExitEnrolmentResponse exited;
  grpc::Status s = enrolment_->ExitEnrolment(As(kReviewer).get(), exit, &exited);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // (The suite shares one database: the earlier reversal's event is there already.)
  const std::string reinstated_rows =
      "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.EnrolmentReinstated'";
  const int64_t before = Count(reinstated_rows);
  const gv1::Grievance g = Answered("ENROLMENT", e.enrolment_id(), "2023-09-01");
  gv1::Grievance decided;
  ASSERT_TRUE(Decide(g.grievance_id(), gv1::UPHELD, kReviewer, &decided).ok());
  gv1::Grievance confirmed;
  s = Confirm(g.grievance_id(), kReviewer2, &confirmed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "death")) << s.error_message();
  EXPECT_NE(Exec1("SELECT status FROM enrolments WHERE enrolment_id = '" + e.enrolment_id() + "'"),
            "ACTIVE");
  EXPECT_EQ(Count(reinstated_rows), before);
}

}  // namespace
}  // namespace civil::assistance
