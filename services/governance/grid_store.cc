#include "services/governance/grid_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace civil::governance {
namespace {

const std::string& GridColumns() {
  static const std::string* columns =
      new std::string(absl::StrCat("grid_id::text, grid_code, village_code, name, created_by, ",
                                   MicrosOf("created_at"), ", seq"));
  return *columns;
}

GridRecord GridFromRow(const pqxx::row& row) {
  GridRecord g;
  g.grid_id = row[0].as<std::string>();
  g.grid_code = row[1].as<std::string>();
  g.village_code = row[2].as<std::string>();
  g.name = row[3].as<std::string>();
  g.created_by = row[4].as<std::string>();
  g.create_time_micros = row[5].as<int64_t>();
  return g;
}

WorkerRecord WorkerFromRow(const pqxx::row& row) {
  return WorkerRecord{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                      DayOf(row[3]), row[4].as<std::string>()};
}

// The village's facts as the grid rules need them, read under `statement`'s lock.
std::optional<RegionFacts> Village(pqxx::transaction_base& txn, const char* statement,
                                   const std::string& code) {
  pqxx::result r = txn.exec_prepared(statement, code);
  if (r.empty()) return std::nullopt;
  RegionFacts f;
  f.code = code;
  f.name = r[0][0].as<std::string>();
  f.kind = static_cast<RegionKind>(kRegionKindNames.Value(r[0][1].as<std::string>()));
  f.merged_into = r[0][2].as<std::string>();
  return f;
}

std::vector<NoticeKind> KindsOf(const std::string& joined) {
  std::vector<NoticeKind> kinds;
  for (absl::string_view k : absl::StrSplit(joined, ',', absl::SkipEmpty())) {
    kinds.push_back(static_cast<NoticeKind>(kNoticeKindNames.Value(k)));
  }
  return kinds;
}

}  // namespace

GridStore::GridStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("grid_village_lock",
                 "SELECT name, kind, coalesce(merged_into, '') FROM regions WHERE code = $1 FOR "
                 "UPDATE");
  pool_->Prepare("grid_village_share",
                 "SELECT name, kind, coalesce(merged_into, '') FROM regions WHERE code = $1 FOR "
                 "SHARE");
  pool_->Prepare("grid_next_number",
                 "SELECT coalesce(max(substr(grid_code, 13)::int), 0) + 1 FROM grids WHERE "
                 "grid_code LIKE $1 || '%'");
  pool_->Prepare("grid_insert",
                 absl::StrCat("INSERT INTO grids (grid_code, village_code, name, created_by) "
                              "VALUES ($1, $2, $3, $4) RETURNING ",
                              GridColumns()));
  pool_->Prepare("grid_get",
                 absl::StrCat("SELECT ", GridColumns(), " FROM grids WHERE grid_id = $1::uuid"));
  pool_->Prepare("grid_list", absl::StrCat("SELECT ", GridColumns(),
                                           " FROM grids WHERE village_code LIKE $1 || '%' AND "
                                           "seq > $2 ORDER BY seq LIMIT $3"));
  pool_->Prepare("grid_workers_of",
                 "SELECT worker_id::text, name, phone, start_date::text, recorded_by FROM "
                 "grid_workers WHERE grid_id = $1::uuid ORDER BY created_at, worker_id");
  pool_->Prepare("grid_worker_insert",
                 "INSERT INTO grid_workers (grid_id, name, phone, start_date, recorded_by) VALUES "
                 "($1::uuid, $2, $3, $4::date, $5) RETURNING worker_id::text, name, phone, "
                 "start_date::text, recorded_by");
  pool_->Prepare("grid_resolve",
                 "SELECT grid_code, grid_id::text, village_code FROM grids WHERE grid_code = "
                 "ANY($1::text[])");
  pool_->Prepare("grid_of_village",
                 "SELECT grid_id::text, name FROM grids WHERE village_code = $1 ORDER BY seq FOR "
                 "UPDATE");
  pool_->Prepare("grid_move",
                 "UPDATE grids SET village_code = $2, name = $3, updated_at = now() WHERE grid_id "
                 "= $1::uuid");
  pool_->Prepare("grid_move_log",
                 "INSERT INTO grid_moves (grid_id, from_village, to_village, old_name, new_name, "
                 "on_date, actor) VALUES ($1::uuid, $2, $3, $4, $5, $6::date, $7)");
  pool_->Prepare("notice_insert",
                 "INSERT INTO community_notices (village_code, kind, published_on, document, "
                 "published_by) VALUES ($1, $2, $3::date, $4, $5)");
  // The latest version of each kind published on or before $2, with the first one's date.
  pool_->Prepare("notice_latest",
                 "SELECT DISTINCT ON (kind) kind, published_on::text, document, published_by, "
                 "(min(published_on) OVER (PARTITION BY kind))::text FROM community_notices "
                 "WHERE village_code = $1 AND published_on <= $2::date ORDER BY kind, "
                 "published_on DESC, notice_id DESC");
  pool_->Prepare("notice_village",
                 "SELECT name, kind, coalesce(merged_into, '') FROM regions WHERE code = $1");
  // Villages/communities within $1 current on $2, with the kinds published by then.
  const std::string current_villages =
      "FROM regions r LEFT JOIN community_notices n ON n.village_code = r.code AND "
      "n.published_on <= $2::date WHERE r.kind IN ('VILLAGE', 'COMMUNITY') AND r.code LIKE $1 "
      "|| '%' AND (r.merged_on IS NULL OR r.merged_on > $2::date) GROUP BY r.code, r.name";
  pool_->Prepare("notice_gaps",
                 absl::StrCat("SELECT r.code, r.name, coalesce(string_agg(DISTINCT n.kind, ','), "
                              "'') ",
                              current_villages,
                              " HAVING count(DISTINCT n.kind) < 3 ORDER BY r.code OFFSET $3 "
                              "LIMIT $4"));
  pool_->Prepare("notice_figures",
                 absl::StrCat("SELECT count(*), count(*) FILTER (WHERE kinds = 3) FROM (SELECT "
                              "count(DISTINCT n.kind) AS kinds ",
                              current_villages, ") v"));
}

absl::StatusOr<GridRecord> GridStore::Create(const GridDraft& draft, const std::string& actor) {
  GridRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string& village = draft.village.value();
    CIVIL_RETURN_IF_ERROR(CheckGridVillage(Village(txn, "grid_village_lock", village), village));
    const int number = txn.exec_prepared1("grid_next_number", village)[0].as<int>();
    CIVIL_ASSIGN_OR_RETURN(const std::string code, GridCode(village, number));
    try {
      created = GridFromRow(txn.exec_prepared1("grid_insert", code, village, draft.name, actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("name: ", village, " has a grid named ", draft.name, " already"));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<GridRecord> GridStore::Get(const std::string& grid_id) {
  absl::StatusOr<GridRecord> result = absl::NotFoundError("grid_id: no such grid");
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        pqxx::result r = txn.exec_prepared("grid_get", grid_id);
        if (r.empty()) return absl::OkStatus();
        GridRecord g = GridFromRow(r[0]);
        for (const auto& row : txn.exec_prepared("grid_workers_of", grid_id)) {
          g.workers.push_back(WorkerFromRow(row));
        }
        result = std::move(g);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<Page<GridRecord>> GridStore::List(const std::string& region_prefix, int64_t after,
                                                 int page_size) {
  Page<GridRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("grid_list", region_prefix, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(GridFromRow(rows[i]));
      page.next_after = rows[i][6].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<WorkerRecord> GridStore::AddWorker(
    const std::string& grid_id, const WorkerDraft& worker, const std::string& actor,
    const std::function<absl::Status(const std::string&)>& check_scope) {
  WorkerRecord added;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("grid_get", grid_id);
    if (r.empty()) return absl::NotFoundError("grid_id: no such grid");
    CIVIL_RETURN_IF_ERROR(check_scope(GridFromRow(r[0]).village_code));
    added = WorkerFromRow(txn.exec_prepared1("grid_worker_insert", grid_id, worker.name,
                                             worker.phone, FormatDay(worker.start), actor));
    return absl::OkStatus();
  }));
  return added;
}

absl::StatusOr<std::map<std::string, GridRef>> GridStore::Resolve(
    const std::vector<std::string>& codes) {
  std::map<std::string, GridRef> found;
  if (codes.empty()) return found;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("grid_resolve", ArrayLiteral(codes))) {
      found[row[0].as<std::string>()] = GridRef{row[1].as<std::string>(), row[2].as<std::string>()};
    }
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<int> GridStore::MoveGrids(pqxx::transaction_base& txn, const std::string& from,
                                         const std::string& from_name, const std::string& into,
                                         absl::CivilDay on, const std::string& actor) {
  std::vector<std::string> taken;
  for (const auto& row : txn.exec_prepared("grid_of_village", into)) {
    taken.push_back(row[1].as<std::string>());
  }
  int moved = 0;
  for (const auto& row : txn.exec_prepared("grid_of_village", from)) {
    const std::string grid_id = row[0].as<std::string>();
    const std::string old_name = row[1].as<std::string>();
    const std::string new_name = MovedGridName(from_name, old_name, taken);
    txn.exec_prepared("grid_move", grid_id, into, new_name);
    txn.exec_prepared("grid_move_log", grid_id, from, into, old_name, new_name, FormatDay(on),
                      actor);
    taken.push_back(new_name);
    ++moved;
  }
  return moved;
}

absl::StatusOr<NoticeRecord> GridStore::Publish(const NoticeDraft& draft,
                                                const std::string& actor) {
  NoticeRecord notice;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string& village = draft.village.value();
    CIVIL_RETURN_IF_ERROR(CheckGridVillage(Village(txn, "grid_village_share", village), village));
    const std::string kind(kNoticeKindNames.Name(static_cast<int>(draft.kind)));
    txn.exec_prepared("notice_insert", village, kind, FormatDay(draft.published_on), draft.document,
                      actor);
    notice = NoticeRecord{draft.kind,         true,           draft.published_on,
                          draft.published_on, draft.document, actor};
    for (const auto& row :
         txn.exec_prepared("notice_latest", village, FormatDay(draft.published_on))) {
      if (row[0].as<std::string>() == kind) notice.first_published_on = DayOf(row[4]);
    }
    return absl::OkStatus();
  }));
  return notice;
}

absl::StatusOr<CommunityNotices> GridStore::Notices(const std::string& village_code,
                                                    absl::CivilDay as_of) {
  CommunityNotices out;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        std::optional<RegionFacts> village = Village(txn, "notice_village", village_code);
        if (!village) {
          return absl::NotFoundError(
              absl::StrCat("village_code: ", village_code, " is not in the region tree"));
        }
        out = CommunityNotices{village_code, village->name, {}};
        for (NoticeKind k : kNoticeKinds) out.notices.push_back(NoticeRecord{k});
        for (const auto& row : txn.exec_prepared("notice_latest", village_code, FormatDay(as_of))) {
          const int kind = kNoticeKindNames.Value(row[0].as<std::string>());
          if (kind < 1 || kind > 3) continue;
          NoticeRecord& n = out.notices[kind - 1];
          n.published = true;
          n.published_on = DayOf(row[1]);
          n.document = row[2].as<std::string>();
          n.published_by = row[3].as<std::string>();
          n.first_published_on = DayOf(row[4]);
        }
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<GridStore::Gaps> GridStore::MissingNotices(const std::string& region_prefix,
                                                          absl::CivilDay as_of, int64_t offset,
                                                          int limit) {
  Gaps out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("notice_gaps", region_prefix, FormatDay(as_of), offset, limit + 1);
    for (const auto& row : rows) {
      if (static_cast<int>(out.gaps.size()) == limit) {
        out.more = true;
        break;
      }
      out.gaps.push_back(NoticeGap{row[0].as<std::string>(), row[1].as<std::string>(),
                                   governance::MissingNotices(KindsOf(row[2].as<std::string>()))});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<NoticeFigures> GridStore::Figures(const std::string& region_prefix,
                                                 absl::CivilDay as_of) {
  NoticeFigures figures;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::row row = txn.exec_prepared1("notice_figures", region_prefix, FormatDay(as_of));
    figures.communities = row[0].as<int>();
    figures.fully_published = row[1].as<int>();
    return absl::OkStatus();
  }));
  return figures;
}

}  // namespace civil::governance
