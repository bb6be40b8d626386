#include "services/report/work_summary.h"

#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/common/money.h"
#include "services/common/values.h"

namespace civil::report {
namespace {

// Where a clause puts the region before its sentences: nothing, 全县 or 我县 (for a township
// 全乡(镇) / 本乡(镇), for a village 全村(社区) / 本村(社区)).
enum class Scope { kNone, kAll, kOur };

// Part of a numbered point: the department's sentences starting with one of `prefixes`, after
// `intro`, the as-of phrase (截至6月底) and the scope word, joined by `joiner`, ending with 。.
struct Clause {
  const char* department;
  const char* intro;
  bool as_of;
  Scope scope;
  std::vector<const char*> prefixes;
  const char* joiner = ";";
  // When set, only sentences that also contain it (two points whose sentences begin alike).
  const char* contains = nullptr;
};
// 一是<lead><clauses>: rendered when at least one clause has a sentence.
struct Point {
  const char* lead;
  std::vector<Clause> clauses;
};
struct SectionSpec {
  const char* heading;
  std::vector<const char*> departments;
  std::vector<Point> points;
};

// 一、: the seed's sections and points, in the seed's order and words.
const std::vector<SectionSpec>& PartOne() {
  static const auto* spec = new std::vector<SectionSpec>{
      {"社会救助体系不断健全,精准救助水平显著提高。",
       {"assistance"},
       {{"兜住困难群众基本生活底线。",
         {{"assistance",
           "",
           true,
           Scope::kAll,
           {"农村", "城市", "退职老职工", "上海下放居民", "麻风病人", "临时救助"}}}},
        {"推动政府救助与慈善救助有效衔接。", {{"assistance", "", true, Scope::kAll, {"已完成"}}}},
        {"持续开展社会救助领域突出问题专项整治工作。",
         {{"assistance", "", true, Scope::kOur, {"退出低保", "排查"}, ","}}},
        {"不断提升社会救助精准度。",
         {{"assistance", "", true, Scope::kNone, {"纳入城乡低保边缘"}},
          {"assistance", "开展兜底解忧暖民心行动,", true, Scope::kNone, {"摸排人数"}}}},
        {"加大政府购买社会救助服务力度。", {{"assistance", "", true, Scope::kNone, {"完成"}}}}}},
      {"养老服务体系不断健全,儿童福利政策有效落实。",
       {"eldercare", "childwelfare"},
       {{"基本养老服务设施进一步完善。",
         {{"eldercare",
           "",
           false,
           Scope::kNone,
           {"2023年全县确定建设", "确定老年人家庭适老化改造"},
           "。"}}},
        {"落实老年人福利政策。",
         {{"eldercare", "", true, Scope::kAll, {"享有高龄津贴", "居家养老服务补贴"}}}},
        {"创新养老服务工作。", {{"eldercare", "", false, Scope::kNone, {"在"}, ";", "探视走访"}}},
        {"严格落实孤儿和事实无人抚养儿童各项保障政策。",
         {{"childwelfare", "", true, Scope::kAll, {"孤儿基本生活保障对象", "事实无人抚养儿童"}},
          {"childwelfare", "积极开展孤儿助学活动,", false, Scope::kNone, {"为在校孤儿大学生"}}}},
        {"积极开展儿童关爱服务活动。",
         {{"childwelfare",
           "组织开展社会散居孤儿、事实无人抚养儿童、农村留守儿童走访慰问活动,",
           false,
           Scope::kNone,
           {"发放“健康包”"}}}}}},
      {"基层治理体系不断深化,社会治理基础更加夯实。", {"governance"}, {}},
      {"社会事务工作有序开展,为民服务能力明显提升。",
       {"affairs"},
       {{"持续深化殡葬领域改革。",
         {{"affairs", "", true, Scope::kAll, {"累计火化遗体"}},
          {"affairs", "推进乡镇级公墓改扩建项目建设,", false, Scope::kAll, {"确定改扩建"}}}},
        {"严格落实残疾人福利政策。",
         {{"affairs", "", true, Scope::kAll, {"享有重度残疾人", "困难残疾人"}},
          {"affairs", "", false, Scope::kNone, {"贫困重度残疾人", "精神障碍患者"}}}},
        {"优化婚姻登记服务。",
         {{"affairs", "", true, Scope::kNone, {"共办理结婚"}},
          {"affairs", "", false, Scope::kNone, {"完成"}}}},
        {"落实生活无着救助政策。", {{"affairs", "", true, Scope::kAll, {"实施流浪乞讨救助"}}}}}},
      {"社会组织管理不断规范,社工事业健康良性发展。",
       {"socialorg"},
       {{"加大社会组织培育力度。", {{"socialorg", "", true, Scope::kAll, {"依法办理"}}}},
        {"加强社会组织日常监管。", {{"socialorg", "", true, Scope::kNone, {"已完成年检"}}}},
        {"提升社会组织党建工作质效。", {{"socialorg", "", true, Scope::kAll, {"已建党组织"}}}},
        {"整合社会资源,",
         {{"socialorg", "", false, Scope::kNone, {"完成"}, ";", "孵化服务中心成立工作"}}},
        {"加快推进社会工作发展。",
         {{"socialorg", "", false, Scope::kNone, {"完成县社工总站", "完成全县"}},
          {"socialorg", "", false, Scope::kNone, {"完成对全县"}}}}}}};
  return *spec;
}

// 二、: the seed's headings and the departments whose targets each holds.
struct TwoSpec {
  const char* heading;
  std::vector<const char*> departments;
};
const std::vector<TwoSpec>& PartTwo() {
  static const auto* spec = new std::vector<TwoSpec>{
      {"进一步做好高水平民生兜底保障。", {"assistance"}},
      {"进一步提升养老服务和儿童福利工作水平。", {"eldercare", "childwelfare"}},
      {"进一步加强基层治理体系和治理能力现代化建设。", {"governance"}},
      {"不断优化专项社会事务管理水平。", {"affairs"}},
      {"推进社会组织和社会工作健康发展。", {"socialorg"}}};
  return *spec;
}

const char* DepartmentWord(absl::string_view department) {
  if (department == "assistance") return "社会救助";
  if (department == "eldercare") return "养老服务";
  if (department == "childwelfare") return "儿童福利";
  if (department == "governance") return "基层治理";
  if (department == "affairs") return "社会事务";
  if (department == "socialorg") return "社会组织";
  return "";
}

std::string ScopeWord(absl::string_view region, Scope scope) {
  if (scope == Scope::kNone) return "";
  const bool all = scope == Scope::kAll;
  if (region.size() <= 6) return all ? "全县" : "我县";
  if (region.size() <= 9) return all ? "全乡(镇)" : "本乡(镇)";
  return all ? "全村(社区)" : "本村(社区)";
}

const DepartmentPart* PartOf(const std::vector<DepartmentPart>& parts, absl::string_view dept) {
  for (const DepartmentPart& p : parts) {
    if (p.department == dept) return &p;
  }
  return nullptr;
}

bool Answered(const std::vector<DepartmentPart>& parts, absl::string_view dept) {
  const DepartmentPart* p = PartOf(parts, dept);
  return p != nullptr && p->answered;
}

bool IsHalfYear(const ReportRequest& r) {
  return r.start == absl::CivilDay(r.start.year(), 1, 1) &&
         r.end == absl::CivilDay(r.start.year(), 6, 30);
}

std::string Wan(int64_t fen) { return ReportWanYuan(Money::Fen(fen)); }

std::string MonthWords(const std::string& yyyy_mm) {
  auto month = ParseMonth(yyyy_mm);
  if (!month.ok()) return yyyy_mm;
  return absl::StrCat(month->year(), "年", month->month(), "月");
}

}  // namespace

bool AllFiguresZero(absl::string_view line) {
  bool any = false;
  size_t i = 0;
  while (i < line.size()) {
    if (!absl::ascii_isdigit(line[i])) {
      ++i;
      continue;
    }
    // One number: digits with decimal points between them (0.85万元).
    bool zero = true;
    for (; i < line.size() && (absl::ascii_isdigit(line[i]) || line[i] == '.'); ++i) {
      if (line[i] != '0' && line[i] != '.') zero = false;
    }
    // A date's year, month or day (2023年, 2022年12月) is no figure.
    const absl::string_view after = line.substr(i);
    if (absl::StartsWith(after, "年") || absl::StartsWith(after, "月") ||
        absl::StartsWith(after, "日")) {
      continue;
    }
    if (!zero) return false;
    any = true;
  }
  return any;
}

namespace {

std::string OneSection(int number, const SectionSpec& spec, const ReportRequest& request,
                       absl::string_view region, const std::vector<DepartmentPart>& parts) {
  std::string text = absl::StrCat("(", ChineseNumber(number), ")", spec.heading);
  std::map<std::string, std::set<size_t>> used;  // department → indexes of lines rendered
  // A sentence whose figures are all 0 is a programme without any caseload in the period
  // (事实无人抚养儿童保障对象0人,发放补助金额0万元) or a plan of 二 nothing has counted towards
  // yet (为全县0名低保老年人提供机构托养服务, whose progress 二 prints with its target): the seed
  // says nothing of either in 一, so neither does the report. Marked used: not said last either.
  for (const char* dept : spec.departments) {
    const DepartmentPart* part = PartOf(parts, dept);
    if (part == nullptr || !part->answered) continue;
    for (size_t i = 0; i < part->lines.size(); ++i) {
      if (AllFiguresZero(part->lines[i])) used[dept].insert(i);
    }
  }
  int n = 0;
  auto render_clause = [&](const Clause& c) -> std::string {
    const DepartmentPart* part = PartOf(parts, c.department);
    if (part == nullptr || !part->answered) return "";
    std::vector<std::string> picked;
    for (size_t i = 0; i < part->lines.size(); ++i) {
      if (used[c.department].count(i) > 0) continue;
      if (c.contains != nullptr && !absl::StrContains(part->lines[i], c.contains)) continue;
      for (const char* prefix : c.prefixes) {
        if (absl::StartsWith(part->lines[i], prefix)) {
          picked.push_back(part->lines[i]);
          used[c.department].insert(i);
          break;
        }
      }
    }
    if (picked.empty()) return "";
    return absl::StrCat(c.intro, c.as_of ? AsOfPhrase(request.end) + "," : "",
                        ScopeWord(region, c.scope), absl::StrJoin(picked, c.joiner), "。");
  };
  for (const Point& point : spec.points) {
    std::string body;
    for (const Clause& c : point.clauses) body += render_clause(c);
    if (body.empty()) continue;
    absl::StrAppend(&text, ChineseNumber(++n), "是", point.lead, body);
  }
  bool any_missing = false;
  for (const char* dept : spec.departments) {
    const DepartmentPart* part = PartOf(parts, dept);
    if (part == nullptr || !part->answered) {
      absl::StrAppend(&text, DepartmentWord(dept), "数据暂缺。");
      any_missing = true;
      continue;
    }
    // Sentences no point of the seed places: said last, never dropped.
    std::vector<std::string> rest;
    for (size_t i = 0; i < part->lines.size(); ++i) {
      if (used[dept].count(i) == 0) rest.push_back(part->lines[i]);
    }
    if (!rest.empty()) {
      absl::StrAppend(&text, ChineseNumber(++n), "是", AsOfPhrase(request.end), ",",
                      absl::StrJoin(rest, ";"), "。");
    }
  }
  if (n == 0 && !any_missing) absl::StrAppend(&text, "本期无相关数据。");
  return text;
}

const char* FlagOf(Progress p) {
  switch (p) {
    case Progress::kDone:
      return "已完成";
    case Progress::kOnTrack:
      return "按计划推进";
    case Progress::kBehind:
      return "进度滞后";
    case Progress::kOverdue:
      return "逾期未完成";
    case Progress::kDataMissing:
      return "";
  }
  return "";
}

std::vector<TargetSection> TwoSections(const std::vector<TargetProgress>& targets) {
  std::vector<TargetSection> sections;
  int number = 0;
  for (const TwoSpec& spec : PartTwo()) {
    TargetSection s;
    s.heading = absl::StrCat("(", ChineseNumber(++number), ")", spec.heading);
    int n = 0;
    for (const char* dept : spec.departments) {
      for (const TargetProgress& p : targets) {
        if (p.target.department != dept) continue;
        TargetItem item;
        item.lead =
            absl::StrCat(ChineseNumber(++n), "是", absl::StripSuffix(p.target.description, "。"));
        const std::string done = p.done.has_value() ? absl::StrCat("已完成", *p.done, p.target.unit)
                                                    : std::string("完成情况数据暂缺");
        item.facts = absl::StrCat("计划", p.target.planned, p.target.unit, ";", done, ";完成时限",
                                  ChineseDate(p.target.due), ";责任单位", p.target.owner);
        item.flag = FlagOf(p.status);
        item.alert = p.status == Progress::kBehind || p.status == Progress::kOverdue;
        s.items.push_back(std::move(item));
      }
    }
    if (s.items.empty()) s.empty_note = "暂未设定目标。";
    sections.push_back(std::move(s));
  }
  return sections;
}

}  // namespace

namespace {

absl::CivilDay LastDayOf(absl::CivilMonth month) { return absl::CivilDay(month + 1) - 1; }

// `2023-03`, `2023-Q1`, `2023-H1`, `2023`.
absl::StatusOr<Period> NamedPeriod(absl::string_view name) {
  auto bad = [] {
    return InvalidField("period",
                        "must be a month (2023-03), a quarter (2023-Q1), a half year "
                        "(2023-H1) or a year (2023)");
  };
  int year = 0;
  if (name.size() < 4 || !absl::SimpleAtoi(name.substr(0, 4), &year) || year < 1900 ||
      year > 2999) {
    return bad();
  }
  if (name.size() == 4) return Period{absl::CivilDay(year, 1, 1), absl::CivilDay(year, 12, 31)};
  if (name.size() != 7 || name[4] != '-') return bad();
  const absl::string_view rest = name.substr(5);
  int n = 0;
  if (rest[0] == 'Q' && absl::SimpleAtoi(rest.substr(1), &n) && n >= 1 && n <= 4) {
    const absl::CivilMonth first(year, 3 * n - 2);
    return Period{absl::CivilDay(first), LastDayOf(first + 2)};
  }
  if (rest[0] == 'H' && absl::SimpleAtoi(rest.substr(1), &n) && n >= 1 && n <= 2) {
    const absl::CivilMonth first(year, 6 * n - 5);
    return Period{absl::CivilDay(first), LastDayOf(first + 5)};
  }
  if (absl::ascii_isdigit(rest[0]) && absl::SimpleAtoi(rest, &n) && n >= 1 && n <= 12) {
    const absl::CivilMonth month(year, n);
    return Period{absl::CivilDay(month), LastDayOf(month)};
  }
  return bad();
}

bool StartsMonth(absl::CivilDay d) { return d.day() == 1; }
bool EndsMonth(absl::CivilDay d) { return (d + 1).day() == 1; }

}  // namespace

PeriodKind KindOf(absl::CivilDay start, absl::CivilDay end) {
  if (!StartsMonth(start) || !EndsMonth(end) || start.year() != end.year()) {
    return PeriodKind::kOther;
  }
  const int months = static_cast<int>(absl::CivilMonth(end) - absl::CivilMonth(start)) + 1;
  const int first = start.month();
  if (months == 1) return PeriodKind::kMonth;
  if (months == 3 && (first - 1) % 3 == 0) return PeriodKind::kQuarter;
  if (months == 6 && (first == 1 || first == 7)) return PeriodKind::kHalfYear;
  if (months == 12) return PeriodKind::kYear;
  return PeriodKind::kOther;
}

Comparisons ComparisonsOf(absl::CivilDay start, absl::CivilDay end) {
  auto year_before = [](absl::CivilDay d) {
    const absl::CivilDay same(d.year() - 1, d.month(), d.day());
    // CivilDay normalises 29 February of a year without one to 1 March: take 28 February.
    return same.month() == d.month() ? same : absl::CivilDay(d.year() - 1, d.month(), 28);
  };
  Comparisons c;
  c.year_ago_start = year_before(start);
  c.year_ago_end = year_before(end);
  const PeriodKind kind = KindOf(start, end);
  if (kind == PeriodKind::kOther) {
    const absl::civil_diff_t days = end - start + 1;
    c.previous_end = start - 1;
    c.previous_start = start - days;
  } else {
    const absl::civil_diff_t months = absl::CivilMonth(end) - absl::CivilMonth(start) + 1;
    const absl::CivilMonth first = absl::CivilMonth(start) - months;
    c.previous_start = absl::CivilDay(first);
    c.previous_end = LastDayOf(first + months - 1);
  }
  return c;
}

std::string ChangeWords(int64_t now, std::optional<int64_t> before) {
  if (!before.has_value() || *before == 0) return "";
  if (now == *before) return "持平";
  // Tenths of a percent, rounded half away from zero.
  const int64_t diff = now - *before;
  const int64_t base = *before < 0 ? -*before : *before;
  const int64_t magnitude = diff < 0 ? -diff : diff;
  const int64_t tenths = (magnitude * 2000 / base + 1) / 2;
  if (tenths == 0) return "持平";
  return absl::StrCat(diff > 0 ? "增长" : "下降", tenths / 10, ".", tenths % 10, "%");
}

absl::StatusOr<ReportRequest> ParseReportRequest(const ReportQuery& query) {
  Period period;
  if (!query.period.empty()) {
    if (!query.period_start.empty() || !query.period_end.empty()) {
      return InvalidField("period", "give either period or period_start and period_end");
    }
    CIVIL_ASSIGN_OR_RETURN(period, NamedPeriod(query.period));
  } else {
    CIVIL_ASSIGN_OR_RETURN(period, RequiredPeriod(query.period_start, query.period_end));
  }
  const absl::string_view format = query.format;
  const absl::CivilDay start = period.start;
  // Five calendar years: 2019-01-01 .. 2023-12-31 is allowed, 2019-01-01 .. 2024-01-01 is not.
  const absl::CivilDay limit(start.year() + 5, start.month(), start.day());
  if (period.end >= limit) {
    return InvalidField("period_end", "must be at most 5 years after period_start");
  }
  ReportRequest r{start, period.end, Format::kJson, query.compare};
  if (format == "" || format == "json") {
    r.format = Format::kJson;
  } else if (format == "md") {
    r.format = Format::kMarkdown;
  } else if (format == "html") {
    r.format = Format::kHtml;
  } else if (format == "docx") {
    r.format = Format::kDocx;
  } else {
    return InvalidField("format", "must be json, md, html or docx");
  }
  return r;
}

std::optional<int64_t> FigureValue(const std::vector<DepartmentPart>& parts,
                                   absl::string_view department, absl::string_view measure) {
  const DepartmentPart* part = PartOf(parts, department);
  if (part == nullptr || !part->answered) return std::nullopt;
  for (const Figure& f : part->figures) {
    if (f.measure == measure) return f.value;
  }
  return std::nullopt;
}

Figure CountFigure(std::string measure, std::string unit, int64_t value) {
  std::string text = unit == "fen" ? Wan(value) : absl::StrCat(value, unit);
  return Figure{std::move(measure), std::move(unit), value, std::move(text)};
}

std::vector<std::string> AffairsLines(const AffairsFigures& f) {
  std::vector<std::string> lines;
  if (f.cremations > 0 || f.fees_waived_fen > 0) {
    lines.push_back(absl::StrCat("累计火化遗体", f.cremations, "具,免除本县居民殡葬基本服务费",
                                 Wan(f.fees_waived_fen)));
  }
  if (f.cemetery_planned > 0) {
    const int64_t accepted = f.cemetery_completed - f.cemetery_awaiting_acceptance;
    std::string line = absl::StrCat("确定改扩建乡镇级公墓", f.cemetery_planned, "个,其中");
    if (accepted > 0) absl::StrAppend(&line, "已完工验收", accepted, "个,");
    absl::StrAppend(&line, "已完工待验收", f.cemetery_awaiting_acceptance, "个");
    lines.push_back(std::move(line));
  }
  if (f.care_persons > 0 || f.care_paid_fen > 0) {
    lines.push_back(absl::StrCat("享有重度残疾人护理补贴发放", f.care_persons, "人,累计发放资金",
                                 Wan(f.care_paid_fen)));
  }
  if (f.living_persons > 0 || f.living_paid_fen > 0) {
    lines.push_back(absl::StrCat("困难残疾人生活补贴发放", f.living_persons, "人,累计发放资金",
                                 Wan(f.living_paid_fen)));
  }
  if (f.care_pilots > 0) {
    lines.push_back(absl::StrCat("贫困重度残疾人照护服务项目", f.care_pilots, "个,已完工验收",
                                 f.care_pilots_accepted, "个"));
  }
  if (f.rehab_pilots > 0) {
    lines.push_back(absl::StrCat("精神障碍患者社区康复试点", f.rehab_pilots, "个,已完工验收",
                                 f.rehab_pilots_accepted, "个"));
  }
  if (f.marriages > 0 || f.divorce_applications > 0 || f.divorces_completed > 0) {
    lines.push_back(absl::StrCat("共办理结婚", f.marriages, "对,离婚申请", f.divorce_applications,
                                 "对,离婚办结", f.divorces_completed, "对"));
  }
  if (f.archive_files > 0) {
    const std::string range = f.archive_from.empty() ? ""
                                                     : absl::StrCat(MonthWords(f.archive_from),
                                                                    "至", MonthWords(f.archive_to));
    lines.push_back(absl::StrCat("完成", range, "共计", f.archive_files,
                                 "份婚姻档案数字电子化整理、扫描、入馆等工作"));
  }
  if (f.relief_cases > 0 || f.relief_fen > 0) {
    lines.push_back(
        absl::StrCat("实施流浪乞讨救助", f.relief_cases, "人次,使用资金", Wan(f.relief_fen)));
  }
  return lines;
}

std::vector<Figure> AffairsFigureList(const AffairsFigures& f) {
  return {
      CountFigure("cremations", "具", f.cremations),
      CountFigure("funeral_fees_waived", "fen", f.fees_waived_fen),
      CountFigure("cemetery_projects.planned", "个", f.cemetery_planned),
      CountFigure("cemetery_projects.completed", "个", f.cemetery_completed),
      CountFigure("cemetery_projects.awaiting_acceptance", "个", f.cemetery_awaiting_acceptance),
      CountFigure("disability_care_subsidy.persons", "人", f.care_persons),
      CountFigure("disability_care_subsidy.paid", "fen", f.care_paid_fen),
      CountFigure("disability_living_subsidy.persons", "人", f.living_persons),
      CountFigure("disability_living_subsidy.paid", "fen", f.living_paid_fen),
      CountFigure("care_service_pilots.projects", "个", f.care_pilots),
      CountFigure("care_service_pilots.accepted", "个", f.care_pilots_accepted),
      CountFigure("mental_health_rehab_pilots.projects", "个", f.rehab_pilots),
      CountFigure("mental_health_rehab_pilots.accepted", "个", f.rehab_pilots_accepted),
      CountFigure("marriages_registered", "对", f.marriages),
      CountFigure("divorce_applications", "对", f.divorce_applications),
      CountFigure("divorces_completed", "对", f.divorces_completed),
      CountFigure("marriage_archive_files_digitised", "份", f.archive_files),
      CountFigure("vagrant_relief.cases", "人次", f.relief_cases),
      CountFigure("vagrant_relief.money", "fen", f.relief_fen)};
}

namespace {

// The headline figures the comparisons appendix prints, in the order of the report.
struct Headline {
  const char* department;
  const char* measure;
  const char* label;
};
constexpr Headline kHeadlines[] = {
    {"assistance", "dibao.rural.persons", "农村低保对象"},
    {"assistance", "dibao.rural.paid", "农村低保资金"},
    {"assistance", "dibao.urban.persons", "城市低保对象"},
    {"assistance", "dibao.urban.paid", "城市低保资金"},
    {"assistance", "tekun.rural.persons", "农村特困供养人员"},
    {"assistance", "tekun.rural.paid", "农村特困供养资金"},
    {"assistance", "temporary_relief.cases", "临时救助"},
    {"assistance", "temporary_relief.paid", "临时救助资金"},
    {"eldercare", "old_age_allowance.persons", "享受高龄津贴"},
    {"eldercare", "old_age_allowance.paid", "高龄津贴资金"},
    {"childwelfare", "orphan_allowance.persons", "孤儿"},
    {"childwelfare", "orphan_allowance.paid", "孤儿基本生活费"},
    {"affairs", "cremations", "火化遗体"},
    {"affairs", "disability_care_subsidy.paid", "重度残疾人护理补贴资金"},
    {"affairs", "disability_living_subsidy.paid", "困难残疾人生活补贴资金"},
    {"affairs", "marriages_registered", "结婚登记"},
    {"affairs", "divorces_completed", "离婚办结"},
    {"affairs", "vagrant_relief.cases", "救助流浪乞讨人员"},
    {"socialorg", "newly_registered", "新登记社会组织"},
};

const Figure* FindFigure(const std::vector<DepartmentPart>& parts, absl::string_view department,
                         absl::string_view measure) {
  const DepartmentPart* part = PartOf(parts, department);
  if (part == nullptr || !part->answered) return nullptr;
  for (const Figure& f : part->figures) {
    if (f.measure == measure) return &f;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> ComparisonLines(const std::vector<DepartmentPart>& parts,
                                         const std::vector<DepartmentPart>& previous,
                                         const std::vector<DepartmentPart>& year_ago) {
  std::vector<std::string> lines;
  for (const Headline& h : kHeadlines) {
    const Figure* now = FindFigure(parts, h.department, h.measure);
    if (now == nullptr) continue;
    const std::string ring =
        ChangeWords(now->value, FigureValue(previous, h.department, h.measure));
    const std::string year =
        ChangeWords(now->value, FigureValue(year_ago, h.department, h.measure));
    if (ring.empty() && year.empty()) continue;
    std::string line = absl::StrCat(h.label, now->text);
    if (!ring.empty()) absl::StrAppend(&line, ",环比", ring);
    if (!year.empty()) absl::StrAppend(&line, ",同比", year);
    lines.push_back(line + "。");
  }
  return lines;
}

Document BuildDocument(const ReportRequest& request, absl::string_view region_prefix,
                       const std::vector<DepartmentPart>& parts,
                       const std::vector<TargetProgress>& targets, absl::string_view bureau,
                       absl::CivilDay today, const std::vector<DepartmentPart>& previous,
                       const std::vector<DepartmentPart>& year_ago) {
  Document doc;
  std::string summary, plans;
  const int year = static_cast<int>(request.start.year());
  switch (KindOf(request.start, request.end)) {
    case PeriodKind::kMonth:
      summary = absl::StrCat(year, "年", request.start.month(), "月工作总结");
      plans = "下月工作安排";
      break;
    case PeriodKind::kQuarter:
      summary = absl::StrCat(year, "年第", ChineseNumber((request.start.month() + 2) / 3),
                             "季度工作总结");
      plans = "下季度工作安排";
      break;
    case PeriodKind::kHalfYear:
      if (IsHalfYear(request)) {
        summary = absl::StrCat(year, "年上半年工作总结");
        plans = "下半年工作安排";
      } else {
        summary = absl::StrCat(year, "年下半年工作总结");
        plans = absl::StrCat(year + 1, "年工作安排");
      }
      break;
    case PeriodKind::kYear:
      summary = absl::StrCat(year, "年工作总结");
      plans = absl::StrCat(year + 1, "年工作安排");
      break;
    case PeriodKind::kOther:
      summary =
          absl::StrCat(ChineseDate(request.start), "至", ChineseDate(request.end), "工作总结");
      plans = "工作安排";
      break;
  }
  doc.title = absl::StrCat(summary, "和", plans);
  doc.intro = absl::StrCat("根据通知要求,结合我局工作实际,现将", doc.title, "报告如下:");
  doc.part_one = absl::StrCat("一、", summary);
  int number = 0;
  for (const SectionSpec& spec : PartOne()) {
    doc.one_sections.push_back(OneSection(++number, spec, request, region_prefix, parts));
  }
  doc.part_two = absl::StrCat("二、", plans);
  doc.two_sections = TwoSections(targets);
  for (const char* dept : kDepartments) {
    if (!Answered(parts, dept)) doc.missing.push_back(dept);
  }
  if (request.compare) {
    doc.comparisons_heading = "附:主要数据环比、同比";
    doc.comparisons = ComparisonLines(parts, previous, year_ago);
  }
  doc.bureau = std::string(bureau);
  doc.date = ChineseDate(today);
  return doc;
}

std::string ChineseDate(absl::CivilDay day) {
  return absl::StrCat(day.year(), "年", day.month(), "月", day.day(), "日");
}

std::string AsOfPhrase(absl::CivilDay day) {
  if ((day + 1).month() != day.month()) return absl::StrCat("截至", day.month(), "月底");
  return absl::StrCat("截至", day.month(), "月", day.day(), "日");
}

std::string ChineseNumber(int n) {
  static const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n <= 0 || n >= 100) return absl::StrCat(n);
  if (n < 10) return kDigits[n];
  const int tens = n / 10, ones = n % 10;
  return absl::StrCat(tens == 1 ? "" : kDigits[tens], "十", ones == 0 ? "" : kDigits[ones]);
}

}  // namespace civil::report
