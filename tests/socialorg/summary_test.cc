// Unit tests of the summary's sentences (services/socialorg/summary.h): the report's wording for
// the figures given. No servers.
#include "services/socialorg/summary.h"

#include <gtest/gtest.h>

namespace civil::socialorg {
namespace {

TEST(SummaryLinesTest, TheReportsWording) {
  SummaryFigures f;
  f.deregistered = 2;
  f.newly_registered = 73;
  f.re_election_or_renewal_filings = 18;
  f.inspections = 160;
  f.inspections_social_groups = 110;
  f.inspections_private_non_enterprise_units = 50;
  f.party_organisations = 36;
  f.trade_unions = 44;
  f.youth_leagues = 28;
  f.womens_organisations = 36;
  f.county_station_accepted = true;
  f.township_stations_accepted = 16;
  f.township_stations_visited = 16;
  const std::vector<std::string> lines = SummaryLines(f);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "依法办理社会组织注销2家、批准新成立社会组织73家、换届、换证备案18家");
  EXPECT_EQ(lines[1], "已完成年检160家,其中社会团体110家,民办非企业50家");
  EXPECT_EQ(lines[2], "已建党组织36家,工会44家,共青团28家,妇女组织36家");
  EXPECT_EQ(lines[3], "完成县社工总站建设工作及全县16家社工站进行验收工作");
  EXPECT_EQ(lines[4], "完成对全县16家乡镇社工站的督导工作");
}

TEST(SummaryLinesTest, TheCountyStationIsNamedOnlyWhenAccepted) {
  SummaryFigures f;
  f.township_stations_accepted = 3;
  f.township_stations_visited = 2;
  EXPECT_EQ(SummaryLines(f)[3], "完成全县3家社工站进行验收工作");
  EXPECT_EQ(SummaryLines(f)[4], "完成对全县2家乡镇社工站的督导工作");
}

TEST(SummaryLinesTest, IncubationCentresEstablishedInThePeriod) {
  SummaryFigures f;
  EXPECT_EQ(SummaryLines(f).size(), 5u);  // none: no sentence
  f.incubation_centres = {"新华社区社会组织孵化服务中心"};
  ASSERT_EQ(SummaryLines(f).size(), 6u);
  EXPECT_EQ(SummaryLines(f)[5], "完成新华社区社会组织孵化服务中心成立工作");
  f.incubation_centres.push_back("枞阳镇社会组织孵化服务中心");
  EXPECT_EQ(SummaryLines(f)[5],
            "完成新华社区社会组织孵化服务中心、枞阳镇社会组织孵化服务中心成立工作");
}

TEST(SummaryLinesTest, FoundationsAreNamedOnlyWhenInspected) {
  SummaryFigures f;
  f.inspections = 3;
  f.inspections_social_groups = 1;
  f.inspections_private_non_enterprise_units = 1;
  f.inspections_foundations = 1;
  EXPECT_EQ(SummaryLines(f)[1], "已完成年检3家,其中社会团体1家,民办非企业1家,基金会1家");
  EXPECT_EQ(SummaryLines({})[1], "已完成年检0家,其中社会团体0家,民办非企业0家");
}

}  // namespace
}  // namespace civil::socialorg
