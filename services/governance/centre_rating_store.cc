#include "services/governance/centre_rating_store.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/governance/grid.h"

namespace civil::governance {
namespace {

constexpr char kColumns[] = "village_code, centre, year, stars, rated_on::text, rated_by";

RatingRecord RatingFromRow(const pqxx::row& row) {
  return RatingRecord{row[0].as<std::string>(),
                      row[1].as<std::string>(),
                      row[2].as<int>(),
                      row[3].as<int>(),
                      DayOf(row[4]),
                      row[5].as<std::string>()};
}

}  // namespace

CentreRatingStore::CentreRatingStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("rating_village",
                 "SELECT name, kind, coalesce(merged_into, '') FROM regions WHERE code = $1 FOR "
                 "SHARE");
  pool_->Prepare("rating_insert",
                 absl::StrCat("INSERT INTO centre_ratings (village_code, centre, year, stars, "
                              "rated_on, rated_by) VALUES ($1, $2, $3, $4, $5::date, $6) "
                              "RETURNING ",
                              kColumns));
  pool_->Prepare("rating_year", absl::StrCat("SELECT ", kColumns,
                                             " FROM centre_ratings WHERE year = $1 AND "
                                             "village_code LIKE $2 || '%' ORDER BY stars DESC, "
                                             "village_code"));
}

absl::StatusOr<RatingRecord> CentreRatingStore::Rate(const RatingDraft& draft,
                                                     const std::string& actor) {
  RatingRecord rating;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string& village = draft.village.value();
    pqxx::result r = txn.exec_prepared("rating_village", village);
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
      rating = RatingFromRow(txn.exec_prepared1("rating_insert", village, draft.centre, draft.year,
                                                draft.stars, FormatDay(draft.rated_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("year: ", village, "'s centre was rated for ", draft.year, " already"));
    }
    return absl::OkStatus();
  }));
  return rating;
}

absl::StatusOr<std::vector<RatingRecord>> CentreRatingStore::OfYear(
    int year, const std::string& region_prefix) {
  std::vector<RatingRecord> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("rating_year", year, region_prefix)) {
      out.push_back(RatingFromRow(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace civil::governance
