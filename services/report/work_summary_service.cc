#include "services/report/work_summary_service.h"

#include <future>
#include <optional>
#include <utility>

#include "services/common/errors.h"
#include "services/common/values.h"
#include "services/report/docx.h"
#include "services/report/render.h"

namespace civil::report {

constexpr absl::string_view kService = "civil.report.v1.WorkSummaryService";

namespace {

v1::TargetStatus StatusOf(Progress p) {
  switch (p) {
    case Progress::kDone:
      return v1::TARGET_STATUS_DONE;
    case Progress::kOnTrack:
      return v1::TARGET_STATUS_ON_TRACK;
    case Progress::kBehind:
      return v1::TARGET_STATUS_BEHIND;
    case Progress::kOverdue:
      return v1::TARGET_STATUS_OVERDUE;
    case Progress::kDataMissing:
      return v1::TARGET_STATUS_DATA_MISSING;
  }
  return v1::TARGET_STATUS_UNSPECIFIED;
}

}  // namespace

void ToProto(const Target& t, v1::Target* out) {
  out->set_target_id(t.target_id);
  out->set_department(t.department);
  out->set_measure(t.measure);
  out->set_description(t.description);
  out->set_unit(t.unit);
  out->set_planned(t.planned);
  out->set_due_date(FormatDay(t.due));
  out->set_owner(t.owner);
  out->set_region_prefix(t.region_prefix);
}

WorkSummaryServiceImpl::WorkSummaryServiceImpl(SummarySources* sources, TargetStore* targets,
                                               std::string bureau, Clock today)
    : sources_(sources), targets_(targets), bureau_(std::move(bureau)), today_(std::move(today)) {}

grpc::Status WorkSummaryServiceImpl::GetWorkSummary(grpc::ServerContext* context,
                                                    const v1::GetWorkSummaryRequest* request,
                                                    v1::GetWorkSummaryResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetWorkSummary"));
    CIVIL_ASSIGN_OR_RETURN(const ReportRequest report,
                           ParseReportRequest({.period = request->period(),
                                               .period_start = request->period_start(),
                                               .period_end = request->period_end(),
                                               .format = request->format(),
                                               .compare = request->compare()}));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    const std::string start = FormatDay(report.start), end = FormatDay(report.end);
    // The report's own token (role `system`, region `*`) carries the caller's scope as the
    // request's region prefix, checked above. The compared periods are collected alongside.
    std::future<std::vector<DepartmentPart>> previous_parts, year_ago_parts;
    const Comparisons compared = ComparisonsOf(report.start, report.end);
    if (report.compare) {
      previous_parts = std::async(std::launch::async, [&] {
        return sources_->Collect(FormatDay(compared.previous_start),
                                 FormatDay(compared.previous_end), prefix);
      });
      year_ago_parts = std::async(std::launch::async, [&] {
        return sources_->Collect(FormatDay(compared.year_ago_start),
                                 FormatDay(compared.year_ago_end), prefix);
      });
    }
    const std::vector<DepartmentPart> parts = sources_->Collect(start, end, prefix);
    const std::vector<DepartmentPart> previous =
        report.compare ? previous_parts.get() : std::vector<DepartmentPart>{};
    const std::vector<DepartmentPart> year_ago =
        report.compare ? year_ago_parts.get() : std::vector<DepartmentPart>{};
    // Targets of the period's year still due after it started: those 二 reports on.
    CIVIL_ASSIGN_OR_RETURN(
        const std::vector<Target> targets,
        targets_->DueBetween(prefix,
                             std::max(report.start, absl::CivilDay(report.end.year(), 1, 1)),
                             absl::CivilDay(report.end.year(), 12, 31)));
    std::vector<TargetProgress> progress;
    for (const Target& t : targets) {
      progress.push_back(ProgressOf(t, FigureValue(parts, t.department, t.measure), report.end));
    }

    response->set_period_start(start);
    response->set_period_end(end);
    response->set_region_prefix(prefix);
    response->set_format(request->format().empty() ? "json" : request->format());
    if (report.compare) {
      response->set_previous_start(FormatDay(compared.previous_start));
      response->set_previous_end(FormatDay(compared.previous_end));
      response->set_year_ago_start(FormatDay(compared.year_ago_start));
      response->set_year_ago_end(FormatDay(compared.year_ago_end));
    }
    for (const DepartmentPart& part : parts) {
      v1::DepartmentAnswer* answer = response->add_departments();
      answer->set_department(part.department);
      answer->set_answered(part.answered);
      answer->set_error(part.error);
      if (!part.answered) response->add_missing_departments(part.department);
      for (const Figure& f : part.figures) {
        v1::Figure* out = response->add_figures();
        out->set_department(part.department);
        out->set_measure(f.measure);
        out->set_unit(f.unit);
        out->set_value(f.value);
        out->set_text(f.text);
        if (const std::optional<int64_t> v = FigureValue(previous, part.department, f.measure)) {
          out->set_previous_value(*v);
          out->set_has_previous(true);
        }
        if (const std::optional<int64_t> v = FigureValue(year_ago, part.department, f.measure)) {
          out->set_year_ago_value(*v);
          out->set_has_year_ago(true);
        }
      }
    }
    for (const TargetProgress& p : progress) {
      v1::TargetProgress* out = response->add_targets();
      ToProto(p.target, out->mutable_target());
      out->set_status(StatusOf(p.status));
      out->set_counted(p.done.has_value());
      out->set_done(p.done.value_or(0));
    }
    if (report.format != Format::kJson) {
      const Document doc =
          BuildDocument(report, prefix, parts, progress, bureau_, today_(), previous, year_ago);
      if (report.format == Format::kMarkdown) {
        response->set_document(RenderMarkdown(doc));
        response->set_content_type("text/markdown; charset=utf-8");
      } else if (report.format == Format::kDocx) {
        CIVIL_ASSIGN_OR_RETURN(std::string docx,
                               MarkdownToDocx(RenderMarkdown(doc), std::chrono::seconds(20)));
        response->set_document_file(std::move(docx));
        response->set_content_type(kDocxContentType);
      } else {
        response->set_document(RenderHtml(doc));
        response->set_content_type("text/html; charset=utf-8");
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::report
