#include "services/governance/consultation_store.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/governance/grid.h"

namespace civil::governance {
namespace {

constexpr char kColumns[] =
    "site_id::text, village_code, name, selected_on::text, selected_by, seq";

SiteRecord SiteFromRow(const pqxx::row& row) {
  return SiteRecord{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                    DayOf(row[3]), row[4].as<std::string>()};
}

}  // namespace

ConsultationStore::ConsultationStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("site_village",
                 "SELECT name, kind, coalesce(merged_into, '') FROM regions WHERE code = $1 FOR "
                 "SHARE");
  pool_->Prepare("site_insert",
                 absl::StrCat("INSERT INTO consultation_sites (village_code, name, selected_on, "
                              "selected_by) VALUES ($1, $2, $3::date, $4) RETURNING ",
                              kColumns));
  pool_->Prepare("site_list", absl::StrCat("SELECT ", kColumns,
                                           " FROM consultation_sites WHERE village_code LIKE $1 "
                                           "|| '%' AND seq > $2 ORDER BY seq LIMIT $3"));
  pool_->Prepare("site_count",
                 "SELECT count(*) FROM consultation_sites WHERE village_code LIKE $1 || '%' AND "
                 "selected_on <= $2::date");
}

absl::StatusOr<SiteRecord> ConsultationStore::Designate(const SiteDraft& draft,
                                                        const std::string& actor) {
  SiteRecord site;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string& village = draft.village.value();
    pqxx::result r = txn.exec_prepared("site_village", village);
    std::optional<RegionFacts> facts;
    if (!r.empty()) {
      facts = RegionFacts{};
      facts->code = village;
      facts->name = r[0][0].as<std::string>();
      facts->kind = static_cast<RegionKind>(kRegionKindNames.Value(r[0][1].as<std::string>()));
      facts->merged_into = r[0][2].as<std::string>();
    }
    CIVIL_RETURN_IF_ERROR(CheckGridVillage(facts, village));
    try {
      site = SiteFromRow(txn.exec_prepared1("site_insert", village, draft.name,
                                            FormatDay(draft.selected_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("village_code: ", village, " is a consultation site already"));
    }
    return absl::OkStatus();
  }));
  return site;
}

absl::StatusOr<Page<SiteRecord>> ConsultationStore::List(const std::string& region_prefix,
                                                         int64_t after, int page_size) {
  Page<SiteRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("site_list", region_prefix, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(SiteFromRow(rows[i]));
      page.next_after = rows[i][5].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<int> ConsultationStore::CountAsOf(const std::string& region_prefix,
                                                 absl::CivilDay as_of) {
  int n = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    n = txn.exec_prepared1("site_count", region_prefix, FormatDay(as_of))[0].as<int>();
    return absl::OkStatus();
  }));
  return n;
}

}  // namespace civil::governance
