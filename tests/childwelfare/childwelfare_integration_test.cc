// Integration tests of the child-welfare department: the department as the kit builds it
// (DepartmentHost, the production wiring) on a real PostgreSQL and Redis started by the harness
// (tests/support/servers.h), called over gRPC with the identities the gateway forwards. Deaths
// arrive as affairs publishes them: a PersonDeceased in an outbox, relayed to Redis, consumed.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "civil/childwelfare/v1/bank_file.grpc.pb.h"
#include "civil/childwelfare/v1/child.grpc.pb.h"
#include "civil/childwelfare/v1/summary.grpc.pb.h"
#include "civil/events/v1/events.pb.h"
#include "services/childwelfare/childwelfare.h"
#include "services/common/department.h"
#include "services/common/events.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/pii.h"
#include "services/common/redis.h"
#include "tests/support/call_as.h"
#include "tests/support/department_test.h"
#include "tests/support/grievance_steps.h"
#include "tests/support/servers.h"
#include "tests/support/test_ids.h"

namespace civil::childwelfare {
namespace {

using civil::affairs::testing::Id;

// Who calls: subject, roles and region scope, as the gateway forwards them.
using As = civil::testing::TestCaller;
const As kClerk{"clerk-1", "childwelfare.clerk", "340722100"};
const As kTownship{"township-1", "childwelfare.clerk", "340722100"};
const As kReviewer{"reviewer-1", "childwelfare.reviewer", "340722"};

constexpr char kVillage[] = "340722100001";       // township 340722100
constexpr char kOtherVillage[] = "340722200001";  // township 340722200

class ChildWelfareIntegrationTest : public civil::testing::DepartmentTest {
 protected:
  void SetUp() override {
    today_ = absl::CivilDay(2023, 7, 15);
    StartDepartment(Spec());
    if (HasFatalFailure()) return;
    stub_ = v1::ChildService::NewStub(host_->Channel());
    summary_stub_ = v1::ChildWelfareSummaryService::NewStub(host_->Channel());
    bank_stub_ = v1::ChildBankFileService::NewStub(host_->Channel());
    grievance_stub_ = civil::grievance::v1::GrievanceService::NewStub(host_->Channel());
  }

  grpc::Status Export(const std::string& run_id, const std::string& prefix,
                      const std::string& reason, const As& as = kReviewer,
                      v1::ExportBankFileResponse* out = nullptr) {
    v1::ExportBankFileRequest req;
    req.set_run_id(run_id);
    req.set_region_prefix(prefix);
    req.set_reveal_reason(reason);
    v1::ExportBankFileResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return bank_stub_->ExportBankFile(c, req, &resp); });
    if (out != nullptr) *out = resp;
    return s;
  }

  static v1::RegisterChildRequest Application(
      const std::string& id, const std::string& date,
      v1::Category category = v1::CATEGORY_ORPHAN_DISPERSED,
      v1::ParentSituation father = v1::PARENT_SITUATION_DECEASED,
      v1::ParentSituation mother = v1::PARENT_SITUATION_DECEASED) {
    v1::RegisterChildRequest req;
    req.set_name("小明");
    req.set_id_number(id);
    req.set_region_code(kVillage);
    req.set_category(category);
    req.set_father(father);
    req.set_mother(mother);
    req.set_guardian_name("王某");
    req.set_guardian_relation("祖母");
    req.set_placement("祖母家");
    req.set_application_date(date);
    return req;
  }

  grpc::Status Register(const v1::RegisterChildRequest& req, v1::Child* out = nullptr,
                        const As& as = kClerk) {
    v1::RegisterChildResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->RegisterChild(c, req, &resp); });
    if (out != nullptr) *out = resp.child();
    return s;
  }

  grpc::Status Check(const std::string& child_id, const std::string& date, bool passed = true,
                     const As& as = kTownship, v1::Child* out = nullptr,
                     const std::string& note = "") {
    v1::CheckChildRequest req;
    req.set_child_id(child_id);
    req.set_passed(passed);
    req.set_note(note);
    req.set_check_date(date);
    v1::CheckChildResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->CheckChild(c, req, &resp); });
    if (out != nullptr) *out = resp.child();
    return s;
  }

  grpc::Status Approve(const std::string& child_id, const std::string& date,
                       const As& as = kReviewer, v1::Child* out = nullptr) {
    v1::ApproveChildRequest req;
    req.set_child_id(child_id);
    req.set_decision_date(date);
    v1::ApproveChildResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->ApproveChild(c, req, &resp); });
    if (out != nullptr) *out = resp.child();
    return s;
  }

  // Registers, checks and approves on `date`; returns the child id.
  std::string Approved(const v1::RegisterChildRequest& req) {
    v1::Child c;
    grpc::Status s = Register(req, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    s = Check(c.child_id(), req.application_date());
    EXPECT_TRUE(s.ok()) << s.error_message();
    s = Approve(c.child_id(), req.application_date());
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c.child_id();
  }

  v1::RunPaymentsResponse Run(const std::string& month, const As& as = kReviewer) {
    v1::RunPaymentsRequest req;
    req.set_month(month);
    v1::RunPaymentsResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->RunPayments(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  v1::Child Get(const std::string& child_id) {
    v1::Child c;
    grpc::Status s = GetAs(child_id, kClerk, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c;
  }

  grpc::Status GetAs(const std::string& child_id, const As& as, v1::Child* out) {
    v1::GetChildRequest req;
    req.set_child_id(child_id);
    v1::GetChildResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->GetChild(c, req, &resp); });
    *out = resp.child();
    return s;
  }

  // The history's steps as "ACTION actor day note grievance|…", one per line.
  static std::string Steps(const v1::Child& c) {
    std::string out;
    for (const v1::ChildCaseEvent& h : c.history()) {
      out += h.action() + " " + h.actor() + " " + h.happened_on() + " " + h.note() + " " +
             h.grievance_id() + (h.note_withheld() ? " (note withheld)" : "") + "\n";
    }
    return out;
  }

  grpc::Status Stop(const std::string& child_id, v1::StopReason reason, const std::string& date,
                    v1::Child* out = nullptr, const std::string& note = "") {
    v1::StopChildRequest req;
    req.set_child_id(child_id);
    req.set_reason(reason);
    req.set_note(note);
    req.set_date(date);
    v1::StopChildResponse resp;
    grpc::Status s = Call(kReviewer, [&](auto* c) { return stub_->StopChild(c, req, &resp); });
    if (out != nullptr) *out = resp.child();
    return s;
  }

  grpc::Status Stipend(const std::string& child_id, const std::string& year,
                       const std::string& date, v1::Stipend* out = nullptr) {
    v1::GrantStipendRequest req;
    req.set_child_id(child_id);
    req.set_academic_year(year);
    req.set_university("安徽大学");
    req.set_date(date);
    v1::GrantStipendResponse resp;
    grpc::Status s = Call(kReviewer, [&](auto* c) { return stub_->GrantStipend(c, req, &resp); });
    if (out != nullptr) *out = resp.stipend();
    return s;
  }

  // Affairs records a death: a PersonDeceased in its outbox, relayed to Redis; then
  // childwelfare's consumer polls until it has handled an entry.
  void AffairsRecordsDeath(const std::string& id, const std::string& died) {
    if (producer_dsn_.empty()) {
      static int n = 0;
      producer_dsn_ = postgres_->CreateDatabase("producer_affairs_cw_" + std::to_string(++n));
      ASSERT_TRUE(ApplyMigrations(producer_dsn_, "affairs", WithCommonMigrations({})).ok());
    }
    const PiiProtector pii = *PiiProtector::FromHexKey(civil::testing::kTestPiiKey);
    {
      pqxx::connection c(producer_dsn_);
      pqxx::work txn(c);
      civil::events::v1::PersonDeceased death;
      death.set_date_of_death(died);
      death.set_record_kind("CREMATION");
      death.set_record_id("record-" + id.substr(14));
      death.set_region_code(kVillage);
      WriteEvent(txn, "affairs", {pii.BlindIndex(id), "340722********" + id.substr(14)}, death);
      txn.commit();
    }
    OutboxRelay::Options o;
    o.source = "affairs";
    o.pg_dsn = producer_dsn_;
    o.redis_port = redis_->port();
    OutboxRelay relay(o, nullptr);
    ASSERT_EQ(*relay.PublishOnce(), 1);
    int handled = 0;
    for (int i = 0; i < 50 && handled == 0; ++i) {
      absl::StatusOr<int> n = host_->department().consumer().PollOnce();
      ASSERT_TRUE(n.ok()) << n.status();
      handled += *n;
    }
    ASSERT_GT(handled, 0);
  }

  // Public security reports `id`'s household registration moved out of the county on `moved`:
  // the exchange writes PersonMovedOut to its outbox, its relay publishes it on
  // civil.events.exchange, and childwelfare's consumer polls until it has handled an entry.
  // Returns the envelope as published, for a redelivery.
  std::string ExchangeReportsMove(const std::string& id, const std::string& moved) {
    if (exchange_dsn_.empty()) {
      static int n = 0;
      exchange_dsn_ = postgres_->CreateDatabase("producer_exchange_cw_" + std::to_string(++n));
      EXPECT_TRUE(ApplyMigrations(exchange_dsn_, "exchange", WithCommonMigrations({})).ok());
    }
    const PiiProtector pii = *PiiProtector::FromHexKey(civil::testing::kTestPiiKey);
    std::string event_id;
    {
      pqxx::connection c(exchange_dsn_);
      pqxx::work txn(c);
      civil::events::v1::PersonMovedOut move;
      move.set_moved_out_on(moved);
      move.set_region_code(kVillage);
      move.set_destination("合肥市蜀山区");
      move.set_record_id("mv-" + id.substr(14));
      move.set_source_record_id("GA-" + id.substr(14));
      move.set_reported_by("PUBLIC_SECURITY");
      event_id =
          WriteEvent(txn, "exchange", {pii.BlindIndex(id), "340722********" + id.substr(14)}, move);
      txn.commit();
    }
    OutboxRelay::Options o;
    o.source = "exchange";
    o.pg_dsn = exchange_dsn_;
    o.redis_port = redis_->port();
    OutboxRelay relay(o, nullptr);
    EXPECT_EQ(*relay.PublishOnce(), 1);
    PollUntilHandled();
    pqxx::connection c(exchange_dsn_);
    pqxx::nontransaction txn(c);
    return pqxx::binarystring(
               txn.exec_params1("SELECT envelope FROM outbox WHERE event_id::text = $1",
                                event_id)[0])
        .str();
  }

  // Publishes `envelope` on the exchange's stream again (a redelivery) and polls it.
  void Redeliver(const std::string& envelope) {
    RedisClient r({"127.0.0.1", redis_->port(), 1, std::chrono::milliseconds(500)}, nullptr);
    ASSERT_TRUE(r.Command({"XADD", "civil.events.exchange", "*", "envelope", envelope}).ok());
    PollUntilHandled();
  }

  void PollUntilHandled() {
    int handled = 0;
    for (int i = 0; i < 50 && handled == 0; ++i) {
      absl::StatusOr<int> n = host_->department().consumer().PollOnce();
      ASSERT_TRUE(n.ok()) << n.status();
      handled += *n;
    }
    ASSERT_GT(handled, 0);
  }

  grpc::Status Confirm(const std::string& grievance_id, const As& as,
                       civil::grievance::v1::Grievance* out = nullptr) {
    civil::testing::GrievanceSteps steps(grievance_stub_.get(), "childwelfare");
    civil::grievance::v1::Grievance ignored;
    return steps.Confirm(grievance_id, as, out != nullptr ? out : &ignored);
  }

  std::string producer_dsn_;
  std::string exchange_dsn_;
  std::unique_ptr<v1::ChildService::Stub> stub_;
  std::unique_ptr<v1::ChildWelfareSummaryService::Stub> summary_stub_;
  std::unique_ptr<v1::ChildBankFileService::Stub> bank_stub_;
  std::unique_ptr<civil::grievance::v1::GrievanceService::Stub> grievance_stub_;
};

TEST_F(ChildWelfareIntegrationTest, ApplicationTownshipCheckCountyApprovalByThreePersons) {
  const std::string id = Id("20150610", true);
  v1::Child c;
  grpc::Status s = Register(Application(id, "2023-03-02"), &c);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(c.status(), v1::CHILD_STATUS_PENDING_CHECK);
  EXPECT_EQ(c.birth_date(), "2015-06-10");
  EXPECT_EQ(c.start_month(), "2023-03");
  EXPECT_EQ(c.age_stop_month(), "2033-07");
  EXPECT_EQ(c.id_number_masked(), "340722********" + id.substr(14));
  EXPECT_EQ(c.guardian_relation(), "祖母");

  // The clerk who recorded it may not check it; nobody approves before the check.
  s = Check(c.child_id(), "2023-03-03", true, kClerk);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  s = Approve(c.child_id(), "2023-03-03");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  // A township worker of another township may not check it.
  s = Check(c.child_id(), "2023-03-03", true, {"township-2", "childwelfare.clerk", "340722200"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();

  v1::Child checked;
  ASSERT_TRUE(Check(c.child_id(), "2023-03-03", true, kTownship, &checked).ok());
  EXPECT_EQ(checked.status(), v1::CHILD_STATUS_PENDING_APPROVAL);
  EXPECT_EQ(checked.checked_by(), "township-1");
  EXPECT_EQ(checked.check_date(), "2023-03-03");
  // Neither the clerk nor the checker may approve, even holding the reviewer role; a clerk's
  // role is not enough.
  s = Approve(c.child_id(), "2023-03-05", {"township-1", "childwelfare.reviewer", "340722"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  s = Approve(c.child_id(), "2023-03-05", {"clerk-1", "childwelfare.reviewer", "340722"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  s = Approve(c.child_id(), "2023-03-05", {"clerk-9", "childwelfare.clerk", "340722"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  // The approval is the county's: a township's reviewer may not make it.
  s = Approve(c.child_id(), "2023-03-05", {"reviewer-9", "childwelfare.reviewer", "340722100"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_EQ(s.error_message().rfind("region: the county approval", 0), 0u) << s.error_message();
  EXPECT_EQ(Run("2023-03").due(), 0);  // nothing paid while pending

  v1::Child approved;
  ASSERT_TRUE(Approve(c.child_id(), "2023-03-05", kReviewer, &approved).ok());
  EXPECT_EQ(approved.status(), v1::CHILD_STATUS_ACTIVE);
  EXPECT_EQ(approved.approved_by(), "reviewer-1");
  EXPECT_EQ(approved.approval_date(), "2023-03-05");

  // One open case per child.
  s = Register(Application(id, "2023-04-01"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM children"), 1);
  // The database holds maker ≠ checker for any writer.
  pqxx::connection conn(dsn_);
  pqxx::work txn(conn);
  EXPECT_THROW(txn.exec("UPDATE children SET approved_by = checked_by"), pqxx::check_violation);
}

TEST_F(ChildWelfareIntegrationTest, ACheckNotPassedRejectsWithTheNoteAndTheChildMayApplyAgain) {
  const std::string id = Id("20150610", false);
  v1::Child c;
  ASSERT_TRUE(Register(Application(id, "2023-03-02"), &c).ok());
  grpc::Status s = Check(c.child_id(), "2023-03-03", false);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "note: a check not passed needs a written reason");
  v1::Child rejected;
  ASSERT_TRUE(Check(c.child_id(), "2023-03-03", false, kTownship, &rejected, "母亲健在").ok());
  EXPECT_EQ(rejected.status(), v1::CHILD_STATUS_REJECTED);
  EXPECT_EQ(rejected.check_note(), "母亲健在");
  EXPECT_TRUE(Register(Application(id, "2023-04-01")).ok());
}

TEST_F(ChildWelfareIntegrationTest, AnUpheldGrievanceSendsARejectionBackToTheCheckKeepingIt) {
  const std::string id = Id("20150610", false, 41);
  v1::Child c;
  ASSERT_TRUE(Register(Application(id, "2023-03-02"), &c).ok());
  ASSERT_TRUE(Check(c.child_id(), "2023-03-03", false, kTownship, nullptr, "母亲健在").ok());
  civil::testing::GrievanceSteps steps(grievance_stub_.get(), "childwelfare");
  civil::grievance::v1::Grievance g;
  grpc::Status s = steps.Upheld("CHILD", c.child_id(), "2023-03-10", kClerk, kReviewer, &g);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(g.status(), civil::grievance::v1::CLOSED);  // no money moves: no confirmation
  EXPECT_EQ(g.reopened(), "application back to the township check");

  const v1::Child reopened = Get(c.child_id());
  EXPECT_EQ(reopened.status(), v1::CHILD_STATUS_PENDING_CHECK);
  EXPECT_EQ(reopened.check_note(), "");
  // The check that rejected it stays in the history, with the grievance.
  EXPECT_EQ(Count("SELECT count(*) FROM child_history WHERE child_id = '" + c.child_id() +
                  "' AND action = 'REOPENED' AND checked_by = 'township-1' AND checked_on = "
                  "'2023-03-03' AND check_note = '母亲健在' AND grievance_id = '" +
                  g.grievance_id() + "'"),
            1);
  // GetChild returns it: the rejection (who, when, the note), then the reopening (who upheld
  // the grievance, its day, the grievance). The township's case worker reads the note.
  ASSERT_EQ(g.decided_on(), "2023-07-15");  // the department's today
  const std::string kept =
      "REJECTED township-1 2023-03-03 母亲健在 \nREOPENED reviewer-1 "
      "2023-07-15  " +
      g.grievance_id() + "\n";
  EXPECT_EQ(Steps(reopened), kept);
  // The county's reviewer reads the steps, the note withheld (it may tell about the family).
  v1::Child county;
  ASSERT_TRUE(GetAs(c.child_id(), kReviewer, &county).ok());
  EXPECT_EQ(Steps(county),
            "REJECTED township-1 2023-03-03   (note withheld)\nREOPENED reviewer-1 2023-07-15  " +
                g.grievance_id() + "\n");
  // Another township's clerk reads nothing of the case.
  v1::Child elsewhere;
  s = GetAs(c.child_id(), {"township-2", "childwelfare.clerk", "340722200"}, &elsewhere);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_EQ(elsewhere.history_size(), 0);
  // Lists carry no history.
  {
    v1::ListChildrenRequest req;
    v1::ListChildrenResponse resp;
    ASSERT_TRUE(Call(kClerk, [&](auto* ctx) { return stub_->ListChildren(ctx, req, &resp); }).ok());
    ASSERT_GT(resp.children_size(), 0);
    for (const v1::Child& listed : resp.children()) EXPECT_EQ(listed.history_size(), 0);
  }
  // The check decides again, then the county approves; the history stays as it was.
  ASSERT_TRUE(Check(c.child_id(), "2023-03-15").ok());
  ASSERT_TRUE(Approve(c.child_id(), "2023-03-16").ok());
  EXPECT_EQ(Steps(Get(c.child_id())), kept);
  // A second upheld grievance finds nothing to reopen.
  s = steps.Upheld("CHILD", c.child_id(), "2023-03-20", kClerk, kReviewer, &g);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM child_history"), 1);

  // A rejected child who applied again meanwhile: the old case is not reopened beside the new.
  const std::string other = Id("20160101", true, 42);
  v1::Child first;
  ASSERT_TRUE(Register(Application(other, "2023-03-02"), &first).ok());
  ASSERT_TRUE(Check(first.child_id(), "2023-03-03", false, kTownship, nullptr, "父亲健在").ok());
  ASSERT_TRUE(Register(Application(other, "2023-04-01")).ok());
  s = steps.Upheld("CHILD", first.child_id(), "2023-04-03", kClerk, kReviewer, &g);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(Get(first.child_id()).status(), v1::CHILD_STATUS_REJECTED);
}

TEST_F(ChildWelfareIntegrationTest, BadInputIsRefusedNamingTheFieldAndWritesNothing) {
  std::string wrong = Id("20150610", true);
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  grpc::Status s = Register(Application(wrong, "2023-03-02"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "id_number: wrong check character");

  // 18 on the application date.
  s = Register(Application(Id("20050302", true), "2023-03-02"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "id_number: the child is 18 on 2023-03-02; only children under 18 are identified");

  // An orphan whose mother is able.
  s = Register(Application(Id("20150610", true), "2023-03-02", v1::CATEGORY_ORPHAN_DISPERSED,
                           v1::PARENT_SITUATION_DECEASED, v1::PARENT_SITUATION_ABLE));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("mother: is ABLE", 0), 0u) << s.error_message();

  // In the future.
  s = Register(Application(Id("20150610", true), "2023-07-16"));
  EXPECT_EQ(s.error_message().rfind("application_date:", 0), 0u) << s.error_message();

  // A village outside the caller's township.
  v1::RegisterChildRequest other = Application(Id("20150610", true), "2023-03-02");
  other.set_region_code(kOtherVillage);
  s = Register(other);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message().rfind("region_code:", 0), 0u) << s.error_message();

  // A county without a standard.
  v1::RegisterChildRequest elsewhere = Application(Id("20150610", true), "2023-03-02");
  elsewhere.set_region_code("340823100001");
  s = Register(elsewhere, nullptr, {"clerk-5", "childwelfare.clerk", "340823"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind("category: no standard for ORPHAN_DISPERSED covers "
                                    "340823100001 in 2023-03",
                                    0),
            0u)
      << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM children"), 0);
}

TEST_F(ChildWelfareIntegrationTest, PaysEachChildOncePerMonthEvenWhenRunsOverlapOrRepeat) {
  for (int i = 0; i < 6; ++i) {
    Approved(Application(Id("20150610", i % 2 == 0, i), "2023-02-10"));
  }
  v1::RunPaymentsResponse r1, r2;
  std::thread t1([&] { r1 = Run("2023-03"); });
  std::thread t2([&] { r2 = Run("2023-03"); });
  t1.join();
  t2.join();
  EXPECT_EQ(r1.due(), 6);
  EXPECT_EQ(r2.due(), 6);
  EXPECT_EQ(r1.paid() + r2.paid(), 6);
  EXPECT_EQ(r1.already_paid() + r2.already_paid(), 6);
  EXPECT_EQ(r1.paid_fen() + r2.paid_fen(), 6 * 110000);
  v1::RunPaymentsResponse again = Run("2023-03");
  EXPECT_EQ(again.paid(), 0);
  EXPECT_EQ(again.already_paid(), 6);
  EXPECT_EQ(Count("SELECT count(*) FROM child_payments"), 6);
  // Payments are immutable: neither changed nor removed, even by the tables' owner.
  for (const char* sql :
       {"UPDATE child_payments SET amount_fen = 1", "DELETE FROM child_payments"}) {
    pqxx::connection c(dsn_);
    pqxx::work txn(c);
    EXPECT_THROW(txn.exec(sql), pqxx::sql_error) << sql;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM child_payments"), 6);
}

TEST_F(ChildWelfareIntegrationTest, ARaisedStandardReachesEveryChildForTheMonthsAfterIt) {
  const std::string a = Approved(Application(Id("20150610", true), "2023-02-10"));
  const std::string b = Approved(
      Application(Id("20120101", false), "2023-02-10", v1::CATEGORY_DE_FACTO_UNSUPPORTED,
                  v1::PARENT_SITUATION_IMPRISONED, v1::PARENT_SITUATION_SEVERELY_DISABLED));
  Run("2023-04");
  v1::SetStandardRequest req;
  req.set_region_prefix("340722");
  req.set_effective_month("2023-05");
  req.set_category(v1::CATEGORY_ORPHAN_DISPERSED);
  req.set_monthly_fen(120000);
  v1::SetStandardResponse resp;
  grpc::Status s = Call(kReviewer, [&](auto* c) { return stub_->SetStandard(c, req, &resp); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Call(kReviewer, [&](auto* c) { return stub_->SetStandard(c, req, &resp); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS) << s.error_message();
  // A township clerk may not set the county's standard.
  s = Call(kClerk, [&](auto* c) { return stub_->SetStandard(c, req, &resp); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Run("2023-05");
  const v1::Child ga = Get(a);
  ASSERT_EQ(ga.payments_size(), 2);
  EXPECT_EQ(ga.payments(0).amount_fen(), 110000);
  EXPECT_EQ(ga.payments(1).amount_fen(), 120000);
  const v1::Child gb = Get(b);  // de-facto: its own standard, unchanged
  ASSERT_EQ(gb.payments_size(), 2);
  EXPECT_EQ(gb.payments(1).amount_fen(), 110000);
  EXPECT_EQ(gb.payments(1).category(), v1::CATEGORY_DE_FACTO_UNSUPPORTED);
}

TEST_F(ChildWelfareIntegrationTest, TheAllowanceStopsAfterThe18thBirthdayUnlessStudying) {
  // 18 on 2023-05-31: paid through May.
  const std::string a = Approved(Application(Id("20050531", true), "2023-03-01"));
  const std::string b = Approved(Application(Id("20050531", false), "2023-03-01"));
  v1::RecordEducationRequest edu;
  edu.set_child_id(b);
  edu.set_school("枞阳中学");
  edu.set_education_until("2023-06");
  edu.set_date("2023-04-01");
  v1::RecordEducationResponse edu_resp;
  grpc::Status s = Call(kClerk, [&](auto* c) { return stub_->RecordEducation(c, edu, &edu_resp); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(edu_resp.child().age_stop_month(), "2023-07");
  EXPECT_EQ(edu_resp.child().education_date(), "2023-04-01");
  EXPECT_EQ(Get(a).age_stop_month(), "2023-06");
  for (const char* m : {"2023-03", "2023-04", "2023-05"}) EXPECT_EQ(Run(m).paid(), 2) << m;
  EXPECT_EQ(Run("2023-06").paid(), 1);  // b only
  EXPECT_EQ(Run("2023-07").due(), 0);
  EXPECT_EQ(Get(a).payments_size(), 3);
  EXPECT_EQ(Get(b).payments_size(), 4);
}

TEST_F(ChildWelfareIntegrationTest, ADeathFromAffairsStopsTheAllowanceAfterTheMonthOfDeath) {
  const std::string id = Id("20150610", true);
  const std::string child = Approved(Application(id, "2023-02-10"));
  Run("2023-03");
  AffairsRecordsDeath(id, "2023-04-20");
  const v1::Child c = Get(child);
  EXPECT_EQ(c.status(), v1::CHILD_STATUS_STOPPED);
  EXPECT_EQ(c.end_month(), "2023-05");
  EXPECT_EQ(c.stop_reason(), v1::STOP_REASON_DECEASED);
  EXPECT_EQ(c.stop_date(), "2023-04-20");
  EXPECT_EQ(Run("2023-04").paid(), 1);  // the month of death is paid
  EXPECT_EQ(Run("2023-05").due(), 0);
  // A dead child is not identified again.
  grpc::Status s = Register(Application(id, "2023-06-01"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "id_number: the platform records the child's death on 2023-04-20");
}

TEST_F(ChildWelfareIntegrationTest, AMoveOutFromTheExchangeStopsRunningCasesAfterTheMonthOfIt) {
  const std::string moving = Id("20150610", true, 51);
  const std::string adopted = Id("20150610", false, 52);
  const std::string pending = Id("20160101", true, 53);
  const std::string child = Approved(Application(moving, "2023-02-10"));
  const std::string other = Approved(Application(adopted, "2023-02-10"));
  ASSERT_TRUE(Stop(other, v1::STOP_REASON_ADOPTED, "2023-04-10", nullptr, "依法收养登记").ok());
  v1::Child waiting;
  ASSERT_TRUE(Register(Application(pending, "2023-06-01"), &waiting).ok());
  Run("2023-05");
  const int64_t outbox = Count("SELECT count(*) FROM outbox");

  const std::string envelope = ExchangeReportsMove(moving, "2023-06-20");
  v1::Child c = Get(child);
  EXPECT_EQ(c.status(), v1::CHILD_STATUS_STOPPED);
  EXPECT_EQ(c.end_month(), "2023-07");  // the month of the move is paid
  EXPECT_EQ(c.stop_reason(), v1::STOP_REASON_MOVED_OUT);
  EXPECT_EQ(c.stop_date(), "2023-06-20");
  EXPECT_EQ(c.stop_note(),
            "moved out of the county on 2023-06-20 to 合肥市蜀山区 (public security, exchange "
            "record mv-" +
                moving.substr(14) + ")");
  const std::string history = "SELECT count(*) FROM child_history WHERE child_id = '" + child +
                              "' AND action = 'STOPPED' AND actor = 'event:PersonMovedOut' AND "
                              "end_month = '2023-07-01' AND stop_reason = 'MOVED_OUT' AND day = "
                              "'2023-06-20' AND note LIKE 'moved out of the county on 2023-06-20%'";
  EXPECT_EQ(Count(history), 1);
  EXPECT_EQ(Run("2023-06").paid(), 1);
  EXPECT_EQ(Run("2023-07").due(), 0);
  // Childwelfare publishes no event when an allowance stops.
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), outbox);

  // Delivered again: applied once (the inbox), nothing more in the history.
  const int64_t inbox = Count("SELECT count(*) FROM inbox");
  Redeliver(envelope);
  EXPECT_EQ(Count("SELECT count(*) FROM inbox"), inbox);
  EXPECT_EQ(Count("SELECT count(*) FROM child_history"), 1);
  // The same move reported again as a new event: the stopped case is left alone.
  ExchangeReportsMove(moving, "2023-06-20");
  EXPECT_EQ(Count("SELECT count(*) FROM inbox"), inbox + 1);
  EXPECT_EQ(Count("SELECT count(*) FROM child_history"), 1);
  EXPECT_EQ(Get(child).end_month(), "2023-07");

  // A case stopped before is left as it was; a pending application is not a running allowance.
  ExchangeReportsMove(adopted, "2023-06-21");
  c = Get(other);
  EXPECT_EQ(c.end_month(), "2023-05");
  EXPECT_EQ(c.stop_reason(), v1::STOP_REASON_ADOPTED);
  EXPECT_EQ(c.stop_note(), "依法收养登记");
  ExchangeReportsMove(pending, "2023-06-22");
  EXPECT_EQ(Get(waiting.child_id()).status(), v1::CHILD_STATUS_PENDING_CHECK);
  EXPECT_EQ(Count("SELECT count(*) FROM child_history"), 1);
  // StopChild may not claim the reason.
  grpc::Status s = Stop(child, v1::STOP_REASON_MOVED_OUT, "2023-06-20");
  EXPECT_EQ(s.error_message().rfind("reason: MOVED_OUT", 0), 0u) << s.error_message();
}

TEST_F(ChildWelfareIntegrationTest, AnUpheldGrievanceAgainstAStopResumesItPayingMissedMonthsOnce) {
  const As kSecondReviewer{"reviewer-2", "childwelfare.reviewer", "340722"};
  const std::string id = Id("20150610", true, 61);
  const std::string child = Approved(Application(id, "2023-03-02"));
  Run("2023-03");
  Run("2023-04");
  // Public security reports a move that did not happen; the runs of May to July pass it over.
  ExchangeReportsMove(id, "2023-04-20");
  ASSERT_EQ(Get(child).end_month(), "2023-05");
  EXPECT_EQ(Run("2023-05").due(), 0);
  EXPECT_EQ(Run("2023-06").due(), 0);
  EXPECT_EQ(Run("2023-07").due(), 0);

  // Against the case (its identification): the outcome is recorded, nothing moves.
  civil::testing::GrievanceSteps steps(grievance_stub_.get(), "childwelfare");
  civil::grievance::v1::Grievance g;
  grpc::Status s = steps.Upheld("CHILD", child, "2023-07-03", kClerk, kReviewer, &g);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(g.reopened(),
            "outcome recorded; a stop is reversed by a grievance against the ALLOWANCE");
  EXPECT_EQ(Get(child).status(), v1::CHILD_STATUS_STOPPED);

  // Against the allowance's stop: money moves, so a second reviewer confirms.
  s = steps.Upheld("ALLOWANCE", child, "2023-07-04", kClerk, kReviewer, &g);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(g.status(), civil::grievance::v1::AWAITING_CONFIRMATION);
  EXPECT_EQ(Get(child).status(), v1::CHILD_STATUS_STOPPED);  // not before confirmation
  s = Confirm(g.grievance_id(), kReviewer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  civil::grievance::v1::Grievance confirmed;
  s = Confirm(g.grievance_id(), kSecondReviewer, &confirmed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(confirmed.status(), civil::grievance::v1::CLOSED);
  EXPECT_EQ(confirmed.reopened(),
            "stop reversed, back-payment 3 month(s) (2023-05, 2023-06, 2023-07), 330000 fen");

  // Active again; May to July paid once as adjustment rows outside any run, at the county's
  // dispersed standard; March and April untouched.
  const v1::Child c = Get(child);
  EXPECT_EQ(c.status(), v1::CHILD_STATUS_ACTIVE);
  EXPECT_EQ(c.end_month(), "");
  EXPECT_EQ(c.stop_reason(), v1::STOP_REASON_UNSPECIFIED);
  ASSERT_EQ(c.payments_size(), 5);
  EXPECT_EQ(Count("SELECT count(*) FROM child_payments WHERE child_id = '" + child +
                  "' AND kind = 'ADJUSTMENT' AND run_id IS NULL AND amount_fen = 110000 AND "
                  "grievance_id = '" +
                  g.grievance_id() + "' AND month BETWEEN '2023-05-01' AND '2023-07-01'"),
            3);
  // The stop that was, the months and the total stay in the history.
  EXPECT_EQ(Count("SELECT count(*) FROM child_history WHERE child_id = '" + child +
                  "' AND action = 'STOP_REVERSED' AND end_month = '2023-05-01' AND stop_reason "
                  "= 'MOVED_OUT' AND stopped_on = '2023-04-20' AND months_paid = 3 AND paid_fen "
                  "= 330000 AND actor = 'reviewer-2' AND grievance_id = '" +
                  g.grievance_id() + "' AND note LIKE '%2023-05, 2023-06, 2023-07%'"),
            1);
  // GetChild returns both: the stop by the move, then its reversal naming the grievance.
  ASSERT_EQ(c.history_size(), 2) << Steps(c);
  EXPECT_EQ(c.history(0).action(), "STOPPED");
  EXPECT_EQ(c.history(0).actor(), "event:PersonMovedOut");
  EXPECT_EQ(c.history(0).happened_on(), "2023-04-20");
  EXPECT_EQ(c.history(0).grievance_id(), "");
  EXPECT_EQ(c.history(1).action(), "STOP_REVERSED");
  EXPECT_EQ(c.history(1).actor(), "reviewer-2");
  EXPECT_EQ(c.history(1).grievance_id(), g.grievance_id());
  EXPECT_TRUE(absl::StrContains(c.history(1).note(), "2023-05, 2023-06, 2023-07"))
      << c.history(1).note();
  // July's run again pays nothing twice, and its bank file pays the three months back once,
  // marked 补发; August's run pays the case as any other, with nothing left to settle.
  v1::RunPaymentsResponse july = Run("2023-07");
  EXPECT_EQ(july.due(), 1);
  EXPECT_EQ(july.paid(), 0);
  EXPECT_EQ(july.adjustments_settled(), 3);
  EXPECT_EQ(july.adjustments_fen(), 330000);
  v1::ExportBankFileResponse file;
  s = Export(july.run_id(), "", "", kReviewer, &file);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(file.rows(), 3);
  EXPECT_EQ(file.total_fen(), 330000);
  size_t back_pay = 0;
  for (size_t at = file.content().find("(补发)"); at != std::string::npos;
       at = file.content().find("(补发)", at + 1)) {
    ++back_pay;
  }
  EXPECT_EQ(back_pay, 3u) << file.content();
  today_ = absl::CivilDay(2023, 8, 5);
  const v1::RunPaymentsResponse august = Run("2023-08");
  EXPECT_EQ(august.paid(), 1);
  EXPECT_EQ(august.adjustments_settled(), 0);

  // A second upheld grievance finds nothing stopped: refused, nothing paid again.
  s = steps.Upheld("ALLOWANCE", child, "2023-08-05", kClerk, kReviewer, &g);
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Confirm(g.grievance_id(), kSecondReviewer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM child_payments WHERE child_id = '" + child + "'"), 6);
  // The database pays a month once, whoever writes it.
  {
    pqxx::connection conn(dsn_);
    pqxx::work txn(conn);
    EXPECT_THROW(txn.exec("INSERT INTO child_payments (child_id, month, category, amount_fen, "
                          "region_code, kind, grievance_id) VALUES ('" +
                          child + "', '2023-06-01', 'ORPHAN_DISPERSED', 110000, '" + kVillage +
                          "', 'ADJUSTMENT', 'another')"),
                 pqxx::unique_violation);
  }

  // A stop for a death is not reversed by a grievance.
  const std::string dead_id = Id("20150610", false, 62);
  const std::string dead = Approved(Application(dead_id, "2023-03-02"));
  AffairsRecordsDeath(dead_id, "2023-04-10");
  s = steps.Upheld("ALLOWANCE", dead, "2023-08-05", kClerk, kReviewer, &g);
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Confirm(g.grievance_id(), kSecondReviewer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "death")) << s.error_message();
  EXPECT_EQ(Get(dead).status(), v1::CHILD_STATUS_STOPPED);
}

TEST_F(ChildWelfareIntegrationTest, AnAdoptionOrAReturnOfGuardianshipStopsWithTheReason) {
  const std::string a = Approved(Application(Id("20150610", true), "2023-02-10"));
  const std::string b =
      Approved(Application(Id("20140101", true), "2023-02-10", v1::CATEGORY_DE_FACTO_UNSUPPORTED,
                           v1::PARENT_SITUATION_IMPRISONED, v1::PARENT_SITUATION_DECEASED));
  v1::Child stopped;
  ASSERT_TRUE(Stop(a, v1::STOP_REASON_ADOPTED, "2023-04-10", &stopped, "依法收养登记").ok());
  EXPECT_EQ(stopped.status(), v1::CHILD_STATUS_STOPPED);
  EXPECT_EQ(stopped.end_month(), "2023-05");
  EXPECT_EQ(stopped.stop_reason(), v1::STOP_REASON_ADOPTED);
  EXPECT_EQ(stopped.stop_note(), "依法收养登记");
  EXPECT_EQ(stopped.stop_date(), "2023-04-10");
  ASSERT_TRUE(Stop(b, v1::STOP_REASON_GUARDIANSHIP_RETURNED, "2023-05-02").ok());
  EXPECT_EQ(Stop(b, v1::STOP_REASON_ADOPTED, "2023-05-02").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  grpc::Status s = Stop(b, v1::STOP_REASON_OTHER, "2023-05-02");
  EXPECT_EQ(s.error_message(), "note: a stop for OTHER needs a reason");
  s = Stop(b, v1::STOP_REASON_DECEASED, "2023-05-02");
  EXPECT_EQ(s.error_message().rfind("reason:", 0), 0u) << s.error_message();
  EXPECT_EQ(Run("2023-04").paid(), 2);
  EXPECT_EQ(Run("2023-05").paid(), 1);  // b's month of the return
  EXPECT_EQ(Run("2023-06").due(), 0);
  // A stopped case is closed: the child may be identified again (the parent imprisoned again).
  v1::Child again;
  grpc::Status reopened =
      Register(Application(Id("20140101", true), "2023-07-01", v1::CATEGORY_DE_FACTO_UNSUPPORTED,
                           v1::PARENT_SITUATION_IMPRISONED, v1::PARENT_SITUATION_DECEASED),
               &again);
  ASSERT_TRUE(reopened.ok()) << reopened.error_message();
  EXPECT_EQ(again.status(), v1::CHILD_STATUS_PENDING_CHECK);
  EXPECT_EQ(Register(Application(Id("20140101", true), "2023-07-02")).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(ChildWelfareIntegrationTest, ListsCasesAndStandardsWithinTheCallersRegionPageByPage) {
  for (int i = 0; i < 3; ++i) Approved(Application(Id("20150610", true, i), "2023-02-10"));
  v1::RegisterChildRequest other = Application(Id("20150610", false, 9), "2023-02-10");
  other.set_region_code(kOtherVillage);
  ASSERT_TRUE(Register(other, nullptr, {"clerk-2", "childwelfare.clerk", "340722200"}).ok());

  v1::ListChildrenRequest req;
  req.set_page_size(2);
  v1::ListChildrenResponse page;
  grpc::Status s = Call(kClerk, [&](auto* c) { return stub_->ListChildren(c, req, &page); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(page.children_size(), 2);
  ASSERT_FALSE(page.next_page_token().empty());
  req.set_page_token(page.next_page_token());
  v1::ListChildrenResponse rest;
  s = Call(kClerk, [&](auto* c) { return stub_->ListChildren(c, req, &rest); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(rest.children_size(), 1);  // the other township's case is not listed
  EXPECT_TRUE(rest.next_page_token().empty());
  // The county sees all four; pending ones by status.
  v1::ListChildrenRequest pending;
  pending.set_status(v1::CHILD_STATUS_PENDING_CHECK);
  v1::ListChildrenResponse county;
  s = Call(kReviewer, [&](auto* c) { return stub_->ListChildren(c, pending, &county); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(county.children_size(), 1);
  EXPECT_EQ(county.children(0).region_code(), kOtherVillage);
  // A township may not list another.
  v1::ListChildrenRequest outside;
  outside.set_region_prefix("340722200");
  s = Call(kClerk, [&](auto* c) { return stub_->ListChildren(c, outside, &county); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::ListStandardsRequest sreq;
  v1::ListStandardsResponse standards;
  s = Call(kClerk, [&](auto* c) { return stub_->ListStandards(c, sreq, &standards); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(standards.standards_size(), 3);  // the county's defaults reach the township
  EXPECT_EQ(standards.standards(0).region_prefix(), "340722");
  EXPECT_EQ(standards.standards(0).effective_month(), "2023-01");
}

TEST_F(ChildWelfareIntegrationTest, AnOrphanAtUniversityGetsOneStipendPerAcademicYear) {
  // 18 in March 2023, past the age stop: still an orphan at university.
  const std::string orphan = Approved(Application(Id("20050331", false), "2023-01-10"));
  const std::string de_facto =
      Approved(Application(Id("20120101", true), "2023-01-10", v1::CATEGORY_DE_FACTO_UNSUPPORTED,
                           v1::PARENT_SITUATION_IMPRISONED, v1::PARENT_SITUATION_DECEASED));
  v1::Stipend granted;
  grpc::Status s = Stipend(orphan, "2023-2024", "2023-07-10", &granted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(granted.amount_fen(), 1'000'000);
  EXPECT_EQ(granted.academic_year(), "2023-2024");
  EXPECT_EQ(granted.date(), "2023-07-10");
  EXPECT_EQ(granted.recorded_by(), "reviewer-1");
  s = Stipend(orphan, "2023-2024", "2023-07-11");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS) << s.error_message();
  EXPECT_EQ(s.error_message().rfind("academic_year: ", 0), 0u) << s.error_message();
  s = Stipend(de_facto, "2023-2024", "2023-07-10");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  s = Stipend(orphan, "2023-2025", "2023-07-10");
  EXPECT_EQ(s.error_message().rfind("academic_year:", 0), 0u) << s.error_message();
  const v1::Child c = Get(orphan);
  ASSERT_EQ(c.stipends_size(), 1);
  EXPECT_EQ(c.stipends(0).university(), "安徽大学");
  EXPECT_EQ(Count("SELECT count(*) FROM child_stipends"), 1);
  pqxx::connection conn(dsn_);
  pqxx::work txn(conn);
  EXPECT_THROW(txn.exec("UPDATE child_stipends SET amount_fen = 1"), pqxx::sql_error);
}

TEST_F(ChildWelfareIntegrationTest, TheSummaryCountsChildrenAsOfAndMoneyInTheCallersRegion) {
  Approved(Application(Id("20150610", true), "2023-01-10"));
  Approved(Application(Id("20150611", true), "2023-01-10", v1::CATEGORY_ORPHAN_CENTRALISED));
  Approved(Application(Id("20120101", false), "2023-01-10", v1::CATEGORY_DE_FACTO_UNSUPPORTED,
                       v1::PARENT_SITUATION_LOST_CONTACT, v1::PARENT_SITUATION_DECEASED));
  const std::string aged =
      Approved(Application(Id("20050331", true), "2023-01-10"));  // 18 in March
  for (int m = 1; m <= 6; ++m) Run("2023-0" + std::to_string(m));
  // The aged-out orphan at university: a stipend in the period counts; one paid after it not.
  ASSERT_TRUE(Stipend(aged, "2022-2023", "2023-05-10").ok());
  ASSERT_TRUE(Stipend(aged, "2023-2024", "2023-07-01").ok());

  v1::GetSummaryRequest req;
  req.set_period_start("2023-01-01");
  req.set_period_end("2023-06-30");
  v1::GetSummaryResponse resp;
  grpc::Status s =
      Call(kReviewer, [&](auto* c) { return summary_stub_->GetSummary(c, req, &resp); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.orphan_persons(), 2);  // the aged-out child no longer counts
  EXPECT_EQ(resp.orphan_paid_fen(), 6 * 110000 + 6 * 150000 + 3 * 110000);
  EXPECT_EQ(resp.de_facto_persons(), 1);
  EXPECT_EQ(resp.de_facto_paid_fen(), 6 * 110000);
  EXPECT_EQ(resp.stipend_persons(), 1);
  EXPECT_EQ(resp.stipend_paid_fen(), 1'000'000);
  ASSERT_EQ(resp.lines_size(), 4);  // the fourth: care distributions (none here)
  EXPECT_EQ(resp.lines(0), "孤儿基本生活保障对象2人,发放补助金额1.89万元");
  EXPECT_EQ(resp.lines(1), "事实无人抚养儿童保障对象1人,发放补助金额0.66万元");
  EXPECT_EQ(resp.lines(2),
            "为在校孤儿大学生按照每人每学年1万元的标准,发放补助费用,共发放资金1万元,惠及1人");
  // The county's auditor and its leadership read the same figures.
  for (const As& as :
       {As{"auditor-1", "auditor", "340722"}, As{"leader-1", "leadership", "340722"}}) {
    v1::GetSummaryResponse theirs;
    s = Call(as, [&](auto* c) { return summary_stub_->GetSummary(c, req, &theirs); });
    ASSERT_TRUE(s.ok()) << as.subject << ": " << s.error_message();
    EXPECT_EQ(theirs.orphan_persons(), 2) << as.subject;
    EXPECT_EQ(theirs.orphan_paid_fen(), resp.orphan_paid_fen()) << as.subject;
    EXPECT_EQ(theirs.stipend_paid_fen(), 1'000'000) << as.subject;
    EXPECT_EQ(theirs.lines(2), resp.lines(2)) << as.subject;
  }
  // Another township's reviewer sees none of it; a clerk may not read it.
  s = Call({"reviewer-2", "childwelfare.reviewer", "340722200"},
           [&](auto* c) { return summary_stub_->GetSummary(c, req, &resp); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.orphan_persons(), 0);
  EXPECT_EQ(resp.orphan_paid_fen(), 0);
  s = Call(kClerk, [&](auto* c) { return summary_stub_->GetSummary(c, req, &resp); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace civil::childwelfare

namespace civil::childwelfare {
namespace {

TEST_F(ChildWelfareIntegrationTest, TheBankFileOfARunIsMaskedUnlessAReviewerSaysWhy) {
  const std::string zhang_id = Id("20150301", true, 11);
  v1::RegisterChildRequest zhang = Application(zhang_id, "2023-05-02");
  zhang.set_name("张小明");
  Approved(zhang);
  v1::RegisterChildRequest li =
      Application(Id("20150401", false, 12), "2023-05-02", v1::CATEGORY_DE_FACTO_UNSUPPORTED,
                  v1::PARENT_SITUATION_IMPRISONED, v1::PARENT_SITUATION_LOST_CONTACT);
  li.set_name("李小红");
  li.set_region_code("340722100002");
  Approved(li);
  const v1::RunPaymentsResponse run = Run("2023-06");
  ASSERT_EQ(run.paid(), 2);

  // Masked: names and ID numbers, for the reviewer without a reason and for an auditor.
  const As auditor{"auditor-1", "auditor", "340722"};
  for (const As& as : {kReviewer, auditor}) {
    v1::ExportBankFileResponse file;
    grpc::Status s = Export(run.run_id(), "", "", as, &file);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_FALSE(file.full_id_numbers());
    EXPECT_EQ(file.rows(), 2);
    EXPECT_EQ(file.total_fen(), 220000);
    EXPECT_EQ(file.file_name(), "bank-CHILD-2023-06-340722.csv");
    EXPECT_EQ(file.content().rfind("序号,姓名,身份证号码,金额(元),发放月份,区划代码,项目\r\n", 0),
              0u);
    EXPECT_NE(file.content().find(",张*明,"), std::string::npos) << file.content();
    EXPECT_NE(file.content().find(",1100.00,2023-06,340722100002,事实无人抚养儿童基本生活费\r\n"),
              std::string::npos)
        << file.content();
    EXPECT_EQ(file.content().find("张小明"), std::string::npos);
    EXPECT_EQ(file.content().find(zhang_id), std::string::npos);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE method = 'ExportBankFile'"), 0);

  // A village of the run.
  v1::ExportBankFileResponse village;
  ASSERT_TRUE(Export(run.run_id(), "340722100002", "", kReviewer, &village).ok());
  EXPECT_EQ(village.rows(), 1);
  EXPECT_EQ(village.file_name(), "bank-CHILD-2023-06-340722100002.csv");

  // Full, with a reason: every child is in the ID-view trail.
  v1::ExportBankFileResponse full;
  grpc::Status s = Export(run.run_id(), "340722100", "报送银行代发", kReviewer, &full);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(full.full_id_numbers());
  EXPECT_NE(full.content().find(absl::StrCat(",张小明,", zhang_id, ",1100.00,2023-06,")),
            std::string::npos)
      << full.content();
  EXPECT_NE(full.content().find("孤儿基本生活费"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE method = 'ExportBankFile' AND "
                  "record_kind = 'bank_file' AND actor = 'reviewer-1' AND reason = '报送银行代发'"),
            2);
  EXPECT_EQ(Count("SELECT count(*) FROM child_bank_file_exports"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM child_bank_file_exports WHERE full_id_numbers"), 1);

  // Refused, writing nothing: an auditor asking for full numbers, a bad reason, a bad or unknown
  // run, a region outside the run or the caller's scope.
  EXPECT_EQ(Export(run.run_id(), "", "报送银行代发", auditor).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  s = Export(run.run_id(), "", "a");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("reveal_reason:", 0), 0u) << s.error_message();
  s = Export("not-a-run", "", "");
  EXPECT_EQ(s.error_message().rfind("run_id:", 0), 0u) << s.error_message();
  EXPECT_EQ(Export("0b7d2f3e-3c1a-4a51-9a65-7f0b0d1e2a01", "", "").error_code(),
            grpc::StatusCode::NOT_FOUND);
  s = Export(run.run_id(), "3407221", "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("region_prefix:", 0), 0u) << s.error_message();
  const As other_township{"reviewer-2", "childwelfare.reviewer", "340722200"};
  EXPECT_EQ(Export(run.run_id(), "", "", other_township).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Export(run.run_id(), "340722100", "", other_township).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const As clerk{"clerk-1", "childwelfare.clerk", "340722100"};
  EXPECT_EQ(Export(run.run_id(), "", "", clerk).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Count("SELECT count(*) FROM child_bank_file_exports"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE method = 'ExportBankFile'"), 2);
}

}  // namespace
}  // namespace civil::childwelfare

namespace civil::childwelfare {
namespace {

TEST_F(ChildWelfareIntegrationTest, NamesAreInFullOnlyForTheChildsOwnTownshipCaseWorkers) {
  v1::RegisterChildRequest req = Application(Id("20150301", true, 13), "2023-05-02");
  req.set_name("张小明");
  v1::Child registered;
  ASSERT_TRUE(Register(req, &registered).ok());
  EXPECT_EQ(registered.name(), "张小明");  // the township's clerk who recorded it
  ASSERT_TRUE(Check(registered.child_id(), "2023-05-02").ok());
  v1::Child approved;
  ASSERT_TRUE(Approve(registered.child_id(), "2023-05-02", kReviewer, &approved).ok());
  EXPECT_EQ(approved.name(), "张*明");  // the county's reviewer

  auto get = [&](const As& as) {
    v1::GetChildRequest g;
    g.set_child_id(registered.child_id());
    v1::GetChildResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->GetChild(c, g, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.child().name();
  };
  auto list = [&](const As& as) {
    v1::ListChildrenRequest l;
    v1::ListChildrenResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stub_->ListChildren(c, l, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.children_size() == 1 ? resp.children(0).name() : "<none>";
  };
  const As village_clerk{"clerk-3", "childwelfare.clerk", kVillage};
  const As county_clerk{"clerk-4", "childwelfare.clerk", "340722"};
  const As auditor{"auditor-1", "auditor", "340722"};
  const As admin{"admin-1", "childwelfare.clerk,admin", "*"};
  for (const As& full : {kClerk, village_clerk}) {
    EXPECT_EQ(get(full), "张小明") << full.subject;
    EXPECT_EQ(list(full), "张小明") << full.subject;
  }
  for (const As& masked : {kReviewer, county_clerk, auditor, admin}) {
    EXPECT_EQ(get(masked), "张*明") << masked.subject;
    EXPECT_EQ(list(masked), "张*明") << masked.subject;
  }
  // ID numbers are masked for everyone.
  EXPECT_EQ(approved.id_number_masked().find(req.id_number()), std::string::npos);

  // Every full name shown is on the audit trail (who, which RPC, which child, why); a masked
  // one is not: the registration and the township check (kClerk), the two case workers' GetChild
  // and ListChildren — 6 rows.
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE record_kind = 'child_name' AND "
                  "record_id = '" +
                  registered.child_id() + "'"),
            6);
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE record_kind = 'child_name' AND actor IN "
                  "('reviewer-1', 'clerk-4', 'auditor-1', 'admin-1')"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM id_views WHERE actor = 'clerk-3' AND method = "
                  "'ListChildren' AND person_index <> '' AND reason LIKE '%township case work%'"),
            1);
}

}  // namespace
}  // namespace civil::childwelfare
