// The social-organisation figures of a period and the report's sentences for them (pure C++ on
// Abseil), worded as the bureau's half-year report words them (REPORT.md 一(五)).
#pragma once

#include <string>
#include <vector>

namespace civil::socialorg {

struct SummaryFigures {
  int deregistered = 0;
  int newly_registered = 0;
  int re_election_or_renewal_filings = 0;
  int inspections = 0;
  int inspections_social_groups = 0;
  int inspections_private_non_enterprise_units = 0;
  int inspections_foundations = 0;
  int party_organisations = 0;
  int trade_unions = 0;
  int youth_leagues = 0;
  int womens_organisations = 0;
  bool county_station_accepted = false;         // as of the period's end
  int township_stations_accepted = 0;           // as of the period's end
  int township_stations_visited = 0;            // with a supervision visit in the period
  std::vector<std::string> incubation_centres;  // established in the period, by name
};

// The report's sentences: "依法办理社会组织注销2家、批准新成立社会组织73家、换届、换证备案18家",
// "已完成年检160家,其中社会团体110家,民办非企业50家" (",基金会N家" added when foundations were
// inspected), "已建党组织36家,工会44家,共青团28家,妇女组织36家",
// "完成县社工总站建设工作及全县16家社工站进行验收工作" (without the county station's part unless it
// stood accepted), "完成对全县16家乡镇社工站的督导工作", and, when incubation centres were
// established in the period, "完成新华社区社会组织孵化服务中心成立工作" (names joined by 、).
std::vector<std::string> SummaryLines(const SummaryFigures& f);

}  // namespace civil::socialorg
