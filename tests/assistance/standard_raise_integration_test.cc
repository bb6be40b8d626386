// Integration tests of 提标 (issue 10): the monthly amount of an enrolment follows the benefit
// standard in force for the month paid — 低保 on the gap formula at the new line with the new
// supplements, 特困 at the new standard — while months already paid stay as paid; a 低保 household
// whose gap is no longer positive is paid nothing and listed for review; and the edges of the rule
// that chooses the standard (a township's own standard against a newer county one, effective
// dates), on the real services over a real PostgreSQL (tests/support/assistance_testbed.h).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/support/assistance_testbed.h"

namespace civil::assistance {
namespace {

using namespace civil::assistance::v1;       // NOLINT: test brevity
using namespace civil::assistance::testbed;  // NOLINT: test brevity
using civil::common::v1::Area;
using civil::common::v1::AREA_RURAL;
using civil::common::v1::AREA_URBAN;

const Who kCountyClerk{"clerk-county", "assistance.clerk", "340722"};
constexpr int kHead = 1;
constexpr int kSpouse = 2;
constexpr int kChild = 3;

class StandardRaiseIntegrationTest : public AssistanceTestbed {
 protected:
  // County standards from 2023-01-01: 低保 790 yuan per person (supplements: 50 yuan for 60 or
  // over, 100 yuan seriously ill), 特困 1027 yuan. Each test raises its own programme or area, so
  // the tests stay independent of their order although they share one database.
  void SetUp() override {
    AssistanceTestbed::SetUp();
    SetStandards({{PROGRAMME_DIBAO, AREA_RURAL, 79000, 5000, 10000},
                  {PROGRAMME_DIBAO, AREA_URBAN, 79000, 5000, 10000},
                  {PROGRAMME_TEKUN, AREA_RURAL, 102700},
                  {PROGRAMME_TEKUN, AREA_URBAN, 102700}});
  }

  // Sets a standard of `programme` in `area` for `prefix` from `from` through the API.
  void SetStandard(v1::Programme programme, Area area, const std::string& prefix,
                   const std::string& from, int64_t monthly_fen, int64_t elderly_fen = 0,
                   int64_t ill_fen = 0) {
    SetStandardRequest request;
    Standard* s = request.mutable_standard();
    s->set_programme(programme);
    s->set_area(area);
    s->set_region_prefix(prefix);
    s->set_effective_from(from);
    s->set_monthly_fen(monthly_fen);
    s->set_supplement_elderly_fen(elderly_fen);
    s->set_supplement_seriously_ill_fen(ill_fen);
    s->set_reason("提标");
    SetStandardResponse response;
    grpc::Status status = standard_->SetStandard(As(kReviewer).get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  v1::Household House(const std::string& region, std::vector<std::pair<std::string, int>> people,
                      Area area = AREA_RURAL) {
    return NewHousehold(region, people, kCountyClerk, area);
  }

  // The regular payment of `e` for `month` (`YYYY-MM`), fen; -1 when there is none.
  int64_t Paid(const Enrolment& e, const std::string& month) {
    return Count("SELECT coalesce(max(amount_fen), -1) FROM payments WHERE enrolment_id = '" +
                 e.enrolment_id() + "' AND month = '" + month + "-01' AND kind = 'REGULAR'");
  }

  // Every payment in `prefix` for months before `month`, row by row, to see they never change.
  std::string PaymentsBefore(const std::string& prefix, const std::string& month) {
    return Exec1(
        "SELECT coalesce(string_agg(concat_ws(' ', payment_id, enrolment_id, month, amount_fen, "
        "persons, batch_id), ',' ORDER BY payment_id), '') FROM payments WHERE region_code LIKE "
        "'" +
        prefix + "%' AND month < '" + month + "-01'");
  }

  RunDisbursementResponse PayOk(v1::Programme programme, const std::string& month,
                                const std::string& prefix) {
    RunDisbursementResponse r;
    grpc::Status s = Pay(programme, month, &r, prefix);
    EXPECT_TRUE(s.ok()) << month << ": " << s.error_message();
    return r;
  }

  // The department started again with its clock stopped on `day` (FixedClock).
  void OnDay(absl::CivilDay day) {
    TearDown();
    clock_ = FixedClock(day);
    SetUp();
  }

  // The enrolment as the clerk reads it (GetEnrolment).
  Enrolment Read(const Enrolment& e) {
    GetEnrolmentRequest request;
    request.set_enrolment_id(e.enrolment_id());
    GetEnrolmentResponse response;
    grpc::Status s = enrolment_->GetEnrolment(As(kReviewer).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.enrolment();
  }

  // The monthly amounts of `prefix`'s enrolments as ListEnrolments shows them, by enrolment.
  std::map<std::string, int64_t> Listed(const std::string& prefix) {
    ListEnrolmentsRequest request;
    request.set_region_prefix(prefix);
    request.set_page_size(100);
    ListEnrolmentsResponse response;
    grpc::Status s = enrolment_->ListEnrolments(As(kReviewer).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::map<std::string, int64_t> out;
    for (const Enrolment& e : response.enrolments()) out[e.enrolment_id()] = e.monthly_amount_fen();
    return out;
  }
};

TEST_F(StandardRaiseIntegrationTest, ADibaoRaiseReachesEveryEnrolledHouseholdFromItsMonth) {
  const std::string township = "340722101";
  EnrolOptions county{.clerk = kCountyClerk};
  // h1: head 73 (elderly), spouse seriously ill, income 500 yuan:
  //     790 × 2 − 500 = 1080 + 50 + 100 = 1230 yuan; at 830 (60, 120): 1160 + 60 + 120 = 1340.
  v1::Household h1 =
      House("340722101201", {{IdNumber(1001, 1950), kHead}, {IdNumber(1002, 1980), kSpouse}});
  EnrolOptions ill = county;
  ill.seriously_ill_member = h1.members(1).member_id();
  Enrolment e1 = Enrol(h1, PROGRAMME_DIBAO, 50000, "2023-01-05", "2023-01-20", ill);
  // h2: one person, no income: 790, then 830.
  v1::Household h2 = House("340722101201", {{IdNumber(1003, 1985), kHead}});
  Enrolment e2 = Enrol(h2, PROGRAMME_DIBAO, 0, "2023-01-05", "2023-01-20", county);
  // h3: three persons, income 1200.01 yuan: 2370 − 1200.01 → 1170; 2490 − 1200.01 → 1290.
  v1::Household h3 = House("340722101202", {{IdNumber(1004, 1980), kHead},
                                            {IdNumber(1005, 1982), kSpouse},
                                            {IdNumber(1006, 2012), kChild}});
  Enrolment e3 = Enrol(h3, PROGRAMME_DIBAO, 120001, "2023-01-05", "2023-01-20", county);
  // h4: one person, income 100 yuan: 690 yuan; a reviewer raises it to 750 from April.
  v1::Household h4 = House("340722101202", {{IdNumber(1007, 1990), kHead}});
  Enrolment e4 = Enrol(h4, PROGRAMME_DIBAO, 10000, "2023-01-05", "2023-01-20", county);
  EXPECT_EQ(e1.monthly_amount_fen(), 123000);
  EXPECT_EQ(e2.monthly_amount_fen(), 79000);
  EXPECT_EQ(e3.monthly_amount_fen(), 117000);
  EXPECT_EQ(e4.monthly_amount_fen(), 69000);

  PayOk(PROGRAMME_DIBAO, "2023-02", township);
  PayOk(PROGRAMME_DIBAO, "2023-03", township);
  RecordReviewRequest review;
  review.set_enrolment_id(e4.enrolment_id());
  review.set_outcome(REVIEW_OUTCOME_INCREASE);
  review.set_new_monthly_amount_fen(75000);
  review.set_reason("医疗支出增加");
  review.set_decided_on("2023-03-20");
  RecordReviewResponse reviewed;
  ASSERT_TRUE(review_->RecordReview(As(kReviewer).get(), review, &reviewed).ok());
  EXPECT_EQ(reviewed.review().effective_month(), "2023-04");
  PayOk(PROGRAMME_DIBAO, "2023-04", township);
  PayOk(PROGRAMME_DIBAO, "2023-05", township);
  const std::string before = PaymentsBefore(township, "2023-06");
  ASSERT_EQ(Count("SELECT count(*) FROM payments WHERE region_code LIKE '340722101%'"), 16);

  // The county raises 低保 to 830 yuan (supplements 60 and 120 yuan) from July. June, paid after
  // the raise is recorded, is still a month of the old line.
  SetStandard(PROGRAMME_DIBAO, AREA_RURAL, "340722", "2023-07-01", 83000, 6000, 12000);
  PayOk(PROGRAMME_DIBAO, "2023-06", township);
  EXPECT_EQ(Paid(e1, "2023-06"), 123000);
  EXPECT_EQ(Paid(e2, "2023-06"), 79000);
  EXPECT_EQ(Paid(e3, "2023-06"), 117000);
  EXPECT_EQ(Paid(e4, "2023-06"), 75000);  // as the reviewer set it

  RunDisbursementResponse july = PayOk(PROGRAMME_DIBAO, "2023-07", township);
  EXPECT_EQ(Paid(e1, "2023-07"), 134000);
  EXPECT_EQ(Paid(e2, "2023-07"), 83000);
  EXPECT_EQ(Paid(e3, "2023-07"), 129000);
  // The reviewer's 750 yuan carries the raise (+40 yuan), rather than falling back to 730.
  EXPECT_EQ(Paid(e4, "2023-07"), 79000);
  EXPECT_EQ(july.batch().payments(), 4);
  EXPECT_EQ(july.batch().total_fen(), 134000 + 83000 + 129000 + 79000);
  // Every household enrolled in July is paid for July, none twice.
  EXPECT_EQ(Count("SELECT count(*) FROM enrolments WHERE region_code LIKE '340722101%' AND "
                  "start_month <= '2023-07-01' AND (end_month IS NULL OR end_month >= "
                  "'2023-07-01')"),
            Count("SELECT count(DISTINCT enrolment_id) FROM payments WHERE region_code LIKE "
                  "'340722101%' AND month = '2023-07-01'"));
  // The months paid before are exactly as they were paid.
  EXPECT_EQ(PaymentsBefore(township, "2023-06"), before);
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE region_code LIKE '340722101%' AND month < "
                  "'2023-07-01' AND amount_fen IN (134000, 83000, 129000)"),
            0);
  // A county-wide run of July pays nobody of the township a second time.
  PayOk(PROGRAMME_DIBAO, "2023-07", "340722");
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE region_code LIKE '340722101%' AND month = "
                  "'2023-07-01'"),
            4);
  // A household approved after the raise is enrolled at the new line; August pays everyone at it.
  v1::Household h5 = House("340722101201", {{IdNumber(1008, 1975), kHead}});
  Enrolment e5 = Enrol(h5, PROGRAMME_DIBAO, 0, "2023-07-01", "2023-07-10", county);
  EXPECT_EQ(e5.start_month(), "2023-08");
  EXPECT_EQ(e5.monthly_amount_fen(), 83000);
  RunDisbursementResponse august = PayOk(PROGRAMME_DIBAO, "2023-08", township);
  EXPECT_EQ(august.batch().payments(), 5);
  EXPECT_EQ(august.batch().total_fen(), 134000 + 83000 + 129000 + 79000 + 83000);
}

TEST_F(StandardRaiseIntegrationTest, ATekunRaiseReachesEverySupportedPerson) {
  const std::string township = "340722102";
  std::vector<Enrolment> enrolled;
  for (int i = 0; i < 2; ++i) {
    v1::Household h = House("340722102201", {{IdNumber(1101 + i, 1940 + i), kHead}});
    EnrolOptions tekun{.member_id = h.members(0).member_id(), .clerk = kCountyClerk};
    enrolled.push_back(Enrol(h, PROGRAMME_TEKUN, 0, "2023-01-05", "2023-01-20", tekun));
    EXPECT_EQ(enrolled.back().monthly_amount_fen(), 102700);
  }
  for (const char* month : {"2023-02", "2023-03", "2023-04", "2023-05", "2023-06", "2023-07"}) {
    PayOk(PROGRAMME_TEKUN, month, township);
  }
  const std::string before = PaymentsBefore(township, "2023-08");
  // 特困 raised to 1080 yuan from August.
  SetStandard(PROGRAMME_TEKUN, AREA_RURAL, "340722", "2023-08-01", 108000);
  RunDisbursementResponse august = PayOk(PROGRAMME_TEKUN, "2023-08", township);
  EXPECT_EQ(august.batch().payments(), 2);
  EXPECT_EQ(august.batch().total_fen(), 2 * 108000);
  for (const Enrolment& e : enrolled) {
    EXPECT_EQ(Paid(e, "2023-07"), 102700);
    EXPECT_EQ(Paid(e, "2023-08"), 108000);
  }
  EXPECT_EQ(PaymentsBefore(township, "2023-08"), before);
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE region_code LIKE '340722102%' AND month < "
                  "'2023-08-01' AND amount_fen <> 102700"),
            0);
}

TEST_F(StandardRaiseIntegrationTest, AHouseholdWhoseGapIsNoLongerPositiveIsHeldForReview) {
  const std::string township = "340722103";
  EnrolOptions county{.clerk = kCountyClerk};
  // Two persons, income 1000 yuan: 790 × 2 − 1000 = 580 yuan. When one moves away the line is
  // 790 − 1000 < 0: nothing to pay.
  v1::Household h =
      House("340722103201", {{IdNumber(1201, 1970), kHead}, {IdNumber(1202, 1972), kSpouse}});
  Enrolment e = Enrol(h, PROGRAMME_DIBAO, 100000, "2023-01-05", "2023-01-20", county);
  v1::Household other = House("340722103201", {{IdNumber(1203, 1985), kHead}});
  Enrolment paid = Enrol(other, PROGRAMME_DIBAO, 0, "2023-01-05", "2023-01-20", county);
  EXPECT_EQ(e.monthly_amount_fen(), 58000);
  EXPECT_EQ(e.review_due(), "2024-02-01");
  PayOk(PROGRAMME_DIBAO, "2023-02", township);
  Exit(e, h.members(1).member_id(), EXIT_REASON_MOVED_AWAY, "2023-02-15");  // from March

  RunDisbursementResponse march = PayOk(PROGRAMME_DIBAO, "2023-03", township);
  EXPECT_EQ(march.batch().payments(), 1);  // the other household only
  EXPECT_EQ(march.batch().total_fen(), 79000);
  EXPECT_EQ(Paid(e, "2023-02"), 58000);
  EXPECT_EQ(Paid(e, "2023-03"), -1);
  EXPECT_EQ(Paid(paid, "2023-03"), 79000);
  // Recorded with the gap, in the batch that found it.
  EXPECT_EQ(Exec1("SELECT concat_ws(' ', batch_id, persons, income_fen, gap_fen) FROM "
                  "disbursement_holds WHERE enrolment_id = '" +
                  e.enrolment_id() + "' AND month = '2023-03-01'"),
            march.batch().batch_id() + " 1 100000 -21000");
  // Listed for review: its review is due from the month not paid, on the reviewers' worklist.
  GetEnrolmentRequest get;
  get.set_enrolment_id(e.enrolment_id());
  GetEnrolmentResponse got;
  ASSERT_TRUE(enrolment_->GetEnrolment(As(kReviewer).get(), get, &got).ok());
  EXPECT_EQ(got.enrolment().review_due(), "2023-03-01");
  EXPECT_EQ(got.enrolment().status(), ENROLMENT_STATUS_ACTIVE);
  ListReviewsDueRequest due;
  due.set_region_prefix(township);
  due.set_due_before("2023-04-01");
  ListReviewsDueResponse listed;
  ASSERT_TRUE(review_->ListReviewsDue(As(kReviewer).get(), due, &listed).ok());
  ASSERT_EQ(listed.enrolments_size(), 1);
  EXPECT_EQ(listed.enrolments(0).enrolment_id(), e.enrolment_id());
  EXPECT_EQ(Count("SELECT count(*) FROM enrolment_history WHERE enrolment_id = '" +
                  e.enrolment_id() + "' AND action = 'HELD_FOR_REVIEW'"),
            1);

  // The same batch again, or a county-wide run of March, holds it once; April holds it again.
  PayOk(PROGRAMME_DIBAO, "2023-03", township);
  PayOk(PROGRAMME_DIBAO, "2023-03", "340722");
  PayOk(PROGRAMME_DIBAO, "2023-04", township);
  EXPECT_EQ(Paid(e, "2023-04"), -1);
  EXPECT_EQ(Count("SELECT count(*) FROM disbursement_holds WHERE enrolment_id = '" +
                  e.enrolment_id() + "'"),
            2);
  ASSERT_TRUE(enrolment_->GetEnrolment(As(kReviewer).get(), get, &got).ok());
  EXPECT_EQ(got.enrolment().review_due(), "2023-03-01");  // the earliest month not paid

  // The reviewer ends it for income (their decision, through the worklist's action).
  RecordReviewRequest stop;
  stop.set_enrolment_id(e.enrolment_id());
  stop.set_outcome(REVIEW_OUTCOME_STOP);
  stop.set_exit_reason(EXIT_REASON_INELIGIBLE_INCOME);
  stop.set_reason("收入超过保障标准");
  stop.set_decided_on("2023-04-20");
  RecordReviewResponse stopped;
  ASSERT_TRUE(review_->RecordReview(As(kReviewer).get(), stop, &stopped).ok());
  ASSERT_TRUE(review_->ListReviewsDue(As(kReviewer).get(), due, &listed).ok());
  EXPECT_EQ(listed.enrolments_size(), 0);
}

// What the clerk reads is what is paid (GetEnrolment, ListEnrolments): the amount for the month of
// the department's clock by the disbursement's own rule — the old one before the raise's month,
// although the raise is recorded, and the new one from it, a reviewer's amount carrying it.
TEST_F(StandardRaiseIntegrationTest, TheEnrolmentShowsTheAmountPaidForTheMonthOfTheClock) {
  // Township 106 has its own rural 低保 line, so the county raise of another test never reaches
  // it: 790 yuan (50 for 60 or over, 100 seriously ill) from 2024.
  OnDay(absl::CivilDay(2024, 1, 10));
  const std::string township = "340722106";
  SetStandard(PROGRAMME_DIBAO, AREA_RURAL, township, "2024-01-01", 79000, 5000, 10000);
  EnrolOptions county{.clerk = kCountyClerk};
  // h1: head 73, spouse seriously ill, income 500 yuan: 1080 + 50 + 100 = 1230 yuan; at 830
  // (60, 120): 1160 + 60 + 120 = 1340.
  v1::Household h1 =
      House("340722106201", {{IdNumber(1401, 1950), kHead}, {IdNumber(1402, 1980), kSpouse}});
  EnrolOptions ill = county;
  ill.seriously_ill_member = h1.members(1).member_id();
  const Enrolment e1 = Enrol(h1, PROGRAMME_DIBAO, 50000, "2024-01-02", "2024-01-10", ill);
  // h2: one person, income 100 yuan: 690 yuan; a reviewer raises it to 750 from March.
  v1::Household h2 = House("340722106202", {{IdNumber(1403, 1990), kHead}});
  const Enrolment e2 = Enrol(h2, PROGRAMME_DIBAO, 10000, "2024-01-02", "2024-01-10", county);
  EXPECT_EQ(e1.start_month(), "2024-02");
  EXPECT_EQ(e1.monthly_amount_fen(), 123000);
  EXPECT_EQ(e2.monthly_amount_fen(), 69000);

  OnDay(absl::CivilDay(2024, 2, 20));
  PayOk(PROGRAMME_DIBAO, "2024-02", township);
  RecordReviewRequest review;
  review.set_enrolment_id(e2.enrolment_id());
  review.set_outcome(REVIEW_OUTCOME_INCREASE);
  review.set_new_monthly_amount_fen(75000);
  review.set_reason("医疗支出增加");
  RecordReviewResponse reviewed;
  ASSERT_TRUE(review_->RecordReview(As(kReviewer).get(), review, &reviewed).ok());
  EXPECT_EQ(reviewed.review().effective_month(), "2024-03");

  // March: the township raises its line to 830 yuan (60, 120) from April. A clerk reading now
  // reads March's amounts, the old line's, and March pays them.
  OnDay(absl::CivilDay(2024, 3, 10));
  SetStandard(PROGRAMME_DIBAO, AREA_RURAL, township, "2024-04-01", 83000, 6000, 12000);
  EXPECT_EQ(Read(e1).monthly_amount_fen(), 123000);
  EXPECT_EQ(Read(e2).monthly_amount_fen(), 75000);
  PayOk(PROGRAMME_DIBAO, "2024-03", township);
  EXPECT_EQ(Paid(e1, "2024-03"), 123000);
  EXPECT_EQ(Paid(e2, "2024-03"), 75000);

  // April: the new line, as April pays it; the reviewer's 750 carries the raise (+40 yuan).
  OnDay(absl::CivilDay(2024, 4, 2));
  EXPECT_EQ(Read(e1).monthly_amount_fen(), 134000);
  EXPECT_EQ(Read(e2).monthly_amount_fen(), 79000);
  // And says which month and which standard that is: the township's line from April.
  const Enrolment april = Read(e1);
  EXPECT_EQ(april.amount_month(), "2024-04");
  EXPECT_EQ(april.amount_standard_region_prefix(), township);
  EXPECT_EQ(april.amount_standard_effective_from(), "2024-04-01");
  EXPECT_FALSE(april.amount_standard_id().empty());
  const std::map<std::string, int64_t> listed = Listed(township);
  EXPECT_EQ(listed.at(e1.enrolment_id()), 134000);
  EXPECT_EQ(listed.at(e2.enrolment_id()), 79000);
  PayOk(PROGRAMME_DIBAO, "2024-04", township);
  EXPECT_EQ(Paid(e1, "2024-04"), Read(e1).monthly_amount_fen());
  EXPECT_EQ(Paid(e2, "2024-04"), Read(e2).monthly_amount_fen());
  // The months before stay as they were paid, and a clerk reading back on a day of March still
  // reads March's amounts.
  EXPECT_EQ(Paid(e1, "2024-03"), 123000);
  OnDay(absl::CivilDay(2024, 3, 31));
  EXPECT_EQ(Read(e1).monthly_amount_fen(), 123000);
  EXPECT_EQ(Read(e1).amount_month(), "2024-03");
  EXPECT_EQ(Read(e1).amount_standard_effective_from(), "2024-01-01");
  EXPECT_EQ(Read(e2).monthly_amount_fen(), 75000);

  // A review (复审) weighs its new amount against what the household is paid at the new line
  // (from May, April being paid), not against the amount of approval: an increase to 780 yuan,
  // above the 750 set but below the 790 paid, is refused naming 790; a decrease to 1300 yuan,
  // below the 1340 paid though above the 1230 of approval, is taken. Refused, it changes nothing.
  OnDay(absl::CivilDay(2024, 4, 20));
  review.set_new_monthly_amount_fen(78000);
  review.set_decided_on("2024-04-20");
  grpc::Status refused = review_->RecordReview(As(kReviewer).get(), review, &reviewed);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("790"), std::string::npos) << refused.error_message();
  EXPECT_EQ(Read(e2).monthly_amount_fen(), 79000);
  review.set_new_monthly_amount_fen(80000);
  ASSERT_TRUE(review_->RecordReview(As(kReviewer).get(), review, &reviewed).ok());
  EXPECT_EQ(reviewed.review().effective_month(), "2024-05");
  EXPECT_EQ(reviewed.review().previous_amount_fen(), 79000);
  EXPECT_EQ(reviewed.enrolment().monthly_amount_fen(), 79000);  // April's; 800 from May
  RecordReviewRequest decrease;
  decrease.set_enrolment_id(e1.enrolment_id());
  decrease.set_outcome(REVIEW_OUTCOME_DECREASE);
  decrease.set_new_monthly_amount_fen(130000);
  decrease.set_reason("务工收入增加");
  decrease.set_decided_on("2024-04-20");
  RecordReviewResponse decreased;
  grpc::Status s = review_->RecordReview(As(kReviewer).get(), decrease, &decreased);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(decreased.review().previous_amount_fen(), 134000);
  // Reviews due are listed with what they are paid now.
  Exec1("UPDATE enrolments SET review_due = '2024-04-01' WHERE enrolment_id = '" +
        e1.enrolment_id() + "'");
  ListReviewsDueRequest due;
  due.set_region_prefix(township);
  ListReviewsDueResponse worklist;
  ASSERT_TRUE(review_->ListReviewsDue(As(kReviewer).get(), due, &worklist).ok());
  ASSERT_EQ(worklist.enrolments_size(), 1);
  EXPECT_EQ(worklist.enrolments(0).monthly_amount_fen(), 134000);  // April's; 1300 from May
  OnDay(absl::CivilDay(2024, 5, 2));
  PayOk(PROGRAMME_DIBAO, "2024-05", township);
  EXPECT_EQ(Paid(e1, "2024-05"), 130000);
  EXPECT_EQ(Paid(e2, "2024-05"), 80000);
  EXPECT_EQ(Read(e1).monthly_amount_fen(), 130000);
  EXPECT_EQ(Read(e2).monthly_amount_fen(), 80000);
}

// Which standard applies (services/assistance/README.md): the most local prefix wins, then the
// latest date in force on the month's first day; payments and approvals choose alike.
TEST_F(StandardRaiseIntegrationTest, TheMostLocalStandardInForceOnTheFirstDayApplies) {
  EnrolOptions county{.clerk = kCountyClerk};
  // Urban 低保 (the other tests raise rural 低保): one person each, no income, no supplement.
  auto enrol = [&](const std::string& region, int serial) {
    v1::Household h = House(region, {{IdNumber(serial, 1985), kHead}}, AREA_URBAN);
    return Enrol(h, PROGRAMME_DIBAO, 0, "2023-01-05", "2023-01-20", county);
  };
  const Enrolment a = enrol("340722104201", 1301);  // township 104 (its own standard)
  const Enrolment b = enrol("340722105101", 1302);  // village 105101 (its own, from a 15th)
  const Enrolment c = enrol("340722105102", 1303);  // village 105102 (the county's)
  // Township 104 sets its own 800 yuan from March; the county raises to 850 from September;
  // village 340722105101 sets 900 yuan from 15 September.
  SetStandard(PROGRAMME_DIBAO, AREA_URBAN, "340722104", "2023-03-01", 80000);
  SetStandard(PROGRAMME_DIBAO, AREA_URBAN, "340722", "2023-09-01", 85000);
  SetStandard(PROGRAMME_DIBAO, AREA_URBAN, "340722105101", "2023-09-15", 90000);
  auto pay = [&](const std::string& month) {
    PayOk(PROGRAMME_DIBAO, month, "340722104");
    PayOk(PROGRAMME_DIBAO, month, "340722105");
  };
  for (const char* month : {"2023-02", "2023-03", "2023-09", "2023-10"}) pay(month);
  // February: only the county's 790 is in force.
  EXPECT_EQ(Paid(a, "2023-02"), 79000);
  EXPECT_EQ(Paid(b, "2023-02"), 79000);
  EXPECT_EQ(Paid(c, "2023-02"), 79000);
  // March: the township's own standard from its first day.
  EXPECT_EQ(Paid(a, "2023-03"), 80000);
  EXPECT_EQ(Paid(c, "2023-03"), 79000);
  // September: the newer county line does not replace the township's own; the village's own is
  // not in force on 1 September (from the 15th), so the county's new line applies there.
  EXPECT_EQ(Paid(a, "2023-09"), 80000);
  EXPECT_EQ(Paid(b, "2023-09"), 85000);
  EXPECT_EQ(Paid(c, "2023-09"), 85000);
  // October: the village's own.
  EXPECT_EQ(Paid(a, "2023-10"), 80000);
  EXPECT_EQ(Paid(b, "2023-10"), 90000);
  EXPECT_EQ(Paid(c, "2023-10"), 85000);
  // Approval chooses the same way (StandardStore::InForce): enrolled from October.
  const Enrolment d = [&] {
    v1::Household h = House("340722104202", {{IdNumber(1304, 1985), kHead}}, AREA_URBAN);
    return Enrol(h, PROGRAMME_DIBAO, 0, "2023-09-01", "2023-09-10", county);
  }();
  const Enrolment e = [&] {
    v1::Household h = House("340722105101", {{IdNumber(1305, 1985), kHead}}, AREA_URBAN);
    return Enrol(h, PROGRAMME_DIBAO, 0, "2023-09-01", "2023-09-10", county);
  }();
  EXPECT_EQ(d.monthly_amount_fen(), 80000);
  EXPECT_EQ(e.monthly_amount_fen(), 90000);

  // A township standard dated back to February, recorded now: the months paid stay as paid; the
  // next month follows it where it is the most local (not in the village with its own).
  const std::string before = PaymentsBefore("340722105", "2023-11");
  SetStandard(PROGRAMME_DIBAO, AREA_URBAN, "340722105", "2023-02-01", 95000);
  pay("2023-11");
  EXPECT_EQ(PaymentsBefore("340722105", "2023-11"), before);
  EXPECT_EQ(Paid(c, "2023-10"), 85000);
  EXPECT_EQ(Paid(c, "2023-11"), 95000);
  EXPECT_EQ(Paid(b, "2023-11"), 90000);
  EXPECT_EQ(Paid(e, "2023-11"), 90000);
  EXPECT_EQ(Paid(d, "2023-11"), 80000);
}

}  // namespace
}  // namespace civil::assistance
