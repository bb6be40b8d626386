// The work summary's rules and words (pure): which periods and formats a request may ask for,
// the figures and sentences each department contributed, the affairs sentences the report writes
// from affairs's figures, and the document — 一、with the seed's sections (一)…(五) and their
// numbered points, 二、the targets with planned / done / due — ready for render.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/report/target.h"

namespace civil::report {

enum class Format { kJson, kMarkdown, kHtml, kDocx };

struct ReportRequest {
  absl::CivilDay start, end;
  Format format = Format::kJson;
  bool compare = false;  // with the previous period and the same period a year before
};

// What a request may say of its period and form.
struct ReportQuery {
  absl::string_view period;  // `2023-03`, `2023-Q1`, `2023-H1`, `2023`; or empty
  absl::string_view period_start, period_end;
  absl::string_view format;
  bool compare = false;
};

// The period and format of a request. The period is either named (`period`: a month `2023-03`, a
// quarter `2023-Q2`, a half year `2023-H1` or a year `2023`) or given by its days. INVALID_ARGUMENT
// naming `period` (malformed, or given together with days), `period_start` / `period_end`
// (missing, malformed, end before start, "period_end: must be at most 5 years after
// period_start") or `format` ("must be json, md, html or docx"; empty = json).
absl::StatusOr<ReportRequest> ParseReportRequest(const ReportQuery& query);

// Which kind of period [start, end] is: the report's title and its comparisons follow it.
enum class PeriodKind { kMonth, kQuarter, kHalfYear, kYear, kOther };
PeriodKind KindOf(absl::CivilDay start, absl::CivilDay end);

// The periods a report compares with (环比 and 同比): the previous period of the same kind (the
// month, quarter, half year or year before; for any other span, as many days ending the day
// before `start`), and the same days a year before (29 February as 28 February).
struct Comparisons {
  absl::CivilDay previous_start, previous_end;
  absl::CivilDay year_ago_start, year_ago_end;
};
Comparisons ComparisonsOf(absl::CivilDay start, absl::CivilDay end);

// A change as the bureau writes it: "增长12.5%", "下降3.0%", "持平"; "" when there is nothing to
// compare with (no value before, or 0 before).
std::string ChangeWords(int64_t now, std::optional<int64_t> before);

// One figure a department counted. Money is in fen (unit "fen").
struct Figure {
  std::string measure;
  std::string unit;
  int64_t value = 0;
  std::string text;  // as printed: "9847户", "3808万元"
};

// What one department contributed: its figures and its own sentences ("农村低保对象9847户15044
// 人,发放资金3808万元"), or nothing when it did not answer.
struct DepartmentPart {
  std::string department;
  bool answered = false;
  std::string error;  // why not, when !answered
  std::vector<Figure> figures;
  std::vector<std::string> lines;
};

// The value of `measure` among the answered parts of `department`, or nullopt.
std::optional<int64_t> FigureValue(const std::vector<DepartmentPart>& parts,
                                   absl::string_view department, absl::string_view measure);

// A figure with its printed text: "<value><unit>" for counts, ReportWanYuan for unit "fen".
Figure CountFigure(std::string measure, std::string unit, int64_t value);

// The social affairs figures (affairs's GetSummary gives figures, no sentences).
struct AffairsFigures {
  int64_t cremations = 0, fees_waived_fen = 0;
  int64_t cemetery_planned = 0, cemetery_completed = 0, cemetery_awaiting_acceptance = 0;
  int64_t care_persons = 0, care_paid_fen = 0;  // 重度残疾人护理补贴, persons paid in period
  int64_t living_persons = 0, living_paid_fen = 0;  // 困难残疾人生活补贴
  int64_t care_pilots = 0, care_pilots_accepted = 0;
  int64_t rehab_pilots = 0, rehab_pilots_accepted = 0;
  int64_t marriages = 0, divorce_applications = 0, divorces_completed = 0;
  int64_t archive_files = 0;
  std::string archive_from, archive_to;  // YYYY-MM, empty when none
  int64_t relief_cases = 0, relief_fen = 0;
};

// The seed's sentences for these figures, e.g. "累计火化遗体2516具,免除本县居民殡葬基本服务费253
// 万元", "共办理结婚1615对,离婚申请768对,离婚办结428对"; a sentence whose figures are all 0 is
// left out.
std::vector<std::string> AffairsLines(const AffairsFigures& f);
// The JSON figures of the same.
std::vector<Figure> AffairsFigureList(const AffairsFigures& f);

// Whether every figure (run of digits, 0.85 included; a date's 2023年, 12月 is none) of a
// department's sentence is 0 — false for a sentence without figures. Such a sentence is not said in
// 一: a programme with no caseload in the period (事实无人抚养儿童保障对象0人,发放补助金额0万元) or
// a plan of 二 nothing has counted towards yet (为全县0名低保老年人提供机构托养服务) — the seed
// says neither.
bool AllFiguresZero(absl::string_view line);

// One target in 二: "一是完成22个村(居)级养老服务站建设任务" + "(计划22个;已完成12个;…" +
// the flag ("进度滞后", emphasised by the renderer) + ")。".
struct TargetItem {
  std::string lead;
  std::string facts;
  std::string flag;  // 已完成 / 按计划推进 / 进度滞后 / 逾期未完成 / empty for 数据暂缺
  bool alert = false;  // behind or overdue
};
struct TargetSection {
  std::string heading;  // (一)进一步做好高水平民生兜底保障。
  std::vector<TargetItem> items;
  std::string empty_note;  // when there are no items
};

// The document, before rendering.
struct Document {
  std::string title;                      // 2023年上半年工作总结和下半年工作安排
  std::string intro;                      // 根据通知要求,…
  std::string part_one;                   // 一、2023年上半年工作总结
  std::vector<std::string> one_sections;  // "(一)社会救助体系不断健全,…。一是…。"
  std::string part_two;                   // 二、下半年工作安排
  std::vector<TargetSection> two_sections;
  // 附:主要数据环比、同比 — "农村低保发放资金3808万元,环比增长1.2%,同比下降0.8%" for each headline
  // figure that both periods have (requests with compare only).
  std::string comparisons_heading;
  std::vector<std::string> comparisons;
  std::vector<std::string> missing;  // departments that did not answer
  std::string bureau;                // 枞阳县民政局
  std::string date;                  // 2023年7月10日
};

// The work summary of `request`'s period for `region_prefix` ("" or 6 digits: 全县) from the
// departments' `parts` (every department of kDepartments should have one; a missing or
// unanswered one is 数据暂缺 in its section) and the targets' progress, signed by `bureau` on
// `today`.
// The appendix lines of the headline figures (农村低保对象, 高龄津贴资金, 火化遗体, …) that `parts`
// has and that `previous` or `year_ago` (the Comparisons periods' parts) let compare, e.g.
// "农村低保对象15044人,环比增长1.2%,同比下降0.8%。".
std::vector<std::string> ComparisonLines(const std::vector<DepartmentPart>& parts,
                                         const std::vector<DepartmentPart>& previous,
                                         const std::vector<DepartmentPart>& year_ago);

// `previous` and `year_ago` are the parts of the Comparisons periods (empty without compare).
Document BuildDocument(const ReportRequest& request, absl::string_view region_prefix,
                       const std::vector<DepartmentPart>& parts,
                       const std::vector<TargetProgress>& targets, absl::string_view bureau,
                       absl::CivilDay today, const std::vector<DepartmentPart>& previous = {},
                       const std::vector<DepartmentPart>& year_ago = {});

// "2023年7月10日".
std::string ChineseDate(absl::CivilDay day);
// "截至6月底" (the last day of a month) or "截至6月15日".
std::string AsOfPhrase(absl::CivilDay day);
// 一, 二, … 九十九 (1..99).
std::string ChineseNumber(int n);

}  // namespace civil::report
