// Integration tests of the child-welfare care records on top of the allowance cases: the yearly
// review, guardian and placement changes, and left-behind children with their visits, with the
// department as the kit builds it (DepartmentHost, the production wiring) on a real PostgreSQL and
// Redis started by the harness, called over gRPC with test tokens.
// (childwelfare_integration_test.cc covers identification, the allowance runs and the summary.)
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>

#include "civil/childwelfare/v1/child.grpc.pb.h"
#include "civil/childwelfare/v1/left_behind.grpc.pb.h"
#include "civil/childwelfare/v1/placement.grpc.pb.h"
#include "civil/childwelfare/v1/review.grpc.pb.h"
#include "civil/childwelfare/v1/summary.grpc.pb.h"
#include "services/childwelfare/childwelfare.h"
#include "services/common/department.h"
#include "tests/support/call_as.h"
#include "tests/support/department_test.h"
#include "tests/support/servers.h"
#include "tests/support/test_ids.h"

namespace civil::childwelfare {
namespace {

using civil::affairs::testing::Id;

using As = civil::testing::TestCaller;
const As kClerk{"clerk-1", "childwelfare.clerk", "340722100"};
const As kTownship{"township-1", "childwelfare.clerk", "340722100"};
const As kReviewer{"reviewer-1", "childwelfare.reviewer", "340722"};
const As kOtherClerk{"clerk-9", "childwelfare.clerk", "340722200"};

constexpr char kVillage[] = "340722100001";

class CareIntegrationTest : public civil::testing::DepartmentTest {
 protected:
  // A move of `child` into the county's welfare home (机构监护) on `date`.
  static v1::ProposePlacementChangeRequest ToTheWelfareHome(const std::string& child,
                                                            const std::string& date) {
    v1::ProposePlacementChangeRequest req;
    req.set_child_id(child);
    req.set_guardian_name("枞阳县儿童福利院");
    req.set_guardian_relation("机构监护");
    req.set_kind(v1::PLACEMENT_KIND_INSTITUTION);
    req.set_placement("枞阳县儿童福利院");
    req.set_reason("祖母病故,无人照料");
    req.set_change_date(date);
    return req;
  }

  void SetUp() override {
    today_ = absl::CivilDay(2024, 6, 15);
    StartDepartment(Spec());
    if (HasFatalFailure()) return;
    children_ = v1::ChildService::NewStub(host_->Channel());
    reviews_ = v1::ChildReviewService::NewStub(host_->Channel());
    placements_ = v1::PlacementService::NewStub(host_->Channel());
    care_ = v1::LeftBehindService::NewStub(host_->Channel());
    summary_ = v1::ChildWelfareSummaryService::NewStub(host_->Channel());
  }

  v1::GetSummaryResponse Summary(const std::string& start, const std::string& end) {
    v1::GetSummaryRequest req;
    req.set_period_start(start);
    req.set_period_end(end);
    v1::GetSummaryResponse resp;
    grpc::Status s = Call(kReviewer, [&](auto* c) { return summary_->GetSummary(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }
  // An orphan (dispersed) identified and approved on `date`; returns the child id.
  std::string Approved(const std::string& id, const std::string& date,
                       v1::Category category = v1::CATEGORY_ORPHAN_DISPERSED) {
    v1::RegisterChildRequest req;
    req.set_name("小明");
    req.set_id_number(id);
    req.set_region_code(kVillage);
    req.set_category(category);
    req.set_father(v1::PARENT_SITUATION_DECEASED);
    req.set_mother(v1::PARENT_SITUATION_DECEASED);
    req.set_guardian_name("王某");
    req.set_guardian_relation("祖母");
    req.set_placement("祖母家");
    req.set_application_date(date);
    v1::RegisterChildResponse registered;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return children_->RegisterChild(c, req, &registered); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    const std::string child_id = registered.child().child_id();
    v1::CheckChildRequest check;
    check.set_child_id(child_id);
    check.set_passed(true);
    check.set_check_date(date);
    v1::CheckChildResponse checked;
    s = Call(kTownship, [&](auto* c) { return children_->CheckChild(c, check, &checked); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::ApproveChildRequest approve;
    approve.set_child_id(child_id);
    approve.set_decision_date(date);
    v1::ApproveChildResponse approved;
    s = Call(kReviewer, [&](auto* c) { return children_->ApproveChild(c, approve, &approved); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return child_id;
  }

  v1::Child Get(const std::string& child_id) {
    v1::GetChildRequest req;
    req.set_child_id(child_id);
    v1::GetChildResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return children_->GetChild(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.child();
  }

  static v1::PrepareReviewRequest Findings(
      const std::string& child_id, const std::string& date,
      v1::ParentSituation father = v1::PARENT_SITUATION_DECEASED,
      v1::ReviewOutcome proposed = v1::REVIEW_OUTCOME_CONTINUE) {
    v1::PrepareReviewRequest req;
    req.set_child_id(child_id);
    req.set_father(father);
    req.set_mother(v1::PARENT_SITUATION_DECEASED);
    req.set_guardian_confirmed(true);
    req.set_placement_confirmed(true);
    req.set_in_school(true);
    req.set_school("枞阳县第一小学");
    req.set_findings("祖母照料良好,按时上学");
    req.set_proposed(proposed);
    req.set_review_date(date);
    return req;
  }
  grpc::Status Prepare(const v1::PrepareReviewRequest& req, v1::Review* out = nullptr,
                       const As& as = kTownship) {
    v1::PrepareReviewResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return reviews_->PrepareReview(c, req, &resp); });
    if (out != nullptr) *out = resp.review();
    return s;
  }
  grpc::Status Decide(const std::string& review_id, v1::ReviewOutcome outcome,
                      const std::string& date, const As& as = kReviewer,
                      v1::DecideReviewResponse* out = nullptr, const std::string& note = "") {
    v1::DecideReviewRequest req;
    req.set_review_id(review_id);
    req.set_outcome(outcome);
    req.set_note(note);
    req.set_decision_date(date);
    v1::DecideReviewResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return reviews_->DecideReview(c, req, &resp); });
    if (out != nullptr) *out = resp;
    return s;
  }
  v1::ListReviewsDueResponse Due(const std::string& as_of, const As& as = kClerk) {
    v1::ListReviewsDueRequest req;
    req.set_as_of(as_of);
    v1::ListReviewsDueResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return reviews_->ListReviewsDue(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::unique_ptr<v1::ChildService::Stub> children_;
  std::unique_ptr<v1::ChildReviewService::Stub> reviews_;
  std::unique_ptr<v1::PlacementService::Stub> placements_;
  std::unique_ptr<v1::LeftBehindService::Stub> care_;
  std::unique_ptr<v1::ChildWelfareSummaryService::Stub> summary_;
};

TEST_F(CareIntegrationTest, ReviewWorklistDecisionByAnotherPersonAndTheNextYear) {
  const std::string overdue = Approved(Id("20150301", true, 1), "2023-03-10");
  const std::string due_soon = Approved(Id("20150401", false, 2), "2023-07-01");
  const std::string not_due = Approved(Id("20150501", true, 3), "2023-09-01");

  v1::ListReviewsDueResponse due = Due("2024-06-15");
  ASSERT_EQ(due.reviews_size(), 2) << due.DebugString();
  EXPECT_EQ(due.reviews(0).child_id(), overdue);
  EXPECT_EQ(due.reviews(0).due_date(), "2024-03-10");
  EXPECT_TRUE(due.reviews(0).overdue());
  EXPECT_EQ(due.reviews(1).child_id(), due_soon);
  EXPECT_FALSE(due.reviews(1).overdue());
  EXPECT_EQ(due.overdue(), 1);
  // The child's name in full for the township's clerk, masked for the county's reviewer.
  EXPECT_EQ(due.reviews(0).name(), "小明");
  EXPECT_EQ(Due("2024-06-15", kReviewer).reviews(0).name(), "小*");
  EXPECT_EQ(Due("2024-06-15", kOtherClerk).reviews_size(), 0);  // another township's
  (void)not_due;

  // Bad input names the field and writes nothing; a future date is refused.
  v1::PrepareReviewRequest bad = Findings(overdue, "2024-06-01");
  bad.set_findings("");
  EXPECT_EQ(Prepare(bad).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  bad = Findings(overdue, "2024-06-16");
  grpc::Status s = Prepare(bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("review_date:", 0), 0u) << s.error_message();
  // Continuing when a parent is found able is refused.
  s = Prepare(Findings(overdue, "2024-06-01", v1::PARENT_SITUATION_ABLE));
  EXPECT_EQ(s.error_message().rfind("proposed:", 0), 0u) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM child_reviews"), 0);
  // Another township may not review this case.
  EXPECT_EQ(Prepare(Findings(overdue, "2024-06-01"), nullptr, kOtherClerk).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::Review review;
  s = Prepare(Findings(overdue, "2024-06-01"), &review);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(review.status(), v1::REVIEW_STATUS_PREPARED);
  EXPECT_TRUE(review.grounds_hold());
  EXPECT_EQ(Prepare(Findings(overdue, "2024-06-02")).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Due("2024-06-15").reviews(0).open_review_id(), review.review_id());

  // The clerk who prepared it may not decide it (maker ≠ checker).
  const As preparer_as_reviewer{"township-1", "childwelfare.reviewer", "340722"};
  EXPECT_EQ(
      Decide(review.review_id(), v1::REVIEW_OUTCOME_CONTINUE, "2024-06-10", preparer_as_reviewer)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::DecideReviewResponse decided;
  s = Decide(review.review_id(), v1::REVIEW_OUTCOME_CONTINUE, "2024-06-10", kReviewer, &decided);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(decided.review().status(), v1::REVIEW_STATUS_DECIDED);
  EXPECT_EQ(decided.review().decided_by(), "reviewer-1");
  EXPECT_EQ(decided.child_status(), v1::CHILD_STATUS_ACTIVE);
  EXPECT_EQ(Decide(review.review_id(), v1::REVIEW_OUTCOME_CONTINUE, "2024-06-10").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Reviewed: off the worklist until a year after the review date.
  due = Due("2024-06-15");
  ASSERT_EQ(due.reviews_size(), 1);
  EXPECT_EQ(due.reviews(0).child_id(), due_soon);
  EXPECT_EQ(due.overdue(), 0);
  v1::GetSummaryResponse summary = Summary("2024-06-01", "2024-06-15");
  EXPECT_EQ(summary.reviews_continued(), 1);
  EXPECT_EQ(summary.reviews_stopped(), 0);
  EXPECT_EQ(summary.reviews_due(), 1);
  EXPECT_EQ(summary.reviews_overdue(), 0);
  summary = Summary("2024-01-01", "2024-05-31");  // before the decision: one overdue
  EXPECT_EQ(summary.reviews_continued(), 0);
  EXPECT_EQ(summary.reviews_overdue(), 1);
  today_ = absl::CivilDay(2025, 6, 2);
  due = Due("2025-06-02");
  bool found = false;
  for (const v1::ReviewDue& d : due.reviews()) {
    if (d.child_id() == overdue) {
      found = true;
      EXPECT_EQ(d.due_date(), "2025-06-01");
      EXPECT_TRUE(d.overdue());
      EXPECT_EQ(d.last_review_date(), "2024-06-01");
    }
  }
  EXPECT_TRUE(found) << due.DebugString();

  v1::ListReviewsRequest list;
  list.set_child_id(overdue);
  v1::ListReviewsResponse reviews;
  s = Call(kClerk, [&](auto* c) { return reviews_->ListReviews(c, list, &reviews); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(reviews.reviews_size(), 1);
  EXPECT_EQ(reviews.reviews(0).outcome(), v1::REVIEW_OUTCOME_CONTINUE);
}

TEST_F(CareIntegrationTest, AnAdverseReviewStopsTheAllowanceAfterTheMonthOfTheDecision) {
  const std::string child = Approved(Id("20150301", true, 4), "2023-03-10");
  v1::Review review;
  grpc::Status s = Prepare(
      Findings(child, "2024-05-20", v1::PARENT_SITUATION_ABLE, v1::REVIEW_OUTCOME_STOP), &review);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(review.grounds_hold());
  // Continuing on grounds that no longer hold is refused; a STOP needs a reason.
  EXPECT_EQ(Decide(review.review_id(), v1::REVIEW_OUTCOME_CONTINUE, "2024-06-03").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  s = Decide(review.review_id(), v1::REVIEW_OUTCOME_STOP, "2024-06-03");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("note:", 0), 0u) << s.error_message();
  EXPECT_EQ(Get(child).status(), v1::CHILD_STATUS_ACTIVE);

  v1::DecideReviewResponse decided;
  s = Decide(review.review_id(), v1::REVIEW_OUTCOME_STOP, "2024-06-03", kReviewer, &decided,
             "父亲刑满释放,能够履行抚养义务");
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(decided.child_status(), v1::CHILD_STATUS_STOPPED);
  EXPECT_EQ(decided.end_month(), "2024-07");
  const v1::Child stopped = Get(child);
  EXPECT_EQ(stopped.status(), v1::CHILD_STATUS_STOPPED);
  EXPECT_EQ(stopped.end_month(), "2024-07");
  EXPECT_EQ(stopped.stop_reason(), v1::STOP_REASON_GUARDIANSHIP_RETURNED);
  EXPECT_EQ(stopped.stop_date(), "2024-06-03");
  // A stopped case is off the worklist, and StopChild cannot claim the review's reason.
  EXPECT_EQ(Due("2024-06-15").reviews_size(), 0);
  v1::StopChildRequest stop;
  stop.set_child_id(child);
  stop.set_reason(v1::STOP_REASON_REVIEW_INELIGIBLE);
  v1::StopChildResponse stop_resp;
  EXPECT_EQ(Call(kReviewer, [&](auto* c) { return children_->StopChild(c, stop, &stop_resp); })
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CareIntegrationTest, APlacementInAnInstitutionIsPaidCentralisedFromTheMonthAfter) {
  today_ = absl::CivilDay(2024, 3, 20);
  const std::string child = Approved(Id("20150301", true, 5), "2024-01-05");
  v1::ProposePlacementChangeRequest req = ToTheWelfareHome(child, "2024-03-20");
  v1::ProposePlacementChangeResponse proposed;
  v1::ProposePlacementChangeRequest bad = req;
  bad.set_kind(v1::PLACEMENT_KIND_UNSPECIFIED);
  grpc::Status s =
      Call(kClerk, [&](auto* c) { return placements_->ProposePlacementChange(c, bad, &proposed); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("kind:", 0), 0u) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM child_placements"), 0);
  s = Call(kClerk, [&](auto* c) { return placements_->ProposePlacementChange(c, req, &proposed); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(proposed.change().effective_month(), "2024-04");
  EXPECT_EQ(proposed.change().category_after(), v1::CATEGORY_ORPHAN_CENTRALISED);

  // March is paid at the dispersed standard before the change is approved.
  v1::RunPaymentsRequest run;
  run.set_month("2024-03");
  v1::RunPaymentsResponse ran;
  s = Call(kReviewer, [&](auto* c) { return children_->RunPayments(c, run, &ran); });
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::DecidePlacementChangeRequest decide;
  decide.set_change_id(proposed.change().change_id());
  decide.set_approved(true);
  v1::DecidePlacementChangeResponse decided;
  // Maker ≠ checker; a change of category is approved from its effective month.
  const As clerk_as_reviewer{"clerk-1", "childwelfare.reviewer", "340722"};
  EXPECT_EQ(Call(clerk_as_reviewer,
                 [&](auto* c) { return placements_->DecidePlacementChange(c, decide, &decided); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  s = Call(kReviewer,
           [&](auto* c) { return placements_->DecidePlacementChange(c, decide, &decided); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind("decision_date:", 0), 0u) << s.error_message();
  EXPECT_EQ(Get(child).category(), v1::CATEGORY_ORPHAN_DISPERSED);

  today_ = absl::CivilDay(2024, 4, 2);
  s = Call(kReviewer,
           [&](auto* c) { return placements_->DecidePlacementChange(c, decide, &decided); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(decided.change().status(), v1::CHANGE_STATUS_APPROVED);
  EXPECT_EQ(decided.change().decision_date(), "2024-04-02");
  const v1::Child moved = Get(child);
  EXPECT_EQ(moved.category(), v1::CATEGORY_ORPHAN_CENTRALISED);
  EXPECT_EQ(moved.guardian_name(), "枞阳县儿童福利院");
  EXPECT_EQ(moved.placement(), "枞阳县儿童福利院");

  run.set_month("2024-04");
  s = Call(kReviewer, [&](auto* c) { return children_->RunPayments(c, run, &ran); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  const v1::Child paid = Get(child);
  ASSERT_EQ(paid.payments_size(), 2);
  EXPECT_EQ(paid.payments(0).month(), "2024-03");
  EXPECT_EQ(paid.payments(0).amount_fen(), 110000);
  EXPECT_EQ(paid.payments(1).month(), "2024-04");
  EXPECT_EQ(paid.payments(1).amount_fen(), 150000);
  EXPECT_EQ(paid.payments(1).category(), v1::CATEGORY_ORPHAN_CENTRALISED);

  v1::ListPlacementChangesRequest list;
  list.set_child_id(child);
  v1::ListPlacementChangesResponse history;
  s = Call(kClerk, [&](auto* c) { return placements_->ListPlacementChanges(c, list, &history); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(history.changes_size(), 1);
  EXPECT_EQ(history.changes(0).category_before(), v1::CATEGORY_ORPHAN_DISPERSED);
  EXPECT_EQ(Call(kOtherClerk,
                 [&](auto* c) { return placements_->ListPlacementChanges(c, list, &history); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CareIntegrationTest, AChangeToACategoryWithoutAStandardIsRefusedNamingTheCategory) {
  today_ = absl::CivilDay(2024, 3, 20);
  const std::string child = Approved(Id("20150301", true, 6), "2024-01-05");
  // The county pays no 集中供养 standard (only the dispersed one is set).
  Count(
      "WITH gone AS (DELETE FROM child_standards WHERE category = 'ORPHAN_CENTRALISED' "
      "RETURNING 1) SELECT count(*) FROM gone");
  v1::ProposePlacementChangeRequest req = ToTheWelfareHome(child, "2024-03-20");
  v1::ProposePlacementChangeResponse proposed;
  grpc::Status s =
      Call(kClerk, [&](auto* c) { return placements_->ProposePlacementChange(c, req, &proposed); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  today_ = absl::CivilDay(2024, 4, 2);
  v1::DecidePlacementChangeRequest decide;
  decide.set_change_id(proposed.change().change_id());
  decide.set_approved(true);
  v1::DecidePlacementChangeResponse decided;
  s = Call(kReviewer,
           [&](auto* c) { return placements_->DecidePlacementChange(c, decide, &decided); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind("category: no standard for ORPHAN_CENTRALISED", 0), 0u)
      << s.error_message();
  // Nothing changed: the case is still dispersed and the change still waits for a decision.
  EXPECT_EQ(Get(child).category(), v1::CATEGORY_ORPHAN_DISPERSED);
  EXPECT_EQ(Count("SELECT count(*) FROM child_placements WHERE status = 'PENDING'"), 1);
  // Refusing the change needs no standard.
  decide.set_approved(false);
  decide.set_note("福利院暂无床位");
  s = Call(kReviewer,
           [&](auto* c) { return placements_->DecidePlacementChange(c, decide, &decided); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(decided.change().status(), v1::CHANGE_STATUS_REJECTED);
}

TEST_F(CareIntegrationTest, LeftBehindChildrenVisitedByTheirWorkersAndCountedPerVillage) {
  today_ = absl::CivilDay(2024, 5, 20);
  auto child = [&](const std::string& id, const std::string& village, v1::CareKind kind) {
    v1::RegisterCareChildRequest req;
    req.set_name("小军");
    req.set_id_number(id);
    req.set_region_code(village);
    req.set_kind(kind);
    req.set_father(v1::WHEREABOUTS_MIGRANT_OUT_OF_PROVINCE);
    req.set_mother(v1::WHEREABOUTS_MIGRANT_IN_PROVINCE);
    req.set_carer_name("张某");
    req.set_carer_relation("祖父");
    req.set_difficulty(kind == v1::CARE_KIND_IN_DIFFICULTY ? "家庭贫困" : "");
    req.set_school(kind == v1::CARE_KIND_LEFT_BEHIND ? "枞阳县浮山中心小学" : "");
    req.set_registration_date("2024-04-02");
    v1::RegisterCareChildResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return care_->RegisterCareChild(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    // What the register keeps: the parents' whereabouts, the carer, the school.
    EXPECT_EQ(resp.child().father(), v1::WHEREABOUTS_MIGRANT_OUT_OF_PROVINCE);
    EXPECT_EQ(resp.child().mother(), v1::WHEREABOUTS_MIGRANT_IN_PROVINCE);
    EXPECT_EQ(resp.child().carer_relation(), "祖父");
    EXPECT_EQ(resp.child().school(), req.school());
    return resp.child().care_id();
  };
  const std::string a = child(Id("20140301", true, 1), "340722100001", v1::CARE_KIND_LEFT_BEHIND);
  const std::string b = child(Id("20150301", false, 2), "340722100002", v1::CARE_KIND_LEFT_BEHIND);
  child(Id("20120301", true, 3), "340722100002", v1::CARE_KIND_IN_DIFFICULTY);
  // A second registration of the same child is refused; another township's is out of scope.
  v1::RegisterCareChildRequest again;
  again.set_name("小军");
  again.set_id_number(Id("20140301", true, 1));
  again.set_region_code("340722100001");
  again.set_kind(v1::CARE_KIND_LEFT_BEHIND);
  again.set_father(v1::WHEREABOUTS_ABROAD);
  again.set_mother(v1::WHEREABOUTS_ABROAD);
  again.set_carer_name("张某");
  again.set_carer_relation("祖父");
  v1::RegisterCareChildResponse ignored;
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return care_->RegisterCareChild(c, again, &ignored); })
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count("SELECT count(*) FROM care_children"), 3);

  auto worker = [&](const std::string& name, v1::WorkerRole role, const std::string& region) {
    v1::RegisterCareWorkerRequest req;
    req.set_name(name);
    req.set_role(role);
    req.set_region_code(region);
    req.set_appointment_date("2023-01-01");
    v1::RegisterCareWorkerResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return care_->RegisterCareWorker(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.worker().worker_id();
  };
  const std::string director = worker("赵主任", v1::WORKER_ROLE_DIRECTOR, "340722100001");
  const std::string supervisor = worker("钱督导", v1::WORKER_ROLE_SUPERVISOR, "340722100");

  v1::RecordCareVisitRequest visit;
  visit.set_care_id(b);
  visit.set_worker_id(director);
  visit.set_findings("祖父照料,学习正常");
  visit.set_visit_date("2024-05-10");
  v1::RecordCareVisitResponse visited;
  // Village 0001's director does not cover village 0002; nothing is written.
  grpc::Status s =
      Call(kClerk, [&](auto* c) { return care_->RecordCareVisit(c, visit, &visited); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind("worker_id:", 0), 0u) << s.error_message();
  visit.set_care_id(a);
  visit.set_follow_up_needed(true);
  s = Call(kClerk, [&](auto* c) { return care_->RecordCareVisit(c, visit, &visited); });
  EXPECT_EQ(s.error_message().rfind("follow_up:", 0), 0u) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM care_visits"), 0);
  visit.set_follow_up("联系学校关注心理状况");
  s = Call(kClerk, [&](auto* c) { return care_->RecordCareVisit(c, visit, &visited); });
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::ListNotVisitedRequest list;
  v1::ListNotVisitedResponse not_visited;
  s = Call(kClerk, [&](auto* c) { return care_->ListNotVisited(c, list, &not_visited); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(not_visited.quarter_start(), "2024-04-01");
  ASSERT_EQ(not_visited.children_size(), 2);
  EXPECT_EQ(not_visited.children(0).region_code(), "340722100002");
  EXPECT_EQ(not_visited.children(0).name(), "小军");
  v1::ListNotVisitedResponse masked;
  s = Call(kReviewer, [&](auto* c) { return care_->ListNotVisited(c, list, &masked); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(masked.children_size(), 2);
  EXPECT_EQ(masked.children(0).name(), "小*");
  // The case worker's list showed two names in full: two rows of the trail, one per child, with
  // the reason; the reviewer's masked list wrote none.
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE record_kind = 'care_child_name' AND "
                  "method = 'ListNotVisited' AND actor = 'clerk-1' AND reason <> ''"),
            2);
  EXPECT_EQ(Count("SELECT count(DISTINCT record_id) FROM id_views WHERE record_kind = "
                  "'care_child_name' AND method = 'ListNotVisited'"),
            2);
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE actor = 'reviewer-1'"), 0);

  v1::GetCareCountsRequest counts_req;
  v1::GetCareCountsResponse counts;
  s = Call(kClerk, [&](auto* c) { return care_->GetCareCounts(c, counts_req, &counts); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(counts.left_behind(), 2);
  EXPECT_EQ(counts.in_difficulty(), 1);
  EXPECT_EQ(counts.visited(), 1);
  EXPECT_EQ(counts.not_visited(), 2);
  EXPECT_EQ(counts.follow_ups(), 1);
  ASSERT_EQ(counts.villages_size(), 2);
  EXPECT_EQ(counts.villages(0).directors(), 1);
  EXPECT_EQ(counts.villages(0).supervisors(), 1);
  EXPECT_EQ(counts.villages(1).children(), 2);
  EXPECT_EQ(counts.villages_without_director(), 1);
  const v1::GetSummaryResponse summary = Summary("2024-04-01", "2024-05-20");
  EXPECT_EQ(summary.left_behind(), 2);
  EXPECT_EQ(summary.in_difficulty(), 1);
  EXPECT_EQ(summary.care_visited(), 1);
  EXPECT_EQ(summary.care_not_visited(), 2);
  EXPECT_EQ(summary.care_follow_ups(), 1);

  // A new quarter: everybody is on the worklist again.
  today_ = absl::CivilDay(2024, 7, 1);
  s = Call(kClerk, [&](auto* c) { return care_->ListNotVisited(c, list, &not_visited); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(not_visited.children_size(), 3);
  // The township's supervisor visits in any of its villages (0002 has no director).
  v1::RecordCareVisitRequest by_supervisor;
  by_supervisor.set_care_id(b);
  by_supervisor.set_worker_id(supervisor);
  by_supervisor.set_findings("父母春节后返乡,祖父照料");
  by_supervisor.set_visit_date("2024-07-01");
  s = Call(kClerk, [&](auto* c) { return care_->RecordCareVisit(c, by_supervisor, &visited); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Call(kClerk, [&](auto* c) { return care_->ListNotVisited(c, list, &not_visited); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(not_visited.children_size(), 2);
}

}  // namespace
}  // namespace civil::childwelfare
