#include "services/assistance/summary_store.h"

#include <map>
#include <utility>

#include "services/assistance/programme_store_util.h"
#include "services/common/id_number.h"

namespace civil::assistance {

SummaryStore::SummaryStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare(
      "summary_figures_select_caseload_changes",
      "SELECT programme, area, coalesce(sum(households) FILTER (WHERE month <= $3::date), "
      "0)::bigint, coalesce(sum(persons) FILTER (WHERE month <= $3::date), 0)::bigint, "
      "coalesce(sum(enrolments_started) FILTER (WHERE month >= $2::date), 0)::bigint FROM "
      "caseload_changes WHERE region_code LIKE $1 || '%' AND month <= $3::date GROUP BY 1, "
      "2");
  pool_->Prepare("summary_figures_select_payment_totals",
                 "SELECT programme, area, sum(amount_fen)::bigint FROM payment_totals WHERE "
                 "region_code LIKE $1 || '%' AND month BETWEEN $2::date AND $3::date GROUP BY 1, 2 "
                 "HAVING sum(payments) > 0");
  pool_->Prepare(
      "summary_figures_select_enrolments",
      "SELECT e.programme, e.area, m.exit_reason, count(DISTINCT e.household_id), "
      "count(DISTINCT m.id_index), grouping(m.exit_reason) FROM enrolments e JOIN "
      "enrolment_members m USING "
      "(enrolment_id) WHERE e.region_code LIKE $1 || '%' AND m.exited_on BETWEEN $2::date "
      "AND $3::date GROUP BY GROUPING SETS ((1, 2), (1, 2, 3)) ORDER BY 6 DESC, 3");
}

absl::StatusOr<std::vector<v1::ProgrammeFigures>> SummaryStore::Figures(
    const std::string& region_prefix, absl::CivilDay start, absl::CivilDay end) {
  std::map<std::pair<std::string, std::string>, v1::ProgrammeFigures> figures;
  auto at = [&](const pqxx::row& r) -> v1::ProgrammeFigures& {
    auto key = std::make_pair(r[0].as<std::string>(), r[1].as<std::string>());
    v1::ProgrammeFigures& f = figures[key];
    f.set_programme(ProgrammeEnum(key.first));
    f.set_area(AreaEnum(key.second));
    return f;
  };
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    const std::string first_month = MonthDay(absl::CivilMonth(start));
    const std::string last_month = MonthDay(absl::CivilMonth(end));
    // From the caseload roll-up: households and persons active on the period's last day (the
    // changes of every month up to its month), enrolments that started in the period's months.
    // A programme and area gets figures only where they are not zero, as when they were counted
    // from the rows themselves.
    for (const auto& r : txn.exec_prepared("summary_figures_select_caseload_changes", region_prefix,
                                           first_month, last_month)) {
      const int64_t persons = r[3].as<int64_t>();
      const int64_t started = r[4].as<int64_t>();
      if (persons > 0) {
        auto& f = at(r);
        f.set_households(r[2].as<int64_t>());
        f.set_persons(persons);
      }
      if (started > 0) at(r).set_new_enrolments(started);
    }
    // From the payment roll-up: money paid for the period's months.
    for (const auto& r : txn.exec_prepared("summary_figures_select_payment_totals", region_prefix,
                                           first_month, last_month)) {
      at(r).set_paid_fen(r[2].as<int64_t>());
    }
    // Exits on the period's days (index enrolment_members_exited): a household counts once in
    // the total (grouping(exit_reason) = 1) and once per reason any member left for, reasons in
    // name order; a person once. Households and persons, not enrolments: one that leaves,
    // re-enrols and leaves again in the period is one household (the seed counts 户 and 人).
    for (const auto& r : txn.exec_prepared("summary_figures_select_enrolments", region_prefix,
                                           FormatDay(start), FormatDay(end))) {
      auto& f = at(r);
      if (r[5].as<int>() == 1) {
        f.set_exit_households(r[3].as<int64_t>());
        f.set_exit_persons(r[4].as<int64_t>());
      } else {
        auto* x = f.add_exits_by_reason();
        x->set_reason(ExitEnum(r[2].as<std::string>()));
        x->set_households(r[3].as<int64_t>());
        x->set_persons(r[4].as<int64_t>());
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  std::vector<v1::ProgrammeFigures> out;
  for (auto& [key, f] : figures) out.push_back(std::move(f));
  return out;
}

}  // namespace civil::assistance
