// The audit trail of unmasked ID numbers, one mechanism for every department: a response carries a
// person's full ID number only when the caller holds a full-ID role and says why (a
// `reveal_reason` request field), and only after a row naming who, when, what, which person (by
// blind index) and why is in the department's `id_views` table — which the service's database
// role may append to but never change (db_roles.h). Auditors read the trail through
// civil.audit.v1.IdViewAuditService (id_view_service.h), served by every department.
//
//   CIVIL_ASSIGN_OR_RETURN(const bool full, RevealFullIds(caller, "assistance", "reveal_reason",
//                                                         request->reveal_reason()));
//   … build the response, collecting a SeenPerson for each full number when `full` …
//   return id_views_->RecordOrClear(caller, "GetRecord", request->reveal_reason(), seen, response);
#pragma once

#include <google/protobuf/message.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/common/caller.h"
#include "services/common/pg.h"

namespace civil {

// The longest reason kept, in characters.
inline constexpr int kMaxRevealReasonChars = 200;

// Whether a response to `caller` carries full ID numbers of `department`'s records, decided from
// the request's reason field `field` (`reason`, surrounding spaces ignored):
//   - empty: false, the response is masked, whoever asks;
//   - given by a caller who may see full IDs (Caller::MaySeeFullId): true;
//   - given by anyone else: PERMISSION_DENIED "<field>: full ID numbers are shown only to
//     <department>.reviewer, admin or system";
//   - given but not 2..200 characters of one-line text: INVALID_ARGUMENT naming `field`.
absl::StatusOr<bool> RevealFullIds(const Caller& caller, absl::string_view department,
                                   absl::string_view field, absl::string_view reason);

// A full view a response is about to give, once RevealFullIds said yes: who asked, and why.
struct FullView {
  const Caller* caller = nullptr;  // not owned
  std::string method;              // the RPC, e.g. "ExportBankFile"
  std::string reason;
};

// One person whose full ID number a response carries.
struct SeenPerson {
  std::string record_kind;  // "household", "bank_file", "resident_record", …
  std::string record_id;
  std::string person_index;  // PiiProtector::BlindIndex of the ID number
  std::string person_masked;
  std::string region_code;
};

// A row of the trail as stored.
struct StoredIdView {
  int64_t view_id = 0;
  int64_t viewed_at_micros = 0;  // Unix microseconds
  std::string actor;
  std::vector<std::string> actor_roles;
  std::string method;
  SeenPerson person;
  std::string reason;
};

// Which rows to list: every set criterion must hold. Newest first.
struct IdViewFilter {
  std::string person_index;
  std::string actor;
  std::optional<absl::CivilDay> from, to;  // days in China (UTC+8), inclusive
  std::string region_prefix;               // "" = every region
  int64_t before_view_id = 0;              // 0 = from the newest
  int limit = 100;
};

// The department's `id_views` table (kit migration 9004).
class IdViewLog {
 public:
  // `department` labels the metric civil_full_id_views_total{department}.
  IdViewLog(PgPool* pool, const std::string& department, prometheus::Registry* registry);

  // Appends one row per person of `seen`, all in one statement, before the caller answers with
  // their full ID numbers: `caller` (subject and roles), `method` (the RPC), `reason` (trimmed, as
  // RevealFullIds accepted it). The pool's error when it fails (UNAVAILABLE, …): the caller must
  // then answer with that error, never with the IDs. Nothing to do for an empty `seen`.
  absl::Status Record(const Caller& caller, absl::string_view method, absl::string_view reason,
                      const std::vector<SeenPerson>& seen);

  // Record(), and when it fails, clears `response` (that carries the numbers) so that they never
  // leave: the status for the handler to return.
  absl::Status RecordOrClear(const Caller& caller, absl::string_view method,
                             absl::string_view reason, const std::vector<SeenPerson>& seen,
                             google::protobuf::Message* response);

  // The same within `txn`, for a response built in a transaction that must not commit without
  // its trail (a bank file and its export row): throws what libpqxx throws. The metric counts the
  // rows when Counted() is called after the commit.
  void RecordIn(pqxx::transaction_base& txn, const FullView& view,
                const std::vector<SeenPerson>& seen);
  void Counted(size_t persons);

  // The rows `filter` selects, newest first; UNAVAILABLE when PostgreSQL is down.
  absl::StatusOr<std::vector<StoredIdView>> List(const IdViewFilter& filter);

 private:
  PgPool* pool_;
  prometheus::Counter* views_;
};

}  // namespace civil
