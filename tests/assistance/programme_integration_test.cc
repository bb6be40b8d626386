// Integration tests of the assistance programmes: standards, the application workflow,
// enrolments, exits, monthly disbursement and the summary — the real gRPC services in-process
// over a real PostgreSQL and Redis (tests/support/assistance_testbed.h), callers identified by
// metadata as the gateway forwards it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "services/assistance/assistance_config.h"
#include "services/assistance/event_handlers.h"
#include "services/common/case_gauges.h"
#include "services/common/events.h"
#include "tests/support/assistance_testbed.h"

namespace civil::assistance {
namespace {

using namespace civil::assistance::v1;       // NOLINT: test brevity
using namespace civil::assistance::testbed;  // NOLINT: test brevity
using civil::common::v1::AREA_RURAL;
using civil::common::v1::AREA_URBAN;

const Who kOtherClerk{"clerk-b", "assistance.clerk", "340722200"};

class ProgrammeIntegrationTest : public AssistanceTestbed {
 protected:
  // County standards from 2023-01-01: rural 低保 640 yuan, urban 低保 790 yuan, 特困 832 and 1027
  // yuan, retired workers' subsidy 310 yuan; supplements 50 yuan (≥ 60) and 100 yuan (ill).
  void SetUp() override {
    AssistanceTestbed::SetUp();
    SetStandards({{PROGRAMME_DIBAO, AREA_RURAL, 64000, 5000, 10000},
                  {PROGRAMME_DIBAO, AREA_URBAN, 79000, 5000, 10000},
                  {PROGRAMME_TEKUN, AREA_RURAL, 83200, 5000, 10000},
                  {PROGRAMME_TEKUN, AREA_URBAN, 102700, 5000, 10000},
                  {PROGRAMME_RETIRED_WORKER_SUBSIDY, AREA_RURAL, 31000, 5000, 10000}});
  }

  GetSummaryResponse Summary(const std::string& prefix, const std::string& start = "2023-01-01",
                             const std::string& end = "2023-06-30") {
    GetSummaryRequest request;
    request.set_period_start(start);
    request.set_period_end(end);
    request.set_region_prefix(prefix);
    GetSummaryResponse response;
    grpc::Status s = summary_->GetSummary(As(kAuditor).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  static const ProgrammeFigures* Find(const GetSummaryResponse& r, v1::Programme p,
                                      civil::common::v1::Area a) {
    for (const auto& f : r.programmes()) {
      if (f.programme() == p && f.area() == a) return &f;
    }
    return nullptr;
  }
};

TEST_F(ProgrammeIntegrationTest, DibaoFromApplicationToPaymentsAndSummary) {
  // Head aged 70 (elderly supplement), spouse seriously ill: 640 × 2 − 500 = 780 yuan, + 50 + 100.
  Household h = NewHousehold("340722100101", {{IdNumber(1, 1953), 1}, {IdNumber(2, 1958), 2}});
  Enrolment e = Enrol(h, PROGRAMME_DIBAO, 50000, "2023-01-05", "2023-01-20",
                      {.seriously_ill_member = h.members(1).member_id()});
  EXPECT_EQ(e.start_month(), "2023-02");
  EXPECT_EQ(e.monthly_amount_fen(), 93000);
  EXPECT_EQ(e.members_size(), 2);
  EXPECT_EQ(e.review_due(), "2024-02-01");  // rural 低保: yearly

  RunDisbursementResponse feb, feb_again, mar;
  ASSERT_TRUE(Pay(PROGRAMME_DIBAO, "2023-02", &feb, "340722100").ok());
  EXPECT_TRUE(feb.created());
  EXPECT_EQ(feb.batch().payments(), 1);
  EXPECT_EQ(feb.batch().total_fen(), 93000);
  ASSERT_TRUE(Pay(PROGRAMME_DIBAO, "2023-02", &feb_again, "340722100").ok());
  EXPECT_FALSE(feb_again.created());
  EXPECT_EQ(feb_again.batch().batch_id(), feb.batch().batch_id());
  // A county-wide run of the same month pays nobody a second time.
  RunDisbursementResponse county;
  ASSERT_TRUE(Pay(PROGRAMME_DIBAO, "2023-02", &county, "340722").ok());
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE enrolment_id = '" + e.enrolment_id() +
                  "' AND month = '2023-02-01'"),
            1);
  ASSERT_TRUE(Pay(PROGRAMME_DIBAO, "2023-03", &mar, "340722100").ok());
  EXPECT_EQ(mar.batch().payments(), 1);

  GetSummaryResponse summary = Summary("340722100101");
  const ProgrammeFigures* f = Find(summary, PROGRAMME_DIBAO, AREA_RURAL);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->households(), 1);
  EXPECT_EQ(f->persons(), 2);
  EXPECT_EQ(f->paid_fen(), 186000);
  EXPECT_EQ(f->new_enrolments(), 1);
  ASSERT_GE(summary.lines_size(), 1);
  EXPECT_EQ(summary.lines(0), "农村低保对象1户2人,发放资金0.19万元");

  // The workflow's history: every step with who and when, late entries flagged.
  GetApplicationRequest get;
  get.set_application_id(e.application_id());
  GetApplicationResponse app;
  ASSERT_TRUE(application_->GetApplication(As(kClerk).get(), get, &app).ok());
  ASSERT_EQ(app.application().history_size(), 4);
  EXPECT_EQ(app.application().history(0).action(), "SUBMITTED");
  EXPECT_EQ(app.application().history(3).action(), "APPROVED");
  EXPECT_EQ(app.application().history(3).actor(), "reviewer-1");
  EXPECT_TRUE(app.application().history(3).late_entry());
}

// The dashboards' series: an application waiting for its notice is counted under NOTICE, an
// enrolment in the active caseload, each as the department's tables say at the refresh.
TEST_F(ProgrammeIntegrationTest, TheDashboardCountsApplicationsWaitingAndTheActiveCaseload) {
  CaseGauges* gauges = host_->department().Find<CaseGauges>();
  ASSERT_NE(gauges, nullptr);
  auto value = [&](const std::string& name, const std::string& step) {
    for (const auto& family : host_->department().registry().Collect()) {
      if (family.name != name) continue;
      for (const auto& m : family.metric) {
        std::map<std::string, std::string> labels;
        for (const auto& l : m.label) labels[l.name] = l.value;
        if (labels["department"] == "assistance" && labels["programme"] == "DIBAO" &&
            (step.empty() || labels["step"] == step)) {
          return m.gauge.value;
        }
      }
    }
    return 0.0;
  };
  ASSERT_TRUE(gauges->Refresh().ok());
  const double notice = value("civil_cases_waiting", "NOTICE");
  const double active = value("civil_caseload_active", "");

  Household waiting = NewHousehold("340722100121", {{IdNumber(21, 1960), 1}});
  Investigated(waiting, PROGRAMME_DIBAO, 0, "2023-03-01");
  Household paid = NewHousehold("340722100122", {{IdNumber(22, 1961), 1}});
  Enrol(paid, PROGRAMME_DIBAO, 0, "2023-03-01", "2023-03-20");
  ASSERT_TRUE(gauges->Refresh().ok());
  EXPECT_EQ(value("civil_cases_waiting", "NOTICE"), notice + 1);
  EXPECT_EQ(value("civil_caseload_active", ""), active + 1);
}

TEST_F(ProgrammeIntegrationTest, StepsOutOfOrderAndMakerCheckerAreRefused) {
  Household h = NewHousehold("340722100102", {{IdNumber(10, 1980), 1}});
  CreateApplicationRequest create;
  create.set_programme(PROGRAMME_DIBAO);
  create.set_household_id(h.household_id());
  create.set_submitted_on("2023-03-01");
  CreateApplicationResponse created;
  ASSERT_TRUE(application_->CreateApplication(As(kClerk).get(), create, &created).ok());
  const std::string id = created.application().application_id();

  PublishApplicationRequest publish;
  publish.set_application_id(id);
  publish.set_notice_start("2023-03-02");
  PublishApplicationResponse published;
  grpc::Status s = application_->PublishApplication(As(kClerk).get(), publish, &published);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "application is SUBMITTED: investigate it before the public notice");

  InvestigateApplicationRequest investigate;
  investigate.set_application_id(id);
  investigate.set_household_monthly_income_fen(-1);
  InvestigateApplicationResponse investigated;
  s = application_->InvestigateApplication(As(kClerk).get(), investigate, &investigated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "household_monthly_income_fen: must not be negative");
  investigate.set_household_monthly_income_fen(10000);
  investigate.set_assets_within_limits(true);
  investigate.set_investigated_on("2099-01-01");
  s = application_->InvestigateApplication(As(kClerk).get(), investigate, &investigated);
  // The kit's EventDate names the field and the day it checked against: "… (today is …)".
  EXPECT_EQ(s.error_message().rfind("investigated_on: must not be in the future (today is ", 0), 0u)
      << s.error_message();
  investigate.set_investigated_on("2023-03-02");
  ASSERT_TRUE(
      application_->InvestigateApplication(As(kClerk).get(), investigate, &investigated).ok());
  ASSERT_TRUE(application_->PublishApplication(As(kClerk).get(), publish, &published).ok());
  EXPECT_EQ(published.application().notice_end(), "2023-03-08");

  ApproveApplicationRequest approve;
  approve.set_application_id(id);
  approve.set_decided_on("2023-03-08");
  ApproveApplicationResponse approved;
  s = application_->ApproveApplication(As(kReviewer).get(), approve, &approved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "decided_on: the public notice runs until 2023-03-08; decide after it");
  // The clerk who submitted cannot approve, even holding the reviewer role.
  Who maker{"clerk-a", "assistance.clerk,assistance.reviewer", "340722"};
  approve.set_decided_on("2023-03-09");
  s = application_->ApproveApplication(As(maker).get(), approve, &approved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A clerk lacks the reviewer role altogether.
  s = application_->ApproveApplication(As(kClerk).get(), approve, &approved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(), "requires one of the roles: assistance.reviewer");
  // Nothing changed through all this: still in notice, no enrolment.
  EXPECT_EQ(Count("SELECT count(*) FROM enrolments WHERE application_id = '" + id + "'"), 0);
  ASSERT_TRUE(application_->ApproveApplication(As(kReviewer).get(), approve, &approved).ok());
  EXPECT_EQ(approved.enrolment().start_month(), "2023-04");
  EXPECT_EQ(approved.application().status(), APPLICATION_STATUS_APPROVED);
  s = application_->ApproveApplication(As(kReviewer).get(), approve, &approved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ProgrammeIntegrationTest, DibaoAndTekunExcludeEachOther) {
  Household h = NewHousehold("340722100103", {{IdNumber(20, 1950), 1}});
  Enrol(h, PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-15");
  CreateApplicationRequest tekun;
  tekun.set_programme(PROGRAMME_TEKUN);
  tekun.set_household_id(h.household_id());
  tekun.set_member_id(h.members(0).member_id());
  tekun.set_care_mode(CARE_MODE_DISPERSED);
  CreateApplicationResponse response;
  grpc::Status s = application_->CreateApplication(As(kClerk).get(), tekun, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "member_id: " + h.members(0).id_number_masked() + " is already enrolled in DIBAO");
}

TEST_F(ProgrammeIntegrationTest, ConcurrentRunsPayEachEnrolmentOnce) {
  for (int i = 0; i < 20; ++i) {
    Household h = NewHousehold("340722100104", {{IdNumber(100 + i, 1970), 1}});
    Enrol(h, PROGRAMME_DIBAO, 10000, "2023-02-01", "2023-02-15");
  }
  std::atomic<int> created{0};
  std::vector<std::string> batches(4);
  std::vector<std::thread> replicas;
  for (int t = 0; t < 4; ++t) {
    replicas.emplace_back([&, t] {
      RunDisbursementResponse r;
      grpc::Status s = Pay(PROGRAMME_DIBAO, "2023-03", &r, "340722100104");
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (r.created()) ++created;
      batches[t] = r.batch().batch_id();
    });
  }
  for (auto& t : replicas) t.join();
  EXPECT_EQ(created.load(), 1);
  for (const auto& b : batches) EXPECT_EQ(b, batches[0]);
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE region_code = '340722100104' AND month = "
                  "'2023-03-01'"),
            20);
  // What was paid stays as paid: the service's own database role cannot change or remove it.
  const std::string paid =
      "SELECT sum(amount_fen) FROM payments WHERE region_code = '340722100104' AND month = "
      "'2023-03-01'";
  const int64_t total = Count(paid);
  for (const char* rewrite :
       {"UPDATE payments SET amount_fen = 1 WHERE month = '2023-03-01'", "DELETE FROM payments"}) {
    absl::Status denied = host_->department().pool().Transact([rewrite](pqxx::transaction_base& t) {
      t.exec(rewrite);
      return absl::OkStatus();
    });
    EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied) << rewrite;
  }
  EXPECT_GT(total, 0);
  EXPECT_EQ(Count(paid), total);
  RunDisbursementResponse future;
  grpc::Status s = Pay(PROGRAMME_DIBAO, "2999-01", &future);
  EXPECT_EQ(s.error_message(), "month: must not be after the current month");
  // The month's message is assistance's own (benefit_test asserted it of a helper now gone).
  for (const char* malformed : {"2023-13", "2023-2", ""}) {
    s = Pay(PROGRAMME_DIBAO, malformed, &future);
    EXPECT_EQ(s.error_message(), "month: must be YYYY-MM") << malformed;
  }
  s = Pay(PROGRAMME_MARGINAL, "2023-03", &future);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ProgrammeIntegrationTest, ExitsCountHouseholdsOnceOverallAndOncePerReason) {
  // Household A: one member dies, the other leaves for income → 1 household in the total,
  // 1 under death and 1 under income. Household B: its only member dies.
  Household a = NewHousehold("340722100105", {{IdNumber(200, 1940), 1}, {IdNumber(201, 1990), 3}});
  Household b = NewHousehold("340722100105", {{IdNumber(202, 1938), 1}});
  Enrolment ea = Enrol(a, PROGRAMME_DIBAO, 20000, "2023-01-02", "2023-01-12");
  Enrolment eb = Enrol(b, PROGRAMME_DIBAO, 0, "2023-01-02", "2023-01-12");
  EXPECT_EQ(ea.monthly_amount_fen(), 64000 * 2 - 20000 + 5000);  // head ≥ 60

  ExitEnrolmentRequest death;
  death.set_enrolment_id(ea.enrolment_id());
  death.set_member_id(a.members(0).member_id());
  death.set_reason(EXIT_REASON_DEATH);
  death.set_note("火化记录");
  death.set_decided_on("2023-03-10");
  ExitEnrolmentResponse after_death;
  ASSERT_TRUE(enrolment_->ExitEnrolment(As(kReviewer).get(), death, &after_death).ok());
  // One member left: 640 − 200 = 440 yuan from April.
  EXPECT_EQ(after_death.enrolment().status(), ENROLMENT_STATUS_ACTIVE);
  EXPECT_EQ(after_death.enrolment().monthly_amount_fen(), 44000);

  ExitEnrolmentRequest income = death;
  income.set_member_id("");
  income.set_reason(EXIT_REASON_INELIGIBLE_INCOME);
  income.set_decided_on("2023-05-20");
  income.set_note("务工收入");
  ExitEnrolmentResponse ended;
  ASSERT_TRUE(enrolment_->ExitEnrolment(As(kReviewer).get(), income, &ended).ok());
  EXPECT_EQ(ended.enrolment().status(), ENROLMENT_STATUS_ENDED);
  EXPECT_EQ(ended.enrolment().end_month(), "2023-05");

  ExitEnrolmentRequest b_death = death;
  b_death.set_enrolment_id(eb.enrolment_id());
  b_death.set_member_id("");
  b_death.set_decided_on("2023-04-02");
  ExitEnrolmentResponse b_ended;
  ASSERT_TRUE(enrolment_->ExitEnrolment(As(kReviewer).get(), b_death, &b_ended).ok());

  GetSummaryResponse summary = Summary("340722100105");
  const ProgrammeFigures* f = Find(summary, PROGRAMME_DIBAO, AREA_RURAL);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->exit_households(), 2);
  EXPECT_EQ(f->exit_persons(), 3);
  std::map<int, std::pair<int64_t, int64_t>> by_reason;
  for (const auto& r : f->exits_by_reason()) by_reason[r.reason()] = {r.households(), r.persons()};
  EXPECT_EQ(by_reason[EXIT_REASON_DEATH], std::make_pair(int64_t{2}, int64_t{2}));
  EXPECT_EQ(by_reason[EXIT_REASON_INELIGIBLE_INCOME], std::make_pair(int64_t{1}, int64_t{1}));
  EXPECT_EQ(f->households(), 0);  // nobody active at the end of June
  bool found = false;
  for (const auto& line : summary.lines()) {
    if (line == "退出低保保障2户3人(其中死亡退出2户2人,家庭经济状况等不符退出1户1人)") found = true;
  }
  EXPECT_TRUE(found) << summary.DebugString();

  // Exit events were written for each person leaving, in the same transactions.
  EXPECT_EQ(
      Count("SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.EnrolmentEnded'"), 3);
}

TEST_F(ProgrammeIntegrationTest, AHouseholdThatLeavesTwiceInAPeriodCountsOnce) {
  // The seed counts households (户) and persons (人), not enrolments: a household that leaves,
  // re-enrols and leaves again within the half year is one household and its persons once.
  Household h = NewHousehold("340722100106", {{IdNumber(210, 1970), 1}});
  Enrolment first = Enrol(h, PROGRAMME_DIBAO, 30000, "2023-01-02", "2023-01-12");
  Exit(first, "", EXIT_REASON_INELIGIBLE_INCOME, "2023-02-10");
  Enrolment second = Enrol(h, PROGRAMME_DIBAO, 20000, "2023-02-15", "2023-02-25");
  ASSERT_NE(second.enrolment_id(), first.enrolment_id());
  Exit(second, "", EXIT_REASON_INELIGIBLE_INCOME, "2023-05-05");

  GetSummaryResponse summary = Summary("340722100106");
  const ProgrammeFigures* f = Find(summary, PROGRAMME_DIBAO, AREA_RURAL);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->exit_households(), 1);
  EXPECT_EQ(f->exit_persons(), 1);
  ASSERT_EQ(f->exits_by_reason_size(), 1);
  EXPECT_EQ(f->exits_by_reason(0).households(), 1);
  EXPECT_EQ(f->exits_by_reason(0).persons(), 1);
  bool found = false;
  for (const auto& line : summary.lines()) {
    if (line.rfind("退出低保保障1户1人", 0) == 0) found = true;
  }
  EXPECT_TRUE(found) << summary.DebugString();
}

TEST_F(ProgrammeIntegrationTest, RegionScopeAndIdentityAreEnforced) {
  Household h = NewHousehold("340722100106", {{IdNumber(300, 1975), 1}});
  CreateApplicationRequest create;
  create.set_programme(PROGRAMME_DIBAO);
  create.set_household_id(h.household_id());
  CreateApplicationResponse response;
  grpc::Status s = application_->CreateApplication(As(kOtherClerk).get(), create, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(), "household_id: region 340722100106 is outside your scope 340722200");
  s = application_->CreateApplication(As(Who{}).get(), create, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  create.set_programme(static_cast<v1::Programme>(42));
  s = application_->CreateApplication(As(kClerk).get(), create, &response);
  EXPECT_EQ(s.error_message(), "programme: unknown programme");

  ListEnrolmentsRequest wide;
  wide.set_region_prefix("340722");
  ListEnrolmentsResponse listed;
  s = enrolment_->ListEnrolments(As(kClerk).get(), wide, &listed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ProgrammeIntegrationTest, OtherDepartmentsCanCheckEnrolment) {
  Household h = NewHousehold("340722100107", {{IdNumber(400, 1960), 1}});
  Enrolment e = Enrol(h, PROGRAMME_DIBAO, 0, "2023-04-03", "2023-04-20");
  CheckEnrolmentRequest request;
  request.set_id_number(IdNumber(400, 1960));
  request.set_as_of("2023-06-30");
  CheckEnrolmentResponse response;
  // A user's token claiming the departments' role is no department.
  EXPECT_EQ(
      check_->CheckEnrolment(As({"mallory", "system", "*"}).get(), request, &response).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(check_->CheckEnrolment(AsService("affairs").get(), request, &response).ok());
  ASSERT_EQ(response.enrolments_size(), 1);
  EXPECT_EQ(response.enrolments(0).programme(), PROGRAMME_DIBAO);
  EXPECT_EQ(response.enrolments(0).start_month(), "2023-05");
  EXPECT_TRUE(response.enrolments(0).active());
  EXPECT_EQ(response.id_number_masked(), h.members(0).id_number_masked());
  request.set_as_of("2023-04-30");
  ASSERT_TRUE(check_->CheckEnrolment(AsService("affairs").get(), request, &response).ok());
  EXPECT_FALSE(response.enrolments(0).active());
  EXPECT_EQ(Count("SELECT count(*) FROM enrolment_checks WHERE caller = 'service:affairs'"), 2);
  request.set_id_number("340722196003010000");
  grpc::Status s = check_->CheckEnrolment(AsService("affairs").get(), request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ProgrammeIntegrationTest, ADeathRecordedByAffairsEndsBenefitsFromTheNextMonth) {
  // Two households: a couple (the husband dies) and a single person (dies).
  Household couple =
      NewHousehold("340722100108", {{IdNumber(500, 1945), 1}, {IdNumber(501, 1948), 2}});
  Household single = NewHousehold("340722100108", {{IdNumber(502, 1940), 1}});
  Enrolment ec = Enrol(couple, PROGRAMME_DIBAO, 0, "2023-01-04", "2023-01-16");
  Enrolment es = Enrol(single, PROGRAMME_DIBAO, 0, "2023-01-04", "2023-01-16");
  const int64_t ended_before =
      Count("SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.EnrolmentEnded'");

  // Social affairs records the cremations: its outbox, its stream.
  const std::string affairs_dsn = pg_->CreateDatabase("affairs_events");
  ASSERT_TRUE(ApplyMigrations(affairs_dsn, "affairs", WithCommonMigrations({})).ok());
  {
    pqxx::connection c(affairs_dsn);
    for (const auto& [id, died] : {std::pair{IdNumber(500, 1945), "2023-04-10"},
                                   std::pair{IdNumber(502, 1940), "2023-04-20"}}) {
      pqxx::work txn(c);
      civil::events::v1::PersonDeceased death;
      death.set_date_of_death(died);
      WriteEvent(txn, "affairs", {pii_->BlindIndex(id), "340722********0000"}, death);
      txn.commit();
    }
  }
  OutboxRelay relay({.source = "affairs", .pg_dsn = affairs_dsn, .redis_port = redis_->port()},
                    nullptr);
  ASSERT_EQ(*relay.PublishOnce(), 2);
  EventConsumer consumer({.service = "assistance",
                          .consumer = "test",
                          .redis_port = redis_->port(),
                          .block = std::chrono::milliseconds(100)},
                         pool_, nullptr);
  RegisterEventHandlers(&consumer, enrolments_);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20 && Count("SELECT count(*) FROM inbox") < 2; ++i) {
    consumer.PollOnce().IgnoreError();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));

  GetEnrolmentRequest get;
  get.set_enrolment_id(es.enrolment_id());
  GetEnrolmentResponse single_after;
  ASSERT_TRUE(enrolment_->GetEnrolment(As(kReviewer).get(), get, &single_after).ok());
  EXPECT_EQ(single_after.enrolment().status(), ENROLMENT_STATUS_ENDED);
  EXPECT_EQ(single_after.enrolment().end_month(), "2023-04");
  EXPECT_EQ(single_after.enrolment().exit_reason(), EXIT_REASON_DEATH);
  get.set_enrolment_id(ec.enrolment_id());
  GetEnrolmentResponse couple_after;
  ASSERT_TRUE(enrolment_->GetEnrolment(As(kReviewer).get(), get, &couple_after).ok());
  EXPECT_EQ(couple_after.enrolment().status(), ENROLMENT_STATUS_ACTIVE);
  EXPECT_EQ(couple_after.enrolment().monthly_amount_fen(), 64000 + 5000);  // the widow alone

  // May's run pays the widow her new amount and the dead nothing.
  RunDisbursementResponse may;
  ASSERT_TRUE(Pay(PROGRAMME_DIBAO, "2023-05", &may, "340722100108").ok());
  EXPECT_EQ(may.batch().payments(), 1);
  EXPECT_EQ(may.batch().total_fen(), 69000);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.EnrolmentEnded'"),
            ended_before + 2);
  // Redelivery of the same events changes nothing.
  RedisClient r({"127.0.0.1", redis_->port(), 1, std::chrono::milliseconds(500)}, nullptr);
  ASSERT_TRUE(r.Command({"XGROUP", "SETID", EventStream("affairs"), "assistance", "0"}).ok());
  consumer.PollOnce().IgnoreError();
  EXPECT_EQ(Count("SELECT count(*) FROM enrolment_history WHERE action IN ('ENDED', "
                  "'MEMBER_EXITED')"),
            Count("SELECT count(*) FROM enrolment_members WHERE exit_reason <> ''"));
}

// An exit for death is a record of death: it is published once for every department, and the
// person's other benefits end with it. A whole household leaving "for death" does not say who
// died, and records nobody's death.
TEST_F(ProgrammeIntegrationTest, AnExitForDeathRecordsThePersonsDeathOnceForEveryDepartment) {
  const std::string deceased =
      "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.PersonDeceased'";
  Household single = NewHousehold("340722100109", {{IdNumber(600, 1941), 1}});
  Enrolment dibao = Enrol(single, PROGRAMME_DIBAO, 0, "2023-01-04", "2023-01-16");
  Enrolment retired = Enrol(single, PROGRAMME_RETIRED_WORKER_SUBSIDY, 0, "2023-01-04", "2023-01-16",
                            {.member_id = single.members(0).member_id()});
  Household couple =
      NewHousehold("340722100109", {{IdNumber(601, 1942), 1}, {IdNumber(602, 1944), 2}});
  Enrolment both = Enrol(couple, PROGRAMME_DIBAO, 0, "2023-01-04", "2023-01-16");
  const int64_t before = Count(deceased);
  const int64_t registry_before = Count("SELECT count(*) FROM death_registry");

  // The 低保 ends for death, decided 2023-03-10 (last month paid March).
  Exit(dibao, single.members(0).member_id(), EXIT_REASON_DEATH, "2023-03-10");
  EXPECT_EQ(Count(deceased), before + 1);
  pqxx::connection c(*dsn_);
  pqxx::nontransaction txn(c);
  pqxx::row row = txn.exec1(
      "SELECT envelope FROM outbox WHERE event_type = 'civil.events.v1.PersonDeceased' ORDER BY "
      "seq DESC LIMIT 1");
  civil::events::v1::Envelope envelope;
  ASSERT_TRUE(envelope.ParseFromString(pqxx::binarystring(row[0]).str()));
  EXPECT_EQ(envelope.source(), "assistance");
  EXPECT_EQ(envelope.subject_index(), pii_->BlindIndex(IdNumber(600, 1941)));
  civil::events::v1::PersonDeceased death;
  ASSERT_TRUE(envelope.payload().UnpackTo(&death));
  EXPECT_EQ(death.date_of_death(), "2023-03-10");
  EXPECT_TRUE(death.date_is_upper_bound());
  EXPECT_EQ(death.record_kind(), "ENROLMENT_EXIT");
  EXPECT_EQ(death.record_id(), dibao.enrolment_id());
  EXPECT_EQ(Count("SELECT count(*) FROM death_registry"), registry_before + 1);

  // The retired workers' subsidy ends with it, from the same month; no second death is published.
  GetEnrolmentRequest get;
  get.set_enrolment_id(retired.enrolment_id());
  GetEnrolmentResponse after;
  ASSERT_TRUE(enrolment_->GetEnrolment(As(kReviewer).get(), get, &after).ok());
  EXPECT_EQ(after.enrolment().status(), ENROLMENT_STATUS_ENDED);
  EXPECT_EQ(after.enrolment().exit_reason(), EXIT_REASON_DEATH);
  EXPECT_EQ(after.enrolment().end_month(), "2023-03");
  EXPECT_EQ(Count(deceased), before + 1);

  // A household of two ended as a whole "for death": nobody's death is recorded.
  Exit(both, "", EXIT_REASON_DEATH, "2023-03-12");
  EXPECT_EQ(Count(deceased), before + 1);
  EXPECT_EQ(Count("SELECT count(*) FROM death_registry"), registry_before + 1);
}

TEST_F(ProgrammeIntegrationTest, LoadsTheCountySeedOnceAndKeepsEdits) {
  const std::string seed =
      std::string(CIVIL_SOURCE_DIR) + "/deploy/local/seed/assistance-standards-340722.json";
  absl::StatusOr<int> first = LoadStandardSeed(seed, standards_);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<int> second = LoadStandardSeed(seed, standards_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 0);
  EXPECT_GE(Count("SELECT count(*) FROM benefit_standards WHERE set_by = 'seed'"), 5);
  EXPECT_FALSE(LoadStandardSeed("/nonexistent.json", standards_).ok());
}

}  // namespace
}  // namespace civil::assistance
