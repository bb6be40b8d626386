// PostgreSQL access for the household aggregate: households, their members and their history.
// All SQL of the aggregate lives here (prepared statements only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assistance/household.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::assistance {

// A member as stored; the ID number is only available masked here.
struct MemberRecord {
  std::string member_id;
  std::string name;
  std::string id_masked;
  std::string birth_date;  // YYYY-MM-DD
  std::string sex;         // M or F
  Relation relation = Relation::kOther;
};

// A household as stored, with its active members (head first).
struct HouseholdRecord {
  std::string household_id;
  std::string region_code;
  Area area = Area::kRural;
  std::vector<MemberRecord> members;
  int64_t version = 0;
  int64_t create_time_micros = 0;  // Unix epoch
  int64_t update_time_micros = 0;
};

// One page of households.
struct HouseholdPage {
  std::vector<HouseholdRecord> households;
  int64_t next_after = 0;  // 0 on the last page; otherwise pass as `after` for the next page
};

class HouseholdStore {
 public:
  // Prepares the statements on `pool`; neither is owned.
  HouseholdStore(PgPool* pool, const PiiProtector* pii);

  // Inserts the household and its members in one transaction, with a CREATED history row.
  // ALREADY_EXISTS `members[i].id_number: <masked> is already an active member of another
  // household` when a person belongs to another household; UNAVAILABLE/ABORTED from the database.
  absl::StatusOr<HouseholdRecord> Create(const HouseholdDraft& draft, const std::string& actor);

  // The household `household_id` (a UUID). NOT_FOUND when there is none.
  absl::StatusOr<HouseholdRecord> Get(const std::string& household_id);

  // One active member's clear ID number and its blind index, for a full view (id_views.h).
  struct RevealedMember {
    std::string member_id;
    std::string id_number;
    std::string id_index;
  };
  // The clear ID numbers of the active members of `household_id`, head first; DATA_LOSS when a
  // sealed number does not open under the key, UNAVAILABLE from the database.
  absl::StatusOr<std::vector<RevealedMember>> RevealMembers(const std::string& household_id);

  // Households whose region code starts with `region_prefix` (may be empty) and whose listing
  // position is after `after` (0 = from the start), at most `page_size`, oldest first.
  absl::StatusOr<HouseholdPage> List(const std::string& region_prefix, int64_t after,
                                     int page_size);

  // Makes `members` the active member list: members whose ID number is kept stay (name,
  // relation and order updated), the others leave (closed, not deleted), new ones join. Appends a
  // MEMBERS_REPLACED history row and increments the version. NOT_FOUND, or ALREADY_EXISTS as in
  // Create.
  absl::StatusOr<HouseholdRecord> ReplaceMembers(const std::string& household_id,
                                                 const std::vector<MemberDraft>& members,
                                                 const std::string& actor);

 private:
  absl::Status CheckNotMemberElsewhere(pqxx::transaction_base& txn,
                                       const std::vector<MemberDraft>& members,
                                       const std::string& household_id);
  absl::Status InsertMember(pqxx::transaction_base& txn, const std::string& household_id,
                            const MemberDraft& member, size_t index);
  absl::StatusOr<HouseholdRecord> Load(pqxx::transaction_base& txn,
                                       const std::string& household_id);

  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::assistance
