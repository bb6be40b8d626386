#include "services/eldercare/inspection_store.h"

#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace civil::eldercare {
namespace {

constexpr char kInspectorColumns[] =
    "inspector_id::text, name, organisation, region_code, added_on::text, retired_on::text, "
    "added_by";

InspectorRecord InspectorFromRow(const pqxx::row& row) {
  return InspectorRecord{row[0].as<std::string>(),
                         row[1].as<std::string>(),
                         row[2].as<std::string>(),
                         row[3].as<std::string>(),
                         DayOf(row[4]),
                         OptionalDayOf(row[5]),
                         row[6].as<std::string>()};
}

constexpr char kDrawColumns[] =
    "draw_id::text, region_prefix, seed, algorithm, drawn_on::text, drawn_by, "
    "array_to_string(inspector_pool, ','), array_to_string(institution_pool, ','), status, "
    "published_on::text, published_by, seq";
constexpr int kDrawSeq = 11;

std::vector<std::string> SplitIds(const std::string& text) {
  if (text.empty()) return {};
  return absl::StrSplit(text, ',');
}

DrawRecord DrawFromRow(const pqxx::row& row) {
  DrawRecord d;
  d.draw_id = row[0].as<std::string>();
  d.region_prefix = row[1].as<std::string>();
  (void)absl::SimpleAtoi(row[2].as<std::string>(), &d.seed);
  d.algorithm = row[3].as<std::string>();
  d.drawn_on = DayOf(row[4]);
  d.drawn_by = row[5].as<std::string>();
  d.inspector_pool = SplitIds(row[6].as<std::string>());
  d.institution_pool = SplitIds(row[7].as<std::string>());
  d.status = static_cast<DrawStatus>(kDrawStatusNames.Value(row[8].as<std::string>()));
  d.published_on = OptionalDayOf(row[9]);
  d.published_by = row[10].as<std::string>();
  return d;
}

constexpr char kRectificationColumns[] =
    "r.rectification_id::text, r.inspection_id::text, r.area, r.item, r.due_on::text, "
    "r.closed_on::text, r.close_note, i.facility_id::text, f.name, r.region_code";
constexpr char kRectificationFrom[] =
    " FROM rectifications r JOIN inspections i USING (inspection_id) JOIN facilities f ON "
    "f.facility_id = i.facility_id";

RectificationRecord RectificationFromRow(const pqxx::row& row) {
  RectificationRecord r;
  r.rectification_id = row[0].as<std::string>();
  r.inspection_id = row[1].as<std::string>();
  r.area = static_cast<InspectionArea>(kInspectionAreaNames.Value(row[2].as<std::string>()));
  r.item = row[3].as<std::string>();
  r.due_on = DayOf(row[4]);
  r.closed_on = OptionalDayOf(row[5]);
  r.close_note = row[6].as<std::string>();
  r.facility_id = row[7].as<std::string>();
  r.facility_name = row[8].as<std::string>();
  r.region_code = row[9].as<std::string>();
  return r;
}

// The draw with its picks, results and items, in `txn`; NOT_FOUND when there is none.
absl::StatusOr<DrawRecord> LoadDraw(pqxx::transaction_base& txn, const std::string& draw_id,
                                    bool lock) {
  pqxx::result head =
      txn.exec_prepared(lock ? "inspection_draw_lock" : "inspection_draw_get", draw_id);
  if (head.empty()) return absl::NotFoundError("draw_id: no such draw");
  DrawRecord d = DrawFromRow(head[0]);
  for (const auto& row : txn.exec_prepared("inspection_draw_inspectors_of", draw_id)) {
    d.inspectors.push_back(
        {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()});
  }
  std::map<std::string, size_t> at;
  for (const auto& row : txn.exec_prepared("inspection_inspections_of", draw_id)) {
    at[row[0].as<std::string>()] = d.inspections.size();
    d.inspections.push_back({row[0].as<std::string>(),
                             row[1].as<std::string>(),
                             row[2].as<std::string>(),
                             row[3].as<std::string>(),
                             {}});
  }
  for (const auto& row : txn.exec_prepared("inspection_results_of", draw_id)) {
    ResultRecord r;
    r.area = static_cast<InspectionArea>(kInspectionAreaNames.Value(row[1].as<std::string>()));
    r.passed = row[2].as<bool>();
    r.findings = row[3].as<std::string>();
    r.inspected_on = DayOf(row[4]);
    r.recorded_by = row[5].as<std::string>();
    d.inspections[at[row[0].as<std::string>()]].results.push_back(std::move(r));
  }
  for (const auto& row : txn.exec_prepared("inspection_rectifications_of", draw_id)) {
    RectificationRecord r = RectificationFromRow(row);
    for (ResultRecord& result : d.inspections[at[r.inspection_id]].results) {
      if (result.area == r.area) result.rectifications.push_back(r);
    }
  }
  return d;
}

}  // namespace

InspectionStore::InspectionStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("inspector_insert",
                 absl::StrCat("INSERT INTO inspectors (name, organisation, region_code, added_on, "
                              "added_by) VALUES ($1, $2, $3, $4::date, $5) RETURNING ",
                              kInspectorColumns));
  pool_->Prepare("inspector_lock",
                 absl::StrCat("SELECT ", kInspectorColumns,
                              " FROM inspectors WHERE inspector_id = $1::uuid FOR UPDATE"));
  pool_->Prepare("inspector_retire",
                 absl::StrCat("UPDATE inspectors SET retired_on = $2::date, updated_at = now() "
                              "WHERE inspector_id = $1::uuid RETURNING ",
                              kInspectorColumns));
  pool_->Prepare("inspector_list", absl::StrCat("SELECT ", kInspectorColumns,
                                                " FROM inspectors WHERE region_code LIKE $1 || "
                                                "'%' ORDER BY seq"));
  // The pools of a draw in region $1 on day $2.
  pool_->Prepare("inspection_inspector_pool",
                 "SELECT inspector_id::text FROM inspectors WHERE added_on <= $2::date AND "
                 "(retired_on IS NULL OR retired_on > $2::date) AND (region_code LIKE $1 || '%' "
                 "OR $1 LIKE region_code || '%')");
  pool_->Prepare("inspection_institution_pool",
                 "SELECT facility_id::text FROM facilities WHERE kind IN "
                 "('TOWNSHIP_INSTITUTION', 'SMART_INSTITUTION') AND status = 'OPERATING' AND "
                 "operating_since <= $2::date AND region_code LIKE $1 || '%'");
  pool_->Prepare("inspection_draw_insert",
                 "INSERT INTO inspection_draws (region_prefix, seed, algorithm, inspectors_asked, "
                 "institutions_asked, inspector_pool, institution_pool, drawn_on, drawn_by, "
                 "status) VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7::uuid[], $8::date, $9, "
                 "'DRAWN') RETURNING draw_id::text");
  pool_->Prepare("inspection_draw_inspector_insert",
                 "INSERT INTO inspection_draw_inspectors (draw_id, position, inspector_id) VALUES "
                 "($1::uuid, $2, $3::uuid)");
  pool_->Prepare("inspection_insert",
                 "INSERT INTO inspections (draw_id, position, facility_id, region_code) SELECT "
                 "$1::uuid, $2, facility_id, region_code FROM facilities WHERE facility_id = "
                 "$3::uuid");
  pool_->Prepare("inspection_draw_get", absl::StrCat("SELECT ", kDrawColumns,
                                                     " FROM inspection_draws WHERE draw_id = "
                                                     "$1::uuid"));
  pool_->Prepare("inspection_draw_lock",
                 absl::StrCat("SELECT ", kDrawColumns,
                              " FROM inspection_draws WHERE draw_id = $1::uuid FOR UPDATE"));
  pool_->Prepare("inspection_draw_list",
                 absl::StrCat("SELECT ", kDrawColumns,
                              " FROM inspection_draws WHERE region_prefix LIKE $1 || '%' AND ($2 = "
                              "0 OR seq < $2) ORDER BY seq DESC LIMIT $3"));
  pool_->Prepare("inspection_draw_inspectors_of",
                 "SELECT di.inspector_id::text, ins.name, ins.organisation FROM "
                 "inspection_draw_inspectors di JOIN inspectors ins USING (inspector_id) WHERE "
                 "di.draw_id = $1::uuid ORDER BY di.position");
  pool_->Prepare("inspection_inspections_of",
                 "SELECT i.inspection_id::text, i.facility_id::text, f.name, i.region_code FROM "
                 "inspections i JOIN facilities f USING (facility_id) WHERE i.draw_id = $1::uuid "
                 "ORDER BY i.position");
  pool_->Prepare("inspection_results_of",
                 "SELECT r.inspection_id::text, r.area, r.passed, r.findings, "
                 "r.inspected_on::text, r.recorded_by FROM inspection_results r JOIN inspections "
                 "i USING (inspection_id) WHERE i.draw_id = $1::uuid ORDER BY i.position, "
                 "array_position(ARRAY['FIRE', 'FOOD', 'MEDICAL'], r.area)");
  pool_->Prepare("inspection_rectifications_of",
                 absl::StrCat("SELECT ", kRectificationColumns, kRectificationFrom,
                              " WHERE i.draw_id = $1::uuid ORDER BY r.seq"));
  pool_->Prepare("inspection_of",
                 "SELECT draw_id::text, region_code FROM inspections WHERE inspection_id = "
                 "$1::uuid");
  pool_->Prepare("inspection_result_insert",
                 "INSERT INTO inspection_results (inspection_id, area, passed, findings, "
                 "inspected_on, recorded_by) VALUES ($1::uuid, $2, $3, $4, $5::date, $6)");
  pool_->Prepare("rectification_insert",
                 "INSERT INTO rectifications (inspection_id, area, item, due_on, region_code) "
                 "VALUES ($1::uuid, $2, $3, $4::date, $5)");
  pool_->Prepare("inspection_publish",
                 "UPDATE inspection_draws SET status = 'PUBLISHED', published_on = $2::date, "
                 "published_by = $3, updated_at = now() WHERE draw_id = $1::uuid");
  pool_->Prepare(
      "rectification_lock",
      absl::StrCat("SELECT ", kRectificationColumns, ", res.inspected_on::text", kRectificationFrom,
                   " JOIN inspection_results res ON res.inspection_id = "
                   "r.inspection_id AND res.area = r.area WHERE r.rectification_id = "
                   "$1::uuid FOR UPDATE OF r"));
  pool_->Prepare("rectification_close",
                 "UPDATE rectifications SET closed_on = $2::date, close_note = $3, closed_by = "
                 "$4, updated_at = now() WHERE rectification_id = $1::uuid");
  pool_->Prepare("rectification_get",
                 absl::StrCat("SELECT ", kRectificationColumns, kRectificationFrom,
                              " WHERE r.rectification_id = $1::uuid"));
  pool_->Prepare("rectification_overdue",
                 absl::StrCat("SELECT ", kRectificationColumns, kRectificationFrom,
                              " WHERE r.region_code LIKE $1 || '%' AND r.due_on < $2::date AND "
                              "(r.closed_on IS NULL OR r.closed_on > $2::date) ORDER BY r.due_on, "
                              "r.seq OFFSET $3 LIMIT $4"));
}

absl::StatusOr<InspectorRecord> InspectionStore::AddInspector(const InspectorDraft& draft,
                                                              const std::string& actor) {
  InspectorRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    created = InspectorFromRow(txn.exec_prepared1("inspector_insert", draft.name,
                                                  draft.organisation, draft.region.value(),
                                                  FormatDay(draft.added_on), actor));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<InspectorRecord> InspectionStore::RetireInspector(
    const std::string& inspector_id, absl::CivilDay on, const RegionCheckFn& check_region) {
  InspectorRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("inspector_lock", inspector_id);
    if (r.empty()) return absl::NotFoundError("inspector_id: no such inspector");
    const InspectorRecord current = InspectorFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(CheckRetirement(current.added_on, current.retired_on, on));
    updated = InspectorFromRow(txn.exec_prepared1("inspector_retire", inspector_id, FormatDay(on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<std::vector<InspectorRecord>> InspectionStore::ListInspectors(
    const std::string& region_prefix) {
  std::vector<InspectorRecord> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("inspector_list", region_prefix)) {
      out.push_back(InspectorFromRow(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<DrawRecord> InspectionStore::Draw(const DrawRequest& request,
                                                 const std::string& actor) {
  DrawRecord drawn;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string on = FormatDay(request.on);
    std::vector<std::string> inspector_pool, institution_pool;
    for (const auto& row :
         txn.exec_prepared("inspection_inspector_pool", request.region_prefix, on)) {
      inspector_pool.push_back(row[0].as<std::string>());
    }
    for (const auto& row :
         txn.exec_prepared("inspection_institution_pool", request.region_prefix, on)) {
      institution_pool.push_back(row[0].as<std::string>());
    }
    std::sort(inspector_pool.begin(), inspector_pool.end());
    std::sort(institution_pool.begin(), institution_pool.end());
    CIVIL_ASSIGN_OR_RETURN(const DrawPicks picks,
                           eldercare::Draw(request.seed, inspector_pool, request.inspectors,
                                           institution_pool, request.institutions));
    const std::string draw_id =
        txn.exec_prepared1("inspection_draw_insert", request.region_prefix,
                           absl::StrCat(request.seed), std::string(kDrawAlgorithm),
                           request.inspectors, request.institutions, ArrayLiteral(inspector_pool),
                           ArrayLiteral(institution_pool), on, actor)[0]
            .as<std::string>();
    for (size_t i = 0; i < picks.inspectors.size(); ++i) {
      txn.exec_prepared("inspection_draw_inspector_insert", draw_id, static_cast<int>(i),
                        picks.inspectors[i]);
    }
    for (size_t i = 0; i < picks.institutions.size(); ++i) {
      txn.exec_prepared("inspection_insert", draw_id, static_cast<int>(i), picks.institutions[i]);
    }
    CIVIL_ASSIGN_OR_RETURN(drawn, LoadDraw(txn, draw_id, /*lock=*/false));
    return absl::OkStatus();
  }));
  return drawn;
}

absl::StatusOr<DrawRecord> InspectionStore::Get(const std::string& draw_id) {
  absl::StatusOr<DrawRecord> out = absl::NotFoundError("draw_id: no such draw");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    out = LoadDraw(txn, draw_id, /*lock=*/false);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Page<DrawRecord>> InspectionStore::ListDraws(const std::string& region_prefix,
                                                            int64_t before, int page_size) {
  Page<DrawRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("inspection_draw_list", region_prefix, before, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(DrawFromRow(rows[i]));
      page.next_after = rows[i][kDrawSeq].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<DrawRecord> InspectionStore::RecordResult(const std::string& inspection_id,
                                                         const ResultDraft& draft,
                                                         const std::string& actor,
                                                         const RegionCheckFn& check_region) {
  DrawRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result of = txn.exec_prepared("inspection_of", inspection_id);
    if (of.empty()) return absl::NotFoundError("inspection_id: no such inspection");
    const std::string draw_id = of[0][0].as<std::string>();
    const std::string region = of[0][1].as<std::string>();
    CIVIL_RETURN_IF_ERROR(check_region(region));
    CIVIL_ASSIGN_OR_RETURN(const DrawRecord draw, LoadDraw(txn, draw_id, /*lock=*/true));
    CIVIL_RETURN_IF_ERROR(CheckResultStep(draw.status, draw.drawn_on, draft.inspected_on));
    const std::string area(kInspectionAreaNames.Name(static_cast<int>(draft.area)));
    try {
      txn.exec_prepared("inspection_result_insert", inspection_id, area, draft.passed,
                        draft.findings, FormatDay(draft.inspected_on), actor);
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("area: the ", area, " check of this inspection is recorded already"));
    }
    for (const RectificationDraft& r : draft.rectifications) {
      txn.exec_prepared("rectification_insert", inspection_id, area, r.item, FormatDay(r.due_on),
                        region);
    }
    CIVIL_ASSIGN_OR_RETURN(updated, LoadDraw(txn, draw_id, /*lock=*/false));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<DrawRecord> InspectionStore::Publish(const std::string& draw_id, absl::CivilDay on,
                                                    const std::string& actor,
                                                    const RegionCheckFn& check_region) {
  DrawRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const DrawRecord draw, LoadDraw(txn, draw_id, /*lock=*/true));
    CIVIL_RETURN_IF_ERROR(check_region(draw.region_prefix));
    int missing = 0;
    std::string first_missing;
    for (const InspectionRecord& i : draw.inspections) {
      for (int area = 1; kInspectionAreaNames.Valid(area); ++area) {
        const bool recorded =
            std::any_of(i.results.begin(), i.results.end(),
                        [&](const ResultRecord& r) { return static_cast<int>(r.area) == area; });
        if (recorded) continue;
        if (missing++ == 0) {
          first_missing = absl::StrCat(i.facility_name, " ", kInspectionAreaNames.Name(area));
        }
      }
    }
    CIVIL_RETURN_IF_ERROR(CheckPublish(draw.status, draw.drawn_on, missing, first_missing, on));
    txn.exec_prepared("inspection_publish", draw_id, FormatDay(on), actor);
    CIVIL_ASSIGN_OR_RETURN(updated, LoadDraw(txn, draw_id, /*lock=*/false));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<RectificationRecord> InspectionStore::CloseRectification(
    const std::string& rectification_id, absl::CivilDay on, const std::string& note,
    const std::string& actor, const RegionCheckFn& check_region) {
  RectificationRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("rectification_lock", rectification_id);
    if (r.empty()) return absl::NotFoundError("rectification_id: no such rectification item");
    const RectificationRecord current = RectificationFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(CheckRectificationClose(current.closed_on, DayOf(r[0][10]), on));
    txn.exec_prepared("rectification_close", rectification_id, FormatDay(on), note, actor);
    updated = RectificationFromRow(txn.exec_prepared1("rectification_get", rectification_id));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<std::vector<RectificationRecord>> InspectionStore::Overdue(
    const std::string& region_prefix, absl::CivilDay day, int64_t offset, int limit) {
  std::vector<RectificationRecord> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row :
         txn.exec_prepared("rectification_overdue", region_prefix, FormatDay(day), offset, limit)) {
      out.push_back(RectificationFromRow(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace civil::eldercare
