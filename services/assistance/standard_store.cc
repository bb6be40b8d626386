#include "services/assistance/standard_store.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::assistance {

using google::protobuf::util::TimeUtil;

StandardStore::StandardStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare(
      "standard_set",
      "INSERT INTO benefit_standards (programme, area, region_prefix, effective_from, "
      "monthly_fen, supplement_ill_fen, supplement_disabled_fen, supplement_elderly_fen, "
      "supplement_minor_fen, marginal_permille, set_by, reason) VALUES ($1, $2, $3, "
      "$4::date, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING standard_id::text, "
      "(extract(epoch from set_at) * 1000000)::bigint");
  pool_->Prepare(
      "standard_list",
      "SELECT * FROM (SELECT standard_id::text, programme, area, region_prefix, "
      "effective_from::text, monthly_fen, supplement_ill_fen, supplement_disabled_fen, "
      "supplement_elderly_fen, supplement_minor_fen, marginal_permille, set_by, "
      "(extract(epoch from set_at) * 1000000)::bigint, reason, row_number() OVER (ORDER BY "
      "effective_from DESC, set_at DESC, standard_id) AS n FROM benefit_standards WHERE ($1 = '' "
      "OR programme = $1) AND region_prefix LIKE $2 || '%') s WHERE n > $3 ORDER BY n LIMIT $4");
  pool_->Prepare(
      "standard_standards_for",
      "SELECT standard_id::text, region_prefix, effective_from::text, monthly_fen, "
      "supplement_ill_fen, supplement_disabled_fen, supplement_elderly_fen, "
      "supplement_minor_fen, marginal_permille FROM benefit_standards WHERE programme = $1 "
      "AND ($2 = '' OR area = $2) AND ($3 = '' OR $3 LIKE region_prefix || '%' OR "
      "region_prefix LIKE $3 || '%') AND effective_from <= $4::date");
}

absl::StatusOr<v1::Standard> StandardStore::Set(const v1::Standard& s, const std::string& actor) {
  v1::Standard out = s;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      pqxx::row r = txn.exec_prepared1(
          "standard_set", std::string(ProgrammeName(static_cast<Programme>(s.programme()))),
          s.area() == civil::common::v1::AREA_URBAN ? "URBAN" : "RURAL", s.region_prefix(),
          s.effective_from(), s.monthly_fen(), s.supplement_seriously_ill_fen(),
          s.supplement_severely_disabled_fen(), s.supplement_elderly_fen(),
          s.supplement_minor_fen(), MarginalMultiplierPermille(s.marginal_multiplier_permille()),
          actor, s.reason());
      out.set_standard_id(r[0].as<std::string>());
      *out.mutable_set_at() = TimeUtil::MicrosecondsToTimestamp(r[1].as<int64_t>());
      out.set_set_by(actor);
      out.set_marginal_multiplier_permille(
          MarginalMultiplierPermille(out.marginal_multiplier_permille()));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          "standard: one is already set for this programme, area, region and date");
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<v1::Standard>> StandardStore::List(int programme,
                                                              const std::string& region_prefix,
                                                              int64_t after, int page_size,
                                                              int64_t* next) {
  std::vector<v1::Standard> out;
  *next = 0;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    // Newest first: pages walk down a row number over (effective_from DESC, standard_id).
    pqxx::result rows = txn.exec_prepared(
        "standard_list",
        programme == 0 ? std::string()
                       : std::string(ProgrammeName(static_cast<Programme>(programme))),
        region_prefix, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      const auto& r = rows[i];
      v1::Standard s;
      s.set_standard_id(r[0].as<std::string>());
      s.set_programme(ProgrammeEnum(r[1].as<std::string>()));
      s.set_area(AreaEnum(r[2].as<std::string>()));
      s.set_region_prefix(r[3].as<std::string>());
      s.set_effective_from(r[4].as<std::string>());
      s.set_monthly_fen(r[5].as<int64_t>());
      s.set_supplement_seriously_ill_fen(r[6].as<int64_t>());
      s.set_supplement_severely_disabled_fen(r[7].as<int64_t>());
      s.set_supplement_elderly_fen(r[8].as<int64_t>());
      s.set_supplement_minor_fen(r[9].as<int64_t>());
      s.set_marginal_multiplier_permille(r[10].as<int>());
      s.set_set_by(r[11].as<std::string>());
      *s.mutable_set_at() = TimeUtil::MicrosecondsToTimestamp(r[12].as<int64_t>());
      s.set_reason(r[13].as<std::string>());
      out.push_back(std::move(s));
      *next = r[14].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) *next = 0;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<StandardValues> StandardStore::InForce(pqxx::transaction_base& txn,
                                                      Programme programme, absl::string_view area,
                                                      const std::string& region_code,
                                                      absl::CivilMonth month) {
  // The candidates (the programme's standards of the area for a prefix of the region); the
  // choice among them is the domain's rule, StandardInForce.
  const std::vector<StandardRecord> candidates =
      StandardsFor(txn, programme, area, region_code, month);
  const std::optional<size_t> chosen = StandardInForce(candidates, region_code, month);
  if (!chosen) {
    return absl::FailedPreconditionError(
        absl::StrCat("no ", ProgrammeName(programme), " standard is set for ", area, " region ",
                     region_code, " in ", FormatMonth(month), ": set one with SetStandard"));
  }
  return candidates[*chosen].values;
}

std::vector<StandardRecord> StandardStore::StandardsFor(pqxx::transaction_base& txn,
                                                        Programme programme, absl::string_view area,
                                                        const std::string& region_code,
                                                        absl::CivilMonth month) {
  std::vector<StandardRecord> out;
  for (const auto& r :
       txn.exec_prepared("standard_standards_for", std::string(ProgrammeName(programme)),
                         std::string(area), region_code, MonthDay(month))) {
    StandardRecord s;
    s.standard_id = r[0].as<std::string>();
    s.region_prefix = r[1].as<std::string>();
    s.effective_from = DayOf(r[2]);
    s.values.monthly = Money::Fen(r[3].as<int64_t>());
    s.values.supplement_seriously_ill = Money::Fen(r[4].as<int64_t>());
    s.values.supplement_severely_disabled = Money::Fen(r[5].as<int64_t>());
    s.values.supplement_elderly = Money::Fen(r[6].as<int64_t>());
    s.values.supplement_minor = Money::Fen(r[7].as<int64_t>());
    s.values.marginal_multiplier_permille = r[8].as<int>();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace civil::assistance
