#include "services/governance/boundary_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::governance {
namespace {

constexpr char kLineColumns[] = "line_id::text, township_code, neighbour, name";
constexpr char kMarkerColumns[] =
    "marker_id::text, line_id::text, code, latitude, longitude, kind, status, placed_on::text, "
    "board_installed_on::text";
constexpr char kInspectionColumns[] =
    "line_id::text, year, completed_on::text, archive_ref, note, recorded_by";

LineRecord LineFromRow(const pqxx::row& row) {
  return LineRecord{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                    row[3].as<std::string>()};
}

MarkerRecord MarkerFromRow(const pqxx::row& row) {
  MarkerRecord m;
  m.marker_id = row[0].as<std::string>();
  m.line_id = row[1].as<std::string>();
  m.marker.code = row[2].as<std::string>();
  m.marker.latitude = row[3].as<double>();
  m.marker.longitude = row[4].as<double>();
  m.marker.kind = static_cast<MarkerKind>(kMarkerKindNames.Value(row[5].as<std::string>()));
  m.marker.status = static_cast<MarkerStatus>(kMarkerStatusNames.Value(row[6].as<std::string>()));
  m.marker.placed_on = DayOf(row[7]);
  m.board_installed_on = OptionalDayOf(row[8]);
  return m;
}

InspectionRecord InspectionFromRow(const pqxx::row& row) {
  return InspectionRecord{row[0].as<std::string>(),
                          InspectionDraft{row[1].as<int>(), DayOf(row[2]), row[3].as<std::string>(),
                                          row[4].as<std::string>()},
                          row[5].as<std::string>()};
}

}  // namespace

BoundaryStore::BoundaryStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("line_township", "SELECT kind FROM regions WHERE code = $1");
  pool_->Prepare("line_insert",
                 absl::StrCat("INSERT INTO boundary_lines (township_code, neighbour, name, "
                              "created_by) VALUES ($1, $2, $3, $4) RETURNING ",
                              kLineColumns));
  pool_->Prepare("line_get", absl::StrCat("SELECT ", kLineColumns,
                                          " FROM boundary_lines WHERE line_id = $1::uuid"));
  pool_->Prepare("line_list", absl::StrCat("SELECT ", kLineColumns,
                                           " FROM boundary_lines WHERE township_code LIKE $1 || "
                                           "'%' ORDER BY name"));
  pool_->Prepare("marker_insert",
                 absl::StrCat("INSERT INTO boundary_markers (line_id, code, latitude, longitude, "
                              "kind, status, placed_on, recorded_by) VALUES ($1::uuid, $2, $3, "
                              "$4, $5, $6, $7::date, $8) RETURNING ",
                              kMarkerColumns));
  pool_->Prepare("marker_lock",
                 absl::StrCat("SELECT ", kMarkerColumns,
                              ", (SELECT township_code FROM boundary_lines l WHERE l.line_id = "
                              "m.line_id) FROM boundary_markers m WHERE marker_id = $1::uuid FOR "
                              "UPDATE"));
  pool_->Prepare("marker_board",
                 absl::StrCat("UPDATE boundary_markers SET board_installed_on = $2::date WHERE "
                              "marker_id = $1::uuid RETURNING ",
                              kMarkerColumns));
  pool_->Prepare("markers_of", absl::StrCat("SELECT ", kMarkerColumns,
                                            " FROM boundary_markers WHERE line_id = $1::uuid "
                                            "ORDER BY code"));
  pool_->Prepare("inspection_insert",
                 absl::StrCat("INSERT INTO boundary_inspections (line_id, year, completed_on, "
                              "archive_ref, note, recorded_by) VALUES ($1::uuid, $2, $3::date, "
                              "$4, $5, $6) RETURNING ",
                              kInspectionColumns));
  pool_->Prepare("inspections_of", absl::StrCat("SELECT ", kInspectionColumns,
                                                " FROM boundary_inspections WHERE line_id = "
                                                "$1::uuid ORDER BY year"));
  pool_->Prepare("boundary_inspected",
                 "SELECT DISTINCT l.neighbour, l.line_id FROM boundary_lines l JOIN "
                 "boundary_inspections i USING (line_id) WHERE l.township_code LIKE $1 || '%' AND "
                 "i.completed_on BETWEEN $2::date AND $3::date ORDER BY l.neighbour");
  pool_->Prepare("boundary_boards",
                 "SELECT count(*) FROM boundary_markers m JOIN boundary_lines l USING (line_id) "
                 "WHERE l.township_code LIKE $1 || '%' AND m.kind = 'TRI_POINT' AND "
                 "m.board_installed_on <= $2::date");
}

absl::StatusOr<LineRecord> BoundaryStore::CreateLine(const LineDraft& draft,
                                                     const std::string& actor) {
  LineRecord line;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string& township = draft.township.value();
    if (txn.exec_prepared("line_township", township).empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("township_code: ", township, " is not in the region tree"));
    }
    try {
      line = LineFromRow(
          txn.exec_prepared1("line_insert", township, draft.neighbour, draft.name, actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(absl::StrCat("name: a line named ", draft.name, " exists"));
    }
    return absl::OkStatus();
  }));
  return line;
}

absl::StatusOr<std::vector<LineRecord>> BoundaryStore::Lines(const std::string& region_prefix) {
  std::vector<LineRecord> lines;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("line_list", region_prefix)) {
      lines.push_back(LineFromRow(row));
    }
    return absl::OkStatus();
  }));
  return lines;
}

absl::StatusOr<MarkerRecord> BoundaryStore::AddMarker(const std::string& line_id,
                                                      const MarkerDraft& marker,
                                                      const std::string& actor,
                                                      const ScopeCheck& check_scope) {
  MarkerRecord added;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("line_get", line_id);
    if (r.empty()) return absl::NotFoundError("line_id: no such boundary line");
    CIVIL_RETURN_IF_ERROR(check_scope(LineFromRow(r[0]).township_code));
    try {
      added = MarkerFromRow(txn.exec_prepared1(
          "marker_insert", line_id, marker.code, marker.latitude, marker.longitude,
          std::string(kMarkerKindNames.Name(static_cast<int>(marker.kind))),
          std::string(kMarkerStatusNames.Name(static_cast<int>(marker.status))),
          FormatDay(marker.placed_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(absl::StrCat("code: marker ", marker.code, " exists"));
    }
    return absl::OkStatus();
  }));
  return added;
}

absl::StatusOr<MarkerRecord> BoundaryStore::InstallBoard(const std::string& marker_id,
                                                         absl::CivilDay on,
                                                         const ScopeCheck& check_scope) {
  MarkerRecord marker;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("marker_lock", marker_id);
    if (r.empty()) return absl::NotFoundError("marker_id: no such marker");
    marker = MarkerFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_scope(r[0][9].as<std::string>()));
    CIVIL_RETURN_IF_ERROR(CheckBoard(marker.marker.kind));
    if (marker.board_installed_on) {
      return absl::FailedPreconditionError(absl::StrCat("marker_id: the board was installed on ",
                                                        FormatDay(*marker.board_installed_on),
                                                        " already"));
    }
    marker = MarkerFromRow(txn.exec_prepared1("marker_board", marker_id, FormatDay(on)));
    return absl::OkStatus();
  }));
  return marker;
}

absl::StatusOr<InspectionRecord> BoundaryStore::RecordInspection(const std::string& line_id,
                                                                 const InspectionDraft& inspection,
                                                                 const std::string& actor,
                                                                 const ScopeCheck& check_scope) {
  InspectionRecord recorded;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("line_get", line_id);
    if (r.empty()) return absl::NotFoundError("line_id: no such boundary line");
    CIVIL_RETURN_IF_ERROR(check_scope(LineFromRow(r[0]).township_code));
    try {
      recorded = InspectionFromRow(txn.exec_prepared1(
          "inspection_insert", line_id, inspection.year, FormatDay(inspection.completed_on),
          inspection.archive_ref, inspection.note, actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(absl::StrCat("year: the line's joint inspection of ",
                                                   inspection.year, " is recorded already"));
    }
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<BoundaryStore::LineDetail> BoundaryStore::Get(const std::string& line_id) {
  absl::StatusOr<LineDetail> result = absl::NotFoundError("line_id: no such boundary line");
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        pqxx::result r = txn.exec_prepared("line_get", line_id);
        if (r.empty()) return absl::OkStatus();
        LineDetail d{LineFromRow(r[0]), {}, {}};
        for (const auto& row : txn.exec_prepared("markers_of", line_id)) {
          d.markers.push_back(MarkerFromRow(row));
        }
        for (const auto& row : txn.exec_prepared("inspections_of", line_id)) {
          d.inspections.push_back(InspectionFromRow(row));
        }
        result = std::move(d);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<BoundaryFigures> BoundaryStore::Figures(const std::string& region_prefix,
                                                       absl::CivilDay start, absl::CivilDay end) {
  BoundaryFigures f;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        for (const auto& row : txn.exec_prepared("boundary_inspected", region_prefix,
                                                 FormatDay(start), FormatDay(end))) {
          const std::string n = row[0].as<std::string>();
          if (f.neighbours_inspected.empty() || f.neighbours_inspected.back() != n) {
            f.neighbours_inspected.push_back(n);
          }
          ++f.lines_inspected;
        }
        f.tri_points_with_boards =
            txn.exec_prepared1("boundary_boards", region_prefix, FormatDay(end))[0].as<int>();
        return absl::OkStatus();
      }));
  return f;
}

}  // namespace civil::governance
