// Integration tests of the report: the service as the kit builds it (DepartmentHost, production
// wiring) on a real PostgreSQL and Redis, called over gRPC with users' tokens. The departments'
// GetSummary are other departments' APIs: small in-process stand-ins answer them with the seed's
// figures, checking that the report calls with its own service token; the affairs stand-in can be
// made slower than the report's deadline.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "civil/affairs/v1/summary.grpc.pb.h"
#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "civil/childwelfare/v1/summary.grpc.pb.h"
#include "civil/eldercare/v1/summary.grpc.pb.h"
#include "civil/report/v1/report.grpc.pb.h"
#include "civil/socialorg/v1/summary.grpc.pb.h"
#include "services/common/department.h"
#include "services/report/report.h"
#include "tests/support/call_as.h"
#include "tests/support/servers.h"

namespace civil::report {
namespace {

using civil::testing::TestCaller;

// Who asked a stand-in, as it verified the token.
struct Seen {
  std::mutex mu;
  std::vector<std::string> callers;  // "<department>:<subject>:<roles>:<region asked>"
  void Add(std::string s) {
    std::lock_guard lock(mu);
    callers.push_back(std::move(s));
  }
};

// Verifies the report's token as department `dept` would; the error the department would give.
grpc::Status Check(const char* dept, grpc::ServerContext* context, const std::string& region,
                   Seen* seen) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<CallVerifier>> verifiers;
  const CallVerifier* verifier;
  {
    std::lock_guard lock(mu);
    auto& v = verifiers[dept];
    if (v == nullptr) v = *CallVerifier::Create(dept, civil::testing::TestIdentity(dept));
    verifier = v.get();
  }
  absl::StatusOr<Caller> caller = verifier->Authenticate(*context);
  if (!caller.ok()) return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no");
  seen->Add(absl::StrCat(dept, ":", caller->subject, ":", absl::StrJoin(caller->roles, ","), ":",
                         region));
  return grpc::Status::OK;
}

class StandInAssistance final : public civil::assistance::v1::SummaryService::Service {
 public:
  explicit StandInAssistance(Seen* seen) : seen_(seen) {}
  grpc::Status GetSummary(grpc::ServerContext* c, const civil::assistance::v1::GetSummaryRequest* q,
                          civil::assistance::v1::GetSummaryResponse* r) override {
    if (auto s = Check("assistance", c, q->region_prefix(), seen_); !s.ok()) return s;
    auto* f = r->add_programmes();
    f->set_programme(civil::assistance::v1::PROGRAMME_DIBAO);
    f->set_area(civil::common::v1::AREA_RURAL);
    f->set_households(9847);
    f->set_persons(15044);
    f->set_paid_fen(3808'0000'00);
    r->add_lines("农村低保对象9847户15044人,发放资金3808万元");
    r->mutable_relief()->set_societies_registered(94);
    r->add_lines("已完成94家村(社区)互助社登记设立,开展救助158人次,发放救助金10.46万元");
    return grpc::Status::OK;
  }
  Seen* seen_;
};

class StandInEldercare final : public civil::eldercare::v1::EldercareSummaryService::Service {
 public:
  explicit StandInEldercare(Seen* seen) : seen_(seen) {}
  grpc::Status GetSummary(grpc::ServerContext* c, const civil::eldercare::v1::GetSummaryRequest* q,
                          civil::eldercare::v1::GetSummaryResponse* r) override {
    if (auto s = Check("eldercare", c, q->region_prefix(), seen_); !s.ok()) return s;
    r->set_allowance_persons(22007);
    r->set_allowance_paid_fen(418'0000'00);
    r->add_lines("享有高龄津贴22007人,发放资金418万元");
    // 二's facility targets count from these: 12 of 22 stations built by 30 June.
    civil::eldercare::v1::FacilityFigures* stations = r->add_facilities();
    stations->set_kind("VILLAGE_STATION");
    stations->set_planned(22);
    stations->set_built(12);
    r->set_placements(24);
    return grpc::Status::OK;
  }
  Seen* seen_;
};

class StandInChildWelfare final
    : public civil::childwelfare::v1::ChildWelfareSummaryService::Service {
 public:
  explicit StandInChildWelfare(Seen* seen) : seen_(seen) {}
  grpc::Status GetSummary(grpc::ServerContext* c,
                          const civil::childwelfare::v1::GetSummaryRequest* q,
                          civil::childwelfare::v1::GetSummaryResponse* r) override {
    if (auto s = Check("childwelfare", c, q->region_prefix(), seen_); !s.ok()) return s;
    r->set_orphan_persons(227);
    r->add_lines("孤儿基本生活保障对象227人,发放补助金额148万元");
    return grpc::Status::OK;
  }
  Seen* seen_;
};

class StandInSocialorg final : public civil::socialorg::v1::SocialorgSummaryService::Service {
 public:
  explicit StandInSocialorg(Seen* seen) : seen_(seen) {}
  grpc::Status GetSummary(grpc::ServerContext* c, const civil::socialorg::v1::GetSummaryRequest* q,
                          civil::socialorg::v1::GetSummaryResponse* r) override {
    if (auto s = Check("socialorg", c, q->region_prefix(), seen_); !s.ok()) return s;
    r->set_inspections_completed(160);
    r->add_lines("已完成年检160家,其中社会团体110家,民办非企业50家");
    return grpc::Status::OK;
  }
  Seen* seen_;
};

class StandInAffairs final : public civil::affairs::v1::AffairsSummaryService::Service {
 public:
  explicit StandInAffairs(Seen* seen) : seen_(seen) {}
  grpc::Status GetSummary(grpc::ServerContext* c, const civil::affairs::v1::GetSummaryRequest* q,
                          civil::affairs::v1::GetSummaryResponse* r) override {
    if (auto s = Check("affairs", c, q->region_prefix(), seen_); !s.ok()) return s;
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms.load()));
    r->mutable_funeral()->set_cremations(2516);
    r->mutable_funeral()->set_fees_waived_fen(253'0000'00);
    r->mutable_funeral()->set_cemetery_projects_planned(6);
    r->mutable_funeral()->set_cemetery_projects_completed(2);
    r->mutable_funeral()->set_cemetery_projects_awaiting_acceptance(2);
    return grpc::Status::OK;
  }
  std::atomic<int> delay_ms{0};
  Seen* seen_;
};

const TestCaller kLeader{"leader-1", "leadership", "340722"};
const TestCaller kAuditor{"auditor-1", "auditor", "340722"};
const TestCaller kTownship{"leader-2", "leadership", "340722100"};
const TestCaller kClerk{"clerk-1", "assistance.clerk", "340722"};

class ReportIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    postgres_ = new civil::testing::PostgresServer();
    redis_ = new civil::testing::RedisServer();
    seen_ = new Seen();
    assistance_ = new StandInAssistance(seen_);
    eldercare_ = new StandInEldercare(seen_);
    childwelfare_ = new StandInChildWelfare(seen_);
    socialorg_ = new StandInSocialorg(seen_);
    affairs_ = new StandInAffairs(seen_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    for (grpc::Service* s : std::vector<grpc::Service*>{assistance_, eldercare_, childwelfare_,
                                                        socialorg_, affairs_}) {
      builder.RegisterService(s);
    }
    departments_ = builder.BuildAndStart().release();
    const std::string address = "127.0.0.1:" + std::to_string(port);
    for (const char* v :
         {"CIVIL_ASSISTANCE_ADDR", "CIVIL_ELDERCARE_ADDR", "CIVIL_CHILDWELFARE_ADDR",
          "CIVIL_SOCIALORG_ADDR", "CIVIL_AFFAIRS_ADDR"}) {
      setenv(v, address.c_str(), 1);
    }
    setenv("CIVIL_GOVERNANCE_ADDR", "127.0.0.1:1", 1);
    setenv("CIVIL_REPORT_DEPARTMENT_DEADLINE_MS", "500", 1);
  }
  static void TearDownTestSuite() {
    departments_->Shutdown();
    delete departments_;
    delete affairs_;
    delete socialorg_;
    delete childwelfare_;
    delete eldercare_;
    delete assistance_;
    delete seen_;
    delete redis_;
    delete postgres_;
  }

  void SetUp() override {
    static int n = 0;
    const std::string dsn = postgres_->CreateDatabase("civil_report_" + std::to_string(++n));
    auto host = DepartmentHost::Start(
        Spec(),
        civil::testing::Trusting(TestServiceConfig("report", dsn, "127.0.0.1", redis_->port(),
                                                   civil::testing::kTestPiiKey)),
        {.clock = FixedClock(absl::CivilDay(2023, 7, 10))});
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
    summary_ = v1::WorkSummaryService::NewStub(host_->Channel());
    targets_ = v1::TargetService::NewStub(host_->Channel());
    affairs_->delay_ms = 0;
  }

  grpc::Status Summary(const TestCaller& who, const std::string& start, const std::string& end,
                       const std::string& format, v1::GetWorkSummaryResponse* out,
                       const std::string& region = "") {
    grpc::ClientContext context;
    civil::testing::PrepareCall(context, who);
    v1::GetWorkSummaryRequest request;
    request.set_period_start(start);
    request.set_period_end(end);
    request.set_format(format);
    request.set_region_prefix(region);
    return summary_->GetWorkSummary(&context, request, out);
  }

  static const v1::TargetProgress* TargetOf(const v1::GetWorkSummaryResponse& r,
                                            const std::string& measure) {
    for (const auto& t : r.targets()) {
      if (t.target().measure() == measure) return &t;
    }
    return nullptr;
  }

  inline static civil::testing::PostgresServer* postgres_ = nullptr;
  inline static civil::testing::RedisServer* redis_ = nullptr;
  inline static Seen* seen_ = nullptr;
  inline static StandInAssistance* assistance_ = nullptr;
  inline static StandInEldercare* eldercare_ = nullptr;
  inline static StandInChildWelfare* childwelfare_ = nullptr;
  inline static StandInSocialorg* socialorg_ = nullptr;
  inline static StandInAffairs* affairs_ = nullptr;
  inline static grpc::Server* departments_ = nullptr;
  std::unique_ptr<DepartmentHost> host_;
  std::unique_ptr<v1::WorkSummaryService::Stub> summary_;
  std::unique_ptr<v1::TargetService::Stub> targets_;
};

TEST_F(ReportIntegrationTest, AsksEveryDepartmentWithItsOwnTokenAndWritesTheDocument) {
  {
    std::lock_guard lock(seen_->mu);
    seen_->callers.clear();
  }
  v1::GetWorkSummaryResponse r;
  grpc::Status s = Summary(kLeader, "2023-01-01", "2023-06-30", "md", &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  {
    std::lock_guard lock(seen_->mu);
    std::sort(seen_->callers.begin(), seen_->callers.end());
    EXPECT_EQ(seen_->callers, (std::vector<std::string>{"affairs:service:report:system:340722",
                                                        "assistance:service:report:system:340722",
                                                        "childwelfare:service:report:system:340722",
                                                        "eldercare:service:report:system:340722",
                                                        "socialorg:service:report:system:340722"}));
  }
  EXPECT_EQ(r.content_type(), "text/markdown; charset=utf-8");
  const std::string& md = r.document();
  EXPECT_TRUE(absl::StartsWith(md, "# 2023年上半年工作总结和下半年工作安排")) << md;
  EXPECT_TRUE(absl::StrContains(md,
                                "一是兜住困难群众基本生活底线。截至6月底,全县农村低保对象9847户"
                                "15044人,发放资金3808万元。"))
      << md;
  EXPECT_TRUE(absl::StrContains(md, "全县享有高龄津贴22007人,发放资金418万元。"));
  EXPECT_TRUE(absl::StrContains(md, "全县孤儿基本生活保障对象227人,发放补助金额148万元。"));
  EXPECT_TRUE(
      absl::StrContains(md, "截至6月底,已完成年检160家,其中社会团体110家,民办非企业50家。"));
  EXPECT_TRUE(absl::StrContains(
      md, "截至6月底,全县累计火化遗体2516具,免除本县居民殡葬基本服务费253万元。"));
  EXPECT_TRUE(absl::StrContains(md, "基层治理数据暂缺。"));
  EXPECT_TRUE(absl::EndsWith(md, "枞阳县民政局  \n2023年7月10日\n")) << md;
  EXPECT_EQ(
      std::vector<std::string>(r.missing_departments().begin(), r.missing_departments().end()),
      std::vector<std::string>{"governance"});
  // The seeded targets of 二, with the cemeteries' progress counted from affairs's figures.
  EXPECT_EQ(r.targets_size(), 10);
  const v1::TargetProgress* cemeteries = TargetOf(r, "cemetery_projects.completed");
  ASSERT_NE(cemeteries, nullptr);
  EXPECT_TRUE(cemeteries->counted());
  EXPECT_EQ(cemeteries->done(), 2);
  EXPECT_EQ(cemeteries->status(), v1::TARGET_STATUS_BEHIND);
  EXPECT_TRUE(absl::StrContains(md,
                                "计划6个;已完成2个;完成时限2023年9月30日;责任单位社会事务股;"
                                "**进度滞后**"))
      << md;
  // The stations' and placements' targets count from eldercare's figures; a kind eldercare
  // did not report (canteens here) is data missing, never zero.
  const v1::TargetProgress* stations = TargetOf(r, "facilities.stations_built");
  ASSERT_NE(stations, nullptr);
  EXPECT_TRUE(stations->counted());
  EXPECT_EQ(stations->done(), 12);
  const v1::TargetProgress* placed = TargetOf(r, "institutional_care.low_income_elderly");
  ASSERT_NE(placed, nullptr);
  EXPECT_EQ(placed->done(), 24);
  EXPECT_EQ(placed->status(), v1::TARGET_STATUS_DONE);
  const v1::TargetProgress* canteens = TargetOf(r, "facilities.canteens_built");
  ASSERT_NE(canteens, nullptr);
  EXPECT_EQ(canteens->status(), v1::TARGET_STATUS_DATA_MISSING);
  EXPECT_TRUE(absl::StrContains(md, "计划26个;完成情况数据暂缺")) << md;
}

TEST_F(ReportIntegrationTest, ADepartmentTooSlowIsMarkedMissingNotDropped) {
  affairs_->delay_ms = 1500;
  v1::GetWorkSummaryResponse r;
  const auto started = std::chrono::steady_clock::now();
  grpc::Status s = Summary(kAuditor, "2023-01-01", "2023-06-30", "html", &r);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_LT(took, std::chrono::milliseconds(1400));
  EXPECT_EQ(
      std::vector<std::string>(r.missing_departments().begin(), r.missing_departments().end()),
      (std::vector<std::string>{"governance", "affairs"}));
  for (const auto& d : r.departments()) {
    if (d.department() == "affairs") {
      EXPECT_FALSE(d.answered());
      EXPECT_EQ(d.error(), "DEADLINE_EXCEEDED");
    }
  }
  EXPECT_TRUE(absl::StrContains(r.document(),
                                "(四)社会事务工作有序开展,为民服务能力明显提升。"
                                "社会事务数据暂缺。"))
      << r.document();
  EXPECT_TRUE(absl::StrContains(r.document(), "@page { size: A4"));
  EXPECT_TRUE(absl::StrContains(r.document(), "全县享有高龄津贴22007人"));
  const v1::TargetProgress* cemeteries = TargetOf(r, "cemetery_projects.completed");
  ASSERT_NE(cemeteries, nullptr);
  EXPECT_EQ(cemeteries->status(), v1::TARGET_STATUS_DATA_MISSING);
}

TEST_F(ReportIntegrationTest, JsonGivesEveryFigureWithDepartmentMeasureUnitAndValue) {
  v1::GetWorkSummaryResponse r;
  ASSERT_TRUE(Summary(kLeader, "2023-01-01", "2023-06-30", "", &r).ok());
  EXPECT_TRUE(r.document().empty());
  EXPECT_EQ(r.format(), "json");
  std::map<std::string, v1::Figure> by;
  for (const auto& f : r.figures()) by[f.department() + "/" + f.measure()] = f;
  EXPECT_EQ(by["assistance/dibao.rural.households"].value(), 9847);
  EXPECT_EQ(by["assistance/dibao.rural.households"].unit(), "户");
  EXPECT_EQ(by["assistance/dibao.rural.paid"].unit(), "fen");
  EXPECT_EQ(by["assistance/dibao.rural.paid"].text(), "3808万元");
  EXPECT_EQ(by["affairs/cremations"].text(), "2516具");
  EXPECT_EQ(by["eldercare/old_age_allowance.persons"].value(), 22007);
  EXPECT_EQ(by["socialorg/inspections.completed"].value(), 160);
}

// The Word file, read back by pandoc itself: the seed's sentences, in the Word document.
TEST_F(ReportIntegrationTest, TheWordFileHoldsTheDocument) {
  v1::GetWorkSummaryResponse r;
  grpc::Status s = Summary(kLeader, "2023-01-01", "2023-06-30", "docx", &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(r.content_type(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_TRUE(r.document().empty());
  const civil::testing::TempDir dir;
  const std::string file = dir.path() + "/summary.docx";
  {
    std::ofstream out(file, std::ios::binary);
    out << r.document_file();
  }
  std::string text;
  FILE* pipe = popen(("pandoc --from=docx --to=plain --wrap=none " + file).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  ASSERT_EQ(pclose(pipe), 0);
  EXPECT_TRUE(absl::StrContains(text, "2023年上半年工作总结和下半年工作安排")) << text;
  EXPECT_TRUE(absl::StrContains(text, "农村低保对象9847户15044人,发放资金3808万元")) << text;
  EXPECT_TRUE(absl::StrContains(text, "累计火化遗体2516具")) << text;
}

TEST_F(ReportIntegrationTest, BadInputNamesTheParameter) {
  v1::GetWorkSummaryResponse r;
  grpc::Status s = Summary(kLeader, "2023-06-30", "2023-01-01", "md", &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "period_end:")) << s.error_message();
  s = Summary(kLeader, "2015-01-01", "2023-06-30", "md", &r);
  EXPECT_EQ(s.error_message(), "period_end: must be at most 5 years after period_start");
  s = Summary(kLeader, "2023-1-1", "2023-06-30", "md", &r);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "period_start:")) << s.error_message();
  s = Summary(kLeader, "2023-01-01", "2023-06-30", "pdf", &r);
  EXPECT_EQ(s.error_message(), "format: must be json, md, html or docx");
  s = Summary(kTownship, "2023-01-01", "2023-06-30", "md", &r, "340722200");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "region_prefix")) << s.error_message();
  s = Summary(kClerk, "2023-01-01", "2023-06-30", "md", &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ReportIntegrationTest, TargetsAreDataEditableByTheApi) {
  v1::CreateTargetRequest create;
  create.set_department("affairs");
  create.set_measure("marriages_registered");
  create.set_description("全年办理结婚登记3000对");
  create.set_unit("对");
  create.set_planned(3000);
  create.set_due_date("2023-12-31");
  create.set_owner("婚姻登记处");
  v1::CreateTargetResponse created;
  {
    grpc::ClientContext c;
    civil::testing::PrepareCall(c, kLeader);
    ASSERT_TRUE(targets_->CreateTarget(&c, create, &created).ok());
  }
  EXPECT_EQ(created.target().region_prefix(), "340722");
  {
    grpc::ClientContext c;
    civil::testing::PrepareCall(c, kAuditor);
    v1::CreateTargetResponse denied;
    EXPECT_EQ(targets_->CreateTarget(&c, create, &denied).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    create.set_planned(0);
    grpc::ClientContext c;
    civil::testing::PrepareCall(c, kLeader);
    v1::CreateTargetResponse bad;
    grpc::Status s = targets_->CreateTarget(&c, create, &bad);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message(), "planned: must be more than 0");
  }
  {
    v1::UpdateTargetRequest update;
    update.set_target_id(created.target().target_id());
    update.set_planned(1600);
    v1::UpdateTargetResponse updated;
    grpc::ClientContext c;
    civil::testing::PrepareCall(c, kLeader);
    ASSERT_TRUE(targets_->UpdateTarget(&c, update, &updated).ok());
    EXPECT_EQ(updated.target().planned(), 1600);
    EXPECT_EQ(updated.target().description(), "全年办理结婚登记3000对");
  }
  {
    v1::ListTargetsRequest list;
    list.set_department("affairs");
    v1::ListTargetsResponse listed;
    grpc::ClientContext c;
    civil::testing::PrepareCall(c, kAuditor);
    ASSERT_TRUE(targets_->ListTargets(&c, list, &listed).ok());
    EXPECT_EQ(listed.targets_size(), 3);  // two seeded cemetery targets and this one
  }
  {
    v1::DeleteTargetRequest del;
    del.set_target_id(created.target().target_id());
    v1::DeleteTargetResponse deleted;
    grpc::ClientContext c;
    civil::testing::PrepareCall(c, kTownship);  // outside the township's scope: not found
    EXPECT_EQ(targets_->DeleteTarget(&c, del, &deleted).error_code(), grpc::StatusCode::NOT_FOUND);
    grpc::ClientContext c2;
    civil::testing::PrepareCall(c2, kLeader);
    EXPECT_TRUE(targets_->DeleteTarget(&c2, del, &deleted).ok());
  }
}

}  // namespace
}  // namespace civil::report
