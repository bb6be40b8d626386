#include "services/assistance/relief_figures_service.h"

#include "absl/strings/str_cat.h"
#include "services/assistance/benefit.h"
#include "services/common/money.h"

namespace civil::assistance {

std::vector<std::string> ReliefSummaryLines(const v1::ReliefFigures& f) {
  auto wan = [](int64_t fen) { return ReportWanYuan(Money::Fen(fen)); };
  std::vector<std::string> lines;
  if (f.relief_cases() > 0) {
    lines.push_back(
        absl::StrCat("临时救助", f.relief_cases(), "人次,发放资金", wan(f.relief_paid_fen())));
  }
  if (f.societies_registered() > 0 || f.mutual_aid_cases() > 0) {
    lines.push_back(absl::StrCat("已完成", f.societies_registered(),
                                 "家村(社区)互助社登记设立,开展救助", f.mutual_aid_cases(),
                                 "人次,发放救助金", wan(f.mutual_aid_paid_fen())));
  }
  if (f.audits_run() > 0) {
    int64_t by_category[4] = {0, 0, 0, 0};
    for (const auto& k : f.confirmed_findings()) {
      by_category[static_cast<int>(CategoryOf(static_cast<FindingKind>(k.kind())))] +=
          k.confirmed();
    }
    const int64_t eligible = by_category[static_cast<int>(FindingCategory::kEligibleNotEnrolled)];
    const int64_t duplicate = by_category[static_cast<int>(FindingCategory::kDuplicate)];
    const int64_t improper = by_category[static_cast<int>(FindingCategory::kImproper)];
    if (eligible + duplicate + improper == 0) {
      lines.push_back("排查未发现“应享未享”“重复享受”“违规享受”等问题");
    } else {
      lines.push_back(absl::StrCat("排查发现“应享未享”问题", eligible, "个,“重复享受”问题",
                                   duplicate, "个,“违规享受”问题", improper, "个"));
    }
  }
  if (f.persons_surveyed() > 0 || f.demands_resolved() > 0) {
    lines.push_back(absl::StrCat("摸排人数(包含对低保对象、特困人员的摸排数)", f.persons_surveyed(),
                                 "人,解决困难对象的有效诉求数", f.demands_resolved(), "次"));
  }
  for (const auto& b : f.health_check_batches()) {
    lines.push_back(absl::StrCat("完成", b.name(), b.persons(), "名分散供养特困人员", b.service(),
                                 ",并建立健康管理档案"));
  }
  return lines;
}

}  // namespace civil::assistance
