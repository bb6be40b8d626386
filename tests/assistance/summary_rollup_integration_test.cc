// Integration tests of the summary's roll-ups (migration 0005: payment_totals, caseload_changes)
// and of the chunked monthly run with its progress: over the real services, PostgreSQL and Redis
// of the assistance test bed. The roll-ups must give exactly the figures the summary counted from
// the rows before them, whoever writes the rows (a monthly run, an adjustment, an import), at any
// region prefix length.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "prometheus/client_metric.h"
#include "prometheus/metric_family.h"
#include "prometheus/registry.h"
#include "tests/support/assistance_testbed.h"
#include "tests/support/call_as.h"

namespace civil::assistance {
namespace {

using testbed::As;
using testbed::AssistanceTestbed;
using testbed::EnrolOptions;
using testbed::IdNumber;
using testbed::kAuditor;
using testbed::kReviewer;
namespace v1 = civil::assistance::v1;
using civil::common::v1::AREA_RURAL;
using civil::common::v1::AREA_URBAN;

// Relations as CreateHousehold takes them.
constexpr int kHead = 1;
constexpr int kSpouse = 2;
constexpr int kChild = 3;

// Rows of payments summed as payment_totals sums them, minus payment_totals, both ways: 0 when
// the roll-up holds exactly the sums of the rows.
constexpr char kPaymentTotalsDiff[] =
    "SELECT count(*) FROM ((SELECT batch_id, month, programme, area, region_code, count(*), "
    "sum(amount_fen) FROM payments GROUP BY 1, 2, 3, 4, 5 EXCEPT SELECT batch_id, month, "
    "programme, area, region_code, payments, amount_fen FROM payment_totals WHERE payments <> 0) "
    "UNION ALL (SELECT batch_id, month, programme, area, region_code, payments, amount_fen FROM "
    "payment_totals WHERE payments <> 0 EXCEPT SELECT batch_id, month, programme, area, "
    "region_code, count(*), sum(amount_fen) FROM payments GROUP BY 1, 2, 3, 4, 5)) d";

class SummaryRollupIntegrationTest : public AssistanceTestbed {
 protected:
  void SetUp() override {
    AssistanceTestbed::SetUp();
    SetStandards({{v1::PROGRAMME_DIBAO, AREA_RURAL, 64000, 5000, 10000},
                  {v1::PROGRAMME_DIBAO, AREA_URBAN, 79000, 5000, 10000},
                  {v1::PROGRAMME_TEKUN, AREA_RURAL, 83200},
                  {v1::PROGRAMME_TEKUN, AREA_URBAN, 102700}});
  }

  v1::GetSummaryResponse Summary(const std::string& prefix, const std::string& start,
                                 const std::string& end) {
    v1::GetSummaryRequest request;
    request.set_period_start(start);
    request.set_period_end(end);
    request.set_region_prefix(prefix);
    v1::GetSummaryResponse response;
    grpc::Status s = summary_->GetSummary(As(kAuditor).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  // Every programme figure of the summary as "PROGRAMME/AREA figure" → value.
  static std::map<std::string, int64_t> Figures(const v1::GetSummaryResponse& r) {
    std::map<std::string, int64_t> out;
    for (const v1::ProgrammeFigures& f : r.programmes()) {
      const std::string key =
          absl::StrCat(absl::StripPrefix(v1::Programme_Name(f.programme()), "PROGRAMME_"), "/",
                       absl::StripPrefix(civil::common::v1::Area_Name(f.area()), "AREA_"), " ");
      out[key + "households"] = f.households();
      out[key + "persons"] = f.persons();
      out[key + "paid_fen"] = f.paid_fen();
      out[key + "new_enrolments"] = f.new_enrolments();
      out[key + "exit_households"] = f.exit_households();
      out[key + "exit_persons"] = f.exit_persons();
      std::string order;
      for (const auto& x : f.exits_by_reason()) {
        const std::string reason(
            absl::StripPrefix(v1::ExitReason_Name(x.reason()), "EXIT_REASON_"));
        out[absl::StrCat(key, "exit_households[", reason, "]")] = x.households();
        out[absl::StrCat(key, "exit_persons[", reason, "]")] = x.persons();
        absl::StrAppend(&order, reason, ",");
      }
      if (!order.empty()) out[absl::StrCat(key, "reasons ", order)] = 1;
    }
    return out;
  }

  // The same figures counted from the rows, with the statements SummaryStore::Figures ran before
  // the roll-ups; a programme and area gets every figure, zero where it has none.
  std::map<std::string, int64_t> FiguresFromRows(const std::string& prefix,
                                                 const std::string& start, const std::string& end) {
    const std::string first_month = start.substr(0, 8) + "01";
    const std::string last_month = end.substr(0, 8) + "01";
    pqxx::connection c(*dsn_);
    pqxx::nontransaction txn(c);
    std::map<std::string, int64_t> out;
    auto key = [](const pqxx::row& r) {
      return absl::StrCat(r[0].as<std::string>(), "/", r[1].as<std::string>(), " ");
    };
    auto group = [&](const std::string& k) {
      for (const char* figure : {"households", "persons", "paid_fen", "new_enrolments",
                                 "exit_households", "exit_persons"}) {
        out.emplace(k + figure, 0);
      }
    };
    for (const auto& r : txn.exec_params(
             "SELECT e.programme, e.area, count(DISTINCT e.enrolment_id), count(*) FROM "
             "enrolments e JOIN enrolment_members m USING (enrolment_id) WHERE e.region_code "
             "LIKE $1 || '%' AND m.start_month <= $2::date AND (m.end_month IS NULL OR "
             "m.end_month >= $2::date) GROUP BY 1, 2",
             prefix, last_month)) {
      group(key(r));
      out[key(r) + "households"] = r[2].as<int64_t>();
      out[key(r) + "persons"] = r[3].as<int64_t>();
    }
    for (const auto& r : txn.exec_params(
             "SELECT programme, area, sum(amount_fen) FROM payments WHERE region_code LIKE $1 || "
             "'%' AND month BETWEEN $2::date AND $3::date GROUP BY 1, 2",
             prefix, first_month, last_month)) {
      group(key(r));
      out[key(r) + "paid_fen"] = r[2].as<int64_t>();
    }
    for (const auto& r : txn.exec_params(
             "SELECT programme, area, count(*) FROM enrolments WHERE region_code LIKE $1 || '%' "
             "AND start_month BETWEEN $2::date AND $3::date GROUP BY 1, 2",
             prefix, first_month, last_month)) {
      group(key(r));
      out[key(r) + "new_enrolments"] = r[2].as<int64_t>();
    }
    for (const auto& r : txn.exec_params(
             "SELECT e.programme, e.area, count(DISTINCT e.enrolment_id), count(*) FROM "
             "enrolments e JOIN enrolment_members m USING (enrolment_id) WHERE e.region_code "
             "LIKE $1 || '%' AND m.exited_on BETWEEN $2::date AND $3::date GROUP BY 1, 2",
             prefix, start, end)) {
      group(key(r));
      out[key(r) + "exit_households"] = r[2].as<int64_t>();
      out[key(r) + "exit_persons"] = r[3].as<int64_t>();
    }
    std::map<std::string, std::string> order;
    for (const auto& r : txn.exec_params(
             "SELECT e.programme, e.area, m.exit_reason, count(DISTINCT e.enrolment_id), "
             "count(*) FROM enrolments e JOIN enrolment_members m USING (enrolment_id) WHERE "
             "e.region_code LIKE $1 || '%' AND m.exited_on BETWEEN $2::date AND $3::date GROUP "
             "BY 1, 2, 3 ORDER BY 3",
             prefix, start, end)) {
      const std::string reason = r[2].as<std::string>();
      out[absl::StrCat(key(r), "exit_households[", reason, "]")] = r[3].as<int64_t>();
      out[absl::StrCat(key(r), "exit_persons[", reason, "]")] = r[4].as<int64_t>();
      absl::StrAppend(&order[key(r)], reason, ",");
    }
    for (const auto& [k, reasons] : order) out[absl::StrCat(k, "reasons ", reasons)] = 1;
    return out;
  }

  // The summary of every prefix and period equals the figures counted from the rows.
  void ExpectSummaryEqualsRows(const std::vector<std::string>& prefixes,
                               const std::vector<std::pair<std::string, std::string>>& periods) {
    for (const std::string& prefix : prefixes) {
      for (const auto& [start, end] : periods) {
        EXPECT_EQ(Figures(Summary(prefix, start, end)), FiguresFromRows(prefix, start, end))
            << "region prefix " << prefix << ", period " << start << ".." << end;
      }
    }
  }

  // An adjustment as a correction writes it: a payment of kind ADJUSTMENT outside any batch.
  void Adjust(const v1::Enrolment& e, const std::string& month, int64_t amount_fen) {
    Exec1(absl::StrCat(
        "INSERT INTO payments (enrolment_id, month, programme, area, region_code, household_id, "
        "persons, amount_fen, kind) SELECT enrolment_id, '",
        month, "-01', programme, area, region_code, household_id, 1, ", amount_fen,
        ", 'ADJUSTMENT' FROM enrolments WHERE enrolment_id = '", e.enrolment_id(), "'"));
  }
};

TEST_F(SummaryRollupIntegrationTest, RollUpsEqualTheRowsAfterRunsAndAnAdjustmentAtAnyPrefix) {
  // Two villages of township 340722100, a community (urban) of it, a village of 340722101.
  const std::string v1a = "340722100211";
  const std::string v1b = "340722100212";
  const std::string town = "340722100011";
  const std::string v2 = "340722101211";
  EnrolOptions in_township{};
  in_township.clerk = {"clerk-county", "assistance.clerk", "340722"};
  auto household = [&](const std::string& region, std::vector<std::pair<std::string, int>> people,
                       civil::common::v1::Area area = AREA_RURAL) {
    return NewHousehold(region, people, in_township.clerk, area);
  };
  v1::Household a = household(v1a, {{IdNumber(1, 1950, "0401"), kHead},
                                    {IdNumber(2, 1952, "0401"), kSpouse},
                                    {IdNumber(3, 1990, "0401"), kChild}});
  v1::Household b = household(v1a, {{IdNumber(4, 1945, "0401"), kHead}});
  v1::Household c =
      household(v1b, {{IdNumber(5, 1960, "0401"), kHead}, {IdNumber(6, 1962, "0401"), kSpouse}});
  v1::Household d = household(town, {{IdNumber(7, 1970, "0401"), kHead}}, AREA_URBAN);
  v1::Household t = household(v2, {{IdNumber(8, 1940, "0401"), kHead}});
  v1::Household f =
      household(v2, {{IdNumber(9, 1975, "0401"), kHead}, {IdNumber(10, 2010, "0401"), kChild}});

  const v1::Enrolment ea = Enrol(a, v1::PROGRAMME_DIBAO, 30000, "2023-01-03", "2023-01-16",
                                 in_township);  // from February
  const v1::Enrolment eb =
      Enrol(b, v1::PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-16", in_township);
  const v1::Enrolment ec = Enrol(c, v1::PROGRAMME_DIBAO, 20000, "2023-02-01", "2023-02-14",
                                 in_township);  // from March
  Enrol(d, v1::PROGRAMME_DIBAO, 10000, "2023-01-03", "2023-01-16", in_township);
  EnrolOptions tekun = in_township;
  tekun.member_id = t.members(0).member_id();
  Enrol(t, v1::PROGRAMME_TEKUN, 0, "2023-01-03", "2023-01-16", tekun);
  Enrol(f, v1::PROGRAMME_DIBAO, 0, "2023-03-01", "2023-03-14", in_township);  // from April

  // A township run first, then the county's for the same month (which pays nobody of the
  // township again), and later months county-wide (特困 from March).
  v1::RunDisbursementResponse r;
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-02", &r, "340722100").ok());
  EXPECT_EQ(r.batch().payments(), 3);  // a, b, d
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-02", &r, "340722").ok());
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE region_code LIKE '340722100%' AND month = "
                  "'2023-02-01'"),
            3);
  for (const char* month : {"2023-03", "2023-04"}) {
    ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, month, &r).ok());
    ASSERT_TRUE(Pay(v1::PROGRAMME_TEKUN, month, &r).ok());
  }
  // Exits: the child of a leaves in April for income with a 渐退 phase-out; b's only member dies
  // in April (paid through April); then May is paid.
  v1::ExitEnrolmentRequest phase_out;
  phase_out.set_enrolment_id(ea.enrolment_id());
  phase_out.set_member_id(a.members(2).member_id());
  phase_out.set_reason(v1::EXIT_REASON_INELIGIBLE_INCOME);
  phase_out.set_phase_out(true);
  phase_out.set_note("务工收入");
  phase_out.set_decided_on("2023-04-10");
  v1::ExitEnrolmentResponse exited;
  ASSERT_TRUE(enrolment_->ExitEnrolment(As(kReviewer).get(), phase_out, &exited).ok());
  Exit(eb, "", v1::EXIT_REASON_DEATH, "2023-04-20");
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-05", &r).ok());
  ASSERT_TRUE(Pay(v1::PROGRAMME_TEKUN, "2023-05", &r).ok());
  // A correction: 50 yuan less for c's March, as an adjustment row outside any batch.
  Adjust(ec, "2023-03", -5000);

  EXPECT_EQ(Count(kPaymentTotalsDiff), 0);
  // Each batch's count and total (taken from the roll-up) are those of its payments.
  EXPECT_EQ(Count("SELECT count(*) FROM disbursement_batches b WHERE region_prefix IN ('340722', "
                  "'340722100') AND month BETWEEN '2023-02-01' AND '2023-05-01' AND (b.payments, "
                  "b.total_fen) <> (SELECT count(*), coalesce(sum(amount_fen), 0) FROM payments "
                  "p WHERE p.batch_id = b.batch_id)"),
            0);
  // The adjustment is in the money paid for the village, and nowhere else.
  const int64_t march_c =
      Count(absl::StrCat("SELECT sum(amount_fen) FROM payments WHERE enrolment_id = '",
                         ec.enrolment_id(), "' AND month = '2023-03-01'"));
  v1::GetSummaryResponse village = Summary(v1b, "2023-03-01", "2023-03-31");
  ASSERT_EQ(village.programmes_size(), 1);
  EXPECT_EQ(village.programmes(0).paid_fen(), march_c);
  EXPECT_EQ(march_c, ec.monthly_amount_fen() - 5000);

  // Every figure equals the rows' at 6, 9 and 12 digits, over periods that end before, inside
  // and after the exits and the phase-out.
  ExpectSummaryEqualsRows({"340722", "340722100", "340722101", v1a, v1b, town, v2},
                          {{"2023-01-01", "2023-12-31"},
                           {"2023-02-01", "2023-02-28"},
                           {"2023-03-15", "2023-04-30"},
                           {"2023-05-01", "2023-09-30"},
                           {"2023-10-01", "2023-10-31"},
                           {"2022-01-01", "2022-12-31"}});

  // Spot checks of what the rows say, so that the comparison above compares something.
  v1::GetSummaryResponse june = Summary("340722100", "2023-01-01", "2023-06-30");
  std::map<std::string, int64_t> figures = Figures(june);
  EXPECT_EQ(figures["DIBAO/RURAL households"], 2);  // a (2 + the child phasing out), c
  EXPECT_EQ(figures["DIBAO/RURAL persons"], 5);
  EXPECT_EQ(figures["DIBAO/RURAL exit_households"], 2);
  EXPECT_EQ(figures["DIBAO/RURAL new_enrolments"], 3);
  EXPECT_EQ(figures["DIBAO/URBAN households"], 1);
  EXPECT_EQ(Figures(Summary(v2, "2023-01-01", "2023-06-30"))["TEKUN/RURAL paid_fen"], 83200 * 3);
}

TEST_F(SummaryRollupIntegrationTest, ImportsUpdatesAndDeletesOfRowsKeepTheRollUpsExact) {
  // Rows written outside the stores (an import, a fix by an operator) go through the same
  // triggers.
  const std::string village = "340722102211";
  EnrolOptions county{};
  county.clerk = {"clerk-county", "assistance.clerk", "340722"};
  v1::Household h = NewHousehold(
      village, {{IdNumber(1, 1950, "0402"), kHead}, {IdNumber(2, 1951, "0402"), kSpouse}},
      county.clerk);
  const v1::Enrolment e = Enrol(h, v1::PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-16", county);
  v1::RunDisbursementResponse r;
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-02", &r, village).ok());
  ASSERT_TRUE(Pay(v1::PROGRAMME_DIBAO, "2023-03", &r, village).ok());
  Adjust(e, "2023-02", 1000);
  Exec1(
      "UPDATE payments SET amount_fen = amount_fen + 7 WHERE kind = 'ADJUSTMENT' AND "
      "region_code = '" +
      village + "'");
  Exec1("DELETE FROM payments WHERE region_code = '" + village + "' AND month = '2023-03-01'");
  // A member's months changed by hand, mid-month dates included.
  Exec1("UPDATE enrolment_members SET end_month = '2023-04-15' WHERE enrolment_id = '" +
        e.enrolment_id() + "' AND member_id = '" + h.members(1).member_id() + "'");
  EXPECT_EQ(Count(kPaymentTotalsDiff), 0);
  ExpectSummaryEqualsRows(
      {"340722", village},
      {{"2023-01-01", "2023-03-31"}, {"2023-04-01", "2023-04-30"}, {"2023-05-01", "2023-05-31"}});
  EXPECT_EQ(Figures(Summary(village, "2023-04-01", "2023-04-30"))["DIBAO/RURAL persons"], 2);
  EXPECT_EQ(Figures(Summary(village, "2023-05-01", "2023-05-31"))["DIBAO/RURAL persons"], 1);
}

TEST_F(SummaryRollupIntegrationTest, ARunPaysInChunksReportingProgressOnceEach) {
  const std::string village = "340722103211";
  EnrolOptions county{};
  county.clerk = {"clerk-county", "assistance.clerk", "340722"};
  for (int i = 0; i < 5; ++i) {
    v1::Household h = NewHousehold(village, {{IdNumber(i, 1950 + i, "0403"), kHead}}, county.clerk);
    Enrol(h, v1::PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-16", county);
  }
  // Chunks of 2 enrolments: 2, 2 and 1, each reported, all in one transaction.
  DisbursementStore store(pool_, 2);
  const Caller reviewer{"reviewer-1", {"assistance.reviewer"}, "340722"};
  std::vector<std::pair<int64_t, int64_t>> reports;
  std::string batch_id;
  bool created = false;
  absl::StatusOr<v1::DisbursementBatch> batch = store.Run(
      reviewer.subject, Programme::kDibao, absl::CivilMonth(2023, 2), village, &created,
      [&](const DisbursementProgress& p) {
        reports.emplace_back(p.done, p.total);
        batch_id = p.batch_id;
        // Nothing is visible outside the run's transaction until it commits.
        EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE region_code = '" + village + "'"), 0);
      });
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_TRUE(created);
  EXPECT_EQ(batch->batch_id(), batch_id);
  EXPECT_EQ(reports, (std::vector<std::pair<int64_t, int64_t>>{{0, 5}, {2, 5}, {4, 5}, {5, 5}}));
  EXPECT_EQ(batch->payments(), 5);
  EXPECT_EQ(batch->total_fen(), 5 * 69000);  // 640 yuan + the elderly supplement
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE region_code = '" + village +
                  "' AND month = '2023-02-01'"),
            5);
  // Again: the same batch, nobody paid twice, no progress to report.
  reports.clear();
  batch =
      store.Run(reviewer.subject, Programme::kDibao, absl::CivilMonth(2023, 2), village, &created,
                [&](const DisbursementProgress& p) { reports.emplace_back(p.done, p.total); });
  ASSERT_TRUE(batch.ok());
  EXPECT_FALSE(created);
  EXPECT_TRUE(reports.empty());
  EXPECT_EQ(batch->batch_id(), batch_id);
  // A chunk size that divides the count: the last (open-ended) chunk is empty, still reported.
  DisbursementStore fives(pool_, 5);
  reports.clear();
  ASSERT_TRUE(
      fives
          .Run(reviewer.subject, Programme::kDibao, absl::CivilMonth(2023, 3), village, &created,
               [&](const DisbursementProgress& p) { reports.emplace_back(p.done, p.total); })
          .ok());
  EXPECT_EQ(reports, (std::vector<std::pair<int64_t, int64_t>>{{0, 5}, {5, 5}, {5, 5}}));
  EXPECT_EQ(Count(kPaymentTotalsDiff), 0);
}

TEST_F(SummaryRollupIntegrationTest, ProgressGaugesPerProgrammeOnTheMetricsRegistry) {
  const std::string village = "340722104211";
  EnrolOptions county{};
  county.clerk = {"clerk-county", "assistance.clerk", "340722"};
  for (int i = 0; i < 3; ++i) {
    v1::Household h = NewHousehold(village, {{IdNumber(i, 1950 + i, "0404"), kHead}}, county.clerk);
    Enrol(h, v1::PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-16", county);
  }
  // The department's own DisbursementService and metrics registry (assistance::Spec(), as
  // assistance_server wires them).
  prometheus::Registry& registry = host_->department().registry();

  // name{program} → value, from what /metrics would serve.
  auto gauges = [&] {
    std::map<std::string, double> out;
    for (const prometheus::MetricFamily& family : registry.Collect()) {
      if (!absl::StartsWith(family.name, "assistance_disbursement_")) continue;
      for (const prometheus::ClientMetric& m : family.metric) {
        for (const prometheus::ClientMetric::Label& l : m.label) {
          if (l.name == "program") out[family.name + "{" + l.value + "}"] = m.gauge.value;
        }
      }
    }
    return out;
  };
  std::map<std::string, double> before = gauges();
  EXPECT_EQ(before["assistance_disbursement_rows_done{DIBAO}"], 0);
  EXPECT_EQ(before["assistance_disbursement_rows_planned{TEKUN}"], 0);
  EXPECT_TRUE(before.contains("assistance_disbursement_progress_ratio{RETIRED_WORKER_SUBSIDY}"));
  EXPECT_FALSE(before.contains("assistance_disbursement_rows_done{MARGINAL}"));  // not paid

  v1::RunDisbursementRequest request;
  request.set_programme(v1::PROGRAMME_DIBAO);
  request.set_month("2023-02");
  request.set_region_prefix(village);
  v1::RunDisbursementResponse response;
  grpc::Status s = disbursement_->RunDisbursement(As(kReviewer).get(), request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.batch().payments(), 3);

  std::map<std::string, double> after = gauges();
  EXPECT_EQ(after["assistance_disbursement_rows_done{DIBAO}"], 3);
  EXPECT_EQ(after["assistance_disbursement_rows_planned{DIBAO}"], 3);
  EXPECT_EQ(after["assistance_disbursement_progress_ratio{DIBAO}"], 1);
  EXPECT_EQ(after["assistance_disbursement_rows_planned{TEKUN}"], 0);
}

TEST_F(SummaryRollupIntegrationTest, APaymentTheRunCouldNotForeseeIsStillPaidOnlyOnce) {
  // A regular payment imported for July under another region code than its enrolment's: the run
  // of the village finds no payment of the month there, inserts without the conflict check, meets
  // the unique index, and runs again with it.
  const std::string village = "340722106211";
  EnrolOptions county{};
  county.clerk = {"clerk-county", "assistance.clerk", "340722"};
  std::vector<v1::Enrolment> enrolled;
  for (int i = 0; i < 3; ++i) {
    v1::Household h = NewHousehold(village, {{IdNumber(i, 1950 + i, "0406"), kHead}}, county.clerk);
    enrolled.push_back(Enrol(h, v1::PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-16", county));
  }
  Exec1(
      "INSERT INTO payments (enrolment_id, month, programme, area, region_code, household_id, "
      "persons, amount_fen) SELECT enrolment_id, '2023-07-01', programme, area, "
      "'340722999999', household_id, 1, 12345 FROM enrolments WHERE enrolment_id = '" +
      enrolled[1].enrolment_id() + "'");
  DisbursementStore store(pool_, 2);
  const Caller reviewer{"reviewer-1", {"assistance.reviewer"}, "340722"};
  std::vector<std::pair<int64_t, int64_t>> reports;
  bool created = false;
  absl::StatusOr<v1::DisbursementBatch> batch =
      store.Run(reviewer.subject, Programme::kDibao, absl::CivilMonth(2023, 7), village, &created,
                [&](const DisbursementProgress& p) { reports.emplace_back(p.done, p.total); });
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_TRUE(created);
  EXPECT_EQ(batch->payments(), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE enrolment_id = '" +
                  enrolled[1].enrolment_id() + "' AND month = '2023-07-01'"),
            1);
  // Two attempts: the first reported up to its failing chunk, the second from the start.
  EXPECT_EQ(std::count(reports.begin(), reports.end(), std::make_pair(int64_t{0}, int64_t{3})), 2);
  EXPECT_EQ(reports.back(), std::make_pair(int64_t{3}, int64_t{3}));
  EXPECT_EQ(Count(kPaymentTotalsDiff), 0);
}

TEST_F(SummaryRollupIntegrationTest, OverlappingChunkedRunsAtOnceStillPayOnceAndSumExactly) {
  // The county and one of its townships paid at the same time, in chunks of 2.
  const std::string village = "340722105211";
  EnrolOptions county{};
  county.clerk = {"clerk-county", "assistance.clerk", "340722"};
  for (int i = 0; i < 12; ++i) {
    v1::Household h = NewHousehold(village, {{IdNumber(i, 1950 + i, "0405"), kHead}}, county.clerk);
    Enrol(h, v1::PROGRAMME_DIBAO, 0, "2023-01-03", "2023-01-16", county);
  }
  DisbursementStore store(pool_, 2);
  const Caller reviewer{"reviewer-1", {"assistance.reviewer"}, "340722"};
  std::atomic<int> failures{0};
  std::vector<std::thread> runs;
  for (const std::string prefix : {"340722105", "340722"}) {
    runs.emplace_back([&, prefix] {
      bool created = false;
      absl::StatusOr<v1::DisbursementBatch> b = store.Run(
          reviewer.subject, Programme::kDibao, absl::CivilMonth(2023, 6), prefix, &created);
      if (!b.ok()) ++failures;
    });
  }
  for (auto& t : runs) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE region_code = '" + village +
                  "' AND month = '2023-06-01'"),
            12);
  EXPECT_EQ(Count(kPaymentTotalsDiff), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM disbursement_batches b WHERE month = '2023-06-01' AND "
                  "(b.payments, b.total_fen) <> (SELECT count(*), coalesce(sum(amount_fen), 0) "
                  "FROM payments p WHERE p.batch_id = b.batch_id)"),
            0);
  EXPECT_EQ(Count("SELECT sum(payments) FROM disbursement_batches WHERE month = '2023-06-01' AND "
                  "region_prefix IN ('340722', '340722105')"),
            Count("SELECT count(*) FROM payments WHERE month = '2023-06-01'"));
}

}  // namespace
}  // namespace civil::assistance
