// Integration tests of the elderly-care department: the department as the kit builds it
// (DepartmentHost, the production wiring) on a real PostgreSQL and Redis started by the harness
// (tests/support/servers.h), called over gRPC with the identities the gateway forwards. Deaths
// arrive as affairs publishes them: a PersonDeceased in an outbox, relayed to Redis, consumed.
// The assistance department's EnrolmentCheckService is another department's API: a small
// in-process implementation with canned answers (and a delay beyond the deadline for an
// assistance that does not answer) stands in for it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "civil/assistance/v1/programme.grpc.pb.h"
#include "civil/eldercare/v1/adaptation.grpc.pb.h"
#include "civil/eldercare/v1/allowance.grpc.pb.h"
#include "civil/eldercare/v1/bank_file.grpc.pb.h"
#include "civil/eldercare/v1/facility.grpc.pb.h"
#include "civil/eldercare/v1/homecare.grpc.pb.h"
#include "civil/eldercare/v1/summary.grpc.pb.h"
#include "civil/eldercare/v1/visit.grpc.pb.h"
#include "civil/events/v1/events.pb.h"
#include "civil/grievance/v1/grievance.grpc.pb.h"
#include "services/common/department.h"
#include "services/common/events.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/pii.h"
#include "services/eldercare/eldercare.h"
#include "tests/support/call_as.h"
#include "tests/support/canned_assistance.h"
#include "tests/support/servers.h"
#include "tests/support/test_ids.h"

namespace civil::eldercare {
namespace {

using civil::affairs::testing::Id;
using civil::testing::CannedAssistance;

// Who calls: subject, roles and region scope, as the gateway forwards them.
struct As {
  std::string subject;
  std::string roles;
  std::string region;
};
const As kClerk{"clerk-1", "eldercare.clerk", "340722"};
const As kReviewer{"reviewer-1", "eldercare.reviewer", "340722"};
const As kTownshipReviewer{"reviewer-2", "eldercare.reviewer", "340722100"};

constexpr char kVillage[] = "340722100001";       // township 340722100
constexpr char kOtherVillage[] = "340722200001";  // township 340722200

namespace av1 = civil::assistance::v1;

class EldercareIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    postgres_ = new civil::testing::PostgresServer();
    redis_ = new civil::testing::RedisServer();
    assistance_ = new CannedAssistance();
    // The department reads where assistance is, and how long to wait for it, at wiring.
    setenv("CIVIL_ASSISTANCE_ADDR", assistance_->address().c_str(), 1);
    setenv("CIVIL_ELDERCARE_ASSISTANCE_DEADLINE_MS", "300", 1);
  }
  static void TearDownTestSuite() {
    delete assistance_;
    delete redis_;
    delete postgres_;
  }

  void SetUp() override {
    static int n = 0;
    ++n;
    dsn_ = postgres_->CreateDatabase("civil_eldercare_" + std::to_string(n));
    DepartmentOptions options;
    options.clock = [this] { return today_; };
    options.start_events = false;  // the tests poll the consumer themselves
    auto host = DepartmentHost::Start(
        Spec(),
        civil::testing::Trusting(TestServiceConfig("eldercare", dsn_, "127.0.0.1", redis_->port(),
                                                   civil::testing::kTestPiiKey)),
        options);
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
    stub_ = v1::AllowanceService::NewStub(host_->Channel());
    summary_stub_ = v1::EldercareSummaryService::NewStub(host_->Channel());
    homecare_stub_ = v1::HomeCareService::NewStub(host_->Channel());
    facility_stub_ = v1::FacilityService::NewStub(host_->Channel());
    adaptation_stub_ = v1::AdaptationService::NewStub(host_->Channel());
    bank_stub_ = v1::BankFileService::NewStub(host_->Channel());
    grievance_stub_ = civil::grievance::v1::GrievanceService::NewStub(host_->Channel());
  }

  void TearDown() override { host_.reset(); }

  template <typename Fn>
  static grpc::Status Call(const As& as, Fn&& fn) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    civil::testing::CallAs(context, {as.subject, as.roles, as.region});
    return fn(&context);
  }

  // The value of the kit's monthly-run series `name` for `allowance` in the department's registry.
  double RunMetric(const std::string& name, const std::string& allowance) {
    for (const auto& family : host_->registry().Collect()) {
      if (family.name != name) continue;
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) {
          if (label.name == "allowance" && label.value == allowance) {
            return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                                  : metric.gauge.value;
          }
        }
      }
    }
    return -1;
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  grpc::Status Enrol(const std::string& id, const std::string& date, v1::Enrolment* out = nullptr,
                     const std::string& region = kVillage, const As& as = kClerk) {
    v1::EnrolPersonRequest req;
    req.set_name("老人");
    req.set_id_number(id);
    req.set_region_code(region);
    req.set_application_date(date);
    v1::EnrolPersonResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->EnrolPerson(c, req, &resp); });
    if (out != nullptr) *out = resp.enrolment();
    return s;
  }

  grpc::Status Approve(const std::string& enrolment_id, const std::string& date,
                       const As& as = kReviewer, v1::Enrolment* out = nullptr) {
    v1::ApproveEnrolmentRequest req;
    req.set_enrolment_id(enrolment_id);
    req.set_decision_date(date);
    v1::ApproveEnrolmentResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->ApproveEnrolment(c, req, &resp); });
    if (out != nullptr) *out = resp.enrolment();
    return s;
  }

  // Enrols and approves; returns the enrolment id.
  std::string Enrolled(const std::string& id, const std::string& date,
                       const std::string& region = kVillage) {
    v1::Enrolment e;
    grpc::Status s = Enrol(id, date, &e, region);
    EXPECT_TRUE(s.ok()) << s.error_message();
    s = Approve(e.enrolment_id(), date);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return e.enrolment_id();
  }

  v1::RunPaymentsResponse Run(const std::string& month, const std::string& prefix = "",
                              const As& as = kReviewer) {
    v1::RunPaymentsRequest req;
    req.set_month(month);
    req.set_region_prefix(prefix);
    v1::RunPaymentsResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->RunPayments(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  v1::Enrolment Get(const std::string& enrolment_id) {
    v1::GetEnrolmentRequest req;
    req.set_enrolment_id(enrolment_id);
    v1::GetEnrolmentResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return stub_->GetEnrolment(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.enrolment();
  }

  // Department `source` records a death: a PersonDeceased in its outbox, relayed to Redis; then
  // eldercare's consumer polls until it has handled an entry.
  void RecordsDeath(const std::string& id, const std::string& died,
                    const std::string& source = "affairs") {
    civil::events::v1::PersonDeceased death;
    death.set_date_of_death(died);
    death.set_record_kind(source == "affairs" ? "CREMATION" : "ENROLMENT_EXIT");
    death.set_record_id("record-" + id.substr(14));
    death.set_region_code(kVillage);
    Publishes(source, id, death);
  }

  // The exchange reports that `id`'s household registration moved out of the county on `moved`.
  void RecordsMoveOut(const std::string& id, const std::string& moved) {
    civil::events::v1::PersonMovedOut move;
    move.set_moved_out_on(moved);
    move.set_region_code(kVillage);
    move.set_record_id("move-" + id.substr(14));
    move.set_reported_by("PUBLIC_SECURITY");
    Publishes("exchange", id, move);
  }

  // `fact` about person `id` written to `source`'s outbox, relayed to Redis and consumed here.
  template <typename Fact>
  void Publishes(const std::string& source, const std::string& id, const Fact& fact) {
    std::string& dsn = producer_dsn_[source];
    if (dsn.empty()) {
      static int n = 0;
      dsn = postgres_->CreateDatabase("producer_" + source + "_" + std::to_string(++n));
      ASSERT_TRUE(ApplyMigrations(dsn, source, WithCommonMigrations({})).ok());
    }
    const PiiProtector pii = *PiiProtector::FromHexKey(civil::testing::kTestPiiKey);
    {
      pqxx::connection c(dsn);
      pqxx::work txn(c);
      WriteEvent(txn, source, {pii.BlindIndex(id), "340722********" + id.substr(14)}, fact);
      txn.commit();
    }
    OutboxRelay::Options o;
    o.source = source;
    o.pg_dsn = dsn;
    o.redis_port = redis_->port();
    OutboxRelay relay(o, nullptr);
    ASSERT_EQ(*relay.PublishOnce(), 1);
    int handled = 0;
    for (int i = 0; i < 50 && handled == 0; ++i) {
      absl::StatusOr<int> n = host_->department().consumer().PollOnce();
      ASSERT_TRUE(n.ok()) << n.status();
      handled += *n;
    }
    ASSERT_GT(handled, 0);
  }

  inline static CannedAssistance* assistance_ = nullptr;
  inline static civil::testing::PostgresServer* postgres_ = nullptr;
  inline static civil::testing::RedisServer* redis_ = nullptr;
  absl::CivilDay today_{2023, 7, 15};
  std::string dsn_;
  std::map<std::string, std::string> producer_dsn_;  // event source → its outbox database
  std::unique_ptr<DepartmentHost> host_;
  std::unique_ptr<v1::AllowanceService::Stub> stub_;
  std::unique_ptr<v1::EldercareSummaryService::Stub> summary_stub_;
  std::unique_ptr<v1::HomeCareService::Stub> homecare_stub_;
  std::unique_ptr<v1::FacilityService::Stub> facility_stub_;
  std::unique_ptr<v1::AdaptationService::Stub> adaptation_stub_;
  std::unique_ptr<v1::BankFileService::Stub> bank_stub_;
  std::unique_ptr<civil::grievance::v1::GrievanceService::Stub> grievance_stub_;

  std::string Text(const std::string& sql) {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<std::string>("");
  }

  // A reconsideration against allowance enrolment `enrolment`, received `received`, assigned,
  // answered and upheld by kReviewer; returns its id.
  std::string Upheld(const std::string& enrolment, const std::string& received,
                     const std::string& case_kind = "ALLOWANCE") {
    namespace gv1 = civil::grievance::v1;
    gv1::CreateGrievanceRequest create;
    create.set_department("eldercare");
    create.set_kind(gv1::RECONSIDERATION);
    create.set_case_kind(case_kind);
    create.set_case_id(enrolment);
    create.set_complainant("老人家属");
    create.set_category("高龄津贴停发");
    create.set_received_on(received);
    gv1::CreateGrievanceResponse created;
    grpc::Status s = Call(
        kClerk, [&](auto* c) { return grievance_stub_->CreateGrievance(c, create, &created); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    const std::string id = created.grievance().grievance_id();
    gv1::AssignGrievanceRequest assign;
    assign.set_department("eldercare");
    assign.set_grievance_id(id);
    assign.set_assignee("handler-1");
    gv1::AssignGrievanceResponse assigned;
    s = Call(kClerk,
             [&](auto* c) { return grievance_stub_->AssignGrievance(c, assign, &assigned); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    gv1::RespondGrievanceRequest respond;
    respond.set_department("eldercare");
    respond.set_grievance_id(id);
    respond.set_response("经复查，本人仍在县内居住");
    gv1::RespondGrievanceResponse responded;
    s = Call(kClerk,
             [&](auto* c) { return grievance_stub_->RespondGrievance(c, respond, &responded); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    gv1::DecideGrievanceRequest decide;
    decide.set_department("eldercare");
    decide.set_grievance_id(id);
    decide.set_outcome(gv1::UPHELD);
    gv1::DecideGrievanceResponse decided;
    s = Call(kReviewer,
             [&](auto* c) { return grievance_stub_->DecideGrievance(c, decide, &decided); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    // Reversing a stop pays money: it waits for a second reviewer.
    EXPECT_EQ(decided.grievance().status(), gv1::AWAITING_CONFIRMATION);
    return id;
  }

  grpc::Status Confirm(const std::string& grievance_id, const As& as,
                       civil::grievance::v1::Grievance* out = nullptr) {
    civil::grievance::v1::ConfirmGrievanceRequest req;
    req.set_department("eldercare");
    req.set_grievance_id(grievance_id);
    civil::grievance::v1::ConfirmGrievanceResponse resp;
    grpc::Status s =
        Call(as, [&](auto* c) { return grievance_stub_->ConfirmGrievance(c, req, &resp); });
    if (out != nullptr) *out = resp.grievance();
    return s;
  }

  // A planned facility of `kind` with target year 2023; returns its id.
  std::string Planned(v1::FacilityKind kind, const std::string& name) {
    v1::CreateFacilityRequest req;
    req.set_kind(kind);
    req.set_name(name);
    req.set_region_code(kVillage);
    req.set_target_year(2023);
    req.set_operator_("村委会");
    req.set_capacity(30);
    req.set_planned_date("2023-01-10");
    v1::CreateFacilityResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return facility_stub_->CreateFacility(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.facility().facility_id();
  }

  grpc::Status Step(const std::string& id, v1::FacilityStatus status, const std::string& date,
                    v1::Facility* out = nullptr) {
    v1::AdvanceFacilityRequest req;
    req.set_facility_id(id);
    req.set_status(status);
    req.set_date(date);
    v1::AdvanceFacilityResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return facility_stub_->AdvanceFacility(c, req, &resp); });
    if (out != nullptr) *out = resp.facility();
    return s;
  }

  // 居家养老服务补贴: records an assessment (living alone, the given level).
  grpc::Status Assess(const std::string& id, int level, const std::string& date,
                      v1::Subsidy* out = nullptr, const std::string& region = kVillage) {
    v1::AssessPersonRequest req;
    req.set_name("独居老人");
    req.set_id_number(id);
    req.set_region_code(region);
    req.set_living_alone(true);
    req.set_level(level);
    req.set_assessment_date(date);
    req.set_assessor("县养老服务评估中心");
    v1::AssessPersonResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return homecare_stub_->AssessPerson(c, req, &resp); });
    if (out != nullptr) *out = resp.subsidy();
    return s;
  }

  // Assesses and approves; returns the subsidy id.
  std::string Subsidised(const std::string& id, int level, const std::string& date) {
    v1::Subsidy sub;
    grpc::Status s = Assess(id, level, date, &sub);
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::ApproveSubsidyRequest req;
    req.set_subsidy_id(sub.subsidy_id());
    req.set_decision_date(date);
    v1::ApproveSubsidyResponse resp;
    s = Call(kReviewer, [&](auto* c) { return homecare_stub_->ApproveSubsidy(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return sub.subsidy_id();
  }

  v1::RunSubsidyPaymentsResponse RunSubsidies(const std::string& month) {
    v1::RunSubsidyPaymentsRequest req;
    req.set_month(month);
    v1::RunSubsidyPaymentsResponse resp;
    grpc::Status s =
        Call(kReviewer, [&](auto* c) { return homecare_stub_->RunSubsidyPayments(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  v1::Subsidy GetSubsidy(const std::string& subsidy_id) {
    v1::GetSubsidyRequest req;
    req.set_subsidy_id(subsidy_id);
    v1::GetSubsidyResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return homecare_stub_->GetSubsidy(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.subsidy();
  }
};

TEST_F(EldercareIntegrationTest, EnrolsOncePendingUntilAnotherPersonApproves) {
  const std::string id = Id("19400315", true);
  v1::Enrolment e;
  grpc::Status s = Enrol(id, "2023-03-02", &e);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(e.status(), v1::ENROLMENT_STATUS_PENDING_APPROVAL);
  EXPECT_EQ(e.birth_date(), "1940-03-15");
  EXPECT_EQ(e.start_month(), "2023-03");
  EXPECT_EQ(e.id_number_masked(), "340722********" + id.substr(14));
  EXPECT_EQ(e.recorded_by(), "clerk-1");

  // Maker ≠ checker: the clerk who recorded it may not approve it, even holding the role.
  s = Approve(e.enrolment_id(), "2023-03-05", {"clerk-1", "eldercare.reviewer", "340722"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  // A clerk's role is not enough.
  s = Approve(e.enrolment_id(), "2023-03-05", {"clerk-2", "eldercare.clerk", "340722"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Nothing is paid while pending.
  EXPECT_EQ(Run("2023-03").due(), 0);

  v1::Enrolment approved;
  s = Approve(e.enrolment_id(), "2023-03-05", kReviewer, &approved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(approved.status(), v1::ENROLMENT_STATUS_ACTIVE);
  EXPECT_EQ(approved.approved_by(), "reviewer-1");
  EXPECT_EQ(approved.approval_date(), "2023-03-05");
  EXPECT_EQ(Approve(e.enrolment_id(), "2023-03-06").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Enrolled once.
  s = Enrol(id, "2023-04-01");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_enrolments"), 1);
}

TEST_F(EldercareIntegrationTest, BadInputIsRefusedNamingTheFieldOrRuleAndWritesNothing) {
  std::string wrong = Id("19400315", true);
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  grpc::Status s = Enrol(wrong, "2023-03-02");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "id_number: wrong check character");

  // 79 on the application date: under the lowest tier.
  s = Enrol(Id("19430716", false), "2023-07-15");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "id_number: the person is 79 on 2023-07-15, under the lowest 高龄津贴 tier (80)");

  s = Enrol(Id("19400315", true), "2023-07-16");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("application_date:", 0), 0u) << s.error_message();

  // A village outside the caller's township.
  s = Enrol(Id("19400315", true), "2023-03-02", nullptr, kOtherVillage,
            {"clerk-3", "eldercare.clerk", "340722100"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message().rfind("region_code:", 0), 0u) << s.error_message();

  // A county without a schedule.
  s = Enrol(Id("19400315", true), "2023-03-02", nullptr, "340823100001",
            {"clerk-4", "eldercare.clerk", "*"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::SetTierScheduleRequest gap;
  gap.set_region_prefix("340722");
  gap.set_effective_month("2023-08");
  auto* t = gap.add_tiers();
  t->set_min_age(80);
  t->set_max_age(89);
  t->set_monthly_fen(3000);
  t = gap.add_tiers();
  t->set_min_age(91);
  t->set_monthly_fen(5000);
  v1::SetTierScheduleResponse resp;
  s = Call(kReviewer, [&](auto* c) { return stub_->SetTierSchedule(c, gap, &resp); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("tiers[1].min_age:", 0), 0u) << s.error_message();

  v1::RunPaymentsRequest future;
  future.set_month("2023-08");
  v1::RunPaymentsResponse run;
  s = Call(kReviewer, [&](auto* c) { return stub_->RunPayments(c, future, &run); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  EXPECT_EQ(Count("SELECT count(*) FROM allowance_enrolments"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_tiers WHERE effective_month = '2023-08-01'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_runs"), 0);
}

TEST_F(EldercareIntegrationTest, PaysEachPersonOncePerMonthEvenWhenRunsOverlapOrRepeat) {
  for (int i = 0; i < 6; ++i) Enrolled(Id("19400315", i % 2 == 0, i), "2023-02-10");
  // Two runs of the same month at once: together they pay everyone once.
  v1::RunPaymentsResponse r1, r2;
  std::thread t1([&] { r1 = Run("2023-03"); });
  std::thread t2([&] { r2 = Run("2023-03"); });
  t1.join();
  t2.join();
  EXPECT_EQ(r1.due(), 6);
  EXPECT_EQ(r2.due(), 6);
  EXPECT_EQ(r1.paid() + r2.paid(), 6);
  EXPECT_EQ(r1.already_paid() + r2.already_paid(), 6);
  EXPECT_EQ(r1.paid_fen() + r2.paid_fen(), 6 * 3000);
  // Again: nobody is paid twice.
  v1::RunPaymentsResponse again = Run("2023-03");
  EXPECT_EQ(again.paid(), 0);
  EXPECT_EQ(again.already_paid(), 6);
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_payments"), 6);
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_runs"), 3);  // each run is recorded
  // The kit's run counts what it wrote and shows a finished run's progress.
  EXPECT_EQ(RunMetric("civil_monthly_run_payments_total", "old_age_allowance"), 6);
  EXPECT_EQ(RunMetric("civil_monthly_run_progress_ratio", "old_age_allowance"), 1.0);
  // Payments are immutable.
  pqxx::connection c(dsn_);
  pqxx::work txn(c);
  EXPECT_THROW(txn.exec("UPDATE allowance_payments SET amount_fen = 1"), pqxx::sql_error);
}

TEST_F(EldercareIntegrationTest, ARunThatCollidesWithAnOverlappingRunIsDoneAgainAndPaysOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(Enrolled(Id("19400315", i % 2 == 0, i), "2023-02-10"));
  // An overlapping run (a township's) has written one person's March payment, not yet committed.
  pqxx::connection other(dsn_);
  pqxx::work township(other);
  township.exec_params(
      "INSERT INTO allowance_payments (enrolment_id, month, tier, amount_fen, region_code, run_id) "
      "VALUES ($1::uuid, '2023-03-01', '80-89', 3000, $2, gen_random_uuid())",
      ids[2], std::string(kVillage));
  v1::RunPaymentsResponse county;
  std::thread run([&] { county = Run("2023-03"); });
  // The county's run finds nobody paid, and its insert waits on that person's key …
  bool waiting = false;
  for (int i = 0; i < 200 && !waiting; ++i) {
    waiting = Count(
                  "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = "
                  "'transactionid'") > 0;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(waiting) << "the county's run never waited on the township's payment";
  township.commit();
  run.join();
  // … then fails on it and is done again from the start: the three others are paid, once.
  EXPECT_EQ(county.due(), 4);
  EXPECT_EQ(county.paid(), 3);
  EXPECT_EQ(county.already_paid(), 1);
  EXPECT_EQ(county.paid_fen(), 3 * 3000);
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_payments WHERE month = '2023-03-01'"), 4);
  EXPECT_EQ(Count("SELECT count(DISTINCT enrolment_id) FROM allowance_payments"), 4);
  // The attempt that failed left no run row behind.
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_runs WHERE month = '2023-03-01'"), 1);
}

TEST_F(EldercareIntegrationTest, TheTierFollowsTheAgeAndARaisedAmountAppliesToEveryoneEnrolled) {
  // 90 on 2023-04-20: enrolled at 89; 90–99 from May.
  const std::string id = Enrolled(Id("19330420", true), "2023-02-01");
  for (const char* m : {"2023-02", "2023-03", "2023-04", "2023-05"}) Run(m);
  // The county raises 90–99 to 60 yuan from June, after the person enrolled.
  v1::SetTierScheduleRequest raise;
  raise.set_region_prefix("340722");
  raise.set_effective_month("2023-06");
  for (auto [min, max, fen] : {std::tuple{80, 89, 3000}, {90, 99, 6000}, {100, 0, 30000}}) {
    v1::Tier* t = raise.add_tiers();
    t->set_min_age(min);
    t->set_max_age(max);
    t->set_monthly_fen(fen);
  }
  v1::SetTierScheduleResponse set;
  grpc::Status s = Call(kReviewer, [&](auto* c) { return stub_->SetTierSchedule(c, raise, &set); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(set.schedule().tiers(2).label(), "100+");
  s = Call(kReviewer, [&](auto* c) { return stub_->SetTierSchedule(c, raise, &set); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  Run("2023-06");

  const v1::Enrolment e = Get(id);
  ASSERT_EQ(e.payments_size(), 5);
  const std::vector<std::tuple<std::string, std::string, int64_t>> expected = {
      {"2023-02", "80-89", 3000},
      {"2023-03", "80-89", 3000},
      {"2023-04", "80-89", 3000},
      {"2023-05", "90-99", 5000},
      {"2023-06", "90-99", 6000}};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(e.payments(i).month(), std::get<0>(expected[i]));
    EXPECT_EQ(e.payments(i).tier(), std::get<1>(expected[i]));
    EXPECT_EQ(e.payments(i).amount_fen(), std::get<2>(expected[i]));
  }
}

TEST_F(EldercareIntegrationTest, ADeathFromAffairsStopsTheAllowanceAfterTheMonthOfDeath) {
  const std::string id = Id("19350101", false);
  const std::string enrolment = Enrolled(id, "2023-03-01");
  Run("2023-03");
  Run("2023-04");
  RecordsDeath(id, "2023-04-10");
  const v1::Enrolment e = Get(enrolment);
  EXPECT_EQ(e.status(), v1::ENROLMENT_STATUS_STOPPED);
  EXPECT_EQ(e.end_month(), "2023-05");
  EXPECT_EQ(e.reason(), "deceased on 2023-04-10");
  EXPECT_EQ(Run("2023-05").due(), 0);
  EXPECT_EQ(Get(enrolment).payments_size(), 2);

  // Assistance reports the same death earlier (a 低保 exit for death): the registry takes the
  // earlier date and the stop moves to the month after it; the months already paid stay paid.
  RecordsDeath(id, "2023-03-20", "assistance");
  EXPECT_EQ(Get(enrolment).end_month(), "2023-04");
  EXPECT_EQ(Count("SELECT count(*) FROM death_registry WHERE date_of_death = '2023-03-20'"), 1);
  // A later report of it changes nothing.
  RecordsDeath(id, "2023-05-02");
  EXPECT_EQ(Get(enrolment).end_month(), "2023-04");

  // A person whose death was reported before is not enrolled afterwards.
  const std::string dead = Id("19300101", true);
  RecordsDeath(dead, "2023-06-01");
  grpc::Status s = Enrol(dead, "2023-07-01");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
}

TEST_F(EldercareIntegrationTest, AReviewerStopsAnEnrolmentWithAReasonAfterTheMonthOfTheDate) {
  const std::string enrolment = Enrolled(Id("19380808", true, 21), "2023-03-01");
  Run("2023-03");
  v1::StopEnrolmentRequest stop;
  stop.set_enrolment_id(enrolment);
  stop.set_date("2023-04-12");
  stop.set_reason("moved out of the county");
  v1::StopEnrolmentResponse stopped;
  // A clerk may not stop it, nor a reviewer of another township.
  grpc::Status s = Call(kClerk, [&](auto* c) { return stub_->StopEnrolment(c, stop, &stopped); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  s = Call({"reviewer-3", "eldercare.reviewer", "340722200"},
           [&](auto* c) { return stub_->StopEnrolment(c, stop, &stopped); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Without a reason: the field is named, nothing changes.
  stop.set_reason("");
  s = Call(kReviewer, [&](auto* c) { return stub_->StopEnrolment(c, stop, &stopped); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "reason: is required");
  EXPECT_EQ(Get(enrolment).status(), v1::ENROLMENT_STATUS_ACTIVE);

  stop.set_reason("moved out of the county");
  s = Call(kReviewer, [&](auto* c) { return stub_->StopEnrolment(c, stop, &stopped); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(stopped.enrolment().status(), v1::ENROLMENT_STATUS_STOPPED);
  EXPECT_EQ(stopped.enrolment().end_month(), "2023-05");
  EXPECT_EQ(stopped.enrolment().reason(), "moved out of the county");
  EXPECT_EQ(Run("2023-04").paid(), 1);  // the month of the move is still paid
  EXPECT_EQ(Run("2023-05").due(), 0);
  s = Call(kReviewer, [&](auto* c) { return stub_->StopEnrolment(c, stop, &stopped); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EldercareIntegrationTest,
       AnUpheldGrievanceReversesAStopKeepsItsHistoryAndPaysTheMissedMonthsOnce) {
  const std::string enrolment = Enrolled(Id("19380808", true, 31), "2023-03-01");
  Run("2023-03");
  v1::StopEnrolmentRequest stop;
  stop.set_enrolment_id(enrolment);
  stop.set_date("2023-03-20");
  stop.set_reason("moved out of the county");
  v1::StopEnrolmentResponse stopped;
  grpc::Status s =
      Call(kReviewer, [&](auto* c) { return stub_->StopEnrolment(c, stop, &stopped); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (const char* m : {"2023-04", "2023-05", "2023-06"}) EXPECT_EQ(Run(m).due(), 0);

  const std::string g = Upheld(enrolment, "2023-07-03");
  EXPECT_EQ(Get(enrolment).status(), v1::ENROLMENT_STATUS_STOPPED);  // not before confirmation
  // Maker ≠ checker: the reviewer who upheld it may not confirm it.
  s = Confirm(g, kReviewer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  civil::grievance::v1::Grievance confirmed;
  s = Confirm(g, kTownshipReviewer, &confirmed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(confirmed.status(), civil::grievance::v1::CLOSED);
  EXPECT_EQ(confirmed.reopened(), "stop reversed, back-payment 3 month(s), 9000 fen");

  // Active again; the months the runs passed over are paid once as adjustment rows outside any
  // run; March's payment is untouched.
  const v1::Enrolment e = Get(enrolment);
  EXPECT_EQ(e.status(), v1::ENROLMENT_STATUS_ACTIVE);
  EXPECT_EQ(e.end_month(), "");
  ASSERT_EQ(e.payments_size(), 4);
  EXPECT_NE(e.payments(0).run_id(), "");
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ(e.payments(i).run_id(), "");
    EXPECT_EQ(e.payments(i).amount_fen(), 3000);
  }
  EXPECT_EQ(e.payments(3).month(), "2023-06");
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_payments WHERE kind = 'ADJUSTMENT' AND "
                  "grievance_id = '" +
                  g + "'"),
            3);
  // The stop that was reversed stays in the history.
  EXPECT_EQ(Text("SELECT action || ' ' || end_month::text || ' ' || reason || ' ' || actor FROM "
                 "allowance_enrolment_history WHERE enrolment_id = '" +
                 enrolment + "'"),
            "STOP_REVERSED 2023-04-01 moved out of the county reviewer-2");
  // The next run of the region settles the back-payment: a repeated June run pays nobody twice,
  // and its bank file pays the three months once, marked 补发; July's run pays July and finds
  // nothing left to settle.
  const v1::RunPaymentsResponse june = Run("2023-06");
  EXPECT_EQ(june.paid(), 0);
  EXPECT_EQ(june.adjustments_settled(), 3);
  EXPECT_EQ(june.adjustments_fen(), 9000);
  v1::ExportAllowanceBankFileRequest bank;
  bank.set_run_id(june.run_id());
  v1::ExportAllowanceBankFileResponse file;
  s = Call(kReviewer, [&](auto* c) { return bank_stub_->ExportAllowanceBankFile(c, bank, &file); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(file.rows(), 3);
  EXPECT_EQ(file.total_fen(), 9000);
  const std::vector<std::string> lines = absl::StrSplit(file.content(), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << file.content();
  for (int i = 1; i < 4; ++i) {
    EXPECT_TRUE(absl::EndsWith(lines[i], ",30.00,2023-0" + std::to_string(3 + i) + "," +
                                             std::string(kVillage) + ",高龄津贴(补发)"))
        << lines[i];
  }
  const v1::RunPaymentsResponse july = Run("2023-07");
  EXPECT_EQ(july.paid(), 1);
  EXPECT_EQ(july.adjustments_settled(), 0);
  bank.set_run_id(july.run_id());
  s = Call(kReviewer, [&](auto* c) { return bank_stub_->ExportAllowanceBankFile(c, bank, &file); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(file.rows(), 1);  // July's own payment; the back-payment was June's run's
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_adjustment_settlements"), 3);

  // A second upheld grievance finds nothing stopped: refused, nothing paid again.
  const std::string again = Upheld(enrolment, "2023-07-10");
  s = Confirm(again, kTownshipReviewer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(
      Count("SELECT count(*) FROM allowance_payments WHERE enrolment_id = '" + enrolment + "'"), 5);

  // A stop for a death is not reversed by a grievance.
  const std::string id = Id("19350101", false, 32);
  const std::string dead = Enrolled(id, "2023-03-01");
  RecordsDeath(id, "2023-04-10");
  const std::string refused = Upheld(dead, "2023-07-11");
  s = Confirm(refused, kTownshipReviewer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "death")) << s.error_message();
  EXPECT_EQ(Get(dead).status(), v1::ENROLMENT_STATUS_STOPPED);
}

TEST_F(EldercareIntegrationTest, TheSummaryCountsPersonsActiveAsOfAndMoneyPaidByTierInTheRegion) {
  Enrolled(Id("19400315", true, 1), "2023-01-05");                 // 83: 80–89
  Enrolled(Id("19300315", false, 2), "2023-01-05");                // 93: 90–99
  Enrolled(Id("19400315", true, 3), "2023-01-05", kOtherVillage);  // another township
  const std::string gone = Id("19350101", true, 4);
  Enrolled(gone, "2023-01-05");
  for (const char* m : {"2023-01", "2023-02", "2023-03"}) Run(m);
  RecordsDeath(gone, "2023-02-20");  // paid Jan–Mar already; stopped from March on

  v1::GetSummaryRequest req;
  req.set_period_start("2023-01-01");
  req.set_period_end("2023-03-31");
  v1::GetSummaryResponse county;
  grpc::Status s =
      Call(kReviewer, [&](auto* c) { return summary_stub_->GetSummary(c, req, &county); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(county.allowance_persons(), 3);  // the deceased is no longer active
  EXPECT_EQ(county.allowance_paid_fen(), 3 * (3 * 3000 + 5000));  // 4 persons × 3 months
  std::map<std::string, std::pair<int, int64_t>> tiers;
  for (const auto& t : county.allowance_by_tier()) tiers[t.tier()] = {t.persons(), t.paid_fen()};
  EXPECT_EQ(tiers["80-89"], std::make_pair(2, int64_t{3 * 3 * 3000}));
  EXPECT_EQ(tiers["90-99"], std::make_pair(1, int64_t{3 * 5000}));
  ASSERT_EQ(county.lines_size(), 6);
  EXPECT_EQ(county.lines(0), "享有高龄津贴3人,发放资金0.04万元");

  // Within a township reviewer's region only.
  v1::GetSummaryResponse township;
  s = Call(kTownshipReviewer,
           [&](auto* c) { return summary_stub_->GetSummary(c, req, &township); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(township.allowance_persons(), 2);
  EXPECT_EQ(township.allowance_paid_fen(), 3 * (2 * 3000 + 5000));
  req.set_region_prefix("340722200");
  s = Call(kTownshipReviewer,
           [&](auto* c) { return summary_stub_->GetSummary(c, req, &township); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A clerk does not read the summary.
  s = Call(kClerk, [&](auto* c) { return summary_stub_->GetSummary(c, req, &township); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(EldercareIntegrationTest, ALowIncomeOnlyTierAsksAssistanceAndWaitsWhenItDoesNotAnswer) {
  // Township 340722100 pays 80–89 only to low-income households.
  v1::SetTierScheduleRequest rule;
  rule.set_region_prefix("340722100");
  rule.set_effective_month("2023-01");
  for (auto [min, max, fen, low] :
       {std::tuple{80, 89, 3000, true}, {90, 99, 5000, false}, {100, 0, 30000, false}}) {
    v1::Tier* t = rule.add_tiers();
    t->set_min_age(min);
    t->set_max_age(max);
    t->set_monthly_fen(fen);
    t->set_low_income_only(low);
  }
  v1::SetTierScheduleResponse set;
  grpc::Status s = Call(kReviewer, [&](auto* c) { return stub_->SetTierSchedule(c, rule, &set); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(set.schedule().tiers(0).low_income_only());

  // In 低保: confirmed, asked as the department's system identity on the application date.
  const std::string dibao = Id("19400315", true, 11);
  assistance_->Enrol(dibao, "dibao-enrolment-1", av1::PROGRAMME_DIBAO);
  v1::Enrolment confirmed;
  s = Enrol(dibao, "2023-07-10", &confirmed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(confirmed.status(), v1::ENROLMENT_STATUS_PENDING_APPROVAL);
  EXPECT_EQ(confirmed.low_income(), v1::LOW_INCOME_CONFIRMED);
  EXPECT_EQ(confirmed.low_income_enrolment_id(), "dibao-enrolment-1");
  EXPECT_EQ(assistance_->last_roles(), "system");
  EXPECT_EQ(assistance_->last_subject(), "service:eldercare");
  EXPECT_EQ(assistance_->last_as_of(), "2023-07-10");

  // Not low-income: refused, nothing written.
  s = Enrol(Id("19390101", false, 12), "2023-07-10");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(s.error_message().rfind("id_number: ", 0), 0u) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM allowance_enrolments"), 1);

  // 92: the 90–99 tier is for everyone; assistance is not asked.
  const int calls = assistance_->calls();
  v1::Enrolment ninety;
  ASSERT_TRUE(Enrol(Id("19310101", true, 13), "2023-07-10", &ninety).ok());
  EXPECT_EQ(ninety.low_income(), v1::LOW_INCOME_NOT_REQUIRED);
  EXPECT_EQ(assistance_->calls(), calls);

  // Assistance does not answer within the deadline: the enrolment waits, never approved blind.
  const std::string tekun = Id("19380505", false, 14);
  const std::string nobody = Id("19370606", true, 15);
  assistance_->SetDelay(1000);
  v1::Enrolment waiting, waiting_too;
  ASSERT_TRUE(Enrol(tekun, "2023-07-10", &waiting).ok());
  ASSERT_TRUE(Enrol(nobody, "2023-07-10", &waiting_too).ok());
  EXPECT_EQ(waiting.status(), v1::ENROLMENT_STATUS_PENDING_ELIGIBILITY);
  EXPECT_EQ(waiting.low_income(), v1::LOW_INCOME_UNANSWERED);
  EXPECT_NE(waiting.reason().find("DEADLINE_EXCEEDED"), std::string::npos) << waiting.reason();
  s = Approve(waiting.enrolment_id(), "2023-07-11");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  // Still no answer: a recheck leaves it waiting.
  v1::RecheckEligibilityRequest one;
  one.set_enrolment_id(waiting.enrolment_id());
  v1::RecheckEligibilityResponse rechecked;
  s = Call(kClerk, [&](auto* c) { return stub_->RecheckEligibility(c, one, &rechecked); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(rechecked.still_pending(), 1);

  // Assistance answers again: 特困 confirms one, nothing for the other rejects it (the sweep).
  assistance_->SetDelay(0);
  assistance_->Enrol(tekun, "tekun-enrolment-1", av1::PROGRAMME_TEKUN);
  v1::RecheckEligibilityRequest sweep;
  v1::RecheckEligibilityResponse swept;
  s = Call(kClerk, [&](auto* c) { return stub_->RecheckEligibility(c, sweep, &swept); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(swept.confirmed(), 1);
  EXPECT_EQ(swept.rejected(), 1);
  EXPECT_EQ(swept.still_pending(), 0);
  EXPECT_EQ(Get(waiting.enrolment_id()).status(), v1::ENROLMENT_STATUS_PENDING_APPROVAL);
  EXPECT_EQ(Get(waiting.enrolment_id()).low_income_enrolment_id(), "tekun-enrolment-1");
  EXPECT_EQ(Get(waiting_too.enrolment_id()).status(), v1::ENROLMENT_STATUS_REJECTED);

  for (const auto& e : {confirmed, ninety, waiting}) {
    s = Approve(e.enrolment_id(), "2023-07-12");
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::RunPaymentsResponse july = Run("2023-07");
  EXPECT_EQ(july.paid(), 3);
  EXPECT_EQ(july.paid_fen(), 3000 + 5000 + 3000);
}

}  // namespace
}  // namespace civil::eldercare

namespace civil::eldercare {
namespace {

TEST_F(EldercareIntegrationTest, HomeCareSubsidiesArePaidByLevelOncePerMonthThroughTheKitRun) {
  const std::string a = Subsidised(Id("19500310", true, 1), 1, "2023-03-05");
  const std::string b = Subsidised(Id("19480101", false, 2), 3, "2023-03-20");
  // Two runs of March at once, then a third: each person is paid once.
  v1::RunSubsidyPaymentsResponse r1, r2;
  std::thread t1([&] { r1 = RunSubsidies("2023-03"); });
  std::thread t2([&] { r2 = RunSubsidies("2023-03"); });
  t1.join();
  t2.join();
  EXPECT_EQ(r1.paid() + r2.paid(), 2);
  EXPECT_EQ(r1.paid_fen() + r2.paid_fen(), 4000 + 10000);
  EXPECT_EQ(RunSubsidies("2023-03").already_paid(), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM homecare_payments"), 2);
  EXPECT_EQ(RunMetric("civil_monthly_run_payments_total", "home_care_subsidy"), 2);

  // A raised amount of level 1 from April reaches a without anyone touching the case.
  v1::SetLevelScheduleRequest raise;
  raise.set_region_prefix("340722");
  raise.set_effective_month("2023-04");
  for (auto [level, fen] : {std::pair{1, 4500}, {2, 6000}, {3, 10000}}) {
    v1::LevelAmount* l = raise.add_levels();
    l->set_level(level);
    l->set_monthly_fen(fen);
  }
  v1::SetLevelScheduleResponse raised;
  grpc::Status s =
      Call(kReviewer, [&](auto* c) { return homecare_stub_->SetLevelSchedule(c, raise, &raised); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(RunSubsidies("2023-04").paid_fen(), 4500 + 10000);
  const v1::Subsidy got = GetSubsidy(a);
  ASSERT_EQ(got.payments_size(), 2);
  EXPECT_EQ(got.payments(0).level(), "level-1");
  EXPECT_EQ(got.payments(1).amount_fen(), 4500);

  // The summary of January–April: both active on 30 April, by level; the money of four runs.
  v1::GetSummaryRequest sreq;
  sreq.set_period_start("2023-01-01");
  sreq.set_period_end("2023-04-30");
  v1::GetSummaryResponse summary;
  s = Call(kReviewer, [&](auto* c) { return summary_stub_->GetSummary(c, sreq, &summary); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(summary.homecare_persons(), 2);
  EXPECT_EQ(summary.homecare_paid_fen(), 4000 + 10000 + 4500 + 10000);
  ASSERT_EQ(summary.homecare_by_level_size(), 2);
  EXPECT_EQ(summary.homecare_by_level(0).level(), "level-1");
  EXPECT_EQ(summary.homecare_by_level(0).persons(), 1);
  EXPECT_EQ(summary.homecare_by_level(0).paid_fen(), 8500);
  ASSERT_EQ(summary.lines_size(), 6);
  EXPECT_EQ(summary.lines(1).rfind("居家养老服务补贴2人,发放资金", 0), 0u) << summary.lines(1);

  // b moves out of the county on 2023-04-20: paid up to April.
  v1::StopSubsidyRequest stop;
  stop.set_subsidy_id(b);
  stop.set_date("2023-04-20");
  stop.set_reason(v1::SUBSIDY_STOP_REASON_MOVED_OUT);
  v1::StopSubsidyResponse stopped;
  s = Call(kReviewer, [&](auto* c) { return homecare_stub_->StopSubsidy(c, stop, &stopped); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(stopped.subsidy().end_month(), "2023-05");
  EXPECT_EQ(stopped.subsidy().stop_date(), "2023-04-20");

  // a dies in May: May is the last month paid.
  RecordsDeath(Id("19500310", true, 1), "2023-05-03");
  EXPECT_EQ(GetSubsidy(a).stop_reason(), v1::SUBSIDY_STOP_REASON_DECEASED);
  EXPECT_EQ(GetSubsidy(a).end_month(), "2023-06");
  EXPECT_EQ(RunSubsidies("2023-05").paid(), 1);  // a only
  EXPECT_EQ(RunSubsidies("2023-06").due(), 0);
  // Payments are immutable.
  pqxx::connection c(dsn_);
  pqxx::work txn(c);
  EXPECT_THROW(txn.exec("DELETE FROM homecare_payments"), pqxx::sql_error);
}

TEST_F(EldercareIntegrationTest,
       AMoveOutStopsTheSubsidyAndAnUpheldGrievanceReversesItPayingTheMissedMonthsOnce) {
  const std::string id = Id("19460606", true, 41);
  const std::string subsidy = Subsidised(id, 2, "2023-03-05");
  EXPECT_EQ(RunSubsidies("2023-03").paid(), 1);
  // The exchange reports the registration moved out on 10 March: March is the last month paid.
  RecordsMoveOut(id, "2023-03-10");
  v1::Subsidy got = GetSubsidy(subsidy);
  EXPECT_EQ(got.status(), v1::SUBSIDY_STATUS_STOPPED);
  EXPECT_EQ(got.stop_reason(), v1::SUBSIDY_STOP_REASON_MOVED_OUT);
  EXPECT_EQ(got.end_month(), "2023-04");
  for (const char* m : {"2023-04", "2023-05"}) EXPECT_EQ(RunSubsidies(m).due(), 0);

  // The move was reported in error: the reconsideration is upheld and confirmed by another
  // reviewer (it pays money); April and May are paid once each as adjustments.
  const std::string g = Upheld(subsidy, "2023-06-05", "HOMECARE_SUBSIDY");
  EXPECT_EQ(GetSubsidy(subsidy).status(), v1::SUBSIDY_STATUS_STOPPED);
  EXPECT_EQ(Confirm(g, kReviewer).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  civil::grievance::v1::Grievance confirmed;
  grpc::Status s = Confirm(g, kTownshipReviewer, &confirmed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(confirmed.reopened(), "stop from 2023-04 reversed, back-payment 2 month(s), 12000 fen");
  got = GetSubsidy(subsidy);
  EXPECT_EQ(got.status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(got.end_month(), "");
  ASSERT_EQ(got.payments_size(), 3);
  EXPECT_EQ(got.payments(1).month(), "2023-04");
  EXPECT_EQ(got.payments(2).amount_fen(), 6000);
  EXPECT_EQ(Count("SELECT count(*) FROM homecare_payments WHERE kind = 'ADJUSTMENT' AND run_id IS "
                  "NULL AND grievance_id = '" +
                  g + "'"),
            2);
  EXPECT_EQ(Text("SELECT action || ' ' || end_month::text || ' ' || stop_reason || ' ' || actor "
                 "FROM homecare_subsidy_history WHERE subsidy_id = '" +
                 subsidy + "'"),
            "STOP_REVERSED 2023-04-01 MOVED_OUT reviewer-2");
  // The runs go on from June; a repeated May run pays nobody twice and settles the two months
  // back, which its bank file pays marked 补发; June's run has none left to settle.
  const v1::RunSubsidyPaymentsResponse may = RunSubsidies("2023-05");
  EXPECT_EQ(may.paid(), 0);
  EXPECT_EQ(may.adjustments_settled(), 2);
  v1::ExportHomeCareBankFileRequest bank;
  bank.set_run_id(may.run_id());
  v1::ExportHomeCareBankFileResponse file;
  s = Call(kReviewer, [&](auto* c) { return bank_stub_->ExportHomeCareBankFile(c, bank, &file); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(file.rows(), 2);
  EXPECT_EQ(file.total_fen(), may.adjustments_fen());
  EXPECT_TRUE(absl::StrContains(file.content(), "居家养老服务补贴(补发)")) << file.content();
  const v1::RunSubsidyPaymentsResponse june = RunSubsidies("2023-06");
  EXPECT_EQ(june.paid(), 1);
  EXPECT_EQ(june.adjustments_settled(), 0);

  // Nothing stopped any more: a second upheld grievance is refused and pays nothing.
  s = Confirm(Upheld(subsidy, "2023-06-20", "HOMECARE_SUBSIDY"), kTownshipReviewer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM homecare_payments WHERE subsidy_id = '" + subsidy + "'"),
            4);

  // A stop for a death is not reversed.
  const std::string dead_id = Id("19440404", false, 42);
  const std::string dead = Subsidised(dead_id, 1, "2023-03-05");
  RecordsDeath(dead_id, "2023-04-02");
  s = Confirm(Upheld(dead, "2023-06-21", "HOMECARE_SUBSIDY"), kTownshipReviewer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "death")) << s.error_message();
  EXPECT_EQ(GetSubsidy(dead).status(), v1::SUBSIDY_STATUS_STOPPED);
}

TEST_F(EldercareIntegrationTest, HomeCareBadInputIsRefusedNamingTheFieldOrRuleAndWritesNothing) {
  v1::Subsidy sub;
  grpc::Status s = Assess(Id("19630310", false), 1, "2023-03-05");  // 59 that day
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind("id_number: the person is 59", 0), 0u) << s.error_message();
  s = Assess(Id("19500310", true), 4, "2023-03-05");  // no level 4 in the county's schedule
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind("level: level 4 is not in the schedule", 0), 0u);
  s = Assess(Id("19500310", true), 1, "2023-07-16");  // tomorrow
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("assessment_date", 0), 0u) << s.error_message();
  s = Assess(Id("19500310", true), 1, "2023-03-05", &sub, "340800100001");  // outside the scope
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Count("SELECT count(*) FROM homecare_subsidies"), 0);
  // The same person twice: once.
  ASSERT_TRUE(Assess(Id("19500310", true), 1, "2023-03-05").ok());
  EXPECT_EQ(Assess(Id("19500310", true), 2, "2023-03-06").error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count("SELECT count(*) FROM homecare_subsidies"), 1);
}

}  // namespace
}  // namespace civil::eldercare

namespace civil::eldercare {
namespace {

TEST_F(EldercareIntegrationTest,
       FacilitiesTakeTheirStepsInOrderAndTheSummaryCountsPlannedAndBuilt) {
  const std::string canteen = Planned(v1::FACILITY_KIND_CANTEEN, "会宫镇老年食堂");
  const std::string station = Planned(v1::FACILITY_KIND_VILLAGE_STATION, "村养老服务站");
  Planned(v1::FACILITY_KIND_VILLAGE_STATION, "另一村养老服务站");
  // Out of order: named, nothing written.
  grpc::Status s = Step(canteen, v1::FACILITY_STATUS_COMPLETED, "2023-03-01");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "status: the facility is PLANNED; the next step is UNDER_CONSTRUCTION, not COMPLETED");
  EXPECT_EQ(Count("SELECT count(*) FROM facilities WHERE status <> 'PLANNED'"), 0);
  EXPECT_EQ(Step(canteen, v1::FACILITY_STATUS_UNDER_CONSTRUCTION, "2023-07-16").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // the future
  ASSERT_TRUE(Step(canteen, v1::FACILITY_STATUS_UNDER_CONSTRUCTION, "2023-02-01").ok());
  EXPECT_EQ(
      Step(canteen, v1::FACILITY_STATUS_COMPLETED, "2023-01-20").error_message().rfind("date:", 0),
      0u);  // before the previous step
  ASSERT_TRUE(Step(canteen, v1::FACILITY_STATUS_COMPLETED, "2023-05-10").ok());
  v1::Facility f;
  ASSERT_TRUE(Step(canteen, v1::FACILITY_STATUS_OPERATING, "2023-06-01", &f).ok());
  EXPECT_EQ(f.construction_start_date(), "2023-02-01");
  EXPECT_EQ(f.completion_date(), "2023-05-10");
  EXPECT_EQ(f.operation_start_date(), "2023-06-01");
  ASSERT_TRUE(Step(station, v1::FACILITY_STATUS_UNDER_CONSTRUCTION, "2023-03-01").ok());
  ASSERT_TRUE(Step(station, v1::FACILITY_STATUS_COMPLETED, "2023-07-01").ok());

  // 六公示 and meals: canteens only, meals once a month.
  v1::RecordSixNoticesRequest notices;
  notices.set_facility_id(canteen);
  notices.set_date("2023-06-02");
  v1::RecordSixNoticesResponse posted;
  s = Call(kClerk, [&](auto* c) { return facility_stub_->RecordSixNotices(c, notices, &posted); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(posted.facility().six_notices_date(), "2023-06-02");
  notices.set_facility_id(station);
  s = Call(kClerk, [&](auto* c) { return facility_stub_->RecordSixNotices(c, notices, &posted); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::RecordMealsRequest meals;
  meals.set_facility_id(canteen);
  meals.set_month("2023-06");
  meals.set_meals(1240);
  v1::RecordMealsResponse served;
  s = Call(kClerk, [&](auto* c) { return facility_stub_->RecordMeals(c, meals, &served); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(served.facility().meals_size(), 1);
  EXPECT_EQ(served.facility().meals(0).meals(), 1240);
  s = Call(kClerk, [&](auto* c) { return facility_stub_->RecordMeals(c, meals, &served); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);

  // As of 30 June: 2 stations planned, none built (the second completed in July); 1 canteen.
  v1::GetSummaryRequest req;
  req.set_period_start("2023-01-01");
  req.set_period_end("2023-06-30");
  v1::GetSummaryResponse summary;
  s = Call(kReviewer, [&](auto* c) { return summary_stub_->GetSummary(c, req, &summary); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(summary.facilities_size(), 5);
  EXPECT_EQ(summary.facilities(0).kind(), "VILLAGE_STATION");
  EXPECT_EQ(summary.facilities(0).planned(), 2);
  EXPECT_EQ(summary.facilities(0).built(), 0);
  EXPECT_EQ(summary.facilities(1).planned(), 1);
  EXPECT_EQ(summary.facilities(1).built(), 1);
  EXPECT_EQ(summary.lines(2),
            "2023年全县确定建设村(居)级养老服务站2个、城乡老年食堂(助餐点)1个,"
            "目前养老服务站已建设完成0个,老年食堂(助餐点)已经建设完成1个");
}

}  // namespace
}  // namespace civil::eldercare

namespace civil::eldercare {
namespace {

TEST_F(EldercareIntegrationTest, AnAdaptationGoesSurveyPlanWorksAcceptanceAndPlacementsAreCounted) {
  auto survey = [&](const std::string& id, v1::Adaptation* out) {
    v1::SurveyHouseholdRequest req;
    req.set_head_name("张某");
    req.set_head_id_number(id);
    req.set_region_code(kVillage);
    req.set_target_year(2023);
    req.set_findings("卫生间无扶手");
    req.set_survey_date("2023-02-01");
    v1::SurveyHouseholdResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return adaptation_stub_->SurveyHousehold(c, req, &resp); });
    *out = resp.adaptation();
    return s;
  };
  v1::Adaptation a, b;
  ASSERT_TRUE(survey(Id("19450101", true, 1), &a).ok());
  ASSERT_TRUE(survey(Id("19460101", false, 2), &b).ok());
  EXPECT_EQ(survey(Id("19450101", true, 1), &b).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  // Acceptance before the plan: refused naming the step expected, nothing written.
  v1::AcceptAdaptationRequest accept;
  accept.set_adaptation_id(a.adaptation_id());
  accept.set_date("2023-05-01");
  v1::AcceptAdaptationResponse accepted;
  grpc::Status s = Call(
      kReviewer, [&](auto* c) { return adaptation_stub_->AcceptAdaptation(c, accept, &accepted); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "step: the adaptation is SURVEYED; the next step is PLANNED, not ACCEPTED");

  v1::PlanAdaptationRequest plan;
  plan.set_adaptation_id(a.adaptation_id());
  plan.set_date("2023-03-01");
  v1::PlanAdaptationResponse planned;
  plan.add_items()->set_item("卫生间扶手");  // no cost: refused naming the field
  s = Call(kClerk, [&](auto* c) { return adaptation_stub_->PlanAdaptation(c, plan, &planned); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("items[0].cost_fen", 0), 0u) << s.error_message();
  plan.mutable_items(0)->set_cost_fen(30000);
  v1::PlanItem* floor = plan.add_items();
  floor->set_item("防滑地面");
  floor->set_cost_fen(45000);
  s = Call(kClerk, [&](auto* c) { return adaptation_stub_->PlanAdaptation(c, plan, &planned); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(planned.adaptation().plan_cost_fen(), 75000);
  EXPECT_EQ(planned.adaptation().items_size(), 2);

  v1::StartWorksRequest works;
  works.set_adaptation_id(a.adaptation_id());
  works.set_contractor("某装饰公司");
  works.set_date("2023-04-01");
  v1::StartWorksResponse started;
  s = Call(kClerk, [&](auto* c) { return adaptation_stub_->StartWorks(c, works, &started); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Call(kReviewer,
           [&](auto* c) { return adaptation_stub_->AcceptAdaptation(c, accept, &accepted); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(accepted.adaptation().status(), v1::ADAPTATION_STATUS_ACCEPTED);
  EXPECT_EQ(accepted.adaptation().accepted_by(), kReviewer.subject);

  // Two placements, one ended before the period's end.
  std::vector<std::string> placed;
  for (int i = 0; i < 2; ++i) {
    v1::PlaceInInstitutionRequest req;
    req.set_name("赵某");
    req.set_id_number(Id("19400101", i == 0, 10 + i));
    req.set_region_code(kVillage);
    req.set_institution("县社会福利中心");
    req.set_basis("低保");
    req.set_placement_date("2023-03-01");
    v1::PlaceInInstitutionResponse resp;
    s = Call(kClerk, [&](auto* c) { return adaptation_stub_->PlaceInInstitution(c, req, &resp); });
    ASSERT_TRUE(s.ok()) << s.error_message();
    placed.push_back(resp.placement().placement_id());
  }
  v1::EndPlacementRequest end;
  end.set_placement_id(placed[1]);
  end.set_date("2023-05-01");
  v1::EndPlacementResponse ended;
  s = Call(kClerk, [&](auto* c) { return adaptation_stub_->EndPlacement(c, end, &ended); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Call(kClerk, [&](auto* c) { return adaptation_stub_->EndPlacement(c, end, &ended); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::GetSummaryRequest req;
  req.set_period_start("2023-01-01");
  req.set_period_end("2023-06-30");
  v1::GetSummaryResponse summary;
  s = Call(kReviewer, [&](auto* c) { return summary_stub_->GetSummary(c, req, &summary); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(summary.adaptations_planned(), 2);
  EXPECT_EQ(summary.adaptation_plans_made(), 1);
  EXPECT_EQ(summary.adaptations_accepted(), 1);
  EXPECT_EQ(summary.placements(), 1);
  ASSERT_EQ(summary.lines_size(), 6);
  EXPECT_EQ(summary.lines(3), "确定老年人家庭适老化改造2户");
  EXPECT_EQ(summary.lines(4), "为全县1名低保老年人提供机构托养服务");
  EXPECT_EQ(summary.lines(5), "未开展特殊困难老年人探视走访试点");  // no visit pilot declared
}

}  // namespace
}  // namespace civil::eldercare

namespace civil::eldercare {
namespace {

TEST_F(EldercareIntegrationTest, TheBankFileOfARunListsItsPaymentsMaskedOrFullWithTheTrail) {
  const std::string a = Id("19400315", true, 1), b = Id("19320101", false, 2);
  Enrolled(a, "2023-02-10");
  Enrolled(b, "2023-02-10", kOtherVillage);
  const v1::RunPaymentsResponse run = Run("2023-03");
  ASSERT_EQ(run.paid(), 2);
  auto Export = [&](const As& as, const std::string& prefix, const std::string& reason,
                    v1::ExportAllowanceBankFileResponse* out) {
    v1::ExportAllowanceBankFileRequest req;
    req.set_run_id(run.run_id());
    req.set_region_prefix(prefix);
    req.set_reveal_reason(reason);
    return Call(as, [&](auto* c) { return bank_stub_->ExportAllowanceBankFile(c, req, out); });
  };

  // Masked for anyone allowed; the file's form is the kit's.
  v1::ExportAllowanceBankFileResponse masked;
  grpc::Status s = Export(kReviewer, "", "", &masked);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(masked.rows(), 2);
  EXPECT_EQ(masked.total_fen(), 3000 + 5000);
  EXPECT_FALSE(masked.full_id_numbers());
  EXPECT_EQ(masked.file_name(), "bank-OLD_AGE_ALLOWANCE-2023-03-340722.csv");
  std::vector<std::string> lines = absl::StrSplit(masked.content(), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << masked.content();
  EXPECT_EQ(lines[0], "序号,姓名,身份证号码,金额(元),发放月份,区划代码,项目");
  EXPECT_EQ(masked.content().find(a), std::string::npos);  // masked
  EXPECT_NE(lines[1].find(",高龄津贴"), std::string::npos) << lines[1];
  EXPECT_EQ(Count("SELECT count(*) FROM id_views"), 0);

  // One township, full ID numbers for a reason: each payee is in the trail before the file leaves.
  v1::ExportAllowanceBankFileResponse full;
  s = Export(kReviewer, "340722100", "报送银行代发", &full);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(full.rows(), 1);
  EXPECT_TRUE(full.full_id_numbers());
  EXPECT_NE(full.content().find(a), std::string::npos);
  EXPECT_EQ(full.content().find(b), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE method = 'ExportAllowanceBankFile' AND "
                  "record_kind = 'bank_file'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM bank_file_exports"), 2);

  // Refused: a clerk; a reason from an auditor; a prefix outside the run; an unknown run.
  v1::ExportAllowanceBankFileResponse none;
  EXPECT_EQ(Export(kClerk, "", "", &none).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const As auditor{"auditor-1", "auditor", "340722"};
  EXPECT_EQ(Export(auditor, "", "核对", &none).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Export(auditor, "", "", &none).ok());
  grpc::Status outside = Export(kReviewer, "340723", "", &none);
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(outside.error_message().find("region_prefix"), std::string::npos);
  // The run is the county's: to a township it is as unknown as a run that does not exist.
  EXPECT_EQ(Export(kTownshipReviewer, "", "", &none).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::ExportAllowanceBankFileRequest unknown;
  unknown.set_run_id("00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(Call(kReviewer,
                 [&](auto* c) { return bank_stub_->ExportAllowanceBankFile(c, unknown, &none); })
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Count("SELECT count(*) FROM bank_file_exports"), 3);  // the auditor's masked one

  // The 居家养老服务补贴 run has its own file.
  const std::string subsidy = Subsidised(Id("19500310", true, 8), 2, "2023-03-01");
  ASSERT_FALSE(subsidy.empty());
  const v1::RunSubsidyPaymentsResponse homecare = RunSubsidies("2023-03");
  ASSERT_EQ(homecare.paid(), 1);
  v1::ExportHomeCareBankFileRequest hreq;
  hreq.set_run_id(homecare.run_id());
  v1::ExportHomeCareBankFileResponse hfile;
  s = Call(kReviewer, [&](auto* c) { return bank_stub_->ExportHomeCareBankFile(c, hreq, &hfile); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(hfile.rows(), 1);
  EXPECT_EQ(hfile.total_fen(), 6000);
  EXPECT_NE(hfile.content().find(",居家养老服务补贴"), std::string::npos) << hfile.content();
  // A 高龄津贴 run is no 居家养老服务补贴 run.
  hreq.set_run_id(run.run_id());
  EXPECT_EQ(
      Call(kReviewer, [&](auto* c) { return bank_stub_->ExportHomeCareBankFile(c, hreq, &hfile); })
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace civil::eldercare

namespace civil::eldercare {
namespace {

TEST_F(EldercareIntegrationTest, APersonKnownDeadLeavesTheWeeksVisitWorklist) {
  auto visits = v1::VisitService::NewStub(host_->Channel());
  v1::DeclarePilotRequest pilot;
  pilot.set_township_code("340722100");
  pilot.set_start_date("2023-03-01");
  v1::DeclarePilotResponse declared;
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* c) { return visits->DeclarePilot(c, pilot, &declared); }).ok());
  const std::string alive = Id("19400101", true, 1), dies = Id("19410202", false, 2);
  for (const std::string& id : {alive, dies}) {
    v1::RegisterPersonRequest req;
    req.set_name("独居老人");
    req.set_id_number(id);
    req.set_region_code(kVillage);
    req.set_register_date("2023-05-01");
    v1::RegisterPersonResponse resp;
    ASSERT_TRUE(Call(kClerk, [&](auto* c) { return visits->RegisterPerson(c, req, &resp); }).ok());
  }
  auto Unvisited = [&] {
    v1::ListUnvisitedRequest req;
    req.set_township_code("340722100");
    v1::ListUnvisitedResponse resp;
    EXPECT_TRUE(Call(kClerk, [&](auto* c) { return visits->ListUnvisited(c, req, &resp); }).ok());
    return resp;
  };
  EXPECT_EQ(Unvisited().unvisited(), 2);
  // Affairs records the death: the person is no longer someone to visit.
  RecordsDeath(dies, "2023-07-12");
  const v1::ListUnvisitedResponse after = Unvisited();
  EXPECT_EQ(after.registered(), 1);
  EXPECT_EQ(after.unvisited(), 1);
}

}  // namespace
}  // namespace civil::eldercare
