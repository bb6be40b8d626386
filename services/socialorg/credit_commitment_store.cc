#include "services/socialorg/credit_commitment_store.h"

#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/store_util.h"

namespace civil::socialorg {
namespace {

CommitmentRecord FromRow(const pqxx::row& row) {
  return {row[0].as<std::string>(),
          {row[1].as<int>(), row[2].as<std::string>(), DayOf(row[3])},
          row[4].as<std::string>()};
}

}  // namespace

CreditCommitmentStore::CreditCommitmentStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare(
      "socialorg_credit_org",
      "SELECT status, established_on::text, deregistered_on::text, region_code, kind, "
      "industry_association FROM organisations WHERE organisation_id = $1::uuid FOR SHARE");
  pool_->Prepare("socialorg_credit_insert",
                 "INSERT INTO credit_commitments (organisation_id, year, content, signed_on, "
                 "recorded_by) VALUES ($1::uuid, $2, $3, $4::date, $5) RETURNING "
                 "organisation_id::text, year, content, signed_on::text, recorded_by");
  pool_->Prepare("socialorg_credit_region",
                 "SELECT region_code FROM organisations WHERE organisation_id = $1::uuid");
  pool_->Prepare(
      "socialorg_credit_counts",
      "SELECT (SELECT count(*) FROM organisations o WHERE o.industry_association AND "
      "o.region_code LIKE $1 || '%' AND o.established_on <= $3::date AND (o.deregistered_on IS "
      "NULL OR o.deregistered_on > $3::date)), (SELECT count(*) FROM credit_commitments c JOIN "
      "organisations o USING (organisation_id) WHERE o.region_code LIKE $1 || '%' AND "
      "c.signed_on BETWEEN $2::date AND $3::date)");
  pool_->Prepare("socialorg_credit_of",
                 "SELECT organisation_id::text, year, content, signed_on::text, recorded_by FROM "
                 "credit_commitments WHERE organisation_id = $1::uuid ORDER BY year");
}

absl::StatusOr<CommitmentRecord> CreditCommitmentStore::Record(const std::string& organisation_id,
                                                               const CreditCommitment& commitment,
                                                               const std::string& actor,
                                                               const RegionVet& vet) {
  CommitmentRecord recorded;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("socialorg_credit_org", organisation_id);
    if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
    CIVIL_RETURN_IF_ERROR(vet(r[0][3].as<std::string>()));
    OrgState state;
    state.status = static_cast<OrgStatus>(kOrgStatusNames.Value(r[0][0].as<std::string>()));
    state.established_on = OptionalDayOf(r[0][1]);
    state.deregistered_on = OptionalDayOf(r[0][2]);
    const OrgKind kind = static_cast<OrgKind>(kOrgKindNames.Value(r[0][4].as<std::string>()));
    CIVIL_RETURN_IF_ERROR(CheckCommitment(kind, r[0][5].as<bool>(), state, commitment));
    try {
      recorded =
          FromRow(txn.exec_prepared1("socialorg_credit_insert", organisation_id, commitment.year,
                                     commitment.content, FormatDay(commitment.signed_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          "year: the organisation's commitment of the year is recorded");
    }
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::vector<CommitmentRecord>> CreditCommitmentStore::Of(
    const std::string& organisation_id, const RegionVet& vet) {
  std::vector<CommitmentRecord> records;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        records.clear();
        pqxx::result r = txn.exec_prepared("socialorg_credit_region", organisation_id);
        if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
        CIVIL_RETURN_IF_ERROR(vet(r[0][0].as<std::string>()));
        for (const auto& row : txn.exec_prepared("socialorg_credit_of", organisation_id)) {
          records.push_back(FromRow(row));
        }
        return absl::OkStatus();
      }));
  return records;
}

absl::StatusOr<CommitmentCounts> CreditCommitmentStore::CountIn(const std::string& region_prefix,
                                                                absl::CivilDay start,
                                                                absl::CivilDay end) {
  CommitmentCounts counts;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::row row = txn.exec_prepared1("socialorg_credit_counts", region_prefix, FormatDay(start),
                                       FormatDay(end));
    counts.industry_associations = row[0].as<int>();
    counts.signed_in_period = row[1].as<int>();
    return absl::OkStatus();
  }));
  return counts;
}

}  // namespace civil::socialorg
