#include "services/common/case_gauges.h"

#include "absl/strings/str_cat.h"
#include "services/common/department.h"
#include "services/common/log.h"

namespace civil {

CaseGauges::CaseGauges(std::string department, PgPool* pool, prometheus::Registry* registry,
                       const std::string& waiting_sql, const std::string& active_sql)
    : department_(std::move(department)),
      pool_(pool),
      waiting_(&prometheus::BuildGauge()
                    .Name("civil_cases_waiting")
                    .Help("Cases waiting for a step (investigation, notice, approval, a check)")
                    .Register(*registry)),
      active_(&prometheus::BuildGauge()
                   .Name("civil_caseload_active")
                   .Help("Cases being paid or served now")
                   .Register(*registry)) {
  pool_->Prepare("case_gauges_waiting", waiting_sql);
  pool_->Prepare("case_gauges_active", active_sql);
}

void CaseGauges::Set(prometheus::Family<prometheus::Gauge>& family,
                     std::map<Key, prometheus::Gauge*>& seen, const pqxx::result& rows,
                     bool with_step) {
  for (auto& [key, gauge] : seen) gauge->Set(0);
  for (const auto& r : rows) {
    const Key key{r[0].as<std::string>(), with_step ? r[1].as<std::string>() : ""};
    auto it = seen.find(key);
    if (it == seen.end()) {
      std::map<std::string, std::string> labels = {{"department", department_},
                                                   {"programme", key.first}};
      if (with_step) labels["step"] = key.second;
      it = seen.emplace(key, &family.Add(labels)).first;
    }
    it->second->Set(r[2].as<double>());
  }
}

absl::Status CaseGauges::Refresh() {
  return pool_->Read([&](pqxx::transaction_base& txn) {
    const pqxx::result waiting = txn.exec_prepared("case_gauges_waiting");
    const pqxx::result active = txn.exec_prepared("case_gauges_active");
    Set(*waiting_, waiting_seen_, waiting, true);
    Set(*active_, active_seen_, active, false);
    return absl::OkStatus();
  });
}

void CaseGauges::Start(std::chrono::seconds interval) {
  refresher_.Start(
      [this] {
        if (absl::Status s = Refresh(); !s.ok()) {
          Log(LogLevel::kWarn, "case gauges not refreshed",
              {{"department", absl::string_view(department_)}, {"error", s.message()}});
        }
      },
      interval);
}

CaseGauges& ServeCaseGauges(Department& d, const std::string& waiting_sql,
                            const std::string& active_sql) {
  auto& gauges = d.Make<CaseGauges>(d.name(), &d.pool(), &d.registry(), waiting_sql, active_sql);
  gauges.Start(std::chrono::seconds(60));
  d.OnShutdown([&gauges] { gauges.Stop(); });
  return gauges;
}

}  // namespace civil
