#include "services/childwelfare/distribution.h"

#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/money.h"

namespace civil::childwelfare {

std::string RecipientField(int index, absl::string_view member) {
  return absl::StrCat("recipients[", index, "].", member);
}

absl::StatusOr<DistributionDraft> ValidateDistribution(const DistributionInput& input,
                                                       absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(kDistributionKindNames.Require("kind", input.kind));
  const auto kind = static_cast<DistributionKind>(input.kind);
  const bool money = kind == DistributionKind::kCondolenceMoney;
  std::string item;
  if (kind == DistributionKind::kOtherGoods) {
    CIVIL_ASSIGN_OR_RETURN(item, RequiredText("item", input.item, 50, "say what goods were given"));
  } else if (!input.item.empty()) {
    return InvalidField("item", "is given only for OTHER_GOODS");
  } else {
    item = std::string(money ? kCondolenceItem : kHealthPackItem);
  }
  if (money) {
    if (input.quantity != 0) {
      return InvalidField("quantity", "must be 0 for money: the recipients' amounts count");
    }
  } else if (input.quantity < 1 || input.quantity > kMaxQuantity) {
    return InvalidField("quantity", absl::StrCat("must be 1 to ", kMaxQuantity, " 份"));
  }
  CIVIL_ASSIGN_OR_RETURN(RegionCode township, RegionOf("region_code", input.region_code,
                                                       {RegionCode::Level::kTownship}));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                         EventDate("distribution_date", input.date, today));
  CIVIL_ASSIGN_OR_RETURN(std::string campaign, RequiredText("campaign", input.campaign, 200,
                                                            "name the campaign or occasion"));
  CIVIL_ASSIGN_OR_RETURN(std::string giver,
                         BoundedText("giver", input.giver, 100, /*required=*/false));

  if (money && input.recipients.empty()) {
    return InvalidField("recipients", "condolence money names every child who received it");
  }
  if (static_cast<int>(input.recipients.size()) > kMaxRecipients) {
    return InvalidField("recipients", absl::StrCat("at most ", kMaxRecipients, " children"));
  }
  if (!money && static_cast<int>(input.recipients.size()) > input.quantity) {
    return InvalidField("quantity", "must not be less than the number of recipients named");
  }
  std::vector<RecipientDraft> recipients;
  int64_t total_fen = 0;
  std::set<std::pair<int, std::string>> named;
  for (size_t i = 0; i < input.recipients.size(); ++i) {
    const RecipientInput& r = input.recipients[i];
    const int n = static_cast<int>(i);
    CIVIL_RETURN_IF_ERROR(
        kRecipientRegisterNames.Require(RecipientField(n, "registry"), r.registry));
    CIVIL_RETURN_IF_ERROR(RequireUuid(RecipientField(n, "id"), r.id));
    if (!named.emplace(r.registry, r.id).second) {
      return InvalidField(RecipientField(n, "id"), "names a child named before");
    }
    if (money) {
      if (r.amount_fen < 1 || r.amount_fen > kMaxCondolenceFen) {
        return InvalidField(RecipientField(n, "amount_fen"),
                            absl::StrCat("must be 1 to ", kMaxCondolenceFen, " fen"));
      }
      total_fen += r.amount_fen;
    } else if (r.amount_fen != 0) {
      return InvalidField(RecipientField(n, "amount_fen"), "must be 0 for goods");
    }
    recipients.push_back(
        RecipientDraft{static_cast<RecipientRegister>(r.registry), r.id, r.amount_fen});
  }
  return DistributionDraft{kind,
                           std::move(item),
                           input.quantity,
                           total_fen,
                           std::move(township),
                           on,
                           std::move(campaign),
                           std::move(giver),
                           std::move(recipients)};
}

absl::Status CheckRecipient(absl::string_view field, const RecipientFacts& facts,
                            absl::string_view township) {
  if (!facts.registered) {
    return absl::FailedPreconditionError(absl::StrCat(
        field,
        ": the child is not registered (an active case or an open registration) on the day"));
  }
  if (!absl::StartsWith(facts.region_code, township)) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": the child lives in ", facts.region_code, ", outside township ", township));
  }
  return absl::OkStatus();
}

std::string DistributionLine(const DistributionFigures& f) {
  return absl::StrCat("发放“健康包”", f.health_packs, "份,对生活困难的", f.condolence_children,
                      "名儿童发放慰问金", ReportWanYuan(Money::Fen(f.condolence_fen)));
}

}  // namespace civil::childwelfare
