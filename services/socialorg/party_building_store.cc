#include "services/socialorg/party_building_store.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::socialorg {
namespace {

const std::string& Columns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "organisation_id::text, effective_on::text, party_organisation, trade_union, youth_league, "
      "womens_organisation, in_charter, commitment_signed, recorded_by, ",
      MicrosOf("created_at")));
  return *columns;
}

PartyBuildingRecord FromRow(const pqxx::row& row) {
  PartyBuildingRecord r;
  r.organisation_id = row[0].as<std::string>();
  r.record =
      PartyBuilding{DayOf(row[1]),     row[2].as<bool>(), row[3].as<bool>(), row[4].as<bool>(),
                    row[5].as<bool>(), row[6].as<bool>(), row[7].as<bool>()};
  r.recorded_by = row[8].as<std::string>();
  r.create_time_micros = row[9].as<int64_t>();
  return r;
}

}  // namespace

PartyBuildingStore::PartyBuildingStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("socialorg_party_org",
                 "SELECT status, established_on::text, deregistered_on::text, region_code FROM "
                 "organisations WHERE organisation_id = $1::uuid FOR SHARE");
  pool_->Prepare("socialorg_party_insert",
                 absl::StrCat("INSERT INTO party_building (organisation_id, effective_on, "
                              "party_organisation, trade_union, youth_league, "
                              "womens_organisation, in_charter, commitment_signed, recorded_by) "
                              "VALUES ($1::uuid, $2::date, $3, $4, $5, $6, $7, $8, $9) RETURNING ",
                              Columns()));
  pool_->Prepare("socialorg_party_region",
                 "SELECT region_code FROM organisations WHERE organisation_id = $1::uuid");
  pool_->Prepare("socialorg_party_of",
                 absl::StrCat("SELECT ", Columns(),
                              " FROM party_building WHERE organisation_id = $1::uuid ORDER BY "
                              "effective_on"));
  // Organisations registered on $2 with their records from before or on that day (none: one row
  // of NULLs).
  pool_->Prepare(
      "socialorg_party_as_of",
      "SELECT o.organisation_id::text, p.effective_on::text, p.party_organisation, "
      "p.trade_union, p.youth_league, p.womens_organisation, p.in_charter, p.commitment_signed "
      "FROM organisations o LEFT JOIN party_building p ON p.organisation_id = o.organisation_id "
      "AND p.effective_on <= $2::date WHERE o.established_on <= $2::date AND (o.deregistered_on "
      "IS NULL OR o.deregistered_on > $2::date) AND o.region_code LIKE $1 || '%' ORDER BY o.seq");
}

absl::StatusOr<PartyBuildingRecord> PartyBuildingStore::Record(const std::string& organisation_id,
                                                               const PartyBuilding& record,
                                                               const std::string& actor,
                                                               const RegionVet& vet) {
  PartyBuildingRecord recorded;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("socialorg_party_org", organisation_id);
    if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
    CIVIL_RETURN_IF_ERROR(vet(r[0][3].as<std::string>()));
    OrgState state;
    state.status = static_cast<OrgStatus>(kOrgStatusNames.Value(r[0][0].as<std::string>()));
    state.established_on = OptionalDayOf(r[0][1]);
    state.deregistered_on = OptionalDayOf(r[0][2]);
    CIVIL_RETURN_IF_ERROR(CheckPartyBuildingRecordable(state, record));
    try {
      recorded = FromRow(txn.exec_prepared1(
          "socialorg_party_insert", organisation_id, FormatDay(record.effective_on),
          record.party_organisation, record.trade_union, record.youth_league,
          record.womens_organisation, record.in_charter, record.commitment_signed, actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("effective_date: the organisation has a party-building record from ",
                       FormatDay(record.effective_on), " already"));
    }
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::vector<PartyBuildingRecord>> PartyBuildingStore::Of(
    const std::string& organisation_id, const RegionVet& vet) {
  std::vector<PartyBuildingRecord> records;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        records.clear();
        pqxx::result r = txn.exec_prepared("socialorg_party_region", organisation_id);
        if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
        CIVIL_RETURN_IF_ERROR(vet(r[0][0].as<std::string>()));
        for (const auto& row : txn.exec_prepared("socialorg_party_of", organisation_id)) {
          records.push_back(FromRow(row));
        }
        return absl::OkStatus();
      }));
  return records;
}

absl::StatusOr<PartyCounts> PartyBuildingStore::CountAsOf(const std::string& region_prefix,
                                                          absl::CivilDay day) {
  std::vector<std::vector<PartyBuilding>> per_organisation;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    std::string current;
    for (const auto& row :
         txn.exec_prepared("socialorg_party_as_of", region_prefix, FormatDay(day))) {
      const std::string id = row[0].as<std::string>();
      if (id != current) {
        current = id;
        per_organisation.emplace_back();
      }
      if (row[1].is_null()) continue;
      per_organisation.back().push_back(
          PartyBuilding{DayOf(row[1]), row[2].as<bool>(), row[3].as<bool>(), row[4].as<bool>(),
                        row[5].as<bool>(), row[6].as<bool>(), row[7].as<bool>()});
    }
    return absl::OkStatus();
  }));
  return socialorg::CountAsOf(per_organisation, day);
}

}  // namespace civil::socialorg
