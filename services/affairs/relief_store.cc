#include "services/affairs/relief_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"

namespace civil::affairs {
namespace {

const std::string& CaseColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "case_id::text, region_code, place, intake_on::text, identity_known, name, id_masked, "
      "array_to_string(services, ','), family_tracing, coalesce(outcome, ''), closed_on::text, "
      "money_fen, note, ",
      MicrosOf("created_at"), ", seq"));
  return *columns;
}

ReliefCaseRecord CaseFromRow(const pqxx::row& row) {
  ReliefCaseRecord r;
  r.case_id = row[0].as<std::string>();
  r.region_code = row[1].as<std::string>();
  r.place = row[2].as<std::string>();
  r.intake_date = DayOf(row[3]);
  r.identity_known = row[4].as<bool>();
  r.name = row[5].as<std::string>();
  r.id_masked = row[6].as<std::string>();
  r.services = absl::StrSplit(row[7].as<std::string>(), ',', absl::SkipEmpty());
  r.family_tracing = kFamilyTracingNames.Value(row[8].as<std::string>());
  r.outcome = kReliefOutcomeNames.Value(row[9].as<std::string>());
  r.closed_date = OptionalDayOf(row[10]);
  r.money_fen = row[11].as<int64_t>();
  r.note = row[12].as<std::string>();
  r.create_time_micros = row[13].as<int64_t>();
  return r;
}

const std::string& CampaignColumns() {
  static const std::string* columns = new std::string(
      absl::StrCat("campaign_id::text, kind, name, region_code, starts_on::text, ends_on::text, "
                   "persons_reached, money_fen, ",
                   MicrosOf("created_at"), ", seq"));
  return *columns;
}

CampaignRecord CampaignFromRow(const pqxx::row& row) {
  return CampaignRecord{
      row[0].as<std::string>(),
      CampaignDraft{kCampaignKindNames.Value(row[1].as<std::string>()), row[2].as<std::string>(),
                    *RegionCode::Parse(row[3].as<std::string>()), DayOf(row[4]), DayOf(row[5]),
                    row[6].as<int>(), row[7].as<int64_t>()},
      row[8].as<int64_t>()};
}

}  // namespace

ReliefStore::ReliefStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {
  pool_->Prepare("relief_case_insert",
                 absl::StrCat("INSERT INTO relief_cases (region_code, place, intake_on, "
                              "identity_known, name, id_cipher, id_index, id_masked, services, "
                              "family_tracing, money_fen, note, created_by) VALUES ($1, $2, "
                              "$3::date, $4, $5, $6, $7, $8, $9::text[], $10, $11, $12, $13) "
                              "RETURNING ",
                              CaseColumns()));
  pool_->Prepare("relief_case_history_insert",
                 "INSERT INTO relief_case_history (case_id, actor, action, on_date, detail) "
                 "VALUES ($1::uuid, $2, $3, $4::date, $5::jsonb)");
  pool_->Prepare("relief_case_get", absl::StrCat("SELECT ", CaseColumns(),
                                                 " FROM relief_cases WHERE case_id = $1::uuid"));
  pool_->Prepare("relief_case_lock",
                 absl::StrCat("SELECT ", CaseColumns(),
                              " FROM relief_cases WHERE case_id = $1::uuid FOR UPDATE"));
  pool_->Prepare("relief_case_close",
                 absl::StrCat("UPDATE relief_cases SET outcome = $2, closed_on = $3::date, "
                              "family_tracing = $4, services = $5::text[], money_fen = money_fen "
                              "+ $6, version = version + 1 WHERE case_id = $1::uuid RETURNING ",
                              CaseColumns()));
  pool_->Prepare("relief_case_list",
                 absl::StrCat("SELECT ", CaseColumns(),
                              " FROM relief_cases WHERE region_code LIKE $1 || '%' AND (NOT $2 "
                              "OR outcome IS NULL) AND seq > $3 ORDER BY seq LIMIT $4"));
  pool_->Prepare("relief_campaign_insert",
                 absl::StrCat("INSERT INTO relief_campaigns (kind, name, region_code, starts_on, "
                              "ends_on, persons_reached, money_fen, created_by) VALUES ($1, $2, "
                              "$3, $4::date, $5::date, $6, $7, $8) RETURNING ",
                              CampaignColumns()));
  pool_->Prepare("relief_campaign_list",
                 absl::StrCat("SELECT ", CampaignColumns(),
                              " FROM relief_campaigns WHERE region_code LIKE $1 || '%' AND seq > "
                              "$2 ORDER BY seq LIMIT $3"));
}

absl::StatusOr<ReliefCaseRecord> ReliefStore::OpenCase(const ReliefCaseDraft& draft,
                                                       const std::string& actor) {
  std::optional<StoredId> id;
  if (draft.id) {
    CIVIL_ASSIGN_OR_RETURN(id, ProtectId(*pii_, *draft.id));
  }
  ReliefCaseRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) {
    // libpqxx 6 has no nullable bytea parameter: two calls, with and without the ID number.
    pqxx::row row =
        id ? txn.exec_prepared1("relief_case_insert", draft.region.value(), draft.place,
                                FormatDay(draft.intake_date), draft.identity_known, draft.name,
                                Bytes(id->cipher), id->index, id->masked,
                                ArrayLiteral(draft.services),
                                std::string(kFamilyTracingNames.Name(draft.family_tracing)),
                                draft.money_fen, draft.note, actor)
           : txn.exec_prepared1("relief_case_insert", draft.region.value(), draft.place,
                                FormatDay(draft.intake_date), draft.identity_known, draft.name,
                                nullptr, nullptr, "", ArrayLiteral(draft.services),
                                std::string(kFamilyTracingNames.Name(draft.family_tracing)),
                                draft.money_fen, draft.note, actor);
    created = CaseFromRow(row);
    nlohmann::json detail = {{"money_fen", draft.money_fen}};
    txn.exec_prepared("relief_case_history_insert", created.case_id, actor, "OPENED",
                      FormatDay(draft.intake_date), detail.dump());
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<ReliefCaseRecord> ReliefStore::GetCase(const std::string& case_id) {
  absl::StatusOr<ReliefCaseRecord> result = absl::NotFoundError("case_id: no such relief case");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("relief_case_get", case_id);
    if (!r.empty()) result = CaseFromRow(r[0]);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<ReliefCaseRecord> ReliefStore::CloseCase(
    const std::string& case_id, const CaseClosing& closing, const std::string& actor,
    const std::function<absl::Status(const std::string&)>& check_region) {
  ReliefCaseRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("relief_case_lock", case_id);
    if (r.empty()) return absl::NotFoundError("case_id: no such relief case");
    const ReliefCaseRecord current = CaseFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    if (current.closed_date) {
      return absl::FailedPreconditionError(
          absl::StrCat("case_id: the case was closed on ", FormatDay(*current.closed_date)));
    }
    if (closing.date < current.intake_date) {
      return absl::FailedPreconditionError(absl::StrCat("date: must not be before the intake date ",
                                                        FormatDay(current.intake_date)));
    }
    if (current.money_fen + closing.additional_money_fen > kMaxReliefMoneyFen) {
      return absl::FailedPreconditionError(
          "additional_money_fen: the case total would be too large");
    }
    std::vector<std::string> services = current.services;
    for (const std::string& s : closing.services) {
      if (std::find(services.begin(), services.end(), s) == services.end()) services.push_back(s);
    }
    const int tracing =
        closing.family_tracing != 0 ? closing.family_tracing : current.family_tracing;
    updated = CaseFromRow(txn.exec_prepared1(
        "relief_case_close", case_id, std::string(kReliefOutcomeNames.Name(closing.outcome)),
        FormatDay(closing.date), std::string(kFamilyTracingNames.Name(tracing)),
        ArrayLiteral(services), closing.additional_money_fen));
    nlohmann::json detail = {{"outcome", kReliefOutcomeNames.Name(closing.outcome)},
                             {"additional_money_fen", closing.additional_money_fen}};
    txn.exec_prepared("relief_case_history_insert", case_id, actor, "CLOSED",
                      FormatDay(closing.date), detail.dump());
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<Page<ReliefCaseRecord>> ReliefStore::ListCases(const std::string& region_prefix,
                                                              bool open_only, int64_t after,
                                                              int page_size) {
  Page<ReliefCaseRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("relief_case_list", region_prefix, open_only, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(CaseFromRow(rows[i]));
      page.next_after = rows[i][14].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<CampaignRecord> ReliefStore::RecordCampaign(const CampaignDraft& draft,
                                                           const std::string& actor) {
  std::optional<CampaignRecord> created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) {
    created = CampaignFromRow(txn.exec_prepared1(
        "relief_campaign_insert", std::string(kCampaignKindNames.Name(draft.kind)), draft.name,
        draft.region.value(), FormatDay(draft.start_date), FormatDay(draft.end_date),
        draft.persons_reached, draft.money_fen, actor));
    return absl::OkStatus();
  }));
  return *std::move(created);
}

absl::StatusOr<Page<CampaignRecord>> ReliefStore::ListCampaigns(const std::string& region_prefix,
                                                                int64_t after, int page_size) {
  Page<CampaignRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("relief_campaign_list", region_prefix, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(CampaignFromRow(rows[i]));
      page.next_after = rows[i][9].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

}  // namespace civil::affairs
