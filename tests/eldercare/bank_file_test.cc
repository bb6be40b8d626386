// Unit tests of eldercare's part of the bank file (services/eldercare/bank_file.h): no servers.
#include "services/eldercare/bank_file.h"

#include <gtest/gtest.h>

namespace civil::eldercare {
namespace {

TEST(EldercareBankFileTest, EachRunNamesItsProgrammeAndItsFile) {
  EXPECT_EQ(ProgrammeLabel(PaidAllowance::kOldAge), "高龄津贴");
  EXPECT_EQ(ProgrammeLabel(PaidAllowance::kHomeCare), "居家养老服务补贴");
  EXPECT_EQ(BankFileName(PaidAllowance::kOldAge, absl::CivilMonth(2023, 6), "340722100"),
            "bank-OLD_AGE_ALLOWANCE-2023-06-340722100.csv");
  EXPECT_EQ(BankFileName(PaidAllowance::kHomeCare, absl::CivilMonth(2023, 12), ""),
            "bank-HOMECARE_SUBSIDY-2023-12-all.csv");
  // The row is the kit's: the programme in the last column.
  BankFileLine line;
  line.payment_id = 7;
  line.name = "李某";
  line.id_number = "340722********0011";
  line.amount = Money::Fen(3000);
  line.month = absl::CivilMonth(2023, 6);
  line.region_code = "340722100001";
  line.programme = std::string(ProgrammeLabel(PaidAllowance::kOldAge));
  EXPECT_EQ(BankFileRow(line), "7,李某,340722********0011,30.00,2023-06,340722100001,高龄津贴\r\n");
}

}  // namespace
}  // namespace civil::eldercare
