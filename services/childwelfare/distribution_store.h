// PostgreSQL access for care distributions (关爱物资 / 慰问金): recording one with its recipients
// (each looked up in its register in the same transaction), listing a period's, and the period's
// figures. All SQL of care_distributions* lives here; the rules are distribution.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/childwelfare/distribution.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"

namespace civil::childwelfare {

struct RecipientRecord {
  RecipientRegister registry = RecipientRegister::kChild;
  std::string id;
  std::string name;  // in clear: the adapter masks it for callers who may not see it
  std::string id_masked;
  std::string region_code;
  int64_t amount_fen = 0;
};

struct DistributionRecord {
  std::string distribution_id;
  DistributionKind kind = DistributionKind::kHealthPacks;
  std::string item;
  int quantity = 0;
  int64_t total_fen = 0;
  std::string region_code;
  absl::CivilDay on;
  std::string campaign;
  std::string giver;
  std::vector<RecipientRecord> recipients;
  std::string recorded_by;
};

struct DistributionFilter {
  std::string region_prefix;  // "" = every region; a distribution counts for its township
  std::optional<absl::CivilDay> from, to;
  std::optional<DistributionKind> kind;
  std::string campaign;  // "" = every campaign
};

class DistributionStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit DistributionStore(PgPool* pool);

  // Records `draft` by `actor` in one transaction: every recipient is looked up in its register
  // and vetted by CheckRecipient; NOT_FOUND "recipients[i].id: …" for an unknown child,
  // FAILED_PRECONDITION for one not registered on the day or living elsewhere, INVALID_ARGUMENT
  // "recipients[i].id: …" when two entries are the same child (by blind index). Nothing is
  // written on an error.
  absl::StatusOr<DistributionRecord> Record(const DistributionDraft& draft,
                                            const std::string& actor);

  // The distributions `filter` selects after `after` (a seq), in the order recorded.
  absl::StatusOr<Page<DistributionRecord>> List(const DistributionFilter& filter, int64_t after,
                                                int page_size);

  // The figures of distributions dated `start`..`end` within `region_prefix`.
  absl::StatusOr<DistributionFigures> Figures(const std::string& region_prefix,
                                              absl::CivilDay start, absl::CivilDay end);

 private:
  PgPool* pool_;
};

}  // namespace civil::childwelfare
