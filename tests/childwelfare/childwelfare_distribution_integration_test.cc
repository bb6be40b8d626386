// Integration tests of care distributions (关爱物资 / 慰问金) with the department as the kit builds
// it (DepartmentHost, the production wiring) on a real PostgreSQL and Redis started by the
// harness, called over gRPC with test tokens: health packs at an event, condolence money to
// registered children of both registers, what is refused (and writes nothing), the list with
// children's names masked for those who are not the child's township case workers, and the
// summary's figures and sentence.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "civil/childwelfare/v1/child.grpc.pb.h"
#include "civil/childwelfare/v1/distribution.grpc.pb.h"
#include "civil/childwelfare/v1/left_behind.grpc.pb.h"
#include "civil/childwelfare/v1/summary.grpc.pb.h"
#include "services/childwelfare/childwelfare.h"
#include "tests/support/call_as.h"
#include "tests/support/department_test.h"
#include "tests/support/test_ids.h"

namespace civil::childwelfare {
namespace {

using civil::affairs::testing::Id;

using As = civil::testing::TestCaller;
const As kClerk{"clerk-1", "childwelfare.clerk", "340722100"};
const As kTownship{"township-1", "childwelfare.clerk", "340722100"};
const As kReviewer{"reviewer-1", "childwelfare.reviewer", "340722"};
const As kOtherClerk{"clerk-9", "childwelfare.clerk", "340722200"};
const As kAuditor{"auditor-1", "auditor", "340722"};

class DistributionIntegrationTest : public civil::testing::DepartmentTest {
 protected:
  void SetUp() override {
    today_ = absl::CivilDay(2023, 6, 30);
    StartDepartment(Spec());
    if (HasFatalFailure()) return;
    children_ = v1::ChildService::NewStub(host_->Channel());
    care_ = v1::LeftBehindService::NewStub(host_->Channel());
    distributions_ = v1::CareDistributionService::NewStub(host_->Channel());
    summary_ = v1::ChildWelfareSummaryService::NewStub(host_->Channel());
  }

  // An orphan identified and approved on `date` in `village`; returns the child id.
  std::string Orphan(const std::string& id, const std::string& name, const std::string& date,
                     const std::string& village = "340722100001") {
    v1::RegisterChildRequest req;
    req.set_name(name);
    req.set_id_number(id);
    req.set_region_code(village);
    req.set_category(v1::CATEGORY_ORPHAN_DISPERSED);
    req.set_father(v1::PARENT_SITUATION_DECEASED);
    req.set_mother(v1::PARENT_SITUATION_DECEASED);
    req.set_guardian_name("王某");
    req.set_guardian_relation("祖母");
    req.set_placement("祖母家");
    req.set_application_date(date);
    const As clerk{"clerk-1", "childwelfare.clerk", village.substr(0, 9)};
    const As township{"township-1", "childwelfare.clerk", village.substr(0, 9)};
    v1::RegisterChildResponse registered;
    grpc::Status s =
        Call(clerk, [&](auto* c) { return children_->RegisterChild(c, req, &registered); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    const std::string child_id = registered.child().child_id();
    v1::CheckChildRequest check;
    check.set_child_id(child_id);
    check.set_passed(true);
    check.set_check_date(date);
    v1::CheckChildResponse checked;
    s = Call(township, [&](auto* c) { return children_->CheckChild(c, check, &checked); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::ApproveChildRequest approve;
    approve.set_child_id(child_id);
    approve.set_decision_date(date);
    v1::ApproveChildResponse approved;
    s = Call(kReviewer, [&](auto* c) { return children_->ApproveChild(c, approve, &approved); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return child_id;
  }

  std::string LeftBehind(const std::string& id, const std::string& name) {
    v1::RegisterCareChildRequest req;
    req.set_name(name);
    req.set_id_number(id);
    req.set_region_code("340722100002");
    req.set_kind(v1::CARE_KIND_LEFT_BEHIND);
    req.set_father(v1::WHEREABOUTS_MIGRANT_OUT_OF_PROVINCE);
    req.set_mother(v1::WHEREABOUTS_MIGRANT_IN_PROVINCE);
    req.set_carer_name("张某");
    req.set_carer_relation("祖父");
    req.set_registration_date("2023-03-01");
    v1::RegisterCareChildResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return care_->RegisterCareChild(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.child().care_id();
  }

  static v1::RecordDistributionRequest Packs(int quantity, const std::string& date) {
    v1::RecordDistributionRequest req;
    req.set_kind(v1::DISTRIBUTION_KIND_HEALTH_PACKS);
    req.set_quantity(quantity);
    req.set_region_code("340722100");
    req.set_distribution_date(date);
    req.set_campaign("社会散居孤儿、事实无人抚养儿童、农村留守儿童走访慰问活动");
    req.set_giver("县民政局");
    return req;
  }
  static void AddRecipient(v1::RecordDistributionRequest* req, v1::RecipientRegister registry,
                           const std::string& id, int64_t fen) {
    v1::RecipientInput* r = req->add_recipients();
    r->set_registry(registry);
    r->set_id(id);
    r->set_amount_fen(fen);
  }
  static v1::RecordDistributionRequest Money(const std::string& date) {
    v1::RecordDistributionRequest req = Packs(0, date);
    req.set_kind(v1::DISTRIBUTION_KIND_CONDOLENCE_MONEY);
    req.set_campaign("困难儿童慰问");
    return req;
  }

  grpc::Status Record(const v1::RecordDistributionRequest& req, v1::Distribution* out = nullptr,
                      const As& as = kClerk) {
    v1::RecordDistributionResponse resp;
    grpc::Status s =
        Call(as, [&](auto* c) { return distributions_->RecordDistribution(c, req, &resp); });
    if (out != nullptr) *out = resp.distribution();
    return s;
  }

  v1::ListDistributionsResponse List(const As& as, v1::ListDistributionsRequest req = {}) {
    v1::ListDistributionsResponse resp;
    grpc::Status s =
        Call(as, [&](auto* c) { return distributions_->ListDistributions(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
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

  int64_t Written() {
    return Count("SELECT count(*) FROM care_distributions") +
           Count("SELECT count(*) FROM care_distribution_recipients");
  }

  std::unique_ptr<v1::ChildService::Stub> children_;
  std::unique_ptr<v1::LeftBehindService::Stub> care_;
  std::unique_ptr<v1::CareDistributionService::Stub> distributions_;
  std::unique_ptr<v1::ChildWelfareSummaryService::Stub> summary_;
};

TEST_F(DistributionIntegrationTest, PacksAndMoneyAreRecordedListedAndCountedInTheSummary) {
  const std::string orphan = Orphan(Id("20150301", true, 1), "张小明", "2023-01-05");
  const std::string left_behind = LeftBehind(Id("20160401", false, 2), "李小红");

  v1::Distribution packs;
  grpc::Status s = Record(Packs(800, "2023-05-20"), &packs);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(packs.item(), "健康包");
  EXPECT_EQ(packs.quantity(), 800);
  // Goods may name the children who received them.
  v1::RecordDistributionRequest named = Packs(7, "2023-06-01");
  AddRecipient(&named, v1::RECIPIENT_REGISTER_CHILD, orphan, 0);
  ASSERT_TRUE(Record(named).ok());

  v1::RecordDistributionRequest money = Money("2023-06-10");
  AddRecipient(&money, v1::RECIPIENT_REGISTER_CHILD, orphan, 50000);
  AddRecipient(&money, v1::RECIPIENT_REGISTER_CARE, left_behind, 50000);
  v1::Distribution paid;
  s = Record(money, &paid);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(paid.total_fen(), 100000);
  ASSERT_EQ(paid.recipients_size(), 2);
  EXPECT_EQ(paid.recipients(0).name(), "张小明");  // the township's own clerk
  EXPECT_EQ(paid.recipients(1).region_code(), "340722100002");
  // The same child again later in the period counts once among the children, twice in money.
  v1::RecordDistributionRequest again = Money("2023-06-20");
  AddRecipient(&again, v1::RECIPIENT_REGISTER_CHILD, orphan, 20000);
  ASSERT_TRUE(Record(again).ok());
  // Outside the period: not counted.
  ASSERT_TRUE(Record(Packs(50, "2022-12-31")).ok());

  const v1::GetSummaryResponse summary = Summary("2023-01-01", "2023-06-30");
  EXPECT_EQ(summary.health_packs(), 807);
  EXPECT_EQ(summary.condolence_children(), 2);
  EXPECT_EQ(summary.condolence_paid_fen(), 120000);
  ASSERT_EQ(summary.lines_size(), 4) << summary.DebugString();
  EXPECT_EQ(summary.lines(3), "发放“健康包”807份,对生活困难的2名儿童发放慰问金0.12万元");

  // The list: paged, filtered by period and kind, names in full only for the township's clerks.
  v1::ListDistributionsRequest period;
  period.set_period_start("2023-01-01");
  period.set_period_end("2023-06-30");
  period.set_page_size(2);
  v1::ListDistributionsResponse page = List(kClerk, period);
  ASSERT_EQ(page.distributions_size(), 2);
  EXPECT_EQ(page.distributions(0).distribution_id(), packs.distribution_id());
  ASSERT_FALSE(page.next_page_token().empty());
  period.set_page_token(page.next_page_token());
  page = List(kClerk, period);
  ASSERT_EQ(page.distributions_size(), 2);
  EXPECT_TRUE(page.next_page_token().empty());
  EXPECT_EQ(page.distributions(0).recipients(0).name(), "张小明");
  EXPECT_EQ(page.distributions(0).recipients(1).name(), "李小红");
  EXPECT_NE(page.distributions(0).recipients(1).id_number_masked().find('*'), std::string::npos);

  v1::ListDistributionsRequest money_only;
  money_only.set_kind(v1::DISTRIBUTION_KIND_CONDOLENCE_MONEY);
  for (const As& as : {kReviewer, kAuditor}) {
    page = List(as, money_only);
    ASSERT_EQ(page.distributions_size(), 2);
    EXPECT_EQ(page.distributions(0).recipients(0).name(), "张*明");
    EXPECT_EQ(page.distributions(0).recipients(1).name(), "李*红");
  }
  // One campaign's distributions (the money was given in 困难儿童慰问).
  v1::ListDistributionsRequest campaign;
  campaign.set_campaign("困难儿童慰问");
  page = List(kReviewer, campaign);
  ASSERT_EQ(page.distributions_size(), 2);
  for (const v1::Distribution& d : page.distributions()) {
    EXPECT_EQ(d.kind(), v1::DISTRIBUTION_KIND_CONDOLENCE_MONEY);
    EXPECT_EQ(d.campaign(), "困难儿童慰问");
  }
  campaign.set_campaign("没有这个活动");
  EXPECT_EQ(List(kReviewer, campaign).distributions_size(), 0);
  campaign.set_campaign(std::string(201, 'x'));
  v1::ListDistributionsResponse too_long;
  const grpc::Status refused = Call(kReviewer, [&](auto* c) {
    return distributions_->ListDistributions(c, campaign, &too_long);
  });
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message().rfind("campaign:", 0), 0u) << refused.error_message();
  // Another township's clerk sees none of this township's distributions.
  EXPECT_EQ(List(kOtherClerk).distributions_size(), 0);
  v1::ListDistributionsRequest elsewhere;
  elsewhere.set_region_prefix("340722100");
  v1::ListDistributionsResponse ignored;
  EXPECT_EQ(Call(kOtherClerk,
                 [&](auto* c) { return distributions_->ListDistributions(c, elsewhere, &ignored); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(DistributionIntegrationTest, BadInputAndChildrenNotRegisteredHereWriteNothing) {
  const std::string orphan = Orphan(Id("20150301", true, 3), "王小刚", "2023-02-01");
  const std::string elsewhere =
      Orphan(Id("20150501", false, 4), "赵小丽", "2023-02-01", "340722200001");
  const std::string pending = [&] {
    v1::RegisterChildRequest req;
    req.set_name("钱小二");
    req.set_id_number(Id("20150601", true, 5));
    req.set_region_code("340722100001");
    req.set_category(v1::CATEGORY_ORPHAN_DISPERSED);
    req.set_father(v1::PARENT_SITUATION_DECEASED);
    req.set_mother(v1::PARENT_SITUATION_DECEASED);
    req.set_guardian_name("钱某");
    req.set_guardian_relation("祖父");
    req.set_placement("祖父家");
    v1::RegisterChildResponse resp;
    EXPECT_TRUE(
        Call(kClerk, [&](auto* c) { return children_->RegisterChild(c, req, &resp); }).ok());
    return resp.child().child_id();
  }();

  auto expect_refused = [&](const v1::RecordDistributionRequest& req, grpc::StatusCode code,
                            const std::string& field, const As& as = kClerk) {
    const grpc::Status s = Record(req, nullptr, as);
    EXPECT_EQ(s.error_code(), code) << s.error_message();
    EXPECT_EQ(s.error_message().rfind(field + ":", 0), 0u) << s.error_message();
  };
  v1::RecordDistributionRequest req = Money("2023-06-10");
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, orphan, 50000);
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, pending, 0);
  expect_refused(req, grpc::StatusCode::INVALID_ARGUMENT, "recipients[1].amount_fen");
  req = Money("2023-06-10");
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, orphan, 50000);
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, orphan, 50000);
  expect_refused(req, grpc::StatusCode::INVALID_ARGUMENT, "recipients[1].id");
  req = Money("2023-07-01");  // the future
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, orphan, 50000);
  expect_refused(req, grpc::StatusCode::INVALID_ARGUMENT, "distribution_date");
  expect_refused(Packs(0, "2023-06-01"), grpc::StatusCode::INVALID_ARGUMENT, "quantity");
  // A child of another township, one not approved, and one unknown: the first good one is not
  // written either.
  req = Money("2023-06-10");
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, orphan, 50000);
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, elsewhere, 50000);
  expect_refused(req, grpc::StatusCode::FAILED_PRECONDITION, "recipients[1].id");
  req = Money("2023-06-10");
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, orphan, 50000);
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, pending, 50000);
  expect_refused(req, grpc::StatusCode::FAILED_PRECONDITION, "recipients[1].id");
  req = Money("2023-06-10");
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CARE, orphan, 50000);  // a child_id is no care_id
  expect_refused(req, grpc::StatusCode::NOT_FOUND, "recipients[0].id");
  // Before the approval the orphan was not registered.
  req = Money("2023-01-31");
  AddRecipient(&req, v1::RECIPIENT_REGISTER_CHILD, orphan, 50000);
  expect_refused(req, grpc::StatusCode::FAILED_PRECONDITION, "recipients[0].id");
  // A township outside the caller's scope.
  v1::RecordDistributionRequest other = Packs(10, "2023-06-01");
  other.set_region_code("340722200");
  expect_refused(other, grpc::StatusCode::PERMISSION_DENIED, "region_code");
  // An auditor may not record.
  EXPECT_EQ(Record(Packs(10, "2023-06-01"), nullptr, kAuditor).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Written(), 0);

  // The other township's own clerk records there.
  v1::Distribution recorded;
  const grpc::Status s = Record(other, &recorded, kOtherClerk);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Written(), 1);
  // A distribution is a fact: the table refuses an edit.
  EXPECT_THROW(Count("WITH u AS (UPDATE care_distributions SET quantity = 1 RETURNING 1) "
                     "SELECT count(*) FROM u"),
               pqxx::sql_error);
}

}  // namespace
}  // namespace civil::childwelfare
