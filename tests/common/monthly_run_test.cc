// The pure parts of the kit's monthly run: which table names it accepts (they are spliced into
// SQL), how it cuts a run into batches and what its progress gauge shows. The run itself is
// exercised on real PostgreSQL by the departments' integration tests.
#include "services/common/monthly_run.h"

#include "gtest/gtest.h"

namespace civil {
namespace {

MonthlyRunTables Good() {
  return {"old_age_allowance", "allowance_runs", "allowance_payments",
          "enrolment_id",      "tier",           "allowance_adjustment_settlements"};
}

TEST(MonthlyRunTablesTest, AcceptsPlainLowerCaseIdentifiers) {
  EXPECT_TRUE(ValidateMonthlyRunTables(Good()).ok());
}

TEST(MonthlyRunTablesTest, RefusesNamesThatAreNotPlainIdentifiersNamingTheField) {
  MonthlyRunTables t = Good();
  t.payments_table = "allowance_payments; DROP TABLE x";
  absl::Status s = ValidateMonthlyRunTables(t);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("payments_table"), absl::string_view::npos) << s;
  t = Good();
  t.label_column = "Tier";
  EXPECT_NE(ValidateMonthlyRunTables(t).message().find("label_column"), absl::string_view::npos);
  t = Good();
  t.subject_column = "1id";
  EXPECT_NE(ValidateMonthlyRunTables(t).message().find("subject_column"), absl::string_view::npos);
  t = Good();
  t.runs_table = std::string(64, 'a');
  EXPECT_NE(ValidateMonthlyRunTables(t).message().find("runs_table"), absl::string_view::npos);
  t = Good();
  t.settlements_table = "";
  EXPECT_NE(ValidateMonthlyRunTables(t).message().find("settlements_table"),
            absl::string_view::npos);
  t = Good();
  t.allowance = "";
  EXPECT_NE(ValidateMonthlyRunTables(t).message().find("allowance"), absl::string_view::npos);
}

TEST(RunBatchesTest, CoversEveryItemOnceInOrder) {
  const auto batches = RunBatches(4501, 2000);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0], std::make_pair(size_t{0}, size_t{2000}));
  EXPECT_EQ(batches[1], std::make_pair(size_t{2000}, size_t{4000}));
  EXPECT_EQ(batches[2], std::make_pair(size_t{4000}, size_t{4501}));
  EXPECT_TRUE(RunBatches(0, 2000).empty());
  EXPECT_EQ(RunBatches(2000, 2000).size(), 1u);
  EXPECT_EQ(RunBatches(3, 0).size(), 3u);  // a zero batch size writes one at a time
}

TEST(PaymentsToWriteTest, DropsThePaidAndRepeatedSubjectsAndOrdersByTheSubject) {
  const std::vector<MonthlyPayment> due = {
      {"c0000000-0000-4000-8000-000000000000", "80-89", 3000, "340722100201"},
      {"a0000000-0000-4000-8000-000000000000", "90-99", 5000, "340722100202"},
      {"b0000000-0000-4000-8000-000000000000", "80-89", 3000, "340722100201"},
      {"a0000000-0000-4000-8000-000000000000", "100-", 30000, "340722100202"},  // again
  };
  const auto write = PaymentsToWrite(due, {"b0000000-0000-4000-8000-000000000000"});
  ASSERT_EQ(write.size(), 2u);
  EXPECT_EQ(write[0].subject_id, "a0000000-0000-4000-8000-000000000000");
  EXPECT_EQ(write[0].label, "90-99");  // the first payment of a subject in `due` is the one kept
  EXPECT_EQ(write[1].subject_id, "c0000000-0000-4000-8000-000000000000");
  EXPECT_TRUE(PaymentsToWrite({}, {}).empty());
  EXPECT_TRUE(PaymentsToWrite({due[2]}, {due[2].subject_id}).empty());
}

TEST(RunProgressTest, RisesFromZeroToOneAndIsOneWhenNothingIsDue) {
  EXPECT_DOUBLE_EQ(RunProgress(0, 4), 0.0);
  EXPECT_DOUBLE_EQ(RunProgress(1, 4), 0.25);
  EXPECT_DOUBLE_EQ(RunProgress(4, 4), 1.0);
  EXPECT_DOUBLE_EQ(RunProgress(0, 0), 1.0);
}

}  // namespace
}  // namespace civil
