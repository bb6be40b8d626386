#include "services/governance/summary.h"

#include "absl/strings/str_cat.h"

namespace civil::governance {

std::string ReportCount(int64_t n, absl::string_view unit) {
  if (n < 10000) return absl::StrCat(n, unit);
  return absl::StrCat(n / 10000, "万", n % 10000 == 0 ? "" : "余", unit);
}

std::string RecordsReviewedLine(int64_t reviewed) {
  return absl::StrCat("完成网格化", ReportCount(reviewed, "条"), "基础信息审核工作");
}

std::string NoticesLine(int communities, int with_notices, absl::string_view region_prefix) {
  constexpr absl::string_view kNotices =
      "社区简介、网格示意图、网格服务管理流程图等网格化基础信息公示";
  if (communities > 0 && with_notices == communities) {
    return absl::StrCat(region_prefix.size() <= 6 ? "全县" : "辖区内", "村和社区实行", kNotices,
                        "全覆盖");
  }
  return absl::StrCat(with_notices, "个村和社区完成", kNotices, ",", communities - with_notices,
                      "个尚未完成");
}

std::string ConsultationSitesLine(int sites, absl::string_view region_prefix) {
  return absl::StrCat("开展城乡社区协商点创建活动,在",
                      region_prefix.size() <= 6 ? "全县范围内" : "辖区内", "推选出", sites,
                      "个示范点");
}

}  // namespace civil::governance
