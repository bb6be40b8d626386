// Integration tests of 临时救助, mutual aid, outreach, audits, reviews and the bank file: the real
// gRPC services in-process over a real PostgreSQL and Redis (tests/support/assistance_testbed.h),
// callers identified by metadata as the gateway forwards it. Households and enrolments are made
// through the real HouseholdService and ApplicationService, so that audits see real data; what
// only imported data could contain is written with SQL.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "services/assistance/relief_figures_service.h"
#include "tests/support/assistance_testbed.h"

namespace civil::assistance {
namespace {

using namespace civil::assistance::v1;       // NOLINT: test brevity
using namespace civil::assistance::testbed;  // NOLINT: test brevity
using civil::common::v1::AREA_RURAL;

// Callers besides the testbed's clerk (340722100), reviewer and auditor (county).
const Who kTownship{"township-1", "assistance.clerk", "340722100"};
const Who kVillageClerk{"village-1", "assistance.clerk", "340722100201"};
const Who kOtherAuditor{"auditor-2", "auditor", "340722200"};
const Who kClerk3{"clerk-c", "assistance.clerk", "340722300"};
const Who kClerk4{"clerk-d", "assistance.clerk", "340722400"};
const Who kTownship4{"township-4", "assistance.clerk", "340722400"};

class ReliefIntegrationTest : public AssistanceTestbed {
 protected:
  // County standards from 2023-01-01: rural 低保 640 yuan, 特困 832 yuan, retired workers' subsidy
  // 310 yuan.
  void SetUp() override {
    AssistanceTestbed::SetUp();
    SetStandards({{PROGRAMME_DIBAO, AREA_RURAL, 64000},
                  {PROGRAMME_TEKUN, AREA_RURAL, 83200},
                  {PROGRAMME_RETIRED_WORKER_SUBSIDY, AREA_RURAL, 31000}});
  }

  ReliefCase NewCase(const Household& h, int64_t amount_fen, const std::string& on,
                     bool emergency = false, const Who& clerk = kClerk, int member = 0) {
    CreateReliefCaseRequest request;
    request.set_household_id(h.household_id());
    request.set_member_id(h.members(member).member_id());
    request.set_reason("因病");
    request.set_amount_fen(amount_fen);
    request.set_happened_on(on);
    request.set_emergency(emergency);
    CreateReliefCaseResponse response;
    grpc::Status s = relief_->CreateReliefCase(As(clerk).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.relief_case();
  }

  grpc::Status Approve(const Who& who, const std::string& case_id, const std::string& on,
                       ReliefCase* out) {
    ApproveReliefCaseRequest request;
    request.set_case_id(case_id);
    request.set_decided_on(on);
    ApproveReliefCaseResponse response;
    grpc::Status s = relief_->ApproveReliefCase(As(who).get(), request, &response);
    *out = response.relief_case();
    return s;
  }

  grpc::Status PayCase(const Who& who, const std::string& case_id, const std::string& on,
                       ReliefCase* out, int64_t amount_fen = 0) {
    PayReliefCaseRequest request;
    request.set_case_id(case_id);
    request.set_paid_on(on);
    request.set_amount_fen(amount_fen);
    PayReliefCaseResponse response;
    grpc::Status s = relief_->PayReliefCase(As(who).get(), request, &response);
    *out = response.relief_case();
    return s;
  }

  std::vector<ReliefCase> Overdue(const std::string& prefix, const std::string& as_of) {
    ListOverdueReliefCasesRequest request;
    request.set_region_prefix(prefix);
    request.set_as_of(as_of);
    ListOverdueReliefCasesResponse response;
    grpc::Status s = relief_->ListOverdueReliefCases(As(kReviewer).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.relief_cases().begin(), response.relief_cases().end()};
  }

  RunAuditResponse Audit(const std::string& prefix, const std::string& as_of) {
    RunAuditRequest request;
    request.set_region_prefix(prefix);
    request.set_as_of(as_of);
    RunAuditResponse response;
    grpc::Status s = audit_->RunAudit(As(kAuditor).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  static std::map<int, int64_t> ByKind(const RunAuditResponse& run) {
    std::map<int, int64_t> out;
    for (const auto& k : run.found()) out[k.kind()] = k.count();
    return out;
  }

  static const Finding* FindKind(const RunAuditResponse& run, v1::FindingKind kind) {
    for (const auto& f : run.findings()) {
      if (f.kind() == kind) return &f;
    }
    return nullptr;
  }
};

TEST_F(ReliefIntegrationTest, TownshipApprovesUpToTheLimitAndTheCountyAbove) {
  Household h = NewHousehold("340722100201", {{IdNumber(1, 1960), 1}});

  // Bad input names the field; nothing is stored.
  CreateReliefCaseRequest bad;
  bad.set_household_id(h.household_id());
  bad.set_member_id(h.members(0).member_id());
  bad.set_reason("因病");
  CreateReliefCaseResponse ignored;
  grpc::Status s = relief_->CreateReliefCase(As(kClerk).get(), bad, &ignored);
  EXPECT_EQ(s.error_message(), "amount_fen: must be greater than zero");
  bad.set_amount_fen(1000);
  bad.set_happened_on("2099-01-01");
  s = relief_->CreateReliefCase(As(kClerk).get(), bad, &ignored);
  // The kit's EventDate names the field and the day it checked against: "… (today is …)".
  EXPECT_EQ(s.error_message().rfind("happened_on: must not be in the future (today is ", 0), 0u)
      << s.error_message();
  bad.set_happened_on("2023-03-01");
  s = relief_->CreateReliefCase(As(kClerk3).get(), bad, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      Count("SELECT count(*) FROM relief_cases WHERE household_id = '" + h.household_id() + "'"),
      0);

  // 800 yuan: the township decides, but not the clerk who recorded it.
  ReliefCase small = NewCase(h, 80000, "2023-03-01");
  EXPECT_EQ(small.status(), RELIEF_CASE_STATUS_SUBMITTED);
  EXPECT_EQ(small.id_number_masked(), h.members(0).id_number_masked());
  ReliefCase out;
  s = Approve(kClerk, small.case_id(), "2023-03-02", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(),
            "maker-checker: the decision must not be made by the clerk who submitted the case");
  s = Approve(kVillageClerk, small.case_id(), "2023-03-02", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  s = PayCase(kTownship, small.case_id(), "2023-03-02", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  s = Approve(kTownship, small.case_id(), "2023-02-28", &out);
  EXPECT_EQ(s.error_message(), "decided_on: before the case happened (2023-03-01)");
  ASSERT_TRUE(Approve(kTownship, small.case_id(), "2023-03-02", &out).ok());
  EXPECT_EQ(out.status(), RELIEF_CASE_STATUS_APPROVED);
  EXPECT_EQ(out.approval_level(), APPROVAL_LEVEL_TOWNSHIP);
  s = PayCase(kClerk, small.case_id(), "2023-03-05", &out, 90000);
  EXPECT_EQ(s.error_message(), "amount_fen: more than the 800.00 yuan granted");
  ASSERT_TRUE(PayCase(kClerk, small.case_id(), "2023-03-05", &out).ok());
  EXPECT_EQ(out.status(), RELIEF_CASE_STATUS_PAID);
  EXPECT_EQ(out.paid_on(), "2023-03-05");
  EXPECT_EQ(out.paid_fen(), 80000);
  ASSERT_EQ(out.history_size(), 3);
  EXPECT_EQ(out.history(1).action(), "APPROVED");
  EXPECT_EQ(out.history(1).actor(), "township-1");
  EXPECT_TRUE(out.history(2).late_entry());
  s = PayCase(kClerk, small.case_id(), "2023-03-06", &out);
  EXPECT_EQ(s.error_message(), "relief case is PAID: it is paid already");

  // 1500 yuan: above the township limit, the county decides.
  ReliefCase large = NewCase(h, 150000, "2023-03-10");
  s = Approve(kTownship, large.case_id(), "2023-03-11", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(),
            "amount_fen: 1500.00 yuan is above the township limit of 1000.00 yuan: the county "
            "decides it (assistance.reviewer with a county scope)");
  ASSERT_TRUE(Approve(kReviewer, large.case_id(), "2023-03-12", &out).ok());
  EXPECT_EQ(out.approval_level(), APPROVAL_LEVEL_COUNTY);
  ASSERT_TRUE(PayCase(kTownship, large.case_id(), "2023-03-15", &out).ok());
  EXPECT_EQ(out.paid_fen(), 150000);

  // Rejection needs a reason; a rejected case is not paid.
  ReliefCase third = NewCase(h, 20000, "2023-04-01");
  RejectReliefCaseRequest reject;
  reject.set_case_id(third.case_id());
  reject.set_decided_on("2023-04-02");
  RejectReliefCaseResponse rejected;
  s = relief_->RejectReliefCase(As(kTownship).get(), reject, &rejected);
  EXPECT_EQ(s.error_message(), "reason: a rejection needs a written reason");
  reject.set_reason("已获其他救助");
  ASSERT_TRUE(relief_->RejectReliefCase(As(kTownship).get(), reject, &rejected).ok());
  EXPECT_EQ(rejected.relief_case().status(), RELIEF_CASE_STATUS_REJECTED);
  s = PayCase(kTownship, third.case_id(), "2023-04-03", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  ListReliefCasesRequest list;
  list.set_region_prefix("340722100201");
  list.set_status(RELIEF_CASE_STATUS_PAID);
  ListReliefCasesResponse listed;
  ASSERT_TRUE(relief_->ListReliefCases(As(kClerk).get(), list, &listed).ok());
  EXPECT_EQ(listed.relief_cases_size(), 2);
  GetReliefCaseRequest get;
  get.set_case_id(small.case_id());
  GetReliefCaseResponse got;
  s = relief_->GetReliefCase(As(kClerk3).get(), get, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReliefIntegrationTest, EmergencyPaidFirstIsListedOnceOverdue) {
  Household h = NewHousehold("340722100202", {{IdNumber(10, 1975), 1}});
  ReliefCase c = NewCase(h, 200000, "2023-04-01", /*emergency=*/true);
  ReliefCase out;
  ASSERT_TRUE(PayCase(kClerk, c.case_id(), "2023-04-02", &out).ok());
  EXPECT_EQ(out.status(), RELIEF_CASE_STATUS_PAID_PENDING_COMPLETION);
  EXPECT_EQ(out.completion_due(), "2023-05-02");
  EXPECT_EQ(out.history(1).action(), "PAID_FIRST");

  EXPECT_TRUE(Overdue("340722100202", "2023-05-02").empty());
  std::vector<ReliefCase> overdue = Overdue("340722100202", "2023-05-03");
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].case_id(), c.case_id());
  EXPECT_EQ(Overdue("340722100202", "").size(), 1u);

  // Completing it is the approval, at the level its amount needs.
  grpc::Status s = Approve(kTownship, c.case_id(), "2023-05-10", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Approve(kReviewer, c.case_id(), "2023-05-10", &out).ok());
  EXPECT_EQ(out.status(), RELIEF_CASE_STATUS_PAID);
  EXPECT_EQ(out.history(2).action(), "COMPLETED");
  EXPECT_TRUE(Overdue("340722100202", "").empty());
}

TEST_F(ReliefIntegrationTest, OneMutualAidSocietyPerVillage) {
  RegisterSocietyRequest request;
  request.set_region_code("340722300001");
  request.set_name("一村救急难互助社");
  request.set_registered_on("2023-02-01");
  RegisterSocietyResponse society;
  ASSERT_TRUE(mutual_aid_stub_->RegisterSociety(As(kClerk3).get(), request, &society).ok());
  RegisterSocietyResponse again;
  grpc::Status s = mutual_aid_stub_->RegisterSociety(As(kClerk3).get(), request, &again);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(s.error_message(), "region_code: 340722300001 already has a mutual-aid society");
  request.set_region_code("340722300");
  s = mutual_aid_stub_->RegisterSociety(As(kClerk3).get(), request, &again);
  EXPECT_EQ(s.error_message(), "region_code: must be a 12-digit village/community code");
  request.set_region_code("340722100001");
  s = mutual_aid_stub_->RegisterSociety(As(kClerk3).get(), request, &again);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  Household here = NewHousehold("340722300001", {{IdNumber(20, 1980), 1}}, kClerk3);
  Household there = NewHousehold("340722300002", {{IdNumber(21, 1980), 1}}, kClerk3);
  NewHousehold("340722300003", {{IdNumber(22, 1980), 1}}, kClerk3);
  RecordMutualAidCaseRequest help;
  help.set_society_id(society.society().society_id());
  help.set_household_id(here.household_id());
  help.set_member_id(here.members(0).member_id());
  help.set_amount_fen(50000);
  help.set_helped_on("2023-03-01");
  RecordMutualAidCaseResponse helped;
  ASSERT_TRUE(mutual_aid_stub_->RecordMutualAidCase(As(kClerk3).get(), help, &helped).ok());
  EXPECT_EQ(helped.mutual_aid_case().region_code(), "340722300001");
  help.set_helped_on("2023-01-15");
  s = mutual_aid_stub_->RecordMutualAidCase(As(kClerk3).get(), help, &helped);
  EXPECT_EQ(s.error_message(), "helped_on: before the society was registered (2023-02-01)");
  help.set_helped_on("2023-03-01");
  help.set_household_id(there.household_id());
  help.set_member_id(there.members(0).member_id());
  s = mutual_aid_stub_->RecordMutualAidCase(As(kClerk3).get(), help, &helped);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "household_id: the household lives in 340722300002, not in the society's village "
            "340722300001");

  // Coverage: villages known from households (3), or as the caller says (10).
  GetMutualAidCoverageRequest coverage;
  coverage.set_region_prefix("340722300");
  GetMutualAidCoverageResponse covered;
  ASSERT_TRUE(mutual_aid_stub_->GetMutualAidCoverage(As(kClerk3).get(), coverage, &covered).ok());
  EXPECT_EQ(covered.societies_registered(), 1);
  EXPECT_EQ(covered.villages_known(), 3);
  EXPECT_EQ(covered.villages_known_source(), VILLAGE_COUNT_SOURCE_HOUSEHOLDS);
  EXPECT_EQ(covered.coverage_permille(), 333);
  EXPECT_EQ(covered.uncovered_region_codes_size(), 2);
  coverage.set_as_of("2023-01-31");
  ASSERT_TRUE(mutual_aid_stub_->GetMutualAidCoverage(As(kClerk3).get(), coverage, &covered).ok());
  EXPECT_EQ(covered.societies_registered(), 0);
  coverage.set_as_of("");
  coverage.set_villages_known(10);
  ASSERT_TRUE(mutual_aid_stub_->GetMutualAidCoverage(As(kClerk3).get(), coverage, &covered).ok());
  EXPECT_EQ(covered.coverage_permille(), 100);
  EXPECT_EQ(covered.villages_known_source(), VILLAGE_COUNT_SOURCE_REQUEST);

  ListMutualAidCasesRequest cases;
  cases.set_society_id(society.society().society_id());
  ListMutualAidCasesResponse listed;
  ASSERT_TRUE(mutual_aid_stub_->ListMutualAidCases(As(kClerk3).get(), cases, &listed).ok());
  EXPECT_EQ(listed.mutual_aid_cases_size(), 1);
}

TEST_F(ReliefIntegrationTest, HealthChecksOnlyForTekunInDispersedCare) {
  Household dispersed = NewHousehold("340722100205", {{IdNumber(30, 1945), 1}});
  Household centralised = NewHousehold("340722100205", {{IdNumber(31, 1946), 1}});
  Household dibao = NewHousehold("340722100205", {{IdNumber(32, 1947), 1}});
  Enrol(dispersed, PROGRAMME_TEKUN, 0, "2023-01-03", "2023-01-20",
        {.member_id = dispersed.members(0).member_id(), .care = CARE_MODE_DISPERSED});
  Enrol(centralised, PROGRAMME_TEKUN, 0, "2023-01-03", "2023-01-20",
        {.member_id = centralised.members(0).member_id(), .care = CARE_MODE_CENTRALISED});
  Enrol(dibao, PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-20");

  CreateHealthCheckBatchRequest create;
  create.set_region_prefix("340722");
  create.set_provider("枞阳华瑞医院");
  create.set_name("第一批");
  create.set_service("生命体征检测等家庭医生服务");
  create.set_started_on("2023-05-01");
  CreateHealthCheckBatchResponse batch;
  grpc::Status s = outreach_stub_->CreateHealthCheckBatch(As(kClerk).get(), create, &batch);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);  // a county batch
  ASSERT_TRUE(outreach_stub_->CreateHealthCheckBatch(As(kReviewer).get(), create, &batch).ok());

  auto check = [&](const Household& h, const std::string& on) {
    RecordHealthCheckRequest request;
    request.set_batch_id(batch.batch().batch_id());
    request.set_household_id(h.household_id());
    request.set_member_id(h.members(0).member_id());
    request.set_checked_on(on);
    request.set_health_record("血压 135/85,血糖正常");
    RecordHealthCheckResponse response;
    return outreach_stub_->RecordHealthCheck(As(kClerk).get(), request, &response);
  };
  ASSERT_TRUE(check(dispersed, "2023-05-10").ok());
  s = check(dispersed, "2023-05-11");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  s = check(centralised, "2023-05-10");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "member_id: " + centralised.members(0).id_number_masked() +
                                   " is not in an active 特困 enrolment with dispersed care "
                                   "(分散供养) on 2023-05-10");
  s = check(dibao, "2023-05-10");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  s = check(centralised, "2023-04-10");
  EXPECT_EQ(s.error_message(), "checked_on: before the batch started (2023-05-01)");

  ListHealthChecksRequest list;
  list.set_batch_id(batch.batch().batch_id());
  ListHealthChecksResponse listed;
  ASSERT_TRUE(outreach_stub_->ListHealthChecks(As(kClerk).get(), list, &listed).ok());
  ASSERT_EQ(listed.health_checks_size(), 1);
  EXPECT_EQ(listed.health_checks(0).health_record(), "血压 135/85,血糖正常");
  EXPECT_FALSE(listed.health_checks(0).enrolment_id().empty());
}

TEST_F(ReliefIntegrationTest, AuditFindsEveryKindOnceAndKeepsDecisions) {
  const std::string village = "340722100206";
  // 重复享受 (exclusive): 低保 through the workflow, and an imported 特困 enrolment overlapping it.
  Household h1 = NewHousehold(village, {{IdNumber(40, 1950), 1}});
  Enrolment e1 = Enrol(h1, PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-15");
  const std::string imported = Exec1(
      "INSERT INTO enrolments (programme, area, household_id, region_code, status, start_month, "
      "end_month, care_mode) VALUES ('TEKUN', 'RURAL', '" +
      h1.household_id() + "', '" + village +
      "', 'ENDED', '2023-01-01', '2023-06-01', 'DISPERSED') RETURNING enrolment_id::text");
  Exec1(
      "INSERT INTO enrolment_members (enrolment_id, member_id, id_index, exclusive_group, "
      "start_month, end_month, active, exit_reason) SELECT '" +
      imported +
      "', member_id, id_index, 'SUBSISTENCE', '2023-01-01', '2023-06-01', false, "
      "'OTHER' FROM household_members WHERE member_id = '" +
      h1.members(0).member_id() + "'");
  // A review due date passed (as imported data has it).
  Exec1("UPDATE enrolments SET review_due = '2023-05-01' WHERE enrolment_id = '" +
        e1.enrolment_id() + "'");

  // 重复享受 (two households): a member leaves a 低保 household still enrolled there, heads a new
  // household and gets the retired workers' subsidy in it.
  Household h2 = NewHousehold(village, {{IdNumber(41, 1960), 1}, {IdNumber(42, 1985), 3}});
  Enrol(h2, PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-15");
  UpdateHouseholdMembersRequest leave;
  leave.set_household_id(h2.household_id());
  auto* head = leave.add_members();
  head->set_name("成员0");
  head->set_id_number(IdNumber(41, 1960));
  head->set_relation(RELATION_HEAD);
  UpdateHouseholdMembersResponse left;
  ASSERT_TRUE(household_->UpdateHouseholdMembers(As(kClerk).get(), leave, &left).ok());
  Household h3 = NewHousehold(village, {{IdNumber(42, 1985), 1}});
  Enrol(h3, PROGRAMME_RETIRED_WORKER_SUBSIDY, 0, "2023-03-01", "2023-03-20",
        {.member_id = h3.members(0).member_id()});

  // 违规享受: paid after an exit for income, and after a death (payments written as imported).
  Household h4 = NewHousehold(village, {{IdNumber(43, 1970), 1}});
  Enrolment e4 = Enrol(h4, PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-15");
  Exit(e4, "", EXIT_REASON_INELIGIBLE_INCOME, "2023-03-10");
  Exec1(
      "INSERT INTO payments (enrolment_id, month, programme, area, region_code, household_id, "
      "persons, amount_fen) VALUES ('" +
      e4.enrolment_id() + "', '2023-05-01', 'DIBAO', 'RURAL', '" + village + "', '" +
      h4.household_id() + "', 1, 64000)");
  Household h5 = NewHousehold(village, {{IdNumber(44, 1940), 1}});
  Enrolment e5 = Enrol(h5, PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-15");
  Exit(e5, "", EXIT_REASON_DEATH, "2023-03-10");
  Exec1(
      "INSERT INTO payments (enrolment_id, month, programme, area, region_code, household_id, "
      "persons, amount_fen) VALUES ('" +
      e5.enrolment_id() + "', '2023-04-01', 'DIBAO', 'RURAL', '" + village + "', '" +
      h5.household_id() + "', 1, 64000)");
  // Not a finding: one of two members dies, the household goes on with one person's amount.
  Household h6 = NewHousehold(village, {{IdNumber(45, 1941), 1}, {IdNumber(46, 1943), 2}});
  Enrolment e6 = Enrol(h6, PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-15");
  Exit(e6, h6.members(0).member_id(), EXIT_REASON_DEATH, "2023-03-10");
  RunDisbursementResponse may;
  ASSERT_TRUE(Pay(PROGRAMME_DIBAO, "2023-05", &may, village).ok());
  EXPECT_EQ(may.batch().payments(), 3);  // h1, h2, h6

  // 应享未享: investigated below the line, not enrolled; and two households that are not.
  Household h7 = NewHousehold(village, {{IdNumber(47, 1965), 1}, {IdNumber(48, 1990), 3}});
  Investigated(h7, PROGRAMME_DIBAO, 50000, "2023-05-10");
  Household h8 = NewHousehold(village, {{IdNumber(49, 1965), 1}});
  Investigated(h8, PROGRAMME_DIBAO, 200000, "2023-05-10");  // above the line
  Household h9 = NewHousehold(village, {{IdNumber(50, 1966), 1}});
  const std::string rejected = Investigated(h9, PROGRAMME_DIBAO, 0, "2023-05-10");
  RejectApplicationRequest reject;
  reject.set_application_id(rejected);
  reject.set_reason("有赡养人");
  reject.set_decided_on("2023-05-20");
  RejectApplicationResponse rejected_response;
  ASSERT_TRUE(
      application_->RejectApplication(As(kReviewer).get(), reject, &rejected_response).ok());

  RunAuditResponse first = Audit(village, "2023-06-30");
  std::map<int, int64_t> kinds = ByKind(first);
  EXPECT_EQ(kinds[FINDING_KIND_EXCLUSIVE_ENROLMENTS], 1);
  EXPECT_EQ(kinds[FINDING_KIND_TWO_HOUSEHOLDS], 1);
  EXPECT_EQ(kinds[FINDING_KIND_PAID_AFTER_END], 1);
  EXPECT_EQ(kinds[FINDING_KIND_PAID_AFTER_DEATH], 1);
  EXPECT_EQ(kinds[FINDING_KIND_REVIEW_OVERDUE], 1);
  EXPECT_EQ(kinds[FINDING_KIND_ELIGIBLE_NOT_ENROLLED], 1);
  EXPECT_EQ(first.new_findings(), 6) << first.DebugString();
  ASSERT_EQ(first.findings_size(), 6);

  const Finding* exclusive = FindKind(first, FINDING_KIND_EXCLUSIVE_ENROLMENTS);
  ASSERT_NE(exclusive, nullptr);
  EXPECT_EQ(exclusive->subject(), h1.members(0).id_number_masked());
  EXPECT_EQ(exclusive->period(), "2023-02");
  const Finding* two = FindKind(first, FINDING_KIND_TWO_HOUSEHOLDS);
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->subject(), h3.members(0).id_number_masked());
  EXPECT_EQ(two->period(), "2023-04");
  const Finding* after_end = FindKind(first, FINDING_KIND_PAID_AFTER_END);
  ASSERT_NE(after_end, nullptr);
  EXPECT_EQ(after_end->enrolment_id(), e4.enrolment_id());
  EXPECT_EQ(after_end->period(), "2023-05");
  EXPECT_EQ(after_end->amount_fen(), 64000);
  const Finding* after_death = FindKind(first, FINDING_KIND_PAID_AFTER_DEATH);
  ASSERT_NE(after_death, nullptr);
  EXPECT_EQ(after_death->enrolment_id(), e5.enrolment_id());
  EXPECT_EQ(after_death->period(), "2023-04");
  EXPECT_NE(after_death->subject().find(h5.members(0).id_number_masked()), std::string::npos);
  EXPECT_EQ(after_death->subject().find(IdNumber(44, 1940)), std::string::npos);
  const Finding* overdue = FindKind(first, FINDING_KIND_REVIEW_OVERDUE);
  ASSERT_NE(overdue, nullptr);
  EXPECT_EQ(overdue->period(), "2023-05-01");
  const Finding* eligible = FindKind(first, FINDING_KIND_ELIGIBLE_NOT_ENROLLED);
  ASSERT_NE(eligible, nullptr);
  EXPECT_EQ(eligible->household_id(), h7.household_id());
  EXPECT_EQ(eligible->period(), "2023-05");

  // Running again finds the same problems and stores nothing new.
  RunAuditResponse second = Audit(village, "2023-06-30");
  EXPECT_EQ(second.new_findings(), 0);
  EXPECT_EQ(second.findings_size(), 6);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_findings WHERE region_code = '" + village + "'"), 6);

  // Decisions: confirm one, dismiss one (with a reason), and they stay decided on re-runs.
  ConfirmFindingRequest confirm;
  confirm.set_finding_id(after_death->finding_id());
  confirm.set_decided_on("2023-06-30");
  ConfirmFindingResponse confirmed;
  ASSERT_TRUE(audit_->ConfirmFinding(As(kAuditor).get(), confirm, &confirmed).ok());
  EXPECT_EQ(confirmed.finding().status(), FINDING_STATUS_CONFIRMED);
  DismissFindingRequest dismiss;
  dismiss.set_finding_id(overdue->finding_id());
  DismissFindingResponse dismissed;
  grpc::Status s = audit_->DismissFinding(As(kAuditor).get(), dismiss, &dismissed);
  EXPECT_EQ(s.error_message(), "reason: a dismissal needs a written reason");
  dismiss.set_reason("复审已线下完成,补录中");
  ASSERT_TRUE(audit_->DismissFinding(As(kAuditor).get(), dismiss, &dismissed).ok());
  EXPECT_EQ(dismissed.finding().status(), FINDING_STATUS_DISMISSED);
  s = audit_->DismissFinding(As(kAuditor).get(), dismiss, &dismissed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  RunAuditResponse third = Audit(village, "2023-06-30");
  EXPECT_EQ(third.new_findings(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_findings WHERE region_code = '" + village +
                  "' AND status = 'OPEN'"),
            4);

  ListFindingsRequest list;
  list.set_region_prefix(village);
  list.set_status(FINDING_STATUS_OPEN);
  ListFindingsResponse listed;
  ASSERT_TRUE(audit_->ListFindings(As(kAuditor).get(), list, &listed).ok());
  EXPECT_EQ(listed.findings_size(), 4);
  s = audit_->ListFindings(As(kOtherAuditor).get(), list, &listed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  RunAuditRequest by_clerk;
  RunAuditResponse ignored;
  s = audit_->RunAudit(As(kClerk).get(), by_clerk, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  absl::StatusOr<v1::ReliefFigures> figures =
      figures_->Figures(village, absl::CivilDay(2023, 1, 1), absl::CivilDay(2023, 6, 30));
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_EQ(figures->audits_run(), 3);
  ASSERT_EQ(figures->confirmed_findings_size(), 1);
  EXPECT_EQ(figures->confirmed_findings(0).kind(), FINDING_KIND_PAID_AFTER_DEATH);
  std::vector<std::string> lines = ReliefSummaryLines(*figures);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "排查发现“应享未享”问题0个,“重复享受”问题0个,“违规享受”问题1个");
}

TEST_F(ReliefIntegrationTest, ReviewIncreaseChangesTheNextMonthOnly) {
  const std::string village = "340722100207";
  Household h = NewHousehold(village, {{IdNumber(60, 1970), 1}});
  Enrolment e = Enrol(h, PROGRAMME_DIBAO, 10000, "2023-01-03", "2023-01-15");
  EXPECT_EQ(e.monthly_amount_fen(), 54000);
  RunDisbursementResponse feb, mar;
  ASSERT_TRUE(Pay(PROGRAMME_DIBAO, "2023-02", &feb, village).ok());

  ListReviewsDueRequest due;
  due.set_region_prefix(village);
  due.set_due_before("2024-02-02");
  ListReviewsDueResponse listed;
  ASSERT_TRUE(review_->ListReviewsDue(As(kClerk).get(), due, &listed).ok());
  ASSERT_EQ(listed.enrolments_size(), 1);
  EXPECT_EQ(listed.enrolments(0).review_due(), "2024-02-01");
  due.set_due_before("2024-02-01");
  ASSERT_TRUE(review_->ListReviewsDue(As(kClerk).get(), due, &listed).ok());
  EXPECT_EQ(listed.enrolments_size(), 0);

  RecordReviewRequest review;
  review.set_enrolment_id(e.enrolment_id());
  review.set_outcome(REVIEW_OUTCOME_INCREASE);
  review.set_new_monthly_amount_fen(50000);
  review.set_decided_on("2023-02-20");
  RecordReviewResponse reviewed;
  grpc::Status s = review_->RecordReview(As(kReviewer).get(), review, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "new_monthly_amount_fen: an increase must be above the current 540.00 yuan");
  s = review_->RecordReview(As(kClerk).get(), review, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  review.set_new_monthly_amount_fen(60000);
  review.set_reason("家庭成员患病,支出增加");
  ASSERT_TRUE(review_->RecordReview(As(kReviewer).get(), review, &reviewed).ok());
  EXPECT_EQ(reviewed.review().previous_amount_fen(), 54000);
  EXPECT_EQ(reviewed.review().new_amount_fen(), 60000);
  EXPECT_EQ(reviewed.review().effective_month(), "2023-03");
  EXPECT_EQ(reviewed.review().next_review_due(), "2024-03-01");
  EXPECT_TRUE(reviewed.review().late_entry());
  EXPECT_EQ(reviewed.enrolment().monthly_amount_fen(), 60000);
  EXPECT_EQ(reviewed.enrolment().review_due(), "2024-03-01");

  ASSERT_TRUE(Pay(PROGRAMME_DIBAO, "2023-03", &mar, village).ok());
  EXPECT_EQ(mar.batch().total_fen(), 60000);
  EXPECT_EQ(Count("SELECT amount_fen FROM payments WHERE enrolment_id = '" + e.enrolment_id() +
                  "' AND month = '2023-02-01'"),
            54000);

  // A decrease or a stop needs a reason; a stop goes through the enrolment's exit.
  review.set_outcome(REVIEW_OUTCOME_DECREASE);
  review.set_new_monthly_amount_fen(30000);
  review.set_reason("");
  s = review_->RecordReview(As(kReviewer).get(), review, &reviewed);
  EXPECT_EQ(s.error_message(), "reason: a decrease or a stop needs a written reason");
  RecordReviewRequest stop;
  stop.set_enrolment_id(e.enrolment_id());
  stop.set_outcome(REVIEW_OUTCOME_STOP);
  stop.set_reason("务工收入超过标准");
  stop.set_decided_on("2023-03-15");
  s = review_->RecordReview(As(kReviewer).get(), stop, &reviewed);
  EXPECT_EQ(s.error_message(), "exit_reason: a stop needs the exit reason");
  stop.set_exit_reason(EXIT_REASON_INELIGIBLE_INCOME);
  ASSERT_TRUE(review_->RecordReview(As(kReviewer).get(), stop, &reviewed).ok());
  EXPECT_EQ(reviewed.review().outcome(), REVIEW_OUTCOME_STOP);
  EXPECT_EQ(reviewed.review().effective_month(), "2023-04");
  EXPECT_EQ(reviewed.enrolment().status(), ENROLMENT_STATUS_ENDED);
  EXPECT_EQ(reviewed.enrolment().end_month(), "2023-03");
  EXPECT_EQ(reviewed.enrolment().exit_reason(), EXIT_REASON_INELIGIBLE_INCOME);
  s = review_->RecordReview(As(kReviewer).get(), stop, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  due.set_due_before("2030-01-01");
  ASSERT_TRUE(review_->ListReviewsDue(As(kClerk).get(), due, &listed).ok());
  EXPECT_EQ(listed.enrolments_size(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM enrolment_reviews WHERE enrolment_id = '" +
                  e.enrolment_id() + "'"),
            2);
}

TEST_F(ReliefIntegrationTest, BankFileIdNumbersMaskedOrFullByRole) {
  const std::string village = "340722100208";
  Household h = NewHousehold(village, {{IdNumber(70, 1958), 1}, {IdNumber(71, 1960), 2}});
  Enrol(h, PROGRAMME_DIBAO, 20000, "2023-01-03", "2023-01-15");
  RunDisbursementResponse feb;
  ASSERT_TRUE(Pay(PROGRAMME_DIBAO, "2023-02", &feb, village).ok());

  ExportBankFileRequest request;
  request.set_batch_id(feb.batch().batch_id());
  ExportBankFileResponse masked, full;
  ASSERT_TRUE(bank_file_->ExportBankFile(As(kAuditor).get(), request, &masked).ok());
  EXPECT_FALSE(masked.full_id_numbers());
  EXPECT_EQ(masked.rows(), 1);
  EXPECT_EQ(masked.file_name(), "bank-DIBAO-2023-02-340722100208.csv");
  const std::string amount = Money::Fen(feb.batch().total_fen()).ToYuan();
  EXPECT_EQ(masked.content(), "序号,姓名,身份证号码,金额(元),发放月份,区划代码,项目\r\n" +
                                  Exec1("SELECT payment_id::text FROM payments WHERE batch_id = '" +
                                        feb.batch().batch_id() + "'") +
                                  ",成员0," + h.members(0).id_number_masked() + "," + amount +
                                  ",2023-02,340722100208,低保\r\n");
  // A reviewer without a reason gets masked numbers too; a clerk's reason is refused.
  ASSERT_TRUE(bank_file_->ExportBankFile(As(kReviewer).get(), request, &full).ok());
  EXPECT_FALSE(full.full_id_numbers());
  EXPECT_EQ(full.content(), masked.content());
  EXPECT_EQ(
      Count("SELECT count(*) FROM id_views WHERE record_id = '" + feb.batch().batch_id() + "'"), 0);
  request.set_reveal_reason("报送银行代发");
  grpc::Status refused = bank_file_->ExportBankFile(As(kAuditor).get(), request, &full);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      refused.error_message(),
      "reveal_reason: full ID numbers are shown only to assistance.reviewer, admin or system");
  ASSERT_TRUE(bank_file_->ExportBankFile(As(kReviewer).get(), request, &full).ok());
  EXPECT_TRUE(full.full_id_numbers());
  // Every payee of the file is in the trail, with who and why.
  EXPECT_EQ(
      Count("SELECT count(*) FROM id_views WHERE method = 'ExportBankFile' AND record_id = '" +
            feb.batch().batch_id() +
            "' AND reason = '报送银行代发' AND record_kind = "
            "'bank_file'"),
      1);
  EXPECT_NE(full.content().find("," + IdNumber(70, 1958) + ","), std::string::npos);
  EXPECT_EQ(masked.content().find(IdNumber(70, 1958)), std::string::npos);
  EXPECT_EQ(full.total_fen(), feb.batch().total_fen());
  EXPECT_EQ(Count("SELECT count(*) FROM bank_file_exports WHERE batch_id = '" +
                  feb.batch().batch_id() + "' AND full_id_numbers"),
            1);

  request.set_region_prefix("340722100209");
  grpc::Status s = bank_file_->ExportBankFile(As(kReviewer).get(), request, &full);
  EXPECT_EQ(s.error_message(), "region_prefix: outside the batch's region 340722100208");
  request.set_region_prefix("");
  request.set_reveal_reason("");
  s = bank_file_->ExportBankFile(As(kOtherAuditor).get(), request, &full);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  s = bank_file_->ExportBankFile(As(kClerk).get(), request, &full);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ReliefIntegrationTest, FiguresAndLinesOfThePeriod) {
  Household x = NewHousehold("340722400001", {{IdNumber(80, 1950), 1}}, kClerk4);
  Household y = NewHousehold("340722400002", {{IdNumber(81, 1952), 1}}, kClerk4);
  Household z = NewHousehold("340722400001", {{IdNumber(82, 1940), 1}}, kClerk4);

  // 临时救助: the same person helped twice in the period counts twice; a payment after the
  // period and an unpaid case do not count.
  ReliefCase out;
  for (const auto& [amount, on, paid] : std::vector<std::tuple<int64_t, std::string, std::string>>{
           {50000, "2023-02-01", "2023-02-10"},
           {30000, "2023-03-01", "2023-03-10"},
           {40000, "2023-06-20", "2023-07-05"},
           {10000, "2023-04-01", ""}}) {
    ReliefCase c = NewCase(x, amount, on, false, kClerk4);
    ASSERT_TRUE(Approve(kTownship4, c.case_id(), on, &out).ok());
    if (!paid.empty()) ASSERT_TRUE(PayCase(kTownship4, c.case_id(), paid, &out).ok());
  }

  // Mutual aid: one society by the end of June (another registered later), one case.
  RegisterSocietyRequest reg;
  reg.set_region_code("340722400001");
  reg.set_name("互助社");
  reg.set_registered_on("2023-01-05");
  RegisterSocietyResponse society;
  ASSERT_TRUE(mutual_aid_stub_->RegisterSociety(As(kClerk4).get(), reg, &society).ok());
  reg.set_region_code("340722400002");
  reg.set_registered_on("2023-08-01");
  RegisterSocietyResponse later;
  ASSERT_TRUE(mutual_aid_stub_->RegisterSociety(As(kClerk4).get(), reg, &later).ok());
  RecordMutualAidCaseRequest help;
  help.set_society_id(society.society().society_id());
  help.set_household_id(x.household_id());
  help.set_member_id(x.members(0).member_id());
  help.set_amount_fen(100000);
  help.set_helped_on("2023-04-01");
  RecordMutualAidCaseResponse helped;
  ASSERT_TRUE(mutual_aid_stub_->RecordMutualAidCase(As(kClerk4).get(), help, &helped).ok());

  // Visits: x twice (one person), y once; one demand resolved in the period, one after it.
  auto visit = [&](const Household& h, const std::string& on,
                   std::vector<std::string> demands) -> Visit {
    RecordVisitRequest request;
    request.set_household_id(h.household_id());
    request.set_member_id(h.members(0).member_id());
    request.set_visited_on(on);
    for (auto& d : demands) request.add_demands(d);
    RecordVisitResponse response;
    grpc::Status s = outreach_stub_->RecordVisit(As(kClerk4).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.visit();
  };
  Visit first_visit = visit(x, "2023-03-01", {"房屋漏雨", "就医报销"});
  visit(x, "2023-04-01", {});
  visit(y, "2023-05-01", {"子女入学"});
  ASSERT_EQ(first_visit.demands_size(), 2);
  auto resolve = [&](const std::string& id, const std::string& on) {
    ResolveDemandRequest request;
    request.set_demand_id(id);
    request.set_resolved_on(on);
    request.set_resolution("已协调解决");
    ResolveDemandResponse response;
    return outreach_stub_->ResolveDemand(As(kClerk4).get(), request, &response);
  };
  ASSERT_TRUE(resolve(first_visit.demands(0).demand_id(), "2023-03-05").ok());
  ASSERT_TRUE(resolve(first_visit.demands(1).demand_id(), "2023-07-10").ok());
  EXPECT_EQ(resolve(first_visit.demands(1).demand_id(), "2023-07-11").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(resolve(first_visit.demands(0).demand_id(), "2023-03-06").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // A health check of a 特困 person in dispersed care.
  Enrol(z, PROGRAMME_TEKUN, 0, "2023-01-03", "2023-01-20",
        {.member_id = z.members(0).member_id(), .care = CARE_MODE_DISPERSED, .clerk = kClerk4});
  CreateHealthCheckBatchRequest create;
  create.set_region_prefix("340722400");
  create.set_provider("枞阳华瑞医院");
  create.set_name("第一批");
  create.set_service("生命体征检测等家庭医生服务");
  create.set_started_on("2023-05-01");
  CreateHealthCheckBatchResponse batch;
  ASSERT_TRUE(outreach_stub_->CreateHealthCheckBatch(As(kClerk4).get(), create, &batch).ok());
  RecordHealthCheckRequest check;
  check.set_batch_id(batch.batch().batch_id());
  check.set_household_id(z.household_id());
  check.set_member_id(z.members(0).member_id());
  check.set_checked_on("2023-05-10");
  check.set_health_record("心率 72");
  RecordHealthCheckResponse checked;
  ASSERT_TRUE(outreach_stub_->RecordHealthCheck(As(kClerk4).get(), check, &checked).ok());

  RunAuditResponse audit = Audit("340722400", "2023-06-30");
  EXPECT_EQ(audit.findings_size(), 0) << audit.DebugString();

  absl::StatusOr<v1::ReliefFigures> f =
      figures_->Figures("340722400", absl::CivilDay(2023, 1, 1), absl::CivilDay(2023, 6, 30));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->relief_cases(), 2);
  EXPECT_EQ(f->relief_paid_fen(), 80000);
  EXPECT_EQ(f->societies_registered(), 1);
  EXPECT_EQ(f->mutual_aid_cases(), 1);
  EXPECT_EQ(f->mutual_aid_paid_fen(), 100000);
  EXPECT_EQ(f->persons_surveyed(), 2);
  EXPECT_EQ(f->demands_resolved(), 1);
  EXPECT_EQ(f->health_check_persons(), 1);
  EXPECT_EQ(f->audits_run(), 1);
  EXPECT_EQ(f->reviews_done(), 0);
  std::vector<std::string> lines = ReliefSummaryLines(*f);
  const std::vector<std::string> expected = {
      "临时救助2人次,发放资金0.08万元",
      "已完成1家村(社区)互助社登记设立,开展救助1人次,发放救助金0.1万元",
      "排查未发现“应享未享”“重复享受”“违规享受”等问题",
      "摸排人数(包含对低保对象、特困人员的摸排数)2人,解决困难对象的有效诉求数1次",
      "完成第一批1名分散供养特困人员生命体征检测等家庭医生服务,并建立健康管理档案"};
  EXPECT_EQ(lines, expected);

  // The county-wide figures include the township's.
  absl::StatusOr<v1::ReliefFigures> county =
      figures_->Figures("340722", absl::CivilDay(2023, 1, 1), absl::CivilDay(2023, 6, 30));
  ASSERT_TRUE(county.ok());
  EXPECT_GE(county->relief_cases(), 2);
  EXPECT_GE(county->audits_run(), 1);
}

}  // namespace
}  // namespace civil::assistance
