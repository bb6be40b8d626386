// PostgreSQL access for benefit standards (低保/特困/… monthly lines and supplements): set,
// list, and the candidates StandardInForce (benefit.h) chooses from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/programme.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/programme_store_util.h"
#include "services/common/pg.h"

namespace civil::assistance {

class StandardStore {
 public:
  explicit StandardStore(PgPool* pool);

  // Records a standard. ALREADY_EXISTS for a duplicate programme/area/region/date.
  absl::StatusOr<v1::Standard> Set(const v1::Standard& standard, const std::string& actor);
  // Standards of `programme` (0 = all) whose region prefix starts with `region_prefix`, newest
  // first, after position `after`.
  absl::StatusOr<std::vector<v1::Standard>> List(int programme, const std::string& region_prefix,
                                                 int64_t after, int page_size, int64_t* next);
  // The standard in force for a household in `region_code` and `area` in `month`, as
  // StandardInForce (benefit.h) chooses it: the longest region prefix that matches, then the
  // latest effective date not after the month's first day. FAILED_PRECONDITION naming
  // programme, area and month when none is set.
  static absl::StatusOr<StandardValues> InForce(pqxx::transaction_base& txn, Programme programme,
                                                absl::string_view area,
                                                const std::string& region_code,
                                                absl::CivilMonth month);
  // The standards of `programme` that may be in force in `month` (effective by its first day)
  // for `area` (empty: both) and a region related to `region_code` (a prefix of it, or within
  // it; empty: all): the candidates StandardInForce chooses from.
  static std::vector<StandardRecord> StandardsFor(pqxx::transaction_base& txn, Programme programme,
                                                  absl::string_view area,
                                                  const std::string& region_code,
                                                  absl::CivilMonth month);

 private:
  PgPool* pool_;
};

}  // namespace civil::assistance
