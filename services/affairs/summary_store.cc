#include "services/affairs/summary_store.h"

#include "services/affairs/marriage.h"
#include "services/common/id_number.h"

namespace civil::affairs {

SummaryStore::SummaryStore(PgPool* pool) : pool_(pool) {
  // $1 start, $2 end, $3 as_of, $4 region prefix.
  // Each statement numbers only the parameters it uses (PostgreSQL must infer every type).
  // $1 start, $2 end, $3 region prefix.
  pool_->Prepare("summary_funeral",
                 "SELECT (SELECT count(*) FROM cremations WHERE cremated_on BETWEEN $1::date AND "
                 "$2::date AND region_code LIKE $3 || '%'), "
                 "(SELECT coalesce(sum(waived_fen), 0) FROM cremations WHERE cremated_on BETWEEN "
                 "$1::date AND $2::date AND region_code LIKE $3 || '%'), "
                 "(SELECT count(*) FROM vehicle_cases WHERE occurred_on BETWEEN $1::date AND "
                 "$2::date AND region_code LIKE $3 || '%')");
  // $1 start, $2 end, $3 as_of, $4 region prefix.
  // Cemetery projects planned for the period's years; pilots of any year.
  pool_->Prepare("summary_projects",
                 "SELECT kind, count(*), count(*) FILTER (WHERE completed_on <= $3::date), "
                 "count(*) FILTER (WHERE accepted_on <= $3::date) FROM projects WHERE "
                 "region_code LIKE $4 || '%' AND (kind <> 'CEMETERY' OR target_year BETWEEN "
                 "extract(year from $1::date) AND extract(year from $2::date)) GROUP BY kind");
  // Payments for months in the period; active in the month of as_of.
  pool_->Prepare("summary_subsidies",
                 "SELECT k.kind, (SELECT count(DISTINCT person_id) FROM subsidy_payments WHERE "
                 "kind = k.kind AND month BETWEEN date_trunc('month', $1::date) AND $2::date AND "
                 "region_code LIKE $4 || '%'), (SELECT coalesce(sum(amount_fen), 0) FROM "
                 "subsidy_payments WHERE kind = k.kind AND month BETWEEN date_trunc('month', "
                 "$1::date) AND $2::date AND region_code LIKE $4 || '%'), (SELECT count(*) FROM "
                 "subsidies WHERE kind = k.kind AND status IN ('ACTIVE', 'STOPPED') AND "
                 "start_month <= $3::date AND (end_month IS NULL OR end_month > $3::date) AND "
                 "region_code LIKE $4 || '%') FROM (VALUES ('LIVING'), ('CARE')) AS k(kind)");
  // An open application lapses the day after its window's end (kept with the row).
  pool_->Prepare("summary_marriage",
                 "SELECT (SELECT count(*) FROM marriages WHERE registered_on BETWEEN $1::date AND "
                 "$2::date AND region_code LIKE $4 || '%'), "
                 "(SELECT count(*) FROM divorce_applications WHERE applied_on BETWEEN $1::date "
                 "AND $2::date AND region_code LIKE $4 || '%'), "
                 "(SELECT count(*) FROM divorce_applications WHERE completed_on BETWEEN $1::date "
                 "AND $2::date AND region_code LIKE $4 || '%'), "
                 "(SELECT count(*) FROM divorce_applications WHERE withdrawn_on BETWEEN $1::date "
                 "AND $2::date AND region_code LIKE $4 || '%'), "
                 "(SELECT count(*) FROM divorce_applications WHERE state IN ('PENDING', "
                 "'WITHDRAWN_BY_LAW') AND window_end + 1 BETWEEN $1::date AND "
                 "$3::date AND region_code LIKE $4 || '%')");
  // $1 as_of, $2 region prefix.
  pool_->Prepare("summary_archive",
                 "SELECT coalesce(sum(p.files), 0), to_char(min(b.covers_from), 'YYYY-MM'), "
                 "to_char(max(b.covers_to), 'YYYY-MM') FROM archive_progress p JOIN "
                 "archive_batches b USING (batch_id) WHERE p.stage = 'TRANSFERRED' AND "
                 "p.on_date <= $1::date AND b.region_code LIKE $2 || '%'");
  // $1 start, $2 end, $3 region prefix.
  pool_->Prepare("summary_relief",
                 "SELECT (SELECT count(*) FROM relief_cases WHERE intake_on BETWEEN $1::date AND "
                 "$2::date AND region_code LIKE $3 || '%'), (SELECT coalesce(sum(money_fen), 0) "
                 "FROM relief_cases WHERE intake_on BETWEEN $1::date AND $2::date AND "
                 "region_code LIKE $3 || '%'), (SELECT count(*) FROM relief_campaigns WHERE "
                 "starts_on BETWEEN $1::date AND $2::date AND region_code LIKE $3 || '%'), "
                 "(SELECT coalesce(sum(persons_reached), 0) FROM relief_campaigns WHERE starts_on "
                 "BETWEEN $1::date AND $2::date AND region_code LIKE $3 || '%')");
}

absl::StatusOr<Summary> SummaryStore::Compute(absl::CivilDay start, absl::CivilDay end,
                                              absl::CivilDay as_of,
                                              const std::string& region_prefix) {
  const std::string s = FormatDay(start), e = FormatDay(end), a = FormatDay(as_of);
  Summary out;
  absl::Status status =
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        out = Summary();
        pqxx::row f = txn.exec_prepared1("summary_funeral", s, e, region_prefix);
        out.cremations = f[0].as<int64_t>();
        out.fees_waived_fen = f[1].as<int64_t>();
        out.vehicle_cases = f[2].as<int64_t>();
        out.pilots = {PilotFigures{ProjectKind::kCareServicePilot},
                      PilotFigures{ProjectKind::kMentalHealthRehabPilot}};
        for (const auto& row : txn.exec_prepared("summary_projects", s, e, a, region_prefix)) {
          const auto kind =
              static_cast<ProjectKind>(kProjectKindNames.Value(row[0].as<std::string>()));
          if (kind == ProjectKind::kCemetery) {
            out.cemetery_planned = row[1].as<int64_t>();
            out.cemetery_completed = row[2].as<int64_t>();
            out.cemetery_accepted = row[3].as<int64_t>();
            continue;
          }
          for (PilotFigures& p : out.pilots) {
            if (p.kind != kind) continue;
            p.projects = row[1].as<int64_t>();
            p.completed = row[2].as<int64_t>();
            p.accepted = row[3].as<int64_t>();
          }
        }
        for (const auto& row : txn.exec_prepared("summary_subsidies", s, e, a, region_prefix)) {
          out.subsidies.push_back(SubsidyFigures{
              static_cast<SubsidyKind>(kSubsidyKindNames.Value(row[0].as<std::string>())),
              row[1].as<int64_t>(), row[3].as<int64_t>(), row[2].as<int64_t>()});
        }
        pqxx::row m = txn.exec_prepared1("summary_marriage", s, e, a, region_prefix);
        out.marriages = m[0].as<int64_t>();
        out.divorce_applications = m[1].as<int64_t>();
        out.divorces_completed = m[2].as<int64_t>();
        out.divorces_withdrawn_by_party = m[3].as<int64_t>();
        out.divorces_withdrawn_by_law = m[4].as<int64_t>();
        pqxx::row ar = txn.exec_prepared1("summary_archive", a, region_prefix);
        out.archive_files_digitised = ar[0].as<int64_t>();
        out.archive_covers_from = ar[1].is_null() ? "" : ar[1].as<std::string>();
        out.archive_covers_to = ar[2].is_null() ? "" : ar[2].as<std::string>();
        pqxx::row r = txn.exec_prepared1("summary_relief", s, e, region_prefix);
        out.relief_cases = r[0].as<int64_t>();
        out.relief_money_fen = r[1].as<int64_t>();
        out.campaigns = r[2].as<int64_t>();
        out.campaign_persons = r[3].as<int64_t>();
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return out;
}

}  // namespace civil::affairs
