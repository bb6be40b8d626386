// PostgreSQL access for the region tree: lookups (following merges), children of a region,
// additions, renames and village merges, each change with its region_changes row in the same
// transaction. All SQL of `regions` and `region_changes` lives here; the rules are region.h's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/governance/grid_store.h"
#include "services/governance/region.h"

namespace civil::governance {

struct RegionRecord {
  RegionFacts facts;
  int64_t update_time_micros = 0;
};

// What a lookup of a code answers: the region (the end of any merges) and the merged regions
// passed on the way, oldest first (the requested one first).
struct RegionLookup {
  RegionRecord region;
  std::vector<RegionRecord> merged_from;
};

struct MergeResult {
  RegionRecord into;
  RegionRecord merged;
  int grids_moved = 0;
};

// Vets a stored region's code against the caller's scope (PERMISSION_DENIED), as adapter.h's
// RegionCheck builds it.
using RegionScopeCheck = std::function<absl::Status(const std::string&)>;

class RegionStore {
 public:
  // Prepares the statements on `pool`; `grids` moves a merged village's grids. Neither is owned.
  RegionStore(PgPool* pool, GridStore* grids);

  // The region `code` answers, following merges (at most kMaxMergeChain). NOT_FOUND "code: … is
  // not in the region tree"; DATA_LOSS when the chain is longer.
  absl::StatusOr<RegionLookup> Lookup(const std::string& code);

  // The children of `parent_code` ("" = the roots: the county) by code, from position `offset`, at
  // most `limit` (one more is read to tell whether more follow: `more`).
  struct Children {
    std::vector<RegionRecord> regions;
    bool more = false;
  };
  absl::StatusOr<Children> ListChildren(const std::string& parent_code, bool include_merged,
                                        int64_t offset, int limit);

  // Adds `region` after CheckParent on its parent, read under a share lock. ALREADY_EXISTS "code:
  // … is in the region tree already".
  absl::StatusOr<RegionRecord> Add(const NewRegion& region, const std::string& actor);

  // Renames `code` after `check_scope` and CheckRename, under a row lock. NOT_FOUND for an unknown
  // code.
  absl::StatusOr<RegionRecord> Rename(const std::string& code, const std::string& name,
                                      const std::string& actor,
                                      const RegionScopeCheck& check_scope);

  // Merges village `code` into `into_code` on `on` after `check_scope` (both) and CheckMerge,
  // both rows locked (in code order); every grid of the merged village moves to `into_code`.
  // NOT_FOUND naming the field of an unknown code.
  absl::StatusOr<MergeResult> Merge(const std::string& code, const std::string& into_code,
                                    absl::CivilDay on, const std::string& actor,
                                    const RegionScopeCheck& check_scope);

 private:
  PgPool* pool_;
  GridStore* grids_;
};

}  // namespace civil::governance
