// Care distributions (关爱物资 / 慰问金) (pure C++ on Abseil): what a distribution records — health
// packs and other goods counted in 份, condolence money paid to named children — which children
// may receive one (registered, living in the township), and the period's figures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::childwelfare {

// Numbers match civil.childwelfare.v1.DistributionKind.
enum class DistributionKind { kHealthPacks = 1, kCondolenceMoney = 2, kOtherGoods = 3 };
inline constexpr absl::string_view kDistributionKindNameList[] = {
    "", "HEALTH_PACKS", "CONDOLENCE_MONEY", "OTHER_GOODS"};
inline constexpr EnumNames kDistributionKindNames{kDistributionKindNameList};

// Numbers match civil.childwelfare.v1.RecipientRegister.
enum class RecipientRegister { kChild = 1, kCare = 2 };
inline constexpr absl::string_view kRecipientRegisterNameList[] = {"", "CHILD", "CARE"};
inline constexpr EnumNames kRecipientRegisterNames{kRecipientRegisterNameList};

// What the item of each kind is called (the seed's words).
inline constexpr absl::string_view kHealthPackItem = "健康包";
inline constexpr absl::string_view kCondolenceItem = "慰问金";

inline constexpr int kMaxRecipients = 500;
inline constexpr int kMaxQuantity = 100'000;
// A guard against yuan typed as fen ×100: 10,000 yuan for one child at one distribution.
inline constexpr int64_t kMaxCondolenceFen = 1'000'000;

struct RecipientInput {
  int registry = 0;
  std::string id;
  int64_t amount_fen = 0;
};

struct DistributionInput {
  int kind = 0;
  std::string item;
  int quantity = 0;
  std::string region_code;
  std::string date;
  std::string campaign;
  std::string giver;
  std::vector<RecipientInput> recipients;
};

struct RecipientDraft {
  RecipientRegister registry = RecipientRegister::kChild;
  std::string id;
  int64_t amount_fen = 0;
};

struct DistributionDraft {
  DistributionKind kind = DistributionKind::kHealthPacks;
  std::string item;       // 健康包, 慰问金, or the goods named
  int quantity = 0;       // goods only
  int64_t total_fen = 0;  // money only: the sum of the recipients'
  RegionCode township;
  absl::CivilDay on;
  std::string campaign;
  std::string giver;
  std::vector<RecipientDraft> recipients;
};

// Validates: a kind; `item` 1–50 characters for OTHER_GOODS and empty otherwise; goods a
// `quantity` of 1–100,000 份 not below the number of recipients, money a quantity of 0; a
// 9-digit township `region_code`; the date (default `today`, never in the future); `campaign`
// 1–200 and `giver` up to 100 characters; up to 500 recipients (at least 1 for money), each with a
// register and a UUID, named once, with an amount of 1 to kMaxCondolenceFen for money and 0 for
// goods (`recipients[i].amount_fen: …`). INVALID_ARGUMENT naming the field.
absl::StatusOr<DistributionDraft> ValidateDistribution(const DistributionInput& input,
                                                       absl::CivilDay today);

// A recipient as its register holds them on the day of the distribution.
struct RecipientFacts {
  bool registered = false;  // an active case (CHILD) or an open registration (CARE) on the day
  std::string region_code;  // the child's village
  std::string id_index;     // blind index of the ID number, to count children once
};

// Whether the child named at `field` (`recipients[i].id`) may receive a distribution of
// `township`: registered on the day (FAILED_PRECONDITION "<field>: … not registered …") and
// living in the township (FAILED_PRECONDITION "<field>: … lives in <village>, outside …").
absl::Status CheckRecipient(absl::string_view field, const RecipientFacts& facts,
                            absl::string_view township);

// The field name of recipient `index`'s `member`: "recipients[2].id".
std::string RecipientField(int index, absl::string_view member);

// A period's figures (REPORT.md 一(二) "health packs given / condolence money").
struct DistributionFigures {
  int64_t health_packs = 0;     // 份 of HEALTH_PACKS
  int64_t other_goods = 0;      // 份 of OTHER_GOODS
  int condolence_children = 0;  // distinct children who received money
  int64_t condolence_fen = 0;
};

// The seed's sentence: "发放“健康包”807份,对生活困难的17名儿童发放慰问金0.85万元".
std::string DistributionLine(const DistributionFigures& figures);

}  // namespace civil::childwelfare
