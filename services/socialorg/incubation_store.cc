#include "services/socialorg/incubation_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/store_util.h"

namespace civil::socialorg {

IncubationStore::IncubationStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("socialorg_centre_insert",
                 "INSERT INTO incubation_centres (name, region_code, established_on, "
                 "recorded_by) VALUES ($1, $2, $3::date, $4) RETURNING centre_id::text");
  pool_->Prepare("socialorg_centres_established",
                 "SELECT name FROM incubation_centres WHERE region_code LIKE $1 || '%' AND "
                 "established_on >= $2::date AND established_on <= $3::date ORDER BY "
                 "established_on, seq");
  pool_->Prepare("socialorg_centre_get",
                 "SELECT name, region_code, established_on::text, recorded_by FROM "
                 "incubation_centres WHERE centre_id = $1::uuid FOR SHARE");
  pool_->Prepare("socialorg_centre_members",
                 "SELECT i.organisation_id::text, o.name, i.admitted_on::text FROM "
                 "incubated_organisations i JOIN organisations o USING (organisation_id) WHERE "
                 "i.centre_id = $1::uuid ORDER BY i.admitted_on, i.created_at");
  pool_->Prepare("socialorg_centre_org",
                 "SELECT status, established_on::text, deregistered_on::text, region_code FROM "
                 "organisations WHERE organisation_id = $1::uuid FOR SHARE");
  pool_->Prepare("socialorg_centre_admit",
                 "INSERT INTO incubated_organisations (centre_id, organisation_id, admitted_on, "
                 "recorded_by) VALUES ($1::uuid, $2::uuid, $3::date, $4)");
}

absl::StatusOr<CentreRecord> IncubationStore::Load(pqxx::transaction_base& txn,
                                                   const std::string& centre_id) {
  pqxx::result r = txn.exec_prepared("socialorg_centre_get", centre_id);
  if (r.empty()) return absl::NotFoundError("centre_id: no such incubation centre");
  CentreRecord c;
  c.centre_id = centre_id;
  c.centre = {r[0][0].as<std::string>(), r[0][1].as<std::string>(), DayOf(r[0][2])};
  c.recorded_by = r[0][3].as<std::string>();
  for (const auto& row : txn.exec_prepared("socialorg_centre_members", centre_id)) {
    c.organisations.push_back({row[0].as<std::string>(), row[1].as<std::string>(), DayOf(row[2])});
  }
  return c;
}

absl::StatusOr<CentreRecord> IncubationStore::Create(const IncubationCentre& centre,
                                                     const std::string& actor) {
  CentreRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    std::string id;
    try {
      id = txn.exec_prepared1("socialorg_centre_insert", centre.name, centre.region_code,
                              FormatDay(centre.established_on), actor)[0]
               .as<std::string>();
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError("name: the region has a centre of this name already");
    }
    CIVIL_ASSIGN_OR_RETURN(created, Load(txn, id));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<CentreRecord> IncubationStore::Get(const std::string& centre_id,
                                                  const RegionVet& vet) {
  CentreRecord c;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(c, Load(txn, centre_id));
    return vet(c.centre.region_code);
  }));
  return c;
}

absl::StatusOr<CentreRecord> IncubationStore::Admit(const std::string& centre_id,
                                                    const std::string& organisation_id,
                                                    absl::CivilDay admitted_on,
                                                    const std::string& actor,
                                                    const RegionVet& vet) {
  CentreRecord c;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(c, Load(txn, centre_id));
    CIVIL_RETURN_IF_ERROR(vet(c.centre.region_code));
    pqxx::result r = txn.exec_prepared("socialorg_centre_org", organisation_id);
    if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
    CIVIL_RETURN_IF_ERROR(vet(r[0][3].as<std::string>()));
    OrgState state;
    state.status = static_cast<OrgStatus>(kOrgStatusNames.Value(r[0][0].as<std::string>()));
    state.established_on = OptionalDayOf(r[0][1]);
    state.deregistered_on = OptionalDayOf(r[0][2]);
    CIVIL_RETURN_IF_ERROR(CheckAdmission(c.centre, state, admitted_on));
    try {
      txn.exec_prepared("socialorg_centre_admit", centre_id, organisation_id,
                        FormatDay(admitted_on), actor);
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError("organisation_id: the centre incubates it already");
    }
    CIVIL_ASSIGN_OR_RETURN(c, Load(txn, centre_id));
    return absl::OkStatus();
  }));
  return c;
}

absl::StatusOr<std::vector<std::string>> IncubationStore::EstablishedIn(
    const std::string& region_prefix, absl::CivilDay start, absl::CivilDay end) {
  std::vector<std::string> names;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("socialorg_centres_established", region_prefix,
                                             FormatDay(start), FormatDay(end))) {
      names.push_back(row[0].as<std::string>());
    }
    return absl::OkStatus();
  }));
  return names;
}

}  // namespace civil::socialorg
