#include "services/assistance/relief_store_util.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"

namespace civil::assistance {

using google::protobuf::util::TimeUtil;

std::string NotFound(absl::string_view field, absl::string_view what) {
  return absl::StrCat(field, ": no such ", what);
}

google::protobuf::Timestamp Micros(const pqxx::field& f) {
  return TimeUtil::MicrosecondsToTimestamp(f.as<int64_t>());
}

void PrepareLoadPerson(PgPool* pool) {
  pool->Prepare("person_household_region",
                "SELECT region_code FROM households WHERE household_id = $1::uuid");
  pool->Prepare("person_member",
                "SELECT id_index, id_masked, name, active FROM household_members WHERE member_id = "
                "$1::uuid AND household_id = $2::uuid");
}

absl::StatusOr<Person> LoadPerson(pqxx::transaction_base& txn, const Actor& actor,
                                  const std::string& household_id, const std::string& member_id) {
  pqxx::result h = txn.exec_prepared("person_household_region", household_id);
  if (h.empty()) return absl::NotFoundError(NotFound("household_id", "household"));
  const std::string region = h[0][0].as<std::string>();
  if (absl::Status s = actor.check_region("household_id", region); !s.ok()) return s;
  pqxx::result m = txn.exec_prepared("person_member", member_id, household_id);
  if (m.empty()) return absl::NotFoundError("member_id: not a member of the household");
  if (!m[0][3].as<bool>()) {
    return absl::FailedPreconditionError("member_id: no longer an active member of the household");
  }
  return Person{household_id,
                member_id,
                m[0][0].as<std::string>(),
                m[0][1].as<std::string>(),
                m[0][2].as<std::string>(),
                region};
}

}  // namespace civil::assistance
