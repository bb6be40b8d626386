// Integration tests of the grassroots-governance department: the department as the kit builds it
// (DepartmentHost, the production wiring) on a real PostgreSQL and Redis started by the harness
// (tests/support/servers.h), called over gRPC as the gateway would (tests/support/call_as.h).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "civil/governance/v1/grid.grpc.pb.h"
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
    grids_ = v1::GridService::NewStub(host_->Channel());
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

  grpc::Status CreateGrid(const std::string& village, const std::string& name,
                          v1::Grid* out = nullptr, const TestCaller& who = kClerk) {
    v1::CreateGridRequest req;
    req.set_village_code(village);
    req.set_name(name);
    v1::CreateGridResponse resp;
    grpc::Status s = Call(who, [&](auto* c) { return grids_->CreateGrid(c, req, &resp); });
    if (out != nullptr) *out = resp.grid();
    return s;
  }

  v1::Grid GetGrid(const std::string& grid_id) {
    v1::GetGridRequest req;
    req.set_grid_id(grid_id);
    v1::GetGridResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return grids_->GetGrid(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.grid();
  }

  grpc::Status Publish(const std::string& village, v1::NoticeKind kind, const std::string& date) {
    v1::PublishNoticeRequest req;
    req.set_village_code(village);
    req.set_kind(kind);
    req.set_publish_date(date);
    req.set_document("公示栏");
    v1::PublishNoticeResponse resp;
    return Call(kClerk, [&](auto* c) { return grids_->PublishNotice(c, req, &resp); });
  }

  // Village code → the kinds it misses, within `prefix` as of `as_of`.
  std::map<std::string, std::vector<v1::NoticeKind>> Missing(const std::string& prefix,
                                                             const std::string& as_of) {
    std::map<std::string, std::vector<v1::NoticeKind>> missing;
    v1::ListMissingNoticesRequest req;
    req.set_region_prefix(prefix);
    req.set_as_of(as_of);
    req.set_page_size(2);
    for (int guard = 0; guard < 100; ++guard) {
      v1::ListMissingNoticesResponse resp;
      grpc::Status s =
          Call(kClerk, [&](auto* c) { return grids_->ListMissingNotices(c, req, &resp); });
      EXPECT_TRUE(s.ok()) << s.error_message();
      for (const v1::CommunityNoticeGap& g : resp.communities()) {
        for (int k : g.missing()) missing[g.village_code()].push_back(static_cast<v1::NoticeKind>(k));
      }
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return missing;
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
  std::unique_ptr<v1::GridService::Stub> grids_;
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

TEST_F(GovernanceIntegrationTest, GridsAreNumberedWithinTheirVillageAndHaveWorkers) {
  v1::Grid first, second;
  ASSERT_TRUE(CreateGrid("340722102202", "第一网格", &first).ok());
  ASSERT_TRUE(CreateGrid("340722102202", "第二网格", &second).ok());
  EXPECT_EQ(first.grid_code(), "340722102202001");
  EXPECT_EQ(second.grid_code(), "340722102202002");
  EXPECT_EQ(CreateGrid("340722102202", "第一网格").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(CreateGrid("340722102", "镇网格").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(CreateGrid("340722102299", "无村网格").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  const TestCaller other_town{"clerk-2", "governance.clerk", "340722103"};
  EXPECT_EQ(CreateGrid("340722102202", "第三网格", nullptr, other_town).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::AddGridWorkerRequest add;
  add.set_grid_id(first.grid_id());
  add.set_name("张网格员");
  add.set_phone("13800000001");
  add.set_start_date("2023-01-03");
  v1::AddGridWorkerResponse added;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return grids_->AddGridWorker(c, add, &added); }).ok());
  add.set_phone("12");
  grpc::Status bad = Call(kClerk, [&](auto* c) { return grids_->AddGridWorker(c, add, &added); });
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message().rfind("phone: ", 0), 0u) << bad.error_message();
  v1::Grid got = GetGrid(first.grid_id());
  ASSERT_EQ(got.workers_size(), 1);
  EXPECT_EQ(got.workers(0).name(), "张网格员");
  EXPECT_EQ(got.workers(0).start_date(), "2023-01-03");
}

TEST_F(GovernanceIntegrationTest, AMergeMovesTheVillagesGridsKeepingTheirCodes) {
  v1::Grid kept, moved, other;
  ASSERT_TRUE(CreateGrid("340722102201", "第一网格", &kept).ok());
  ASSERT_TRUE(CreateGrid("340722102202", "第一网格", &moved).ok());
  ASSERT_TRUE(CreateGrid("340722102202", "河东网格", &other).ok());
  v1::MergeVillageResponse merged;
  ASSERT_TRUE(Merge("340722102202", "340722102201", "2023-03-01", &merged).ok());
  EXPECT_EQ(merged.grids_moved(), 2);

  v1::Grid after = GetGrid(moved.grid_id());
  EXPECT_EQ(after.village_code(), "340722102201");
  EXPECT_EQ(after.grid_code(), "340722102202001");  // fixed at creation
  EXPECT_EQ(after.name(), "白石村第一网格");          // 龙虎村 has a 第一网格 already
  EXPECT_EQ(GetGrid(other.grid_id()).name(), "河东网格");
  v1::ListGridsRequest list;
  list.set_region_prefix("340722102201");
  v1::ListGridsResponse grids;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return grids_->ListGrids(c, list, &grids); }).ok());
  EXPECT_EQ(grids.grids_size(), 3);
  // No new grid in the merged village; new grids of the village merged into number on.
  EXPECT_EQ(CreateGrid("340722102202", "新网格").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::Grid next;
  ASSERT_TRUE(CreateGrid("340722102201", "新网格", &next).ok());
  EXPECT_EQ(next.grid_code(), "340722102201002");
  EXPECT_EQ(Count("SELECT count(*) FROM grid_moves WHERE to_village = '340722102201'"), 2);
}

TEST_F(GovernanceIntegrationTest, TheThreeNoticesArePublishedOrMissingAsOfADay) {
  for (v1::NoticeKind k : {v1::NOTICE_KIND_INTRODUCTION, v1::NOTICE_KIND_GRID_MAP,
                           v1::NOTICE_KIND_SERVICE_FLOW}) {
    ASSERT_TRUE(Publish("340722100001", k, "2023-03-01").ok());
  }
  ASSERT_TRUE(Publish("340722100002", v1::NOTICE_KIND_GRID_MAP, "2023-02-01").ok());
  ASSERT_TRUE(Publish("340722100002", v1::NOTICE_KIND_GRID_MAP, "2023-05-01").ok());
  EXPECT_EQ(Publish("340722100", v1::NOTICE_KIND_GRID_MAP, "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Publish("340722100001", v1::NOTICE_KIND_UNSPECIFIED, "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::GetCommunityNoticesRequest req;
  req.set_village_code("340722100002");
  v1::GetCommunityNoticesResponse notices;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return grids_->GetCommunityNotices(c, req, &notices); }).ok());
  EXPECT_EQ(notices.village_name(), "新华社区");
  ASSERT_EQ(notices.notices_size(), 3);
  EXPECT_EQ(notices.notices(0).status(), v1::NOTICE_STATUS_MISSING);
  EXPECT_EQ(notices.notices(1).status(), v1::NOTICE_STATUS_PUBLISHED);
  EXPECT_EQ(notices.notices(1).publish_date(), "2023-05-01");
  EXPECT_EQ(notices.notices(1).first_publish_date(), "2023-02-01");

  // 枞阳镇 has 胜利社区 (all three), 新华社区 (the map only), 白湖村 and 长河村 (none).
  std::map<std::string, std::vector<v1::NoticeKind>> missing = Missing("340722100", "");
  EXPECT_EQ(missing.count("340722100001"), 0u);
  EXPECT_EQ(missing["340722100002"],
            (std::vector<v1::NoticeKind>{v1::NOTICE_KIND_INTRODUCTION, v1::NOTICE_KIND_SERVICE_FLOW}));
  EXPECT_EQ(missing["340722100201"].size(), 3u);
  EXPECT_EQ(missing.size(), 3u);
  // Before its notices went up, 胜利社区 was missing all three.
  EXPECT_EQ(Missing("340722100", "2023-02-28")["340722100001"].size(), 3u);
  // A merged village is no longer a community that owes notices.
  ASSERT_TRUE(Merge("340722100202", "340722100201", "2023-04-01").ok());
  EXPECT_EQ(Missing("340722100", "").count("340722100202"), 0u);
  EXPECT_EQ(Missing("340722100", "2023-03-31").count("340722100202"), 1u);
}

}  // namespace
}  // namespace civil::governance
