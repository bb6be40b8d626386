#include "services/assistance/household_store.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::assistance {
namespace {

constexpr char kHouseholdColumns[] =
    "h.household_id::text, h.region_code, h.area, h.version, "
    "(extract(epoch from h.created_at) * 1000000)::bigint, "
    "(extract(epoch from h.updated_at) * 1000000)::bigint";
constexpr char kMemberColumns[] =
    "m.household_id::text, m.member_id::text, m.name, m.id_masked, m.birth_date::text, m.sex, "
    "m.relation";

HouseholdRecord HouseholdFromRow(const pqxx::row& row) {
  HouseholdRecord h;
  h.household_id = row[0].as<std::string>();
  h.region_code = row[1].as<std::string>();
  h.area = AreaFromName(row[2].as<std::string>()).value_or(Area::kRural);
  h.version = row[3].as<int64_t>();
  h.create_time_micros = row[4].as<int64_t>();
  h.update_time_micros = row[5].as<int64_t>();
  return h;
}

MemberRecord MemberFromRow(const pqxx::row& row) {
  MemberRecord m;
  m.member_id = row[1].as<std::string>();
  m.name = row[2].as<std::string>();
  m.id_masked = row[3].as<std::string>();
  m.birth_date = row[4].as<std::string>();
  m.sex = row[5].as<std::string>();
  m.relation = RelationFromName(row[6].as<std::string>()).value_or(Relation::kOther);
  return m;
}

// A PostgreSQL array literal of simple tokens (hex digests, UUIDs): no quoting needed.
std::string ArrayLiteral(const std::vector<std::string>& items) {
  return absl::StrCat("{", absl::StrJoin(items, ","), "}");
}

std::string AlreadyMember(size_t index, const MemberDraft& member) {
  return absl::StrCat("members[", index, "].id_number: ", member.id.Masked(),
                      " is already an active member of another household");
}

}  // namespace

HouseholdStore::HouseholdStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {
  pool_->Prepare("household_insert",
                 "INSERT INTO households (region_code, area, created_by, updated_by) "
                 "VALUES ($1, $2, $3, $3) RETURNING household_id::text");
  pool_->Prepare("household_member_insert",
                 "INSERT INTO household_members (household_id, name, id_cipher, id_index, "
                 "id_masked, birth_date, sex, relation, position) "
                 "VALUES ($1::uuid, $2, $3, $4, $5, $6::date, $7, $8, $9)");
  pool_->Prepare(
      "household_members_elsewhere",
      "SELECT id_index FROM household_members WHERE active AND id_index = ANY($1::text[]) "
      "AND household_id <> $2::uuid");
  pool_->Prepare("household_history_insert",
                 "INSERT INTO household_history (household_id, actor, action, detail) "
                 "VALUES ($1::uuid, $2, $3, $4::jsonb)");
  pool_->Prepare("household_get",
                 absl::StrCat("SELECT ", kHouseholdColumns,
                              " FROM households h WHERE h.household_id = $1::uuid"));
  pool_->Prepare("household_reveal_members",
                 "SELECT member_id::text, id_cipher, id_index FROM household_members "
                 "WHERE active AND household_id = $1::uuid ORDER BY position");
  pool_->Prepare("household_get_for_update",
                 "SELECT household_id FROM households WHERE household_id = $1::uuid FOR UPDATE");
  pool_->Prepare("household_members_of",
                 absl::StrCat("SELECT ", kMemberColumns,
                              " FROM household_members m WHERE m.active AND "
                              "m.household_id = ANY($1::uuid[]) ORDER BY m.household_id, "
                              "m.position"));
  pool_->Prepare("household_list", absl::StrCat("SELECT ", kHouseholdColumns,
                                                ", h.seq FROM households h "
                                                "WHERE h.region_code LIKE $1 || '%' AND h.seq > $2 "
                                                "ORDER BY h.seq LIMIT $3"));
  pool_->Prepare("household_active_members",
                 "SELECT member_id::text, id_index FROM household_members "
                 "WHERE active AND household_id = $1::uuid");
  pool_->Prepare("household_member_update",
                 "UPDATE household_members SET name = $2, relation = $3, position = $4 "
                 "WHERE member_id = $1::uuid");
  pool_->Prepare("household_member_leave",
                 "UPDATE household_members SET active = false, left_at = now() "
                 "WHERE member_id = $1::uuid");
  pool_->Prepare("household_touch",
                 "UPDATE households SET version = version + 1, updated_at = now(), "
                 "updated_by = $2 WHERE household_id = $1::uuid");
}

absl::Status HouseholdStore::CheckNotMemberElsewhere(pqxx::transaction_base& txn,
                                                     const std::vector<MemberDraft>& members,
                                                     const std::string& household_id) {
  std::vector<std::string> indexes;
  indexes.reserve(members.size());
  for (const MemberDraft& m : members) indexes.push_back(pii_->BlindIndex(m.id.value()));
  // The nil UUID stands for "no household" when creating.
  pqxx::result taken =
      txn.exec_prepared("household_members_elsewhere", ArrayLiteral(indexes), household_id);
  if (taken.empty()) return absl::OkStatus();
  const std::string first = taken[0][0].as<std::string>();
  for (size_t i = 0; i < members.size(); ++i) {
    if (indexes[i] == first) return absl::AlreadyExistsError(AlreadyMember(i, members[i]));
  }
  return absl::AlreadyExistsError("a member is already an active member of another household");
}

absl::Status HouseholdStore::InsertMember(pqxx::transaction_base& txn,
                                          const std::string& household_id,
                                          const MemberDraft& member, size_t index) {
  absl::StatusOr<std::string> cipher = pii_->Encrypt(member.id.value());
  if (!cipher.ok()) return cipher.status();
  try {
    txn.exec_prepared("household_member_insert", household_id, member.name,
                      pqxx::binarystring(cipher->data(), cipher->size()),
                      pii_->BlindIndex(member.id.value()), member.id.Masked(),
                      FormatDay(member.id.birth_date()), member.id.sex() == Sex::kMale ? "M" : "F",
                      std::string(RelationName(member.relation)), static_cast<int>(index));
  } catch (const pqxx::unique_violation&) {
    // Another transaction enrolled the same person between our check and this insert; the
    // transaction is aborted by the caller when this error is returned.
    return absl::AlreadyExistsError(AlreadyMember(index, member));
  }
  return absl::OkStatus();
}

absl::StatusOr<HouseholdRecord> HouseholdStore::Load(pqxx::transaction_base& txn,
                                                     const std::string& household_id) {
  pqxx::result households = txn.exec_prepared("household_get", household_id);
  if (households.empty()) return absl::NotFoundError("household_id: no such household");
  HouseholdRecord h = HouseholdFromRow(households[0]);
  for (const auto& row : txn.exec_prepared("household_members_of", ArrayLiteral({household_id}))) {
    h.members.push_back(MemberFromRow(row));
  }
  return h;
}

absl::StatusOr<std::vector<HouseholdStore::RevealedMember>> HouseholdStore::RevealMembers(
    const std::string& household_id) {
  std::vector<RevealedMember> members;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    for (const auto& row : txn.exec_prepared("household_reveal_members", household_id)) {
      pqxx::binarystring cipher(row[1]);
      CIVIL_ASSIGN_OR_RETURN(std::string clear, pii_->Decrypt(cipher.str()));
      members.push_back(
          RevealedMember{row[0].as<std::string>(), std::move(clear), row[2].as<std::string>()});
    }
    return absl::OkStatus();
  }));
  return members;
}

absl::StatusOr<HouseholdRecord> HouseholdStore::Create(const HouseholdDraft& draft,
                                                       const std::string& actor) {
  HouseholdRecord created;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (absl::Status s =
            CheckNotMemberElsewhere(txn, draft.members, "00000000-0000-0000-0000-000000000000");
        !s.ok()) {
      return s;
    }
    const std::string id = txn.exec_prepared1("household_insert", draft.region.value(),
                                              std::string(AreaName(draft.area)), actor)[0]
                               .as<std::string>();
    for (size_t i = 0; i < draft.members.size(); ++i) {
      if (absl::Status s = InsertMember(txn, id, draft.members[i], i); !s.ok()) return s;
    }
    nlohmann::json detail = {{"members", draft.members.size()}};
    txn.exec_prepared("household_history_insert", id, actor, "CREATED", detail.dump());
    absl::StatusOr<HouseholdRecord> loaded = Load(txn, id);
    if (!loaded.ok()) return loaded.status();
    created = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<HouseholdRecord> HouseholdStore::Get(const std::string& household_id) {
  absl::StatusOr<HouseholdRecord> result = absl::NotFoundError("household_id: no such household");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    result = Load(txn, household_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<HouseholdPage> HouseholdStore::List(const std::string& region_prefix, int64_t after,
                                                   int page_size) {
  HouseholdPage page;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    // One row more than asked tells whether there is a next page.
    pqxx::result rows = txn.exec_prepared("household_list", region_prefix, after, page_size + 1);
    std::vector<std::string> ids;
    absl::flat_hash_map<std::string, size_t> position;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.households.push_back(HouseholdFromRow(rows[i]));
      ids.push_back(page.households.back().household_id);
      position[ids.back()] = i;
      page.next_after = rows[i][6].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    if (ids.empty()) return absl::OkStatus();
    for (const auto& row : txn.exec_prepared("household_members_of", ArrayLiteral(ids))) {
      page.households[position[row[0].as<std::string>()]].members.push_back(MemberFromRow(row));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<HouseholdRecord> HouseholdStore::ReplaceMembers(
    const std::string& household_id, const std::vector<MemberDraft>& members,
    const std::string& actor) {
  HouseholdRecord updated;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (txn.exec_prepared("household_get_for_update", household_id).empty()) {
      return absl::NotFoundError("household_id: no such household");
    }
    if (absl::Status s = CheckNotMemberElsewhere(txn, members, household_id); !s.ok()) return s;
    absl::flat_hash_map<std::string, std::string> current;  // blind index → member id
    for (const auto& row : txn.exec_prepared("household_active_members", household_id)) {
      current[row[1].as<std::string>()] = row[0].as<std::string>();
    }
    int joined = 0;
    int stayed = 0;
    for (size_t i = 0; i < members.size(); ++i) {
      auto it = current.find(pii_->BlindIndex(members[i].id.value()));
      if (it != current.end()) {
        txn.exec_prepared("household_member_update", it->second, members[i].name,
                          std::string(RelationName(members[i].relation)), static_cast<int>(i));
        current.erase(it);
        ++stayed;
      } else {
        if (absl::Status s = InsertMember(txn, household_id, members[i], i); !s.ok()) return s;
        ++joined;
      }
    }
    for (const auto& [index, member_id] : current) {
      txn.exec_prepared("household_member_leave", member_id);
    }
    txn.exec_prepared("household_touch", household_id, actor);
    nlohmann::json detail = {
        {"joined", joined}, {"stayed", stayed}, {"left", static_cast<int>(current.size())}};
    txn.exec_prepared("household_history_insert", household_id, actor, "MEMBERS_REPLACED",
                      detail.dump());
    absl::StatusOr<HouseholdRecord> loaded = Load(txn, household_id);
    if (!loaded.ok()) return loaded.status();
    updated = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

}  // namespace civil::assistance
