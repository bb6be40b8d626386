// Integration tests of 双随机、一公开 inspections: the department as the kit builds it on a real
// PostgreSQL and Redis, called over gRPC, on a fixed day (2023-07-15). Institutions are the
// facility register's operating township and smart-care institutions; a draw from a seed is
// recorded with its pools and reproduced from them; results per area, publishing, rectification
// items to closure and the overdue list.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "civil/eldercare/v1/facility.grpc.pb.h"
#include "civil/eldercare/v1/inspection.grpc.pb.h"
#include "services/common/department.h"
#include "services/eldercare/eldercare.h"
#include "services/eldercare/inspection.h"
#include "tests/support/call_as.h"
#include "tests/support/department_test.h"
#include "tests/support/servers.h"

namespace civil::eldercare {
namespace {

using As = civil::testing::TestCaller;
const As kClerk{"clerk-1", "eldercare.clerk", "340722"};
const As kReviewer{"reviewer-1", "eldercare.reviewer", "340722"};
const As kOtherTownshipClerk{"clerk-2", "eldercare.clerk", "340722200"};

std::vector<std::string> Strings(const google::protobuf::RepeatedPtrField<std::string>& r) {
  return {r.begin(), r.end()};
}

class InspectionIntegrationTest : public civil::testing::DepartmentTest {
 protected:
  void SetUp() override {
    setenv("CIVIL_ASSISTANCE_ADDR", "127.0.0.1:1", 1);  // read at wiring, never called here
    today_ = absl::CivilDay(2023, 7, 15);
    StartDepartment(Spec());
    if (HasFatalFailure()) return;
    stub_ = v1::InspectionService::NewStub(host_->Channel());
    facility_stub_ = v1::FacilityService::NewStub(host_->Channel());
  }

  // A facility of `kind` taken to `steps` steps past PLANNED (3 = operating since 2023-04-01).
  std::string Facility(v1::FacilityKind kind, const std::string& name, int steps) {
    v1::CreateFacilityRequest req;
    req.set_kind(kind);
    req.set_name(name);
    req.set_region_code("340722100001");
    req.set_target_year(2023);
    req.set_capacity(50);
    req.set_planned_date("2023-01-10");
    v1::CreateFacilityResponse resp;
    EXPECT_TRUE(
        Call(kClerk, [&](auto* c) { return facility_stub_->CreateFacility(c, req, &resp); }).ok());
    const char* dates[] = {"2023-02-01", "2023-03-01", "2023-04-01"};
    for (int s = 0; s < steps; ++s) {
      v1::AdvanceFacilityRequest adv;
      adv.set_facility_id(resp.facility().facility_id());
      adv.set_status(static_cast<v1::FacilityStatus>(s + 2));
      adv.set_date(dates[s]);
      v1::AdvanceFacilityResponse out;
      EXPECT_TRUE(Call(kClerk, [&](auto* c) {
                    return facility_stub_->AdvanceFacility(c, adv, &out);
                  }).ok());
    }
    return resp.facility().facility_id();
  }

  grpc::Status AddInspector(const std::string& name, const std::string& region,
                            std::string* id = nullptr, const As& as = kReviewer) {
    v1::AddInspectorRequest req;
    req.set_name(name);
    req.set_organisation("县民政局");
    req.set_region_code(region);
    req.set_add_date("2023-01-05");
    v1::AddInspectorResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->AddInspector(c, req, &resp); });
    if (id != nullptr) *id = resp.inspector().inspector_id();
    return s;
  }

  grpc::Status DrawOf(int inspectors, int institutions, uint64_t seed, v1::Draw* out = nullptr) {
    v1::DrawInspectionRequest req;
    req.set_inspectors(inspectors);
    req.set_institutions(institutions);
    req.set_seed(seed);
    req.set_draw_date("2023-07-01");
    v1::DrawInspectionResponse resp;
    grpc::Status s = Call(kReviewer, [&](auto* c) { return stub_->DrawInspection(c, req, &resp); });
    if (out != nullptr) *out = resp.draw();
    return s;
  }

  grpc::Status Result(const std::string& inspection_id, v1::InspectionArea area, bool passed,
                      std::vector<std::pair<std::string, std::string>> items = {},
                      const std::string& date = "2023-07-05", v1::Draw* out = nullptr,
                      const As& as = kClerk) {
    v1::RecordResultRequest req;
    req.set_inspection_id(inspection_id);
    req.set_area(area);
    req.set_passed(passed);
    if (!passed) req.set_findings("消防通道堵塞");
    req.set_inspection_date(date);
    for (const auto& [item, due] : items) {
      v1::RectificationInput* r = req.add_rectifications();
      r->set_item(item);
      r->set_due_date(due);
    }
    v1::RecordResultResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->RecordResult(c, req, &resp); });
    if (out != nullptr) *out = resp.draw();
    return s;
  }

  v1::ListOverdueRectificationsResponse Overdue(const std::string& day = "") {
    v1::ListOverdueRectificationsRequest req;
    req.set_day(day);
    v1::ListOverdueRectificationsResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return stub_->ListOverdueRectifications(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::unique_ptr<v1::InspectionService::Stub> stub_;
  std::unique_ptr<v1::FacilityService::Stub> facility_stub_;
};

TEST_F(InspectionIntegrationTest, ADrawPicksFromThePoolsAndIsReproducedFromItsSeed) {
  // The institutions' pool: operating township and smart-care institutions only.
  Facility(v1::FACILITY_KIND_TOWNSHIP_INSTITUTION, "会宫镇敬老院", 3);
  Facility(v1::FACILITY_KIND_TOWNSHIP_INSTITUTION, "雨坛镇敬老院", 3);
  Facility(v1::FACILITY_KIND_TOWNSHIP_INSTITUTION, "浮山镇敬老院", 3);
  Facility(v1::FACILITY_KIND_SMART_INSTITUTION, "智慧养老院", 3);
  Facility(v1::FACILITY_KIND_TOWNSHIP_INSTITUTION, "在建敬老院", 2);  // completed, not operating
  Facility(v1::FACILITY_KIND_CANTEEN, "老年食堂", 3);                 // not an institution
  // The inspectors' pool: a clerk may not add; one retired before the draw.
  EXPECT_EQ(AddInspector("甲", "340722", nullptr, kClerk).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status bad = AddInspector("甲", "3407221");
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("region_code"), std::string::npos);
  std::string retired;
  for (const char* name : {"张检查", "李检查", "王检查"})
    ASSERT_TRUE(AddInspector(name, "340722").ok());
  ASSERT_TRUE(AddInspector("赵检查", "340722100", &retired).ok());
  v1::RetireInspectorRequest retire;
  retire.set_inspector_id(retired);
  retire.set_date("2023-06-30");
  v1::RetireInspectorResponse gone;
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* c) { return stub_->RetireInspector(c, retire, &gone); }).ok());
  EXPECT_EQ(Call(kReviewer, [&](auto* c) { return stub_->RetireInspector(c, retire, &gone); })
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Too many asked, or too few: refused naming the count, nothing recorded.
  grpc::Status many = DrawOf(4, 1, 7);
  EXPECT_EQ(many.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(many.error_message().find("inspectors: 4 asked, the pool holds 3"), std::string::npos)
      << many.error_message();
  grpc::Status institutions = DrawOf(2, 5, 7);
  EXPECT_EQ(institutions.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(institutions.error_message().find("institutions: 5 asked"), std::string::npos);
  EXPECT_EQ(DrawOf(1, 1, 7).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Count("SELECT count(*) FROM inspection_draws"), 0);

  v1::Draw first;
  ASSERT_TRUE(DrawOf(2, 2, 12345, &first).ok());
  EXPECT_EQ(first.seed(), 12345u);
  EXPECT_EQ(first.algorithm(), "mt19937_64-partial-fisher-yates-v1");
  EXPECT_EQ(first.status(), v1::DRAW_STATUS_DRAWN);
  EXPECT_EQ(first.inspector_pool_size(), 3);
  EXPECT_EQ(first.institution_pool_size(), 4);
  std::vector<std::string> pool = Strings(first.institution_pool());
  EXPECT_TRUE(std::is_sorted(pool.begin(), pool.end()));
  ASSERT_EQ(first.inspectors_size(), 2);
  ASSERT_EQ(first.inspections_size(), 2);
  // Anyone holding the record reproduces the picks with the documented algorithm.
  absl::StatusOr<DrawPicks> replay =
      Draw(first.seed(), Strings(first.inspector_pool()), 2, pool, 2);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->inspectors, (std::vector<std::string>{first.inspectors(0).inspector_id(),
                                                          first.inspectors(1).inspector_id()}));
  EXPECT_EQ(replay->institutions, (std::vector<std::string>{first.inspections(0).facility_id(),
                                                            first.inspections(1).facility_id()}));
  // The same seed again: the same picks. No seed: one is generated and recorded.
  v1::Draw again, fresh;
  ASSERT_TRUE(DrawOf(2, 2, 12345, &again).ok());
  EXPECT_EQ(again.inspections(0).facility_id(), first.inspections(0).facility_id());
  EXPECT_EQ(again.inspections(1).facility_id(), first.inspections(1).facility_id());
  EXPECT_EQ(again.inspectors(0).inspector_id(), first.inspectors(0).inspector_id());
  ASSERT_TRUE(DrawOf(2, 4, 0, &fresh).ok());
  EXPECT_NE(fresh.seed(), 0u);
  v1::GetDrawRequest get;
  get.set_draw_id(fresh.draw_id());
  v1::GetDrawResponse stored;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return stub_->GetDraw(c, get, &stored); }).ok());
  EXPECT_EQ(stored.draw().seed(), fresh.seed());
  absl::StatusOr<DrawPicks> replay_fresh =
      Draw(stored.draw().seed(), Strings(stored.draw().inspector_pool()), 2,
           Strings(stored.draw().institution_pool()), 4);
  ASSERT_TRUE(replay_fresh.ok());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(replay_fresh->institutions[i], stored.draw().inspections(i).facility_id());
  }
  v1::ListDrawsResponse listed;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return stub_->ListDraws(c, v1::ListDrawsRequest(), &listed);
              }).ok());
  ASSERT_EQ(listed.draws_size(), 3);
  EXPECT_EQ(listed.draws(0).draw_id(), fresh.draw_id());  // newest first
}

TEST_F(InspectionIntegrationTest, ResultsThenPublishingAndRectificationsTrackedToClosure) {
  Facility(v1::FACILITY_KIND_TOWNSHIP_INSTITUTION, "会宫镇敬老院", 3);
  Facility(v1::FACILITY_KIND_SMART_INSTITUTION, "智慧养老院", 3);
  for (const char* name : {"张检查", "李检查"}) ASSERT_TRUE(AddInspector(name, "340722").ok());
  v1::Draw draw;
  ASSERT_TRUE(DrawOf(2, 2, 99, &draw).ok());
  const std::string one = draw.inspections(0).inspection_id();
  const std::string two = draw.inspections(1).inspection_id();

  // Bad results write nothing.
  grpc::Status no_items = Result(one, v1::INSPECTION_AREA_FIRE, false);
  EXPECT_EQ(no_items.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(no_items.error_message().find("rectifications"), std::string::npos);
  grpc::Status before_draw = Result(one, v1::INSPECTION_AREA_FOOD, true, {}, "2023-06-30");
  EXPECT_EQ(before_draw.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(before_draw.error_message().find("inspection_date"), std::string::npos);
  EXPECT_EQ(
      Result(one, v1::INSPECTION_AREA_FOOD, true, {}, "2023-07-05", nullptr, kOtherTownshipClerk)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Count("SELECT count(*) FROM inspection_results"), 0);

  // Fire fails with two items; food and medical pass; the same area twice is refused.
  v1::Draw recorded;
  ASSERT_TRUE(Result(one, v1::INSPECTION_AREA_FIRE, false,
                     {{"清理消防通道", "2023-07-10"}, {"更换过期灭火器", "2023-07-31"}},
                     "2023-07-05", &recorded)
                  .ok());
  ASSERT_EQ(recorded.inspections(0).results_size(), 1);
  EXPECT_FALSE(recorded.inspections(0).results(0).passed());
  ASSERT_EQ(recorded.inspections(0).results(0).rectifications_size(), 2);
  EXPECT_EQ(Result(one, v1::INSPECTION_AREA_FIRE, true).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  ASSERT_TRUE(Result(one, v1::INSPECTION_AREA_FOOD, true).ok());
  ASSERT_TRUE(Result(one, v1::INSPECTION_AREA_MEDICAL, true).ok());

  // Publishing waits for every area of every institution drawn.
  v1::PublishDrawRequest publish;
  publish.set_draw_id(draw.draw_id());
  v1::PublishDrawResponse published;
  grpc::Status early =
      Call(kReviewer, [&](auto* c) { return stub_->PublishDraw(c, publish, &published); });
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(early.error_message().find("step: 3 checks are not recorded"), std::string::npos)
      << early.error_message();
  for (v1::InspectionArea area :
       {v1::INSPECTION_AREA_FIRE, v1::INSPECTION_AREA_FOOD, v1::INSPECTION_AREA_MEDICAL}) {
    ASSERT_TRUE(Result(two, area, true, {}, "2023-07-06").ok());
  }
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return stub_->PublishDraw(c, publish, &published); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* c) { return stub_->PublishDraw(c, publish, &published); }).ok());
  EXPECT_EQ(published.draw().status(), v1::DRAW_STATUS_PUBLISHED);
  EXPECT_EQ(published.draw().publish_date(), "2023-07-15");
  EXPECT_EQ(Call(kReviewer, [&](auto* c) { return stub_->PublishDraw(c, publish, &published); })
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  grpc::Status late = Result(two, v1::INSPECTION_AREA_FIRE, true);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(late.error_message().find("step"), std::string::npos);

  // On 07-15 the item due 07-10 is overdue (5 days); the one due 07-31 is not.
  v1::ListOverdueRectificationsResponse overdue = Overdue();
  ASSERT_EQ(overdue.rectifications_size(), 1);
  EXPECT_EQ(overdue.rectifications(0).item(), "清理消防通道");
  EXPECT_EQ(overdue.rectifications(0).days_overdue(), 5);
  EXPECT_EQ(overdue.rectifications(0).facility_name(), draw.inspections(0).facility_name());
  EXPECT_EQ(Overdue("2023-07-10").rectifications_size(), 0);

  v1::CloseRectificationRequest close;
  close.set_rectification_id(overdue.rectifications(0).rectification_id());
  close.set_note("通道已清理");
  close.set_date("2023-07-04");
  v1::CloseRectificationResponse closed;
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return stub_->CloseRectification(c, close, &closed); })
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // before the inspection
  close.set_date("");
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return stub_->CloseRectification(c, close, &closed); }).ok());
  EXPECT_EQ(closed.rectification().close_date(), "2023-07-15");
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return stub_->CloseRectification(c, close, &closed); })
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Overdue().rectifications_size(), 0);
  // As of 07-12 it was still open and overdue.
  EXPECT_EQ(Overdue("2023-07-12").rectifications_size(), 1);
}

}  // namespace
}  // namespace civil::eldercare
