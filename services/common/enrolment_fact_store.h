// A person's enrolments in one department, as other departments' systems ask of them (each
// department's check service, which the exchange's registry search calls): the rows of the
// department's own query, by blind index. The kit reads them; the department writes the SQL.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/enrolment_fact.h"
#include "services/common/pg.h"

namespace civil {

struct EnrolmentFactRecord {
  std::string programme;  // the contract's programme name, e.g. OLD_AGE_ALLOWANCE
  std::string id;         // the enrolment, subsidy or case
  std::string region_code;
  PaidSpan span;  // status, start and the first month not paid
};

class EnrolmentFactStore {
 public:
  // Prepares `sql` on `pool` (not owned) as statement `name`. Its one parameter ($1) is the
  // person's blind index; its columns, in this order: programme, id, status, region_code,
  // start_month and end_month (dates as text, end_month NULL while open); rows in the order
  // they are answered (oldest first); further columns are not read.
  EnrolmentFactStore(PgPool* pool, std::string name, const std::string& sql);

  absl::StatusOr<std::vector<EnrolmentFactRecord>> FactsOf(const std::string& id_index);

 private:
  PgPool* pool_;
  std::string name_;
};

}  // namespace civil
