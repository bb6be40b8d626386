// Test bed of the assistance integration tests: one private PostgreSQL (migrated) and Redis per
// test binary, the department built by the kit from assistance::Spec() (the wiring
// assistance_server runs) and served in-process on a loopback port, a stub per service, callers
// identified by metadata as the gateway forwards it, and factories for households, applications,
// enrolments and payments.
//
//   class MyTest : public civil::assistance::testbed::AssistanceTestbed {
//     void SetUp() override {
//       AssistanceTestbed::SetUp();
//       SetStandards({{v1::PROGRAMME_DIBAO, common::v1::AREA_RURAL, 64000}});
//     }
//   };
//   TEST_F(MyTest, X) { Enrol(NewHousehold("340722100101", {{IdNumber(1, 1950), 1}}), ...); }
//
// Nothing here is a mock: the services talk to the real servers of tests/support/servers.h.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "civil/assistance/v1/household.grpc.pb.h"
#include "civil/assistance/v1/programme.grpc.pb.h"
#include "civil/assistance/v1/relief.grpc.pb.h"
#include "services/assistance/application_store.h"
#include "services/assistance/assistance.h"
#include "services/assistance/audit_store.h"
#include "services/assistance/bank_file_store.h"
#include "services/assistance/disbursement_store.h"
#include "services/assistance/enrolment_store.h"
#include "services/assistance/household_store.h"
#include "services/assistance/migrations.h"
#include "services/assistance/mutual_aid_store.h"
#include "services/assistance/outreach_store.h"
#include "services/assistance/relief_case_store.h"
#include "services/assistance/relief_figures_store.h"
#include "services/assistance/review_store.h"
#include "services/assistance/standard_store.h"
#include "services/assistance/summary_store.h"
#include "services/common/department.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/redis.h"
#include "tests/support/call_as.h"
#include "tests/support/servers.h"

namespace civil::assistance::testbed {

// A valid resident ID number of county 340722 (GB 11643 check character): born on `month_day`
// (MMDD) of `year`; `serial` (0–999) tells persons born the same day apart.
inline std::string IdNumber(int serial, int year, const char* month_day = "0301") {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  char body[24];
  std::snprintf(body, sizeof body, "340722%04d%.4s%03d", year, month_day, serial % 1000);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + kCheck[sum % 11];
}

// Who calls: subject, roles (comma-separated) and region scope, as the gateway forwards them.
struct Who {
  std::string subject, roles, region;
};
inline const Who kClerk{"clerk-a", "assistance.clerk", "340722100"};
inline const Who kReviewer{"reviewer-1", "assistance.reviewer", "340722"};
inline const Who kAuditor{"auditor-1", "auditor", "340722"};

// A client context carrying `who` (no metadata for empty fields) and a 30-second deadline.
inline std::unique_ptr<grpc::ClientContext> As(const Who& who) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  civil::testing::CallAs(*context, {who.subject, who.roles, who.region});
  return context;
}

// A context carrying department `department`'s service token for assistance, and a 30-second
// deadline.
inline std::unique_ptr<grpc::ClientContext> AsService(const std::string& department) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  civil::testing::CallAsService(*context, department, "assistance");
  return context;
}

// One county standard (region 340722) in force from 2023-01-01.
struct StandardRow {
  v1::Programme programme;
  civil::common::v1::Area area;
  int64_t monthly_fen;
  int64_t supplement_elderly_fen = 0;
  int64_t supplement_seriously_ill_fen = 0;
};

// How an application is filed and investigated.
struct EnrolOptions {
  // The applicant, for per-person programmes (特困, special-group subsidies).
  std::string member_id;
  // 特困 only.
  v1::CareMode care = v1::CARE_MODE_DISPERSED;
  // Files, investigates and publishes it.
  Who clerk = kClerk;
  // A member recorded as seriously ill at the investigation (empty: none).
  std::string seriously_ill_member;
};

class AssistanceTestbed : public ::testing::Test {
 protected:
  // One PostgreSQL with the assistance migrations applied, one Redis, for the whole binary.
  static void SetUpTestSuite() {
    pg_ = new civil::testing::PostgresServer();
    redis_ = new civil::testing::RedisServer();
    dsn_ = new std::string(pg_->CreateDatabase("civil_assistance"));
    ASSERT_TRUE(ApplyMigrations(*dsn_, "assistance", WithCommonMigrations(Migrations())).ok());
  }
  static void TearDownTestSuite() {
    delete redis_;
    delete pg_;
    delete dsn_;
    redis_ = nullptr;
    pg_ = nullptr;
    dsn_ = nullptr;
  }

  // A fresh department per test, built by the kit from assistance::Spec() — the wiring
  // production runs — and served on a free loopback port. Events are driven by hand
  // (PublishOnce / PollOnce); the rules are the defaults unless a test sets `overrides_` first.
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<DepartmentHost>> host = DepartmentHost::Start(
        Spec(overrides_),
        civil::testing::Trusting(TestServiceConfig("assistance", *dsn_, "127.0.0.1", redis_->port(),
                                                   civil::testing::kTestPiiKey)),
        {.clock = clock_, .start_events = false, .migrate = false});
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
    Department& d = host_->department();
    pii_ = &d.pii();
    pool_ = &d.pool();
    redis_client_ = &d.redis();
    cache_ = d.Find<ReadThroughCache>();
    households_ = d.Find<HouseholdStore>();
    standards_ = d.Find<StandardStore>();
    applications_ = d.Find<ApplicationStore>();
    enrolments_ = d.Find<EnrolmentStore>();
    disbursements_ = d.Find<DisbursementStore>();
    summaries_ = d.Find<SummaryStore>();
    relief_cases_ = d.Find<ReliefCaseStore>();
    mutual_aid_ = d.Find<MutualAidStore>();
    outreach_ = d.Find<OutreachStore>();
    audits_ = d.Find<AuditStore>();
    reviews_ = d.Find<ReviewStore>();
    bank_files_ = d.Find<BankFileStore>();
    figures_ = d.Find<ReliefFiguresStore>();

    std::shared_ptr<grpc::Channel> channel = host_->Channel();
    household_ = v1::HouseholdService::NewStub(channel);
    standard_ = v1::StandardService::NewStub(channel);
    application_ = v1::ApplicationService::NewStub(channel);
    enrolment_ = v1::EnrolmentService::NewStub(channel);
    check_ = v1::EnrolmentCheckService::NewStub(channel);
    disbursement_ = v1::DisbursementService::NewStub(channel);
    summary_ = v1::SummaryService::NewStub(channel);
    relief_ = v1::TemporaryReliefService::NewStub(channel);
    mutual_aid_stub_ = v1::MutualAidService::NewStub(channel);
    outreach_stub_ = v1::OutreachService::NewStub(channel);
    audit_ = v1::AuditService::NewStub(channel);
    review_ = v1::ReviewService::NewStub(channel);
    bank_file_ = v1::BankFileService::NewStub(channel);
  }

  void TearDown() override { host_.reset(); }

  // Sets county standards (region 340722, from 2023-01-01) as the reviewer; one already there
  // (ALREADY_EXISTS, from an earlier test of the binary) is fine.
  void SetStandards(const std::vector<StandardRow>& rows) {
    for (const StandardRow& row : rows) {
      v1::SetStandardRequest request;
      v1::Standard* st = request.mutable_standard();
      st->set_programme(row.programme);
      st->set_area(row.area);
      st->set_region_prefix("340722");
      st->set_effective_from("2023-01-01");
      st->set_monthly_fen(row.monthly_fen);
      st->set_supplement_elderly_fen(row.supplement_elderly_fen);
      st->set_supplement_seriously_ill_fen(row.supplement_seriously_ill_fen);
      st->set_reason("皖民社〔2023〕1号");
      v1::SetStandardResponse response;
      grpc::Status status = standard_->SetStandard(As(kReviewer).get(), request, &response);
      ASSERT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::ALREADY_EXISTS)
          << status.error_message();
    }
  }

  // Registers a household in `region` through the HouseholdService; `people` are (ID number,
  // v1::Relation number) pairs, named 成员0, 成员1, …. Fails the test (and returns an empty
  // household) when refused.
  v1::Household NewHousehold(const std::string& region,
                             const std::vector<std::pair<std::string, int>>& people,
                             const Who& clerk = kClerk,
                             civil::common::v1::Area area = civil::common::v1::AREA_RURAL) {
    v1::CreateHouseholdRequest request;
    request.set_region_code(region);
    request.set_area(area);
    for (size_t i = 0; i < people.size(); ++i) {
      v1::MemberInput* m = request.add_members();
      m->set_name("成员" + std::to_string(i));
      m->set_id_number(people[i].first);
      m->set_relation(static_cast<v1::Relation>(people[i].second));
    }
    v1::CreateHouseholdResponse response;
    grpc::Status status = household_->CreateHousehold(As(clerk).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.household();
  }

  // Files an application dated `on` and records its investigation (household income
  // `income_fen`, assets within limits) the same day; returns the application's id.
  std::string Investigated(const v1::Household& h, v1::Programme programme, int64_t income_fen,
                           const std::string& on, const EnrolOptions& options = {}) {
    v1::CreateApplicationRequest create;
    create.set_programme(programme);
    create.set_household_id(h.household_id());
    create.set_member_id(options.member_id);
    create.set_submitted_on(on);
    if (programme == v1::PROGRAMME_TEKUN) create.set_care_mode(options.care);
    v1::CreateApplicationResponse created;
    grpc::Status s = application_->CreateApplication(As(options.clerk).get(), create, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    const std::string id = created.application().application_id();
    v1::InvestigateApplicationRequest investigate;
    investigate.set_application_id(id);
    investigate.set_household_monthly_income_fen(income_fen);
    investigate.set_assets_within_limits(true);
    investigate.set_visit_note("入户核查");
    investigate.set_investigated_on(on);
    if (programme == v1::PROGRAMME_TEKUN) {
      // 特困 grounds (第14条): all three conditions, in the category the applicant's age fits.
      std::string birth;
      for (const auto& m : h.members()) {
        if (m.member_id() == options.member_id) birth = m.birth_date();
      }
      const auto aged = [&](int years) {  // whether `birth` + years is on or before `on`
        return std::to_string(std::stoi(birth.substr(0, 4)) + years) + birth.substr(4) <= on;
      };
      v1::TekunGrounds* g = investigate.mutable_tekun_grounds();
      g->set_category(birth.empty() || aged(60) ? v1::TEKUN_CATEGORY_ELDERLY
                      : aged(16)                ? v1::TEKUN_CATEGORY_DISABLED
                                                : v1::TEKUN_CATEGORY_MINOR);
      g->set_no_work_capacity(true);
      g->set_no_income(true);
      g->set_no_supporter(true);
    }
    if (!options.seriously_ill_member.empty()) {
      v1::MemberCircumstance* c = investigate.add_circumstances();
      c->set_member_id(options.seriously_ill_member);
      c->set_seriously_ill(true);
    }
    v1::InvestigateApplicationResponse investigated;
    s = application_->InvestigateApplication(As(options.clerk).get(), investigate, &investigated);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return id;
  }

  // Takes an application from filing (`submitted`, also the investigation and notice start)
  // through the notice to the reviewer's approval on `approved`; returns the enrolment.
  v1::Enrolment Enrol(const v1::Household& h, v1::Programme programme, int64_t income_fen,
                      const std::string& submitted, const std::string& approved,
                      const EnrolOptions& options = {}) {
    const std::string id = Investigated(h, programme, income_fen, submitted, options);
    v1::PublishApplicationRequest publish;
    publish.set_application_id(id);
    publish.set_notice_start(submitted);
    v1::PublishApplicationResponse published;
    grpc::Status s = application_->PublishApplication(As(options.clerk).get(), publish, &published);
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::ApproveApplicationRequest approve;
    approve.set_application_id(id);
    approve.set_decided_on(approved);
    v1::ApproveApplicationResponse response;
    s = application_->ApproveApplication(As(kReviewer).get(), approve, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.enrolment();
  }

  // Ends the enrolment (or one member of it) as the reviewer; fails the test when refused.
  void Exit(const v1::Enrolment& e, const std::string& member_id, v1::ExitReason reason,
            const std::string& decided_on) {
    v1::ExitEnrolmentRequest request;
    request.set_enrolment_id(e.enrolment_id());
    request.set_member_id(member_id);
    request.set_reason(reason);
    request.set_note("复核");
    request.set_decided_on(decided_on);
    v1::ExitEnrolmentResponse response;
    grpc::Status s = enrolment_->ExitEnrolment(As(kReviewer).get(), request, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // Runs the monthly disbursement of `month` (`YYYY-MM`) in `prefix` as the reviewer.
  grpc::Status Pay(v1::Programme programme, const std::string& month,
                   v1::RunDisbursementResponse* out, const std::string& prefix = "340722") {
    v1::RunDisbursementRequest request;
    request.set_programme(programme);
    request.set_month(month);
    request.set_region_prefix(prefix);
    return disbursement_->RunDisbursement(As(kReviewer).get(), request, out);
  }

  // The first column of the first row of `sql` as a number (a count).
  int64_t Count(const std::string& sql) {
    pqxx::connection c(*dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  // Runs `sql` in a committed transaction; the first column of its first row as text ("" when
  // there is none or it is NULL).
  std::string Exec1(const std::string& sql) {
    pqxx::connection c(*dsn_);
    pqxx::work txn(c);
    pqxx::result r = txn.exec(sql);
    txn.commit();
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }

  inline static civil::testing::PostgresServer* pg_ = nullptr;
  inline static civil::testing::RedisServer* redis_ = nullptr;
  inline static std::string* dsn_ = nullptr;

  // What a test may set before AssistanceTestbed::SetUp() (rules other than the defaults).
  AssistanceOverrides overrides_{.rules = AssistanceRules{}, .relief_rules = ReliefRules{}};
  // The department's clock (DepartmentOptions::clock), e.g. FixedClock(day); the real calendar
  // unless a test sets it first.
  Clock clock_ = SystemClock();
  std::unique_ptr<DepartmentHost> host_;

  // The department's own objects (owned by host_).
  const PiiProtector* pii_ = nullptr;
  PgPool* pool_ = nullptr;
  RedisClient* redis_client_ = nullptr;
  ReadThroughCache* cache_ = nullptr;
  HouseholdStore* households_ = nullptr;
  StandardStore* standards_ = nullptr;
  ApplicationStore* applications_ = nullptr;
  EnrolmentStore* enrolments_ = nullptr;
  DisbursementStore* disbursements_ = nullptr;
  SummaryStore* summaries_ = nullptr;
  ReliefCaseStore* relief_cases_ = nullptr;
  MutualAidStore* mutual_aid_ = nullptr;
  OutreachStore* outreach_ = nullptr;
  AuditStore* audits_ = nullptr;
  ReviewStore* reviews_ = nullptr;
  BankFileStore* bank_files_ = nullptr;
  ReliefFiguresStore* figures_ = nullptr;

  std::unique_ptr<v1::HouseholdService::Stub> household_;
  std::unique_ptr<v1::StandardService::Stub> standard_;
  std::unique_ptr<v1::ApplicationService::Stub> application_;
  std::unique_ptr<v1::EnrolmentService::Stub> enrolment_;
  std::unique_ptr<v1::EnrolmentCheckService::Stub> check_;
  std::unique_ptr<v1::DisbursementService::Stub> disbursement_;
  std::unique_ptr<v1::SummaryService::Stub> summary_;
  std::unique_ptr<v1::TemporaryReliefService::Stub> relief_;
  std::unique_ptr<v1::MutualAidService::Stub> mutual_aid_stub_;
  std::unique_ptr<v1::OutreachService::Stub> outreach_stub_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::ReviewService::Stub> review_;
  std::unique_ptr<v1::BankFileService::Stub> bank_file_;
};

}  // namespace civil::assistance::testbed
