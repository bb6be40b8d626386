#include "services/socialorg/summary.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace civil::socialorg {

std::vector<std::string> SummaryLines(const SummaryFigures& f) {
  std::string inspections =
      absl::StrCat("已完成年检", f.inspections, "家,其中社会团体", f.inspections_social_groups,
                   "家,民办非企业", f.inspections_private_non_enterprise_units, "家");
  if (f.inspections_foundations > 0) {
    absl::StrAppend(&inspections, ",基金会", f.inspections_foundations, "家");
  }
  std::vector<std::string> lines = {
      absl::StrCat("依法办理社会组织注销", f.deregistered, "家、批准新成立社会组织",
                   f.newly_registered, "家、换届、换证备案", f.re_election_or_renewal_filings,
                   "家"),
      inspections,
      absl::StrCat("已建党组织", f.party_organisations, "家,工会", f.trade_unions, "家,共青团",
                   f.youth_leagues, "家,妇女组织", f.womens_organisations, "家"),
      absl::StrCat("完成", f.county_station_accepted ? "县社工总站建设工作及" : "", "全县",
                   f.township_stations_accepted, "家社工站进行验收工作"),
      absl::StrCat("完成对全县", f.township_stations_visited, "家乡镇社工站的督导工作")};
  if (!f.incubation_centres.empty()) {
    lines.push_back(absl::StrCat("完成", absl::StrJoin(f.incubation_centres, "、"), "成立工作"));
  }
  return lines;
}

}  // namespace civil::socialorg
