// Integration tests of the grassroots-governance department: the department as the kit builds it
// (DepartmentHost, the production wiring) on a real PostgreSQL and Redis started by the harness
// (tests/support/servers.h), called over gRPC as the gateway would (tests/support/call_as.h).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "civil/governance/v1/region.grpc.pb.h"
#include "services/common/department.h"
#include "services/governance/governance.h"
#include "tests/support/call_as.h"
#include "tests/support/servers.h"

namespace civil::governance {
namespace {

using civil::testing::PrepareCall;
using civil::testing::TestCaller;

const TestCaller kClerk{"clerk-1", "governance.clerk", "340722"};
const TestCaller kReviewer{"reviewer-1", "governance.reviewer", "340722"};
const TestCaller kTownReviewer{"reviewer-2", "governance.reviewer", "340722103"};

class GovernanceIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    postgres_ = new civil::testing::PostgresServer();
    redis_ = new civil::testing::RedisServer();
  }
  static void TearDownTestSuite() {
    delete redis_;
    delete postgres_;
  }

  void SetUp() override {
    static int n = 0;
    dsn_ = postgres_->CreateDatabase("civil_governance_" + std::to_string(++n));
    DepartmentOptions options;
    options.clock = [this] { return today_; };
    options.start_events = false;
    auto host = DepartmentHost::Start(
        Spec(),
        TestServiceConfig("governance", dsn_, "127.0.0.1", redis_->port(),
                          civil::testing::kTestPiiKey),
        options);
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
    regions_ = v1::RegionService::NewStub(host_->Channel());
  }
  void TearDown() override { host_.reset(); }

  template <typename Fn>
  static grpc::Status Call(const TestCaller& who, Fn&& fn) {
    grpc::ClientContext context;
    PrepareCall(context, who);
    return fn(&context);
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  grpc::Status Lookup(const std::string& code, v1::GetRegionResponse* out) {
    v1::GetRegionRequest req;
    req.set_code(code);
    return Call(kClerk, [&](auto* c) { return regions_->GetRegion(c, req, out); });
  }

  grpc::Status AddRegion(const std::string& code, const std::string& name, v1::RegionKind kind,
                         const TestCaller& who = kReviewer, v1::Region* out = nullptr) {
    v1::AddRegionRequest req;
    req.set_code(code);
    req.set_name(name);
    req.set_kind(kind);
    v1::AddRegionResponse resp;
    grpc::Status s = Call(who, [&](auto* c) { return regions_->AddRegion(c, req, &resp); });
    if (out != nullptr) *out = resp.region();
    return s;
  }

  grpc::Status Merge(const std::string& code, const std::string& into, const std::string& date,
                     v1::MergeVillageResponse* out = nullptr, const TestCaller& who = kReviewer) {
    v1::MergeVillageRequest req;
    req.set_code(code);
    req.set_into_code(into);
    req.set_merge_date(date);
    v1::MergeVillageResponse resp;
    grpc::Status s = Call(who, [&](auto* c) { return regions_->MergeVillage(c, req, &resp); });
    if (out != nullptr) *out = resp;
    return s;
  }

  std::vector<v1::Region> Children(const std::string& parent, bool include_merged = false) {
    std::vector<v1::Region> all;
    v1::ListRegionsRequest req;
    req.set_parent_code(parent);
    req.set_include_merged(include_merged);
    req.set_page_size(5);
    for (int guard = 0; guard < 100; ++guard) {
      v1::ListRegionsResponse resp;
      grpc::Status s = Call(kClerk, [&](auto* c) { return regions_->ListRegions(c, req, &resp); });
      EXPECT_TRUE(s.ok()) << s.error_message();
      for (const v1::Region& r : resp.regions()) all.push_back(r);
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return all;
  }

  inline static civil::testing::PostgresServer* postgres_ = nullptr;
  inline static civil::testing::RedisServer* redis_ = nullptr;
  absl::CivilDay today_{2023, 6, 30};
  std::string dsn_;
  std::unique_ptr<DepartmentHost> host_;
  std::unique_ptr<v1::RegionService::Stub> regions_;
};

TEST_F(GovernanceIntegrationTest, TheCountysTreeIsSeededAndPagedByCode) {
  std::vector<v1::Region> roots = Children("");
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].code(), "340722");
  EXPECT_EQ(roots[0].kind(), v1::REGION_KIND_COUNTY);
  std::vector<v1::Region> towns = Children("340722");
  ASSERT_EQ(towns.size(), 16u);  // the report's 16 township social-work stations
  std::map<std::string, std::string> by_name;
  for (const v1::Region& t : towns) by_name[t.name()] = t.code();
  for (const char* seed : {"枞阳镇", "会宫镇", "雨坛镇", "浮山镇", "麒麟镇", "钱桥镇", "金社镇",
                           "项铺镇", "钱铺镇", "经开区"}) {
    EXPECT_EQ(by_name.count(seed), 1u) << seed;
  }
  EXPECT_EQ(towns.front().code(), "340722100");
  EXPECT_EQ(towns.back().kind(), v1::REGION_KIND_DEVELOPMENT_ZONE);
  std::vector<v1::Region> villages = Children("340722100");
  ASSERT_GE(villages.size(), 2u);
  EXPECT_EQ(villages[0].name(), "胜利社区");
  EXPECT_EQ(villages[0].parent_code(), "340722100");

  v1::GetRegionResponse got;
  ASSERT_TRUE(Lookup("340722102201", &got).ok());
  EXPECT_EQ(got.region().name(), "龙虎村");
  EXPECT_EQ(got.merged_from_size(), 0);
  EXPECT_EQ(Lookup("340722102299", &got).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Lookup("3407221022", &got).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(GovernanceIntegrationTest, RegionsAreAddedWithinAnExistingParentAndRenamed) {
  v1::Region added;
  ASSERT_TRUE(AddRegion("340722102203", "新建村", v1::REGION_KIND_VILLAGE, kReviewer, &added).ok());
  EXPECT_EQ(added.parent_code(), "340722102");
  // Again: the code is taken.
  EXPECT_EQ(AddRegion("340722102203", "又一村", v1::REGION_KIND_VILLAGE).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // A parent that is not in the tree; a village under a village is impossible by code length.
  grpc::Status s = AddRegion("340722199201", "无镇村", v1::REGION_KIND_VILLAGE);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "code: the parent 340722199 is not in the region tree");
  s = AddRegion("340722102204", "错类", v1::REGION_KIND_COMMUNITY);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("kind: ", 0), 0u) << s.error_message();
  // Roles and scope: a clerk may not edit the tree; a township's reviewer only inside it.
  EXPECT_EQ(AddRegion("340722102205", "村", v1::REGION_KIND_VILLAGE, kClerk).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(AddRegion("340722102205", "村", v1::REGION_KIND_VILLAGE, kTownReviewer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(AddRegion("340722103202", "新桥村", v1::REGION_KIND_VILLAGE, kTownReviewer).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM regions WHERE code = '340722102205'"), 0);

  v1::RenameRegionRequest rename;
  rename.set_code("340722102203");
  rename.set_name("新建社区村");
  v1::RenameRegionResponse renamed;
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* c) { return regions_->RenameRegion(c, rename, &renamed); }).ok());
  EXPECT_EQ(renamed.region().name(), "新建社区村");
  EXPECT_EQ(Count("SELECT count(*) FROM region_changes WHERE code = '340722102203' AND change = "
                  "'RENAMED' AND old_name = '新建村'"),
            1);
}

TEST_F(GovernanceIntegrationTest, AMergedVillagesCodeAnswersTheVillageItJoinedWithTheDate) {
  v1::MergeVillageResponse merged;
  ASSERT_TRUE(Merge("340722102202", "340722102201", "2023-03-01", &merged).ok());
  EXPECT_EQ(merged.region().code(), "340722102201");
  EXPECT_EQ(merged.merged().merged_into_code(), "340722102201");
  EXPECT_EQ(merged.merged().merge_date(), "2023-03-01");

  v1::GetRegionResponse got;
  ASSERT_TRUE(Lookup("340722102202", &got).ok());
  EXPECT_EQ(got.requested_code(), "340722102202");
  EXPECT_EQ(got.region().code(), "340722102201");
  EXPECT_EQ(got.region().name(), "龙虎村");
  ASSERT_EQ(got.merged_from_size(), 1);
  EXPECT_EQ(got.merged_from(0).name(), "白石村");
  EXPECT_EQ(got.merged_from(0).merge_date(), "2023-03-01");

  // The merged village leaves the listing (unless asked for) and cannot merge or be merged into.
  std::vector<v1::Region> current = Children("340722102");
  for (const v1::Region& r : current) EXPECT_NE(r.code(), "340722102202");
  EXPECT_EQ(Children("340722102", true).size(), current.size() + 1);
  EXPECT_EQ(Merge("340722102202", "340722102001", "2023-04-01").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Merge("340722102001", "340722102202", "2023-04-01").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // Across townships, in the future, unknown codes: refused, nothing written.
  EXPECT_EQ(Merge("340722102001", "340722103201", "2023-04-01").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Merge("340722102001", "340722102201", "2023-07-01").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Merge("340722102299", "340722102201", "2023-04-01").error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A later merge of the village merged into is followed too.
  ASSERT_TRUE(Merge("340722102201", "340722102001", "2023-05-01").ok());
  ASSERT_TRUE(Lookup("340722102202", &got).ok());
  EXPECT_EQ(got.region().code(), "340722102001");
  ASSERT_EQ(got.merged_from_size(), 2);
  EXPECT_EQ(got.merged_from(1).code(), "340722102201");
  EXPECT_EQ(got.merged_from(1).merge_date(), "2023-05-01");
  EXPECT_EQ(Count("SELECT count(*) FROM region_changes WHERE change = 'MERGED'"), 2);
}

}  // namespace
}  // namespace civil::governance
