#include "services/governance/certificate_list_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/governance/grid.h"

namespace civil::governance {
namespace {

constexpr char kColumns[] =
    "list_id::text, village_code, effective_on::text, document, published_by, "
    "published_on::text";

CertificateListRecord ListFromRow(const pqxx::row& row) {
  CertificateListRecord l;
  l.list_id = row[0].as<std::string>();
  l.village_code = row[1].as<std::string>();
  l.effective_on = DayOf(row[2]);
  l.document = row[3].as<std::string>();
  l.published_by = row[4].as<std::string>();
  l.published_on = DayOf(row[5]);
  return l;
}

// The versions of `village` by effective day, with their superseded days and items.
std::vector<CertificateListRecord> ReadVersions(pqxx::transaction_base& txn,
                                                const std::string& village) {
  std::vector<CertificateListRecord> lists;
  for (const auto& row : txn.exec_prepared("certlist_versions", village)) {
    lists.push_back(ListFromRow(row));
  }
  std::vector<absl::CivilDay> effective;
  for (const auto& l : lists) effective.push_back(l.effective_on);
  for (size_t i = 0; i < lists.size(); ++i) lists[i].superseded_on = SupersededOn(effective, i);
  return lists;
}

void ReadItems(pqxx::transaction_base& txn, CertificateListRecord* list) {
  for (const auto& row : txn.exec_prepared("certlist_items", list->list_id)) {
    list->items.push_back({row[0].as<std::string>(), row[1].as<bool>(), row[2].as<std::string>()});
  }
}

}  // namespace

CertificateListStore::CertificateListStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("certlist_village",
                 "SELECT name, kind, coalesce(merged_into, '') FROM regions WHERE code = $1 FOR "
                 "SHARE");
  pool_->Prepare("certlist_insert",
                 absl::StrCat("INSERT INTO certificate_lists (village_code, effective_on, "
                              "document, published_by, published_on) VALUES ($1, $2::date, $3, "
                              "$4, $5::date) ON CONFLICT (village_code, effective_on) DO NOTHING "
                              "RETURNING ",
                              kColumns));
  pool_->Prepare("certlist_item_insert",
                 "INSERT INTO certificate_list_items (list_id, position, name, may_issue, "
                 "legal_basis) VALUES ($1::uuid, $2, $3, $4, $5)");
  pool_->Prepare("certlist_versions",
                 absl::StrCat("SELECT ", kColumns,
                              " FROM certificate_lists WHERE village_code = $1 ORDER BY "
                              "effective_on"));
  pool_->Prepare("certlist_items",
                 "SELECT name, may_issue, legal_basis FROM certificate_list_items WHERE list_id = "
                 "$1::uuid ORDER BY position");
}

absl::StatusOr<CertificateListRecord> CertificateListStore::Publish(
    const CertificateListDraft& draft, const std::string& actor, absl::CivilDay today) {
  CertificateListRecord list;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string& village = draft.village.value();
    pqxx::result r = txn.exec_prepared("certlist_village", village);
    std::optional<RegionFacts> facts;
    if (!r.empty()) {
      facts = RegionFacts{};
      facts->code = village;
      facts->name = r[0][0].as<std::string>();
      facts->kind = static_cast<RegionKind>(kRegionKindNames.Value(r[0][1].as<std::string>()));
      facts->merged_into = r[0][2].as<std::string>();
    }
    CIVIL_RETURN_IF_ERROR(CheckGridVillage(facts, village));
    pqxx::result inserted =
        txn.exec_prepared("certlist_insert", village, FormatDay(draft.effective_on), draft.document,
                          actor, FormatDay(today));
    if (inserted.empty()) {
      return absl::AlreadyExistsError(absl::StrCat("effective_date: ", village,
                                                   " has a list effective on ",
                                                   FormatDay(draft.effective_on), " already"));
    }
    const std::string id = inserted[0][0].as<std::string>();
    for (size_t i = 0; i < draft.items.size(); ++i) {
      const CertificateEntry& e = draft.items[i];
      txn.exec_prepared("certlist_item_insert", id, static_cast<int>(i), e.name, e.may_issue,
                        e.legal_basis);
    }
    for (CertificateListRecord& l : ReadVersions(txn, village)) {
      if (l.list_id == id) list = std::move(l);
    }
    list.items = draft.items;
    return absl::OkStatus();
  }));
  return list;
}

absl::StatusOr<CertificateListRecord> CertificateListStore::InForceOn(
    const std::string& village_code, absl::CivilDay day) {
  CertificateListRecord list;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    std::vector<CertificateListRecord> lists = ReadVersions(txn, village_code);
    std::vector<absl::CivilDay> effective;
    for (const auto& l : lists) effective.push_back(l.effective_on);
    const std::optional<size_t> i = InForce(effective, day);
    if (!i) {
      return absl::NotFoundError(absl::StrCat(
          "village_code: ", village_code, " has no certificate list in force on ", FormatDay(day)));
    }
    list = std::move(lists[*i]);
    ReadItems(txn, &list);
    return absl::OkStatus();
  }));
  return list;
}

absl::StatusOr<std::vector<CertificateListRecord>> CertificateListStore::Versions(
    const std::string& village_code) {
  std::vector<CertificateListRecord> lists;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    lists = ReadVersions(txn, village_code);
    for (CertificateListRecord& l : lists) ReadItems(txn, &l);
    return absl::OkStatus();
  }));
  return lists;
}

}  // namespace civil::governance
