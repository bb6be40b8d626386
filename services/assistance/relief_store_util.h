// What the stores of 临时救助, mutual aid, outreach, audits, reviews and the bank file share (and
// the programme stores: Actor, NotFound, the column text forms): a page of results, text forms of
// date columns, and the household member a record is about. No rules.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"

namespace civil::assistance {

// Who acts, as a store records it: the subject written into the record, and the check that a
// record's region lies within the actor's scope (PERMISSION_DENIED "<field>: region … is outside
// your scope …"). The adapter builds it from the caller (ActorOf in relief_service_util.h): the
// stores never see the Caller, and decisions that depend on roles are made before they are called.
struct Actor {
  std::string subject;
  std::function<absl::Status(absl::string_view field, absl::string_view region_code)> check_region;

  // Whether the actor may see or change a record of `region_code`.
  bool CanActOn(absl::string_view region_code) const { return check_region("", region_code).ok(); }
};

// "<field>: no such <what>", the message of a NOT_FOUND.
std::string NotFound(absl::string_view field, absl::string_view what);

// A column of Unix microseconds as a timestamp.
google::protobuf::Timestamp Micros(const pqxx::field& f);

// A household member as the relief records need it.
struct Person {
  std::string household_id;
  std::string member_id;
  std::string id_index;
  std::string id_masked;
  std::string name;
  std::string region_code;
};

// Declares LoadPerson's statements on `pool` ("person_…"): every store calling LoadPerson calls it
// in its constructor (declaring them again with the same SQL changes nothing).
void PrepareLoadPerson(PgPool* pool);

// The member `member_id` of household `household_id`, who must be active. NOT_FOUND for an
// unknown household or member; PERMISSION_DENIED outside the actor's region;
// FAILED_PRECONDITION for a member who left.
absl::StatusOr<Person> LoadPerson(pqxx::transaction_base& txn, const Actor& actor,
                                  const std::string& household_id, const std::string& member_id);

}  // namespace civil::assistance
