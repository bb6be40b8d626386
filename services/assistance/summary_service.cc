#include "services/assistance/summary_service.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/assistance/benefit.h"
#include "services/assistance/relief_figures_service.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/money.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

constexpr absl::string_view kService = "civil.assistance.v1.SummaryService";

std::vector<std::string> SummaryLines(const std::vector<v1::ProgrammeFigures>& figures) {
  auto find = [&](v1::Programme p, civil::common::v1::Area a) -> const v1::ProgrammeFigures* {
    for (const auto& f : figures) {
      if (f.programme() == p && f.area() == a) return &f;
    }
    return nullptr;
  };
  auto wan = [](int64_t fen) { return ReportWanYuan(Money::Fen(fen)); };
  std::vector<std::string> lines;
  using civil::common::v1::AREA_RURAL;
  using civil::common::v1::AREA_URBAN;
  const std::pair<civil::common::v1::Area, const char*> areas[] = {{AREA_RURAL, "农村"},
                                                                   {AREA_URBAN, "城市"}};
  for (const auto& [area, word] : areas) {
    if (const auto* f = find(v1::PROGRAMME_DIBAO, area)) {
      lines.push_back(absl::StrCat(word, "低保对象", f->households(), "户", f->persons(),
                                   "人,发放资金", wan(f->paid_fen())));
    }
  }
  for (const auto& [area, word] : areas) {
    if (const auto* f = find(v1::PROGRAMME_TEKUN, area)) {
      lines.push_back(
          absl::StrCat(word, "特困人员", f->persons(), "人,发放资金", wan(f->paid_fen())));
    }
  }
  const std::pair<v1::Programme, const char*> subsidies[] = {
      {v1::PROGRAMME_RETIRED_WORKER_SUBSIDY, "退职老职工"},
      {v1::PROGRAMME_SHANGHAI_RESETTLED_SUBSIDY, "上海下放居民"},
      {v1::PROGRAMME_LEPROSY_SUBSIDY, "麻风病人"}};
  for (const auto& [programme, word] : subsidies) {
    int64_t persons = 0, paid = 0;
    bool any = false;
    for (const auto& f : figures) {
      if (f.programme() != programme) continue;
      any = true;
      persons += f.persons();
      paid += f.paid_fen();
    }
    if (any) lines.push_back(absl::StrCat(word, persons, "人,发放资金", wan(paid)));
  }
  int64_t exit_h = 0, exit_p = 0;
  std::map<int, std::pair<int64_t, int64_t>> by_reason;
  bool any_exit = false;
  for (const auto& f : figures) {
    if (f.programme() != v1::PROGRAMME_DIBAO) continue;
    any_exit = any_exit || f.exit_persons() > 0;
    exit_h += f.exit_households();
    exit_p += f.exit_persons();
    for (const auto& r : f.exits_by_reason()) {
      by_reason[r.reason()].first += r.households();
      by_reason[r.reason()].second += r.persons();
    }
  }
  if (any_exit) {
    lines.push_back(absl::StrCat(
        "退出低保保障", exit_h, "户", exit_p, "人(其中死亡退出",
        by_reason[v1::EXIT_REASON_DEATH].first, "户", by_reason[v1::EXIT_REASON_DEATH].second,
        "人,家庭经济状况等不符退出", by_reason[v1::EXIT_REASON_INELIGIBLE_INCOME].first, "户",
        by_reason[v1::EXIT_REASON_INELIGIBLE_INCOME].second, "人)"));
  }
  int64_t mh = 0, mp = 0, xh = 0, xp = 0;
  bool monitored = false;
  for (const auto& f : figures) {
    if (f.programme() == v1::PROGRAMME_MARGINAL) {
      mh += f.households();
      mp += f.persons();
      monitored = true;
    } else if (f.programme() == v1::PROGRAMME_EXPENDITURE_HARDSHIP) {
      xh += f.households();
      xp += f.persons();
      monitored = true;
    }
  }
  if (monitored) {
    lines.push_back(absl::StrCat("纳入城乡低保边缘家庭", mh, "户", mp, "人,支出型困难家庭", xh,
                                 "户", xp, "人"));
  }
  return lines;
}

grpc::Status SummaryServiceImpl::GetSummary(grpc::ServerContext* context,
                                            const v1::GetSummaryRequest* request,
                                            v1::GetSummaryResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetSummary"));
    absl::StatusOr<absl::CivilDay> start = ParseDay(request->period_start());
    if (!start.ok()) return InvalidField("period_start", start.status().message());
    absl::StatusOr<absl::CivilDay> end = ParseDay(request->period_end());
    if (!end.ok()) return InvalidField("period_end", end.status().message());
    if (*end < *start) {
      return InvalidField("period_end", "must not be before period_start");
    }
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(auto figures, store_->Figures(prefix, *start, *end));
    response->set_period_start(FormatDay(*start));
    response->set_period_end(FormatDay(*end));
    response->set_region_prefix(prefix);
    std::vector<std::string> relief_lines;
    if (relief_ != nullptr) {
      CIVIL_ASSIGN_OR_RETURN(auto relief, relief_->Figures(prefix, *start, *end));
      relief_lines = ReliefSummaryLines(relief);
      *response->mutable_relief() = std::move(relief);
    }
    for (const std::string& line : MergeSummaryLines(SummaryLines(figures), relief_lines)) {
      response->add_lines(line);
    }
    for (auto& f : figures) *response->add_programmes() = std::move(f);
    if (grievances_ != nullptr) {
      CIVIL_ASSIGN_OR_RETURN(auto grievances, grievances_->Figures(prefix, *start, *end));
      *response->mutable_grievances() = std::move(grievances);
    }
    return absl::OkStatus();
  });
}

std::vector<std::string> MergeSummaryLines(const std::vector<std::string>& programme_lines,
                                           const std::vector<std::string>& relief_lines) {
  auto starts = [](const std::string& line, absl::string_view prefix) {
    return absl::StartsWith(line, prefix);
  };
  std::vector<std::string> head, exits, monitored, relief_cases, rectification, outreach;
  for (const auto& line : programme_lines) {
    if (starts(line, "退出低保")) {
      exits.push_back(line);
    } else if (starts(line, "纳入城乡低保边缘")) {
      monitored.push_back(line);
    } else {
      head.push_back(line);
    }
  }
  for (const auto& line : relief_lines) {
    if (starts(line, "临时救助") || absl::StrContains(line, "互助社")) {
      relief_cases.push_back(line);
    } else if (starts(line, "排查")) {
      rectification.push_back(line);
    } else {
      outreach.push_back(line);
    }
  }
  std::vector<std::string> out;
  for (const auto* part : {&head, &relief_cases, &exits, &rectification, &monitored, &outreach}) {
    out.insert(out.end(), part->begin(), part->end());
  }
  return out;
}

}  // namespace civil::assistance
