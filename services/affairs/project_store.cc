#include "services/affairs/project_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::affairs {
namespace {

const std::string& Columns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "project_id::text, kind, name, region_code, target_year, due_date::text, started_on::text, "
      "completed_on::text, accepted_on::text, version, ",
      MicrosOf("created_at"), ", seq"));
  return *columns;
}

ProjectRecord FromRow(const pqxx::row& row) {
  ProjectRecord r;
  r.project_id = row[0].as<std::string>();
  r.kind = static_cast<ProjectKind>(kProjectKindNames.Value(row[1].as<std::string>()));
  r.name = row[2].as<std::string>();
  r.region_code = row[3].as<std::string>();
  r.target_year = row[4].as<int>();
  r.dates.due_date = DayOf(row[5]);
  r.dates.started = OptionalDayOf(row[6]);
  r.dates.completed = OptionalDayOf(row[7]);
  r.dates.accepted = OptionalDayOf(row[8]);
  r.version = row[9].as<int64_t>();
  r.create_time_micros = row[10].as<int64_t>();
  return r;
}

std::string KindsLiteral(const std::vector<ProjectKind>& kinds) {
  std::vector<std::string> names;
  for (ProjectKind k : kinds) names.emplace_back(kProjectKindNames.Name(static_cast<int>(k)));
  return ArrayLiteral(names);
}

}  // namespace

ProjectStore::ProjectStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("project_insert",
                 absl::StrCat("INSERT INTO projects (kind, name, region_code, target_year, "
                              "due_date, created_by) VALUES ($1, $2, $3, $4, $5::date, $6) "
                              "RETURNING ",
                              Columns()));
  pool_->Prepare("project_history_insert",
                 "INSERT INTO project_history (project_id, actor, action, on_date) "
                 "VALUES ($1::uuid, $2, $3, $4::date)");
  pool_->Prepare("project_get", absl::StrCat("SELECT ", Columns(),
                                             " FROM projects WHERE project_id = $1::uuid AND "
                                             "kind = ANY($2::text[])"));
  pool_->Prepare("project_lock", absl::StrCat("SELECT ", Columns(),
                                              " FROM projects WHERE project_id = $1::uuid AND "
                                              "kind = ANY($2::text[]) FOR UPDATE"));
  pool_->Prepare("project_milestone",
                 absl::StrCat("UPDATE projects SET started_on = $2::date, completed_on = $3::date, "
                              "accepted_on = $4::date, version = version + 1 "
                              "WHERE project_id = $1::uuid RETURNING ",
                              Columns()));
  // The status and overdue conditions mirror StatusOn and OverdueOn (project.h).
  pool_->Prepare(
      "project_list",
      absl::StrCat(
          "SELECT ", Columns(),
          " FROM projects WHERE kind = ANY($1::text[]) AND region_code LIKE $2 || '%' "
          "AND ($3 = 0 OR target_year = $3) AND seq > $4 AND ($5 = '' OR $5 = CASE "
          "WHEN accepted_on <= $6::date THEN 'ACCEPTED' WHEN completed_on <= $6::date THEN "
          "'COMPLETED' WHEN started_on <= $6::date THEN 'UNDER_CONSTRUCTION' ELSE 'PLANNED' END) "
          "AND (NOT $7 OR ((completed_on IS NULL OR completed_on > $6::date) AND "
          "$6::date > due_date)) ORDER BY seq LIMIT $8"));
}

absl::StatusOr<ProjectRecord> ProjectStore::Create(const ProjectDraft& draft,
                                                   const std::string& actor) {
  ProjectRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) {
    created = FromRow(txn.exec_prepared1(
        "project_insert", std::string(kProjectKindNames.Name(static_cast<int>(draft.kind))),
        draft.name, draft.region.value(), draft.target_year, FormatDay(draft.due_date), actor));
    txn.exec_prepared("project_history_insert", created.project_id, actor, "CREATED", nullptr);
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<ProjectRecord> ProjectStore::Get(const std::string& project_id,
                                                const std::vector<ProjectKind>& kinds) {
  absl::StatusOr<ProjectRecord> result = absl::NotFoundError("project_id: no such project");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("project_get", project_id, KindsLiteral(kinds));
    if (!r.empty()) result = FromRow(r[0]);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<ProjectRecord> ProjectStore::RecordMilestone(
    const std::string& project_id, const std::vector<ProjectKind>& kinds, Milestone milestone,
    absl::CivilDay date, const std::string& actor,
    const std::function<absl::Status(const std::string&)>& check_region) {
  ProjectRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("project_lock", project_id, KindsLiteral(kinds));
    if (r.empty()) return absl::NotFoundError("project_id: no such project");
    const ProjectRecord current = FromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(CheckMilestone(current.dates, milestone, date));
    const ProjectDates next = WithMilestone(current.dates, milestone, date);
    auto text = [](const std::optional<absl::CivilDay>& d) {
      return d ? std::optional<std::string>(FormatDay(*d)) : std::nullopt;
    };
    const auto started = text(next.started), completed = text(next.completed),
               accepted = text(next.accepted);
    updated = FromRow(txn.exec_prepared1("project_milestone", project_id, OrNull(started),
                                         OrNull(completed), OrNull(accepted)));
    txn.exec_prepared("project_history_insert", project_id, actor,
                      std::string(kMilestoneNames.Name(static_cast<int>(milestone))),
                      FormatDay(date));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<Page<ProjectRecord>> ProjectStore::List(const ProjectFilter& filter, int64_t after,
                                                       int page_size) {
  static constexpr absl::string_view kStatusNames[] = {"", "PLANNED", "UNDER_CONSTRUCTION",
                                                       "COMPLETED", "ACCEPTED"};
  const std::string status =
      filter.status ? std::string(kStatusNames[static_cast<int>(*filter.status)]) : "";
  Page<ProjectRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(
        "project_list", KindsLiteral(filter.kinds), filter.region_prefix, filter.target_year, after,
        status, FormatDay(filter.as_of), filter.overdue_only, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(FromRow(rows[i]));
      page.next_after = rows[i][11].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

}  // namespace civil::affairs
