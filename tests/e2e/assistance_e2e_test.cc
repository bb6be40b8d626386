// End to end through the gateway: one household from its 低保 application to its second monthly
// payment, its bank file and the work summary. The real assistance_server (loading the county's
// seed standards, deploy/local/seed) and gateway binaries over a real PostgreSQL and Redis;
// HTTP/JSON with bearer tokens minted with a test key, a township clerk and a county reviewer as
// two principals. Every date is counted back from today (the application four months ago), so
// the test passes on whatever day it runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "services/common/id_number.h"
#include "tests/support/e2e_stack.h"

namespace civil::assistance {
namespace {

using json = nlohmann::json;
using Headers = std::map<std::string, std::string>;
using civil::testing::HttpResponse;

// The household's village, in the clerk's township 340722100 of county 340722.
constexpr char kVillage[] = "340722100301";
constexpr char kTownship[] = "340722100";
constexpr char kCounty[] = "340722";
constexpr char kClerkSubject[] = "clerk-wang";

// A valid resident ID number (GB 11643 check character) of someone born on `birth` in 340722.
std::string IdNumberBornOn(absl::CivilDay birth, int serial) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  const std::string body = absl::StrFormat("340722%04d%02d%02d%03d", birth.year(), birth.month(),
                                           birth.day(), serial % 1000);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return body + kCheck[sum % 11];
}

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }
std::string Month(absl::CivilMonth m) { return absl::FormatCivilTime(m); }

// An int64 of proto3 JSON: a string (or a number), absent when zero.
int64_t Int(const json& object, const std::string& key) {
  if (!object.contains(key)) return 0;
  const json& v = object[key];
  return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>();
}

// "1234.50" from 123450 fen.
std::string Yuan(int64_t fen) { return absl::StrFormat("%d.%02d", fen / 100, fen % 100); }

// A 低保 standard as the seed file states it.
struct SeedStandard {
  int64_t monthly_fen = 0;
  int64_t seriously_ill_fen = 0;
  int64_t severely_disabled_fen = 0;
  int64_t elderly_fen = 0;
  int64_t minor_fen = 0;
};

// The county's rural 低保 standard from the seed file the service loads.
SeedStandard RuralDibaoSeed() {
  std::ifstream in(CIVIL_SEED_STANDARDS);
  json seed = json::parse(in, nullptr, false);
  EXPECT_FALSE(seed.is_discarded()) << CIVIL_SEED_STANDARDS;
  SeedStandard out;
  for (const json& s : seed.value("standards", json::array())) {
    if (s.value("programme", "") == "PROGRAMME_DIBAO" && s.value("area", "") == "AREA_RURAL" &&
        s.value("regionPrefix", "") == kCounty) {
      out = {Int(s, "monthlyFen"), Int(s, "supplementSeriouslyIllFen"),
             Int(s, "supplementSeverelyDisabledFen"), Int(s, "supplementElderlyFen"),
             Int(s, "supplementMinorFen")};
    }
  }
  EXPECT_GT(out.monthly_fen, 0) << "no rural 低保 standard for 340722 in " << CIVIL_SEED_STANDARDS;
  return out;
}

// A member of the test household and what brings a supplement.
struct Person {
  std::string name;
  absl::CivilDay birth;
  std::string relation;
  bool seriously_ill = false;
  bool severely_disabled = false;
};

int AgeOn(absl::CivilDay birth, absl::CivilDay day) {
  int age = static_cast<int>(day.year() - birth.year());
  if (day.month() < birth.month() || (day.month() == birth.month() && day.day() < birth.day())) {
    --age;
  }
  return age;
}

// DOMAIN.md: standard × members − household monthly income, on totals, rounded up to the yuan
// once; plus, per member, the highest supplement they qualify for (ages on the month's first day).
int64_t DibaoMonthlyFen(const SeedStandard& standard, const std::vector<Person>& people,
                        int64_t income_fen, absl::CivilMonth month) {
  const int64_t gap = standard.monthly_fen * static_cast<int64_t>(people.size()) - income_fen;
  int64_t amount = (gap + 99) / 100 * 100;
  for (const Person& p : people) {
    const int age = AgeOn(p.birth, absl::CivilDay(month));
    int64_t best = 0;
    if (p.seriously_ill) best = std::max(best, standard.seriously_ill_fen);
    if (p.severely_disabled) best = std::max(best, standard.severely_disabled_fen);
    if (age >= 60) best = std::max(best, standard.elderly_fen);
    if (age < 18) best = std::max(best, standard.minor_fen);
    amount += best;
  }
  return amount;
}

class AssistanceE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER,
                          {{"CIVIL_ASSISTANCE_SEED_STANDARDS", CIVIL_SEED_STANDARDS}})
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    clerk_ = new Headers(stack_->AuthHeaders(kClerkSubject, {"assistance.clerk"}, kTownship));
    reviewer_ = new Headers(stack_->AuthHeaders("reviewer-li", {"assistance.reviewer"}, kCounty));
    // The submitting clerk, also holding the reviewer role: still may not approve.
    maker_ = new Headers(
        stack_->AuthHeaders(kClerkSubject, {"assistance.clerk", "assistance.reviewer"}, kCounty));
    ASSERT_TRUE(stack_->Ready());
  }

  static void TearDownTestSuite() {
    delete clerk_;
    delete reviewer_;
    delete maker_;
    stack_.reset();
  }

  // The tail of the service's and the gateway's logs, for failure messages.
  static std::string Logs() { return stack_->Logs(); }

  static HttpResponse Call(const Headers& who, const std::string& method, const std::string& target,
                           const json& body = nullptr) {
    return stack_->Http(method, target, body.is_null() ? "" : body.dump(), who);
  }

  // The JSON body of a 200 answer; fails the test (naming the call) otherwise.
  static json Ok(const HttpResponse& r, const std::string& what) {
    EXPECT_EQ(r.status, 200) << what << " → " << r.body;
    json body = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(body.is_discarded()) << what << " → " << r.body;
    return body.is_discarded() ? json::object() : body;
  }

  // Expects an error answer with `status` and gRPC `code` whose message contains `has`.
  static void ExpectError(const HttpResponse& r, int status, int code, const std::string& has,
                          const std::string& what) {
    EXPECT_EQ(r.status, status) << what << " → " << r.body;
    json error = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(error.is_discarded()) << what << " → " << r.body;
    EXPECT_EQ(error.value("code", -1), code) << what << " → " << r.body;
    EXPECT_NE(error.value("message", "").find(has), std::string::npos) << what << " → " << r.body;
  }

  static json RunDisbursement(const Headers& who, absl::CivilMonth month,
                              const std::string& region_prefix, HttpResponse* raw = nullptr) {
    json request = {{"programme", "PROGRAMME_DIBAO"}, {"month", Month(month)}};
    if (!region_prefix.empty()) request["regionPrefix"] = region_prefix;
    HttpResponse r = Call(who, "POST", "/v1/assistance/disbursements", request);
    if (raw != nullptr) *raw = r;
    if (raw != nullptr && r.status != 200) return json::object();
    return Ok(r, "disbursement " + Month(month) + " " + region_prefix);
  }

  // Registers a rural household in `village` whose members are born on `births` (named
  // 成员0, 成员1, …, the first the head); returns it as the service answered.
  static json NewHousehold(const std::string& village, const std::vector<absl::CivilDay>& births,
                           int serial) {
    json members = json::array();
    for (size_t i = 0; i < births.size(); ++i) {
      members.push_back({{"name", "成员" + std::to_string(i)},
                         {"idNumber", IdNumberBornOn(births[i], serial + i)},
                         {"relation", i == 0 ? "RELATION_HEAD" : "RELATION_CHILD"}});
    }
    json household =
        Ok(Call(*clerk_, "POST", "/v1/assistance/households",
                {{"regionCode", village}, {"area", "AREA_RURAL"}, {"members", members}}),
           "create household")["household"];
    EXPECT_EQ(household["members"].size(), births.size()) << household.dump() << Logs();
    return household;
  }

  // The clerk files an application of `programme` (for `member_id`, per-person programmes) on
  // `on` and investigates it the same day with `investigation` (income, assets within limits,
  // a visit note added); returns the application's path, or the investigation's answer in
  // `investigated`.
  static std::string Investigate(const std::string& programme, const json& household,
                                 const std::string& member_id, absl::CivilDay on,
                                 json investigation, HttpResponse* investigated = nullptr) {
    json create = {{"programme", programme},
                   {"householdId", household.value("householdId", "")},
                   {"submittedOn", Day(on)}};
    if (!member_id.empty()) create["memberId"] = member_id;
    if (programme == "PROGRAMME_TEKUN") create["careMode"] = "CARE_MODE_DISPERSED";
    json application = Ok(Call(*clerk_, "POST", "/v1/assistance/applications", create),
                          "create " + programme + " application")["application"];
    const std::string path =
        "/v1/assistance/applications/" + application.value("applicationId", "");
    investigation["assetsWithinLimits"] = true;
    investigation["visitNote"] = "入户核查";
    investigation["investigatedOn"] = Day(on);
    HttpResponse r = Call(*clerk_, "POST", path + ":investigate", investigation);
    if (investigated != nullptr) {
      *investigated = r;
    } else {
      Ok(r, "investigate " + programme);
    }
    return path;
  }

  // Publishes the notice on `on` and has the reviewer decide 7 days later (the day after the
  // notice ends); returns the approval's answer.
  static HttpResponse PublishAndApprove(const std::string& path, absl::CivilDay on) {
    Ok(Call(*clerk_, "POST", path + ":publish", {{"noticeStart", Day(on)}}), "publish " + path);
    return Call(*reviewer_, "POST", path + ":approve", {{"decidedOn", Day(on + 7)}});
  }

  // The figures of `programme` (rural) in the summary, or an empty object.
  static json Figures(const json& summary, const std::string& programme) {
    for (const json& f : summary.value("programmes", json::array())) {
      if (f.value("programme", "") == programme && f.value("area", "") == "AREA_RURAL") return f;
    }
    return json::object();
  }

  inline static std::unique_ptr<civil::testing::E2eStack> stack_;
  inline static Headers* clerk_ = nullptr;
  inline static Headers* reviewer_ = nullptr;
  inline static Headers* maker_ = nullptr;
};

TEST_F(AssistanceE2eTest, OneHouseholdFromApplicationToItsSecondPaymentAndTheSummary) {
  // The calendar of the case: applied on the 5th four months ago, decided that month, enrolled
  // from the next; months M1 and M2 paid, both in the past.
  const absl::CivilDay today = civil::Today();
  const absl::CivilMonth m0 = absl::CivilMonth(today) - 4;
  const absl::CivilMonth m1 = m0 + 1;
  const absl::CivilMonth m2 = m0 + 2;
  const absl::CivilDay submitted = absl::CivilDay(m0) + 4;
  const absl::CivilDay investigated = submitted + 2;
  const absl::CivilDay notice_start = submitted + 3;
  const absl::CivilDay notice_end = notice_start + 6;  // 7 days, both ends included
  const absl::CivilDay decided = notice_end + 1;
  const absl::CivilDay period_start = absl::CivilDay(m0);
  const absl::CivilDay period_end = absl::CivilDay(m2 + 1) - 1;

  // The service runs on the seed's standard; the expected amount is computed from the seed file.
  const SeedStandard standard = RuralDibaoSeed();
  json standards =
      Ok(Call(*reviewer_, "GET",
              "/v1/assistance/standards?programme=PROGRAMME_DIBAO&regionPrefix=340722"),
         "list standards");
  bool seeded = false;
  for (const json& s : standards.value("standards", json::array())) {
    if (s.value("area", "") == "AREA_RURAL" && Int(s, "monthlyFen") == standard.monthly_fen) {
      seeded = true;
    }
  }
  ASSERT_TRUE(seeded) << "the service did not load the seed's rural 低保 standard: "
                      << standards.dump() << Logs();

  // A head of 75, seriously ill (the higher of two supplements, not both); a severely disabled
  // spouse of 40; a child of 10. Income not a whole yuan, so the rounding shows.
  const std::vector<Person> people = {
      {"周大", absl::CivilDay(today.year() - 75, 3, 1), "RELATION_HEAD", true, false},
      {"吴芳", absl::CivilDay(today.year() - 40, 3, 1), "RELATION_SPOUSE", false, true},
      {"周小", absl::CivilDay(today.year() - 10, 3, 1), "RELATION_CHILD", false, false}};
  const int64_t income_fen = 123456;
  const int64_t expected_fen = DibaoMonthlyFen(standard, people, income_fen, m1);
  ASSERT_LT(income_fen, standard.monthly_fen * 3) << "the household must be under the line";

  // The township clerk registers the household…
  json members = json::array();
  for (size_t i = 0; i < people.size(); ++i) {
    members.push_back({{"name", people[i].name},
                       {"idNumber", IdNumberBornOn(people[i].birth, 11 + i)},
                       {"relation", people[i].relation}});
  }
  json household =
      Ok(Call(*clerk_, "POST", "/v1/assistance/households",
              {{"regionCode", kVillage}, {"area", "AREA_RURAL"}, {"members", members}}),
         "create household")["household"];
  ASSERT_EQ(household["members"].size(), 3u) << household.dump() << Logs();
  const std::string household_id = household["householdId"];
  std::map<std::string, std::string> member_ids;  // name → member id
  for (const json& m : household["members"]) member_ids[m["name"]] = m["memberId"];

  // …files the 低保 application, records the investigation and publishes the notice, each on the
  // day it happened.
  json application = Ok(Call(*clerk_, "POST", "/v1/assistance/applications",
                             {{"programme", "PROGRAMME_DIBAO"},
                              {"householdId", household_id},
                              {"submittedOn", Day(submitted)}}),
                        "create application")["application"];
  const std::string application_id = application.value("applicationId", "");
  ASSERT_FALSE(application_id.empty()) << application.dump() << Logs();
  EXPECT_EQ(application["status"], "APPLICATION_STATUS_SUBMITTED");
  const std::string app_path = "/v1/assistance/applications/" + application_id;

  json circumstances = json::array();
  for (const Person& p : people) {
    if (!p.seriously_ill && !p.severely_disabled) continue;
    circumstances.push_back({{"memberId", member_ids[p.name]},
                             {"seriouslyIll", p.seriously_ill},
                             {"severelyDisabled", p.severely_disabled}});
  }
  application = Ok(Call(*clerk_, "POST", app_path + ":investigate",
                        {{"householdMonthlyIncomeFen", std::to_string(income_fen)},
                         {"assetsWithinLimits", true},
                         {"visitNote", "入户核查:家中无大额存款,无机动车"},
                         {"circumstances", circumstances},
                         {"investigatedOn", Day(investigated)}}),
                   "investigate")["application"];
  EXPECT_EQ(application["status"], "APPLICATION_STATUS_INVESTIGATED");
  EXPECT_EQ(Int(application, "householdMonthlyIncomeFen"), income_fen);

  application =
      Ok(Call(*clerk_, "POST", app_path + ":publish", {{"noticeStart", Day(notice_start)}}),
         "publish")["application"];
  EXPECT_EQ(application["status"], "APPLICATION_STATUS_IN_NOTICE");
  EXPECT_EQ(application["noticeEnd"], Day(notice_end));

  // Who may decide: not a clerk (no reviewer role, refused by the gateway), not the clerk who
  // submitted even holding the reviewer role (maker ≠ checker, refused by the service), and
  // nobody before the 7-day notice has run out.
  ExpectError(Call(*clerk_, "POST", app_path + ":approve", {{"decidedOn", Day(decided)}}), 403, 7,
              "assistance.reviewer", "approve as the clerk");
  ExpectError(Call(*maker_, "POST", app_path + ":approve", {{"decidedOn", Day(decided)}}), 403, 7,
              "maker-checker", "approve as the submitting clerk");
  ExpectError(Call(*reviewer_, "POST", app_path + ":approve", {{"decidedOn", Day(notice_end)}}),
              400, 9, "decided_on", "approve on the notice's last day");
  EXPECT_EQ(Ok(Call(*clerk_, "GET", app_path), "get application")["application"]["status"],
            "APPLICATION_STATUS_IN_NOTICE");

  // The county reviewer approves the day after the notice: enrolled from the next month.
  json approved = Ok(Call(*reviewer_, "POST", app_path + ":approve",
                          {{"decidedOn", Day(decided)}, {"note", "同意纳入"}}),
                     "approve");
  json enrolment = approved["enrolment"];
  const std::string enrolment_id = enrolment.value("enrolmentId", "");
  ASSERT_FALSE(enrolment_id.empty()) << approved.dump() << Logs();
  EXPECT_EQ(approved["application"]["status"], "APPLICATION_STATUS_APPROVED");
  EXPECT_EQ(enrolment["startMonth"], Month(m1));
  EXPECT_EQ(enrolment["status"], "ENROLMENT_STATUS_ACTIVE");
  EXPECT_EQ(enrolment["members"].size(), 3u);
  EXPECT_EQ(Int(enrolment, "monthlyAmountFen"), expected_fen) << enrolment.dump();
  ExpectError(Call(*reviewer_, "POST", app_path + ":approve", {{"decidedOn", Day(decided)}}), 400,
              9, "", "approve twice");

  // Every step is in the history with who did it and the day it happened.
  json history = Ok(Call(*reviewer_, "GET", app_path), "get application")["application"]["history"];
  ASSERT_EQ(history.size(), 4u) << history.dump();
  const std::vector<std::vector<std::string>> steps = {
      {"SUBMITTED", kClerkSubject, Day(submitted)},
      {"INVESTIGATED", kClerkSubject, Day(investigated)},
      {"PUBLISHED", kClerkSubject, Day(notice_start)},
      {"APPROVED", "reviewer-li", Day(decided)}};
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(history[i].value("action", ""), steps[i][0]) << history.dump();
    EXPECT_EQ(history[i].value("actor", ""), steps[i][1]) << history.dump();
    EXPECT_EQ(history[i].value("happenedOn", ""), steps[i][2]) << history.dump();
  }

  // Month M1: the township's run pays the household once; running it again returns the same
  // batch, and a county-wide run of the same month pays nobody a second time.
  json first = RunDisbursement(*reviewer_, m1, kTownship);
  ASSERT_TRUE(first.contains("batch")) << first.dump() << Logs();
  EXPECT_EQ(first.value("created", false), true);
  EXPECT_EQ(Int(first["batch"], "payments"), 1);
  EXPECT_EQ(Int(first["batch"], "totalFen"), expected_fen);
  const std::string batch_id = first["batch"]["batchId"];
  json again = RunDisbursement(*reviewer_, m1, kTownship);
  EXPECT_EQ(again.value("created", false), false);
  EXPECT_EQ(again["batch"]["batchId"], batch_id);
  EXPECT_EQ(Int(again["batch"], "payments"), 1);
  EXPECT_EQ(Int(again["batch"], "totalFen"), expected_fen);
  json county = RunDisbursement(*reviewer_, m1, "");
  EXPECT_NE(county["batch"]["batchId"], batch_id);
  EXPECT_EQ(Int(county["batch"], "payments"), 0) << county.dump();
  json got =
      Ok(Call(*reviewer_, "GET", "/v1/assistance/disbursements/" + batch_id), "get batch")["batch"];
  EXPECT_EQ(Int(got, "payments"), 1);
  EXPECT_EQ(got["month"], Month(m1));

  // Month M2: the second payment, the same amount.
  json second = RunDisbursement(*reviewer_, m2, kTownship);
  EXPECT_EQ(second.value("created", false), true);
  EXPECT_EQ(Int(second["batch"], "payments"), 1);
  EXPECT_EQ(Int(second["batch"], "totalFen"), expected_fen);
  EXPECT_NE(second["batch"]["batchId"], batch_id);

  // The bank file of M1 for the 一卡通 card: the reviewer sees the head's full ID number.
  json bank =
      Ok(Call(*reviewer_, "GET",
              "/v1/assistance/disbursements/" + batch_id +
                  "/bank-file?revealReason=%E6%8A%A5%E9%80%81%E9%93%B6%E8%A1%8C%E4%BB%A3%E5%8F%91"),
         "bank file");
  EXPECT_EQ(Int(bank, "rows"), 1);
  EXPECT_EQ(Int(bank, "totalFen"), expected_fen);
  EXPECT_EQ(bank.value("fullIdNumbers", false), true);
  EXPECT_EQ(bank.value("fileName", ""), "bank-DIBAO-" + Month(m1) + "-" + kTownship + ".csv");
  std::string csv;
  ASSERT_TRUE(absl::Base64Unescape(bank.value("content", ""), &csv)) << bank.dump();
  std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << csv;
  EXPECT_EQ(lines[0], "序号,姓名,身份证号码,金额(元),发放月份,区划代码,项目");
  std::vector<std::string> row = absl::StrSplit(lines[1], ',');
  ASSERT_EQ(row.size(), 7u) << lines[1];
  EXPECT_EQ(row[1], people[0].name);
  EXPECT_EQ(row[2], IdNumberBornOn(people[0].birth, 11));
  EXPECT_EQ(row[3], Yuan(expected_fen));
  EXPECT_EQ(row[4], Month(m1));
  EXPECT_EQ(row[5], kVillage);
  EXPECT_EQ(row[6], "低保");

  // The summary of the period from the application to M2's end: the household and its three
  // persons active at the end, two payments, one new enrolment.
  json summary = Ok(Call(*reviewer_, "GET",
                         "/v1/assistance/summary?period_start=" + Day(period_start) +
                             "&period_end=" + Day(period_end) + "&region_prefix=" + kTownship),
                    "summary");
  ASSERT_TRUE(summary.contains("programmes")) << summary.dump();
  const json* rural = nullptr;
  for (const json& f : summary["programmes"]) {
    if (f.value("programme", "") == "PROGRAMME_DIBAO" && f.value("area", "") == "AREA_RURAL") {
      rural = &f;
    }
  }
  ASSERT_NE(rural, nullptr) << summary.dump();
  EXPECT_EQ(Int(*rural, "households"), 1) << rural->dump();
  EXPECT_EQ(Int(*rural, "persons"), 3) << rural->dump();
  EXPECT_EQ(Int(*rural, "paidFen"), 2 * expected_fen) << rural->dump();
  EXPECT_EQ(Int(*rural, "newEnrolments"), 1) << rural->dump();
  EXPECT_EQ(Int(*rural, "exitHouseholds"), 0) << rural->dump();
  // The report's line, money in 万元 rounded half up to two places.
  const int64_t hundredths = (2 * expected_fen + 5000) / 10000;
  const std::string line =
      absl::StrFormat("农村低保对象1户3人,发放资金%d.%02d万元", hundredths / 100, hundredths % 100);
  const json report_lines = summary.value("lines", json::array());
  EXPECT_NE(std::find(report_lines.begin(), report_lines.end(), line), report_lines.end())
      << line << " not in " << summary.dump();
}

// The special-group subsidies (退职老职工, 上海下放居民, 麻风病人) are paid by their monthly run at
// the seed's standard and counted in the summary (persons, money); the two monitored categories
// (低保边缘, 支出型困难家庭) are enrolled and counted (households, persons) but no run pays them.
TEST_F(AssistanceE2eTest, SpecialGroupSubsidiesArePaidAndMonitoredCategoriesOnlyCounted) {
  const absl::CivilDay today = civil::Today();
  const absl::CivilMonth m0 = absl::CivilMonth(today) - 4;
  const absl::CivilMonth m1 = m0 + 1;
  const absl::CivilMonth m2 = m0 + 2;
  const absl::CivilDay on = absl::CivilDay(m0) + 4;  // filed, investigated, notice: enrolled m1
  constexpr char kSubsidyVillage[] = "340722100302";
  const absl::CivilDay adult(today.year() - 70, 5, 1);

  // Two 退职老职工, one 上海下放居民, one 麻风病人, each the one member of their household
  // enrolled.
  struct Subsidy {
    std::string programme;
    std::string word;
    int persons;
    int64_t monthly_fen;  // the seed's (deploy/local/seed/assistance-standards-340722.json)
  };
  const std::vector<Subsidy> subsidies = {
      {"PROGRAMME_RETIRED_WORKER_SUBSIDY", "退职老职工", 2, 62300},
      {"PROGRAMME_SHANGHAI_RESETTLED_SUBSIDY", "上海下放居民", 1, 40000},
      {"PROGRAMME_LEPROSY_SUBSIDY", "麻风病人", 1, 40000}};
  int serial = 500;
  for (const Subsidy& subsidy : subsidies) {
    for (int i = 0; i < subsidy.persons; ++i) {
      // A household of two; only its head is in the programme.
      json household = NewHousehold(kSubsidyVillage, {adult, adult + 9000}, serial);
      serial += 2;
      const std::string head = household["members"][0].value("memberId", "");
      const std::string path =
          Investigate(subsidy.programme, household, head, on, {{"householdMonthlyIncomeFen", "0"}});
      json approved = Ok(PublishAndApprove(path, on), "approve " + subsidy.programme);
      EXPECT_EQ(approved["enrolment"]["startMonth"], Month(m1)) << approved.dump();
      EXPECT_EQ(Int(approved["enrolment"], "monthlyAmountFen"), subsidy.monthly_fen)
          << approved.dump();
    }
  }

  // 低保边缘: three persons, income above the 低保 line (3 × 790 yuan) but within 1.5 times it.
  // 支出型困难家庭: two persons, income at or above the 低保 line (2 × 790 yuan) and below it after
  // the rigid expenses.
  json marginal = NewHousehold(kSubsidyVillage, {adult, adult + 9000, adult + 15000}, 600);
  Ok(PublishAndApprove(Investigate("PROGRAMME_MARGINAL", marginal, "", on,
                                   {{"householdMonthlyIncomeFen", "300000"}}),
                       on),
     "approve 低保边缘");
  json hardship = NewHousehold(kSubsidyVillage, {adult, adult + 9000}, 610);
  Ok(PublishAndApprove(
         Investigate("PROGRAMME_EXPENDITURE_HARDSHIP", hardship, "", on,
                     {{"householdMonthlyIncomeFen", "200000"},
                      {"rigidExpenses", {{"medicalFen", "50000"}, {"educationFen", "10000"}}}}),
         on),
     "approve 支出型困难家庭");

  // M1 and M2: each subsidy's run pays its persons their standard; the 低保 run pays nobody in
  // the village (the monitored households are not 低保), and the monitored categories have no run.
  for (absl::CivilMonth month : {m1, m2}) {
    for (const Subsidy& subsidy : subsidies) {
      json run = Ok(Call(*reviewer_, "POST", "/v1/assistance/disbursements",
                         {{"programme", subsidy.programme},
                          {"month", Month(month)},
                          {"regionPrefix", kSubsidyVillage}}),
                    "run " + subsidy.programme + " " + Month(month));
      EXPECT_EQ(Int(run["batch"], "payments"), subsidy.persons) << run.dump();
      EXPECT_EQ(Int(run["batch"], "totalFen"), subsidy.persons * subsidy.monthly_fen) << run.dump();
    }
    EXPECT_EQ(Int(RunDisbursement(*reviewer_, month, kSubsidyVillage)["batch"], "payments"), 0);
    for (const char* monitored : {"PROGRAMME_MARGINAL", "PROGRAMME_EXPENDITURE_HARDSHIP"}) {
      ExpectError(Call(*reviewer_, "POST", "/v1/assistance/disbursements",
                       {{"programme", monitored},
                        {"month", Month(month)},
                        {"regionPrefix", kSubsidyVillage}}),
                  400, 3, "", std::string("run ") + monitored);
    }
  }

  json summary = Ok(Call(*reviewer_, "GET",
                         "/v1/assistance/summary?period_start=" + Day(absl::CivilDay(m0)) +
                             "&period_end=" + Day(absl::CivilDay(m2 + 1) - 1) +
                             "&region_prefix=" + kSubsidyVillage),
                    "summary");
  const json report_lines = summary.value("lines", json::array());
  for (const Subsidy& subsidy : subsidies) {
    json f = Figures(summary, subsidy.programme);
    EXPECT_EQ(Int(f, "persons"), subsidy.persons) << subsidy.programme << summary.dump();
    EXPECT_EQ(Int(f, "households"), subsidy.persons) << subsidy.programme << summary.dump();
    EXPECT_EQ(Int(f, "paidFen"), 2 * subsidy.persons * subsidy.monthly_fen)
        << subsidy.programme << summary.dump();
    EXPECT_EQ(Int(f, "newEnrolments"), subsidy.persons) << subsidy.programme << summary.dump();
    const int64_t hundredths = (2 * subsidy.persons * subsidy.monthly_fen + 5000) / 10000;
    const std::string line = absl::StrFormat("%s%d人,发放资金%d.%02d万元", subsidy.word,
                                             subsidy.persons, hundredths / 100, hundredths % 100);
    EXPECT_NE(std::find(report_lines.begin(), report_lines.end(), line), report_lines.end())
        << line << " not in " << summary.dump();
  }
  json m = Figures(summary, "PROGRAMME_MARGINAL");
  EXPECT_EQ(Int(m, "households"), 1) << summary.dump();
  EXPECT_EQ(Int(m, "persons"), 3) << summary.dump();
  EXPECT_EQ(Int(m, "paidFen"), 0) << summary.dump();
  json x = Figures(summary, "PROGRAMME_EXPENDITURE_HARDSHIP");
  EXPECT_EQ(Int(x, "households"), 1) << summary.dump();
  EXPECT_EQ(Int(x, "persons"), 2) << summary.dump();
  EXPECT_EQ(Int(x, "paidFen"), 0) << summary.dump();
  const std::string monitored_line = "纳入城乡低保边缘家庭1户3人,支出型困难家庭1户2人";
  EXPECT_NE(std::find(report_lines.begin(), report_lines.end(), monitored_line), report_lines.end())
      << monitored_line << " not in " << summary.dump();
  EXPECT_TRUE(Figures(summary, "PROGRAMME_DIBAO").empty() ||
              Int(Figures(summary, "PROGRAMME_DIBAO"), "persons") == 0)
      << summary.dump();
}

// 特困 (社会救助暂行办法 第14条): the investigation records the grounds, a category the applicant's
// age does not fit is refused and changes nothing, and approval needs all three conditions.
TEST_F(AssistanceE2eTest, TekunIsApprovedOnlyOnItsGrounds) {
  const absl::CivilDay today = civil::Today();
  const absl::CivilDay on = absl::CivilDay(absl::CivilMonth(today) - 3) + 4;
  constexpr char kTekunVillage[] = "340722100303";
  const json all_three = {{"noWorkCapacity", true}, {"noIncome", true}, {"noSupporter", true}};
  auto grounds = [&](const std::string& category) {
    json g = all_three;
    g["category"] = category;
    return g;
  };

  // A person of 75 filed as a minor: refused, naming the field; the application is untouched.
  json elderly = NewHousehold(kTekunVillage, {absl::CivilDay(today.year() - 75, 1, 2)}, 700);
  const std::string elderly_id = elderly["members"][0].value("memberId", "");
  HttpResponse r;
  std::string path = Investigate(
      "PROGRAMME_TEKUN", elderly, elderly_id, on,
      {{"householdMonthlyIncomeFen", "0"}, {"tekunGrounds", grounds("TEKUN_CATEGORY_MINOR")}}, &r);
  ExpectError(r, 400, 3, "tekun_grounds.category: MINOR needs an applicant under 16",
              "investigate a person of 75 as a minor");
  json unchanged = Ok(Call(*clerk_, "GET", path), "get application")["application"];
  EXPECT_EQ(unchanged["status"], "APPLICATION_STATUS_SUBMITTED") << unchanged.dump();
  EXPECT_EQ(unchanged["history"].size(), 1u) << unchanged.dump();
  // No category at all.
  json no_category = all_three;
  r = Call(*clerk_, "POST", path + ":investigate",
           {{"householdMonthlyIncomeFen", "0"},
            {"investigatedOn", Day(on)},
            {"tekunGrounds", no_category}});
  ExpectError(r, 400, 3, "tekun_grounds.category", "investigate without a category");
  // As elderly with all three conditions: approved and enrolled.
  Ok(Call(*clerk_, "POST", path + ":investigate",
          {{"householdMonthlyIncomeFen", "0"},
           {"assetsWithinLimits", true},
           {"investigatedOn", Day(on)},
           {"tekunGrounds", grounds("TEKUN_CATEGORY_ELDERLY")}}),
     "investigate as elderly");
  json approved = Ok(PublishAndApprove(path, on), "approve 特困 on its grounds");
  EXPECT_EQ(approved["application"]["status"], "APPLICATION_STATUS_APPROVED");
  EXPECT_FALSE(approved["enrolment"].value("enrolmentId", "").empty()) << approved.dump();

  // No grounds recorded: approval refused.
  json none = NewHousehold(kTekunVillage, {absl::CivilDay(today.year() - 68, 1, 2)}, 710);
  path = Investigate("PROGRAMME_TEKUN", none, none["members"][0].value("memberId", ""), on,
                     {{"householdMonthlyIncomeFen", "0"}});
  ExpectError(PublishAndApprove(path, on), 400, 9, "tekun_grounds: the investigation recorded no",
              "approve 特困 without grounds");
  EXPECT_EQ(Ok(Call(*reviewer_, "GET", path), "get")["application"]["status"],
            "APPLICATION_STATUS_IN_NOTICE");

  // A disabled person of 45 with a supporter able to support: refused, naming the condition.
  json supported = NewHousehold(kTekunVillage, {absl::CivilDay(today.year() - 45, 1, 2)}, 720);
  json partial = grounds("TEKUN_CATEGORY_DISABLED");
  partial["noSupporter"] = false;
  path = Investigate("PROGRAMME_TEKUN", supported, supported["members"][0].value("memberId", ""),
                     on, {{"householdMonthlyIncomeFen", "0"}, {"tekunGrounds", partial}});
  ExpectError(PublishAndApprove(path, on), 400, 9,
              "tekun_grounds: not established at investigation: no_supporter",
              "approve 特困 with a supporter");

  // Grounds on a 低保 application are refused.
  json dibao = NewHousehold(kTekunVillage, {absl::CivilDay(today.year() - 50, 1, 2)}, 730);
  Investigate(
      "PROGRAMME_DIBAO", dibao, "", on,
      {{"householdMonthlyIncomeFen", "0"}, {"tekunGrounds", grounds("TEKUN_CATEGORY_DISABLED")}},
      &r);
  ExpectError(r, 400, 3, "tekun_grounds: only a 特困 application", "特困 grounds on 低保");
}

// 支出型困难家庭: the investigation records the household's rigid expenses; approval needs the
// income at or above the 低保 line and income minus the expenses below it.
TEST_F(AssistanceE2eTest, ExpenditureHardshipIsApprovedOnIncomeLessRigidExpenses) {
  const absl::CivilDay today = civil::Today();
  const absl::CivilDay on = absl::CivilDay(absl::CivilMonth(today) - 3) + 4;
  constexpr char kHardshipVillage[] = "340722100304";
  const absl::CivilDay adult(today.year() - 45, 3, 1);
  // Line: 2 × 790 yuan = 1580 yuan.

  // Income 1700 yuan, medical 150 + education 50: 1500 yuan left, below the line: enrolled.
  json eligible = NewHousehold(kHardshipVillage, {adult, adult + 9000}, 800);
  json approved =
      Ok(PublishAndApprove(
             Investigate("PROGRAMME_EXPENDITURE_HARDSHIP", eligible, "", on,
                         {{"householdMonthlyIncomeFen", "170000"},
                          {"rigidExpenses", {{"medicalFen", "15000"}, {"educationFen", "5000"}}}}),
             on),
         "approve 支出型 below the line after expenses");
  EXPECT_EQ(approved["application"]["status"], "APPLICATION_STATUS_APPROVED") << approved.dump();
  EXPECT_EQ(approved["enrolment"]["programme"], "PROGRAMME_EXPENDITURE_HARDSHIP")
      << approved.dump();
  EXPECT_EQ(approved["enrolment"]["startMonth"], Month(absl::CivilMonth(on) + 1))
      << approved.dump();

  // Income 2000 yuan, medical 300 + education 100: 1600 yuan left, above the line: refused.
  json above = NewHousehold(kHardshipVillage, {adult, adult + 9000}, 810);
  std::string path =
      Investigate("PROGRAMME_EXPENDITURE_HARDSHIP", above, "", on,
                  {{"householdMonthlyIncomeFen", "200000"},
                   {"rigidExpenses", {{"medicalFen", "30000"}, {"educationFen", "10000"}}}});
  ExpectError(PublishAndApprove(path, on), 400, 9,
              "rigid_expenses: household income 2000.00 yuan less rigid expenses 400.00 yuan is "
              "1600.00 yuan, not below the 低保 line 1580.00 yuan",
              "approve 支出型 above the line after expenses");
  EXPECT_EQ(Ok(Call(*reviewer_, "GET", path), "get")["application"]["status"],
            "APPLICATION_STATUS_IN_NOTICE");

  // Income below the line already: a 低保 case, refused.
  json poor = NewHousehold(kHardshipVillage, {adult, adult + 9000}, 820);
  path = Investigate("PROGRAMME_EXPENDITURE_HARDSHIP", poor, "", on,
                     {{"householdMonthlyIncomeFen", "100000"},
                      {"rigidExpenses", {{"medicalFen", "30000"}, {"educationFen", "0"}}}});
  ExpectError(PublishAndApprove(path, on), 400, 9, "a 低保 case, not 支出型",
              "approve 支出型 with income below the line");

  // No expenses recorded: refused.
  json none = NewHousehold(kHardshipVillage, {adult, adult + 9000}, 830);
  path = Investigate("PROGRAMME_EXPENDITURE_HARDSHIP", none, "", on,
                     {{"householdMonthlyIncomeFen", "170000"}});
  ExpectError(PublishAndApprove(path, on), 400, 9, "rigid_expenses: the investigation recorded no",
              "approve 支出型 without expenses");

  // A negative amount names the field and changes nothing.
  json negative = NewHousehold(kHardshipVillage, {adult, adult + 9000}, 840);
  HttpResponse r;
  path = Investigate("PROGRAMME_EXPENDITURE_HARDSHIP", negative, "", on,
                     {{"householdMonthlyIncomeFen", "170000"},
                      {"rigidExpenses", {{"medicalFen", "-1"}, {"educationFen", "0"}}}},
                     &r);
  ExpectError(r, 400, 3, "rigid_expenses.medical_fen: must not be negative",
              "investigate with a negative medical expense");
  EXPECT_EQ(Ok(Call(*clerk_, "GET", path), "get")["application"]["status"],
            "APPLICATION_STATUS_SUBMITTED");

  // Expenses on a 低保 application are refused.
  json dibao = NewHousehold(kHardshipVillage, {adult}, 850);
  Investigate("PROGRAMME_DIBAO", dibao, "", on,
              {{"householdMonthlyIncomeFen", "0"},
               {"rigidExpenses", {{"medicalFen", "10000"}, {"educationFen", "0"}}}},
              &r);
  ExpectError(r, 400, 3, "rigid_expenses: only a 支出型困难家庭 application", "expenses on 低保");
}

TEST_F(AssistanceE2eTest, DisbursementNeedsAReviewerAndAMonthNotInTheFuture) {
  const absl::CivilMonth next = absl::CivilMonth(civil::Today()) + 1;
  HttpResponse r;
  RunDisbursement(*clerk_, next - 2, kTownship, &r);
  ExpectError(r, 403, 7, "assistance.reviewer", "disbursement as a clerk");
  RunDisbursement(*reviewer_, next, kTownship, &r);
  ExpectError(r, 400, 3, "month", "disbursement of next month");
  json request = {{"programme", "PROGRAMME_MARGINAL"}, {"month", Month(next - 2)}};
  ExpectError(Call(*reviewer_, "POST", "/v1/assistance/disbursements", request), 400, 3, "",
              "disbursement of a programme that is not paid");
}

TEST_F(AssistanceE2eTest, TheLogScanFindsAnIdNumberARequestSent) {
  // The stack fails the suite when a log carries an ID number or name a request sent; this
  // shows the scan sees one: a line planted in the service's log is found, then taken out.
  const std::string id = IdNumberBornOn(absl::CivilDay(1950, 5, 5), 77);
  json household = {
      {"regionCode", "340722100001"},
      {"area", "AREA_RURAL"},
      {"members", {{{"name", "郑五七"}, {"idNumber", id}, {"relation", "RELATION_HEAD"}}}}};
  ASSERT_EQ(Call(*clerk_, "POST", "/v1/assistance/households", household).status, 200);
  EXPECT_TRUE(stack_->PersonalDataInLogs().empty());
  const std::string log = stack_->dir().path() + "/assistance.log";
  const std::string planted = "{\"msg\":\"planted\",\"who\":\"郑五七 " + id + "\"}\n";
  std::streamoff at = 0;
  {
    std::ofstream out(log, std::ios::app);
    out.seekp(0, std::ios::end);
    at = out.tellp();
    out << planted;
  }
  std::vector<std::string> found = stack_->PersonalDataInLogs();
  std::sort(found.begin(), found.end());
  std::vector<std::string> expected = {id, "郑五七"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(found, expected);
  // Blanked in place (the service keeps writing at its own offset).
  std::fstream blank(log, std::ios::in | std::ios::out);
  blank.seekp(at);
  blank << std::string(planted.size() - 1, ' ') << "\n";
  blank.close();
  EXPECT_TRUE(stack_->PersonalDataInLogs().empty());
}

}  // namespace
}  // namespace civil::assistance
