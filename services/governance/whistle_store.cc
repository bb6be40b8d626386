#include "services/governance/whistle_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/governance/grid.h"

namespace civil::governance {
namespace {

constexpr char kColumns[] =
    "item_id::text, village_code, matter, department, whistled_on::text, due_on::text, "
    "whistled_by, answered_on::text, answered_department, answer, answered_by";

WhistleRecord ItemFromRow(const pqxx::row& row) {
  WhistleRecord w;
  w.item_id = row[0].as<std::string>();
  w.village_code = row[1].as<std::string>();
  w.matter = row[2].as<std::string>();
  w.department = row[3].as<std::string>();
  w.whistled_on = DayOf(row[4]);
  w.due_on = DayOf(row[5]);
  w.whistled_by = row[6].as<std::string>();
  w.answered_on = OptionalDayOf(row[7]);
  w.answered_department = TextOf(row[8]);
  w.answer = TextOf(row[9]);
  w.answered_by = TextOf(row[10]);
  return w;
}

}  // namespace

WhistleStore::WhistleStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("whistle_village",
                 "SELECT name, kind, coalesce(merged_into, '') FROM regions WHERE code = $1 FOR "
                 "SHARE");
  pool_->Prepare("whistle_insert",
                 absl::StrCat("INSERT INTO whistle_items (village_code, matter, department, "
                              "whistled_on, due_on, whistled_by) VALUES ($1, $2, $3, $4::date, "
                              "$5::date, $6) RETURNING ",
                              kColumns));
  pool_->Prepare("whistle_lock", absl::StrCat("SELECT ", kColumns,
                                              " FROM whistle_items WHERE item_id = $1::uuid FOR "
                                              "UPDATE"));
  pool_->Prepare("whistle_answer",
                 absl::StrCat("UPDATE whistle_items SET answered_on = $2::date, "
                              "answered_department = $3, answer = $4, answered_by = $5 WHERE "
                              "item_id = $1::uuid RETURNING ",
                              kColumns));
  pool_->Prepare("whistle_overdue",
                 absl::StrCat("SELECT ", kColumns,
                              " FROM whistle_items WHERE village_code LIKE $1 || '%' AND "
                              "whistled_on <= $2::date AND due_on < $2::date AND (answered_on IS "
                              "NULL OR answered_on > $2::date) ORDER BY due_on, seq LIMIT $3"));
}

absl::StatusOr<WhistleRecord> WhistleStore::Blow(const WhistleDraft& draft,
                                                 const std::string& actor) {
  WhistleRecord item;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string& village = draft.village.value();
    pqxx::result r = txn.exec_prepared("whistle_village", village);
    std::optional<RegionFacts> facts;
    if (!r.empty()) {
      facts = RegionFacts{};
      facts->code = village;
      facts->name = r[0][0].as<std::string>();
      facts->kind = static_cast<RegionKind>(kRegionKindNames.Value(r[0][1].as<std::string>()));
      facts->merged_into = r[0][2].as<std::string>();
    }
    CIVIL_RETURN_IF_ERROR(CheckGridVillage(facts, village));
    item = ItemFromRow(txn.exec_prepared1("whistle_insert", village, draft.matter, draft.department,
                                          FormatDay(draft.whistled_on), FormatDay(draft.due_on),
                                          actor));
    return absl::OkStatus();
  }));
  return item;
}

absl::StatusOr<WhistleRecord> WhistleStore::Answer(
    const std::string& item_id, const AnswerDraft& answer, const std::string& actor,
    const std::function<absl::Status(const std::string&)>& check_scope) {
  WhistleRecord item;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("whistle_lock", item_id);
    if (r.empty()) return absl::NotFoundError("item_id: no such item");
    item = ItemFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_scope(item.village_code));
    CIVIL_RETURN_IF_ERROR(CheckAnswer(item.whistled_on, item.answered_on, answer));
    item = ItemFromRow(txn.exec_prepared1("whistle_answer", item_id, FormatDay(answer.answered_on),
                                          answer.department, answer.answer, actor));
    return absl::OkStatus();
  }));
  return item;
}

absl::StatusOr<std::vector<WhistleRecord>> WhistleStore::Overdue(const std::string& region_prefix,
                                                                 absl::CivilDay as_of, int limit) {
  std::vector<WhistleRecord> items;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row :
         txn.exec_prepared("whistle_overdue", region_prefix, FormatDay(as_of), limit)) {
      items.push_back(ItemFromRow(row));
    }
    return absl::OkStatus();
  }));
  return items;
}

}  // namespace civil::governance
