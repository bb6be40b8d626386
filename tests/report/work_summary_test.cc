// Unit tests of the work summary's rules and words: requests, target progress, the affairs
// sentences, the document in the seed's structure and sentences, and its Markdown and HTML.
#include "services/report/work_summary.h"

#include <gtest/gtest.h>

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "services/report/render.h"
#include "services/report/target.h"

namespace civil::report {
namespace {

using absl::CivilDay;

const ReportRequest kHalfYear{CivilDay(2023, 1, 1), CivilDay(2023, 6, 30), Format::kMarkdown};

// The sentences the departments return for the seed's figures (their GetSummary lines).
DepartmentPart Assistance() {
  return {"assistance",
          true,
          "",
          {CountFigure("mutual_aid.societies_registered", "家", 94)},
          {"农村低保对象9847户15044人,发放资金3808万元", "城市低保对象1222户1712人,发放资金545万元",
           "农村特困人员3174人,发放资金1363万元", "城市特困人员98人,发放资金68万元",
           "退职老职工316人,发放资金118万元", "临时救助1896人次,发放资金304万元",
           "已完成94家村(社区)互助社登记设立,开展救助158人次,发放救助金10.46万元",
           "退出低保保障522户704人(其中死亡退出266户311人,家庭经济状况等不符退出278户391人)",
           "排查未发现“应享未享”“重复享受”“违规享受”等问题",
           "纳入城乡低保边缘家庭3079户6619人,支出型困难家庭64户120人",
           "摸排人数(包含对低保对象、特困人员的摸排数)14699人,解决困难对象的有效诉求数366次",
           "完成第一批390名分散供养特困人员生命体征检测等家庭医生服务,并建立健康管理档案"}};
}

AffairsFigures SeedAffairs() {
  AffairsFigures f;
  f.cremations = 2516;
  f.fees_waived_fen = 253'0000'00;
  f.cemetery_planned = 6;
  f.cemetery_completed = 2;
  f.cemetery_awaiting_acceptance = 2;
  f.care_persons = 13594;
  f.care_paid_fen = 759'0000'00;
  f.living_persons = 10836;
  f.living_paid_fen = 634'0000'00;
  f.care_pilots = 1;
  f.care_pilots_accepted = 1;
  f.rehab_pilots = 1;
  f.rehab_pilots_accepted = 1;
  f.marriages = 1615;
  f.divorce_applications = 768;
  f.divorces_completed = 428;
  f.archive_files = 156640;
  f.archive_from = "2005-09";
  f.archive_to = "2022-12";
  f.relief_cases = 45;
  f.relief_fen = 9'0000'00;
  return f;
}

std::vector<DepartmentPart> SeedParts() {
  const AffairsFigures affairs = SeedAffairs();
  return {Assistance(),
          {"eldercare", true, "", {}, {"享有高龄津贴22007人,发放资金418万元"}},
          {"childwelfare",
           true,
           "",
           {},
           {"孤儿基本生活保障对象227人,发放补助金额148万元",
            "为在校孤儿大学生按照每人每学年1万元的标准,发放补助费用,共发放资金26万元,惠及26人",
            "发放“健康包”807份,对生活困难的17名儿童发放慰问金0.85万元"}},
          {"governance", false, "NOT_PROVIDED", {}, {}},
          {"affairs", true, "", AffairsFigureList(affairs), AffairsLines(affairs)},
          {"socialorg",
           true,
           "",
           {},
           {"依法办理社会组织注销2家、批准新成立社会组织73家、换届、换证备案18家",
            "已完成年检160家,其中社会团体110家,民办非企业50家",
            "已建党组织36家,工会44家,共青团28家,妇女组织36家",
            "完成县社工总站建设工作及全县16家社工站进行验收工作",
            "完成对全县16家乡镇社工站的督导工作", "完成新华社区社会组织孵化服务中心成立工作"}}};
}

Target Cemetery() {
  return Target{"t1",
                "affairs",
                "cemetery_projects.completed",
                "县经开区公墓、钱铺镇公墓改扩建项目争取9月底完工",
                "个",
                6,
                CivilDay(2023, 9, 30),
                "社会事务股",
                "340722"};
}
Target Stations() {
  return Target{
      "t2",    "eldercare", "facilities.stations_built", "完成22个村(居)级养老服务站建设任务",
      "个",    22,          CivilDay(2023, 12, 31),      "养老服务股",
      "340722"};
}

absl::StatusOr<ReportRequest> ParseReportRequest(absl::string_view start, absl::string_view end,
                                                 absl::string_view format) {
  return civil::report::ParseReportRequest(
      {.period_start = start, .period_end = end, .format = format});
}

TEST(ReportRequestTest, ValidPeriodAndFormats) {
  auto r = ParseReportRequest("2023-01-01", "2023-06-30", "md");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->start, CivilDay(2023, 1, 1));
  EXPECT_EQ(r->format, Format::kMarkdown);
  EXPECT_EQ(ParseReportRequest("2023-01-01", "2023-06-30", "")->format, Format::kJson);
  EXPECT_EQ(ParseReportRequest("2023-01-01", "2023-06-30", "html")->format, Format::kHtml);
  EXPECT_EQ(ParseReportRequest("2023-01-01", "2023-06-30", "docx")->format, Format::kDocx);
  EXPECT_TRUE(ParseReportRequest("2019-01-01", "2023-12-31", "json").ok());
}

TEST(ReportRequestTest, BadInputNamesTheParameter) {
  auto message = [](absl::string_view s, absl::string_view e, absl::string_view f) {
    auto r = ParseReportRequest(s, e, f);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(r.status().message());
  };
  EXPECT_TRUE(absl::StartsWith(message("2023-06-30", "2023-01-01", "md"), "period_end:"));
  EXPECT_EQ(message("2019-01-01", "2024-01-01", "md"),
            "period_end: must be at most 5 years after period_start");
  EXPECT_TRUE(absl::StartsWith(message("2023-13-01", "2023-06-30", "md"), "period_start:"));
  EXPECT_TRUE(absl::StartsWith(message("2023-01-01", "2023/06/30", "md"), "period_end:"));
  EXPECT_TRUE(absl::StartsWith(message("", "2023-06-30", "md"), "period_start:"));
  EXPECT_EQ(message("2023-01-01", "2023-06-30", "pdf"), "format: must be json, md, html or docx");
}

TEST(ReportRequestTest, NamedPeriods) {
  auto named = [](absl::string_view period) {
    auto r = civil::report::ParseReportRequest({.period = period, .format = "md"});
    EXPECT_TRUE(r.ok()) << period << ": " << r.status();
    return r.ok() ? std::make_pair(r->start, r->end) : std::make_pair(CivilDay(), CivilDay());
  };
  EXPECT_EQ(named("2023-03"), std::make_pair(CivilDay(2023, 3, 1), CivilDay(2023, 3, 31)));
  EXPECT_EQ(named("2024-02"), std::make_pair(CivilDay(2024, 2, 1), CivilDay(2024, 2, 29)));
  EXPECT_EQ(named("2023-Q1"), std::make_pair(CivilDay(2023, 1, 1), CivilDay(2023, 3, 31)));
  EXPECT_EQ(named("2023-Q4"), std::make_pair(CivilDay(2023, 10, 1), CivilDay(2023, 12, 31)));
  EXPECT_EQ(named("2023-H1"), std::make_pair(CivilDay(2023, 1, 1), CivilDay(2023, 6, 30)));
  EXPECT_EQ(named("2023-H2"), std::make_pair(CivilDay(2023, 7, 1), CivilDay(2023, 12, 31)));
  EXPECT_EQ(named("2023"), std::make_pair(CivilDay(2023, 1, 1), CivilDay(2023, 12, 31)));
  for (absl::string_view bad :
       {"2023-13", "2023-Q5", "2023-H3", "23-03", "2023-3", "2023Q1", "2023-00", "abcd"}) {
    auto r = civil::report::ParseReportRequest({.period = bad});
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StartsWith(r.status().message(), "period: ")) << r.status();
  }
  auto both = civil::report::ParseReportRequest(
      {.period = "2023-03", .period_start = "2023-03-01", .period_end = "2023-03-31"});
  EXPECT_EQ(both.status().message(), "period: give either period or period_start and period_end");
}

TEST(ComparisonsTest, PreviousPeriodOfTheSameKindAndTheYearBefore) {
  auto check = [](CivilDay s, CivilDay e, CivilDay ps, CivilDay pe, CivilDay ys, CivilDay ye) {
    const Comparisons c = ComparisonsOf(s, e);
    EXPECT_EQ(c.previous_start, ps) << s << ".." << e;
    EXPECT_EQ(c.previous_end, pe) << s << ".." << e;
    EXPECT_EQ(c.year_ago_start, ys) << s << ".." << e;
    EXPECT_EQ(c.year_ago_end, ye) << s << ".." << e;
  };
  // March: February (of a leap year), and March 2023.
  check(CivilDay(2024, 3, 1), CivilDay(2024, 3, 31), CivilDay(2024, 2, 1), CivilDay(2024, 2, 29),
        CivilDay(2023, 3, 1), CivilDay(2023, 3, 31));
  // February 2024 a year back ends on 28 February.
  check(CivilDay(2024, 2, 1), CivilDay(2024, 2, 29), CivilDay(2024, 1, 1), CivilDay(2024, 1, 31),
        CivilDay(2023, 2, 1), CivilDay(2023, 2, 28));
  // Q1 after Q4 of the year before; H1 after H2; a year after the year before.
  check(CivilDay(2023, 1, 1), CivilDay(2023, 3, 31), CivilDay(2022, 10, 1), CivilDay(2022, 12, 31),
        CivilDay(2022, 1, 1), CivilDay(2022, 3, 31));
  check(CivilDay(2023, 1, 1), CivilDay(2023, 6, 30), CivilDay(2022, 7, 1), CivilDay(2022, 12, 31),
        CivilDay(2022, 1, 1), CivilDay(2022, 6, 30));
  check(CivilDay(2023, 1, 1), CivilDay(2023, 12, 31), CivilDay(2022, 1, 1), CivilDay(2022, 12, 31),
        CivilDay(2022, 1, 1), CivilDay(2022, 12, 31));
  // Any other span: as many days just before.
  check(CivilDay(2023, 3, 10), CivilDay(2023, 3, 19), CivilDay(2023, 2, 28), CivilDay(2023, 3, 9),
        CivilDay(2022, 3, 10), CivilDay(2022, 3, 19));
  EXPECT_EQ(KindOf(CivilDay(2023, 2, 1), CivilDay(2023, 3, 31)), PeriodKind::kOther);
  EXPECT_EQ(KindOf(CivilDay(2023, 4, 1), CivilDay(2023, 6, 30)), PeriodKind::kQuarter);
  EXPECT_EQ(KindOf(CivilDay(2023, 5, 1), CivilDay(2023, 7, 31)), PeriodKind::kOther);
}

TEST(ComparisonsTest, ChangeWordsAsTheBureauWritesThem) {
  EXPECT_EQ(ChangeWords(1125, 1000), "增长12.5%");
  EXPECT_EQ(ChangeWords(970, 1000), "下降3.0%");
  EXPECT_EQ(ChangeWords(1000, 1000), "持平");
  EXPECT_EQ(ChangeWords(10001, 10000), "持平");  // 0.01 % rounds to 0.0
  EXPECT_EQ(ChangeWords(2, 3), "下降33.3%");
  EXPECT_EQ(ChangeWords(1, 3), "下降66.7%");
  EXPECT_EQ(ChangeWords(30, 0), "");
  EXPECT_EQ(ChangeWords(30, std::nullopt), "");
}

TEST(TargetProgressTest, CountedAgainstTheTimeElapsed) {
  const CivilDay june30(2023, 6, 30);
  // 2 of 6 cemeteries by 30 June, due 30 September: 181 of 273 days gone, 4 due by now.
  EXPECT_EQ(ProgressOf(Cemetery(), 2, june30).status, Progress::kBehind);
  EXPECT_EQ(ProgressOf(Cemetery(), 4, june30).status, Progress::kOnTrack);
  EXPECT_EQ(ProgressOf(Cemetery(), 6, june30).status, Progress::kDone);
  EXPECT_EQ(ProgressOf(Cemetery(), 5, CivilDay(2023, 10, 1)).status, Progress::kOverdue);
  // 12 of 22 stations by 30 June, due at the year's end: ahead of the 11 the time calls for.
  EXPECT_EQ(ProgressOf(Stations(), 12, june30).status, Progress::kOnTrack);
  EXPECT_EQ(ProgressOf(Stations(), 10, june30).status, Progress::kBehind);
  const TargetProgress missing = ProgressOf(Stations(), std::nullopt, june30);
  EXPECT_EQ(missing.status, Progress::kDataMissing);
  EXPECT_FALSE(missing.done.has_value());
}

TEST(TargetTest, NewTargetNamesTheFieldAtFault) {
  TargetInput in{"eldercare",
                 "facilities.stations_built",
                 "完成22个养老服务站",
                 "个",
                 "2023-12-31",
                 "养老服务股",
                 22};
  auto t = NewTarget(in, "340722");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->due, CivilDay(2023, 12, 31));
  auto fails = [&](const TargetInput& bad) {
    return std::string(NewTarget(bad, "340722").status().message());
  };
  TargetInput bad = in;
  bad.department = "police";
  EXPECT_TRUE(absl::StartsWith(fails(bad), "department:"));
  bad = in;
  bad.measure = "Stations Built";
  EXPECT_TRUE(absl::StartsWith(fails(bad), "measure:"));
  bad = in;
  bad.planned = 0;
  EXPECT_EQ(fails(bad), "planned: must be more than 0");
  bad = in;
  bad.due_date = "2023-02-30";
  EXPECT_TRUE(absl::StartsWith(fails(bad), "due_date:"));
  bad = in;
  bad.owner = "";
  EXPECT_TRUE(absl::StartsWith(fails(bad), "owner:"));
  TargetInput change;
  change.planned = 24;
  auto changed = ChangedTarget(*t, change);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->planned, 24);
  EXPECT_EQ(changed->description, "完成22个养老服务站");
}

TEST(AffairsLinesTest, TheSeedsSentences) {
  const std::vector<std::string> lines = AffairsLines(SeedAffairs());
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[0], "累计火化遗体2516具,免除本县居民殡葬基本服务费253万元");
  EXPECT_EQ(lines[1], "确定改扩建乡镇级公墓6个,其中已完工待验收2个");
  EXPECT_EQ(lines[2], "享有重度残疾人护理补贴发放13594人,累计发放资金759万元");
  EXPECT_EQ(lines[3], "困难残疾人生活补贴发放10836人,累计发放资金634万元");
  EXPECT_EQ(lines[6], "共办理结婚1615对,离婚申请768对,离婚办结428对");
  EXPECT_EQ(lines[7].substr(0, lines[7].find("共计")), "完成2005年9月至2022年12月");
  EXPECT_EQ(lines[8], "实施流浪乞讨救助45人次,使用资金9万元");
  AffairsFigures none;
  EXPECT_TRUE(AffairsLines(none).empty());
}

TEST(DocumentTest, SectionOneInTheSeedsStructureAndSentences) {
  const Document doc =
      BuildDocument(kHalfYear, "340722", SeedParts(), {}, "枞阳县民政局", CivilDay(2023, 7, 10));
  EXPECT_EQ(doc.title, "2023年上半年工作总结和下半年工作安排");
  EXPECT_EQ(doc.intro,
            "根据通知要求,结合我局工作实际,现将2023年上半年工作总结和下半年工作安排报告如下:");
  EXPECT_EQ(doc.part_one, "一、2023年上半年工作总结");
  EXPECT_EQ(doc.part_two, "二、下半年工作安排");
  ASSERT_EQ(doc.one_sections.size(), 5u);
  const std::string& one = doc.one_sections[0];
  EXPECT_TRUE(absl::StartsWith(
      one,
      "(一)社会救助体系不断健全,精准救助水平显著提高。一是兜住困难群众基本生活底线。截至6月底,"
      "全县农村低保对象9847户15044人,发放资金3808万元;城市低保对象1222户1712人,发放资金545万元;"
      "农村特困人员3174人,发放资金1363万元;城市特困人员98人,发放资金68万元;退职老职工316人,"
      "发放资金118万元;临时救助1896人次,发放资金304万元。二是推动政府救助与慈善救助有效衔接。"))
      << one;
  EXPECT_TRUE(absl::StrContains(
      one, "截至6月底,全县已完成94家村(社区)互助社登记设立,开展救助158人次,发放救助金10.46万元。"));
  EXPECT_TRUE(absl::StrContains(
      one,
      "三是持续开展社会救助领域突出问题专项整治工作。截至6月底,我县退出低保保障522户704人("
      "其中死亡退出266户311人,家庭经济状况等不符退出278户391人),排查未发现“应享未享”"
      "“重复享受”“违规享受”等问题。"))
      << one;
  EXPECT_TRUE(absl::StrContains(
      one,
      "四是不断提升社会救助精准度。截至6月底,纳入城乡低保边缘家庭3079户6619人,"
      "支出型困难家庭64户120人。开展兜底解忧暖民心行动,截至6月底,摸排人数(包含对低保对象、"
      "特困人员的摸排数)14699人,解决困难对象的有效诉求数366次。"));
  EXPECT_TRUE(
      absl::StrContains(one, "五是加大政府购买社会救助服务力度。截至6月底,完成第一批390名"));

  const std::string& two = doc.one_sections[1];
  EXPECT_TRUE(absl::StartsWith(two,
                               "(二)养老服务体系不断健全,儿童福利政策有效落实。一是落实老年人"
                               "福利政策。截至6月底,全县享有高龄津贴22007人,发放资金418万元。"))
      << two;
  EXPECT_TRUE(absl::StrContains(
      two,
      "二是严格落实孤儿和事实无人抚养儿童各项保障政策。截至6月底,全县孤儿基本生活保障对象227人,"
      "发放补助金额148万元。积极开展孤儿助学活动,为在校孤儿大学生按照每人每学年1万元的标准,发放补助"
      "费用,共发放资金26万元,惠及26人。"))
      << two;
  EXPECT_TRUE(absl::StrContains(
      two,
      "三是积极开展儿童关爱服务活动。组织开展社会散居孤儿、事实无人抚养儿童、农村留守儿童走访慰问"
      "活动,发放“健康包”807份,对生活困难的17名儿童发放慰问金0.85万元。"))
      << two;
  EXPECT_EQ(doc.one_sections[2],
            "(三)基层治理体系不断深化,社会治理基础更加夯实。基层治理数据暂缺。");
  const std::string& four = doc.one_sections[3];
  EXPECT_TRUE(absl::StrContains(four,
                                "一是持续深化殡葬领域改革。截至6月底,全县累计火化遗体2516具,"
                                "免除本县居民殡葬基本服务费253万元。"))
      << four;
  EXPECT_TRUE(absl::StrContains(four,
                                "二是严格落实残疾人福利政策。截至6月底,全县享有重度残疾人护理"
                                "补贴发放13594人,累计发放资金759万元;困难残疾人生活补贴发放"
                                "10836人,累计发放资金634万元。"))
      << four;
  EXPECT_TRUE(absl::StrContains(four,
                                "三是优化婚姻登记服务。截至6月底,共办理结婚1615对,离婚申请768对,"
                                "离婚办结428对。"));
  // The seed prints "9万元"; the kit's ReportWanYuan writes amounts below 50万元 with two decimals.
  EXPECT_TRUE(absl::StrContains(four,
                                "四是落实生活无着救助政策。截至6月底,全县实施流浪乞讨救助45人次,"
                                "使用资金9万元。"))
      << four;
  const std::string& five = doc.one_sections[4];
  EXPECT_EQ(
      five,
      "(五)社会组织管理不断规范,社工事业健康良性发展。一是加大社会组织培育力度。截至6月底,"
      "全县依法办理社会组织注销2家、批准新成立社会组织73家、换届、换证备案18家。二是加强社会组织"
      "日常监管。截至6月底,已完成年检160家,其中社会团体110家,民办非企业50家。三是提升社会组织"
      "党建工作质效。截至6月底,全县已建党组织36家,工会44家,共青团28家,妇女组织36家。四是整合"
      "社会资源,完成新华社区社会组织孵化服务中心成立工作。五是加快推进社会工作发展。完成县社工总站"
      "建设工作及全县16家社工站进行验收工作。完成对全县16家乡镇社工站的督导工作。");
  EXPECT_EQ(doc.missing, std::vector<std::string>{"governance"});
  EXPECT_EQ(doc.bureau, "枞阳县民政局");
  EXPECT_EQ(doc.date, "2023年7月10日");
}

TEST(DocumentTest, ElderlyCareInTheSeedsOrderFacilitiesFirstThenAllowancesThenThePilots) {
  std::vector<DepartmentPart> parts = SeedParts();
  parts[1].lines = {"享有高龄津贴22007人,发放资金418万元",
                    "居家养老服务补贴4463人,发放资金131万元",
                    "2023年全县确定建设村(居)级养老服务站22个、城乡老年食堂(助餐点)26个,"
                    "目前养老服务站已建设完成12个,老年食堂(助餐点)已经建设完成21个",
                    "确定老年人家庭适老化改造271户",
                    "为全县0名低保老年人提供机构托养服务",
                    "在会宫镇、雨坛镇、浮山镇开展特殊困难老年人探视走访试点项目试点,"
                    "实施特殊困难独居老年人周探访"};
  const Document doc =
      BuildDocument(kHalfYear, "340722", parts, {}, "枞阳县民政局", CivilDay(2023, 7, 10));
  const std::string& two = doc.one_sections[1];
  EXPECT_TRUE(absl::StartsWith(
      two,
      "(二)养老服务体系不断健全,儿童福利政策有效落实。一是基本养老服务设施进一步完善。"
      "2023年全县确定建设村(居)级养老服务站22个、城乡老年食堂(助餐点)26个,目前养老服务站已建设"
      "完成12个,老年食堂(助餐点)已经建设完成21个。确定老年人家庭适老化改造271户。二是落实老年人"
      "福利政策。截至6月底,全县享有高龄津贴22007人,发放资金418万元;居家养老服务补贴4463人,"
      "发放资金131万元。三是创新养老服务工作。在会宫镇、雨坛镇、浮山镇开展特殊困难老年人探视走访"
      "试点项目试点,"
      "实施特殊困难独居老年人周探访。四是严格落实孤儿和事实无人抚养儿童各项保障政策。"))
      << two;
  // A plan of 二 nothing has counted towards yet (0 placements) is not said in 一: 二 prints it
  // with its target.
  EXPECT_FALSE(absl::StrContains(two, "机构托养")) << two;
  EXPECT_FALSE(absl::StrContains(two, "六是")) << two;
  // Once placements count, the line no point of the seed places is said last, not dropped.
  parts[1].lines[4] = "为全县3名低保老年人提供机构托养服务";
  const std::string placed =
      BuildDocument(kHalfYear, "340722", parts, {}, "枞阳县民政局", CivilDay(2023, 7, 10))
          .one_sections[1];
  EXPECT_TRUE(absl::EndsWith(placed, "六是截至6月底,为全县3名低保老年人提供机构托养服务。"))
      << placed;
}

TEST(DocumentTest, AProgrammeWithoutCaseloadIsLeftOutAsTheSeedDoes) {
  std::vector<DepartmentPart> parts = SeedParts();
  // childwelfare's GetSummary says the de-facto-unsupported children's clause also at 0.
  parts[2].lines.insert(parts[2].lines.begin() + 1,
                        "事实无人抚养儿童保障对象0人,发放补助金额0万元");
  const std::string two =
      BuildDocument(kHalfYear, "340722", parts, {}, "枞阳县民政局", CivilDay(2023, 7, 10))
          .one_sections[1];
  EXPECT_TRUE(absl::StrContains(
      two,
      "严格落实孤儿和事实无人抚养儿童各项保障政策。截至6月底,全县孤儿基本生活保障对象227人,"
      "发放补助金额148万元。积极开展孤儿助学活动,"))
      << two;
  EXPECT_FALSE(absl::StrContains(two, "事实无人抚养儿童保障对象")) << two;
  // With a caseload the clause is said where the seed's point puts it.
  parts[2].lines[1] = "事实无人抚养儿童保障对象12人,发放补助金额7.92万元";
  const std::string with =
      BuildDocument(kHalfYear, "340722", parts, {}, "枞阳县民政局", CivilDay(2023, 7, 10))
          .one_sections[1];
  EXPECT_TRUE(absl::StrContains(with,
                                "孤儿基本生活保障对象227人,发放补助金额148万元;"
                                "事实无人抚养儿童保障对象12人,发放补助金额7.92万元。"))
      << with;
}

TEST(DocumentTest, AllFiguresZero) {
  EXPECT_TRUE(AllFiguresZero("事实无人抚养儿童保障对象0人,发放补助金额0万元"));
  EXPECT_TRUE(AllFiguresZero("发放资金0.00万元,惠及0人"));
  EXPECT_FALSE(AllFiguresZero("对生活困难的17名儿童发放慰问金0.85万元"));
  EXPECT_FALSE(AllFiguresZero("发放资金0.05万元,惠及0人"));
  // A year is no figure: nothing planned is nothing to say.
  EXPECT_TRUE(AllFiguresZero("2023年全县确定建设村(居)级养老服务站0个、城乡老年食堂(助餐点)0个"));
  EXPECT_FALSE(AllFiguresZero("2023年全县确定建设村(居)级养老服务站22个"));
  EXPECT_FALSE(AllFiguresZero("完成2005年9月至2022年12月共计156640份婚姻档案数字电子化整理"));
  EXPECT_FALSE(AllFiguresZero("为全县10名低保老年人提供机构托养服务"));
  // A sentence without figures says something: kept.
  EXPECT_FALSE(AllFiguresZero("排查未发现“应享未享”“重复享受”“违规享受”等问题"));
  EXPECT_FALSE(AllFiguresZero(""));
}

TEST(DocumentTest, AMissingDepartmentIsMarkedInItsOwnSection) {
  std::vector<DepartmentPart> parts = SeedParts();
  parts[4] = DepartmentPart{"affairs", false, "DEADLINE_EXCEEDED", {}, {}};
  const Document doc =
      BuildDocument(kHalfYear, "340722", parts, {}, "枞阳县民政局", CivilDay(2023, 7, 10));
  EXPECT_EQ(doc.one_sections[3],
            "(四)社会事务工作有序开展,为民服务能力明显提升。社会事务数据暂缺。");
  EXPECT_EQ(doc.missing, (std::vector<std::string>{"governance", "affairs"}));
  // A line no point of the seed places is said, not dropped.
  parts[0].lines.push_back("上级补助到位");
  const Document more = BuildDocument(kHalfYear, "340722", parts, {}, "b", CivilDay(2023, 7, 10));
  EXPECT_TRUE(absl::StrContains(more.one_sections[0], "六是截至6月底,上级补助到位。"));
}

TEST(DocumentTest, AnotherPeriodAndATownship) {
  const ReportRequest q1{CivilDay(2023, 1, 1), CivilDay(2023, 3, 15), Format::kMarkdown};
  const Document doc = BuildDocument(q1, "340722100", SeedParts(), {}, "b", CivilDay(2023, 4, 1));
  EXPECT_EQ(doc.part_one, "一、2023年1月1日至2023年3月15日工作总结");
  EXPECT_TRUE(absl::StrContains(doc.one_sections[3], "截至3月15日,全乡(镇)累计火化遗体2516具"));
}

TEST(DocumentTest, MonthlyQuarterlyAndYearlyTitles) {
  auto title = [](CivilDay s, CivilDay e) {
    return BuildDocument({s, e, Format::kMarkdown}, "340722", SeedParts(), {}, "b", e + 10);
  };
  Document month = title(CivilDay(2023, 3, 1), CivilDay(2023, 3, 31));
  EXPECT_EQ(month.title, "2023年3月工作总结和下月工作安排");
  EXPECT_EQ(month.part_one, "一、2023年3月工作总结");
  EXPECT_EQ(title(CivilDay(2023, 4, 1), CivilDay(2023, 6, 30)).title,
            "2023年第二季度工作总结和下季度工作安排");
  EXPECT_EQ(title(CivilDay(2023, 7, 1), CivilDay(2023, 12, 31)).title,
            "2023年下半年工作总结和2024年工作安排");
  EXPECT_EQ(title(CivilDay(2023, 1, 1), CivilDay(2023, 12, 31)).part_two, "二、2024年工作安排");
}

TEST(DocumentTest, ComparisonsWhereThePeriodsHaveTheFigure) {
  std::vector<DepartmentPart> parts = SeedParts();
  parts[0].figures.push_back(CountFigure("dibao.rural.persons", "人", 15044));
  std::vector<DepartmentPart> previous = parts, year_ago = parts;
  previous[0].figures.back().value = 14000;
  // A year before, assistance did not answer: only 环比 for its figures.
  year_ago[0].answered = false;
  ReportRequest request = kHalfYear;
  request.compare = true;
  const Document doc =
      BuildDocument(request, "340722", parts, {}, "b", CivilDay(2023, 7, 10), previous, year_ago);
  EXPECT_EQ(doc.comparisons_heading, "附:主要数据环比、同比");
  ASSERT_FALSE(doc.comparisons.empty());
  EXPECT_EQ(doc.comparisons[0], "农村低保对象15044人,环比增长7.5%。");
  // Affairs answered in all three periods with the same figures.
  EXPECT_TRUE(absl::c_linear_search(doc.comparisons, "火化遗体2516具,环比持平,同比持平。"));
  const std::string md = RenderMarkdown(doc);
  EXPECT_TRUE(
      absl::StrContains(md, "## 附:主要数据环比、同比\n\n农村低保对象15044人,环比增长7.5%。"))
      << md;
  // Without compare, no appendix.
  EXPECT_TRUE(BuildDocument(kHalfYear, "340722", SeedParts(), {}, "b", CivilDay(2023, 7, 10),
                            previous, year_ago)
                  .comparisons_heading.empty());
}

TEST(DocumentTest, TargetsWithPlannedDoneDueAndTheBehindFlagged) {
  const CivilDay june30(2023, 6, 30);
  const std::vector<TargetProgress> targets = {ProgressOf(Stations(), std::nullopt, june30),
                                               ProgressOf(Cemetery(), 2, june30)};
  const Document doc = BuildDocument(kHalfYear, "340722", SeedParts(), targets, "枞阳县民政局",
                                     CivilDay(2023, 7, 10));
  ASSERT_EQ(doc.two_sections.size(), 5u);
  EXPECT_EQ(doc.two_sections[0].heading, "(一)进一步做好高水平民生兜底保障。");
  EXPECT_EQ(doc.two_sections[0].empty_note, "暂未设定目标。");
  ASSERT_EQ(doc.two_sections[1].items.size(), 1u);
  EXPECT_EQ(doc.two_sections[1].items[0].facts,
            "计划22个;完成情况数据暂缺;完成时限2023年12月31日;责任单位养老服务股");
  ASSERT_EQ(doc.two_sections[3].items.size(), 1u);
  const TargetItem& cemetery = doc.two_sections[3].items[0];
  EXPECT_EQ(cemetery.lead, "一是县经开区公墓、钱铺镇公墓改扩建项目争取9月底完工");
  EXPECT_EQ(cemetery.facts, "计划6个;已完成2个;完成时限2023年9月30日;责任单位社会事务股");
  EXPECT_EQ(cemetery.flag, "进度滞后");
  EXPECT_TRUE(cemetery.alert);

  const std::string md = RenderMarkdown(doc);
  EXPECT_TRUE(absl::StartsWith(md, "# 2023年上半年工作总结和下半年工作安排\n\n根据通知要求"));
  EXPECT_TRUE(absl::StrContains(md, "\n## 一、2023年上半年工作总结\n\n(一)社会救助体系不断健全"));
  EXPECT_TRUE(absl::StrContains(
      md,
      "(四)不断优化专项社会事务管理水平。一是县经开区公墓、钱铺镇公墓改扩建项目争取9月底完工("
      "计划6个;已完成2个;完成时限2023年9月30日;责任单位社会事务股;**进度滞后**)。"))
      << md;
  EXPECT_TRUE(absl::StrContains(md, "governance"));
  EXPECT_TRUE(absl::EndsWith(md, "\n枞阳县民政局  \n2023年7月10日\n")) << md;

  const std::string html = RenderHtml(doc);
  EXPECT_TRUE(absl::StrContains(html, "@page { size: A4; margin:"));
  EXPECT_TRUE(absl::StrContains(html, "<strong class=\"behind\">进度滞后</strong>"));
  EXPECT_TRUE(absl::StrContains(html, "<p class=\"signature\">枞阳县民政局<br>2023年7月10日</p>"));
  EXPECT_TRUE(absl::StrContains(html, "<h2>二、下半年工作安排</h2>"));
}

TEST(DocumentTest, HtmlEscapesText) {
  const Document doc =
      BuildDocument(kHalfYear, "340722", SeedParts(), {}, "<b>局</b>", CivilDay(2023, 7, 10));
  const std::string html = RenderHtml(doc);
  EXPECT_TRUE(absl::StrContains(html, "&lt;b&gt;局&lt;/b&gt;"));
  EXPECT_FALSE(absl::StrContains(html, "<b>局"));
}

TEST(ChineseNumberTest, CountsAsTheDocumentDoes) {
  EXPECT_EQ(ChineseNumber(1), "一");
  EXPECT_EQ(ChineseNumber(10), "十");
  EXPECT_EQ(ChineseNumber(12), "十二");
  EXPECT_EQ(ChineseNumber(21), "二十一");
  EXPECT_EQ(AsOfPhrase(CivilDay(2023, 6, 30)), "截至6月底");
  EXPECT_EQ(AsOfPhrase(CivilDay(2024, 2, 28)), "截至2月28日");
}

}  // namespace
}  // namespace civil::report
