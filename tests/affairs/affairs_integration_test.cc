// Integration tests of the social affairs department: the real gRPC services in-process over a
// real PostgreSQL started by the harness (tests/support/servers.h). The assistance department's
// EnrolmentCheckService is another department's API: a small in-process implementation with
// canned answers stands in for it, and a closed port stands in for an assistance that is down.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "civil/affairs/v1/disability.grpc.pb.h"
#include "civil/affairs/v1/funeral.grpc.pb.h"
#include "civil/affairs/v1/marriage.grpc.pb.h"
#include "civil/affairs/v1/relief.grpc.pb.h"
#include "civil/affairs/v1/summary.grpc.pb.h"
#include "civil/assistance/v1/programme.grpc.pb.h"
#include "civil/events/v1/events.pb.h"
#include "civil/grievance/v1/grievance.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "prometheus/registry.h"
#include "services/affairs/affairs.h"
#include "services/affairs/disability_service.h"
#include "services/affairs/event_handlers.h"
#include "services/affairs/funeral_service.h"
#include "services/affairs/marriage_service.h"
#include "services/affairs/migrations.h"
#include "services/affairs/relief_service.h"
#include "services/affairs/summary_service.h"
#include "services/common/department.h"
#include "services/common/events.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/server.h"
#include "tests/support/call_as.h"
#include "tests/support/canned_assistance.h"
#include "tests/support/servers.h"
#include "tests/support/test_ids.h"

namespace civil::affairs {
namespace {

using civil::testing::CannedAssistance;
using testing::Id;
namespace av1 = civil::assistance::v1;

// Who calls: roles and region scope, as the gateway forwards them.
struct As {
  std::string roles;
  std::string region;
};
const As kClerk{"affairs.clerk", "340722"};
const As kReviewer{"affairs.reviewer", "340722"};
const As kAuditor{"auditor", "340722"};

class AffairsIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    postgres_ = new civil::testing::PostgresServer();
    redis_ = new civil::testing::RedisServer();
    dsn_ = new std::string(postgres_->CreateDatabase("civil_affairs"));
    ASSERT_TRUE(ApplyMigrations(*dsn_, "affairs", WithCommonMigrations(Migrations())).ok());
    assistance_ = new CannedAssistance();
  }
  static void TearDownTestSuite() {
    delete assistance_;
    delete redis_;
    delete postgres_;
    delete dsn_;
  }

  // The department as affairs_server builds it (affairs::Spec(), the kit's DepartmentHost),
  // twice: once asking the canned assistance, once an assistance that is down (nothing listens
  // on its port). Both share the database and a clock the tests move (today_).
  void SetUp() override {
    today_ = absl::CivilDay(2023, 7, 15);
    host_ = StartHost(assistance_->address());
    // Nothing listens on this port: assistance is down.
    down_host_ = StartHost("127.0.0.1:" + std::to_string(civil::testing::FreePort()));
    ASSERT_TRUE(host_ != nullptr && down_host_ != nullptr);
    pii_ = &host_->department().pii();
    channel_ = host_->Channel();
    funeral_stub_ = v1::FuneralService::NewStub(channel_);
    marriage_stub_ = v1::MarriageService::NewStub(channel_);
    disability_stub_ = v1::DisabilityService::NewStub(channel_);
    relief_stub_ = v1::VagrantReliefService::NewStub(channel_);
    summary_stub_ = v1::AffairsSummaryService::NewStub(channel_);
    disability_down_stub_ = v1::DisabilityService::NewStub(down_host_->Channel());
  }

  void TearDown() override {
    down_host_.reset();
    host_.reset();
  }

  std::unique_ptr<DepartmentHost> StartHost(const std::string& assistance_addr) {
    absl::StatusOr<std::unique_ptr<DepartmentHost>> host = DepartmentHost::Start(
        Spec({.config = AffairsConfig{assistance_addr, std::chrono::milliseconds(500)}}),
        civil::testing::Trusting(TestServiceConfig("affairs", *dsn_, "127.0.0.1", redis_->port(),
                                                   civil::testing::kTestPiiKey)),
        {.clock = [this] { return today_; }, .start_events = false, .migrate = false});
    EXPECT_TRUE(host.ok()) << host.status();
    return host.ok() ? *std::move(host) : nullptr;
  }

  // Calls `fn(context)` as `as`.
  template <typename Fn>
  static grpc::Status Call(const As& as, Fn&& fn) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    civil::testing::CallAs(context, {"tester", as.roles, as.region});
    return fn(&context);
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection c(*dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  // --- shorthands for the common steps; each asserts success ---

  void FeeSchedule(const std::string& prefix, const std::string& from, int64_t cremation_fen) {
    v1::SetFuneralFeeScheduleRequest req;
    req.set_region_prefix(prefix);
    req.set_effective_from(from);
    auto* item = req.add_items();
    item->set_code("CREMATION");
    item->set_name("遗体火化");
    item->set_amount_fen(cremation_fen);
    auto* urn = req.add_items();
    urn->set_code("URN");
    urn->set_name("骨灰盒");
    urn->set_amount_fen(20000);
    v1::SetFuneralFeeScheduleResponse resp;
    grpc::Status s = Call(
        kReviewer, [&](auto* c) { return funeral_stub_->SetFuneralFeeSchedule(c, req, &resp); });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status Cremate(const std::string& id, const std::string& died, const std::string& cremated,
                       const std::string& region, v1::Cremation* out = nullptr,
                       const As& as = kClerk) {
    v1::RecordCremationRequest req;
    req.set_name("逝者");
    req.set_id_number(id);
    req.set_date_of_death(died);
    req.set_cremation_date(cremated);
    req.set_funeral_home("枞阳县殡仪馆");
    req.set_region_code(region);
    v1::RecordCremationResponse resp;
    grpc::Status s =
        Call(as, [&](auto* c) { return funeral_stub_->RecordCremation(c, req, &resp); });
    if (out != nullptr) *out = resp.cremation();
    return s;
  }

  grpc::Status Marry(const std::string& man, const std::string& woman, const std::string& date,
                     const std::string& certificate, v1::Marriage* out = nullptr,
                     const std::string& region = "340722") {
    v1::RegisterMarriageRequest req;
    req.mutable_party_a()->set_name("新郎");
    req.mutable_party_a()->set_id_number(man);
    req.mutable_party_b()->set_name("新娘");
    req.mutable_party_b()->set_id_number(woman);
    req.set_registration_date(date);
    req.set_certificate_number(certificate);
    req.set_region_code(region);
    v1::RegisterMarriageResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return marriage_stub_->RegisterMarriage(c, req, &resp); });
    if (out != nullptr) *out = resp.marriage();
    return s;
  }

  grpc::Status ApplyDivorce(const std::string& a, const std::string& b, const std::string& date,
                            v1::DivorceApplication* out = nullptr,
                            const std::string& region = "340722") {
    v1::ApplyDivorceRequest req;
    req.set_party_a_id_number(a);
    req.set_party_b_id_number(b);
    req.set_application_date(date);
    req.set_region_code(region);
    v1::ApplyDivorceResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return marriage_stub_->ApplyDivorce(c, req, &resp); });
    if (out != nullptr) *out = resp.application();
    return s;
  }

  grpc::Status Complete(const std::string& application_id, const std::string& date,
                        const std::string& certificate, v1::DivorceApplication* out = nullptr) {
    v1::CompleteDivorceRequest req;
    req.set_application_id(application_id);
    req.set_date(date);
    req.set_certificate_number(certificate);
    v1::CompleteDivorceResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return marriage_stub_->CompleteDivorce(c, req, &resp); });
    if (out != nullptr) *out = resp.application();
    return s;
  }

  grpc::Status Withdraw(const std::string& application_id, const std::string& date) {
    v1::WithdrawDivorceRequest req;
    req.set_application_id(application_id);
    req.set_party(v1::PARTY_SIDE_B);
    req.set_date(date);
    v1::WithdrawDivorceResponse resp;
    return Call(kClerk, [&](auto* c) { return marriage_stub_->WithdrawDivorce(c, req, &resp); });
  }

  std::string RegisterPerson(const std::string& id, const std::string& region, int grade,
                             bool care) {
    v1::RegisterDisabledPersonRequest req;
    req.set_name("残疾人");
    req.set_id_number(id);
    req.set_region_code(region);
    req.set_category(v1::DISABILITY_CATEGORY_PHYSICAL);
    req.set_grade(grade);
    req.set_certified_date("2020-01-01");
    req.set_long_term_care(care);
    v1::RegisterDisabledPersonResponse resp;
    grpc::Status s = Call(
        kClerk, [&](auto* c) { return disability_stub_->RegisterDisabledPerson(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.person().person_id();
  }

  grpc::Status Apply(const std::string& person_id, v1::SubsidyKind kind, const std::string& date,
                     v1::Subsidy* out = nullptr, bool assistance_down = false) {
    v1::ApplySubsidyRequest req;
    req.set_person_id(person_id);
    req.set_kind(kind);
    req.set_application_date(date);
    v1::ApplySubsidyResponse resp;
    auto* stub = assistance_down ? disability_down_stub_.get() : disability_stub_.get();
    grpc::Status s = Call(kClerk, [&](auto* c) { return stub->ApplySubsidy(c, req, &resp); });
    if (out != nullptr) *out = resp.subsidy();
    return s;
  }

  void Standard(v1::SubsidyKind kind, int grade, const std::string& prefix,
                const std::string& month, int64_t fen) {
    v1::SetSubsidyStandardRequest req;
    req.set_kind(kind);
    req.set_grade(grade);
    req.set_region_prefix(prefix);
    req.set_effective_month(month);
    req.set_monthly_fen(fen);
    v1::SetSubsidyStandardResponse resp;
    grpc::Status s = Call(
        kReviewer, [&](auto* c) { return disability_stub_->SetSubsidyStandard(c, req, &resp); });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status ExportBankFile(const As& as, const std::string& run_id, const std::string& prefix,
                              const std::string& reason, v1::ExportSubsidyBankFileResponse* out) {
    v1::ExportSubsidyBankFileRequest req;
    req.set_run_id(run_id);
    req.set_region_prefix(prefix);
    req.set_reveal_reason(reason);
    return Call(as, [&](auto* c) { return disability_stub_->ExportSubsidyBankFile(c, req, out); });
  }

  grpc::Status Run(v1::SubsidyKind kind, const std::string& month, const std::string& prefix,
                   v1::RunSubsidyPaymentsResponse* out) {
    v1::RunSubsidyPaymentsRequest req;
    req.set_kind(kind);
    req.set_month(month);
    req.set_region_prefix(prefix);
    return Call(kReviewer,
                [&](auto* c) { return disability_stub_->RunSubsidyPayments(c, req, out); });
  }

  std::string Project(bool cemetery, v1::ProjectKind kind, const std::string& region, int year,
                      const std::string& due = "") {
    v1::Project project;
    grpc::Status s;
    if (cemetery) {
      v1::CreateCemeteryProjectRequest req;
      req.set_name("公墓改扩建");
      req.set_region_code(region);
      req.set_target_year(year);
      req.set_due_date(due);
      v1::CreateCemeteryProjectResponse resp;
      s = Call(kClerk,
               [&](auto* c) { return funeral_stub_->CreateCemeteryProject(c, req, &resp); });
      project = resp.project();
    } else {
      v1::CreatePilotProjectRequest req;
      req.set_kind(kind);
      req.set_name("试点");
      req.set_region_code(region);
      req.set_target_year(year);
      v1::CreatePilotProjectResponse resp;
      s = Call(kClerk,
               [&](auto* c) { return disability_stub_->CreatePilotProject(c, req, &resp); });
      project = resp.project();
    }
    EXPECT_TRUE(s.ok()) << s.error_message();
    return project.project_id();
  }

  grpc::Status Milestone(bool cemetery, const std::string& project_id, v1::Milestone milestone,
                         const std::string& date, v1::Project* out = nullptr) {
    if (cemetery) {
      v1::RecordCemeteryMilestoneRequest req;
      req.set_project_id(project_id);
      req.set_milestone(milestone);
      req.set_date(date);
      v1::RecordCemeteryMilestoneResponse resp;
      grpc::Status s = Call(
          kClerk, [&](auto* c) { return funeral_stub_->RecordCemeteryMilestone(c, req, &resp); });
      if (out != nullptr) *out = resp.project();
      return s;
    }
    v1::RecordPilotMilestoneRequest req;
    req.set_project_id(project_id);
    req.set_milestone(milestone);
    req.set_date(date);
    v1::RecordPilotMilestoneResponse resp;
    grpc::Status s = Call(
        kClerk, [&](auto* c) { return disability_stub_->RecordPilotMilestone(c, req, &resp); });
    if (out != nullptr) *out = resp.project();
    return s;
  }

  static civil::testing::PostgresServer* postgres_;
  static civil::testing::RedisServer* redis_;
  static std::string* dsn_;
  static CannedAssistance* assistance_;

  absl::CivilDay today_;
  std::unique_ptr<DepartmentHost> host_;
  std::unique_ptr<DepartmentHost> down_host_;
  const PiiProtector* pii_ = nullptr;  // the department's
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::FuneralService::Stub> funeral_stub_;
  std::unique_ptr<v1::MarriageService::Stub> marriage_stub_;
  std::unique_ptr<v1::DisabilityService::Stub> disability_stub_;
  std::unique_ptr<v1::VagrantReliefService::Stub> relief_stub_;
  std::unique_ptr<v1::AffairsSummaryService::Stub> summary_stub_;
  std::unique_ptr<v1::DisabilityService::Stub> disability_down_stub_;
};

civil::testing::PostgresServer* AffairsIntegrationTest::postgres_ = nullptr;
civil::testing::RedisServer* AffairsIntegrationTest::redis_ = nullptr;
std::string* AffairsIntegrationTest::dsn_ = nullptr;
CannedAssistance* AffairsIntegrationTest::assistance_ = nullptr;

// ---------------------------------------------------------------------------------------------
// Funeral

TEST_F(AffairsIntegrationTest, CremationWaivesFeesWritesTheDeathEventAndHappensOnce) {
  FeeSchedule("340722101", "2020-01-01", 80000);
  const std::string id = Id("19400101", true, 1);
  const int64_t outbox_before = Count("SELECT count(*) FROM outbox");
  v1::Cremation c;
  grpc::Status s = Cremate(id, "2023-03-01", "2023-03-03", "340722101001", &c);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(c.fees_waived());
  EXPECT_EQ(c.waived_fen(), 100000);  // 80,000 cremation + 20,000 urn
  EXPECT_EQ(c.id_number_masked(), "340722********" + id.substr(14));
  EXPECT_EQ(c.birth_date(), "1940-01-01");
  EXPECT_EQ(c.cremation_date(), "2023-03-03");

  // The PersonDeceased event sits in the outbox, written by the same transaction.
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), outbox_before + 1);
  pqxx::connection conn(*dsn_);
  pqxx::nontransaction txn(conn);
  pqxx::row row = txn.exec_params1(
      "SELECT event_type, envelope FROM outbox WHERE event_id = $1::uuid", c.event_id());
  EXPECT_EQ(row[0].as<std::string>(), "civil.events.v1.PersonDeceased");
  civil::events::v1::Envelope envelope;
  ASSERT_TRUE(envelope.ParseFromString(pqxx::binarystring(row[1]).str()));
  EXPECT_EQ(envelope.source(), "affairs");
  EXPECT_EQ(envelope.subject_index(), pii_->BlindIndex(id));
  EXPECT_EQ(envelope.subject_masked(), c.id_number_masked());
  civil::events::v1::PersonDeceased event;
  ASSERT_TRUE(envelope.payload().UnpackTo(&event));
  EXPECT_EQ(event.date_of_death(), "2023-03-01");
  EXPECT_EQ(event.cremation_id(), c.cremation_id());
  EXPECT_EQ(event.region_code(), "340722101001");
  // The clear ID number is stored nowhere.
  EXPECT_EQ(Count("SELECT count(*) FROM cremations WHERE position('" + id +
                  "' in encode(id_cipher, 'escape')) > 0 OR id_masked = '" + id + "'"),
            0);

  // The same person again: ALREADY_EXISTS, and neither a record nor an event is added.
  s = Cremate(id, "2023-03-01", "2023-03-04", "340722101001");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(s.error_message(),
            "id_number: " + c.id_number_masked() + " was already cremated on 2023-03-03");
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), outbox_before + 1);

  // A deceased from outside every schedule's region: nothing waived.
  v1::Cremation outsider;
  ASSERT_TRUE(
      Cremate(Id("19400101", true, 2), "2023-03-01", "2023-03-02", "340722999001", &outsider).ok());
  EXPECT_FALSE(outsider.fees_waived());
  EXPECT_EQ(outsider.waived_fen(), 0);

  v1::GetCremationRequest get;
  get.set_cremation_id(c.cremation_id());
  v1::GetCremationResponse got;
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* ctx) { return funeral_stub_->GetCremation(ctx, get, &got); }).ok());
  EXPECT_EQ(got.cremation().SerializeAsString(), c.SerializeAsString());
}

TEST_F(AffairsIntegrationTest, ConcurrentCremationsOfOnePersonLetExactlyOneThrough) {
  const std::string id = Id("19450101", false, 3);
  std::atomic<int> ok{0}, exists{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      grpc::Status s = Cremate(id, "2023-04-01", "2023-04-02", "340722102001");
      if (s.ok()) ++ok;
      if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) ++exists;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(exists.load(), 5);
  EXPECT_EQ(
      Count("SELECT count(*) FROM cremations WHERE id_index = '" + pii_->BlindIndex(id) + "'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox o JOIN cremations c ON c.event_id = o.event_id "
                  "WHERE c.id_index = '" +
                  pii_->BlindIndex(id) + "'"),
            1);
}

TEST_F(AffairsIntegrationTest, BadInputAndForeignCallersChangeNothing) {
  const int64_t before = Count("SELECT count(*) FROM cremations");
  const int64_t outbox = Count("SELECT count(*) FROM outbox");
  struct Case {
    std::string id, died, cremated, region;
    grpc::StatusCode code;
    std::string message;
    As as;
  };
  const std::string id = Id("19500101", true, 4);
  std::string wrong = id;
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  const std::vector<Case> cases = {
      {wrong, "2023-01-01", "2023-01-02", "340722103001", grpc::StatusCode::INVALID_ARGUMENT,
       "id_number: wrong check character", kClerk},
      {id, "2023-07-16", "", "340722103001", grpc::StatusCode::INVALID_ARGUMENT,
       "date_of_death: must not be in the future (today is 2023-07-15)", kClerk},
      {id, "2023-01-01", "2023-07-16", "340722103001", grpc::StatusCode::INVALID_ARGUMENT,
       "cremation_date: must not be in the future (today is 2023-07-15)", kClerk},
      {id, "2023-01-01", "2023-01-02", "3407221030", grpc::StatusCode::INVALID_ARGUMENT,
       "region_code: must be a 12-digit region code", kClerk},
      {id,
       "2023-01-01",
       "2023-01-02",
       "340722103001",
       grpc::StatusCode::PERMISSION_DENIED,
       "region_code: region 340722103001 is outside your scope 340722104",
       {"affairs.clerk", "340722104"}},
      {id,
       "2023-01-01",
       "2023-01-02",
       "340722103001",
       grpc::StatusCode::PERMISSION_DENIED,
       "requires one of the roles: affairs.clerk",
       {"assistance.clerk", "340722"}},
      {id, "2023-01-01", "2023-01-02", "340722103001", grpc::StatusCode::PERMISSION_DENIED,
       "requires one of the roles: affairs.clerk", kAuditor},
  };
  for (const Case& c : cases) {
    grpc::Status s = Cremate(c.id, c.died, c.cremated, c.region, nullptr, c.as);
    EXPECT_EQ(s.error_code(), c.code) << c.message;
    EXPECT_EQ(s.error_message(), c.message);
  }
  // No identity at all.
  v1::RecordCremationRequest req;
  v1::RecordCremationResponse resp;
  grpc::ClientContext anonymous;
  EXPECT_EQ(funeral_stub_->RecordCremation(&anonymous, req, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Count("SELECT count(*) FROM cremations"), before);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), outbox);
}

TEST_F(AffairsIntegrationTest, CemeteryProjectsShowStatusAndOverdueOnAnyDate) {
  const std::string on_time = Project(true, v1::PROJECT_KIND_UNSPECIFIED, "340722105", 2023);
  const std::string late =
      Project(true, v1::PROJECT_KIND_UNSPECIFIED, "340722105", 2023, "2023-06-30");
  ASSERT_TRUE(Milestone(true, on_time, v1::MILESTONE_STARTED, "2023-03-01").ok());
  v1::Project p;
  ASSERT_TRUE(Milestone(true, on_time, v1::MILESTONE_COMPLETED, "2023-06-01", &p).ok());
  EXPECT_EQ(p.status(), v1::PROJECT_STATUS_COMPLETED);
  grpc::Status s = Milestone(true, late, v1::MILESTONE_ACCEPTED, "2023-07-01");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "milestone: a project is accepted only after it was completed");
  EXPECT_EQ(Milestone(true, late, v1::MILESTONE_STARTED, "2023-07-16").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Milestone(true, late, v1::MILESTONE_STARTED, "2023-05-01").ok());
  // A pilot id is not a cemetery project.
  const std::string pilot = Project(false, v1::PROJECT_KIND_CARE_SERVICE_PILOT, "340722105", 2023);
  EXPECT_EQ(Milestone(true, pilot, v1::MILESTONE_STARTED, "2023-05-01").error_code(),
            grpc::StatusCode::NOT_FOUND);

  auto list = [&](const std::string& as_of, bool overdue_only) {
    v1::ListCemeteryProjectsRequest req;
    req.set_region_prefix("340722105");
    req.set_as_of(as_of);
    req.set_overdue_only(overdue_only);
    v1::ListCemeteryProjectsResponse resp;
    EXPECT_TRUE(Call(kAuditor, [&](auto* c) {
                  return funeral_stub_->ListCemeteryProjects(c, req, &resp);
                }).ok());
    return resp;
  };
  v1::ListCemeteryProjectsResponse now = list("", false);
  ASSERT_EQ(now.projects_size(), 2);
  EXPECT_EQ(now.projects(0).status(), v1::PROJECT_STATUS_COMPLETED);
  EXPECT_FALSE(now.projects(0).overdue());
  EXPECT_EQ(now.projects(1).status(), v1::PROJECT_STATUS_UNDER_CONSTRUCTION);
  EXPECT_TRUE(now.projects(1).overdue());
  v1::ListCemeteryProjectsResponse overdue = list("", true);
  ASSERT_EQ(overdue.projects_size(), 1);
  EXPECT_EQ(overdue.projects(0).project_id(), late);
  // On 2023-04-01 neither was overdue and the first was under construction, the second planned.
  v1::ListCemeteryProjectsResponse april = list("2023-04-01", false);
  EXPECT_EQ(april.projects(0).status(), v1::PROJECT_STATUS_UNDER_CONSTRUCTION);
  EXPECT_EQ(april.projects(0).completed_date(), "");
  EXPECT_EQ(april.projects(1).status(), v1::PROJECT_STATUS_PLANNED);
  EXPECT_EQ(list("2023-04-01", true).projects_size(), 0);
}

TEST_F(AffairsIntegrationTest, PilotProjectsListByKindAndRejectOtherKinds) {
  const std::string care = Project(false, v1::PROJECT_KIND_CARE_SERVICE_PILOT, "340722106", 2023);
  const std::string rehab =
      Project(false, v1::PROJECT_KIND_MENTAL_HEALTH_REHAB_PILOT, "340722106", 2023);
  Project(true, v1::PROJECT_KIND_UNSPECIFIED, "340722106", 2023);  // a cemetery: never listed
  v1::Project p;
  ASSERT_TRUE(Milestone(false, rehab, v1::MILESTONE_STARTED, "2023-03-01", &p).ok());
  EXPECT_EQ(p.status(), v1::PROJECT_STATUS_UNDER_CONSTRUCTION);

  auto list = [&](v1::ProjectKind kind, v1::ListPilotProjectsResponse* resp) {
    v1::ListPilotProjectsRequest req;
    req.set_region_prefix("340722106");
    req.set_kind(kind);
    return Call(kAuditor,
                [&](auto* c) { return disability_stub_->ListPilotProjects(c, req, resp); });
  };
  v1::ListPilotProjectsResponse all, one, bad;
  ASSERT_TRUE(list(v1::PROJECT_KIND_UNSPECIFIED, &all).ok());
  ASSERT_EQ(all.projects_size(), 2);
  EXPECT_EQ(all.projects(0).project_id(), care);
  EXPECT_EQ(all.projects(1).project_id(), rehab);
  ASSERT_TRUE(list(v1::PROJECT_KIND_MENTAL_HEALTH_REHAB_PILOT, &one).ok());
  ASSERT_EQ(one.projects_size(), 1);
  EXPECT_EQ(one.projects(0).project_id(), rehab);
  const grpc::Status s = list(v1::PROJECT_KIND_CEMETERY, &bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "kind: must be a disability service pilot kind");
}

// ---------------------------------------------------------------------------------------------
// Marriage

TEST_F(AffairsIntegrationTest, MarriageRulesAndTheDivorceFlow) {
  const std::string man = Id("19950101", true, 10), woman = Id("19970101", false, 10);
  const int64_t events = Count("SELECT count(*) FROM outbox");
  v1::Marriage m;
  ASSERT_TRUE(Marry(man, woman, "2022-01-08", "J340722-2022-000010", &m).ok());
  EXPECT_EQ(m.status(), v1::MARRIAGE_STATUS_MARRIED);
  ASSERT_EQ(m.parties_size(), 2);
  EXPECT_EQ(m.parties(0).age_at_registration(), 27);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.MarriageRegistered'"),
            Count("SELECT count(*) FROM marriages") * 2);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), events + 2);

  // Bigamy, under age, a certificate number twice: refused, nothing written.
  const int64_t marriages = Count("SELECT count(*) FROM marriages");
  grpc::Status s = Marry(man, Id("19980101", false, 11), "2023-01-01", "J340722-2023-000011");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "party_a.id_number: 340722********" + man.substr(14) +
                                   " is currently married according to the platform's records "
                                   "(民法典第1042条 prohibits bigamy)");
  s = Marry(Id("20010601", true, 12), Id("19980101", false, 12), "2023-05-31",
            "J340722-2023-000012");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "party_a: under the legal marriage age (民法典第1047条): a man may marry from 22, "
            "this party is 21 on 2023-05-31");
  s = Marry(Id("19900101", true, 13), Id("19910101", false, 13), "2023-01-01",
            "J340722-2022-000010");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count("SELECT count(*) FROM marriages"), marriages);

  // Divorce: applied 2023-03-01 → cooling-off to 03-31 → window from 04-01 for 30 days, to
  // 04-30, a Sunday inside 劳动节 (29 April – 3 May): extended to Thursday 4 May (民法典 第203条).
  v1::DivorceApplication d;
  ASSERT_TRUE(ApplyDivorce(man, woman, "2023-03-01", &d).ok());
  EXPECT_EQ(d.cooling_off_end_date(), "2023-03-31");
  EXPECT_EQ(d.window_start_date(), "2023-04-01");
  EXPECT_EQ(d.window_end_date(), "2023-05-04");
  EXPECT_EQ(d.state(), v1::DIVORCE_STATE_WITHDRAWN_BY_LAW);  // seen from today, 2023-07-15
  EXPECT_EQ(ApplyDivorce(woman, man, "2023-03-05").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  s = Complete(d.application_id(), "2023-03-31", "L340722-2023-000010");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("cooling-off period"), std::string::npos);
  s = Withdraw(d.application_id(), "2023-04-01");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  s = Complete(d.application_id(), "2023-05-05", "L340722-2023-000010");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("deemed withdrawn"), std::string::npos);
  v1::DivorceApplication done;
  ASSERT_TRUE(Complete(d.application_id(), "2023-04-01", "L340722-2023-000010", &done).ok());
  EXPECT_EQ(done.state(), v1::DIVORCE_STATE_COMPLETED);
  EXPECT_EQ(done.completed_date(), "2023-04-01");
  EXPECT_EQ(Complete(d.application_id(), "2023-04-02", "L340722-2023-000099").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::GetMarriageRequest get;
  get.set_marriage_id(m.marriage_id());
  v1::GetMarriageResponse got;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return marriage_stub_->GetMarriage(c, get, &got); }).ok());
  EXPECT_EQ(got.marriage().status(), v1::MARRIAGE_STATUS_DIVORCED);
  EXPECT_EQ(got.marriage().end_date(), "2023-04-01");
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.DivorceCompleted'"),
            2);
  // Divorced, either may marry again, but not with a date before the divorce.
  s = Marry(man, Id("19980101", false, 14), "2023-03-31", "J340722-2023-000014");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Marry(man, Id("19980101", false, 14), "2023-06-01", "J340722-2023-000014").ok());
}

TEST_F(AffairsIntegrationTest, DivorceListsAreRightAtAnyMomentWithoutSweeps) {
  // Three couples in township 340722106, applications on known days.
  const std::string office = "340722106";
  std::vector<std::pair<std::string, std::string>> couples;
  for (int i = 0; i < 3; ++i) {
    couples.emplace_back(Id("19900101", true, 20 + i), Id("19920101", false, 20 + i));
    ASSERT_TRUE(Marry(couples[i].first, couples[i].second, "2020-05-20",
                      "J-106-" + std::to_string(i), nullptr, office)
                    .ok());
  }
  v1::DivorceApplication a, b, c;
  ASSERT_TRUE(ApplyDivorce(couples[0].first, couples[0].second, "2023-05-01", &a, office).ok());
  ASSERT_TRUE(ApplyDivorce(couples[1].first, couples[1].second, "2023-06-14", &b, office).ok());
  ASSERT_TRUE(ApplyDivorce(couples[2].first, couples[2].second, "2023-06-20", &c, office).ok());
  ASSERT_TRUE(Withdraw(c.application_id(), "2023-06-25").ok());

  auto states = [&](const std::string& as_of) {
    v1::ListDivorceApplicationsRequest req;
    req.set_region_prefix(office);
    req.set_as_of(as_of);
    v1::ListDivorceApplicationsResponse resp;
    EXPECT_TRUE(Call(kAuditor, [&](auto* ctx) {
                  return marriage_stub_->ListDivorceApplications(ctx, req, &resp);
                }).ok());
    std::vector<v1::DivorceState> out;
    for (const auto& app : resp.applications()) out.push_back(app.state());
    return out;
  };
  using S = std::vector<v1::DivorceState>;
  // a: day 30 on 05-31, day 31 on 06-01, day 60 on 06-30, day 61 on 07-01 — nobody touched it.
  EXPECT_EQ(states("2023-05-31")[0], v1::DIVORCE_STATE_COOLING_OFF);
  EXPECT_EQ(states("2023-06-01")[0], v1::DIVORCE_STATE_AWAITING_CERTIFICATE);
  EXPECT_EQ(states("2023-06-30")[0], v1::DIVORCE_STATE_AWAITING_CERTIFICATE);
  EXPECT_EQ(states("2023-07-01")[0], v1::DIVORCE_STATE_WITHDRAWN_BY_LAW);
  EXPECT_EQ(states("2023-06-24"),
            (S{v1::DIVORCE_STATE_AWAITING_CERTIFICATE, v1::DIVORCE_STATE_COOLING_OFF,
               v1::DIVORCE_STATE_COOLING_OFF}));
  EXPECT_EQ(states(""), (S{v1::DIVORCE_STATE_WITHDRAWN_BY_LAW,
                           v1::DIVORCE_STATE_AWAITING_CERTIFICATE, v1::DIVORCE_STATE_WITHDRAWN}));

  v1::ListDivorceApplicationsRequest lapsed;
  lapsed.set_region_prefix(office);
  lapsed.set_state(v1::DIVORCE_STATE_WITHDRAWN_BY_LAW);
  v1::ListDivorceApplicationsResponse lapsed_resp;
  ASSERT_TRUE(Call(kClerk, [&](auto* ctx) {
                return marriage_stub_->ListDivorceApplications(ctx, lapsed, &lapsed_resp);
              }).ok());
  ASSERT_EQ(lapsed_resp.applications_size(), 1);
  EXPECT_EQ(lapsed_resp.applications(0).application_id(), a.application_id());
  EXPECT_EQ(lapsed_resp.applications(0).lapsed_date(), "2023-07-01");

  // The lapsed application does not block a new one; it is then stored as withdrawn by law.
  ASSERT_TRUE(
      ApplyDivorce(couples[0].first, couples[0].second, "2023-07-10", nullptr, office).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM divorce_applications WHERE application_id = '" +
                  a.application_id() + "' AND state = 'WITHDRAWN_BY_LAW'"),
            1);
  // b's window: day 31 is 07-15 (today).
  EXPECT_TRUE(Complete(b.application_id(), "", "L-106-1").ok());
}

// ---------------------------------------------------------------------------------------------
// Disability subsidies

TEST_F(AffairsIntegrationTest, LivingSubsidyNeedsAnActiveDibaoEnrolmentConfirmedByAssistance) {
  const std::string enrolled = Id("19700101", true, 30), not_enrolled = Id("19700101", true, 31);
  assistance_->Enrol(enrolled, "enr-30", av1::PROGRAMME_DIBAO, "2022-10", "", true);
  const std::string p1 = RegisterPerson(enrolled, "340722107001", 3, false);
  const std::string p2 = RegisterPerson(not_enrolled, "340722107001", 3, false);
  v1::Subsidy s1;
  grpc::Status s = Apply(p1, v1::SUBSIDY_KIND_LIVING, "2023-02-10", &s1);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(s1.status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(s1.start_month(), "2023-02");
  EXPECT_EQ(s1.dibao_enrolment_id(), "enr-30");
  EXPECT_EQ(s1.dibao_since(), "2022-10");
  // The department's system identity and the application date went to assistance.
  EXPECT_EQ(assistance_->last_roles(), "system");
  EXPECT_EQ(assistance_->last_subject(), "service:affairs");
  EXPECT_EQ(assistance_->last_as_of(), "2023-02-10");
  EXPECT_EQ(assistance_->last_programme(), av1::PROGRAMME_DIBAO);

  const int64_t subsidies = Count("SELECT count(*) FROM subsidies");
  s = Apply(p2, v1::SUBSIDY_KIND_LIVING, "2023-02-10");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "kind: the living subsidy (困难残疾人生活补贴) is for members of a 低保 household; "
            "assistance reports no active 低保 enrolment on 2023-02-10");
  EXPECT_EQ(Apply(p1, v1::SUBSIDY_KIND_LIVING, "2023-03-01").error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidies"), subsidies);

  // The care subsidy: grade 1–2 with long-term care only.
  s = Apply(p1, v1::SUBSIDY_KIND_CARE, "2023-02-10");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "kind: the care subsidy (重度残疾人护理补贴) is for disability grade 1 or 2; this "
            "person is grade 3");
  const std::string severe = RegisterPerson(Id("19700101", false, 32), "340722107001", 1, true);
  v1::Subsidy care;
  ASSERT_TRUE(Apply(severe, v1::SUBSIDY_KIND_CARE, "2023-02-10", &care).ok());
  EXPECT_EQ(care.status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidies"), subsidies + 1);
}

TEST_F(AffairsIntegrationTest, AnUnreachableAssistanceLeavesTheApplicationWaitingNotApproved) {
  const std::string id = Id("19710101", false, 40);
  assistance_->Enrol(id, "enr-40", av1::PROGRAMME_DIBAO, "2021-01", "", true);
  const std::string person = RegisterPerson(id, "340722108001", 2, false);
  Standard(v1::SUBSIDY_KIND_LIVING, 0, "340722108", "2023-01", 7000);

  v1::Subsidy pending;
  grpc::Status s = Apply(person, v1::SUBSIDY_KIND_LIVING, "2023-05-06", &pending, true);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(pending.status(), v1::SUBSIDY_STATUS_PENDING_ELIGIBILITY);
  EXPECT_NE(pending.reason().find("waiting for assistance"), std::string::npos);
  // Not paid while waiting.
  v1::RunSubsidyPaymentsResponse run;
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_LIVING, "2023-05", "340722108", &run).ok());
  EXPECT_EQ(run.due(), 0);

  // Rechecking while assistance is still down changes nothing.
  v1::RecheckSubsidyEligibilityRequest recheck;
  recheck.set_subsidy_id(pending.subsidy_id());
  v1::RecheckSubsidyEligibilityResponse still;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return disability_down_stub_->RecheckSubsidyEligibility(c, recheck, &still);
              }).ok());
  EXPECT_EQ(still.still_pending(), 1);
  // Assistance answers too slowly: the deadline keeps it waiting, too.
  assistance_->SetDelay(1500);
  v1::RecheckSubsidyEligibilityResponse slow;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return disability_stub_->RecheckSubsidyEligibility(c, recheck, &slow);
              }).ok());
  assistance_->SetDelay(0);
  EXPECT_EQ(slow.still_pending(), 1);
  EXPECT_EQ(slow.activated(), 0);

  // Assistance answers: the sweep (no id) confirms it, as of the application date.
  v1::RecheckSubsidyEligibilityRequest sweep;
  v1::RecheckSubsidyEligibilityResponse swept;
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return disability_stub_->RecheckSubsidyEligibility(c, sweep, &swept);
              }).ok());
  EXPECT_EQ(swept.activated(), 1);
  EXPECT_EQ(swept.still_pending(), 0);
  EXPECT_EQ(assistance_->last_as_of(), "2023-05-06");
  v1::GetSubsidyRequest get;
  get.set_subsidy_id(pending.subsidy_id());
  v1::GetSubsidyResponse got;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
  EXPECT_EQ(got.subsidy().status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(got.subsidy().start_month(), "2023-05");
  EXPECT_EQ(got.subsidy().dibao_enrolment_id(), "enr-40");
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_LIVING, "2023-05", "340722108", &run).ok());
  EXPECT_EQ(run.paid(), 1);
  EXPECT_EQ(run.paid_fen(), 7000);
  EXPECT_GE(Count("SELECT count(*) FROM subsidy_history WHERE action = 'RECHECKED' AND "
                  "subsidy_id = '" +
                  pending.subsidy_id() + "'"),
            2);
}

// A subsidy refused because assistance reported no 低保 enrolment; the applicant's
// reconsideration is upheld (the kit's grievances), the subsidy goes back to the eligibility
// check with its history kept, and the check now grants it.
TEST_F(AffairsIntegrationTest, AnUpheldGrievanceSendsARefusedSubsidyBackToTheEligibilityCheck) {
  const std::string id = Id("19720101", false, 41);
  const std::string person = RegisterPerson(id, "340722110001", 2, false);
  Standard(v1::SUBSIDY_KIND_LIVING, 0, "340722110", "2023-01", 7000);
  v1::Subsidy pending;
  grpc::Status s = Apply(person, v1::SUBSIDY_KIND_LIVING, "2023-05-06", &pending, true);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::RecheckSubsidyEligibilityRequest recheck;
  recheck.set_subsidy_id(pending.subsidy_id());
  v1::RecheckSubsidyEligibilityResponse refused;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return disability_stub_->RecheckSubsidyEligibility(c, recheck, &refused);
              }).ok());
  const std::string status = "SELECT count(*) FROM subsidies WHERE subsidy_id = '" +
                             pending.subsidy_id() + "' AND status = ";
  ASSERT_EQ(Count(status + "'REJECTED'"), 1);

  auto grievances = civil::grievance::v1::GrievanceService::NewStub(channel_);
  civil::grievance::v1::CreateGrievanceRequest create;
  create.set_department("affairs");
  create.set_kind(civil::grievance::v1::RECONSIDERATION);
  create.set_case_kind("SUBSIDY");
  create.set_case_id(pending.subsidy_id());
  create.set_complainant("申请人");
  create.set_category("残疾人两项补贴");
  create.set_received_on("2023-07-03");
  civil::grievance::v1::CreateGrievanceResponse created;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return grievances->CreateGrievance(c, create, &created); }).ok());
  // 15 working days from Monday 3 July 2023: Monday 24 July.
  EXPECT_EQ(created.grievance().deadline(), "2023-07-24");
  const std::string gid = created.grievance().grievance_id();
  civil::grievance::v1::AssignGrievanceRequest assign;
  assign.set_department("affairs");
  assign.set_grievance_id(gid);
  assign.set_assignee("handler");
  civil::grievance::v1::AssignGrievanceResponse assigned;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return grievances->AssignGrievance(c, assign, &assigned);
              }).ok());
  civil::grievance::v1::RespondGrievanceRequest respond;
  respond.set_department("affairs");
  respond.set_grievance_id(gid);
  respond.set_response("已核实低保待遇");
  civil::grievance::v1::RespondGrievanceResponse responded;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return grievances->RespondGrievance(c, respond, &responded);
              }).ok());
  civil::grievance::v1::DecideGrievanceRequest decide;
  decide.set_department("affairs");
  decide.set_grievance_id(gid);
  decide.set_outcome(civil::grievance::v1::UPHELD);
  civil::grievance::v1::DecideGrievanceResponse decided;
  // A clerk may not decide; a reviewer may.
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return grievances->DecideGrievance(c, decide, &decided); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return grievances->DecideGrievance(c, decide, &decided);
              }).ok());
  EXPECT_EQ(decided.grievance().status(), civil::grievance::v1::CLOSED);
  EXPECT_EQ(decided.grievance().reopened(), "subsidy back to the eligibility check");
  EXPECT_EQ(Count(status + "'PENDING_ELIGIBILITY'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_history h1 JOIN subsidy_history h2 USING "
                  "(subsidy_id) WHERE h1.action = 'REJECTED' AND h2.action = 'REOPENED' AND "
                  "h1.history_id < h2.history_id AND subsidy_id = '" +
                  pending.subsidy_id() + "'"),
            1);

  // Assistance now reports the enrolment: the check grants the subsidy.
  assistance_->Enrol(id, "enr-41", av1::PROGRAMME_DIBAO, "2023-01", "", true);
  v1::RecheckSubsidyEligibilityResponse granted;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return disability_stub_->RecheckSubsidyEligibility(c, recheck, &granted);
              }).ok());
  EXPECT_EQ(Count(status + "'ACTIVE'"), 1);
}

TEST_F(AffairsIntegrationTest, PaymentRunsPayEachPersonOnceAMonthEvenWhenRunConcurrently) {
  const std::string region = "340722109";
  Standard(v1::SUBSIDY_KIND_CARE, 1, region, "2023-01", 10000);
  Standard(v1::SUBSIDY_KIND_CARE, 2, region, "2023-01", 8000);
  Standard(v1::SUBSIDY_KIND_CARE, 1, region, "2023-04", 11000);  // raised from April
  constexpr int kPersons = 40;
  int64_t expected_march = 0, expected_april = 0;
  for (int i = 0; i < kPersons; ++i) {
    const int grade = 1 + i % 2;
    const std::string p =
        RegisterPerson(Id("19600101", i % 2 == 0, 50 + i), region + "001", grade, true);
    ASSERT_TRUE(Apply(p, v1::SUBSIDY_KIND_CARE, "2023-01-15").ok());
    expected_march += grade == 1 ? 10000 : 8000;
    expected_april += grade == 1 ? 11000 : 8000;
  }
  // Two runs of the same month at once: every person paid exactly once between them.
  v1::RunSubsidyPaymentsResponse r1, r2;
  grpc::Status s1, s2;
  std::thread t1([&] { s1 = Run(v1::SUBSIDY_KIND_CARE, "2023-03", region, &r1); });
  std::thread t2([&] { s2 = Run(v1::SUBSIDY_KIND_CARE, "2023-03", region, &r2); });
  t1.join();
  t2.join();
  ASSERT_TRUE(s1.ok()) << s1.error_message();
  ASSERT_TRUE(s2.ok()) << s2.error_message();
  EXPECT_EQ(r1.due(), kPersons);
  EXPECT_EQ(r2.due(), kPersons);
  EXPECT_EQ(r1.paid() + r2.paid(), kPersons);
  EXPECT_EQ(r1.already_paid() + r2.already_paid(), kPersons);
  EXPECT_EQ(r1.paid_fen() + r2.paid_fen(), expected_march);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_payments WHERE month = '2023-03-01' AND "
                  "region_code LIKE '" +
                  region + "%'"),
            kPersons);
  // Run again later: nobody paid twice.
  v1::RunSubsidyPaymentsResponse again;
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_CARE, "2023-03", region, &again).ok());
  EXPECT_EQ(again.paid(), 0);
  EXPECT_EQ(again.already_paid(), kPersons);
  // April uses the raised standard for grade 1.
  v1::RunSubsidyPaymentsResponse april;
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_CARE, "2023-04", region, &april).ok());
  EXPECT_EQ(april.paid_fen(), expected_april);

  // No standard for LIVING here, a future month, a missing kind: refused, nothing paid.
  const std::string living = Id("19600101", true, 99);
  assistance_->Enrol(living, "enr-99", av1::PROGRAMME_DIBAO, "2020-01", "", true);
  ASSERT_TRUE(
      Apply(RegisterPerson(living, region + "002", 4, false), v1::SUBSIDY_KIND_LIVING, "2023-01-02")
          .ok());
  const int64_t payments = Count("SELECT count(*) FROM subsidy_payments");
  v1::RunSubsidyPaymentsResponse refused;
  grpc::Status s = Run(v1::SUBSIDY_KIND_LIVING, "2023-03", region, &refused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "month: 1 persons due a LIVING subsidy for 2023-03 have no standard; set one with "
            "SetSubsidyStandard");
  EXPECT_EQ(Run(v1::SUBSIDY_KIND_CARE, "2023-08", region, &refused).error_message(),
            "month: must not be after the current month");
  EXPECT_EQ(Run(v1::SUBSIDY_KIND_UNSPECIFIED, "2023-03", region, &refused).error_message(),
            "kind: must be given");
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_payments"), payments);
  // A clerk may not run payments.
  v1::RunSubsidyPaymentsRequest req;
  req.set_kind(v1::SUBSIDY_KIND_CARE);
  req.set_month("2023-05");
  EXPECT_EQ(
      Call(kClerk, [&](auto* c) { return disability_stub_->RunSubsidyPayments(c, req, &refused); })
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

// A run's bank file: masked for the auditor, full for a reviewer who gives a reason (each payee
// then in the ID-view trail), narrowed to a township within the run; refused to a clerk, for a
// prefix outside the run, and — as an unknown run — to a township outside it. Every export is
// logged; a refused one is not.
TEST_F(AffairsIntegrationTest, ARunsBankFileListsItsPaymentsMaskedOrFullWithTheTrail) {
  const std::string township = "340722118";
  Standard(v1::SUBSIDY_KIND_CARE, 0, township, "2023-01", 8000);
  const std::string a = Id("19600101", true, 3), b = Id("19610202", false, 4);
  v1::Subsidy care;
  ASSERT_TRUE(
      Apply(RegisterPerson(a, "340722118001", 1, true), v1::SUBSIDY_KIND_CARE, "2023-01-05", &care)
          .ok());
  ASSERT_TRUE(
      Apply(RegisterPerson(b, "340722118002", 2, true), v1::SUBSIDY_KIND_CARE, "2023-01-06", &care)
          .ok());
  v1::RunSubsidyPaymentsResponse run;
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_CARE, "2023-02", township, &run).ok());
  ASSERT_EQ(run.paid(), 2);

  v1::ExportSubsidyBankFileResponse masked;
  ASSERT_TRUE(ExportBankFile(kAuditor, run.run_id(), "", "", &masked).ok());
  EXPECT_EQ(masked.rows(), 2);
  EXPECT_EQ(masked.total_fen(), 16000);
  EXPECT_FALSE(masked.full_id_numbers());
  EXPECT_EQ(masked.file_name(), "bank-DISABILITY_CARE-2023-02-340722118.csv");
  EXPECT_EQ(masked.content_type(), "text/csv; charset=utf-8");
  EXPECT_EQ(masked.content().find(a), std::string::npos);
  EXPECT_NE(masked.content().find("重度残疾人护理补贴"), std::string::npos);
  const std::string views =
      "SELECT count(*) FROM id_views WHERE record_id = '" + run.run_id() + "'";
  EXPECT_EQ(Count(views), 0);

  v1::ExportSubsidyBankFileResponse full;
  ASSERT_TRUE(ExportBankFile(kReviewer, run.run_id(), "", "报送银行代发", &full).ok());
  EXPECT_TRUE(full.full_id_numbers());
  EXPECT_NE(full.content().find(a), std::string::npos);
  EXPECT_NE(full.content().find(b), std::string::npos);
  EXPECT_EQ(Count(views + " AND method = 'ExportSubsidyBankFile' AND record_kind = 'bank_file'"),
            2);

  v1::ExportSubsidyBankFileResponse one_village;
  ASSERT_TRUE(ExportBankFile(kReviewer, run.run_id(), "340722118001", "", &one_village).ok());
  EXPECT_EQ(one_village.rows(), 1);
  EXPECT_EQ(one_village.file_name(), "bank-DISABILITY_CARE-2023-02-340722118001.csv");
  const std::string exports =
      "SELECT count(*) FROM subsidy_bank_file_exports WHERE run_id = '" + run.run_id() + "'";
  EXPECT_EQ(Count(exports), 3);
  EXPECT_EQ(
      Count(exports + " AND full_id_numbers AND rows_exported = 2 AND exported_by = 'tester'"), 1);

  // Refused, and nothing logged.
  v1::ExportSubsidyBankFileResponse none;
  EXPECT_EQ(ExportBankFile(kClerk, run.run_id(), "", "", &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ExportBankFile(kAuditor, run.run_id(), "", "核对", &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status outside = ExportBankFile(kReviewer, run.run_id(), "340722119", "", &none);
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(outside.error_message().find("region_prefix"), std::string::npos);
  const As township_reviewer{"affairs.reviewer", "340722119"};
  EXPECT_EQ(ExportBankFile(township_reviewer, run.run_id(), "", "", &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(
      ExportBankFile(kReviewer, "00000000-0000-4000-8000-000000000000", "", "", &none).error_code(),
      grpc::StatusCode::NOT_FOUND);
  const grpc::Status bad = ExportBankFile(kReviewer, "run-1", "", "", &none);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("run_id"), std::string::npos);
  EXPECT_EQ(Count(exports), 3);
  EXPECT_EQ(Count(views), 2);
}

TEST_F(AffairsIntegrationTest, DeathStopsSubsidiesFromTheNextMonthAndEndsTheMarriage) {
  const std::string region = "340722110";
  Standard(v1::SUBSIDY_KIND_CARE, 0, region, "2023-01", 9000);
  const std::string id = Id("19550101", true, 60), wife = Id("19560101", false, 60);
  const std::string person = RegisterPerson(id, region + "001", 1, true);
  v1::Subsidy care;
  ASSERT_TRUE(Apply(person, v1::SUBSIDY_KIND_CARE, "2023-01-03", &care).ok());
  ASSERT_TRUE(Marry(id, wife, "1980-01-01", "J-110-1").ok());
  const int64_t stopped_events = Count(
      "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.DisabilitySubsidyStopped'");

  ASSERT_TRUE(Cremate(id, "2023-04-20", "2023-04-22", region + "001").ok());
  v1::GetSubsidyRequest get;
  get.set_subsidy_id(care.subsidy_id());
  v1::GetSubsidyResponse got;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
  EXPECT_EQ(got.subsidy().status(), v1::SUBSIDY_STATUS_STOPPED);
  EXPECT_EQ(got.subsidy().end_month(), "2023-05");
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.DisabilitySubsidyStopped'"),
            stopped_events + 1);
  v1::RunSubsidyPaymentsResponse april, may;
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_CARE, "2023-04", region, &april).ok());
  EXPECT_EQ(april.paid(), 1);  // paid for the month of death
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_CARE, "2023-05", region, &may).ok());
  EXPECT_EQ(may.due(), 0);

  // The widow is no longer married and may marry again; the deceased cannot marry or apply.
  EXPECT_TRUE(Marry(Id("19540101", true, 61), wife, "2023-07-01", "J-110-2").ok());
  grpc::Status s = Marry(id, Id("19600101", false, 62), "2023-07-01", "J-110-3");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("records the death"), std::string::npos);
  EXPECT_EQ(Apply(person, v1::SUBSIDY_KIND_LIVING, "2023-07-01").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AffairsIntegrationTest, ReviewStopsLivingSubsidiesOfPersonsWhoLeftDibao) {
  const std::string region = "340722111";
  const std::string stays = Id("19650101", true, 70), leaves = Id("19650101", true, 71);
  assistance_->Enrol(stays, "enr-70", av1::PROGRAMME_DIBAO, "2020-01", "", true);
  assistance_->Enrol(leaves, "enr-71", av1::PROGRAMME_DIBAO, "2020-01", "", true);
  v1::Subsidy kept, gone;
  ASSERT_TRUE(Apply(RegisterPerson(stays, region + "001", 2, false), v1::SUBSIDY_KIND_LIVING,
                    "2023-01-05", &kept)
                  .ok());
  ASSERT_TRUE(Apply(RegisterPerson(leaves, region + "001", 2, false), v1::SUBSIDY_KIND_LIVING,
                    "2023-01-05", &gone)
                  .ok());
  assistance_->Enrol(leaves, "enr-71", av1::PROGRAMME_DIBAO, "2020-01", "2023-05",
                     false);  // left 低保 after May

  v1::ReviewLivingSubsidiesRequest req;
  req.set_region_prefix(region);
  v1::ReviewLivingSubsidiesResponse resp;
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return disability_stub_->ReviewLivingSubsidies(c, req, &resp);
              }).ok());
  EXPECT_EQ(resp.checked(), 2);
  EXPECT_EQ(resp.stopped(), 1);
  ASSERT_EQ(resp.stopped_subsidies_size(), 1);
  EXPECT_EQ(resp.stopped_subsidies(0).subsidy_id(), gone.subsidy_id());
  EXPECT_EQ(resp.stopped_subsidies(0).end_month(), "2023-06");
  EXPECT_EQ(resp.stopped_subsidies(0).reason(), "left 低保 (last month covered 2023-05)");
  // With assistance down, nothing is stopped blind.
  v1::ReviewLivingSubsidiesResponse down;
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return disability_down_stub_->ReviewLivingSubsidies(c, req, &down);
              }).ok());
  EXPECT_EQ(down.checked(), 1);
  EXPECT_EQ(down.unanswered(), 1);
  EXPECT_EQ(down.stopped(), 0);
}

TEST_F(AffairsIntegrationTest, AssistancesDibaoExitEventStopsTheLivingSubsidy) {
  const std::string region = "340722112";
  const std::string person = Id("19580707", true, 55);
  assistance_->Enrol(person, "enr-72", av1::PROGRAMME_DIBAO, "2020-01", "", true);
  v1::Subsidy living;
  ASSERT_TRUE(Apply(RegisterPerson(person, region + "001", 2, false), v1::SUBSIDY_KIND_LIVING,
                    "2023-01-05", &living)
                  .ok());
  const int64_t stopped_events = Count(
      "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.DisabilitySubsidyStopped'");
  // Assistance publishes EnrolmentEnded(低保, from 2023-07) on its stream, as its relay would.
  civil::testing::RedisServer redis;
  civil::events::v1::EnrolmentEnded ended;
  ended.set_enrolment_id("enr-72");
  ended.set_programme("PROGRAMME_DIBAO");
  ended.set_reason("EXIT_REASON_INELIGIBLE_INCOME");
  ended.set_effective_month("2023-07");
  civil::events::v1::Envelope envelope;
  envelope.set_event_id("6b1f6d2e-8f0a-4c1e-9d3a-2b7c1e5f0a72");
  envelope.set_type("civil.events.v1.EnrolmentEnded");
  envelope.set_source("assistance");
  envelope.set_subject_index(pii_->BlindIndex(person));
  envelope.set_subject_masked("340722********0000");
  envelope.mutable_payload()->PackFrom(ended);
  RedisClient r({"127.0.0.1", redis.port(), 1, std::chrono::milliseconds(500)}, nullptr);
  const std::string bytes = envelope.SerializeAsString();
  ASSERT_TRUE(r.Command({"XADD", "civil.events.assistance", "*", "envelope", bytes}).ok());
  EventConsumer consumer({.service = "affairs",
                          .consumer = "test",
                          .redis_port = redis.port(),
                          .block = std::chrono::milliseconds(100)},
                         &host_->department().pool(), nullptr);
  RegisterEventHandlers(&consumer, host_->department().Find<DisabilityStore>());
  for (int i = 0; i < 10 && Count("SELECT count(*) FROM inbox") == 0; ++i) {
    consumer.PollOnce().IgnoreError();
  }
  v1::GetSubsidyRequest get;
  get.set_subsidy_id(living.subsidy_id());
  v1::GetSubsidyResponse got;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
  EXPECT_EQ(got.subsidy().status(), v1::SUBSIDY_STATUS_STOPPED);
  EXPECT_EQ(got.subsidy().end_month(), "2023-07");  // first month no longer paid
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.DisabilitySubsidyStopped'"),
            stopped_events + 1);
  // The same event again changes nothing.
  ASSERT_TRUE(r.Command({"XADD", "civil.events.assistance", "*", "envelope", bytes}).ok());
  consumer.PollOnce().IgnoreError();
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.DisabilitySubsidyStopped'"),
            stopped_events + 1);

  // An upheld grievance reverses the exit: assistance publishes EnrolmentReinstated from the
  // exit's month, and the living subsidy the exit stopped is paid again, once.
  civil::events::v1::EnrolmentReinstated reinstated;
  reinstated.set_enrolment_id("enr-72");
  reinstated.set_programme("PROGRAMME_DIBAO");
  reinstated.set_reversed_reason("EXIT_REASON_INELIGIBLE_INCOME");
  reinstated.set_effective_month("2023-07");
  reinstated.set_grievance_id("grievance-1");
  civil::events::v1::Envelope back = envelope;
  back.set_event_id("6b1f6d2e-8f0a-4c1e-9d3a-2b7c1e5f0a73");
  back.set_type("civil.events.v1.EnrolmentReinstated");
  back.mutable_payload()->PackFrom(reinstated);
  const std::string back_bytes = back.SerializeAsString();
  const int64_t handled = Count("SELECT count(*) FROM inbox");
  ASSERT_TRUE(r.Command({"XADD", "civil.events.assistance", "*", "envelope", back_bytes}).ok());
  for (int i = 0; i < 10 && Count("SELECT count(*) FROM inbox") == handled; ++i) {
    consumer.PollOnce().IgnoreError();
  }
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
  EXPECT_EQ(got.subsidy().status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(got.subsidy().end_month(), "");
  const std::string resumed_rows =
      "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.DisabilitySubsidyResumed'";
  EXPECT_EQ(Count(resumed_rows), 1);
  // The stop stays in the history, followed by the resumption.
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_history WHERE subsidy_id = '" +
                  living.subsidy_id() + "' AND action IN ('STOPPED', 'RESUMED')"),
            2);
  // Delivered again: exactly once.
  ASSERT_TRUE(r.Command({"XADD", "civil.events.assistance", "*", "envelope", back_bytes}).ok());
  consumer.PollOnce().IgnoreError();
  consumer.PollOnce().IgnoreError();
  EXPECT_EQ(Count(resumed_rows), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_history WHERE subsidy_id = '" +
                  living.subsidy_id() + "' AND action = 'RESUMED'"),
            1);
}

// The federation's certificate events, as the exchange publishes them on its stream: a grade
// that no longer qualifies stops the care subsidy, a revocation every subsidy, from the month
// after; an issue recorded before the person is registered is the person's type and grade; an
// event delivered twice is applied once.
TEST_F(AffairsIntegrationTest, FederationCertificateEventsStopSubsidiesAndFeedEligibility) {
  const std::string region = "340722113";
  const std::string lowered = Id("19600303", true, 73), revoked = Id("19610404", false, 74),
                    issued = Id("19620505", true, 75);
  assistance_->Enrol(lowered, "enr-73", av1::PROGRAMME_DIBAO, "2020-01", "", true);
  const std::string lowered_person = RegisterPerson(lowered, region + "001", 1, true);
  v1::Subsidy lowered_care, lowered_living, revoked_care;
  ASSERT_TRUE(Apply(lowered_person, v1::SUBSIDY_KIND_CARE, "2023-01-03", &lowered_care).ok());
  ASSERT_TRUE(Apply(lowered_person, v1::SUBSIDY_KIND_LIVING, "2023-01-03", &lowered_living).ok());
  const std::string revoked_person = RegisterPerson(revoked, region + "001", 2, true);
  ASSERT_TRUE(Apply(revoked_person, v1::SUBSIDY_KIND_CARE, "2023-01-03", &revoked_care).ok());
  const int64_t stopped_events = Count(
      "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.DisabilitySubsidyStopped'");

  civil::testing::RedisServer redis;
  RedisClient r({"127.0.0.1", redis.port(), 1, std::chrono::milliseconds(500)}, nullptr);
  EventConsumer consumer({.service = "affairs",
                          .consumer = "test",
                          .redis_port = redis.port(),
                          .block = std::chrono::milliseconds(100)},
                         &host_->department().pool(), nullptr);
  RegisterEventHandlers(&consumer, host_->department().Find<DisabilityStore>());
  int published = 0;
  auto publish = [&](const std::string& id, const std::string& event, int grade,
                     const std::string& category, const std::string& day) {
    civil::events::v1::DisabilityCertificateChanged changed;
    changed.set_certificate_number(id + "4" + std::to_string(grade));
    changed.set_category(category);
    changed.set_grade(grade);
    changed.set_event(event);
    changed.set_event_date(day);
    changed.set_region_code(region + "001");
    changed.set_reported_by("DISABLED_FEDERATION");
    civil::events::v1::Envelope envelope;
    char event_id[40];
    std::snprintf(event_id, sizeof event_id, "7c2a6d2e-8f0a-4c1e-9d3a-%012d", ++published);
    envelope.set_event_id(event_id);
    envelope.set_type("civil.events.v1.DisabilityCertificateChanged");
    envelope.set_source("exchange");
    envelope.set_subject_index(pii_->BlindIndex(id));
    envelope.set_subject_masked(id.substr(0, 6) + "********" + id.substr(14));
    envelope.mutable_payload()->PackFrom(changed);
    const std::string bytes = envelope.SerializeAsString();
    EXPECT_TRUE(r.Command({"XADD", "civil.events.exchange", "*", "envelope", bytes}).ok());
    const int64_t before = Count("SELECT count(*) FROM inbox");
    for (int i = 0; i < 20 && Count("SELECT count(*) FROM inbox") == before; ++i) {
      consumer.PollOnce().IgnoreError();
    }
    EXPECT_EQ(Count("SELECT count(*) FROM inbox"), before + 1);
    return bytes;
  };
  auto subsidy = [&](const std::string& subsidy_id) {
    v1::GetSubsidyRequest get;
    get.set_subsidy_id(subsidy_id);
    v1::GetSubsidyResponse got;
    EXPECT_TRUE(
        Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
    return got.subsidy();
  };
  auto person = [&](const std::string& person_id) {
    v1::GetDisabledPersonRequest get;
    get.set_person_id(person_id);
    v1::GetDisabledPersonResponse got;
    EXPECT_TRUE(Call(kClerk, [&](auto* c) {
                  return disability_stub_->GetDisabledPerson(c, get, &got);
                }).ok());
    return got.person();
  };

  // Grade 1 reassessed as grade 3 on 10 June: the care subsidy is paid for June, not July; the
  // living subsidy (any grade, with 低保) goes on.
  const std::string lowered_bytes = publish(lowered, "CHANGED", 3, "PHYSICAL", "2023-06-10");
  EXPECT_EQ(subsidy(lowered_care.subsidy_id()).status(), v1::SUBSIDY_STATUS_STOPPED);
  EXPECT_EQ(subsidy(lowered_care.subsidy_id()).end_month(), "2023-07");
  EXPECT_EQ(subsidy(lowered_living.subsidy_id()).status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(person(lowered_person).grade(), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.DisabilitySubsidyStopped'"),
            stopped_events + 1);
  // A new care application is refused on the federation's grade.
  grpc::Status care_again = Apply(lowered_person, v1::SUBSIDY_KIND_CARE, "2023-07-15");
  EXPECT_EQ(care_again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(care_again.error_message().find("grade 3"), std::string::npos);

  // Revoked on 20 June (naming no grade): every subsidy stops from July, none may start.
  publish(revoked, "REVOKED", 0, "", "2023-06-20");
  EXPECT_EQ(subsidy(revoked_care.subsidy_id()).status(), v1::SUBSIDY_STATUS_STOPPED);
  EXPECT_EQ(subsidy(revoked_care.subsidy_id()).end_month(), "2023-07");
  EXPECT_EQ(person(revoked_person).certificate_revoked_on(), "2023-06-20");
  EXPECT_EQ(person(revoked_person).grade(), 2) << "a revocation naming no grade keeps the grade";
  grpc::Status refused = Apply(revoked_person, v1::SUBSIDY_KIND_CARE, "2023-07-15");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(refused.error_message(),
            "person_id: the disability certificate was revoked on 2023-06-20 (残联)");
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.DisabilitySubsidyStopped'"),
            stopped_events + 2);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_history WHERE actor = "
                  "'event:DisabilityCertificateChanged'"),
            2);

  // Issued before the person is registered here: kept, and the clerk's entry follows it.
  publish(issued, "ISSUED", 1, "VISUAL", "2023-05-01");
  EXPECT_EQ(Count("SELECT count(*) FROM federation_certificates"), 3);
  const std::string issued_person = RegisterPerson(issued, region + "002", 4, true);
  EXPECT_EQ(person(issued_person).grade(), 1);
  EXPECT_EQ(person(issued_person).category(), v1::DISABILITY_CATEGORY_VISUAL);
  EXPECT_TRUE(Apply(issued_person, v1::SUBSIDY_KIND_CARE, "2023-07-15").ok());

  // The first event delivered again changes nothing.
  ASSERT_TRUE(r.Command({"XADD", "civil.events.exchange", "*", "envelope", lowered_bytes}).ok());
  for (int i = 0; i < 3; ++i) consumer.PollOnce().IgnoreError();
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.DisabilitySubsidyStopped'"),
            stopped_events + 2);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_history WHERE actor = "
                  "'event:DisabilityCertificateChanged'"),
            2);
}

// Another department's system (the exchange's registry search) asks which subsidies a person has.
TEST_F(AffairsIntegrationTest, SubsidyCheckAnswersAPersonsSubsidiesToSystems) {
  const std::string region = "340722114";
  const std::string id = Id("19630606", true, 76);
  v1::Subsidy care;
  ASSERT_TRUE(
      Apply(RegisterPerson(id, region + "001", 1, true), v1::SUBSIDY_KIND_CARE, "2023-02-03", &care)
          .ok());
  auto stub = v1::SubsidyCheckService::NewStub(channel_);
  // The exchange's service token.
  auto as_exchange = [&](const v1::CheckSubsidiesRequest& r, v1::CheckSubsidiesResponse* out) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    civil::testing::CallAsService(context, "exchange", "affairs");
    return stub->CheckSubsidies(&context, r, out);
  };
  v1::CheckSubsidiesRequest req;
  req.set_id_number(id);
  v1::CheckSubsidiesResponse resp;
  ASSERT_TRUE(as_exchange(req, &resp).ok());
  ASSERT_EQ(resp.subsidies_size(), 1);
  EXPECT_EQ(resp.subsidies(0).subsidy_id(), care.subsidy_id());
  EXPECT_EQ(resp.subsidies(0).kind(), v1::SUBSIDY_KIND_CARE);
  EXPECT_TRUE(resp.subsidies(0).active());
  EXPECT_EQ(resp.subsidies(0).start_month(), "2023-02");
  EXPECT_EQ(resp.subsidies(0).region_code(), region + "001");
  EXPECT_EQ(resp.id_number_masked(), id.substr(0, 6) + "********" + id.substr(14));
  req.set_as_of("2023-01-31");
  ASSERT_TRUE(as_exchange(req, &resp).ok());
  EXPECT_FALSE(resp.subsidies(0).active()) << "before its first month";
  req.set_id_number("123");
  grpc::Status bad = as_exchange(req, &resp);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message().rfind("id_number: ", 0), 0u);
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return stub->CheckSubsidies(c, req, &resp); }).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// ---------------------------------------------------------------------------------------------
// Relief, archives, and the summary over known data

// Builds a known half year in township 340722900 (and some records just outside it) and checks
// every figure of the summary.
TEST_F(AffairsIntegrationTest, SummaryCountsTheReportFiguresFromKnownData) {
  const std::string town = "340722900", village = "340722900001";
  FeeSchedule(town, "2020-01-01", 100000);  // 120,000 fen waived per resident

  // Disability: P1 care grade 1 all half year; P2 care grade 2, dies 2023-04-20; P3 living from
  // March.
  Standard(v1::SUBSIDY_KIND_CARE, 1, town, "2023-01", 10000);
  Standard(v1::SUBSIDY_KIND_CARE, 2, town, "2023-01", 8000);
  Standard(v1::SUBSIDY_KIND_LIVING, 0, town, "2023-01", 7000);
  const std::string p2_id = Id("19500101", false, 81), p3_id = Id("19500101", true, 82);
  ASSERT_TRUE(Apply(RegisterPerson(Id("19500101", true, 80), village, 1, true),
                    v1::SUBSIDY_KIND_CARE, "2023-01-05")
                  .ok());
  ASSERT_TRUE(
      Apply(RegisterPerson(p2_id, village, 2, true), v1::SUBSIDY_KIND_CARE, "2023-01-05").ok());
  assistance_->Enrol(p3_id, "enr-82", av1::PROGRAMME_DIBAO, "2022-01", "", true);
  ASSERT_TRUE(
      Apply(RegisterPerson(p3_id, village, 3, false), v1::SUBSIDY_KIND_LIVING, "2023-03-10").ok());

  // Cremations: three in the period in the town (one of them P2), one before it, one elsewhere.
  ASSERT_TRUE(Cremate(Id("19300101", true, 83), "2023-01-08", "2023-01-10", village).ok());
  ASSERT_TRUE(Cremate(p2_id, "2023-04-20", "2023-04-22", village).ok());
  ASSERT_TRUE(Cremate(Id("19300101", true, 84), "2023-06-29", "2023-06-30", village).ok());
  ASSERT_TRUE(Cremate(Id("19300101", true, 85), "2022-12-30", "2022-12-31", village).ok());
  ASSERT_TRUE(Cremate(Id("19300101", true, 86), "2023-03-01", "2023-03-02", "340722901001").ok());

  for (const char* month :
       {"2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06", "2023-07"}) {
    v1::RunSubsidyPaymentsResponse run;
    ASSERT_TRUE(Run(v1::SUBSIDY_KIND_CARE, month, town, &run).ok());
    ASSERT_TRUE(Run(v1::SUBSIDY_KIND_LIVING, month, town, &run).ok());
  }

  // Cemetery projects of 2023: A completed, B accepted, C planned, E completed after the period;
  // D is for 2024.
  const std::string a = Project(true, v1::PROJECT_KIND_UNSPECIFIED, town, 2023);
  const std::string b = Project(true, v1::PROJECT_KIND_UNSPECIFIED, town, 2023);
  Project(true, v1::PROJECT_KIND_UNSPECIFIED, town, 2023);
  Project(true, v1::PROJECT_KIND_UNSPECIFIED, town, 2024);
  const std::string e = Project(true, v1::PROJECT_KIND_UNSPECIFIED, town, 2023);
  for (const auto& [id, completed] : std::vector<std::pair<std::string, std::string>>{
           {a, "2023-05-01"}, {b, "2023-04-01"}, {e, "2023-07-10"}}) {
    ASSERT_TRUE(Milestone(true, id, v1::MILESTONE_STARTED, "2023-02-01").ok());
    ASSERT_TRUE(Milestone(true, id, v1::MILESTONE_COMPLETED, completed).ok());
  }
  ASSERT_TRUE(Milestone(true, b, v1::MILESTONE_ACCEPTED, "2023-06-01").ok());
  // Pilots: the care service pilot accepted, the rehabilitation pilot only completed.
  const std::string care = Project(false, v1::PROJECT_KIND_CARE_SERVICE_PILOT, town, 2022);
  const std::string rehab = Project(false, v1::PROJECT_KIND_MENTAL_HEALTH_REHAB_PILOT, town, 2022);
  for (const std::string& id : {care, rehab}) {
    ASSERT_TRUE(Milestone(false, id, v1::MILESTONE_STARTED, "2022-06-01").ok());
    ASSERT_TRUE(Milestone(false, id, v1::MILESTONE_COMPLETED, "2023-03-01").ok());
  }
  ASSERT_TRUE(Milestone(false, care, v1::MILESTONE_ACCEPTED, "2023-05-01").ok());

  // Funeral vehicle cases: two in the period, one after.
  for (const char* date : {"2023-02-01", "2023-05-05", "2023-07-01"}) {
    v1::RecordVehicleCaseRequest req;
    req.set_region_code(town);
    req.set_date(date);
    req.set_plate_number("皖G00001");
    req.set_violation(v1::VEHICLE_VIOLATION_SALUTE_NOISE);
    req.set_outcome(v1::VEHICLE_CASE_OUTCOME_RECTIFIED);
    v1::RecordVehicleCaseResponse resp;
    ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                  return funeral_stub_->RecordVehicleCase(c, req, &resp);
                }).ok());
  }

  // Marriages: M0 before the period, M1 and M2 in it. Divorces: M0 completed, M1 withdrawn by a
  // party, M2 left to lapse (day 61 = 2023-05-01).
  const std::string h0 = Id("19900101", true, 87), w0 = Id("19920101", false, 87);
  const std::string h1 = Id("19900101", true, 88), w1 = Id("19920101", false, 88);
  const std::string h2 = Id("19900101", true, 89), w2 = Id("19920101", false, 89);
  ASSERT_TRUE(Marry(h0, w0, "2022-12-01", "J-900-0", nullptr, town).ok());
  ASSERT_TRUE(Marry(h1, w1, "2023-02-14", "J-900-1", nullptr, town).ok());
  ASSERT_TRUE(Marry(h2, w2, "2023-02-20", "J-900-2", nullptr, town).ok());
  v1::DivorceApplication d0, d1;
  ASSERT_TRUE(ApplyDivorce(h0, w0, "2023-01-05", &d0, town).ok());
  ASSERT_TRUE(Complete(d0.application_id(), "2023-02-10", "L-900-0").ok());
  ASSERT_TRUE(ApplyDivorce(h1, w1, "2023-04-01", &d1, town).ok());
  ASSERT_TRUE(Withdraw(d1.application_id(), "2023-04-10").ok());
  ASSERT_TRUE(ApplyDivorce(h2, w2, "2023-03-01", nullptr, town).ok());

  // Archives: 1,000 files of 2005-09..2022-12; 600 transferred in the period, 400 after.
  v1::CreateArchiveBatchRequest batch;
  batch.set_region_code(town);
  batch.set_covers_from("2005-09");
  batch.set_covers_to("2022-12");
  batch.set_files_total(1000);
  batch.set_received_date("2023-01-02");
  v1::CreateArchiveBatchResponse created;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return marriage_stub_->CreateArchiveBatch(c, batch, &created);
              }).ok());
  struct Step {
    v1::ArchiveStage stage;
    int files;
    const char* date;
  };
  for (const Step& step : {Step{v1::ARCHIVE_STAGE_SCANNED, 1000, "2023-01-10"},
                           Step{v1::ARCHIVE_STAGE_VERIFIED, 1000, "2023-02-01"},
                           Step{v1::ARCHIVE_STAGE_TRANSFERRED, 600, "2023-03-01"},
                           Step{v1::ARCHIVE_STAGE_TRANSFERRED, 400, "2023-07-01"}}) {
    v1::RecordArchiveProgressRequest req;
    req.set_batch_id(created.batch().batch_id());
    req.set_stage(step.stage);
    req.set_files(step.files);
    req.set_date(step.date);
    v1::RecordArchiveProgressResponse resp;
    ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                  return marriage_stub_->RecordArchiveProgress(c, req, &resp);
                }).ok());
  }
  v1::RecordArchiveProgressRequest too_many;
  too_many.set_batch_id(created.batch().batch_id());
  too_many.set_stage(v1::ARCHIVE_STAGE_TRANSFERRED);
  too_many.set_files(1);
  v1::RecordArchiveProgressResponse refused;
  EXPECT_EQ(
      Call(kClerk,
           [&](auto* c) { return marriage_stub_->RecordArchiveProgress(c, too_many, &refused); })
          .error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);

  // Vagrant relief: two cases in the period (3,000 + 2,000 at closing; 4,000), one before it; one
  // summer campaign in it, one winter campaign before it.
  struct Intake {
    const char* date;
    int64_t fen;
  };
  std::vector<std::string> cases;
  for (const Intake& in :
       {Intake{"2023-02-01", 3000}, Intake{"2023-06-15", 4000}, Intake{"2022-12-20", 1000}}) {
    v1::OpenReliefCaseRequest req;
    req.set_region_code(town);
    req.set_place("县汽车站");
    req.set_intake_date(in.date);
    req.add_services(v1::RELIEF_SERVICE_KIND_FOOD);
    req.set_money_fen(in.fen);
    v1::OpenReliefCaseResponse resp;
    ASSERT_TRUE(
        Call(kClerk, [&](auto* c) { return relief_stub_->OpenReliefCase(c, req, &resp); }).ok());
    cases.push_back(resp.relief_case().case_id());
  }
  v1::CloseReliefCaseRequest close;
  close.set_case_id(cases[0]);
  close.set_outcome(v1::RELIEF_OUTCOME_RETURNED_HOME);
  close.set_date("2023-02-03");
  close.set_family_tracing(v1::FAMILY_TRACING_FOUND);
  close.add_services(v1::RELIEF_SERVICE_KIND_TRAVEL_HOME);
  close.set_additional_money_fen(2000);
  v1::CloseReliefCaseResponse closed;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return relief_stub_->CloseReliefCase(c, close, &closed); }).ok());
  EXPECT_EQ(closed.relief_case().money_fen(), 5000);
  EXPECT_EQ(closed.relief_case().services_size(), 2);
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return relief_stub_->CloseReliefCase(c, close, &closed); })
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  for (const auto& [kind, start, end, persons] :
       std::vector<std::tuple<v1::CampaignKind, std::string, std::string, int>>{
           {v1::CAMPAIGN_KIND_SUMMER_COOLING, "2023-06-01", "2023-06-30", 50},
           {v1::CAMPAIGN_KIND_WINTER_WARMTH, "2022-12-15", "2023-01-15", 30}}) {
    v1::RecordReliefCampaignRequest req;
    req.set_kind(kind);
    req.set_name("专项救助行动");
    req.set_region_code(town);
    req.set_start_date(start);
    req.set_end_date(end);
    req.set_persons_reached(persons);
    v1::RecordReliefCampaignResponse resp;
    ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                  return relief_stub_->RecordReliefCampaign(c, req, &resp);
                }).ok());
  }

  v1::GetSummaryRequest req;
  req.set_period_start("2023-01-01");
  req.set_period_end("2023-06-30");
  req.set_region_prefix(town);
  v1::GetSummaryResponse sum;
  grpc::Status s = Call(kAuditor, [&](auto* c) { return summary_stub_->GetSummary(c, req, &sum); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(sum.as_of(), "2023-06-30");
  EXPECT_EQ(sum.funeral().cremations(), 3);
  EXPECT_EQ(sum.funeral().fees_waived_fen(), 3 * 120000);
  EXPECT_EQ(sum.funeral().cemetery_projects_planned(), 4);
  EXPECT_EQ(sum.funeral().cemetery_projects_completed(), 2);
  EXPECT_EQ(sum.funeral().cemetery_projects_accepted(), 1);
  EXPECT_EQ(sum.funeral().cemetery_projects_awaiting_acceptance(), 1);
  EXPECT_EQ(sum.funeral().vehicle_cases(), 2);
  ASSERT_EQ(sum.subsidies_size(), 2);
  EXPECT_EQ(sum.subsidies(0).kind(), v1::SUBSIDY_KIND_LIVING);
  EXPECT_EQ(sum.subsidies(0).persons_paid(), 1);
  EXPECT_EQ(sum.subsidies(0).persons_active(), 1);
  EXPECT_EQ(sum.subsidies(0).paid_fen(), 4 * 7000);  // March to June
  EXPECT_EQ(sum.subsidies(1).kind(), v1::SUBSIDY_KIND_CARE);
  EXPECT_EQ(sum.subsidies(1).persons_paid(), 2);
  EXPECT_EQ(sum.subsidies(1).persons_active(), 1);               // P2 died in April
  EXPECT_EQ(sum.subsidies(1).paid_fen(), 6 * 10000 + 4 * 8000);  // P2 paid January to April
  ASSERT_EQ(sum.pilots_size(), 2);
  EXPECT_EQ(sum.pilots(0).kind(), v1::PROJECT_KIND_CARE_SERVICE_PILOT);
  EXPECT_EQ(sum.pilots(0).accepted(), 1);
  EXPECT_EQ(sum.pilots(1).kind(), v1::PROJECT_KIND_MENTAL_HEALTH_REHAB_PILOT);
  EXPECT_EQ(sum.pilots(1).completed(), 1);
  EXPECT_EQ(sum.pilots(1).accepted(), 0);
  EXPECT_EQ(sum.marriage().marriages_registered(), 2);
  EXPECT_EQ(sum.marriage().divorce_applications(), 3);
  EXPECT_EQ(sum.marriage().divorces_completed(), 1);
  EXPECT_EQ(sum.marriage().divorces_withdrawn_by_party(), 1);
  EXPECT_EQ(sum.marriage().divorces_withdrawn_by_law(), 1);
  EXPECT_EQ(sum.marriage().archive_files_digitised(), 600);
  EXPECT_EQ(sum.marriage().archive_covers_from(), "2005-09");
  EXPECT_EQ(sum.marriage().archive_covers_to(), "2022-12");
  EXPECT_EQ(sum.relief().cases(), 2);
  EXPECT_EQ(sum.relief().money_fen(), 5000 + 4000);
  EXPECT_EQ(sum.relief().campaigns(), 1);
  EXPECT_EQ(sum.relief().campaign_persons_reached(), 50);

  // The first quarter alone: before the lapse, the death and the archive transfer.
  req.set_period_end("2023-03-31");
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* c) { return summary_stub_->GetSummary(c, req, &sum); }).ok());
  EXPECT_EQ(sum.funeral().cremations(), 1);
  EXPECT_EQ(sum.marriage().divorce_applications(), 2);
  EXPECT_EQ(sum.marriage().divorces_withdrawn_by_law(), 0);
  EXPECT_EQ(sum.marriage().archive_files_digitised(), 600);
  EXPECT_EQ(sum.subsidies(1).persons_active(), 2);
  EXPECT_EQ(sum.funeral().cemetery_projects_completed(), 0);

  // Bad periods and scopes.
  req.set_period_end("2022-12-31");
  EXPECT_EQ(Call(kAuditor, [&](auto* c) { return summary_stub_->GetSummary(c, req, &sum); })
                .error_message(),
            "period_end: must not be before period_start");
  req.set_period_end("2023-06-30");
  EXPECT_EQ(Call({"affairs.clerk", "340722901"},
                 [&](auto* c) { return summary_stub_->GetSummary(c, req, &sum); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.set_period_start("");
  EXPECT_EQ(Call(kAuditor, [&](auto* c) { return summary_stub_->GetSummary(c, req, &sum); })
                .error_message(),
            "period_start: is required");
}

TEST_F(AffairsIntegrationTest, ListsPageThroughEveryRecordOnce) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        Cremate(Id("19350101", i % 2 == 0, 90 + i), "2023-02-01", "2023-02-02", "340722112001")
            .ok());
  }
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListCremationsRequest req;
    req.set_region_prefix("340722112");
    req.set_page_size(2);
    req.set_page_token(token);
    v1::ListCremationsResponse resp;
    ASSERT_TRUE(
        Call(kClerk, [&](auto* c) { return funeral_stub_->ListCremations(c, req, &resp); }).ok());
    for (const auto& c : resp.cremations()) EXPECT_TRUE(seen.insert(c.cremation_id()).second);
    token = resp.next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  // Configuration lists page by position.
  FeeSchedule("340722113", "2021-01-01", 1000);
  FeeSchedule("340722113", "2022-01-01", 2000);
  EXPECT_EQ(Call(kReviewer,
                 [&](auto* c) {
                   v1::SetFuneralFeeScheduleRequest dup;
                   dup.set_region_prefix("340722113");
                   dup.set_effective_from("2022-01-01");
                   auto* item = dup.add_items();
                   item->set_code("X");
                   item->set_name("x");
                   v1::SetFuneralFeeScheduleResponse out;
                   return funeral_stub_->SetFuneralFeeSchedule(c, dup, &out);
                 })
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  std::vector<std::string> dates;
  token.clear();
  do {
    v1::ListFuneralFeeSchedulesRequest req;
    req.set_region_prefix("340722113");
    req.set_page_size(1);
    req.set_page_token(token);
    v1::ListFuneralFeeSchedulesResponse page;
    ASSERT_TRUE(Call(kAuditor, [&](auto* c) {
                  return funeral_stub_->ListFuneralFeeSchedules(c, req, &page);
                }).ok());
    for (const auto& sch : page.schedules()) dates.push_back(sch.effective_from());
    token = page.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(dates, (std::vector<std::string>{"2021-01-01", "2022-01-01"}));

  v1::ListCremationsRequest bad;
  bad.set_page_token("garbage");
  v1::ListCremationsResponse resp;
  grpc::Status s =
      Call(kClerk, [&](auto* c) { return funeral_stub_->ListCremations(c, bad, &resp); });
  EXPECT_EQ(s.error_message(), "page_token: is not a token this service issued");
  bad.set_page_token("");
  bad.set_region_prefix("3407");
  s = Call(kClerk, [&](auto* c) { return funeral_stub_->ListCremations(c, bad, &resp); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // A township clerk sees only the township.
  bad.set_region_prefix("");
  ASSERT_TRUE(Call({"affairs.clerk", "340722112"}, [&](auto* c) {
                return funeral_stub_->ListCremations(c, bad, &resp);
              }).ok());
  for (const auto& c : resp.cremations()) EXPECT_EQ(c.region_code().substr(0, 9), "340722112");
}

// ---------------------------------------------------------------------------------------------
// Moves out of the county and back-payments, fed as the other departments' relays publish them

// Another department's stream in a Redis of its own, and an affairs consumer of it wired as
// production wires it (RegisterEventHandlers on the department's DisabilityStore).
class EventFeed {
 public:
  EventFeed(DepartmentHost& host, const PiiProtector& pii, int max_attempts = 5)
      : pii_(pii),
        redis_client_({"127.0.0.1", redis_.port(), 1, std::chrono::milliseconds(500)}, nullptr),
        consumer_({.service = "affairs",
                   .consumer = "test",
                   .redis_port = redis_.port(),
                   .block = std::chrono::milliseconds(100),
                   .max_attempts = max_attempts},
                  &host.department().pool(), nullptr),
        pool_(&host.department().pool()) {
    RegisterEventHandlers(&consumer_, host.department().Find<DisabilityStore>());
  }

  // An envelope from `source` about the person with ID number `id`, with a new event id.
  civil::events::v1::Envelope Envelope(const std::string& source, const std::string& id,
                                       const google::protobuf::Message& payload) {
    static int events = 0;
    char event_id[40];
    std::snprintf(event_id, sizeof event_id, "9e4c6d2e-8f0a-4c1e-9d3a-%012d", ++events);
    civil::events::v1::Envelope envelope;
    envelope.set_event_id(event_id);
    envelope.set_type(payload.GetDescriptor()->full_name());
    envelope.set_source(source);
    envelope.set_subject_index(pii_.BlindIndex(id));
    envelope.set_subject_masked(id.substr(0, 6) + "********" + id.substr(14));
    envelope.mutable_payload()->PackFrom(payload);
    return envelope;
  }

  // Adds `envelope` to its source's stream and polls until the consumer has handled an entry and
  // the event is applied (in the inbox) or dead-lettered.
  void Publish(const civil::events::v1::Envelope& envelope) {
    ASSERT_TRUE(redis_client_
                    .Command({"XADD", EventStream(envelope.source()), "*", "envelope",
                              envelope.SerializeAsString()})
                    .ok());
    for (int i = 0; i < 30; ++i) {
      absl::StatusOr<int> handled = consumer_.PollOnce();
      if (handled.ok() && *handled > 0 && Settled(envelope.event_id())) return;
    }
    ADD_FAILURE() << "event " << envelope.event_id() << " was not handled";
  }

  // The error the consumer recorded for `event_id` ("" when none).
  std::string Failure(const std::string& event_id) {
    std::string error;
    pool_
        ->Read([&](pqxx::transaction_base& txn) {
          pqxx::result r = txn.exec_params(
              "SELECT last_error FROM event_failures WHERE event_id = $1::uuid", event_id);
          error = r.empty() ? "" : r[0][0].as<std::string>();
          return absl::OkStatus();
        })
        .IgnoreError();
    return error;
  }

  EventConsumer& consumer() { return consumer_; }

 private:
  bool Settled(const std::string& event_id) {
    bool settled = false;
    pool_
        ->Read([&](pqxx::transaction_base& txn) {
          settled = txn.exec_params1(
                           "SELECT EXISTS (SELECT 1 FROM inbox WHERE event_id = $1::uuid) OR "
                           "EXISTS (SELECT 1 FROM event_failures WHERE event_id = $1::uuid AND "
                           "dead_lettered)",
                           event_id)[0]
                        .as<bool>();
          return absl::OkStatus();
        })
        .IgnoreError();
    return settled;
  }

  const PiiProtector& pii_;
  civil::testing::RedisServer redis_;
  RedisClient redis_client_;
  EventConsumer consumer_;
  PgPool* pool_;
};

civil::events::v1::PersonMovedOut MovedOut(const std::string& day, const std::string& region) {
  civil::events::v1::PersonMovedOut move;
  move.set_moved_out_on(day);
  move.set_region_code(region);
  move.set_destination("安徽省合肥市");
  move.set_record_id("5f0a6d2e-8f0a-4c1e-9d3a-000000000001");
  move.set_source_record_id("QC-001");
  move.set_reported_by("PUBLIC_SECURITY");
  return move;
}

// Public security reports a move out of the county (the exchange's PersonMovedOut): every active
// subsidy stops from the month after the move, a pending one is rejected, a stop ending earlier
// stays as it was; each change is in the history and the stops are published with the region;
// the event again, or the same move under another event, changes nothing; an unreadable date is
// an error naming the field and changes nothing.
TEST_F(AffairsIntegrationTest, AMoveOutOfTheCountyStopsEverySubsidyFromTheMonthAfterOnce) {
  const std::string region = "340722115";
  Standard(v1::SUBSIDY_KIND_CARE, 0, region, "2023-01", 9000);
  const std::string mover = Id("19590909", true, 1), pending = Id("19590909", false, 2),
                    stopped = Id("19590909", true, 3), stays = Id("19590909", false, 4);
  assistance_->Enrol(mover, "enr-115", av1::PROGRAMME_DIBAO, "2020-01", "", true);
  const std::string mover_person = RegisterPerson(mover, region + "001", 1, true);
  v1::Subsidy care, living, waiting, ended, kept;
  ASSERT_TRUE(Apply(mover_person, v1::SUBSIDY_KIND_CARE, "2023-01-03", &care).ok());
  ASSERT_TRUE(Apply(mover_person, v1::SUBSIDY_KIND_LIVING, "2023-01-03", &living).ok());
  // Assistance does not answer: the living subsidy waits.
  ASSERT_TRUE(Apply(RegisterPerson(pending, region + "002", 2, false), v1::SUBSIDY_KIND_LIVING,
                    "2023-05-03", &waiting, /*assistance_down=*/true)
                  .ok());
  ASSERT_EQ(waiting.status(), v1::SUBSIDY_STATUS_PENDING_ELIGIBILITY);
  // Stopped by a reviewer in March: paid up to March.
  ASSERT_TRUE(Apply(RegisterPerson(stopped, region + "001", 2, true), v1::SUBSIDY_KIND_CARE,
                    "2023-01-03", &ended)
                  .ok());
  v1::StopSubsidyRequest stop;
  stop.set_subsidy_id(ended.subsidy_id());
  stop.set_date("2023-03-20");
  stop.set_reason("复核不再符合条件");
  v1::StopSubsidyResponse stop_resp;
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return disability_stub_->StopSubsidy(c, stop, &stop_resp);
              }).ok());
  ASSERT_EQ(stop_resp.subsidy().end_month(), "2023-04");
  ASSERT_TRUE(Apply(RegisterPerson(stays, region + "003", 1, true), v1::SUBSIDY_KIND_CARE,
                    "2023-01-03", &kept)
                  .ok());
  auto subsidy = [&](const std::string& subsidy_id) {
    v1::GetSubsidyRequest get;
    get.set_subsidy_id(subsidy_id);
    v1::GetSubsidyResponse got;
    EXPECT_TRUE(
        Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
    return got.subsidy();
  };
  const std::string stopped_rows =
      "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.DisabilitySubsidyStopped'";
  const std::string history_rows =
      "SELECT count(*) FROM subsidy_history WHERE actor = 'event:PersonMovedOut'";
  const int64_t stopped_before = Count(stopped_rows);

  EventFeed feed(*host_, *pii_);
  const civil::events::v1::Envelope moved =
      feed.Envelope("exchange", mover, MovedOut("2023-06-10", region + "001"));
  feed.Publish(moved);
  feed.Publish(feed.Envelope("exchange", pending, MovedOut("2023-06-10", region + "002")));
  feed.Publish(feed.Envelope("exchange", stopped, MovedOut("2023-06-10", region + "001")));

  // Paid for June, the month of the move; not from July.
  for (const v1::Subsidy& s : {subsidy(care.subsidy_id()), subsidy(living.subsidy_id())}) {
    EXPECT_EQ(s.status(), v1::SUBSIDY_STATUS_STOPPED);
    EXPECT_EQ(s.end_month(), "2023-07");
    EXPECT_EQ(s.reason(), "moved out of the county on 2023-06-10");
  }
  EXPECT_EQ(subsidy(waiting.subsidy_id()).status(), v1::SUBSIDY_STATUS_REJECTED);
  EXPECT_EQ(subsidy(ended.subsidy_id()).end_month(), "2023-04") << "a stop ending earlier stays";
  EXPECT_EQ(subsidy(ended.subsidy_id()).reason(), "复核不再符合条件");
  EXPECT_EQ(subsidy(kept.subsidy_id()).status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(Count(history_rows), 3);  // two stops, one refusal
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_history WHERE actor = 'event:PersonMovedOut' "
                  "AND action = 'REJECTED' AND subsidy_id = '" +
                  waiting.subsidy_id() + "'"),
            1);
  // Two DisabilitySubsidyStopped, for the mover, MOVED_OUT, with the subsidy's region.
  ASSERT_EQ(Count(stopped_rows), stopped_before + 2);
  {
    pqxx::connection conn(*dsn_);
    pqxx::nontransaction txn(conn);
    std::set<std::string> kinds;
    for (const auto& row :
         txn.exec_params("SELECT envelope FROM outbox WHERE event_type = "
                         "'civil.events.v1.DisabilitySubsidyStopped' ORDER BY seq DESC LIMIT 2")) {
      civil::events::v1::Envelope envelope;
      ASSERT_TRUE(envelope.ParseFromString(pqxx::binarystring(row[0]).str()));
      EXPECT_EQ(envelope.subject_index(), pii_->BlindIndex(mover));
      civil::events::v1::DisabilitySubsidyStopped event;
      ASSERT_TRUE(envelope.payload().UnpackTo(&event));
      EXPECT_EQ(event.reason(), "MOVED_OUT");
      EXPECT_EQ(event.effective_month(), "2023-07");
      EXPECT_EQ(event.region_code(), region + "001");
      kinds.insert(event.subsidy());
    }
    EXPECT_EQ(kinds, (std::set<std::string>{"LIVING", "CARE"}));
  }
  // The June run pays the mover's care subsidy, the July run no longer does.
  v1::RunSubsidyPaymentsResponse june, july;
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_CARE, "2023-06", region, &june).ok());
  EXPECT_EQ(june.paid(), 2);  // the mover and the one who stays
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_CARE, "2023-07", region, &july).ok());
  EXPECT_EQ(july.paid(), 1);  // the one who stays

  // Delivered again (the inbox), and the same move under another event (the statement): nothing.
  const int64_t inbox = Count("SELECT count(*) FROM inbox");
  feed.Publish(moved);
  EXPECT_EQ(Count("SELECT count(*) FROM inbox"), inbox);
  feed.Publish(feed.Envelope("exchange", mover, MovedOut("2023-06-10", region + "001")));
  EXPECT_EQ(Count("SELECT count(*) FROM inbox"), inbox + 1);
  EXPECT_EQ(Count(stopped_rows), stopped_before + 2);
  EXPECT_EQ(Count(history_rows), 3);
  EXPECT_EQ(subsidy(care.subsidy_id()).end_month(), "2023-07");

  // An unreadable date is an error naming the field; the subsidy stays.
  EventFeed strict(*host_, *pii_, /*max_attempts=*/1);
  const civil::events::v1::Envelope bad =
      strict.Envelope("exchange", stays, MovedOut("2023-13-01", region + "003"));
  strict.Publish(bad);
  EXPECT_EQ(strict.Failure(bad.event_id()), "moved_out_on unreadable");
  civil::events::v1::Envelope anonymous =
      strict.Envelope("exchange", stays, MovedOut("2023-06-10", region + "003"));
  anonymous.clear_subject_index();
  strict.Publish(anonymous);
  EXPECT_EQ(strict.Failure(anonymous.event_id()), "subject_index missing");
  EXPECT_EQ(subsidy(kept.subsidy_id()).status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(Count(history_rows), 3);
}

civil::events::v1::EnrolmentEnded DibaoEnded(const std::string& enrolment_id,
                                             const std::string& month) {
  civil::events::v1::EnrolmentEnded ended;
  ended.set_enrolment_id(enrolment_id);
  ended.set_programme("PROGRAMME_DIBAO");
  ended.set_reason("EXIT_REASON_INELIGIBLE_INCOME");
  ended.set_effective_month(month);
  return ended;
}

civil::events::v1::EnrolmentReinstated DibaoReinstatedFrom(const std::string& enrolment_id,
                                                           const std::string& month,
                                                           const std::string& grievance) {
  civil::events::v1::EnrolmentReinstated back;
  back.set_enrolment_id(enrolment_id);
  back.set_programme("PROGRAMME_DIBAO");
  back.set_reversed_reason("EXIT_REASON_INELIGIBLE_INCOME");
  back.set_effective_month(month);
  back.set_grievance_id(grievance);
  return back;
}

// A 低保 exit reversed (EnrolmentReinstated) resumes the living subsidy it stopped, and the months
// the runs passed while it was stopped are paid back once, each on the standard of its month, as
// ADJUSTMENT rows outside any run; later months are the runs'. Neither the event again nor a
// second reinstatement pays a month twice, and the database refuses a second payment of a month.
TEST_F(AffairsIntegrationTest, AReinstatedDibaoPaysBackTheMonthsTheRunsPassedOnce) {
  const std::string region = "340722116", village = region + "001";
  Standard(v1::SUBSIDY_KIND_LIVING, 0, region, "2023-01", 5000);
  Standard(v1::SUBSIDY_KIND_LIVING, 0, region, "2023-06", 6000);  // raised from June
  const std::string id = Id("19591010", true, 1);
  assistance_->Enrol(id, "enr-116", av1::PROGRAMME_DIBAO, "2020-01", "", true);
  v1::Subsidy living;
  ASSERT_TRUE(
      Apply(RegisterPerson(id, village, 2, false), v1::SUBSIDY_KIND_LIVING, "2023-01-05", &living)
          .ok());
  auto run = [&](const std::string& month) {
    v1::RunSubsidyPaymentsResponse r;
    EXPECT_TRUE(Run(v1::SUBSIDY_KIND_LIVING, month, region, &r).ok());
    return r.paid();
  };
  for (const char* month : {"2023-01", "2023-02", "2023-03", "2023-04"}) EXPECT_EQ(run(month), 1);

  EventFeed feed(*host_, *pii_);
  feed.Publish(feed.Envelope("assistance", id, DibaoEnded("enr-116", "2023-05")));
  EXPECT_EQ(run("2023-05"), 0);
  EXPECT_EQ(run("2023-06"), 0);

  // Reinstated on 15 July, runs done up to June: May (5000) and June (6000) are paid back; July
  // is left to its run.
  const civil::events::v1::Envelope back =
      feed.Envelope("assistance", id, DibaoReinstatedFrom("enr-116", "2023-05", "grievance-116"));
  feed.Publish(back);
  v1::GetSubsidyRequest get;
  get.set_subsidy_id(living.subsidy_id());
  v1::GetSubsidyResponse got;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
  EXPECT_EQ(got.subsidy().status(), v1::SUBSIDY_STATUS_ACTIVE);
  const std::string of_person =
      "FROM subsidy_payments WHERE subsidy_id = '" + living.subsidy_id() + "'";
  const std::string adjustments = of_person + " AND payment_type = 'ADJUSTMENT'";
  EXPECT_EQ(Count("SELECT count(*) " + adjustments), 2);
  EXPECT_EQ(Count("SELECT coalesce(sum(amount_fen), 0) " + adjustments), 11000);
  EXPECT_EQ(Count("SELECT count(*) " + adjustments + " AND run_id IS NULL AND event_id = '" +
                  back.event_id() +
                  "' AND month IN ('2023-05-01', '2023-06-01') AND "
                  "region_code = '" +
                  village + "'"),
            2);
  // The history's RESUMED row lists them.
  {
    pqxx::connection conn(*dsn_);
    pqxx::nontransaction txn(conn);
    pqxx::row detail = txn.exec_params1(
        "SELECT detail->'back_paid_months', (detail->>'back_paid_fen')::bigint, actor FROM "
        "subsidy_history WHERE subsidy_id = $1::uuid AND action = 'RESUMED'",
        living.subsidy_id());
    EXPECT_EQ(nlohmann::json::parse(detail[0].as<std::string>()),
              nlohmann::json({"2023-05", "2023-06"}));
    EXPECT_EQ(detail[1].as<int64_t>(), 11000);
    EXPECT_EQ(detail[2].as<std::string>(), "event:EnrolmentReinstated");
  }
  // July is the run's, on the raised standard; that run settles the two back-payments, and its
  // bank file pays July and then May and June, marked 补发.
  v1::RunSubsidyPaymentsResponse july;
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_LIVING, "2023-07", region, &july).ok());
  EXPECT_EQ(july.paid(), 1);
  EXPECT_EQ(july.adjustments_settled(), 2);
  EXPECT_EQ(july.adjustments_fen(), 11000);
  EXPECT_EQ(Count("SELECT amount_fen " + of_person + " AND month = '2023-07-01'"), 6000);
  v1::ExportSubsidyBankFileResponse file;
  ASSERT_TRUE(ExportBankFile(kReviewer, july.run_id(), "", "", &file).ok());
  EXPECT_EQ(file.rows(), 3);
  EXPECT_EQ(file.total_fen(), 17000);
  EXPECT_EQ(file.file_name(), "bank-DISABILITY_LIVING-2023-07-" + region + ".csv");
  const std::vector<std::string> lines = absl::StrSplit(file.content(), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << file.content();
  EXPECT_TRUE(absl::EndsWith(lines[1], ",60.00,2023-07," + village + ",困难残疾人生活补贴"))
      << lines[1];
  EXPECT_TRUE(absl::EndsWith(lines[2], ",50.00,2023-05," + village + ",困难残疾人生活补贴(补发)"))
      << lines[2];
  EXPECT_TRUE(absl::EndsWith(lines[3], ",60.00,2023-06," + village + ",困难残疾人生活补贴(补发)"))
      << lines[3];
  // The run again settles nothing again.
  v1::RunSubsidyPaymentsResponse again;
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_LIVING, "2023-07", region, &again).ok());
  EXPECT_EQ(again.paid(), 0);
  EXPECT_EQ(again.adjustments_settled(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_adjustment_settlements s JOIN subsidy_payments p "
                  "USING (payment_id) WHERE p.subsidy_id = '" +
                  living.subsidy_id() + "' AND s.run_id = '" + july.run_id() + "'"),
            2);

  // The event again: the inbox drops it.
  feed.Publish(back);
  EXPECT_EQ(Count("SELECT count(*) " + adjustments), 2);
  // Stopped and reinstated again from May (a second grievance): resumed, nothing paid twice.
  feed.Publish(feed.Envelope("assistance", id, DibaoEnded("enr-116", "2023-05")));
  feed.Publish(
      feed.Envelope("assistance", id, DibaoReinstatedFrom("enr-116", "2023-05", "grievance-117")));
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
  EXPECT_EQ(got.subsidy().status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_history WHERE subsidy_id = '" +
                  living.subsidy_id() + "' AND action = 'RESUMED'"),
            2);
  EXPECT_EQ(Count("SELECT count(*) " + adjustments), 2);
  EXPECT_EQ(Count("SELECT count(*) " + of_person), 7);  // January to July, each once
  EXPECT_EQ(Count("SELECT count(DISTINCT month) " + of_person), 7);
  EXPECT_EQ(Count("SELECT count(*) FROM subsidy_adjustment_settlements s JOIN subsidy_payments p "
                  "USING (payment_id) WHERE p.subsidy_id = '" +
                  living.subsidy_id() + "' AND s.run_id = '" + july.run_id() + "'"),
            2);
  // The database itself refuses a second payment of a month, run or back-payment.
  {
    pqxx::connection conn(*dsn_);
    pqxx::work txn(conn);
    EXPECT_THROW(txn.exec_params("INSERT INTO subsidy_payments (subsidy_id, person_id, kind, "
                                 "month, amount_fen, region_code, payment_type, event_id) SELECT "
                                 "subsidy_id, person_id, kind, '2023-06-01', 6000, region_code, "
                                 "'ADJUSTMENT', 'again' FROM subsidies WHERE subsidy_id = $1::uuid",
                                 living.subsidy_id()),
                 pqxx::unique_violation);
  }
}

// A month owed that no standard prices: nothing changes (the subsidy stays stopped, nothing is
// paid), the event is dead-lettered with the month named; replayed once the standard is set,
// the subsidy resumes and the month is paid back.
TEST_F(AffairsIntegrationTest, ABackPaymentWithoutAStandardWaitsForOne) {
  const std::string region = "340722117", village = region + "001";
  const std::string id = Id("19591111", false, 1);
  assistance_->Enrol(id, "enr-117", av1::PROGRAMME_DIBAO, "2020-01", "", true);
  v1::Subsidy living;
  ASSERT_TRUE(
      Apply(RegisterPerson(id, village, 3, false), v1::SUBSIDY_KIND_LIVING, "2023-04-05", &living)
          .ok());
  EventFeed feed(*host_, *pii_, /*max_attempts=*/1);
  feed.Publish(feed.Envelope("assistance", id, DibaoEnded("enr-117", "2023-05")));
  v1::RunSubsidyPaymentsResponse may;
  ASSERT_TRUE(Run(v1::SUBSIDY_KIND_LIVING, "2023-05", region, &may).ok());
  ASSERT_EQ(may.due(), 0);

  const civil::events::v1::Envelope back =
      feed.Envelope("assistance", id, DibaoReinstatedFrom("enr-117", "2023-05", "grievance-118"));
  feed.Publish(back);
  EXPECT_EQ(feed.Failure(back.event_id()),
            "month: no LIVING standard prices 2023-05 for grade 3 in " + village +
                "; set one with SetSubsidyStandard");
  v1::GetSubsidyRequest get;
  get.set_subsidy_id(living.subsidy_id());
  v1::GetSubsidyResponse got;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
  EXPECT_EQ(got.subsidy().status(), v1::SUBSIDY_STATUS_STOPPED);
  const std::string paid =
      "SELECT count(*) FROM subsidy_payments WHERE subsidy_id = '" + living.subsidy_id() + "'";
  EXPECT_EQ(Count(paid), 0);

  Standard(v1::SUBSIDY_KIND_LIVING, 0, region, "2023-01", 5500);
  absl::StatusOr<std::vector<EventConsumer::DeadLetter>> dead =
      feed.consumer().ListDeadLetters("", 10);
  ASSERT_TRUE(dead.ok()) << dead.status();
  ASSERT_EQ(dead->size(), 1u);
  absl::Status applied;
  ASSERT_TRUE(feed.consumer().ReplayDeadLetter((*dead)[0].id, &applied).ok());
  EXPECT_TRUE(applied.ok()) << applied;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return disability_stub_->GetSubsidy(c, get, &got); }).ok());
  EXPECT_EQ(got.subsidy().status(), v1::SUBSIDY_STATUS_ACTIVE);
  EXPECT_EQ(Count(paid + " AND payment_type = 'ADJUSTMENT' AND month = '2023-05-01' AND "
                         "amount_fen = 5500"),
            1);
}

}  // namespace
}  // namespace civil::affairs
