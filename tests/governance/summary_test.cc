// Unit tests of the summary's sentences (services/governance/summary.h): no servers.
#include "services/governance/summary.h"

#include <gtest/gtest.h>

namespace civil::governance {
namespace {

TEST(SummaryLinesTest, LargeCountsAreWrittenInWanAsTheReportDoes) {
  EXPECT_EQ(ReportCount(400'123, "条"), "40万余条");
  EXPECT_EQ(ReportCount(400'000, "条"), "40万条");
  EXPECT_EQ(ReportCount(9'999, "条"), "9999条");
  EXPECT_EQ(ReportCount(0, "条"), "0条");
  EXPECT_EQ(RecordsReviewedLine(412'345), "完成网格化41万余条基础信息审核工作");
}

TEST(SummaryLinesTest, FullNoticeCoverageIsSaidSoOtherwiseTheGapIsCounted) {
  EXPECT_EQ(NoticesLine(250, 250, "340722"),
            "全县村和社区实行社区简介、网格示意图、网格服务管理流程图等网格化基础信息公示全覆盖");
  EXPECT_EQ(NoticesLine(4, 4, "340722100"),
            "辖区内村和社区实行社区简介、网格示意图、网格服务管理流程图等网格化基础信息公示全覆盖");
  EXPECT_EQ(
      NoticesLine(250, 240, ""),
      "240个村和社区完成社区简介、网格示意图、网格服务管理流程图等网格化基础信息公示,10个尚未完成");
  EXPECT_EQ(
      NoticesLine(0, 0, ""),
      "0个村和社区完成社区简介、网格示意图、网格服务管理流程图等网格化基础信息公示,0个尚未完成");
}

}  // namespace
TEST(SummaryLinesTest, ConsultationSitesInTheSeedsWords) {
  EXPECT_EQ(ConsultationSitesLine(22, "340722"),
            "开展城乡社区协商点创建活动,在全县范围内推选出22个示范点");
  EXPECT_EQ(ConsultationSitesLine(3, "340722100"),
            "开展城乡社区协商点创建活动,在辖区内推选出3个示范点");
}

}  // namespace civil::governance
