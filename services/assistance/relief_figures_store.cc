#include "services/assistance/relief_figures_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"

namespace civil::assistance {

ReliefFiguresStore::ReliefFiguresStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare(
      "relief_figures_figures_select_relief_cases",
      "SELECT "
      "(SELECT count(*) FROM relief_cases WHERE region_code LIKE $1 || '%' AND paid_on "
      " BETWEEN $2::date AND $3::date), "
      "(SELECT coalesce(sum(paid_fen), 0) FROM relief_cases WHERE region_code LIKE $1 || '%' "
      " AND paid_on BETWEEN $2::date AND $3::date), "
      "(SELECT count(*) FROM mutual_aid_societies WHERE region_code LIKE $1 || '%' AND "
      " registered_on <= $3::date), "
      "(SELECT count(*) FROM mutual_aid_cases WHERE region_code LIKE $1 || '%' AND helped_on "
      " BETWEEN $2::date AND $3::date), "
      "(SELECT coalesce(sum(amount_fen), 0) FROM mutual_aid_cases WHERE region_code LIKE $1 "
      " || '%' AND helped_on BETWEEN $2::date AND $3::date), "
      "(SELECT count(DISTINCT id_index) FROM outreach_visits WHERE region_code LIKE $1 || '%' "
      " AND visited_on BETWEEN $2::date AND $3::date), "
      "(SELECT count(*) FROM outreach_demands d JOIN outreach_visits v USING (visit_id) WHERE "
      " v.region_code LIKE $1 || '%' AND d.resolved_on BETWEEN $2::date AND $3::date), "
      "(SELECT count(DISTINCT id_index) FROM health_checks WHERE region_code LIKE $1 || '%' "
      " AND checked_on BETWEEN $2::date AND $3::date), "
      "(SELECT count(*) FROM audit_runs WHERE (region_prefix LIKE $1 || '%' OR $1 LIKE "
      " region_prefix || '%') AND as_of BETWEEN $2::date AND $3::date), "
      "(SELECT count(*) FROM enrolment_reviews r JOIN enrolments e USING (enrolment_id) WHERE "
      " e.region_code LIKE $1 || '%' AND r.decided_on BETWEEN $2::date AND $3::date)");
  pool_->Prepare(
      "relief_figures_figures_select_health_checks",
      "SELECT b.batch_id::text, b.name, b.provider, b.service, count(DISTINCT c.id_index) "
      "FROM health_checks c JOIN health_check_batches b USING (batch_id) WHERE "
      "c.region_code LIKE $1 || '%' AND c.checked_on BETWEEN $2::date AND $3::date GROUP "
      "BY b.batch_id, b.name, b.provider, b.service, b.started_on, b.seq ORDER BY "
      "b.started_on, b.seq");
  pool_->Prepare("relief_figures_figures_select_audit_findings",
                 "SELECT kind, count(*) FROM audit_findings WHERE region_code LIKE $1 || '%' AND "
                 "status = 'CONFIRMED' AND decided_on BETWEEN $2::date AND $3::date GROUP BY kind "
                 "ORDER BY kind");
}

absl::StatusOr<v1::ReliefFigures> ReliefFiguresStore::Figures(const std::string& region_prefix,
                                                              absl::CivilDay start,
                                                              absl::CivilDay end) {
  v1::ReliefFigures f;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    const std::string from = FormatDay(start);
    const std::string to = FormatDay(end);
    // One row of scalar figures, each counted as REPORT.md says.
    pqxx::row r =
        txn.exec_prepared1("relief_figures_figures_select_relief_cases", region_prefix, from, to);
    f.set_relief_cases(r[0].as<int64_t>());
    f.set_relief_paid_fen(r[1].as<int64_t>());
    f.set_societies_registered(r[2].as<int64_t>());
    f.set_mutual_aid_cases(r[3].as<int64_t>());
    f.set_mutual_aid_paid_fen(r[4].as<int64_t>());
    f.set_persons_surveyed(r[5].as<int64_t>());
    f.set_demands_resolved(r[6].as<int64_t>());
    f.set_health_check_persons(r[7].as<int64_t>());
    f.set_audits_run(r[8].as<int64_t>());
    f.set_reviews_done(r[9].as<int64_t>());
    for (const auto& b : txn.exec_prepared("relief_figures_figures_select_health_checks",
                                           region_prefix, from, to)) {
      auto* x = f.add_health_check_batches();
      x->set_batch_id(b[0].as<std::string>());
      x->set_name(b[1].as<std::string>());
      x->set_provider(b[2].as<std::string>());
      x->set_service(b[3].as<std::string>());
      x->set_persons(b[4].as<int64_t>());
    }
    for (const auto& k : txn.exec_prepared("relief_figures_figures_select_audit_findings",
                                           region_prefix, from, to)) {
      absl::StatusOr<FindingKind> kind = FindingKindFromName(k[0].as<std::string>());
      if (!kind.ok()) continue;
      auto* x = f.add_confirmed_findings();
      x->set_kind(static_cast<v1::FindingKind>(static_cast<int>(*kind)));
      x->set_confirmed(k[1].as<int64_t>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return f;
}

}  // namespace civil::assistance
