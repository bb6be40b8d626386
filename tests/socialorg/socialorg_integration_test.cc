// Integration tests of the social-organisations department: the department as the kit builds it
// (DepartmentHost, the production wiring) on a real PostgreSQL and Redis started by the harness
// (tests/support/servers.h), called over gRPC with the identities the gateway forwards
// (tests/support/call_as.h).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "absl/strings/match.h"
#include "civil/events/v1/events.pb.h"
#include "civil/socialorg/v1/branches.grpc.pb.h"
#include "civil/socialorg/v1/credit.grpc.pb.h"
#include "civil/socialorg/v1/evaluations.grpc.pb.h"
#include "civil/socialorg/v1/events.pb.h"
#include "civil/socialorg/v1/incubation.grpc.pb.h"
#include "civil/socialorg/v1/lifecycle.grpc.pb.h"
#include "civil/socialorg/v1/party.grpc.pb.h"
#include "civil/socialorg/v1/registry.grpc.pb.h"
#include "civil/socialorg/v1/stations.grpc.pb.h"
#include "civil/socialorg/v1/summary.grpc.pb.h"
#include "civil/socialorg/v1/supervision.grpc.pb.h"
#include "services/common/department.h"
#include "services/common/events.h"
#include "services/common/redis.h"
#include "services/socialorg/migrations.h"
#include "services/socialorg/socialorg.h"
#include "tests/socialorg/credit_codes.h"
#include "tests/support/call_as.h"
#include "tests/support/department_test.h"
#include "tests/support/grievance_steps.h"
#include "tests/support/servers.h"
#include "tests/support/test_ids.h"

namespace civil::socialorg {
namespace {

using civil::affairs::testing::Id;
using civil::socialorg::testing::Code;
using civil::socialorg::testing::WrongCheck;
using civil::testing::PrepareCall;
using civil::testing::TestCaller;

const TestCaller kClerk{"clerk-1", "socialorg.clerk", "340722"};
const TestCaller kReviewer{"reviewer-1", "socialorg.reviewer", "340722"};
const TestCaller kTownshipClerk{"clerk-2", "socialorg.clerk", "340722100"};
const TestCaller kAuditor{"auditor-1", "auditor", "340722"};
const TestCaller kLeadership{"leader-1", "leadership", "340722"};
const TestCaller kTownshipReviewer{"reviewer-2", "socialorg.reviewer", "340722200"};

class SocialorgIntegrationTest : public civil::testing::DepartmentTest {
 protected:
  void SetUp() override {
    today_ = absl::CivilDay(2023, 7, 15);
    StartDepartment(Spec());
    if (HasFatalFailure()) return;
    registry_ = v1::OrganisationService::NewStub(host_->Channel());
    lifecycle_ = v1::LifecycleService::NewStub(host_->Channel());
    supervision_ = v1::SupervisionService::NewStub(host_->Channel());
    party_ = v1::PartyBuildingService::NewStub(host_->Channel());
    summary_ = v1::SocialorgSummaryService::NewStub(host_->Channel());
    stations_ = v1::StationService::NewStub(host_->Channel());
    evaluations_ = v1::EvaluationService::NewStub(host_->Channel());
    incubation_ = v1::IncubationService::NewStub(host_->Channel());
    credit_ = v1::CreditCommitmentService::NewStub(host_->Channel());
    branches_ = v1::BranchService::NewStub(host_->Channel());
    grievances_ = civil::grievance::v1::GrievanceService::NewStub(host_->Channel());
  }
  std::unique_ptr<civil::grievance::v1::GrievanceService::Stub> grievances_;
  static v1::RegisterOrganisationRequest Registration(int serial, char kind = '1',
                                                      const std::string& region = "340722100") {
    v1::RegisterOrganisationRequest r;
    r.set_name("枞阳县社会组织" + std::to_string(serial));
    r.set_credit_code(Code(kind, serial));
    r.set_kind(static_cast<v1::OrganisationKind>(kind - '0'));
    r.set_supervising_unit("枞阳县民政局");
    r.set_domicile("枞阳县枞阳镇");
    r.set_legal_representative_name("王某");
    r.set_legal_representative_id_number(Id("19700101", true, serial % 100));
    r.set_registered_capital_fen(3'000'000);
    r.set_region_code(region);
    r.set_business_scope("社区服务");
    r.set_establishment_date("2023-03-01");
    r.add_documents("成立登记申请书");
    r.add_documents("章程");
    return r;
  }

  grpc::Status Register(const v1::RegisterOrganisationRequest& req,
                        v1::RegisterOrganisationResponse* out = nullptr,
                        const TestCaller& as = kClerk) {
    v1::RegisterOrganisationResponse resp;
    grpc::Status s =
        Call(as, [&](auto* c) { return registry_->RegisterOrganisation(c, req, &resp); });
    if (out != nullptr) *out = resp;
    return s;
  }

  grpc::Status Decide(const std::string& event_id, bool approve, const std::string& date,
                      const TestCaller& as = kReviewer, v1::LifecycleEvent* out = nullptr) {
    if (approve) {
      v1::ApproveEventRequest req;
      req.set_event_id(event_id);
      req.set_decision_date(date);
      v1::ApproveEventResponse resp;
      grpc::Status s = Call(as, [&](auto* c) { return lifecycle_->ApproveEvent(c, req, &resp); });
      if (out != nullptr) *out = resp.event();
      return s;
    }
    v1::RejectEventRequest req;
    req.set_event_id(event_id);
    req.set_decision_date(date);
    req.set_reason("材料不全");
    v1::RejectEventResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return lifecycle_->RejectEvent(c, req, &resp); });
    if (out != nullptr) *out = resp.event();
    return s;
  }

  // The event's history as `as` reads it: "ACTION actor day note grievance", one per line.
  grpc::Status History(const std::string& event_id, std::string* out,
                       const TestCaller& as = kClerk) {
    v1::ListEventHistoryRequest req;
    req.set_event_id(event_id);
    v1::ListEventHistoryResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return lifecycle_->ListEventHistory(c, req, &resp); });
    out->clear();
    for (const v1::LifecycleEventStep& h : resp.history()) {
      *out += h.action() + " " + h.actor() + " " + h.happened_on() + " " + h.note() + " " +
              h.grievance_id() + "\n";
    }
    return s;
  }

  // Registers and approves; returns the organisation id.
  std::string Established(v1::RegisterOrganisationRequest req) {
    v1::RegisterOrganisationResponse r;
    grpc::Status s = Register(req, &r);
    EXPECT_TRUE(s.ok()) << s.error_message();
    s = Decide(r.establishment_event_id(), true, req.establishment_date());
    EXPECT_TRUE(s.ok()) << s.error_message();
    return r.organisation().organisation_id();
  }

  v1::Organisation Get(const std::string& id, const TestCaller& as = kClerk,
                       const std::string& reveal_reason = "") {
    v1::GetOrganisationRequest req;
    req.set_organisation_id(id);
    req.set_reveal_reason(reveal_reason);
    v1::GetOrganisationResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return registry_->GetOrganisation(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.organisation();
  }

  grpc::Status ReElect(const std::string& id, const std::string& date, const std::string& start,
                       const std::string& end, v1::LifecycleEvent* out = nullptr) {
    v1::FileReElectionRequest req;
    req.set_organisation_id(id);
    req.set_event_date(date);
    req.add_documents("换届大会决议");
    req.set_term_start(start);
    req.set_term_end(end);
    v1::FileReElectionResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return lifecycle_->FileReElection(c, req, &resp); });
    if (out != nullptr) *out = resp.event();
    return s;
  }

  grpc::Status Deregister(const std::string& id, const std::string& date,
                          v1::LifecycleEvent* out = nullptr) {
    v1::FileDeregistrationRequest req;
    req.set_organisation_id(id);
    req.set_event_date(date);
    req.add_documents("注销登记申请书");
    req.set_liquidation("清算组清算报告,债权债务已清理");
    req.set_liquidation_date(date);
    v1::FileDeregistrationResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return lifecycle_->FileDeregistration(c, req, &resp); });
    if (out != nullptr) *out = resp.event();
    return s;
  }

  grpc::Status ChangeName(const std::string& id, const std::string& date, const std::string& name,
                          v1::LifecycleEvent* out = nullptr, const TestCaller& as = kClerk) {
    v1::FileChangeRequest req;
    req.set_organisation_id(id);
    req.set_event_date(date);
    req.add_documents("变更登记申请书");
    req.mutable_change()->set_name(name);
    v1::FileChangeResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return lifecycle_->FileChange(c, req, &resp); });
    if (out != nullptr) *out = resp.event();
    return s;
  }

  grpc::Status Inspect(const std::string& id, int year, const std::string& date,
                       v1::InspectionResult result = v1::INSPECTION_RESULT_QUALIFIED,
                       v1::Inspection* out = nullptr) {
    v1::RecordInspectionRequest req;
    req.set_organisation_id(id);
    req.set_year(year);
    req.set_completed_date(date);
    req.set_result(result);
    if (result != v1::INSPECTION_RESULT_QUALIFIED) {
      v1::Finding* f = req.add_findings();
      f->set_area(v1::FINDING_AREA_OFFICIALS_HOLDING_POSTS);
      f->set_note("县直单位干部兼任会长");
      f = req.add_findings();
      f->set_area(v1::FINDING_AREA_FINANCE);
      f->set_note("报销凭证不全");
    }
    v1::RecordInspectionResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return supervision_->RecordInspection(c, req, &resp); });
    if (out != nullptr) *out = resp.inspection();
    return s;
  }

  std::vector<std::string> Dormant(const std::string& as_of) {
    v1::ListDormantRequest req;
    req.set_as_of(as_of);
    v1::ListDormantResponse resp;
    grpc::Status s =
        Call(kAuditor, [&](auto* c) { return supervision_->ListDormant(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> ids;
    for (const auto& o : resp.organisations()) ids.push_back(o.organisation_id());
    return ids;
  }

  std::unique_ptr<v1::OrganisationService::Stub> registry_;
  std::unique_ptr<v1::LifecycleService::Stub> lifecycle_;
  std::unique_ptr<v1::SupervisionService::Stub> supervision_;
  std::unique_ptr<v1::PartyBuildingService::Stub> party_;
  std::unique_ptr<v1::SocialorgSummaryService::Stub> summary_;
  std::unique_ptr<v1::StationService::Stub> stations_;
  std::unique_ptr<v1::EvaluationService::Stub> evaluations_;
  std::unique_ptr<v1::IncubationService::Stub> incubation_;
  std::unique_ptr<v1::CreditCommitmentService::Stub> credit_;
  std::unique_ptr<v1::BranchService::Stub> branches_;
};

TEST_F(SocialorgIntegrationTest, AnEstablishmentIsRegisteredOnlyWhenAnotherPersonApprovesIt) {
  v1::RegisterOrganisationRequest req = Registration(1);
  req.set_term_start("2023-03-01");
  req.set_term_end("2028-02-29");
  v1::RegisterOrganisationResponse r;
  grpc::Status s = Register(req, &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(r.organisation().status(), v1::ORGANISATION_STATUS_PENDING_ESTABLISHMENT);
  EXPECT_EQ(r.organisation().credit_code(), req.credit_code());
  const std::string rep = req.legal_representative_id_number();
  EXPECT_EQ(r.organisation().legal_representative_id_masked(), "340722********" + rep.substr(14));
  EXPECT_EQ(r.organisation().legal_representative_id_number(), "");
  EXPECT_EQ(r.organisation().established_date(), "");
  // The ID number is stored encrypted, never in clear.
  EXPECT_EQ(Count("SELECT count(*) FROM organisations WHERE position('" + rep +
                  "' IN encode(rep_id_cipher, 'escape')) > 0 OR rep_id_index = '" + rep + "'"),
            0);

  // Maker ≠ checker, even holding the reviewer role.
  s = Decide(r.establishment_event_id(), true, "2023-03-02",
             {"clerk-1", "socialorg.reviewer", "340722"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  // A clerk may not approve.
  s = Decide(r.establishment_event_id(), true, "2023-03-02",
             {"clerk-9", "socialorg.clerk", "340722"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Not before the filing.
  s = Decide(r.establishment_event_id(), true, "2023-02-28");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  // Nothing may be filed while the establishment waits.
  s = ChangeName(r.organisation().organisation_id(), "2023-03-05", "新名称");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();

  v1::LifecycleEvent approved;
  s = Decide(r.establishment_event_id(), true, "2023-03-10", kReviewer, &approved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(approved.status(), v1::EVENT_STATUS_APPROVED);
  EXPECT_EQ(approved.decided_by(), "reviewer-1");
  const v1::Organisation o = Get(r.organisation().organisation_id());
  EXPECT_EQ(o.status(), v1::ORGANISATION_STATUS_REGISTERED);
  EXPECT_EQ(o.established_date(), "2023-03-01");
  EXPECT_EQ(o.term_end(), "2028-02-29");
  EXPECT_EQ(o.legal_representative_id_number(), "");  // a clerk sees it masked
  // A reviewer too, unless the request says why: then whole, with a row in the ID-view trail.
  EXPECT_EQ(Get(o.organisation_id(), kReviewer).legal_representative_id_number(), "");
  EXPECT_EQ(
      Get(o.organisation_id(), kReviewer, "核对法定代表人身份").legal_representative_id_number(),
      rep);
  EXPECT_EQ(
      Count("SELECT count(*) FROM id_views WHERE method = 'GetOrganisation' AND record_id = '" +
            o.organisation_id() + "' AND reason = '核对法定代表人身份'"),
      1);
  EXPECT_EQ(Decide(r.establishment_event_id(), true, "2023-03-11").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // One organisation per credit code.
  req.set_name("另一个名称");
  s = Register(req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM organisations"), 1);
}

TEST_F(SocialorgIntegrationTest, ARefusedEstablishmentClosesTheOrganisationAndFreesTheCode) {
  v1::RegisterOrganisationResponse r;
  ASSERT_TRUE(Register(Registration(2), &r).ok());
  v1::LifecycleEvent rejected;
  grpc::Status s = Decide(r.establishment_event_id(), false, "2023-03-05", kReviewer, &rejected);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(rejected.status(), v1::EVENT_STATUS_REJECTED);
  EXPECT_EQ(rejected.reason(), "材料不全");
  EXPECT_EQ(Get(r.organisation().organisation_id()).status(), v1::ORGANISATION_STATUS_REFUSED);
  EXPECT_TRUE(Register(Registration(2)).ok());
}

TEST_F(SocialorgIntegrationTest, AnUpheldGrievanceSendsARefusedRegistrationBackToReview) {
  v1::RegisterOrganisationResponse r;
  ASSERT_TRUE(Register(Registration(5), &r).ok());
  const std::string org = r.organisation().organisation_id();
  const std::string event = r.establishment_event_id();
  ASSERT_TRUE(Decide(event, false, "2023-03-05").ok());
  civil::testing::GrievanceSteps steps(grievances_.get(), "socialorg");
  civil::grievance::v1::Grievance g;
  grpc::Status s = steps.Upheld("LIFECYCLE_EVENT", event, "2023-03-10", kClerk, kReviewer, &g);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(g.status(), civil::grievance::v1::CLOSED);
  EXPECT_EQ(g.reopened(), "event back to pending review");
  EXPECT_EQ(Get(org).status(), v1::ORGANISATION_STATUS_PENDING_ESTABLISHMENT);
  // The refusal stays in the history, with the grievance.
  EXPECT_EQ(Count("SELECT count(*) FROM org_event_history WHERE event_id = '" + event +
                  "' AND decided_by = 'reviewer-1' AND decided_on = '2023-03-05' AND reason = "
                  "'材料不全' AND grievance_id = '" +
                  g.grievance_id() + "'"),
            1);
  // The event's decision fields are cleared; ListEventHistory returns the refusal (who, when,
  // why), then the reopening (who upheld the grievance, its day, the grievance), to the readers
  // of the events.
  v1::ListEventsRequest lreq;
  lreq.set_organisation_id(org);
  v1::ListEventsResponse events;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return lifecycle_->ListEvents(c, lreq, &events); }).ok());
  ASSERT_EQ(events.events_size(), 1);
  EXPECT_EQ(events.events(0).decided_by(), "");
  EXPECT_EQ(events.events(0).reason(), "");
  ASSERT_EQ(g.decided_on(), "2023-07-15");  // the department's today
  const std::string kept =
      "REJECTED reviewer-1 2023-03-05 材料不全 \nREOPENED reviewer-1 2023-07-15  " +
      g.grievance_id() + "\n";
  std::string history;
  ASSERT_TRUE(History(event, &history).ok());
  EXPECT_EQ(history, kept);
  ASSERT_TRUE(History(event, &history, kAuditor).ok());
  EXPECT_EQ(history, kept);
  // Outside the organisation's region: refused, nothing read. No such event: NOT_FOUND.
  s = History(event, &history, kTownshipReviewer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_EQ(s.error_message(), "region_code: region 340722100 is outside your scope 340722200");
  EXPECT_EQ(history, "");
  s = History("00000000-0000-0000-0000-000000000000", &history);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
  s = History("not-an-id", &history);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  // Leadership does not read events.
  s = History(event, &history, kLeadership);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  // The review decides again.
  ASSERT_TRUE(Decide(event, true, "2023-03-12").ok());
  EXPECT_EQ(Get(org).status(), v1::ORGANISATION_STATUS_REGISTERED);
  // A second upheld grievance finds nothing rejected.
  s = steps.Upheld("LIFECYCLE_EVENT", event, "2023-03-15", kClerk, kReviewer, &g);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM org_event_history"), 1);
  ASSERT_TRUE(History(event, &history).ok());
  EXPECT_EQ(history, kept);  // approved since: the approval is on the event, the history as it was
  // An event never reopened has an empty history.
  v1::RegisterOrganisationResponse fresh;
  ASSERT_TRUE(Register(Registration(7), &fresh).ok());
  ASSERT_TRUE(History(fresh.establishment_event_id(), &history).ok());
  EXPECT_EQ(history, "");

  // A refused organisation whose credit code another took since is not reopened.
  v1::RegisterOrganisationResponse first;
  ASSERT_TRUE(Register(Registration(6), &first).ok());
  ASSERT_TRUE(Decide(first.establishment_event_id(), false, "2023-03-05").ok());
  ASSERT_TRUE(Register(Registration(6)).ok());
  s = steps.Upheld("LIFECYCLE_EVENT", first.establishment_event_id(), "2023-03-10", kClerk,
                   kReviewer, &g);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(Get(first.organisation().organisation_id()).status(), v1::ORGANISATION_STATUS_REFUSED);
  // Region scope: a township clerk elsewhere may not file against the event.
  civil::grievance::v1::Grievance other;
  s = steps.Upheld("LIFECYCLE_EVENT", event, "2023-03-15",
                   {"clerk-3", "socialorg.clerk", "340722200"}, kReviewer, &other);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
}

TEST_F(SocialorgIntegrationTest, BadInputIsRefusedNamingTheFieldAndWritesNothing) {
  v1::RegisterOrganisationRequest req = Registration(3);
  req.set_credit_code(WrongCheck(req.credit_code()));
  grpc::Status s = Register(req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "credit_code: wrong check character");

  req = Registration(3);
  req.set_kind(v1::ORGANISATION_KIND_FOUNDATION);
  s = Register(req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "credit_code: position 2 is 1 (SOCIAL_GROUP) but the kind is FOUNDATION (3)");

  req = Registration(3);
  req.set_credit_code(Code('1', 3, "340823"));
  s = Register(req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "credit_code: positions 3-8 are 340823 but the organisation's county is 340722");

  // A township clerk may not register in another township.
  s = Register(Registration(3, '1', "340722200"), nullptr, kTownshipClerk);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();

  EXPECT_EQ(Count("SELECT count(*) FROM organisations"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM org_events"), 0);
}

TEST_F(SocialorgIntegrationTest, ChangeReElectionRenewalAndDeregistrationTakeEffectOnApproval) {
  v1::RegisterOrganisationRequest with_term = Registration(4);
  with_term.set_establishment_date("2018-05-01");
  with_term.set_term_start("2018-05-01");
  with_term.set_term_end("2023-04-30");
  with_term.set_certificate_valid_until("2023-04-30");
  const std::string id = Established(with_term);
  const std::string no_term = Established(Registration(5));

  // The overdue re-elections as of a day: the term ended 2023-04-30.
  v1::ListOverdueReElectionsRequest oreq;
  oreq.set_as_of("2023-06-30");
  v1::ListOverdueReElectionsResponse overdue;
  ASSERT_TRUE(Call(kAuditor, [&](auto* c) {
                return lifecycle_->ListOverdueReElections(c, oreq, &overdue);
              }).ok());
  ASSERT_EQ(overdue.overdue_size(), 1);
  EXPECT_EQ(overdue.overdue(0).organisation_id(), id);
  EXPECT_EQ(overdue.overdue(0).days_overdue(), 61);

  // A change of name and of legal representative.
  v1::FileChangeRequest creq;
  creq.set_organisation_id(id);
  creq.set_event_date("2023-05-10");
  creq.add_documents("变更登记申请书");
  creq.mutable_change()->set_name("枞阳县公益协会");
  creq.mutable_change()->set_legal_representative_name("李某");
  const std::string new_rep = Id("19800202", false, 9);
  creq.mutable_change()->set_legal_representative_id_number(new_rep);
  v1::FileChangeResponse cresp;
  grpc::Status s = Call(kClerk, [&](auto* c) { return lifecycle_->FileChange(c, creq, &cresp); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(cresp.event().change().legal_representative_id_masked(),
            "340722********" + new_rep.substr(14));
  // One event pending at a time.
  s = ReElect(id, "2023-05-20", "2023-05-20", "2028-05-19");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  // The name changes only on approval.
  EXPECT_EQ(Get(id).name(), with_term.name());
  ASSERT_TRUE(Decide(cresp.event().event_id(), true, "2023-05-12").ok());
  v1::Organisation changed = Get(id, kReviewer, "核对变更后的法定代表人");
  EXPECT_EQ(changed.name(), "枞阳县公益协会");
  EXPECT_EQ(changed.legal_representative_name(), "李某");
  EXPECT_EQ(changed.legal_representative_id_number(), new_rep);
  EXPECT_EQ(changed.domicile(), with_term.domicile());

  // A re-election without a previous term on record is refused and writes nothing.
  s = ReElect(no_term, "2023-05-20", "2023-05-20", "2028-05-19");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind("term_start: no previous term is on record", 0), 0u)
      << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM org_events WHERE kind = 'RE_ELECTION'"), 0);

  v1::LifecycleEvent re;
  ASSERT_TRUE(ReElect(id, "2023-05-20", "2023-05-20", "2028-05-19", &re).ok());
  ASSERT_TRUE(Decide(re.event_id(), true, "2023-05-21").ok());
  EXPECT_EQ(Get(id).term_start(), "2023-05-20");
  ASSERT_TRUE(Call(kAuditor, [&](auto* c) {
                overdue.Clear();
                return lifecycle_->ListOverdueReElections(c, oreq, &overdue);
              }).ok());
  EXPECT_EQ(overdue.overdue_size(), 0);

  v1::FileCertificateRenewalRequest rreq;
  rreq.set_organisation_id(id);
  rreq.set_event_date("2023-05-25");
  rreq.add_documents("换证申请");
  rreq.set_certificate_valid_until("2028-05-24");
  v1::FileCertificateRenewalResponse rresp;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return lifecycle_->FileCertificateRenewal(c, rreq, &rresp);
              }).ok());
  ASSERT_TRUE(Decide(rresp.event().event_id(), true, "2023-05-26").ok());
  EXPECT_EQ(Get(id).certificate_valid_until(), "2028-05-24");

  v1::LifecycleEvent dereg;
  ASSERT_TRUE(Deregister(id, "2023-06-10", &dereg).ok());
  EXPECT_EQ(Get(id).status(), v1::ORGANISATION_STATUS_REGISTERED);
  ASSERT_TRUE(Decide(dereg.event_id(), true, "2023-06-12").ok());
  const v1::Organisation closed = Get(id);
  EXPECT_EQ(closed.status(), v1::ORGANISATION_STATUS_DEREGISTERED);
  EXPECT_EQ(closed.deregistered_date(), "2023-06-10");
  // A deregistered organisation takes no further events.
  s = ChangeName(id, "2023-06-20", "又一个名称");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "organisation_id: the organisation was deregistered on 2023-06-10; it takes no "
            "further events");

  v1::ListEventsRequest lreq;
  lreq.set_organisation_id(id);
  v1::ListEventsResponse events;
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* c) { return lifecycle_->ListEvents(c, lreq, &events); }).ok());
  ASSERT_EQ(events.events_size(), 5);
  EXPECT_EQ(events.events(0).kind(), v1::EVENT_KIND_ESTABLISHMENT);
  EXPECT_EQ(events.events(4).kind(), v1::EVENT_KIND_DEREGISTRATION);
  EXPECT_EQ(events.events(4).liquidation_date(), "2023-06-10");
  EXPECT_EQ(events.events(1).documents(0), "变更登记申请书");

  // Counted by kind in the first half of 2023: the 2018 establishment is outside it.
  v1::CountEventsRequest count;
  count.set_period_start("2023-01-01");
  count.set_period_end("2023-06-30");
  v1::CountEventsResponse counts;
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* c) { return lifecycle_->CountEvents(c, count, &counts); }).ok());
  std::map<int, int> by_kind;
  for (const v1::EventCount& c : counts.counts()) by_kind[c.event_kind()] += c.events();
  EXPECT_EQ(by_kind[v1::EVENT_KIND_ESTABLISHMENT], 1);  // Registration(5), 2023-03-01
  EXPECT_EQ(by_kind[v1::EVENT_KIND_CHANGE], 1);
  EXPECT_EQ(by_kind[v1::EVENT_KIND_RE_ELECTION], 1);
  EXPECT_EQ(by_kind[v1::EVENT_KIND_CERTIFICATE_RENEWAL], 1);
  EXPECT_EQ(by_kind[v1::EVENT_KIND_DEREGISTRATION], 1);
}

TEST_F(SocialorgIntegrationTest, ATownshipClerkSeesOnlyTheTownship) {
  const std::string mine = Established(Registration(6, '2', "340722100001"));
  const std::string other = Established(Registration(7, '3', "340722200"));
  v1::GetOrganisationRequest req;
  req.set_organisation_id(other);
  v1::GetOrganisationResponse resp;
  EXPECT_EQ(Call(kTownshipClerk, [&](auto* c) { return registry_->GetOrganisation(c, req, &resp); })
                .error_message(),
            "region_code: region 340722200 is outside your scope 340722100");
  EXPECT_EQ(ChangeName(other, "2023-06-01", "新名称", nullptr, kTownshipClerk).error_message(),
            "region_code: region 340722200 is outside your scope 340722100");
  // Registering in another township is refused naming the field, and writes nothing.
  const int organisations = Count("SELECT count(*) FROM organisations");
  EXPECT_EQ(Register(Registration(8, '1', "340722200"), nullptr, kTownshipClerk).error_message(),
            "region_code: region 340722200 is outside your scope 340722100");
  EXPECT_EQ(Count("SELECT count(*) FROM organisations"), organisations);
  EXPECT_TRUE(ChangeName(mine, "2023-06-01", "新名称", nullptr, kTownshipClerk).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM org_events WHERE kind = 'CHANGE'"), 1);
  v1::ListOrganisationsRequest lreq;
  v1::ListOrganisationsResponse list;
  ASSERT_TRUE(Call(kTownshipClerk, [&](auto* c) {
                return registry_->ListOrganisations(c, lreq, &list);
              }).ok());
  ASSERT_EQ(list.organisations_size(), 1);
  EXPECT_EQ(list.organisations(0).organisation_id(), mine);
  EXPECT_EQ(list.organisations(0).kind(), v1::ORGANISATION_KIND_PRIVATE_NON_ENTERPRISE_UNIT);
}

TEST_F(SocialorgIntegrationTest, InspectionsOncePerYearFlaggedDormantAfterTwoMissingYears) {
  v1::RegisterOrganisationRequest old = Registration(8);
  old.set_establishment_date("2019-03-01");
  const std::string id = Established(old);
  v1::RegisterOrganisationRequest quiet = Registration(9, '2');
  quiet.set_establishment_date("2021-06-01");
  const std::string dormant = Established(quiet);

  v1::Inspection inspected;
  grpc::Status s = Inspect(id, 2022, "2023-06-02", v1::INSPECTION_RESULT_UNQUALIFIED, &inspected);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(inspected.officials_flagged());
  EXPECT_TRUE(inspected.late());
  EXPECT_EQ(inspected.due_date(), "2023-05-31");
  EXPECT_EQ(Inspect(id, 2022, "2023-06-03").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  ASSERT_TRUE(Inspect(id, 2021, "2022-05-20").ok());

  v1::RecordAnnualReportRequest rreq;
  rreq.set_organisation_id(id);
  rreq.set_year(2022);
  rreq.set_submitted_date("2023-03-30");
  v1::RecordAnnualReportResponse rresp;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return supervision_->RecordAnnualReport(c, rreq, &rresp);
              }).ok());
  EXPECT_FALSE(rresp.report().late());

  v1::GetSupervisionRequest greq;
  greq.set_organisation_id(id);
  v1::GetSupervisionResponse got;
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* c) { return supervision_->GetSupervision(c, greq, &got); }).ok());
  ASSERT_EQ(got.inspections_size(), 2);
  EXPECT_EQ(got.inspections(0).year(), 2021);
  ASSERT_EQ(got.inspections(1).findings_size(), 2);
  EXPECT_EQ(got.inspections(1).findings(1).note(), "报销凭证不全");
  ASSERT_EQ(got.reports_size(), 1);

  // The other one, established in 2021, has no inspection for 2021 nor 2022: dormant once the
  // 2022 inspection is overdue (from 1 June 2023), not before.
  EXPECT_EQ(Dormant("2023-05-31"), std::vector<std::string>{});
  EXPECT_EQ(Dormant("2023-06-01"), std::vector<std::string>{dormant});
  // Its 2021 inspection, done late in 2023, takes it off the list from that day.
  ASSERT_TRUE(Inspect(dormant, 2021, "2023-06-20").ok());
  EXPECT_EQ(Dormant("2023-06-19"), std::vector<std::string>{dormant});
  EXPECT_EQ(Dormant("2023-06-20"), std::vector<std::string>{});

  // A deregistered organisation takes no inspection, and nothing is written.
  v1::LifecycleEvent dereg;
  ASSERT_TRUE(Deregister(dormant, "2023-06-25", &dereg).ok());
  ASSERT_TRUE(Decide(dereg.event_id(), true, "2023-06-26").ok());
  s = Inspect(dormant, 2022, "2023-06-30");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "organisation_id: the organisation was deregistered on 2023-06-25; it takes no "
            "further reports or inspections");
  EXPECT_EQ(Count("SELECT count(*) FROM inspections WHERE year = 2022"), 1);
  // Bad input names the field.
  v1::RecordInspectionRequest bad;
  bad.set_organisation_id(id);
  bad.set_year(2020);
  bad.set_completed_date("2023-06-01");
  bad.set_result(v1::INSPECTION_RESULT_BASICALLY_QUALIFIED);
  v1::RecordInspectionResponse ignored;
  s = Call(kClerk, [&](auto* c) { return supervision_->RecordInspection(c, bad, &ignored); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "findings: a result of BASICALLY_QUALIFIED needs at least one finding");
  EXPECT_EQ(Count("SELECT count(*) FROM inspections"), 3);
}

TEST_F(SocialorgIntegrationTest, PartyBuildingIsCountedAsOfADayOverOrganisationsRegisteredThen) {
  const std::string a = Established(Registration(10));
  const std::string b = Established(Registration(11, '2'));
  v1::RegisterOrganisationRequest late = Registration(12);
  late.set_establishment_date("2023-07-01");
  const std::string c = Established(late);

  auto record = [&](const std::string& id, const std::string& date, bool party, bool union_,
                    bool league, bool women) {
    v1::RecordPartyBuildingRequest req;
    req.set_organisation_id(id);
    req.set_effective_date(date);
    req.set_party_organisation(party);
    req.set_trade_union(union_);
    req.set_youth_league(league);
    req.set_womens_organisation(women);
    req.set_in_charter(party);
    v1::RecordPartyBuildingResponse resp;
    return Call(kClerk, [&](auto* ctx) { return party_->RecordPartyBuilding(ctx, req, &resp); });
  };
  ASSERT_TRUE(record(a, "2023-03-01", false, true, false, false).ok());
  ASSERT_TRUE(record(a, "2023-05-01", true, true, false, true).ok());
  ASSERT_TRUE(record(b, "2023-04-01", true, false, true, false).ok());
  ASSERT_TRUE(record(c, "2023-07-02", true, true, true, true).ok());
  EXPECT_EQ(record(a, "2023-05-01", true, true, true, true).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  grpc::Status s = record(b, "2023-02-28", true, true, true, true);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();

  auto counts = [&](const std::string& as_of) {
    v1::CountPartyBuildingRequest req;
    req.set_as_of(as_of);
    v1::CountPartyBuildingResponse resp;
    EXPECT_TRUE(Call(kReviewer, [&](auto* ctx) {
                  return party_->CountPartyBuilding(ctx, req, &resp);
                }).ok());
    return resp.counts();
  };
  const v1::PartyBuildingCounts june = counts("2023-06-30");
  EXPECT_EQ(june.organisations(), 2);  // c was established in July
  EXPECT_EQ(june.party_organisations(), 2);
  EXPECT_EQ(june.trade_unions(), 1);
  EXPECT_EQ(june.youth_leagues(), 1);
  EXPECT_EQ(june.womens_organisations(), 1);
  EXPECT_EQ(june.in_charter(), 2);
  EXPECT_EQ(counts("2023-04-15").party_organisations(), 1);
  EXPECT_EQ(counts("2023-07-15").organisations(), 3);

  // A deregistered organisation drops out of the counts from its deregistration.
  v1::LifecycleEvent dereg;
  ASSERT_TRUE(Deregister(b, "2023-07-10", &dereg).ok());
  ASSERT_TRUE(Decide(dereg.event_id(), true, "2023-07-10").ok());
  EXPECT_EQ(counts("2023-07-15").youth_leagues(), 1);  // c's
  EXPECT_EQ(counts("2023-06-30").youth_leagues(), 1);  // b's, then
  EXPECT_EQ(counts("2023-07-15").organisations(), 2);

  v1::GetPartyBuildingRequest greq;
  greq.set_organisation_id(a);
  v1::GetPartyBuildingResponse got;
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* ctx) { return party_->GetPartyBuilding(ctx, greq, &got); }).ok());
  ASSERT_EQ(got.records_size(), 2);
  EXPECT_EQ(got.records(1).effective_date(), "2023-05-01");
  EXPECT_TRUE(got.records(1).womens_organisation());
}

// The county's first half of 2023 as the report tells it (REPORT.md 一(五)): 160 organisations
// registered before 2023 (110 social groups, 50 private non-enterprise units) inspected for 2022,
// 18 of them filing a re-election or a certificate renewal (one both), 2 deregistered, 73 new
// ones; party building on 44 of them. The summary prints the report's figures and sentences.
TEST_F(SocialorgIntegrationTest, TheSummaryOfTheFirstHalfOf2023PrintsTheReportsFigures) {
  std::vector<std::string> old;
  for (int i = 0; i < 160; ++i) {
    v1::RegisterOrganisationRequest r = Registration(100 + i, i < 110 ? '1' : '2', "340722100001");
    r.set_establishment_date("2020-01-01");
    r.set_term_start("2020-01-01");
    r.set_term_end("2023-01-01");
    r.set_certificate_valid_until("2023-01-01");
    old.push_back(Established(r));
    ASSERT_TRUE(Inspect(old.back(), 2022, "2023-04-10").ok());
  }
  for (int i = 0; i < 73; ++i) {
    v1::RegisterOrganisationRequest r = Registration(400 + i, '2', "340722200");
    r.set_establishment_date("2023-02-01");
    Established(r);
  }
  for (int i = 0; i < 10; ++i) {
    v1::LifecycleEvent e;
    ASSERT_TRUE(ReElect(old[i], "2023-03-01", "2023-01-02", "2027-12-31", &e).ok());
    ASSERT_TRUE(Decide(e.event_id(), true, "2023-03-02").ok());
  }
  for (int i = 9; i < 18; ++i) {  // old[9] re-elected and renewed: one filing organisation
    v1::FileCertificateRenewalRequest req;
    req.set_organisation_id(old[i]);
    req.set_event_date("2023-04-01");
    req.add_documents("换证申请");
    req.set_certificate_valid_until("2028-03-31");
    v1::FileCertificateRenewalResponse resp;
    ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                  return lifecycle_->FileCertificateRenewal(c, req, &resp);
                }).ok());
    ASSERT_TRUE(Decide(resp.event().event_id(), true, "2023-04-02").ok());
  }
  for (int i = 158; i < 160; ++i) {
    v1::LifecycleEvent e;
    ASSERT_TRUE(Deregister(old[i], "2023-05-15", &e).ok());
    ASSERT_TRUE(Decide(e.event_id(), true, "2023-05-16").ok());
  }
  for (int i = 0; i < 44; ++i) {
    v1::RecordPartyBuildingRequest req;
    req.set_organisation_id(old[i]);
    req.set_effective_date("2023-03-01");
    req.set_trade_union(true);
    req.set_party_organisation(i < 36);
    req.set_womens_organisation(i >= 8);
    req.set_youth_league(i < 28);
    v1::RecordPartyBuildingResponse resp;
    ASSERT_TRUE(
        Call(kClerk, [&](auto* c) { return party_->RecordPartyBuilding(c, req, &resp); }).ok());
  }
  // Outside the period: an inspection completed in July.
  ASSERT_TRUE(Inspect(old[0], 2021, "2023-07-01").ok());

  // The county station and 16 township stations accepted by 30 June and visited in the half
  // year; a 17th township's, accepted on 1 July, is not counted.
  for (int i = 0; i <= 17; ++i) {
    v1::CreateStationRequest create;
    create.set_name("社工站" + std::to_string(i));
    create.set_region_code(i == 0 ? "340722" : "340722" + std::to_string(99 + i));
    create.set_established_date("2022-06-01");
    v1::CreateStationResponse created;
    ASSERT_TRUE(
        Call(kClerk, [&](auto* c) { return stations_->CreateStation(c, create, &created); }).ok());
    v1::RecordAcceptanceRequest accept;
    accept.set_station_id(created.station().station_id());
    accept.set_accepted_date(i == 17 ? "2023-07-01" : "2023-05-20");
    accept.set_result(v1::ACCEPTANCE_RESULT_PASSED);
    v1::RecordAcceptanceResponse accepted;
    ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                  return stations_->RecordAcceptance(c, accept, &accepted);
                }).ok());
    if (i == 0 || i == 17) continue;
    v1::RecordStationVisitRequest visit;
    visit.set_station_id(created.station().station_id());
    visit.set_visited_date("2023-06-10");
    visit.set_visitor("省民政厅督导组");
    visit.set_findings("督导检查");
    v1::RecordStationVisitResponse visited;
    ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                  return stations_->RecordStationVisit(c, visit, &visited);
                }).ok());
  }

  v1::GetSummaryRequest req;
  req.set_period_start("2023-01-01");
  req.set_period_end("2023-06-30");
  v1::GetSummaryResponse summary;
  grpc::Status s = Call(kReviewer, [&](auto* c) { return summary_->GetSummary(c, req, &summary); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(summary.deregistered(), 2);
  EXPECT_EQ(summary.newly_registered(), 73);
  EXPECT_EQ(summary.re_election_or_renewal_filings(), 18);
  EXPECT_EQ(summary.re_elections(), 10);
  EXPECT_EQ(summary.certificate_renewals(), 9);
  EXPECT_EQ(summary.inspections_completed(), 160);
  EXPECT_EQ(summary.inspections_social_groups(), 110);
  EXPECT_EQ(summary.inspections_private_non_enterprise_units(), 50);
  EXPECT_EQ(summary.organisations_registered(), 160 - 2 + 73);
  EXPECT_EQ(summary.party_organisations(), 36);
  EXPECT_EQ(summary.trade_unions(), 44);
  EXPECT_EQ(summary.youth_leagues(), 28);
  EXPECT_EQ(summary.womens_organisations(), 36);
  EXPECT_TRUE(summary.county_station_accepted());
  EXPECT_EQ(summary.township_stations_accepted(), 16);
  EXPECT_EQ(summary.township_stations_visited(), 16);
  ASSERT_EQ(summary.lines_size(), 5);
  EXPECT_EQ(summary.lines(0),
            "依法办理社会组织注销2家、批准新成立社会组织73家、换届、换证备案18家");
  EXPECT_EQ(summary.lines(1), "已完成年检160家,其中社会团体110家,民办非企业50家");
  EXPECT_EQ(summary.lines(2), "已建党组织36家,工会44家,共青团28家,妇女组织36家");
  EXPECT_EQ(summary.lines(3), "完成县社工总站建设工作及全县16家社工站进行验收工作");
  EXPECT_EQ(summary.lines(4), "完成对全县16家乡镇社工站的督导工作");

  // Within one township: the 73 new ones are in another.
  req.set_region_prefix("340722100");
  summary.Clear();
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* c) { return summary_->GetSummary(c, req, &summary); }).ok());
  EXPECT_EQ(summary.newly_registered(), 0);
  EXPECT_EQ(summary.inspections_completed(), 160);
  // The auditor and the leadership read the same figures; a clerk may not read them.
  for (const TestCaller& reader : {kAuditor, kLeadership}) {
    v1::GetSummaryResponse read;
    grpc::Status r = Call(reader, [&](auto* c) { return summary_->GetSummary(c, req, &read); });
    ASSERT_TRUE(r.ok()) << reader.subject << ": " << r.error_message();
    EXPECT_EQ(read.inspections_completed(), 160) << reader.subject;
    EXPECT_EQ(read.lines(1), summary.lines(1)) << reader.subject;
  }
  grpc::Status refused =
      Call(kClerk, [&](auto* c) { return summary_->GetSummary(c, req, &summary); });
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(absl::StartsWith(refused.error_message(), "requires one of the roles: "))
      << refused.error_message();
  // A township reviewer asks for the whole county: refused naming the field.
  req.set_region_prefix("340722");
  EXPECT_EQ(Call(kTownshipReviewer, [&](auto* c) { return summary_->GetSummary(c, req, &summary); })
                .error_message(),
            "region_prefix: region 340722 is outside your scope 340722200");
}

TEST_F(SocialorgIntegrationTest, StationsAreAcceptedTheirTasksCompletedAndCountedAsOfADay) {
  auto create = [&](const std::string& name, const std::string& region, const std::string& date,
                    v1::Station* out, const TestCaller& as = kClerk) {
    v1::CreateStationRequest req;
    req.set_name(name);
    req.set_region_code(region);
    req.set_established_date(date);
    v1::CreateStationResponse resp;
    grpc::Status s = Call(as, [&](auto* c) { return stations_->CreateStation(c, req, &resp); });
    if (out != nullptr) *out = resp.station();
    return s;
  };
  auto accept = [&](const std::string& id, const std::string& date, v1::AcceptanceResult result,
                    v1::Station* out = nullptr) {
    v1::RecordAcceptanceRequest req;
    req.set_station_id(id);
    req.set_accepted_date(date);
    req.set_result(result);
    if (result == v1::ACCEPTANCE_RESULT_FAILED) req.set_notes("服务台账不全");
    v1::RecordAcceptanceResponse resp;
    grpc::Status s =
        Call(kReviewer, [&](auto* c) { return stations_->RecordAcceptance(c, req, &resp); });
    if (out != nullptr) *out = resp.station();
    return s;
  };
  auto count = [&](const std::string& as_of) {
    v1::CountStationsRequest req;
    req.set_as_of(as_of);
    v1::CountStationsResponse resp;
    grpc::Status s =
        Call(kAuditor, [&](auto* c) { return stations_->CountStations(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.counts();
  };

  // Bad input names the field and writes nothing; a township clerk may not create the county's.
  v1::Station county;
  EXPECT_EQ(create("村社工室", "340722100201", "2022-05-01", nullptr).error_message(),
            "region_code: must be a 6/9-digit region code");
  EXPECT_EQ(create("总站", "340722", "2023-07-16", nullptr).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(create("总站", "340722", "2022-05-01", nullptr, kTownshipClerk).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Count("SELECT count(*) FROM stations"), 0);

  ASSERT_TRUE(create("枞阳县社会工作服务总站", "340722", "2022-05-01", &county).ok());
  EXPECT_EQ(county.level(), v1::STATION_LEVEL_COUNTY);
  EXPECT_EQ(create("重复", "340722", "2022-05-01", nullptr).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  ASSERT_TRUE(accept(county.station_id(), "2022-11-01", v1::ACCEPTANCE_RESULT_PASSED).ok());
  std::vector<std::string> towns;
  for (int i = 0; i < 16; ++i) {
    v1::Station t;
    ASSERT_TRUE(create("乡镇社工站" + std::to_string(i), "340722" + std::to_string(100 + i),
                       "2022-06-01", &t)
                    .ok());
    towns.push_back(t.station_id());
  }
  // The first township fails once, then passes; all pass by 30 June 2023.
  ASSERT_TRUE(accept(towns[0], "2022-12-01", v1::ACCEPTANCE_RESULT_FAILED).ok());
  EXPECT_EQ(accept(towns[0], "2022-11-30", v1::ACCEPTANCE_RESULT_PASSED).error_message(),
            "accepted_date: must be after the last acceptance on 2022-12-01");
  for (int i = 0; i < 16; ++i) {
    ASSERT_TRUE(
        accept(towns[i], i < 10 ? "2023-03-01" : "2023-06-30", v1::ACCEPTANCE_RESULT_PASSED).ok());
  }
  EXPECT_EQ(accept(towns[0], "2023-07-01", v1::ACCEPTANCE_RESULT_PASSED).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The yearly task list: a task due within its year, completed once with its evidence.
  v1::AddStationTaskRequest add;
  add.set_station_id(towns[0]);
  add.set_year(2023);
  add.set_title("走访困难群众");
  add.set_due_date("2024-01-10");
  v1::AddStationTaskResponse added;
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return stations_->AddStationTask(c, add, &added); })
                .error_message(),
            "due_date: must be within the year 2023");
  add.set_due_date("2023-06-30");
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return stations_->AddStationTask(c, add, &added); }).ok());
  const std::string visits_task = added.task_id();
  add.set_title("开展社工培训");
  add.set_due_date("2023-05-31");
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return stations_->AddStationTask(c, add, &added); }).ok());
  EXPECT_EQ(added.station().tasks_size(), 2);
  v1::CompleteStationTaskRequest complete;
  complete.set_task_id(visits_task);
  complete.set_completed_date("2023-06-20");
  v1::CompleteStationTaskResponse completed;
  EXPECT_EQ(
      Call(kClerk, [&](auto* c) { return stations_->CompleteStationTask(c, complete, &completed); })
          .error_message(),
      "evidence: a completion needs the record that shows it done");
  EXPECT_EQ(Count("SELECT count(*) FROM station_task_completions"), 0);
  complete.set_evidence("走访记录表52份");
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return stations_->CompleteStationTask(c, complete, &completed);
              }).ok());
  EXPECT_EQ(
      Call(kClerk, [&](auto* c) { return stations_->CompleteStationTask(c, complete, &completed); })
          .error_message(),
      "task_id: completed already on 2023-06-20");

  v1::RecordStationVisitRequest visit;
  visit.set_station_id(towns[0]);
  visit.set_visited_date("2023-06-25");
  visit.set_visitor("县民政局督导组");
  visit.set_findings("台账规范,服务开展正常");
  v1::RecordStationVisitResponse visited;
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return stations_->RecordStationVisit(c, visit, &visited);
              }).ok());
  EXPECT_EQ(visited.station().visits_size(), 1);
  EXPECT_TRUE(visited.station().accepted());
  EXPECT_EQ(visited.station().acceptances_size(), 2);

  const v1::StationCounts june = count("2023-06-30");
  EXPECT_EQ(june.stations(), 17);
  EXPECT_EQ(june.county_accepted(), 1);
  EXPECT_EQ(june.townships_accepted(), 16);
  EXPECT_EQ(june.tasks(), 2);
  EXPECT_EQ(june.tasks_completed(), 1);
  EXPECT_EQ(june.tasks_overdue(), 1);
  const v1::StationCounts march = count("2023-03-01");
  EXPECT_EQ(march.townships_accepted(), 10);
  EXPECT_EQ(march.tasks_completed(), 0);

  // A township clerk reads only the township's station.
  v1::GetStationRequest get;
  get.set_station_id(county.station_id());
  v1::GetStationResponse got;
  EXPECT_EQ(Call(kTownshipClerk, [&](auto* c) { return stations_->GetStation(c, get, &got); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SocialorgIntegrationTest, ApprovedEstablishmentsAndDeregistrationsArePublishedOnTheOutbox) {
  auto outbox = [&]() {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    std::vector<civil::events::v1::Envelope> envelopes;
    for (const auto& row : txn.exec("SELECT envelope FROM outbox ORDER BY seq")) {
      const pqxx::binarystring bytes(row[0]);
      civil::events::v1::Envelope e;
      EXPECT_TRUE(e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
      envelopes.push_back(e);
    }
    return envelopes;
  };
  // A refused establishment and a pending one publish nothing.
  v1::RegisterOrganisationResponse refused;
  ASSERT_TRUE(Register(Registration(71), &refused).ok());
  ASSERT_TRUE(Decide(refused.establishment_event_id(), false, "2023-03-02").ok());
  v1::RegisterOrganisationResponse r;
  ASSERT_TRUE(Register(Registration(72), &r).ok());
  EXPECT_TRUE(outbox().empty());

  v1::LifecycleEvent approved;
  ASSERT_TRUE(Decide(r.establishment_event_id(), true, "2023-03-03", kReviewer, &approved).ok());
  std::vector<civil::events::v1::Envelope> events = outbox();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), "civil.socialorg.v1.OrganisationRegistered");
  EXPECT_EQ(events[0].source(), "socialorg");
  v1::OrganisationRegistered registered;
  ASSERT_TRUE(events[0].payload().UnpackTo(&registered));
  EXPECT_EQ(registered.organisation_id(), r.organisation().organisation_id());
  EXPECT_EQ(registered.credit_code(), Code('1', 72));
  EXPECT_EQ(registered.kind(), "SOCIAL_GROUP");
  EXPECT_EQ(registered.established_date(), "2023-03-01");
  EXPECT_EQ(registered.event_id(), r.establishment_event_id());

  // A change publishes on its approval (OrganisationChanged); a deregistration too.
  v1::LifecycleEvent change;
  ASSERT_TRUE(ChangeName(r.organisation().organisation_id(), "2023-04-01", "新名称", &change).ok());
  ASSERT_TRUE(Decide(change.event_id(), true, "2023-04-02").ok());
  v1::LifecycleEvent dereg;
  ASSERT_TRUE(Deregister(r.organisation().organisation_id(), "2023-06-10", &dereg).ok());
  EXPECT_EQ(outbox().size(), 2u);
  ASSERT_TRUE(Decide(dereg.event_id(), true, "2023-06-12").ok());
  events = outbox();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].type(), "civil.socialorg.v1.OrganisationChanged");
  v1::OrganisationDeregistered deregistered;
  ASSERT_TRUE(events[2].payload().UnpackTo(&deregistered));
  EXPECT_EQ(deregistered.organisation_id(), r.organisation().organisation_id());
  EXPECT_EQ(deregistered.name(), "新名称");
  EXPECT_EQ(deregistered.deregistered_date(), "2023-06-10");
}

TEST_F(SocialorgIntegrationTest, AnAgencysProjectIsEvaluatedOnceWithItsGradeAndScore) {
  const std::string id = Established(Registration(81, '2'));
  v1::RecordEvaluationRequest req;
  req.set_organisation_id(id);
  req.set_project("困境儿童关爱服务项目");
  req.set_evaluator("第三方评估机构");
  req.set_grade(v1::EVALUATION_GRADE_EXCELLENT);
  req.set_score(85);
  req.set_evaluated_date("2023-06-20");
  v1::RecordEvaluationResponse resp;
  grpc::Status s =
      Call(kClerk, [&](auto* c) { return evaluations_->RecordEvaluation(c, req, &resp); });
  EXPECT_EQ(s.error_message(), "grade: a score of 85 is GOOD");
  req.set_evaluated_date("2023-02-01");
  req.set_grade(v1::EVALUATION_GRADE_GOOD);
  s = Call(kClerk, [&](auto* c) { return evaluations_->RecordEvaluation(c, req, &resp); });
  EXPECT_EQ(s.error_message(),
            "evaluated_date: must not be before the establishment on 2023-03-01");
  EXPECT_EQ(Count("SELECT count(*) FROM project_evaluations"), 0);
  req.set_evaluated_date("2023-06-20");
  s = Call(kClerk, [&](auto* c) { return evaluations_->RecordEvaluation(c, req, &resp); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.evaluation().grade(), v1::EVALUATION_GRADE_GOOD);
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return evaluations_->RecordEvaluation(c, req, &resp); })
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::ListEvaluationsRequest list;
  list.set_organisation_id(id);
  v1::ListEvaluationsResponse listed;
  ASSERT_TRUE(Call(kAuditor, [&](auto* c) {
                return evaluations_->ListEvaluations(c, list, &listed);
              }).ok());
  ASSERT_EQ(listed.evaluations_size(), 1);
  EXPECT_EQ(listed.evaluations(0).score(), 85);
  EXPECT_EQ(listed.evaluations(0).evaluated_date(), "2023-06-20");
  // The organisation's region is outside another township clerk's scope.
  const TestCaller other{"clerk-3", "socialorg.clerk", "340722101"};
  EXPECT_EQ(Call(other, [&](auto* c) { return evaluations_->ListEvaluations(c, list, &listed); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SocialorgIntegrationTest, AnIncubationCentreAdmitsOrganisationsOfTheRegister) {
  v1::CreateIncubationCentreRequest create;
  create.set_name("新华社区社会组织孵化服务中心");
  create.set_region_code("340722100001");
  create.set_established_date("2023-05-01");
  v1::CreateIncubationCentreResponse created;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return incubation_->CreateIncubationCentre(c, create, &created);
              }).ok());
  const std::string centre = created.centre().centre_id();
  EXPECT_EQ(Call(kClerk,
                 [&](auto* c) { return incubation_->CreateIncubationCentre(c, create, &created); })
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  const std::string registered = Established(Registration(91));
  v1::RegisterOrganisationResponse pending;
  ASSERT_TRUE(Register(Registration(92), &pending).ok());
  auto admit = [&](const std::string& org, const std::string& date,
                   v1::AdmitOrganisationResponse* out) {
    v1::AdmitOrganisationRequest req;
    req.set_centre_id(centre);
    req.set_organisation_id(org);
    req.set_admitted_date(date);
    return Call(kClerk, [&](auto* c) { return incubation_->AdmitOrganisation(c, req, out); });
  };
  v1::AdmitOrganisationResponse admitted;
  EXPECT_EQ(admit(registered, "2023-04-30", &admitted).error_message(),
            "admitted_date: must not be before the centre's establishment on 2023-05-01");
  EXPECT_EQ(admit(registered, "2023-07-16", &admitted).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Count("SELECT count(*) FROM incubated_organisations"), 0);
  ASSERT_TRUE(admit(registered, "2023-05-10", &admitted).ok());
  ASSERT_TRUE(admit(pending.organisation().organisation_id(), "2023-06-01", &admitted).ok());
  EXPECT_EQ(admit(registered, "2023-06-02", &admitted).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  ASSERT_EQ(admitted.centre().organisations_size(), 2);
  EXPECT_EQ(admitted.centre().organisations(0).organisation_id(), registered);
  EXPECT_EQ(admitted.centre().organisations(1).admitted_date(), "2023-06-01");

  // Another township's clerk neither sees nor admits to it.
  const TestCaller other{"clerk-3", "socialorg.clerk", "340722101"};
  v1::GetIncubationCentreRequest get;
  get.set_centre_id(centre);
  v1::GetIncubationCentreResponse got;
  EXPECT_EQ(Call(other, [&](auto* c) { return incubation_->GetIncubationCentre(c, get, &got); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SocialorgIntegrationTest, AnIndustryAssociationSignsOneCreditCommitmentAYear) {
  v1::RegisterOrganisationRequest marked = Registration(95, '1');
  marked.set_industry_association(true);
  const std::string association = Established(marked);
  const std::string unit = Established(Registration(96, '2'));
  const std::string group = Established(Registration(94, '1'));
  // Only a social group is marked an industry association; nothing is written otherwise.
  v1::RegisterOrganisationRequest wrong = Registration(93, '2');
  wrong.set_industry_association(true);
  const int before = Count("SELECT count(*) FROM organisations");
  EXPECT_EQ(Register(wrong).error_message(),
            "industry_association: only a social group (SOCIAL_GROUP) is an industry association "
            "or chamber of commerce");
  EXPECT_EQ(Count("SELECT count(*) FROM organisations"), before);
  EXPECT_TRUE(Get(association).industry_association());
  EXPECT_FALSE(Get(group).industry_association());
  auto record = [&](const std::string& org, int year, const std::string& date) {
    v1::RecordCreditCommitmentRequest req;
    req.set_organisation_id(org);
    req.set_year(year);
    req.set_content("诚信经营、规范收费承诺书");
    req.set_signed_date(date);
    v1::RecordCreditCommitmentResponse resp;
    return Call(kClerk, [&](auto* c) { return credit_->RecordCreditCommitment(c, req, &resp); });
  };
  EXPECT_EQ(record(unit, 2023, "2023-04-01").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(record(group, 2023, "2023-04-01").error_message(),
            "organisation_id: the social group is not registered as an industry association or "
            "chamber of commerce (行业协会商会, industry_association)");
  EXPECT_EQ(record(association, 2023, "2021-04-01").error_message(),
            "signed_date: must be in 2022 or 2023");
  EXPECT_EQ(record(association, 2023, "2023-02-01").error_message(),
            "signed_date: must not be before the establishment on 2023-03-01");
  EXPECT_EQ(Count("SELECT count(*) FROM credit_commitments"), 0);
  ASSERT_TRUE(record(association, 2023, "2023-04-01").ok());
  EXPECT_EQ(record(association, 2023, "2023-05-01").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  v1::ListCreditCommitmentsRequest list;
  list.set_organisation_id(association);
  v1::ListCreditCommitmentsResponse listed;
  ASSERT_TRUE(Call(kAuditor, [&](auto* c) {
                return credit_->ListCreditCommitments(c, list, &listed);
              }).ok());
  ASSERT_EQ(listed.commitments_size(), 1);
  EXPECT_EQ(listed.commitments(0).signed_date(), "2023-04-01");

  // The clerk's list of industry associations, and the summary's 诚信建设 figures.
  v1::ListOrganisationsRequest lreq;
  lreq.set_industry_associations_only(true);
  v1::ListOrganisationsResponse associations;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return registry_->ListOrganisations(c, lreq, &associations);
              }).ok());
  ASSERT_EQ(associations.organisations_size(), 1);
  EXPECT_EQ(associations.organisations(0).organisation_id(), association);
  v1::GetSummaryRequest sreq;
  sreq.set_period_start("2023-01-01");
  sreq.set_period_end("2023-06-30");
  v1::GetSummaryResponse summary;
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* c) { return summary_->GetSummary(c, sreq, &summary); }).ok());
  EXPECT_EQ(summary.industry_associations(), 1);
  EXPECT_EQ(summary.credit_commitments_signed(), 1);
  sreq.set_period_start("2023-05-01");
  summary.Clear();
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* c) { return summary_->GetSummary(c, sreq, &summary); }).ok());
  EXPECT_EQ(summary.credit_commitments_signed(), 0);
}

TEST_F(SocialorgIntegrationTest, ASocialGroupsBranchesAreRecordedOncePerName) {
  const std::string group = Established(Registration(97, '1'));
  const std::string unit = Established(Registration(98, '2'));
  auto record = [&](const std::string& org, const std::string& name, const std::string& date) {
    v1::RecordBranchRequest req;
    req.set_organisation_id(org);
    req.set_name(name);
    req.set_principal("李某");
    req.set_scope("青年志愿服务");
    req.set_established_date(date);
    v1::RecordBranchResponse resp;
    return Call(kClerk, [&](auto* c) { return branches_->RecordBranch(c, req, &resp); });
  };
  EXPECT_EQ(record(unit, "分部", "2023-05-01").error_message(),
            "organisation_id: a private non-enterprise unit may not set up branches");
  EXPECT_EQ(record(group, "", "2023-05-01").error_message(), "name: is required");
  EXPECT_EQ(Count("SELECT count(*) FROM branches"), 0);
  ASSERT_TRUE(record(group, "青年委员会", "2023-05-01").ok());
  EXPECT_EQ(record(group, "青年委员会", "2023-06-01").error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::ListBranchesRequest list;
  list.set_organisation_id(group);
  v1::ListBranchesResponse listed;
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* c) { return branches_->ListBranches(c, list, &listed); }).ok());
  ASSERT_EQ(listed.branches_size(), 1);
  EXPECT_EQ(listed.branches(0).established_date(), "2023-05-01");
}

}  // namespace
}  // namespace civil::socialorg

namespace civil::socialorg {
namespace {

// Changes, re-elections and certificate renewals are published once per approval: on the outbox
// in the approval's transaction, and on the stream once by the relay. A rejected or pending event
// publishes nothing; a second approval is refused and publishes nothing.
TEST_F(SocialorgIntegrationTest, ChangesReElectionsAndRenewalsArePublishedOncePerApproval) {
  auto outbox = [&]() {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    std::vector<civil::events::v1::Envelope> envelopes;
    for (const auto& row : txn.exec("SELECT envelope FROM outbox ORDER BY seq")) {
      const pqxx::binarystring bytes(row[0]);
      civil::events::v1::Envelope e;
      EXPECT_TRUE(e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
      envelopes.push_back(e);
    }
    return envelopes;
  };
  auto stream_length = [&]() {
    RedisClient redis({"127.0.0.1", redis_->port(), 1, std::chrono::milliseconds(500)}, nullptr);
    auto reply = redis.Command({"XLEN", EventStream("socialorg")});
    return reply.ok() ? (*reply)->integer : -1;
  };
  v1::RegisterOrganisationRequest req = Registration(91);
  req.set_establishment_date("2018-05-01");
  req.set_term_start("2018-05-01");
  req.set_term_end("2023-04-30");
  req.set_certificate_valid_until("2023-04-30");
  const std::string id = Established(req);
  ASSERT_EQ(outbox().size(), 1u);  // OrganisationRegistered

  // A change of the domicile, the representative and the scope.
  v1::FileChangeRequest creq;
  creq.set_organisation_id(id);
  creq.set_event_date("2023-04-01");
  creq.add_documents("变更登记申请书");
  creq.mutable_change()->set_domicile("枞阳县会宫镇");
  creq.mutable_change()->set_legal_representative_name("李某");
  creq.mutable_change()->set_legal_representative_id_number(Id("19750101", false, 7));
  creq.mutable_change()->set_business_scope("养老服务");
  v1::FileChangeResponse cresp;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return lifecycle_->FileChange(c, creq, &cresp); }).ok());
  EXPECT_EQ(outbox().size(), 1u);  // pending: nothing yet
  ASSERT_TRUE(Decide(cresp.event().event_id(), true, "2023-04-02").ok());
  EXPECT_EQ(Decide(cresp.event().event_id(), true, "2023-04-02").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // A rejected name change publishes nothing.
  v1::LifecycleEvent rename;
  ASSERT_TRUE(ChangeName(id, "2023-04-05", "不予变更的名称", &rename).ok());
  ASSERT_TRUE(Decide(rename.event_id(), false, "2023-04-06").ok());

  v1::LifecycleEvent re;
  ASSERT_TRUE(ReElect(id, "2023-05-20", "2023-05-20", "2028-05-19", &re).ok());
  ASSERT_TRUE(Decide(re.event_id(), true, "2023-05-21").ok());

  v1::FileCertificateRenewalRequest rreq;
  rreq.set_organisation_id(id);
  rreq.set_event_date("2023-05-25");
  rreq.add_documents("换证申请");
  rreq.set_certificate_valid_until("2028-05-24");
  v1::FileCertificateRenewalResponse rresp;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) {
                return lifecycle_->FileCertificateRenewal(c, rreq, &rresp);
              }).ok());
  ASSERT_TRUE(Decide(rresp.event().event_id(), true, "2023-05-26").ok());
  EXPECT_EQ(Decide(rresp.event().event_id(), true, "2023-05-26").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  std::vector<civil::events::v1::Envelope> events = outbox();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].type(), "civil.socialorg.v1.OrganisationChanged");
  EXPECT_EQ(events[2].type(), "civil.socialorg.v1.OrganisationReElected");
  EXPECT_EQ(events[3].type(), "civil.socialorg.v1.OrganisationCertificateRenewed");
  for (const auto& e : events) {
    EXPECT_EQ(e.source(), "socialorg");
    EXPECT_TRUE(e.subject_index().empty());  // an organisation is no person
  }
  v1::OrganisationChanged changed;
  ASSERT_TRUE(events[1].payload().UnpackTo(&changed));
  EXPECT_EQ(changed.organisation_id(), id);
  EXPECT_EQ(changed.event_id(), cresp.event().event_id());
  EXPECT_EQ(changed.name(), req.name());
  EXPECT_TRUE(changed.previous_name().empty());
  EXPECT_EQ(changed.changed_date(), "2023-04-01");
  EXPECT_EQ(
      std::vector<std::string>(changed.changed_fields().begin(), changed.changed_fields().end()),
      (std::vector<std::string>{"domicile", "legal_representative", "business_scope"}));
  EXPECT_EQ(changed.domicile(), "枞阳县会宫镇");
  EXPECT_EQ(changed.legal_representative_name(), "李某");
  const std::string clear_id = Id("19750101", false, 7);
  EXPECT_FALSE(changed.legal_representative_id_masked().empty());
  EXPECT_NE(changed.legal_representative_id_masked(), clear_id);
  EXPECT_EQ(events[1].SerializeAsString().find(clear_id), std::string::npos);
  v1::OrganisationReElected reelected;
  ASSERT_TRUE(events[2].payload().UnpackTo(&reelected));
  EXPECT_EQ(reelected.re_election_date(), "2023-05-20");
  EXPECT_EQ(reelected.term_start(), "2023-05-20");
  EXPECT_EQ(reelected.term_end(), "2028-05-19");
  EXPECT_EQ(reelected.event_id(), re.event_id());
  v1::OrganisationCertificateRenewed renewed;
  ASSERT_TRUE(events[3].payload().UnpackTo(&renewed));
  EXPECT_EQ(renewed.renewal_date(), "2023-05-25");
  EXPECT_EQ(renewed.certificate_valid_until(), "2028-05-24");
  EXPECT_EQ(renewed.credit_code(), req.credit_code());

  // The relay puts each on the stream once; a second pass publishes nothing more.
  const int64_t before = stream_length();
  ASSERT_GE(before, 0);
  absl::StatusOr<int> published = host_->department().relay().PublishOnce();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 4);
  EXPECT_EQ(*host_->department().relay().PublishOnce(), 0);
  EXPECT_EQ(stream_length(), before + 4);
}

}  // namespace
}  // namespace civil::socialorg

namespace civil::socialorg {
namespace {

// A branch closes with a dated closure another person approves; it is then listed CLOSED and
// counted as closed from the closure's date. A rejected closure leaves the branch open.
TEST_F(SocialorgIntegrationTest, ABranchIsClosedByAnApprovedClosureListedAndCounted) {
  const std::string group = Established(Registration(61, '1'));
  const std::string foundation = Established(Registration(62, '3', "340722101"));
  auto record = [&](const std::string& org, const std::string& name, const std::string& date) {
    v1::RecordBranchRequest req;
    req.set_organisation_id(org);
    req.set_name(name);
    req.set_principal("李某");
    req.set_scope("志愿服务");
    req.set_established_date(date);
    v1::RecordBranchResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return branches_->RecordBranch(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.branch().branch_id();
  };
  const std::string youth = record(group, "青年委员会", "2023-03-10");
  const std::string women = record(group, "妇女委员会", "2023-04-01");
  record(foundation, "助学专项基金", "2023-05-01");

  auto file = [&](const std::string& branch, const std::string& date, const std::string& reason,
                  v1::FileBranchClosureResponse* out = nullptr) {
    v1::FileBranchClosureRequest req;
    req.set_branch_id(branch);
    req.set_closure_date(date);
    req.add_documents("理事会关于注销分支机构的决议");
    req.set_reason(reason);
    v1::FileBranchClosureResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return branches_->FileBranchClosure(c, req, &resp); });
    if (out != nullptr) *out = resp;
    return s;
  };
  auto approve = [&](const std::string& closure, const std::string& date, const TestCaller& as,
                     v1::ApproveBranchClosureResponse* out = nullptr) {
    v1::ApproveBranchClosureRequest req;
    req.set_closure_id(closure);
    req.set_decision_date(date);
    v1::ApproveBranchClosureResponse resp;
    grpc::Status s =
        Call(as, [&](auto* c) { return branches_->ApproveBranchClosure(c, req, &resp); });
    if (out != nullptr) *out = resp;
    return s;
  };

  // Bad input names the field and writes nothing.
  grpc::Status bad = file(youth, "2023-06-01", "");
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message(), "reason: a closure needs its reason");
  EXPECT_EQ(file(youth, "2023-07-16", "业务调整").error_message().substr(0, 13), "closure_date:");
  EXPECT_EQ(file(youth, "2023-03-09", "业务调整").error_message(),
            "closure_date: must not be before the branch's establishment on 2023-03-10");
  EXPECT_EQ(Count("SELECT count(*) FROM branch_closures"), 0);

  v1::FileBranchClosureResponse filed;
  ASSERT_TRUE(file(youth, "2023-06-01", "业务调整", &filed).ok());
  EXPECT_EQ(filed.branch().status(), v1::BRANCH_STATUS_CLOSING);
  EXPECT_EQ(filed.closure().status(), v1::EVENT_STATUS_PENDING);
  EXPECT_EQ(file(youth, "2023-06-01", "再次").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  const std::string closure = filed.closure().closure_id();

  EXPECT_EQ(approve(closure, "2023-06-02", kClerk).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // a clerk does not decide
  const TestCaller self{"clerk-1", "socialorg.reviewer", "340722"};
  grpc::Status own = approve(closure, "2023-06-02", self);
  EXPECT_EQ(own.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(own.error_message(),
            "maker-checker: the reviewer must not be the person who filed the closure");
  EXPECT_EQ(approve(closure, "2023-05-31", kReviewer).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::ApproveBranchClosureResponse approved;
  ASSERT_TRUE(approve(closure, "2023-06-02", kReviewer, &approved).ok());
  EXPECT_EQ(approved.closure().status(), v1::EVENT_STATUS_APPROVED);
  EXPECT_EQ(approved.closure().decided_by(), "reviewer-1");
  EXPECT_EQ(approved.branch().status(), v1::BRANCH_STATUS_CLOSED);
  EXPECT_EQ(approved.branch().closed_date(), "2023-06-01");
  EXPECT_EQ(approve(closure, "2023-06-03", kReviewer).error_message(),
            "closure_id: the closure is APPROVED, not pending");
  EXPECT_EQ(file(youth, "2023-06-05", "再次").error_message(),
            "branch_id: the branch is closed already");

  // A rejected closure: the branch is open again.
  v1::FileBranchClosureResponse second;
  ASSERT_TRUE(file(women, "2023-06-10", "合并", &second).ok());
  v1::RejectBranchClosureRequest reject;
  reject.set_closure_id(second.closure().closure_id());
  reject.set_decision_date("2023-06-11");
  v1::RejectBranchClosureResponse rejected;
  EXPECT_EQ(
      Call(kReviewer, [&](auto* c) { return branches_->RejectBranchClosure(c, reject, &rejected); })
          .error_message(),
      "reason: a rejection needs a written reason");
  reject.set_reason("材料不全");
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return branches_->RejectBranchClosure(c, reject, &rejected);
              }).ok());
  EXPECT_EQ(rejected.branch().status(), v1::BRANCH_STATUS_OPEN);
  EXPECT_EQ(rejected.closure().decision_reason(), "材料不全");

  v1::ListBranchesRequest list;
  list.set_organisation_id(group);
  v1::ListBranchesResponse listed;
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* c) { return branches_->ListBranches(c, list, &listed); }).ok());
  ASSERT_EQ(listed.branches_size(), 2);
  EXPECT_EQ(listed.branches(0).status(), v1::BRANCH_STATUS_CLOSED);
  EXPECT_EQ(listed.branches(0).closed_date(), "2023-06-01");
  EXPECT_EQ(listed.branches(1).status(), v1::BRANCH_STATUS_OPEN);

  auto count = [&](const std::string& as_of, const std::string& prefix = "") {
    v1::CountBranchesRequest req;
    req.set_as_of(as_of);
    req.set_region_prefix(prefix);
    v1::CountBranchesResponse resp;
    grpc::Status s =
        Call(kAuditor, [&](auto* c) { return branches_->CountBranches(c, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return std::vector<int>{resp.established(), resp.open(), resp.closed()};
  };
  EXPECT_EQ(count("2023-04-15"), (std::vector<int>{2, 2, 0}));
  EXPECT_EQ(count("2023-05-31"), (std::vector<int>{3, 3, 0}));
  EXPECT_EQ(count("2023-06-01"), (std::vector<int>{3, 2, 1}));
  EXPECT_EQ(count(""), (std::vector<int>{3, 2, 1}));
  EXPECT_EQ(count("", "340722100"), (std::vector<int>{2, 1, 1}));
  v1::CountBranchesRequest req;
  v1::CountBranchesResponse resp;
  EXPECT_EQ(
      Call(kClerk, [&](auto* c) { return branches_->CountBranches(c, req, &resp); }).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace civil::socialorg

namespace civil::socialorg {
namespace {

// An approved deregistration closes the organisation's open branches in its transaction, dated
// the deregistration's date, each with an approved closure naming the event; counts as of a later
// day count them closed; no branch is recorded for the deregistered organisation. A pending
// closure of a branch refuses the approval until it is decided, and nothing is written.
TEST_F(SocialorgIntegrationTest, AnApprovedDeregistrationClosesTheOrganisationsOpenBranches) {
  v1::RegisterOrganisationRequest req = Registration(71, '1');
  req.set_establishment_date("2020-03-01");
  const std::string group = Established(req);
  const std::string other = Established(Registration(72, '3'));
  auto record = [&](const std::string& org, const std::string& name, const std::string& date) {
    v1::RecordBranchRequest r;
    r.set_organisation_id(org);
    r.set_name(name);
    r.set_principal("李某");
    r.set_scope("志愿服务");
    r.set_established_date(date);
    v1::RecordBranchResponse resp;
    grpc::Status s = Call(kClerk, [&](auto* c) { return branches_->RecordBranch(c, r, &resp); });
    return std::make_pair(s, resp.branch().branch_id());
  };
  const std::string youth = record(group, "青年委员会", "2021-03-10").second;
  const std::string women = record(group, "妇女委员会", "2022-04-01").second;
  const std::string closed_before = record(group, "老年委员会", "2021-05-01").second;
  const std::string others = record(other, "助学专项基金", "2023-05-01").second;
  ASSERT_FALSE(youth.empty() || women.empty() || closed_before.empty() || others.empty());

  // One branch closed on its own earlier; it keeps its own closure.
  v1::FileBranchClosureRequest file;
  file.set_branch_id(closed_before);
  file.set_closure_date("2022-12-31");
  file.add_documents("理事会决议");
  file.set_reason("业务调整");
  v1::FileBranchClosureResponse filed;
  ASSERT_TRUE(
      Call(kClerk, [&](auto* c) { return branches_->FileBranchClosure(c, file, &filed); }).ok());

  v1::LifecycleEvent dereg;
  ASSERT_TRUE(Deregister(group, "2023-06-10", &dereg).ok());
  // A closure still pending refuses the approval; nothing is written.
  grpc::Status refused = Decide(dereg.event_id(), true, "2023-06-12");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(refused.error_message(),
            "event_id: a closure of the branch 老年委员会 is pending; a reviewer decides it before "
            "the deregistration");
  EXPECT_EQ(Get(group).status(), v1::ORGANISATION_STATUS_REGISTERED);
  EXPECT_EQ(Count("SELECT count(*) FROM branches WHERE status = 'CLOSED'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 2);  // the two registrations only

  v1::ApproveBranchClosureRequest approve;
  approve.set_closure_id(filed.closure().closure_id());
  approve.set_decision_date("2023-01-05");
  v1::ApproveBranchClosureResponse approved;
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return branches_->ApproveBranchClosure(c, approve, &approved);
              }).ok());
  EXPECT_TRUE(approved.closure().deregistration_event_id().empty());

  ASSERT_TRUE(Decide(dereg.event_id(), true, "2023-06-12").ok());
  EXPECT_EQ(Get(group).status(), v1::ORGANISATION_STATUS_DEREGISTERED);

  v1::ListBranchesRequest list;
  list.set_organisation_id(group);
  v1::ListBranchesResponse listed;
  ASSERT_TRUE(
      Call(kAuditor, [&](auto* c) { return branches_->ListBranches(c, list, &listed); }).ok());
  ASSERT_EQ(listed.branches_size(), 3);
  std::map<std::string, v1::Branch> by_name;
  for (const v1::Branch& b : listed.branches()) by_name[b.name()] = b;
  for (const std::string name : {"青年委员会", "妇女委员会"}) {
    EXPECT_EQ(by_name[name].status(), v1::BRANCH_STATUS_CLOSED) << name;
    EXPECT_EQ(by_name[name].closed_date(), "2023-06-10") << name;
    EXPECT_EQ(by_name[name].deregistration_event_id(), dereg.event_id()) << name;
  }
  EXPECT_EQ(by_name["老年委员会"].closed_date(), "2022-12-31");
  EXPECT_TRUE(by_name["老年委员会"].deregistration_event_id().empty());

  // The record of why: an approved closure per branch, naming the event, filed by the
  // deregistration's clerk and approved by its reviewer, with its documents.
  pqxx::connection c(dsn_);
  pqxx::nontransaction txn(c);
  pqxx::result rows = txn.exec(
      "SELECT c.closed_on::text, c.reason, c.status, c.recorded_by, c.decided_by, "
      "c.decided_on::text, array_to_string(c.documents, ','), b.name FROM branch_closures c "
      "JOIN branches b USING (branch_id) WHERE c.deregistration_event_id = " +
      txn.quote(dereg.event_id()) + " ORDER BY b.name");
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    EXPECT_EQ(row[0].as<std::string>(), "2023-06-10");
    EXPECT_EQ(row[1].as<std::string>(),
              "closed with the organisation's deregistration (注销), event " + dereg.event_id());
    EXPECT_EQ(row[2].as<std::string>(), "APPROVED");
    EXPECT_EQ(row[3].as<std::string>(), "clerk-1");
    EXPECT_EQ(row[4].as<std::string>(), "reviewer-1");
    EXPECT_EQ(row[5].as<std::string>(), "2023-06-12");
    EXPECT_EQ(row[6].as<std::string>(), "注销登记申请书");
  }

  // Counted closed from the deregistration's date; the other organisation's branch stays open.
  auto count = [&](const std::string& as_of) {
    v1::CountBranchesRequest r;
    r.set_as_of(as_of);
    v1::CountBranchesResponse resp;
    grpc::Status s = Call(kAuditor, [&](auto* c) { return branches_->CountBranches(c, r, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return std::vector<int>{resp.established(), resp.open(), resp.closed()};
  };
  EXPECT_EQ(count("2023-06-09"), (std::vector<int>{4, 3, 1}));
  EXPECT_EQ(count("2023-06-10"), (std::vector<int>{4, 1, 3}));
  EXPECT_EQ(count(""), (std::vector<int>{4, 1, 3}));

  // Nothing further: no branch recorded, no closure filed.
  auto late = record(group, "新委员会", "2023-06-01");
  EXPECT_EQ(late.first.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(late.first.error_message().substr(0, 16), "organisation_id:");
  EXPECT_NE(late.first.error_message().find("deregistered on 2023-06-10"), std::string::npos);
  file.set_branch_id(youth);
  file.set_closure_date("2023-07-01");
  EXPECT_EQ(Call(kClerk, [&](auto* c) { return branches_->FileBranchClosure(c, file, &filed); })
                .error_message(),
            "branch_id: the branch is closed already");
  EXPECT_EQ(Count("SELECT count(*) FROM branches"), 4);

  // Migration 0012 closes the branches of organisations deregistered before 0011 the same way:
  // with the state as that code left it (the deregistration approved, its branches OPEN), the
  // migration writes the same closures; the branch closed on its own keeps its own.
  const std::string before_0011 =
      "DELETE FROM branch_closures WHERE deregistration_event_id IS NOT NULL; UPDATE branches "
      "SET status = 'OPEN', closed_on = NULL WHERE name IN ('青年委员会', '妇女委员会')";
  txn.exec0(before_0011);
  EXPECT_EQ(Count("SELECT count(*) FROM branches WHERE status = 'OPEN'"), 3);
  const auto& all = Migrations();
  const auto found = std::find_if(all.begin(), all.end(),
                                  [](const civil::Migration& m) { return m.version == 12; });
  ASSERT_NE(found, all.end());
  const civil::Migration& backfill = *found;
  txn.exec0(std::string(backfill.sql));
  EXPECT_EQ(txn.exec1("SELECT count(*) FROM branch_closures WHERE deregistration_event_id = " +
                      txn.quote(dereg.event_id()) +
                      " AND closed_on = '2023-06-10' AND status = 'APPROVED' AND recorded_by = "
                      "'clerk-1' AND decided_by = 'reviewer-1' AND decided_on = '2023-06-12'")[0]
                .as<int>(),
            2);
  EXPECT_EQ(Count("SELECT count(*) FROM branches WHERE status = 'CLOSED' AND closed_on = "
                  "'2023-06-10'"),
            2);
  EXPECT_EQ(count("2023-06-10"), (std::vector<int>{4, 1, 3}));
  txn.exec0(
      std::string(backfill.sql));  // nothing OPEN of a deregistered organisation is left for it
  EXPECT_EQ(Count("SELECT count(*) FROM branch_closures"), 3);
}

// A deregistration dated before a branch was set up is refused on approval, naming the branch.
TEST_F(SocialorgIntegrationTest, ADeregistrationDatedBeforeABranchWasSetUpIsRefused) {
  v1::RegisterOrganisationRequest req = Registration(73, '1');
  req.set_establishment_date("2020-03-01");
  const std::string group = Established(req);
  v1::RecordBranchRequest r;
  r.set_organisation_id(group);
  r.set_name("青年委员会");
  r.set_principal("李某");
  r.set_scope("志愿服务");
  r.set_established_date("2023-06-01");
  v1::RecordBranchResponse resp;
  ASSERT_TRUE(Call(kClerk, [&](auto* c) { return branches_->RecordBranch(c, r, &resp); }).ok());
  v1::LifecycleEvent dereg;
  ASSERT_TRUE(Deregister(group, "2023-05-20", &dereg).ok());
  grpc::Status refused = Decide(dereg.event_id(), true, "2023-06-12");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(refused.error_message(),
            "event_id: the branch 青年委员会 was set up on 2023-06-01, after the deregistration's "
            "date 2023-05-20");
  EXPECT_EQ(Get(group).status(), v1::ORGANISATION_STATUS_REGISTERED);
  EXPECT_EQ(Count("SELECT count(*) FROM branch_closures"), 0);
}

// The overdue-supervision worklist of a year: organisations registered before it and not
// deregistered, without the year's report after 31 March or its inspection after 31 May of the
// next year, one row per missing duty with its deadline; as of a day; within the caller's scope.
TEST_F(SocialorgIntegrationTest, TheOverdueSupervisionWorklistNamesWhatIsMissingAndItsDeadline) {
  auto established = [&](int serial, const std::string& date,
                         const std::string& region = "340722100") {
    v1::RegisterOrganisationRequest req = Registration(serial, '1', region);
    req.set_establishment_date(date);
    return Established(req);
  };
  const std::string none = established(81, "2020-03-01");      // neither report nor inspection
  const std::string reported = established(82, "2021-03-01");  // report only
  const std::string complete = established(83, "2021-03-01");  // both
  const std::string late = established(84, "2021-03-01");      // report submitted late
  const std::string newcomer = established(85, "2022-02-01");  // registered during 2022: owes it
  const std::string gone = established(86, "2020-03-01");      // deregistered
  const std::string elsewhere = established(87, "2020-03-01", "340722101");  // other township
  auto report = [&](const std::string& id, const std::string& date) {
    v1::RecordAnnualReportRequest r;
    r.set_organisation_id(id);
    r.set_year(2022);
    r.set_submitted_date(date);
    v1::RecordAnnualReportResponse resp;
    grpc::Status s =
        Call(kClerk, [&](auto* c) { return supervision_->RecordAnnualReport(c, r, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
  };
  report(reported, "2023-03-20");
  report(complete, "2023-03-31");
  ASSERT_TRUE(Inspect(complete, 2022, "2023-05-31").ok());
  report(late, "2023-06-20");
  v1::LifecycleEvent dereg;
  ASSERT_TRUE(Deregister(gone, "2023-02-01", &dereg).ok());
  ASSERT_TRUE(Decide(dereg.event_id(), true, "2023-02-02").ok());

  auto list = [&](int year, const std::string& as_of, const std::string& prefix = "",
                  const TestCaller& as = kClerk, grpc::Status* status = nullptr) {
    v1::ListOverdueSupervisionRequest r;
    r.set_year(year);
    r.set_as_of(as_of);
    r.set_region_prefix(prefix);
    v1::ListOverdueSupervisionResponse resp;
    grpc::Status s =
        Call(as, [&](auto* c) { return supervision_->ListOverdueSupervision(c, r, &resp); });
    if (status != nullptr)
      *status = s;
    else
      EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> rows;
    for (const auto& i : resp.items()) {
      rows.push_back(i.organisation_id() + " " + v1::SupervisionDuty_Name(i.missing()) + " " +
                     i.deadline() + " +" + std::to_string(i.days_overdue()));
      EXPECT_EQ(i.year(), year);
    }
    return rows;
  };
  using Rows = std::vector<std::string>;
  const std::string R = " SUPERVISION_DUTY_ANNUAL_REPORT 2023-03-31 +";
  const std::string I = " SUPERVISION_DUTY_INSPECTION 2023-05-31 +";
  // 31 March itself is not overdue; 1 April is.
  EXPECT_EQ(list(2022, "2023-03-31"), Rows{});
  EXPECT_EQ(list(2022, "2023-04-01"),
            (Rows{none + R + "1", late + R + "1", newcomer + R + "1", elsewhere + R + "1"}));
  // 31 May / 1 June; the late report counts from its submission; default today (2023-07-15).
  EXPECT_EQ(list(2022, "2023-05-31"),
            (Rows{none + R + "61", late + R + "61", newcomer + R + "61", elsewhere + R + "61"}));
  EXPECT_EQ(
      list(2022, "2023-06-01"),
      (Rows{none + R + "62", none + I + "1", reported + I + "1", late + R + "62", late + I + "1",
            newcomer + R + "62", newcomer + I + "1", elsewhere + R + "62", elsewhere + I + "1"}));
  EXPECT_EQ(list(2022, ""), (Rows{none + R + "106", none + I + "45", reported + I + "45",
                                  late + I + "45", newcomer + R + "106", newcomer + I + "45",
                                  elsewhere + R + "106", elsewhere + I + "45"}));
  // Within a township; a township clerk sees only the township.
  EXPECT_EQ(list(2022, "", "340722101"), (Rows{elsewhere + R + "106", elsewhere + I + "45"}));
  EXPECT_EQ(list(2022, "", "", kTownshipClerk).size(), 6u);
  // The year before: those registered by the end of 2021 owe it (the three of 2021 too, and
  // gone, still registered on 2023-01-01); the newcomer of 2022 does not.
  const std::string R21 = " SUPERVISION_DUTY_ANNUAL_REPORT 2022-03-31 +276";
  const std::string I21 = " SUPERVISION_DUTY_INSPECTION 2022-05-31 +215";
  EXPECT_EQ(
      list(2021, "2023-01-01"),
      (Rows{none + R21, none + I21, reported + R21, reported + I21, complete + R21, complete + I21,
            late + R21, late + I21, gone + R21, gone + I21, elsewhere + R21, elsewhere + I21}));

  // Bad input names the field; outside the scope is refused; an auditor may not ask.
  grpc::Status s;
  list(2023, "2023-07-15", "", kClerk, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "year: must be from 1990 to the year before the as_of (2022)");
  list(1989, "", "", kClerk, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  list(2022, "2023-07-16", "", kClerk, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 6), "as_of:");
  list(2022, "", "340722101", kTownshipClerk, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message().substr(0, 14), "region_prefix:");
  list(2022, "", "", kAuditor, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const TestCaller reviewer{"reviewer-2", "socialorg.reviewer", "340722"};
  EXPECT_EQ(list(2022, "", "", reviewer).size(), 8u);
}

}  // namespace
}  // namespace civil::socialorg
