// Integration tests of the grassroots-governance department: the department as the kit builds it
// (DepartmentHost, the production wiring) on a real PostgreSQL and Redis started by the harness
// (tests/support/servers.h), called over gRPC as the gateway would (tests/support/call_as.h).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>

#include "absl/strings/match.h"
#include "civil/governance/v1/boundary.grpc.pb.h"
#include "civil/governance/v1/centre_rating.grpc.pb.h"
#include "civil/governance/v1/certificate_list.grpc.pb.h"
#include "civil/governance/v1/consultation.grpc.pb.h"
#include "civil/governance/v1/grid.grpc.pb.h"
#include "civil/governance/v1/place_name.grpc.pb.h"
#include "civil/governance/v1/record.grpc.pb.h"
#include "civil/governance/v1/region.grpc.pb.h"
#include "civil/governance/v1/summary.grpc.pb.h"
#include "civil/governance/v1/village_rule.grpc.pb.h"
#include "civil/governance/v1/whistle.grpc.pb.h"
#include "services/common/department.h"
#include "services/governance/governance.h"
#include "tests/support/call_as.h"
#include "tests/support/department_test.h"
#include "tests/support/servers.h"
#include "tests/support/test_ids.h"

namespace civil::governance {
namespace {

using civil::affairs::testing::Id;
using civil::testing::PrepareCall;
using civil::testing::TestCaller;

const TestCaller kClerk{"clerk-1", "governance.clerk", "340722"};
const TestCaller kReviewer{"reviewer-1", "governance.reviewer", "340722"};
const TestCaller kTownReviewer{"reviewer-2", "governance.reviewer", "340722103"};

class GovernanceIntegrationTest : public civil::testing::DepartmentTest {
 protected:
  void SetUp() override {
    today_ = absl::CivilDay(2023, 6, 30);
    StartDepartment(Spec());
    if (HasFatalFailure()) return;
    regions_ = v1::RegionService::NewStub(host_->Channel());
    grids_ = v1::GridService::NewStub(host_->Channel());
    records_ = v1::ResidentRecordService::NewStub(host_->Channel());
    summary_ = v1::GovernanceSummaryService::NewStub(host_->Channel());
    rules_ = v1::VillageRuleService::NewStub(host_->Channel());
    sites_ = v1::ConsultationService::NewStub(host_->Channel());
    whistles_ = v1::WhistleService::NewStub(host_->Channel());
    ratings_ = v1::CentreRatingService::NewStub(host_->Channel());
    boundaries_ = v1::BoundaryService::NewStub(host_->Channel());
    names_ = v1::PlaceNameService::NewStub(host_->Channel());
    certificates_ = v1::CertificateListService::NewStub(host_->Channel());
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
        for (int k : g.missing())
          missing[g.village_code()].push_back(static_cast<v1::NoticeKind>(k));
      }
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return missing;
  }

  v1::ImportRecordsResponse ImportCsv(const std::string& csv, const TestCaller& who = kClerk) {
    v1::ImportRecordsCsvRequest req;
    req.set_csv(csv);
    v1::ImportRecordsResponse resp;
    grpc::Status s = Call(who, [&](auto* c) { return records_->ImportRecordsCsv(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  // Streams `rows` in messages of 300.
  v1::ImportRecordsResponse ImportStream(const std::vector<v1::RecordRow>& rows) {
    grpc::ClientContext context;
    PrepareCall(context, kClerk);
    v1::ImportRecordsResponse resp;
    auto writer = records_->ImportRecords(&context, &resp);
    v1::ImportRecordsRequest msg;
    msg.set_total_rows(static_cast<int64_t>(rows.size()));
    for (const v1::RecordRow& r : rows) {
      *msg.add_rows() = r;
      if (msg.rows_size() == 300) {
        EXPECT_TRUE(writer->Write(msg));
        msg = v1::ImportRecordsRequest();
      }
    }
    if (msg.rows_size() > 0) EXPECT_TRUE(writer->Write(msg));
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::vector<v1::ResidentRecord> Worklist(const std::string& grid_id, v1::RecordStatus status,
                                           const TestCaller& who = kReviewer,
                                           const std::string& prefix = "", int page_size = 2,
                                           const std::string& reveal_reason = "") {
    std::vector<v1::ResidentRecord> all;
    v1::ListRecordsRequest req;
    req.set_reveal_reason(reveal_reason);
    req.set_grid_id(grid_id);
    req.set_region_prefix(prefix);
    req.set_status(status);
    req.set_page_size(page_size);
    for (int guard = 0; guard < 1000; ++guard) {
      v1::ListRecordsResponse resp;
      grpc::Status s = Call(who, [&](auto* c) { return records_->ListRecords(c, req, &resp); });
      EXPECT_TRUE(s.ok()) << s.error_message();
      for (const v1::ResidentRecord& r : resp.records()) all.push_back(r);
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return all;
  }

  grpc::Status Review(const std::string& record_id, v1::RecordStatus decision,
                      const std::string& reason, const TestCaller& who = kReviewer,
                      v1::ResidentRecord* out = nullptr) {
    v1::ReviewRecordRequest req;
    req.set_record_id(record_id);
    req.set_decision(decision);
    req.set_reason(reason);
    v1::ReviewRecordResponse resp;
    grpc::Status s = Call(who, [&](auto* c) { return records_->ReviewRecord(c, req, &resp); });
    if (out != nullptr) *out = resp.record();
    return s;
  }

  double Metric(const std::string& family, const std::string& label, const std::string& value) {
    for (const auto& f : host_->registry().Collect()) {
      if (f.name != family) continue;
      for (const auto& m : f.metric) {
        for (const auto& l : m.label) {
          if (l.name == label && l.value == value) {
            return f.type == prometheus::MetricType::Gauge ? m.gauge.value : m.counter.value;
          }
        }
      }
    }
    return -1;
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

  std::unique_ptr<v1::RegionService::Stub> regions_;
  std::unique_ptr<v1::GridService::Stub> grids_;
  std::unique_ptr<v1::ResidentRecordService::Stub> records_;
  std::unique_ptr<v1::GovernanceSummaryService::Stub> summary_;
  std::unique_ptr<v1::VillageRuleService::Stub> rules_;
  std::unique_ptr<v1::ConsultationService::Stub> sites_;
  std::unique_ptr<v1::WhistleService::Stub> whistles_;
  std::unique_ptr<v1::CentreRatingService::Stub> ratings_;
  std::unique_ptr<v1::BoundaryService::Stub> boundaries_;
  std::unique_ptr<v1::PlaceNameService::Stub> names_;
  std::unique_ptr<v1::CertificateListService::Stub> certificates_;
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
  EXPECT_EQ(after.name(), "白石村第一网格");        // 龙虎村 has a 第一网格 already
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
  for (v1::NoticeKind k :
       {v1::NOTICE_KIND_INTRODUCTION, v1::NOTICE_KIND_GRID_MAP, v1::NOTICE_KIND_SERVICE_FLOW}) {
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
  EXPECT_EQ(missing["340722100002"], (std::vector<v1::NoticeKind>{v1::NOTICE_KIND_INTRODUCTION,
                                                                  v1::NOTICE_KIND_SERVICE_FLOW}));
  EXPECT_EQ(missing["340722100201"].size(), 3u);
  EXPECT_EQ(missing.size(), 3u);
  // Before its notices went up, 胜利社区 was missing all three.
  EXPECT_EQ(Missing("340722100", "2023-02-28")["340722100001"].size(), 3u);
  // A merged village is no longer a community that owes notices.
  ASSERT_TRUE(Merge("340722100202", "340722100201", "2023-04-01").ok());
  EXPECT_EQ(Missing("340722100", "").count("340722100202"), 0u);
  EXPECT_EQ(Missing("340722100", "2023-03-31").count("340722100202"), 1u);
}

// A CSV of `ids` in `grid_code`, one row each, header first.
std::string Csv(const std::string& grid_code, const std::vector<std::string>& ids,
                const std::string& address = "胜利街1号") {
  std::string csv = "grid_code,name,id_number,address,household,tags\n";
  for (size_t i = 0; i < ids.size(); ++i) {
    csv += grid_code + ",\"居民" + std::to_string(i) + "\"," + ids[i] + "," + address + ",H" +
           std::to_string(i) + ",低保户;留守老人\n";
  }
  return csv;
}

TEST_F(GovernanceIntegrationTest, ACsvImportKeepsGoodRowsReportsBadOnesAndIsIdempotent) {
  v1::Grid grid;
  ASSERT_TRUE(CreateGrid("340722100001", "第一网格", &grid).ok());
  const std::vector<std::string> ids = {Id("19500101", true, 1), Id("19600202", false, 2),
                                        Id("19700303", true, 3)};
  std::string wrong = Id("19800404", true, 4);
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  const std::string csv = Csv(grid.grid_code(), ids) + grid.grid_code() + ",错号," + wrong +
                          ",胜利街2号,,\n" + "340722100001999,无格," + Id("19810505", false, 5) +
                          ",胜利街3号,,\n" + "only,two\n";
  v1::ImportRecordsResponse first = ImportCsv(csv);
  EXPECT_EQ(first.rows(), 6);
  EXPECT_EQ(first.created(), 3);
  EXPECT_EQ(first.rejected(), 3);
  ASSERT_EQ(first.errors_size(), 3);
  std::map<int64_t, std::pair<std::string, std::string>> errors;
  for (const v1::RowError& e : first.errors()) errors[e.row()] = {e.field(), e.problem()};
  EXPECT_EQ(errors[5],
            std::make_pair(std::string("id_number"), std::string("wrong check character")));
  EXPECT_EQ(errors[6], std::make_pair(std::string("grid_code"), std::string("no such grid")));
  EXPECT_EQ(errors[7].first, "row");
  EXPECT_EQ(Count("SELECT count(*) FROM resident_records"), 3);

  // The same file again changes nothing.
  v1::ImportRecordsResponse again = ImportCsv(csv);
  EXPECT_EQ(again.created(), 0);
  EXPECT_EQ(again.unchanged(), 3);
  EXPECT_EQ(again.rejected(), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM resident_records"), 3);
  // ID numbers are stored encrypted with a blind index, shown masked to a clerk, whole to a
  // reviewer.
  EXPECT_EQ(Count("SELECT count(*) FROM resident_records WHERE position('" + ids[0] +
                  "' IN encode(id_cipher, 'escape')) > 0 OR id_index = '" + ids[0] + "'"),
            0);
  std::vector<v1::ResidentRecord> clerk_view =
      Worklist(grid.grid_id(), v1::RECORD_STATUS_SUBMITTED, kClerk);
  ASSERT_EQ(clerk_view.size(), 3u);
  EXPECT_EQ(clerk_view[0].id_number(), ids[0].substr(0, 6) + "********" + ids[0].substr(14));
  EXPECT_EQ(clerk_view[0].tags_size(), 2);
  // A reviewer sees them masked too unless the request says why; then whole, and each record
  // seen is in the ID-view trail with who and why.
  EXPECT_EQ(Worklist(grid.grid_id(), v1::RECORD_STATUS_SUBMITTED)[0].id_number(),
            clerk_view[0].id_number());
  EXPECT_EQ(Count("SELECT count(*) FROM id_views"), 0);
  EXPECT_EQ(Worklist(grid.grid_id(), v1::RECORD_STATUS_SUBMITTED, kReviewer, "", 2, "入户核查")[0]
                .id_number(),
            ids[0]);
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE method = 'ListRecords' AND reason = "
                  "'入户核查' AND record_kind = 'resident_record'"),
            3);
  {
    v1::ListRecordsRequest req;
    req.set_grid_id(grid.grid_id());
    req.set_reveal_reason("入户核查");
    v1::ListRecordsResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return records_->ListRecords(c, req, &resp); });
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
    EXPECT_EQ(resp.records_size(), 0);
  }

  // An unusable header imports nothing.
  v1::ImportRecordsCsvRequest bad;
  bad.set_csv("grid_code,name\n" + grid.grid_code() + ",某\n");
  v1::ImportRecordsResponse none;
  grpc::Status s = Call(kClerk, [&](auto* c) { return records_->ImportRecordsCsv(c, bad, &none); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "csv: the header lacks the column id_number");
  // A clerk of another township: every row is outside the clerk's region.
  v1::ImportRecordsResponse outside =
      ImportCsv(Csv(grid.grid_code(), {Id("19900101", true, 9)}),
                TestCaller{"clerk-2", "governance.clerk", "340722103"});
  EXPECT_EQ(outside.rejected(), 1);
  ASSERT_EQ(outside.errors_size(), 1);
  EXPECT_EQ(outside.errors(0).field(), "grid_code");
  EXPECT_EQ(Count("SELECT count(*) FROM resident_records"), 3);
}

TEST_F(GovernanceIntegrationTest, AStreamedImportRunsInBatchesAndTheGaugesSettle) {
  v1::Grid a, b;
  ASSERT_TRUE(CreateGrid("340722100001", "甲网格", &a).ok());
  ASSERT_TRUE(CreateGrid("340722100002", "乙网格", &b).ok());
  std::vector<v1::RecordRow> rows;
  for (int i = 0; i < 1200; ++i) {
    v1::RecordRow r;
    r.set_grid_code(i % 2 == 0 ? a.grid_code() : b.grid_code());
    r.set_name("居民" + std::to_string(i));
    char birth[9];
    std::snprintf(birth, sizeof birth, "19%02d%02d%02d", 40 + i % 50, 1 + i % 12, 1 + i % 28);
    r.set_id_number(Id(birth, i % 3 == 0, i % 100));
    r.set_address("胜利街" + std::to_string(i) + "号");
    rows.push_back(r);
  }
  rows[700].set_address("");                    // row 701
  rows[1100].set_grid_code("340722100002999");  // row 1101
  // The same person in the same grid twice in one stream: the first row decides.
  rows.push_back(rows[0]);
  v1::ImportRecordsResponse first = ImportStream(rows);
  EXPECT_EQ(first.rows(), 1201);
  EXPECT_EQ(first.rejected(), 2);
  ASSERT_EQ(first.errors_size(), 2);
  EXPECT_EQ(first.errors(0).row(), 701);
  EXPECT_EQ(first.errors(0).field(), "address");
  EXPECT_EQ(first.errors(1).row(), 1101);
  EXPECT_EQ(first.errors(1).field(), "grid_code");
  const int64_t distinct = Count("SELECT count(*) FROM resident_records");
  EXPECT_EQ(first.created(), distinct);
  EXPECT_EQ(first.created() + first.unchanged(), 1199);
  v1::ImportRecordsResponse again = ImportStream(rows);
  EXPECT_EQ(again.created(), 0);
  EXPECT_EQ(again.unchanged(), 1199);
  // The township's worklist goes grid by grid, the county's across it: every record once.
  for (const std::string& prefix : {std::string("340722100"), std::string("340722")}) {
    std::vector<v1::ResidentRecord> listed =
        Worklist("", v1::RECORD_STATUS_SUBMITTED, kReviewer, prefix, 50);
    std::set<std::string> ids;
    for (const v1::ResidentRecord& r : listed) ids.insert(r.record_id());
    EXPECT_EQ(static_cast<int64_t>(listed.size()), distinct) << prefix;
    EXPECT_EQ(static_cast<int64_t>(ids.size()), distinct) << prefix;
    EXPECT_EQ(listed.front().grid_code(), a.grid_code()) << prefix;
  }
  std::vector<v1::ResidentRecord> by_grid =
      Worklist("", v1::RECORD_STATUS_SUBMITTED, kReviewer, "340722100", 50);
  EXPECT_EQ(by_grid.back().grid_code(), b.grid_code());  // a's records first, then b's
  EXPECT_EQ(Worklist("", v1::RECORD_STATUS_REVIEWED, kReviewer, "340722100").size(), 0u);
  EXPECT_EQ(Count("SELECT count(*) FROM resident_records"), distinct);
  // The gauges count imports in progress: none now. The counters keep what was done.
  EXPECT_EQ(Metric("civil_governance_import_rows", "state", "planned"), 0);
  EXPECT_EQ(Metric("civil_governance_import_rows", "state", "done"), 0);
  EXPECT_EQ(Metric("civil_governance_imported_rows_total", "outcome", "created"), distinct);
  EXPECT_EQ(Metric("civil_governance_imported_rows_total", "outcome", "rejected"), 4);
}

TEST_F(GovernanceIntegrationTest, RecordsAreReviewedOrReturnedByAnotherPersonAndResubmitted) {
  v1::Grid grid;
  ASSERT_TRUE(CreateGrid("340722102202", "第一网格", &grid).ok());
  const std::vector<std::string> ids = {Id("19500101", true, 1), Id("19600202", false, 2),
                                        Id("19700303", true, 3)};
  ASSERT_EQ(ImportCsv(Csv(grid.grid_code(), ids)).created(), 3);
  std::vector<v1::ResidentRecord> worklist = Worklist(grid.grid_id(), v1::RECORD_STATUS_SUBMITTED);
  ASSERT_EQ(worklist.size(), 3u);
  EXPECT_EQ(worklist[0].name(), "居民0");  // oldest first
  EXPECT_EQ(worklist[2].name(), "居民2");

  // Maker ≠ checker: the clerk who imported may not review, even holding the reviewer role.
  const TestCaller both{"clerk-1", "governance.clerk,governance.reviewer", "340722"};
  grpc::Status s = Review(worklist[0].record_id(), v1::RECORD_STATUS_REVIEWED, "", both);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ResidentRecord reviewed, returned;
  ASSERT_TRUE(
      Review(worklist[0].record_id(), v1::RECORD_STATUS_REVIEWED, "", kReviewer, &reviewed).ok());
  EXPECT_EQ(reviewed.status(), v1::RECORD_STATUS_REVIEWED);
  EXPECT_EQ(reviewed.reviewed_by(), "reviewer-1");
  EXPECT_EQ(reviewed.review_date(), "2023-06-30");
  EXPECT_EQ(Review(worklist[0].record_id(), v1::RECORD_STATUS_RETURNED, "晚了").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  s = Review(worklist[1].record_id(), v1::RECORD_STATUS_RETURNED, "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "reason: a return needs a written reason");
  ASSERT_TRUE(Review(worklist[1].record_id(), v1::RECORD_STATUS_RETURNED, "门牌号不全", kReviewer,
                     &returned)
                  .ok());
  EXPECT_EQ(returned.return_reason(), "门牌号不全");
  EXPECT_EQ(Worklist(grid.grid_id(), v1::RECORD_STATUS_SUBMITTED).size(), 1u);
  EXPECT_EQ(Worklist(grid.grid_id(), v1::RECORD_STATUS_RETURNED).size(), 1u);

  // The same file again: nothing changes. Corrected addresses: only the returned record is
  // resubmitted; the reviewed one stays as reviewed.
  v1::ImportRecordsResponse same = ImportCsv(Csv(grid.grid_code(), ids));
  EXPECT_EQ(same.unchanged(), 3);
  v1::ImportRecordsResponse corrected = ImportCsv(Csv(grid.grid_code(), ids, "白石村3组5号"));
  EXPECT_EQ(corrected.resubmitted(), 1);
  EXPECT_EQ(corrected.unchanged(), 2);
  v1::GetRecordRequest get;
  get.set_record_id(worklist[1].record_id());
  v1::GetRecordResponse got;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return records_->GetRecord(c, get, &got); }).ok());
  EXPECT_EQ(got.record().status(), v1::RECORD_STATUS_SUBMITTED);
  EXPECT_EQ(got.record().address(), "白石村3组5号");
  EXPECT_EQ(got.record().return_reason(), "");
  get.set_record_id(worklist[0].record_id());
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return records_->GetRecord(c, get, &got); }).ok());
  EXPECT_EQ(got.record().status(), v1::RECORD_STATUS_REVIEWED);
  EXPECT_EQ(got.record().address(), "胜利街1号");
  EXPECT_EQ(Count("SELECT count(*) FROM record_events"), 3);  // reviewed, returned, resubmitted

  // The village merges: the grid moves, and its records with it.
  ASSERT_TRUE(Merge("340722102202", "340722102201", "2023-06-01").ok());
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return records_->GetRecord(c, get, &got); }).ok());
  EXPECT_EQ(got.record().village_code(), "340722102201");
  EXPECT_EQ(got.record().grid_code(), grid.grid_code());
}

// A county's historical records: each keeps the day it was collected, reviews are decided a page
// at a time, and a corrected resubmission may not predate its return.
TEST_F(GovernanceIntegrationTest, AHistoricalImportKeepsItsDaysAndABatchReviewDecidesWhatItMay) {
  v1::Grid grid;
  ASSERT_TRUE(CreateGrid("340722100001", "第一网格", &grid).ok());
  today_ = absl::CivilDay(2023, 7, 10);
  const std::vector<std::string> ids = {Id("19500101", true, 1), Id("19600202", false, 2),
                                        Id("19700303", true, 3)};
  const std::string header = "grid_code,name,id_number,address,submit_date\n";
  auto row = [&](int k, const std::string& address, const std::string& day) {
    return grid.grid_code() + ",居民" + std::to_string(k) + "," + ids[k] + "," + address + "," +
           day + "\n";
  };
  v1::ImportRecordsResponse first =
      ImportCsv(header + row(0, "胜利街1号", "2023-03-01") + row(1, "胜利街2号", "2023-04-15") +
                row(2, "胜利街3号", "2023-08-01"));
  EXPECT_EQ(first.created(), 2);
  ASSERT_EQ(first.errors_size(), 1);
  EXPECT_EQ(first.errors(0).row(), 4);
  EXPECT_EQ(first.errors(0).field(), "submit_date");
  std::vector<v1::ResidentRecord> records = Worklist(grid.grid_id(), v1::RECORD_STATUS_SUBMITTED);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].submit_date(), "2023-03-01");
  EXPECT_EQ(records[1].submit_date(), "2023-04-15");

  auto review_batch = [&](const std::vector<std::string>& record_ids, v1::RecordStatus decision,
                          const std::string& reason, const std::string& day, const TestCaller& who,
                          v1::ReviewRecordsResponse* out) {
    v1::ReviewRecordsRequest req;
    for (const std::string& id : record_ids) req.add_record_ids(id);
    req.set_decision(decision);
    req.set_reason(reason);
    req.set_review_date(day);
    return Call(who, [&](auto* c) { return records_->ReviewRecords(c, req, out); });
  };
  // Malformed requests name the field and decide nothing.
  v1::ReviewRecordsResponse none;
  grpc::Status s = review_batch({}, v1::RECORD_STATUS_REVIEWED, "", "", kReviewer, &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "record_ids: is required");
  s = review_batch({records[0].record_id(), "not-a-uuid"}, v1::RECORD_STATUS_REVIEWED, "", "",
                   kReviewer, &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "record_ids: ")) << s.error_message();
  s = review_batch(std::vector<std::string>(501, records[0].record_id()),
                   v1::RECORD_STATUS_REVIEWED, "", "", kReviewer, &none);
  EXPECT_EQ(s.error_message(), "record_ids: at most 500 at once");
  EXPECT_EQ(Count("SELECT count(*) FROM resident_records WHERE status = 'REVIEWED'"), 0);

  // Reviewed on 04-01: the first record (collected 03-01) is; the second, collected after, and an
  // unknown id are refused with ReviewRecord's reasons.
  const std::string unknown = "00000000-0000-4000-8000-000000000001";
  v1::ReviewRecordsResponse batch;
  ASSERT_TRUE(review_batch(
                  {records[0].record_id(), records[1].record_id(), unknown, records[0].record_id()},
                  v1::RECORD_STATUS_REVIEWED, "", "2023-04-01", kReviewer, &batch)
                  .ok());
  EXPECT_EQ(batch.decided(), 1);
  ASSERT_EQ(batch.refused_size(), 2) << batch.DebugString();
  std::map<std::string, v1::ReviewRefusal> refused;
  for (const v1::ReviewRefusal& r : batch.refused()) refused[r.record_id()] = r;
  EXPECT_EQ(refused[records[1].record_id()].code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(refused[records[1].record_id()].problem(), "review_date: "));
  EXPECT_EQ(refused[unknown].code(), grpc::StatusCode::NOT_FOUND);
  // The clerk who collected them may not decide, even holding the reviewer role.
  const TestCaller both{"clerk-1", "governance.clerk,governance.reviewer", "340722"};
  ASSERT_TRUE(review_batch({records[1].record_id()}, v1::RECORD_STATUS_RETURNED, "缺户号",
                           "2023-05-01", both, &batch)
                  .ok());
  EXPECT_EQ(batch.decided(), 0);
  ASSERT_EQ(batch.refused_size(), 1);
  EXPECT_EQ(batch.refused(0).code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(review_batch({records[1].record_id()}, v1::RECORD_STATUS_RETURNED, "缺户号",
                           "2023-05-01", kReviewer, &batch)
                  .ok());
  EXPECT_EQ(batch.decided(), 1);

  // The correction is dated before the return: refused by row and field, nothing changes; dated
  // after it, resubmitted on its day.
  v1::ImportRecordsResponse early = ImportCsv(header + row(1, "胜利街2号之一", "2023-04-20"));
  EXPECT_EQ(early.resubmitted(), 0);
  ASSERT_EQ(early.errors_size(), 1);
  EXPECT_EQ(early.errors(0).row(), 2);
  EXPECT_EQ(early.errors(0).field(), "submit_date");
  EXPECT_EQ(early.errors(0).problem(), "before the record was returned on 2023-05-01");
  EXPECT_EQ(Worklist(grid.grid_id(), v1::RECORD_STATUS_RETURNED).size(), 1u);
  v1::ImportRecordsResponse fixed = ImportCsv(header + row(1, "胜利街2号之一", "2023-05-03"));
  EXPECT_EQ(fixed.resubmitted(), 1);
  records = Worklist(grid.grid_id(), v1::RECORD_STATUS_SUBMITTED);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].submit_date(), "2023-05-03");
  EXPECT_EQ(Count("SELECT count(*) FROM record_events WHERE action = 'RESUBMITTED' AND on_date = "
                  "'2023-05-03'"),
            1);
  // One submitted alone is dated too, and a day in the future is named.
  v1::SubmitRecordRequest one;
  one.mutable_record()->set_grid_code(grid.grid_code());
  one.mutable_record()->set_name("居民2");
  one.mutable_record()->set_id_number(ids[2]);
  one.mutable_record()->set_address("胜利街3号");
  one.mutable_record()->set_submit_date("2023-08-01");
  v1::SubmitRecordResponse submitted;
  s = Call(kClerk, [&](auto* c) { return records_->SubmitRecord(c, one, &submitted); });
  EXPECT_EQ(s.error_message(),
            "record.submit_date: must not be in the future (today is 2023-07-10)");
  one.mutable_record()->set_submit_date("2023-06-20");
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return records_->SubmitRecord(c, one, &submitted); }).ok());
  EXPECT_EQ(submitted.record().submit_date(), "2023-06-20");

  // The half year counts the review of 04-01, made and dated within it.
  v1::GetSummaryRequest sreq;
  sreq.set_period_start("2023-01-01");
  sreq.set_period_end("2023-06-30");
  sreq.set_region_prefix("340722100");
  v1::GetSummaryResponse half;
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) { return summary_->GetSummary(c, sreq, &half); }).ok());
  EXPECT_EQ(half.records_reviewed(), 1);
  EXPECT_EQ(half.records_submitted(), 3);
}

TEST_F(GovernanceIntegrationTest, OneRecordSubmittedNamesItsBadFields) {
  v1::Grid grid;
  ASSERT_TRUE(CreateGrid("340722100001", "第一网格", &grid).ok());
  v1::SubmitRecordRequest req;
  req.mutable_record()->set_grid_code(grid.grid_code());
  req.mutable_record()->set_name("王某");
  req.mutable_record()->set_id_number(Id("19500101", true, 1));
  req.mutable_record()->set_address("胜利街1号");
  v1::SubmitRecordResponse resp;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return records_->SubmitRecord(c, req, &resp); }).ok());
  EXPECT_EQ(resp.outcome(), v1::SUBMIT_OUTCOME_CREATED);
  EXPECT_EQ(resp.record().status(), v1::RECORD_STATUS_SUBMITTED);
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return records_->SubmitRecord(c, req, &resp); }).ok());
  EXPECT_EQ(resp.outcome(), v1::SUBMIT_OUTCOME_UNCHANGED);
  req.mutable_record()->set_address("");
  grpc::Status s = Call(kClerk, [&](auto* c) { return records_->SubmitRecord(c, req, &resp); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "record.address: is required");
  req.mutable_record()->set_address("胜利街1号");
  req.mutable_record()->set_grid_code("340722100001998");
  s = Call(kClerk, [&](auto* c) { return records_->SubmitRecord(c, req, &resp); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count("SELECT count(*) FROM resident_records"), 1);
}

TEST_F(GovernanceIntegrationTest, TheSummaryCountsReviewsAndNoticeCoverageAsOfThePeriodsEnd) {
  v1::Grid grid;
  ASSERT_TRUE(CreateGrid("340722100001", "第一网格", &grid).ok());
  const std::vector<std::string> ids = {Id("19500101", true, 1), Id("19600202", false, 2),
                                        Id("19700303", true, 3)};
  today_ = absl::CivilDay(2023, 5, 10);
  ASSERT_EQ(ImportCsv(Csv(grid.grid_code(), ids)).created(), 3);
  std::vector<v1::ResidentRecord> records = Worklist(grid.grid_id(), v1::RECORD_STATUS_SUBMITTED);
  ASSERT_EQ(records.size(), 3u);
  ASSERT_TRUE(Review(records[0].record_id(), v1::RECORD_STATUS_REVIEWED, "").ok());  // 05-10
  today_ = absl::CivilDay(2023, 7, 5);
  ASSERT_TRUE(Review(records[1].record_id(), v1::RECORD_STATUS_REVIEWED, "").ok());  // 07-05
  ASSERT_TRUE(Review(records[2].record_id(), v1::RECORD_STATUS_RETURNED, "缺户号").ok());
  // 枞阳镇's four: 胜利社区 publishes all three, 新华社区 two.
  for (v1::NoticeKind k :
       {v1::NOTICE_KIND_INTRODUCTION, v1::NOTICE_KIND_GRID_MAP, v1::NOTICE_KIND_SERVICE_FLOW}) {
    ASSERT_TRUE(Publish("340722100001", k, "2023-04-01").ok());
  }
  ASSERT_TRUE(Publish("340722100002", v1::NOTICE_KIND_INTRODUCTION, "2023-04-01").ok());
  ASSERT_TRUE(Publish("340722100002", v1::NOTICE_KIND_GRID_MAP, "2023-04-01").ok());

  auto summary = [&](const std::string& start, const std::string& end, const std::string& prefix,
                     const TestCaller& who, v1::GetSummaryResponse* out) {
    v1::GetSummaryRequest req;
    req.set_period_start(start);
    req.set_period_end(end);
    req.set_region_prefix(prefix);
    return Call(who, [&](auto* c) { return summary_->GetSummary(c, req, out); });
  };
  v1::GetSummaryResponse half;
  ASSERT_TRUE(summary("2023-01-01", "2023-06-30", "340722100", kReviewer, &half).ok());
  EXPECT_EQ(half.records_reviewed(), 1);  // the July review is after the period
  EXPECT_EQ(half.records_reviewed_in_period(), 1);
  EXPECT_EQ(half.records_submitted(), 3);
  EXPECT_EQ(half.communities(), 4);
  EXPECT_EQ(half.communities_with_notices(), 1);
  ASSERT_EQ(half.lines_size(), 2);
  EXPECT_EQ(half.lines(0), "完成网格化1条基础信息审核工作");
  EXPECT_EQ(
      half.lines(1),
      "1个村和社区完成社区简介、网格示意图、网格服务管理流程图等网格化基础信息公示,3个尚未完成");

  // The other two of 枞阳镇 merge into 胜利社区 in July; 新华社区 completes its notices.
  ASSERT_TRUE(Merge("340722100201", "340722100001", "2023-07-01").ok());
  ASSERT_TRUE(Merge("340722100202", "340722100001", "2023-07-01").ok());
  ASSERT_TRUE(Publish("340722100002", v1::NOTICE_KIND_SERVICE_FLOW, "2023-07-02").ok());
  v1::GetSummaryResponse july;
  ASSERT_TRUE(summary("2023-07-01", "2023-07-05", "340722100", kReviewer, &july).ok());
  EXPECT_EQ(july.records_reviewed(), 2);
  EXPECT_EQ(july.records_reviewed_in_period(), 1);
  EXPECT_EQ(july.communities(), 2);
  EXPECT_EQ(july.communities_with_notices(), 2);
  EXPECT_EQ(july.lines(1),
            "辖区内村和社区实行社区简介、网格示意图、网格服务管理流程图等网格化基础信息公示全覆盖");
  // The first half-year again: the merges came later, so it is as it was.
  ASSERT_TRUE(summary("2023-01-01", "2023-06-30", "340722100", kReviewer, &half).ok());
  EXPECT_EQ(half.communities(), 4);

  // Roles and input: a clerk may not read it; the period is required and ordered.
  EXPECT_EQ(summary("2023-01-01", "2023-06-30", "", kClerk, &half).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status s = summary("2023-06-30", "2023-01-01", "", kReviewer, &half);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("period_end: ", 0), 0u) << s.error_message();
  const TestCaller leader{"leader", "leadership", "340722"};
  ASSERT_TRUE(summary("2023-01-01", "2023-06-30", "", leader, &half).ok());
  EXPECT_EQ(half.records_reviewed(), 1);
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

v1::RecordRuleStepRequest StepRequest(const std::string& rule_id, v1::RuleStep step,
                                      const std::string& date) {
  v1::RecordRuleStepRequest req;
  req.set_rule_id(rule_id);
  req.set_step(step);
  req.set_step_date(date);
  req.set_document("文件-" + std::to_string(static_cast<int>(step)));
  return req;
}

TEST_F(GovernanceIntegrationTest, AVillageRuleGoesThroughItsFiveStepsInOrder) {
  v1::StartVillageRuleRequest start;
  start.set_village_code("340722102201");
  start.set_kind(v1::RULE_KIND_VILLAGE_RULES);
  start.set_title("龙虎村村规民约（2023年修订）");
  v1::StartVillageRuleResponse started;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return rules_->StartVillageRule(c, start, &started); }).ok());
  const std::string id = started.rule().rule_id();
  EXPECT_EQ(started.rule().next_step(), v1::RULE_STEP_COLLECT_OPINIONS);

  auto step = [&](v1::RecordRuleStepRequest req, v1::RecordRuleStepResponse* out) {
    return Call(kClerk, [&](auto* c) { return rules_->RecordRuleStep(c, req, out); });
  };
  v1::RecordRuleStepResponse resp;
  // Out of order: nothing written.
  grpc::Status early = step(StepRequest(id, v1::RULE_STEP_DRAFT, "2023-03-01"), &resp);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(early.error_message(),
            "step: DRAFT is out of order; the next step is COLLECT_OPINIONS");
  EXPECT_EQ(Count("SELECT count(*) FROM rule_steps"), 0);

  ASSERT_TRUE(step(StepRequest(id, v1::RULE_STEP_COLLECT_OPINIONS, "2023-03-01"), &resp).ok());
  ASSERT_TRUE(step(StepRequest(id, v1::RULE_STEP_DRAFT, "2023-03-10"), &resp).ok());
  ASSERT_TRUE(step(StepRequest(id, v1::RULE_STEP_LEGAL_REVIEW, "2023-03-20"), &resp).ok());

  v1::RecordRuleStepRequest vote = StepRequest(id, v1::RULE_STEP_VOTE, "2023-04-01");
  vote.mutable_vote()->set_members_total(30);
  vote.mutable_vote()->set_members_present(25);
  vote.mutable_vote()->set_votes_for(20);
  vote.mutable_vote()->set_votes_against(4);
  vote.mutable_vote()->set_votes_abstain(2);  // 26 votes, 25 present
  grpc::Status bad = step(vote, &resp);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message(), "members_present: 25 members present but 26 votes cast");
  EXPECT_EQ(Count("SELECT count(*) FROM rule_steps"), 3);

  // A vote without a majority is recorded and leaves the revision to vote again.
  vote.mutable_vote()->set_votes_for(10);
  vote.mutable_vote()->set_votes_against(14);
  vote.mutable_vote()->set_votes_abstain(1);
  ASSERT_TRUE(step(vote, &resp).ok());
  EXPECT_FALSE(resp.recorded().passed());
  EXPECT_EQ(resp.rule().completed_step(), v1::RULE_STEP_LEGAL_REVIEW);
  vote.set_step_date("2023-04-15");
  vote.mutable_vote()->set_votes_for(20);
  vote.mutable_vote()->set_votes_against(4);
  ASSERT_TRUE(step(vote, &resp).ok());
  EXPECT_TRUE(resp.recorded().passed());
  EXPECT_EQ(resp.rule().next_step(), v1::RULE_STEP_FILE_AND_PUBLISH);
  ASSERT_TRUE(step(StepRequest(id, v1::RULE_STEP_FILE_AND_PUBLISH, "2023-05-01"), &resp).ok());
  EXPECT_EQ(resp.rule().completed_step(), v1::RULE_STEP_FILE_AND_PUBLISH);
  EXPECT_EQ(resp.rule().completed_date(), "2023-05-01");
  EXPECT_EQ(resp.rule().steps_size(), 6);

  v1::GetVillageRuleRequest get;
  get.set_rule_id(id);
  v1::GetVillageRuleResponse got;
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) { return rules_->GetVillageRule(c, get, &got); }).ok());
  EXPECT_EQ(got.rule().steps(4).vote().members_present(), 25);

  // Selected once for 2023; a second selection for the year is refused.
  v1::SelectExcellentRuleRequest sel;
  sel.set_rule_id(id);
  sel.set_year(2023);
  v1::SelectExcellentRuleResponse selected;
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return rules_->SelectExcellentRule(c, sel, &selected); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return rules_->SelectExcellentRule(c, sel, &selected);
              }).ok());
  EXPECT_EQ(Call(kReviewer, [&](auto* c) { return rules_->SelectExcellentRule(c, sel, &selected); })
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::ListExcellentRulesRequest list;
  list.set_year(2023);
  v1::ListExcellentRulesResponse listed;
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* c) { return rules_->ListExcellentRules(c, list, &listed); }).ok());
  ASSERT_EQ(listed.selections_size(), 1);
  EXPECT_EQ(listed.selections(0).rule().rule_id(), id);
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

TEST_F(GovernanceIntegrationTest, ConsultationSitesAreCountedAsOfTheirSelection) {
  auto designate = [&](const std::string& village, const std::string& date) {
    v1::DesignateConsultationSiteRequest req;
    req.set_village_code(village);
    req.set_name("协商示范点");
    req.set_selected_date(date);
    v1::DesignateConsultationSiteResponse resp;
    return Call(kReviewer,
                [&](auto* c) { return sites_->DesignateConsultationSite(c, req, &resp); });
  };
  ASSERT_TRUE(designate("340722100001", "2023-03-01").ok());
  EXPECT_EQ(designate("340722102201", "2023-07-01").error_code(),  // in the future
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(designate("340722102201", "2023-06-01").ok());
  EXPECT_EQ(designate("340722100001", "").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(designate("340722100999", "").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count("SELECT count(*) FROM consultation_sites"), 2);

  v1::ListConsultationSitesRequest list;
  list.set_region_prefix("340722102");
  v1::ListConsultationSitesResponse listed;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return sites_->ListConsultationSites(c, list, &listed); }).ok());
  ASSERT_EQ(listed.sites_size(), 1);
  EXPECT_EQ(listed.sites(0).village_code(), "340722102201");

  auto summary = [&](const std::string& end) {
    v1::GetSummaryRequest req;
    req.set_period_start("2023-01-01");
    req.set_period_end(end);
    v1::GetSummaryResponse resp;
    EXPECT_TRUE(Call(kReviewer, [&](auto* c) { return summary_->GetSummary(c, req, &resp); }).ok());
    return resp.consultation_sites();
  };
  EXPECT_EQ(summary("2023-05-31"), 1);
  EXPECT_EQ(summary("2023-06-30"), 2);
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

TEST_F(GovernanceIntegrationTest, AWhistleIsAnsweredByADepartmentOrListedOverdue) {
  auto blow = [&](const std::string& matter, const std::string& date, v1::WhistleItem* out) {
    v1::BlowWhistleRequest req;
    req.set_village_code("340722100001");
    req.set_matter(matter);
    req.set_department("县住建局");
    req.set_whistle_date(date);
    req.set_answer_days(5);
    v1::BlowWhistleResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return whistles_->BlowWhistle(c, req, &resp); });
    *out = resp.item();
    return s;
  };
  v1::WhistleItem lamp, drain;
  ASSERT_TRUE(blow("路灯损坏", "2023-06-01", &lamp).ok());
  EXPECT_EQ(lamp.due_date(), "2023-06-06");
  ASSERT_TRUE(blow("排水沟堵塞", "2023-06-10", &drain).ok());

  v1::AnswerWhistleRequest answer;
  answer.set_item_id(lamp.item_id());
  answer.set_department("县城管局");
  answer.set_answer("已修复");
  answer.set_answered_date("2023-06-09");
  v1::AnswerWhistleResponse answered;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return whistles_->AnswerWhistle(c, answer, &answered); }).ok());
  EXPECT_EQ(answered.item().answered_department(), "县城管局");
  EXPECT_TRUE(answered.late());
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return whistles_->AnswerWhistle(c, answer, &answered); })
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  auto overdue = [&](const std::string& as_of) {
    v1::ListOverdueWhistlesRequest req;
    req.set_as_of(as_of);
    v1::ListOverdueWhistlesResponse resp;
    EXPECT_TRUE(Call(kReviewer, [&](auto* c) {
                  return whistles_->ListOverdueWhistles(c, req, &resp);
                }).ok());
    std::vector<std::string> matters;
    for (const v1::WhistleItem& w : resp.items()) matters.push_back(w.matter());
    return matters;
  };
  EXPECT_EQ(overdue("2023-06-08"), std::vector<std::string>{"路灯损坏"});
  EXPECT_TRUE(overdue("2023-06-12").empty());
  EXPECT_EQ(overdue("2023-06-30"), std::vector<std::string>{"排水沟堵塞"});
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

TEST_F(GovernanceIntegrationTest, ACentreIsRatedOncePerYear) {
  auto rate = [&](const std::string& village, int year, int stars) {
    v1::RateCentreRequest req;
    req.set_village_code(village);
    req.set_centre("党群服务中心");
    req.set_year(year);
    req.set_stars(stars);
    v1::RateCentreResponse resp;
    return Call(kReviewer, [&](auto* c) { return ratings_->RateCentre(c, req, &resp); });
  };
  ASSERT_TRUE(rate("340722100001", 2022, 3).ok());
  ASSERT_TRUE(rate("340722100002", 2022, 5).ok());
  EXPECT_EQ(rate("340722100001", 2022, 4).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(rate("340722100001", 2023, 9).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Count("SELECT count(*) FROM centre_ratings"), 2);
  v1::ListCentreRatingsRequest list;
  list.set_year(2022);
  v1::ListCentreRatingsResponse listed;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return ratings_->ListCentreRatings(c, list, &listed); }).ok());
  ASSERT_EQ(listed.ratings_size(), 2);
  EXPECT_EQ(listed.ratings(0).village_code(), "340722100002");
  EXPECT_EQ(listed.ratings(0).stars(), 5);
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

TEST_F(GovernanceIntegrationTest, BoundaryInspectionsAndTriPointBoardsAreCounted) {
  auto line = [&](const std::string& neighbour, const std::string& name) {
    v1::CreateBoundaryLineRequest req;
    req.set_township_code("340722102");
    req.set_neighbour(neighbour);
    req.set_name(name);
    v1::CreateBoundaryLineResponse resp;
    EXPECT_TRUE(
        Call(kClerk, [&](auto* c) { return boundaries_->CreateBoundaryLine(c, req, &resp); }).ok());
    return resp.line().line_id();
  };
  const std::string lujiang = line("庐江县", "枞阳—庐江线");
  const std::string guichi = line("贵池区", "枞阳—贵池线");
  line("桐城市", "枞阳—桐城线");

  auto marker = [&](const std::string& line_id, const std::string& code, v1::MarkerKind kind) {
    v1::AddBoundaryMarkerRequest req;
    req.set_line_id(line_id);
    req.set_code(code);
    req.set_latitude(30.9);
    req.set_longitude(117.2);
    req.set_kind(kind);
    req.set_status(v1::MARKER_STATUS_INTACT);
    req.set_placed_date("2010-05-01");
    v1::AddBoundaryMarkerResponse resp;
    EXPECT_TRUE(
        Call(kClerk, [&](auto* c) { return boundaries_->AddBoundaryMarker(c, req, &resp); }).ok());
    return resp.marker().marker_id();
  };
  const std::string tri = marker(lujiang, "枞庐-三-01", v1::MARKER_KIND_TRI_POINT);
  const std::string tri2 = marker(guichi, "枞贵-三-01", v1::MARKER_KIND_TRI_POINT);
  const std::string plain = marker(guichi, "枞贵-02", v1::MARKER_KIND_DOUBLE);
  auto board = [&](const std::string& id, const std::string& date) {
    v1::InstallNoticeBoardRequest req;
    req.set_marker_id(id);
    req.set_installed_date(date);
    v1::InstallNoticeBoardResponse resp;
    return Call(kClerk, [&](auto* c) { return boundaries_->InstallNoticeBoard(c, req, &resp); });
  };
  ASSERT_TRUE(board(tri, "2023-04-01").ok());
  ASSERT_TRUE(board(tri2, "2023-06-20").ok());
  EXPECT_EQ(board(plain, "2023-04-01").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(board(tri, "2023-05-01").error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  auto inspect = [&](const std::string& line_id, int year, const std::string& date) {
    v1::RecordJointInspectionRequest req;
    req.set_line_id(line_id);
    req.set_year(year);
    req.set_completed_date(date);
    req.set_archive_ref("界线联检档案-" + std::to_string(year));
    v1::RecordJointInspectionResponse resp;
    return Call(kClerk, [&](auto* c) { return boundaries_->RecordJointInspection(c, req, &resp); });
  };
  ASSERT_TRUE(inspect(lujiang, 2023, "2023-05-10").ok());
  ASSERT_TRUE(inspect(guichi, 2023, "2023-06-15").ok());
  ASSERT_TRUE(inspect(guichi, 2022, "2022-11-15").ok());
  EXPECT_EQ(inspect(lujiang, 2023, "2023-06-01").error_code(), grpc::StatusCode::ALREADY_EXISTS);

  v1::GetBoundaryLineRequest get;
  get.set_line_id(guichi);
  v1::GetBoundaryLineResponse detail;
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* c) { return boundaries_->GetBoundaryLine(c, get, &detail); }).ok());
  EXPECT_EQ(detail.markers_size(), 2);
  ASSERT_EQ(detail.inspections_size(), 2);
  EXPECT_EQ(detail.inspections(1).archive_ref(), "界线联检档案-2023");

  auto summary = [&](const std::string& end) {
    v1::GetSummaryRequest req;
    req.set_period_start("2023-01-01");
    req.set_period_end(end);
    v1::GetSummaryResponse resp;
    EXPECT_TRUE(Call(kReviewer, [&](auto* c) { return summary_->GetSummary(c, req, &resp); }).ok());
    return resp;
  };
  v1::GetSummaryResponse half = summary("2023-06-30");
  EXPECT_EQ(half.boundary_lines_inspected(), 2);
  ASSERT_EQ(half.neighbours_inspected_size(), 2);
  EXPECT_EQ(half.neighbours_inspected(0), "庐江县");
  EXPECT_EQ(half.neighbours_inspected(1), "贵池区");
  EXPECT_EQ(half.tri_point_markers_with_boards(), 2);
  v1::GetSummaryResponse may = summary("2023-05-31");
  EXPECT_EQ(may.boundary_lines_inspected(), 1);
  EXPECT_EQ(may.tri_point_markers_with_boards(), 1);
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

TEST_F(GovernanceIntegrationTest, APlaceNameIsApprovedFiledAndAnnouncedInOrderLateStepsListed) {
  auto apply = [&](const std::string& name, const std::string& region, const std::string& date,
                   v1::PlaceName* out) {
    v1::ApplyPlaceNameRequest req;
    req.set_proposed_name(name);
    req.set_kind(v1::PLACE_KIND_ROAD);
    req.set_region_code(region);
    req.set_applicant("县住房和城乡建设局");
    req.set_application_date(date);
    v1::ApplyPlaceNameResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return names_->ApplyPlaceName(c, req, &resp); });
    if (out != nullptr) *out = resp.place_name();
    return s;
  };
  auto approve = [&](const std::string& id, const std::string& date,
                     const TestCaller& who = kReviewer) {
    v1::ApprovePlaceNameRequest req;
    req.set_name_id(id);
    req.set_approval_date(date);
    req.set_document("枞政地名〔2023〕1号");
    v1::ApprovePlaceNameResponse resp;
    return Call(who, [&](auto* c) { return names_->ApprovePlaceName(c, req, &resp); });
  };
  auto file = [&](const std::string& id, const std::string& date, bool* late = nullptr) {
    v1::FilePlaceNameRequest req;
    req.set_name_id(id);
    req.set_filing_date(date);
    req.set_document("备案-001");
    v1::FilePlaceNameResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return names_->FilePlaceName(c, req, &resp); });
    if (late != nullptr) *late = resp.late();
    return s;
  };
  auto announce = [&](const std::string& id, const std::string& date) {
    v1::AnnouncePlaceNameRequest req;
    req.set_name_id(id);
    req.set_announcement_date(date);
    req.set_document("县政府网站公告");
    v1::AnnouncePlaceNameResponse resp;
    return Call(kClerk, [&](auto* c) { return names_->AnnouncePlaceName(c, req, &resp); });
  };

  v1::PlaceName road, bridge;
  ASSERT_TRUE(apply("枞川路", "340722100", "2023-05-01", &road).ok());
  EXPECT_EQ(road.step(), v1::NAMING_STEP_APPLICATION);
  ASSERT_TRUE(apply("白荡湖大桥", "340722100001", "2023-05-02", &bridge).ok());
  EXPECT_EQ(apply("枞川路", "340722100", "", nullptr).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // Bad input names the field and writes nothing.
  grpc::Status bad = apply("", "340722100", "", nullptr);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message(), "proposed_name: is required");
  EXPECT_EQ(apply("新路", "340722100", "2023-07-01", nullptr).error_message().substr(0, 17),
            "application_date:");
  EXPECT_EQ(apply("新路", "340722999999", "", nullptr).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Out of order, maker = checker, a date before the application.
  grpc::Status early = file(road.name_id(), "2023-05-05");
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(early.error_message(), "step: FILING is out of order; the next step is APPROVAL");
  const TestCaller self_check{"clerk-1", "governance.reviewer", "340722"};
  EXPECT_EQ(approve(road.name_id(), "2023-05-10", self_check).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(approve(road.name_id(), "2023-04-30").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(approve(road.name_id(), "2023-05-10", kClerk).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // a clerk may not approve

  ASSERT_TRUE(approve(road.name_id(), "2023-05-10").ok());
  ASSERT_TRUE(approve(bridge.name_id(), "2023-05-12").ok());
  EXPECT_EQ(announce(road.name_id(), "2023-05-20").error_message(),
            "step: ANNOUNCEMENT is out of order; the next step is FILING");
  bool late = true;
  ASSERT_TRUE(file(road.name_id(), "2023-05-25", &late).ok());
  EXPECT_FALSE(late);  // on its due day
  ASSERT_TRUE(file(bridge.name_id(), "2023-06-01", &late).ok());
  EXPECT_TRUE(late);                                         // due 2023-05-27
  ASSERT_TRUE(announce(road.name_id(), "2023-06-15").ok());  // due 2023-06-09

  v1::GetPlaceNameRequest get;
  get.set_name_id(road.name_id());
  v1::GetPlaceNameResponse got;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return names_->GetPlaceName(c, get, &got); }).ok());
  EXPECT_EQ(got.place_name().step(), v1::NAMING_STEP_ANNOUNCEMENT);
  EXPECT_EQ(got.place_name().filing_due_date(), "2023-05-25");
  EXPECT_EQ(got.place_name().announcement_due_date(), "2023-06-09");
  EXPECT_EQ(got.place_name().approved_by(), "reviewer-1");
  EXPECT_EQ(announce(road.name_id(), "2023-06-20").error_message(),
            "step: ANNOUNCEMENT after the name was announced");

  auto late_steps = [&](const std::string& as_of, const std::string& prefix = "") {
    v1::ListLatePlaceNamesRequest req;
    req.set_as_of(as_of);
    req.set_region_prefix(prefix);
    v1::ListLatePlaceNamesResponse resp;
    EXPECT_TRUE(
        Call(kReviewer, [&](auto* c) { return names_->ListLatePlaceNames(c, req, &resp); }).ok());
    std::vector<std::string> out;
    for (const v1::LateNamingStep& l : resp.steps()) {
      out.push_back(l.place_name().proposed_name() + " " + v1::NamingStep_Name(l.step()) + " " +
                    (l.overdue() ? "overdue" : "late " + l.done_date()));
    }
    return out;
  };
  EXPECT_TRUE(late_steps("2023-05-25").empty());
  EXPECT_EQ(late_steps("2023-05-30"),
            std::vector<std::string>{"白荡湖大桥 NAMING_STEP_FILING overdue"});
  EXPECT_EQ(late_steps("2023-06-10"),
            (std::vector<std::string>{"枞川路 NAMING_STEP_ANNOUNCEMENT overdue",
                                      "白荡湖大桥 NAMING_STEP_FILING late 2023-06-01"}));
  EXPECT_EQ(late_steps("2023-06-30"),
            (std::vector<std::string>{"枞川路 NAMING_STEP_ANNOUNCEMENT late 2023-06-15",
                                      "白荡湖大桥 NAMING_STEP_FILING late 2023-06-01",
                                      "白荡湖大桥 NAMING_STEP_ANNOUNCEMENT overdue"}));
  EXPECT_EQ(late_steps("2023-06-30", "340722100001").size(), 2u);
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

TEST_F(GovernanceIntegrationTest, AVillagesCertificateListInForceOnADay) {
  auto publish = [&](const std::string& effective,
                     std::vector<std::tuple<std::string, bool, std::string>> items,
                     const TestCaller& who = kReviewer,
                     const std::string& village = "340722100001") {
    v1::PublishCertificateListRequest req;
    req.set_village_code(village);
    req.set_effective_date(effective);
    req.set_document("村证明事项清单（" + effective + "）");
    for (const auto& [name, may, basis] : items) {
      v1::CertificateEntry* e = req.add_items();
      e->set_name(name);
      e->set_may_issue(may);
      e->set_legal_basis(basis);
    }
    v1::PublishCertificateListResponse resp;
    return Call(who, [&](auto* c) { return certificates_->PublishCertificateList(c, req, &resp); });
  };
  auto in_force = [&](const std::string& as_of, v1::CertificateList* out) {
    v1::GetCertificateListRequest req;
    req.set_village_code("340722100001");
    req.set_as_of(as_of);
    v1::GetCertificateListResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return certificates_->GetCertificateList(c, req, &resp); });
    *out = resp.list();
    return s;
  };
  ASSERT_TRUE(publish("2023-01-01", {{"居住证明", true, "《居住证暂行条例》"},
                                     {"亲属关系证明", false, "皖政办〔2019〕已取消"}})
                  .ok());
  ASSERT_TRUE(publish("2023-07-01", {{"居住证明", true, "《居住证暂行条例》"},
                                     {"亲属关系证明", false, "皖政办〔2019〕已取消"},
                                     {"无犯罪记录证明", false, "由公安机关出具"}})
                  .ok());
  // Bad input names the field and writes nothing; a clerk may not publish; one version a day.
  grpc::Status bad = publish("2023-08-01", {{"居住证明", true, ""}});
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message(), "items[0].legal_basis: each certificate needs its legal basis");
  EXPECT_EQ(publish("2023-08-01", {{"居住证明", true, "x"}}, kClerk).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(publish("2023-07-01", {{"居住证明", true, "x"}}).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(
      publish("2023-07-01", {{"居住证明", true, "x"}}, kReviewer, "340722100999").error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);

  v1::CertificateList list;
  EXPECT_EQ(in_force("2022-12-31", &list).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(in_force("2023-06-30", &list).ok());
  EXPECT_EQ(list.effective_date(), "2023-01-01");
  EXPECT_EQ(list.superseded_date(), "2023-07-01");
  ASSERT_EQ(list.may_issue_size(), 1);
  EXPECT_EQ(list.may_issue(0).name(), "居住证明");
  ASSERT_EQ(list.may_not_issue_size(), 1);
  EXPECT_EQ(list.may_not_issue(0).legal_basis(), "皖政办〔2019〕已取消");
  ASSERT_TRUE(in_force("2023-07-01", &list).ok());
  EXPECT_EQ(list.effective_date(), "2023-07-01");
  EXPECT_TRUE(list.superseded_date().empty());
  EXPECT_EQ(list.may_not_issue_size(), 2);
  EXPECT_EQ(list.published_by(), "reviewer-1");

  v1::ListCertificateListVersionsRequest req;
  req.set_village_code("340722100001");
  v1::ListCertificateListVersionsResponse versions;
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return certificates_->ListCertificateListVersions(c, req, &versions);
              }).ok());
  ASSERT_EQ(versions.lists_size(), 2);  // nothing written by the refused publications
  EXPECT_EQ(versions.lists(1).may_not_issue(1).name(), "无犯罪记录证明");
  // Outside the caller's region.
  v1::GetCertificateListRequest far;
  far.set_village_code("340722100001");
  v1::GetCertificateListResponse ignored;
  EXPECT_EQ(Call(kTownReviewer,
                 [&](auto* c) { return certificates_->GetCertificateList(c, far, &ignored); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace civil::governance
