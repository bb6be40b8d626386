// Integration tests of the weekly visits (探访关爱): the department as the kit builds it
// (DepartmentHost, the production wiring) on a real PostgreSQL and Redis started by the harness,
// called over gRPC with the identities the gateway forwards, on a fixed day (Saturday 2023-07-15,
// ISO week 2023-W28: Monday 07-10 to Sunday 07-16). A pilot is declared, persons registered,
// visits recorded; the week's worklist shrinks, follow-ups close once, the summary counts it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "civil/eldercare/v1/summary.grpc.pb.h"
#include "civil/eldercare/v1/visit.grpc.pb.h"
#include "services/common/department.h"
#include "services/eldercare/eldercare.h"
#include "tests/support/call_as.h"
#include "tests/support/department_test.h"
#include "tests/support/servers.h"
#include "tests/support/test_ids.h"

namespace civil::eldercare {
namespace {

using civil::affairs::testing::Id;

using As = civil::testing::TestCaller;
const As kClerk{"clerk-1", "eldercare.clerk", "340722"};
const As kReviewer{"reviewer-1", "eldercare.reviewer", "340722"};
const As kTownshipReviewer{"reviewer-2", "eldercare.reviewer", "340722100"};
const As kTownshipClerk{"clerk-2", "eldercare.clerk", "340722200"};

constexpr char kPilot[] = "340722100";  // 会宫镇
constexpr char kOther[] = "340722200";

class VisitIntegrationTest : public civil::testing::DepartmentTest {
 protected:
  void SetUp() override {
    setenv("CIVIL_ASSISTANCE_ADDR", "127.0.0.1:1", 1);  // read at wiring, never called here
    today_ = absl::CivilDay(2023, 7, 15);
    StartDepartment(Spec());
    if (HasFatalFailure()) return;
    stub_ = v1::VisitService::NewStub(host_->Channel());
    summary_stub_ = v1::EldercareSummaryService::NewStub(host_->Channel());
  }

  grpc::Status Declare(const std::string& township, const std::string& name,
                       const std::string& start, const As& as = kReviewer) {
    v1::DeclarePilotRequest req;
    req.set_township_code(township);
    req.set_township_name(name);
    req.set_start_date(start);
    v1::DeclarePilotResponse resp;
    return Call(as, [&](auto* c) { return stub_->DeclarePilot(c, req, &resp); });
  }

  grpc::Status Register(const std::string& id, const std::string& region, const std::string& date,
                        std::string* person_id = nullptr) {
    v1::RegisterPersonRequest req;
    req.set_name("独居老人");
    req.set_id_number(id);
    req.set_region_code(region);
    req.set_circumstances("特困, 独居");
    req.set_register_date(date);
    v1::RegisterPersonResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return stub_->RegisterPerson(c, req, &resp); });
    if (person_id != nullptr) *person_id = resp.person().person_id();
    return s;
  }

  grpc::Status Visit(const std::string& id, const std::string& date, bool follow_up = false,
                     v1::Visit* out = nullptr, const As& as = kClerk) {
    v1::RecordVisitRequest req;
    req.set_id_number(id);
    req.set_visit_date(date);
    req.set_visitor("网格员王某");
    req.set_findings("身体尚可");
    req.set_follow_up_needed(follow_up);
    if (follow_up) req.set_follow_up("联系卫生院上门");
    v1::RecordVisitResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->RecordVisit(c, req, &resp); });
    if (out != nullptr) *out = resp.visit();
    return s;
  }

  v1::ListUnvisitedResponse Unvisited(const std::string& township, const std::string& day = "",
                                      int page_size = 0, const std::string& token = "",
                                      grpc::Status* status = nullptr) {
    v1::ListUnvisitedRequest req;
    req.set_township_code(township);
    req.set_day(day);
    req.set_page_size(page_size);
    req.set_page_token(token);
    v1::ListUnvisitedResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return stub_->ListUnvisited(c, req, &resp); });
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return resp;
  }

  v1::GetSummaryResponse Summary(const std::string& start, const std::string& end,
                                 const As& as = kReviewer) {
    v1::GetSummaryRequest req;
    req.set_period_start(start);
    req.set_period_end(end);
    v1::GetSummaryResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return summary_stub_->GetSummary(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::unique_ptr<v1::VisitService::Stub> stub_;
  std::unique_ptr<v1::EldercareSummaryService::Stub> summary_stub_;
};

TEST_F(VisitIntegrationTest, APilotIsDeclaredOnceByAReviewerWithinTheirRegion) {
  // A clerk may not; bad input names the field; a reviewer of another township is refused.
  EXPECT_EQ(Declare(kPilot, "会宫镇", "2023-03-01", kClerk).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status village = Declare("340722100001", "会宫镇", "");
  EXPECT_EQ(village.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(village.error_message().find("township_code"), std::string::npos);
  grpc::Status future = Declare(kPilot, "会宫镇", "2023-07-16");
  EXPECT_EQ(future.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(future.error_message().find("start_date"), std::string::npos);
  EXPECT_EQ(Declare(kOther, "雨坛镇", "", kTownshipReviewer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_pilots"), 0);

  ASSERT_TRUE(Declare(kPilot, "会宫镇", "2023-03-01").ok());
  EXPECT_EQ(Declare(kPilot, "会宫镇", "2023-04-01").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  v1::ListPilotsResponse list;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return stub_->ListPilots(c, v1::ListPilotsRequest(), &list);
              }).ok());
  ASSERT_EQ(list.pilots_size(), 1);
  EXPECT_EQ(list.pilots(0).township_name(), "会宫镇");
  EXPECT_EQ(list.pilots(0).start_date(), "2023-03-01");

  // Ended on a day, once, never before its start.
  v1::EndPilotRequest end;
  end.set_township_code(kPilot);
  end.set_end_date("2023-02-28");
  v1::EndPilotResponse ended;
  grpc::Status early = Call(kReviewer, [&](auto* c) { return stub_->EndPilot(c, end, &ended); });
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(early.error_message().find("end_date"), std::string::npos);
  end.set_end_date("2023-07-14");
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) { return stub_->EndPilot(c, end, &ended); }).ok());
  EXPECT_EQ(ended.pilot().end_date(), "2023-07-14");
  grpc::Status twice = Call(kReviewer, [&](auto* c) { return stub_->EndPilot(c, end, &ended); });
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(twice.error_message().find("step"), std::string::npos);
  // Ended yesterday: no worklist today.
  grpc::Status worklist;
  Unvisited(kPilot, "", 0, "", &worklist);
  EXPECT_EQ(worklist.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(worklist.error_message().find("township_code"), std::string::npos);
}

TEST_F(VisitIntegrationTest, TheWeeksWorklistShrinksAsPersonsAreVisited) {
  ASSERT_TRUE(Declare(kPilot, "会宫镇", "2023-03-01").ok());
  const std::string a = Id("19400101", true, 1), b = Id("19410202", false, 2),
                    c = Id("19420303", true, 3), elsewhere = Id("19430404", false, 4);
  std::string a_id, b_id, c_id;
  ASSERT_TRUE(Register(a, "340722100001", "2023-05-01", &a_id).ok());
  ASSERT_TRUE(Register(b, "340722100002", "2023-05-01", &b_id).ok());
  ASSERT_TRUE(Register(c, "340722100002", "2023-07-01", &c_id).ok());
  ASSERT_TRUE(Register(elsewhere, "340722200001", "2023-05-01").ok());
  EXPECT_EQ(Register(a, "340722100001", "").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  grpc::Status young = Register(Id("19700101", true, 5), "340722100001", "");
  EXPECT_EQ(young.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(young.error_message().find("id_number"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_persons"), 4);

  // Nobody visited this week: all three of the pilot township, in pages.
  v1::ListUnvisitedResponse first = Unvisited(kPilot, "", 2);
  EXPECT_EQ(first.iso_week(), "2023-W28");
  EXPECT_EQ(first.week_start(), "2023-07-10");
  EXPECT_EQ(first.week_end(), "2023-07-16");
  EXPECT_EQ(first.registered(), 3);
  EXPECT_EQ(first.unvisited(), 3);
  ASSERT_EQ(first.persons_size(), 2);
  EXPECT_EQ(first.persons(0).person_id(), a_id);
  ASSERT_FALSE(first.next_page_token().empty());
  v1::ListUnvisitedResponse second = Unvisited(kPilot, "", 2, first.next_page_token());
  ASSERT_EQ(second.persons_size(), 1);
  EXPECT_EQ(second.persons(0).person_id(), c_id);
  EXPECT_TRUE(second.next_page_token().empty());

  // Bad visits write nothing: unregistered, before the registration, outside a pilot, outside
  // the clerk's region, a follow-up without its text, a future date.
  grpc::Status unregistered = Visit(Id("19450505", true, 6), "");
  EXPECT_EQ(unregistered.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(unregistered.error_message().find("id_number"), std::string::npos);
  EXPECT_EQ(Visit(c, "2023-06-30").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  grpc::Status no_pilot = Visit(elsewhere, "");
  EXPECT_EQ(no_pilot.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(no_pilot.error_message().find("township"), std::string::npos);
  EXPECT_EQ(Visit(a, "", false, nullptr, kTownshipClerk).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::RecordVisitRequest no_text;
  no_text.set_id_number(a);
  no_text.set_visitor("王某");
  no_text.set_findings("家中漏雨");
  no_text.set_follow_up_needed(true);
  v1::RecordVisitResponse ignored;
  grpc::Status missing =
      Call(kClerk, [&](auto* ctx) { return stub_->RecordVisit(ctx, no_text, &ignored); });
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(missing.error_message().find("follow_up"), std::string::npos);
  grpc::Status future = Visit(a, "2023-07-16");
  EXPECT_EQ(future.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(future.error_message().find("visit_date"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM visits"), 0);

  // A visited this week (with a follow-up), B last week: the worklist is B and C.
  v1::Visit va, vb;
  ASSERT_TRUE(Visit(a, "2023-07-10", true, &va).ok());
  EXPECT_EQ(va.iso_week(), "2023-W28");
  EXPECT_EQ(va.person_id(), a_id);
  ASSERT_TRUE(Visit(b, "2023-07-09", false, &vb).ok());
  v1::ListUnvisitedResponse now = Unvisited(kPilot);
  EXPECT_EQ(now.unvisited(), 2);
  ASSERT_EQ(now.persons_size(), 2);
  EXPECT_EQ(now.persons(0).person_id(), b_id);
  EXPECT_EQ(now.persons(0).last_visit_date(), "2023-07-09");
  EXPECT_EQ(now.persons(1).person_id(), c_id);
  EXPECT_EQ(now.persons(1).last_visit_date(), "");
  // Last week (07-03..07-09): B was visited; A was not; C was on the register from 07-01.
  v1::ListUnvisitedResponse last = Unvisited(kPilot, "2023-07-05");
  EXPECT_EQ(last.iso_week(), "2023-W27");
  EXPECT_EQ(last.registered(), 3);
  EXPECT_EQ(last.unvisited(), 2);

  // Follow-ups: open until closed, once, never before the visit; B's visit needs none.
  v1::ListVisitsRequest open;
  open.set_open_follow_ups(true);
  v1::ListVisitsResponse listed;
  ASSERT_TRUE(Call(kClerk, [&](auto* ctx) { return stub_->ListVisits(ctx, open, &listed); }).ok());
  ASSERT_EQ(listed.visits_size(), 1);
  EXPECT_EQ(listed.visits(0).visit_id(), va.visit_id());
  v1::CloseFollowUpRequest close;
  close.set_visit_id(vb.visit_id());
  close.set_note("无需跟进");
  v1::CloseFollowUpResponse closed;
  grpc::Status none =
      Call(kClerk, [&](auto* ctx) { return stub_->CloseFollowUp(ctx, close, &closed); });
  EXPECT_EQ(none.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(none.error_message().find("step"), std::string::npos);
  close.set_visit_id(va.visit_id());
  close.set_date("2023-07-09");
  EXPECT_EQ(Call(kClerk, [&](auto* ctx) { return stub_->CloseFollowUp(ctx, close, &closed); })
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  close.set_date("2023-07-12");
  close.set_note("卫生院已上门");
  ASSERT_TRUE(
      Call(kClerk, [&](auto* ctx) { return stub_->CloseFollowUp(ctx, close, &closed); }).ok());
  EXPECT_EQ(closed.visit().follow_up_close_date(), "2023-07-12");
  EXPECT_EQ(Call(kClerk, [&](auto* ctx) { return stub_->CloseFollowUp(ctx, close, &closed); })
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  listed.Clear();
  ASSERT_TRUE(Call(kClerk, [&](auto* ctx) { return stub_->ListVisits(ctx, open, &listed); }).ok());
  EXPECT_EQ(listed.visits_size(), 0);

  // C taken off the register today: no longer on the worklist.
  v1::DeregisterPersonRequest dereg;
  dereg.set_person_id(c_id);
  dereg.set_reason("随子女迁出");
  v1::DeregisterPersonResponse gone;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* ctx) { return stub_->DeregisterPerson(ctx, dereg, &gone); }).ok());
  EXPECT_EQ(gone.person().deregister_date(), "2023-07-15");
  EXPECT_EQ(Call(kClerk, [&](auto* ctx) { return stub_->DeregisterPerson(ctx, dereg, &gone); })
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::ListUnvisitedResponse after = Unvisited(kPilot);
  EXPECT_EQ(after.registered(), 2);
  EXPECT_EQ(after.unvisited(), 1);
  // Another township: no programme, refused naming the field.
  grpc::Status other;
  Unvisited(kOther, "", 0, "", &other);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(other.error_message().find("township_code"), std::string::npos);
}

TEST_F(VisitIntegrationTest, TheSummaryCountsThePilotsRunningInThePeriodByName) {
  ASSERT_TRUE(Declare(kPilot, "会宫镇", "2023-03-01").ok());
  ASSERT_TRUE(Declare(kOther, "", "2023-07-01").ok());  // no name: shown by its code
  const std::string a = Id("19400101", true, 1);
  ASSERT_TRUE(Register(a, "340722100001", "2023-05-01").ok());
  ASSERT_TRUE(Visit(a, "2023-06-05").ok());
  ASSERT_TRUE(Visit(a, "2023-07-10").ok());

  v1::GetSummaryResponse half = Summary("2023-01-01", "2023-07-15");
  EXPECT_EQ(half.visit_pilot_townships(), 2);
  ASSERT_EQ(half.visit_pilot_names_size(), 2);
  EXPECT_EQ(half.visit_pilot_names(0), "会宫镇");
  EXPECT_EQ(half.visit_pilot_names(1), kOther);
  EXPECT_EQ(half.visits(), 2);
  EXPECT_EQ(half.persons_visited(), 1);
  bool found = false;
  for (const std::string& line : half.lines()) {
    if (line ==
        "在会宫镇、340722200开展特殊困难老年人探视走访试点项目试点,"
        "实施特殊困难独居老年人周探访") {
      found = true;
    }
  }
  EXPECT_TRUE(found) << half.DebugString();
  // June: only 会宫镇 ran; one visit.
  v1::GetSummaryResponse june = Summary("2023-06-01", "2023-06-30");
  EXPECT_EQ(june.visit_pilot_townships(), 1);
  EXPECT_EQ(june.visits(), 1);
  // Before any programme: none, and the sentence says so.
  v1::GetSummaryResponse early = Summary("2023-01-01", "2023-02-28");
  EXPECT_EQ(early.visit_pilot_townships(), 0);
  EXPECT_EQ(early.lines(early.lines_size() - 1), "未开展特殊困难老年人探视走访试点");
  // A reviewer of 会宫镇 sees only theirs.
  v1::GetSummaryResponse township = Summary("2023-01-01", "2023-07-15", kTownshipReviewer);
  EXPECT_EQ(township.visit_pilot_townships(), 1);
  EXPECT_EQ(township.visits(), 2);
}

}  // namespace
}  // namespace civil::eldercare
