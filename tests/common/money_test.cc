#include "services/common/money.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace civil {
namespace {

TEST(MoneyTest, Construction) {
  EXPECT_EQ(Money().fen(), 0);
  EXPECT_EQ(Money::Fen(123456).fen(), 123456);
  EXPECT_EQ(Money::Yuan(810).fen(), 81000);
  EXPECT_EQ(Money::Yuan(-3).fen(), -300);
  static_assert(Money::Fen(5).fen() == 5);
  static_assert(Money::Yuan(2).fen() == 200);
}

TEST(MoneyTest, ToYuan) {
  EXPECT_EQ(Money::Fen(123456).ToYuan(), "1234.56");
  EXPECT_EQ(Money::Fen(0).ToYuan(), "0.00");
  EXPECT_EQ(Money::Fen(5).ToYuan(), "0.05");
  EXPECT_EQ(Money::Fen(50).ToYuan(), "0.50");
  EXPECT_EQ(Money::Yuan(810).ToYuan(), "810.00");
  EXPECT_EQ(Money::Fen(-1230).ToYuan(), "-12.30");
  EXPECT_EQ(Money::Fen(-5).ToYuan(), "-0.05");
  EXPECT_EQ(Money::Fen(380800000).ToYuan(), "3808000.00");
  EXPECT_EQ(Money::Fen(std::numeric_limits<int64_t>::max()).ToYuan(), "92233720368547758.07");
  EXPECT_EQ(Money::Fen(std::numeric_limits<int64_t>::min()).ToYuan(), "-92233720368547758.08");
}

TEST(MoneyTest, ToWanYuan) {
  // 1 万元 = 10,000 yuan = 1,000,000 fen.
  EXPECT_EQ(Money::Fen(3'808'000'000).ToWanYuan(), "3808.00");  // 3808 万元
  EXPECT_EQ(Money::Fen(380'800'000).ToWanYuan(), "380.80");     // 3,808,000 yuan
  EXPECT_EQ(Money::Fen(10'460'000).ToWanYuan(), "10.46");       // 104,600 yuan
  EXPECT_EQ(Money::Fen(1'046'000).ToWanYuan(), "1.05");         // 10,460 yuan, rounds up
  EXPECT_EQ(Money::Fen(104'600).ToWanYuan(), "0.10");           // 1,046 yuan
  EXPECT_EQ(Money::Yuan(10'000).ToWanYuan(), "1.00");
  EXPECT_EQ(Money::Fen(0).ToWanYuan(), "0.00");
}

TEST(MoneyTest, ToWanYuanRoundsHalfAwayFromZero) {
  EXPECT_EQ(Money::Fen(1'004'999).ToWanYuan(), "1.00");
  EXPECT_EQ(Money::Fen(1'005'000).ToWanYuan(), "1.01");  // exactly half
  EXPECT_EQ(Money::Fen(1'015'000).ToWanYuan(), "1.02");  // half, not to even
  EXPECT_EQ(Money::Fen(4'999).ToWanYuan(), "0.00");
  EXPECT_EQ(Money::Fen(5'000).ToWanYuan(), "0.01");
  EXPECT_EQ(Money::Fen(99'995'000).ToWanYuan(), "100.00");  // carries into the units

  EXPECT_EQ(Money::Fen(-1'004'999).ToWanYuan(), "-1.00");
  EXPECT_EQ(Money::Fen(-1'005'000).ToWanYuan(), "-1.01");
  EXPECT_EQ(Money::Fen(-5'000).ToWanYuan(), "-0.01");
  EXPECT_EQ(Money::Fen(-4'999).ToWanYuan(), "0.00");  // never "-0.00"
  EXPECT_EQ(Money::Fen(-3'808'000'000).ToWanYuan(), "-3808.00");
}

TEST(MoneyTest, CeilToYuan) {
  EXPECT_EQ(Money::Fen(1201).CeilToYuan(), Money::Yuan(13));
  EXPECT_EQ(Money::Fen(1299).CeilToYuan(), Money::Yuan(13));
  EXPECT_EQ(Money::Fen(1300).CeilToYuan(), Money::Yuan(13));
  EXPECT_EQ(Money::Fen(1).CeilToYuan(), Money::Yuan(1));
  EXPECT_EQ(Money::Fen(0).CeilToYuan(), Money::Yuan(0));
  // Toward positive infinity for negative amounts.
  EXPECT_EQ(Money::Fen(-1250).CeilToYuan(), Money::Yuan(-12));
  EXPECT_EQ(Money::Fen(-1200).CeilToYuan(), Money::Yuan(-12));
  EXPECT_EQ(Money::Fen(-1).CeilToYuan(), Money::Yuan(0));
}

TEST(MoneyTest, Arithmetic) {
  Money total = Money::Yuan(810);
  total += Money::Fen(55);
  EXPECT_EQ(total.fen(), 81055);
  total -= Money::Yuan(1000);
  EXPECT_EQ(total.fen(), -18945);
  EXPECT_EQ((Money::Yuan(3) + Money::Fen(7)).fen(), 307);
  EXPECT_EQ((Money::Yuan(3) - Money::Fen(7)).fen(), 293);
  EXPECT_EQ((-Money::Fen(7)).fen(), -7);
  EXPECT_EQ((Money::Yuan(810) * 3).fen(), 243000);
  EXPECT_EQ((3 * Money::Yuan(810)).fen(), 243000);
}

TEST(MoneyTest, LowIncomeBenefitFormula) {
  // (standard - per-capita income) x members, rounded up to the yuan.
  const Money standard = Money::Yuan(810);
  const Money per_capita_income = Money::Fen(43333);  // 1300 yuan / 3 people, truncated
  EXPECT_EQ(((standard - per_capita_income) * 3).CeilToYuan().ToYuan(), "1131.00");
}

TEST(MoneyTest, Comparison) {
  EXPECT_EQ(Money::Yuan(1), Money::Fen(100));
  EXPECT_NE(Money::Yuan(1), Money::Fen(101));
  EXPECT_LT(Money::Fen(99), Money::Yuan(1));
  EXPECT_LE(Money::Fen(100), Money::Yuan(1));
  EXPECT_GT(Money::Fen(-1), Money::Fen(-2));
  EXPECT_GE(Money::Fen(0), Money::Fen(-2));
  EXPECT_FALSE(Money::Fen(5) < Money::Fen(5));
}

TEST(ReportWanYuan, WritesAmountsAsTheReportDoes) {
  EXPECT_EQ(ReportWanYuan(Money::Yuan(38080000)), "3808万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(5449876)), "545万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(680000)), "68万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(104600)), "10.46万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(8500)), "0.85万元");
  // Below 50 万元 the seed drops trailing zeros: 26 students × 10,000 yuan is "26万元".
  EXPECT_EQ(ReportWanYuan(Money::Yuan(260000)), "26万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(90000)), "9万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(1000)), "0.1万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(105000)), "10.5万元");
  EXPECT_EQ(ReportWanYuan(Money::Fen(0)), "0万元");
}

}  // namespace
}  // namespace civil
