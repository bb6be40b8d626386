// Unit tests of the care distribution rules (services/childwelfare/distribution.h).
#include "services/childwelfare/distribution.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace civil::childwelfare {
namespace {

constexpr char kChildA[] = "0b7d2f3e-3c1a-4a51-9a65-7f0b0d1e2a01";
constexpr char kChildB[] = "0b7d2f3e-3c1a-4a51-9a65-7f0b0d1e2a02";
const absl::CivilDay kToday(2023, 6, 30);

DistributionInput Packs(int quantity) {
  return DistributionInput{static_cast<int>(DistributionKind::kHealthPacks),
                           "",
                           quantity,
                           "340722100",
                           "2023-06-01",
                           "社会散居孤儿、事实无人抚养儿童、农村留守儿童走访慰问活动",
                           "县民政局",
                           {}};
}

DistributionInput Money(std::vector<RecipientInput> recipients) {
  DistributionInput input = Packs(0);
  input.kind = static_cast<int>(DistributionKind::kCondolenceMoney);
  input.recipients = std::move(recipients);
  return input;
}

RecipientInput Child(const char* id, int64_t fen = 0) {
  return RecipientInput{static_cast<int>(RecipientRegister::kChild), id, fen};
}

// The field an error names: its message up to the first ':'.
std::string FieldOf(const absl::Status& s) {
  return std::string(s.message().substr(0, s.message().find(':')));
}

TEST(DistributionTest, HealthPacksAreCountedInPortionsAtAnEventWithoutNamingChildren) {
  absl::StatusOr<DistributionDraft> d = ValidateDistribution(Packs(807), kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->item, "健康包");
  EXPECT_EQ(d->quantity, 807);
  EXPECT_EQ(d->total_fen, 0);
  EXPECT_EQ(d->township.value(), "340722100");
  EXPECT_EQ(d->on, absl::CivilDay(2023, 6, 1));
  EXPECT_TRUE(d->recipients.empty());
}

TEST(DistributionTest, GoodsNeedAQuantityNotBelowTheChildrenNamedAndNoMoney) {
  for (const int q : {0, -1, kMaxQuantity + 1}) {
    const absl::Status s = ValidateDistribution(Packs(q), kToday).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << q;
    EXPECT_EQ(FieldOf(s), "quantity") << s;
  }
  DistributionInput two = Packs(1);
  two.recipients = {Child(kChildA), Child(kChildB)};
  EXPECT_EQ(FieldOf(ValidateDistribution(two, kToday).status()), "quantity");
  two.quantity = 2;
  EXPECT_TRUE(ValidateDistribution(two, kToday).ok());
  two.recipients[1].amount_fen = 100;
  EXPECT_EQ(FieldOf(ValidateDistribution(two, kToday).status()), "recipients[1].amount_fen");
}

TEST(DistributionTest, OtherGoodsNameTheItemAndTheOthersDoNot) {
  DistributionInput gifts = Packs(20);
  gifts.kind = static_cast<int>(DistributionKind::kOtherGoods);
  EXPECT_EQ(FieldOf(ValidateDistribution(gifts, kToday).status()), "item");
  gifts.item = "慈善暖心礼包";
  absl::StatusOr<DistributionDraft> d = ValidateDistribution(gifts, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->item, "慈善暖心礼包");
  DistributionInput packs = Packs(3);
  packs.item = "书包";
  EXPECT_EQ(FieldOf(ValidateDistribution(packs, kToday).status()), "item");
}

TEST(DistributionTest, CondolenceMoneyNamesEachChildOnceWithAnAmountAndSumsThem) {
  absl::StatusOr<DistributionDraft> d =
      ValidateDistribution(Money({Child(kChildA, 50000), Child(kChildB, 30000)}), kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->item, "慰问金");
  EXPECT_EQ(d->total_fen, 80000);
  ASSERT_EQ(d->recipients.size(), 2u);
  EXPECT_EQ(d->recipients[1].id, kChildB);

  EXPECT_EQ(FieldOf(ValidateDistribution(Money({}), kToday).status()), "recipients");
  EXPECT_EQ(FieldOf(ValidateDistribution(Money({Child(kChildA, 0)}), kToday).status()),
            "recipients[0].amount_fen");
  EXPECT_EQ(
      FieldOf(
          ValidateDistribution(Money({Child(kChildA, kMaxCondolenceFen + 1)}), kToday).status()),
      "recipients[0].amount_fen");
  EXPECT_TRUE(ValidateDistribution(Money({Child(kChildA, kMaxCondolenceFen)}), kToday).ok());
  EXPECT_EQ(
      FieldOf(
          ValidateDistribution(Money({Child(kChildA, 100), Child(kChildA, 100)}), kToday).status()),
      "recipients[1].id");
  EXPECT_EQ(FieldOf(ValidateDistribution(Money({Child("not-a-uuid", 100)}), kToday).status()),
            "recipients[0].id");
  RecipientInput no_register = Child(kChildA, 100);
  no_register.registry = 0;
  EXPECT_EQ(FieldOf(ValidateDistribution(Money({no_register}), kToday).status()),
            "recipients[0].registry");
  // The same id in the two registers is two entries here (the store compares the persons).
  RecipientInput care = Child(kChildA, 100);
  care.registry = static_cast<int>(RecipientRegister::kCare);
  EXPECT_TRUE(ValidateDistribution(Money({Child(kChildA, 100), care}), kToday).ok());
  DistributionInput counted = Money({Child(kChildA, 100)});
  counted.quantity = 1;
  EXPECT_EQ(FieldOf(ValidateDistribution(counted, kToday).status()), "quantity");
}

TEST(DistributionTest, TheDayDefaultsToTodayAndIsNeverInTheFuture) {
  DistributionInput input = Packs(5);
  input.date = "";
  EXPECT_EQ(ValidateDistribution(input, kToday)->on, kToday);
  input.date = "2023-07-01";
  EXPECT_EQ(FieldOf(ValidateDistribution(input, kToday).status()), "distribution_date");
  input.date = "2023-02-30";
  EXPECT_EQ(FieldOf(ValidateDistribution(input, kToday).status()), "distribution_date");
}

TEST(DistributionTest, ATownshipTheCampaignAndAShortGiver) {
  DistributionInput input = Packs(5);
  for (const char* region : {"340722", "340722100001", "34072210", ""}) {
    input.region_code = region;
    EXPECT_EQ(FieldOf(ValidateDistribution(input, kToday).status()), "region_code") << region;
  }
  input = Packs(5);
  input.campaign = "  ";
  EXPECT_EQ(FieldOf(ValidateDistribution(input, kToday).status()), "campaign");
  input = Packs(5);
  input.giver = std::string(101, 'x');
  EXPECT_EQ(FieldOf(ValidateDistribution(input, kToday).status()), "giver");
  input.giver = "";
  EXPECT_TRUE(ValidateDistribution(input, kToday).ok());
  input = Packs(5);
  input.kind = 9;
  EXPECT_EQ(FieldOf(ValidateDistribution(input, kToday).status()), "kind");
}

TEST(DistributionTest, AtMostFiveHundredChildrenInOneDistribution) {
  std::vector<RecipientInput> many;
  for (int i = 0; i <= kMaxRecipients; ++i) {
    char id[37];
    std::snprintf(id, sizeof id, "0b7d2f3e-3c1a-4a51-9a65-%012d", i);
    many.push_back(Child(id, 100));
  }
  EXPECT_EQ(FieldOf(ValidateDistribution(Money(many), kToday).status()), "recipients");
  many.pop_back();
  EXPECT_TRUE(ValidateDistribution(Money(many), kToday).ok());
}

TEST(DistributionTest, ARecipientIsRegisteredAndLivesInTheTownship) {
  EXPECT_TRUE(CheckRecipient("recipients[0].id", {true, "340722100001", "i"}, "340722100").ok());
  absl::Status s = CheckRecipient("recipients[0].id", {false, "340722100001", "i"}, "340722100");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "recipients[0].id: the child is not registered")) << s;
  s = CheckRecipient("recipients[2].id", {true, "340722200001", "i"}, "340722100");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "recipients[2].id: the child lives in 340722200001"))
      << s;
}

TEST(DistributionTest, TheSentenceInTheSeedsWording) {
  EXPECT_EQ(DistributionLine({807, 0, 17, 850000}),
            "发放“健康包”807份,对生活困难的17名儿童发放慰问金0.85万元");
  EXPECT_EQ(DistributionLine({}), "发放“健康包”0份,对生活困难的0名儿童发放慰问金0万元");
}

}  // namespace
}  // namespace civil::childwelfare
