// PostgreSQL access for community grids: grids (created under a lock on their village, numbered
// within it), grid workers, the moves of a merged village's grids, and the publications of the
// three public notices with the figures they give. All SQL of `grids`, `grid_moves`,
// `grid_workers` and `community_notices` lives here (the village's row of `regions` is read, under
// a lock, never written); the rules are grid.h's.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/governance/grid.h"
#include "services/governance/region.h"

namespace civil::governance {

struct WorkerRecord {
  std::string worker_id;
  std::string name;
  std::string phone;
  absl::CivilDay start_date;
  std::string recorded_by;
};

struct GridRecord {
  std::string grid_id;
  std::string grid_code;
  std::string village_code;
  std::string name;
  std::string created_by;
  int64_t create_time_micros = 0;
  std::vector<WorkerRecord> workers;  // Get only
};

// A notice of one kind as of a day: the latest version published on or before it.
struct NoticeRecord {
  NoticeKind kind = NoticeKind::kIntroduction;
  bool published = false;
  std::optional<absl::CivilDay> published_on;
  std::optional<absl::CivilDay> first_published_on;
  std::string document;
  std::string published_by;
};

struct CommunityNotices {
  std::string village_code;
  std::string village_name;
  std::vector<NoticeRecord> notices;  // one per kind, in kind order
};

struct NoticeGap {
  std::string village_code;
  std::string village_name;
  std::vector<NoticeKind> missing;
};

// Where a grid code points, for imports.
struct GridRef {
  std::string grid_id;
  std::string village_code;
};

// The notice figures of a region as of a day.
struct NoticeFigures {
  int communities = 0;      // current villages/communities
  int fully_published = 0;  // of which all three notices published
};

class GridStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit GridStore(PgPool* pool);

  // Creates a grid after CheckGridVillage on the village (row locked, so numbering and merges
  // of one village are serialised): the next free number. ALREADY_EXISTS "name: …" when the
  // village has a grid of that name.
  absl::StatusOr<GridRecord> Create(const GridDraft& draft, const std::string& actor);

  // The grid with its workers. NOT_FOUND "grid_id: no such grid".
  absl::StatusOr<GridRecord> Get(const std::string& grid_id);

  // Grids whose village lies within `region_prefix`, after position `after`, by creation.
  absl::StatusOr<Page<GridRecord>> List(const std::string& region_prefix, int64_t after,
                                        int page_size);

  // Adds a worker to `grid_id` after `check_scope` on the grid's village. NOT_FOUND for an
  // unknown grid.
  absl::StatusOr<WorkerRecord> AddWorker(
      const std::string& grid_id, const WorkerDraft& worker, const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_scope);

  // The grid codes among `codes` that exist, with their grid and current village.
  absl::StatusOr<std::map<std::string, GridRef>> Resolve(const std::vector<std::string>& codes);

  // In the merge's `txn`: every grid of village `from` (named `from_name`) moves to `into` on
  // `on`, renamed by MovedGridName when its name is taken there; each move is a grid_moves row.
  // Returns how many grids moved.
  absl::StatusOr<int> MoveGrids(pqxx::transaction_base& txn, const std::string& from,
                                const std::string& from_name, const std::string& into,
                                absl::CivilDay on, const std::string& actor);

  // Records a publication after CheckGridVillage on the village; returns the kind's status as of
  // the publication day.
  absl::StatusOr<NoticeRecord> Publish(const NoticeDraft& draft, const std::string& actor);

  // The three notices of `village_code` as of `as_of`. NOT_FOUND "village_code: …" when the
  // region is not in the tree.
  absl::StatusOr<CommunityNotices> Notices(const std::string& village_code, absl::CivilDay as_of);

  // Villages/communities within `region_prefix`, current on `as_of` (not merged on or before
  // it), missing a notice then; from position `offset`, at most `limit` (`more` says whether
  // further ones follow).
  struct Gaps {
    std::vector<NoticeGap> gaps;
    bool more = false;
  };
  absl::StatusOr<Gaps> MissingNotices(const std::string& region_prefix, absl::CivilDay as_of,
                                      int64_t offset, int limit);

  // The current villages/communities within `region_prefix` on `as_of`, and how many had all
  // three notices published by then.
  absl::StatusOr<NoticeFigures> Figures(const std::string& region_prefix, absl::CivilDay as_of);

 private:
  PgPool* pool_;
};

}  // namespace civil::governance
