// The series of a department's cases for the operators' and the bureau's dashboards, counted
// from the department's own tables every minute (deploy/grafana: "applications waiting", "active
// caseload"):
//   civil_cases_waiting{department, programme, step}  cases waiting for a step (investigation,
//                                                      notice, approval, the eligibility check…)
//   civil_caseload_active{department, programme}      cases being paid or served now
// The department gives two queries, each returning (programme, step, count) — step '' for the
// caseload. A series a refresh no longer returns is set to 0, never left at its last value.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/common/periodic.h"
#include "services/common/pg.h"

namespace civil {

class Department;

class CaseGauges {
 public:
  // Prepares the queries on `pool`; neither `pool` nor `registry` is owned.
  CaseGauges(std::string department, PgPool* pool, prometheus::Registry* registry,
             const std::string& waiting_sql, const std::string& active_sql);

  // Counts now. UNAVAILABLE (the gauges keep their values) when PostgreSQL is down.
  absl::Status Refresh();
  // Refreshes every `interval` on a thread of its own until Stop or destruction.
  void Start(std::chrono::seconds interval);
  void Stop() { refresher_.Stop(); }

 private:
  using Key = std::pair<std::string, std::string>;  // programme, step
  void Set(prometheus::Family<prometheus::Gauge>& family, std::map<Key, prometheus::Gauge*>& seen,
           const pqxx::result& rows, bool with_step);

  std::string department_;
  PgPool* pool_;
  prometheus::Family<prometheus::Gauge>* waiting_;
  prometheus::Family<prometheus::Gauge>* active_;
  std::map<Key, prometheus::Gauge*> waiting_seen_, active_seen_;
  PeriodicTask refresher_;
};

// Makes the department's CaseGauges, counts once, refreshes every minute and stops at shutdown.
CaseGauges& ServeCaseGauges(Department& d, const std::string& waiting_sql,
                            const std::string& active_sql);

}  // namespace civil
