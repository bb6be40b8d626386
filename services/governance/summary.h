// The sentences of the half-year report's grassroots-governance paragraph (REPORT.md 一(三)) that
// the figures computed so far fill (pure C++ on Abseil).
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace civil::governance {

// A count as the report writes large ones: "40万余条" for 400,001–409,999, "40万条" for exactly
// 400,000, "366条" below 10,000.
std::string ReportCount(int64_t n, absl::string_view unit);

// "完成网格化<count>基础信息审核工作" (the seed:
// 完成政务微信“We社区”网格化40万余条基础信息审核工作).
std::string RecordsReviewedLine(int64_t reviewed);

// With every one of `communities` (> 0) having all three notices published: "<scope>村和社区实行
// 社区简介、网格示意图、网格服务管理流程图等网格化基础信息公示全覆盖", the scope "全县" for a
// county (a `region_prefix` of 0 or 6 digits) and "辖区内" below; otherwise
// "<n>个村和社区完成…公示,<m>个尚未完成".
std::string NoticesLine(int communities, int with_notices, absl::string_view region_prefix);

// The consultation demonstration sites selected (the seed:
// 开展城乡社区协商点创建活动,在全县范围内推选出 22个示范点), "在辖区内推选出…" below the county.
// Said only when there are any.
std::string ConsultationSitesLine(int sites, absl::string_view region_prefix);

}  // namespace civil::governance
