#include "services/common/id_views.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"
#include "services/common/values.h"

namespace civil {
namespace {

constexpr char kInsert[] = "kit_id_views_insert";
constexpr char kList[] = "kit_id_views_list";

// Unix microseconds of 00:00 in China (UTC+8, no daylight saving) on `day`.
int64_t ChinaMidnightMicros(absl::CivilDay day) {
  const absl::Time t = absl::FromCivil(absl::CivilSecond(day), absl::FixedTimeZone(8 * 3600));
  return absl::ToUnixMicros(t);
}

}  // namespace

absl::StatusOr<bool> RevealFullIds(const Caller& caller, absl::string_view department,
                                   absl::string_view field, absl::string_view reason) {
  CIVIL_ASSIGN_OR_RETURN(const std::string text,
                         BoundedText(field, reason, kMaxRevealReasonChars, /*required=*/false));
  if (text.empty()) return false;
  if (!caller.MaySeeFullId(department)) {
    return absl::PermissionDeniedError(absl::StrCat(field, ": full ID numbers are shown only to ",
                                                    department, ".reviewer, admin or system"));
  }
  int chars = 0;
  for (const char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (chars < 2) {
    return InvalidField(field,
                        "must say why the full ID numbers are needed (2 characters or more)");
  }
  return true;
}

IdViewLog::IdViewLog(PgPool* pool, const std::string& department, prometheus::Registry* registry)
    : pool_(pool) {
  views_ =
      &prometheus::BuildCounter()
           .Name("civil_full_id_views_total")
           .Help("Full ID numbers answered to a caller, one per person, each with its audit row")
           .Register(*registry)
           .Add({{"department", department}});
  pool_->Prepare(kInsert,
                 "INSERT INTO id_views (actor, actor_roles, method, record_kind, record_id, "
                 "person_index, person_masked, region_code, reason) "
                 "SELECT $1, $2::text[], $3, k, r, i, m, g, $9 FROM unnest($4::text[], "
                 "$5::text[], $6::text[], $7::text[], $8::text[]) AS s(k, r, i, m, g)");
  pool_->Prepare(
      kList,
      absl::StrCat("SELECT view_id, ", MicrosOf("viewed_at"),
                   ", actor, array_to_string(actor_roles, ','), method, record_kind, record_id, "
                   "person_index, person_masked, region_code, reason FROM id_views "
                   "WHERE ($1 = '' OR person_index = $1) AND ($2 = '' OR actor = $2) "
                   "AND viewed_at >= to_timestamp($3::bigint / 1000000.0) "
                   "AND viewed_at < to_timestamp($4::bigint / 1000000.0) "
                   "AND region_code LIKE $5 || '%' AND view_id < $6 "
                   "ORDER BY view_id DESC LIMIT $7"));
}

absl::Status IdViewLog::Record(const Caller& caller, absl::string_view method,
                               absl::string_view reason, const std::vector<SeenPerson>& seen) {
  if (seen.empty()) return absl::OkStatus();
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) {
    RecordIn(txn, FullView{&caller, std::string(method), std::string(reason)}, seen);
    return absl::OkStatus();
  }));
  Counted(seen.size());
  return absl::OkStatus();
}

absl::Status IdViewLog::RecordOrClear(const Caller& caller, absl::string_view method,
                                      absl::string_view reason, const std::vector<SeenPerson>& seen,
                                      google::protobuf::Message* response) {
  absl::Status status = Record(caller, method, reason, seen);
  if (!status.ok()) response->Clear();
  return status;
}

void IdViewLog::Counted(size_t persons) { views_->Increment(static_cast<double>(persons)); }

void IdViewLog::RecordIn(pqxx::transaction_base& txn, const FullView& view,
                         const std::vector<SeenPerson>& seen) {
  if (seen.empty()) return;
  std::vector<std::string> kinds, records, indexes, masked, regions;
  for (const SeenPerson& p : seen) {
    kinds.push_back(p.record_kind);
    records.push_back(p.record_id);
    indexes.push_back(p.person_index);
    masked.push_back(p.person_masked);
    regions.push_back(p.region_code);
  }
  const std::string trimmed(absl::StripAsciiWhitespace(view.reason));
  txn.exec_prepared(kInsert, view.caller->subject, ArrayLiteral(view.caller->roles), view.method,
                    ArrayLiteral(kinds), ArrayLiteral(records), ArrayLiteral(indexes),
                    ArrayLiteral(masked), ArrayLiteral(regions), trimmed);
}

absl::StatusOr<std::vector<StoredIdView>> IdViewLog::List(const IdViewFilter& filter) {
  const int64_t from = filter.from ? ChinaMidnightMicros(*filter.from) : 0;
  const int64_t to =
      filter.to ? ChinaMidnightMicros(*filter.to + 1) : std::numeric_limits<int64_t>::max() / 2;
  const int64_t before =
      filter.before_view_id > 0 ? filter.before_view_id : std::numeric_limits<int64_t>::max();
  std::vector<StoredIdView> views;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared(kList, filter.person_index, filter.actor, from, to,
                                             filter.region_prefix, before, filter.limit)) {
      StoredIdView v;
      v.view_id = row[0].as<int64_t>();
      v.viewed_at_micros = row[1].as<int64_t>();
      v.actor = row[2].as<std::string>();
      for (absl::string_view role :
           absl::StrSplit(row[3].as<std::string>(), ',', absl::SkipEmpty())) {
        v.actor_roles.emplace_back(role);
      }
      v.method = row[4].as<std::string>();
      v.person = SeenPerson{.record_kind = row[5].as<std::string>(),
                            .record_id = row[6].as<std::string>(),
                            .person_index = row[7].as<std::string>(),
                            .person_masked = row[8].as<std::string>(),
                            .region_code = row[9].as<std::string>()};
      v.reason = row[10].as<std::string>();
      views.push_back(std::move(v));
    }
    return absl::OkStatus();
  }));
  return views;
}

}  // namespace civil
