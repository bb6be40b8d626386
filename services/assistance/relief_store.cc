#include "services/assistance/relief_store.h"

#include <google/protobuf/util/time_util.h>

#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"
#include "services/common/log.h"
#include "services/common/status.h"

namespace civil::assistance {
namespace {

using google::protobuf::util::TimeUtil;

std::string NotFound(absl::string_view field, absl::string_view what) {
  return absl::StrCat(field, ": no such ", what);
}

std::string DayOf(const pqxx::field& f) { return f.is_null() ? "" : f.as<std::string>(); }
std::string MonthOf(const pqxx::field& f) {
  return f.is_null() ? "" : f.as<std::string>().substr(0, 7);
}
absl::CivilDay DayFromSql(const std::string& text) {
  return ParseDay(text.substr(0, 10)).value_or(absl::CivilDay());
}
absl::CivilMonth MonthFromSql(const std::string& text) {
  return absl::CivilMonth(DayFromSql(text));
}
google::protobuf::Timestamp Micros(const pqxx::field& f) {
  return TimeUtil::MicrosecondsToTimestamp(f.as<int64_t>());
}

// Reads up to `page_size` rows of `rows` with `read`, setting `next` from the position column
// `position` of the last row kept when there is another page.
template <typename T, typename Read>
ResultPage<T> TakePage(const pqxx::result& rows, int page_size, int position, Read read) {
  ResultPage<T> page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
    page.items.push_back(read(rows[i]));
    page.next = rows[i][position].as<int64_t>();
  }
  if (static_cast<int>(rows.size()) <= page_size) page.next = 0;
  return page;
}

// A household member as the relief records need it.
struct Person {
  std::string household_id;
  std::string member_id;
  std::string id_index;
  std::string id_masked;
  std::string name;
  std::string region_code;
};

// The member `member_id` of household `household_id`, who must be active. NOT_FOUND for an
// unknown household or member; PERMISSION_DENIED outside the caller's region;
// FAILED_PRECONDITION for a member who left.
absl::StatusOr<Person> LoadPerson(pqxx::transaction_base& txn, const Caller& caller,
                                  const std::string& household_id, const std::string& member_id) {
  pqxx::result h = txn.exec_params(
      "SELECT region_code FROM households WHERE household_id = $1::uuid", household_id);
  if (h.empty()) return absl::NotFoundError(NotFound("household_id", "household"));
  const std::string region = h[0][0].as<std::string>();
  if (absl::Status s = CheckRegion(caller, "household_id", region); !s.ok()) return s;
  pqxx::result m = txn.exec_params(
      "SELECT id_index, id_masked, name, active FROM household_members WHERE member_id = "
      "$1::uuid AND household_id = $2::uuid",
      member_id, household_id);
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

// ----- relief cases --------------------------------------------------------------------------

constexpr char kReliefColumns[] =
    "c.case_id::text, c.household_id::text, c.member_id::text, hm.name, hm.id_masked, "
    "c.region_code, c.reason, c.amount_fen, c.happened_on::text, c.emergency, c.status, "
    "c.approval_level, c.decided_by, c.decided_on::text, c.decision_note, c.paid_on::text, "
    "coalesce(c.paid_fen, 0), c.completion_due::text, c.submitted_by, c.seq";
constexpr char kReliefFrom[] =
    " FROM relief_cases c JOIN household_members hm ON hm.member_id = c.member_id";
constexpr int kReliefSeq = 19;

v1::ReliefCase ReliefFromRow(const pqxx::row& r) {
  v1::ReliefCase c;
  c.set_case_id(r[0].as<std::string>());
  c.set_household_id(r[1].as<std::string>());
  c.set_member_id(r[2].as<std::string>());
  c.set_name(r[3].as<std::string>());
  c.set_id_number_masked(r[4].as<std::string>());
  c.set_region_code(r[5].as<std::string>());
  c.set_reason(r[6].as<std::string>());
  c.set_amount_fen(r[7].as<int64_t>());
  c.set_happened_on(r[8].as<std::string>());
  c.set_emergency(r[9].as<bool>());
  absl::StatusOr<ReliefStatus> status = ReliefStatusFromName(r[10].as<std::string>());
  c.set_status(static_cast<v1::ReliefCaseStatus>(status.ok() ? static_cast<int>(*status) : 0));
  const std::string level = r[11].as<std::string>();
  c.set_approval_level(level == "COUNTY"     ? v1::APPROVAL_LEVEL_COUNTY
                       : level == "TOWNSHIP" ? v1::APPROVAL_LEVEL_TOWNSHIP
                                             : v1::APPROVAL_LEVEL_UNSPECIFIED);
  c.set_decided_by(r[12].as<std::string>());
  c.set_decided_on(DayOf(r[13]));
  c.set_decision_note(r[14].as<std::string>());
  c.set_paid_on(DayOf(r[15]));
  c.set_paid_fen(r[16].as<int64_t>());
  c.set_completion_due(DayOf(r[17]));
  c.set_submitted_by(r[18].as<std::string>());
  return c;
}

absl::StatusOr<v1::ReliefCase> LoadReliefCase(pqxx::transaction_base& txn, const std::string& id,
                                              bool for_update) {
  pqxx::result rows = txn.exec_params(
      absl::StrCat("SELECT ", kReliefColumns, kReliefFrom, " WHERE c.case_id = $1::uuid",
                   for_update ? " FOR UPDATE OF c" : ""),
      id);
  if (rows.empty()) return absl::NotFoundError(NotFound("case_id", "relief case"));
  v1::ReliefCase c = ReliefFromRow(rows[0]);
  for (const auto& r : txn.exec_params(
           "SELECT action, actor, happened_on::text, (extract(epoch from recorded_at) * "
           "1000000)::bigint, note, late_entry FROM relief_case_history WHERE case_id = $1::uuid "
           "ORDER BY history_id",
           id)) {
    auto* h = c.add_history();
    h->set_action(r[0].as<std::string>());
    h->set_actor(r[1].as<std::string>());
    h->set_happened_on(r[2].as<std::string>());
    *h->mutable_recorded_at() = Micros(r[3]);
    h->set_note(r[4].as<std::string>());
    h->set_late_entry(r[5].as<bool>());
  }
  return c;
}

void AppendReliefHistory(pqxx::transaction_base& txn, const std::string& id,
                         absl::string_view action, const Caller& caller, absl::CivilDay happened,
                         const std::string& note, bool late) {
  txn.exec_params(
      "INSERT INTO relief_case_history (case_id, action, actor, happened_on, note, late_entry) "
      "VALUES ($1::uuid, $2, $3, $4::date, $5, $6)",
      id, std::string(action), caller.subject, FormatDay(happened), note, late);
}

}  // namespace

ReliefCaseStore::ReliefCaseStore(PgPool* pool, ReliefRules relief_rules,
                                 const AssistanceRules& rules)
    : pool_(pool), relief_rules_(relief_rules), rules_(rules) {}

absl::StatusOr<v1::ReliefCase> ReliefCaseStore::Create(const Caller& caller,
                                                       const ReliefCaseDraft& draft,
                                                       absl::CivilDay today) {
  v1::ReliefCase out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<Person> person = LoadPerson(txn, caller, draft.household_id, draft.member_id);
    if (!person.ok()) return person.status();
    const std::string id =
        txn.exec_params1(
               "INSERT INTO relief_cases (household_id, member_id, id_index, region_code, reason, "
               "amount_fen, happened_on, emergency, status, submitted_by) VALUES ($1::uuid, "
               "$2::uuid, $3, $4, $5, $6, $7::date, $8, 'SUBMITTED', $9) RETURNING case_id::text",
               draft.household_id, draft.member_id, person->id_index, person->region_code,
               draft.reason, draft.amount.fen(), FormatDay(draft.happened_on), draft.emergency,
               caller.subject)[0]
            .as<std::string>();
    AppendReliefHistory(txn, id, "SUBMITTED", caller, draft.happened_on,
                        draft.emergency ? "emergency" : "",
                        IsLateEntry(rules_, draft.happened_on, today));
    absl::StatusOr<v1::ReliefCase> loaded = LoadReliefCase(txn, id, false);
    if (!loaded.ok()) return loaded.status();
    out = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ReliefCase> ReliefCaseStore::Get(const Caller& caller,
                                                    const std::string& case_id) {
  absl::StatusOr<v1::ReliefCase> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    out = LoadReliefCase(txn, case_id, false);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (out.ok() && !caller.CanActOn(out->region_code())) {
    return absl::NotFoundError(NotFound("case_id", "relief case"));
  }
  return out;
}

absl::StatusOr<ResultPage<v1::ReliefCase>> ReliefCaseStore::List(const std::string& region_prefix,
                                                                 const std::string& status_name,
                                                                 int64_t after, int page_size) {
  ResultPage<v1::ReliefCase> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_params(
        absl::StrCat("SELECT ", kReliefColumns, kReliefFrom,
                     " WHERE c.region_code LIKE $1 || '%' AND ($2 = '' OR c.status = $2) AND "
                     "c.seq > $3 ORDER BY c.seq LIMIT $4"),
        region_prefix, status_name, after, page_size + 1);
    out = TakePage<v1::ReliefCase>(rows, page_size, kReliefSeq, ReliefFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ReliefCase> ReliefCaseStore::Step(const Caller& caller, const ReliefStep& step,
                                                     absl::CivilDay today) {
  v1::ReliefCase out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<v1::ReliefCase> c = LoadReliefCase(txn, step.case_id, true);
    if (!c.ok()) return c.status();
    if (absl::Status s = CheckRegion(caller, "case_id", c->region_code()); !s.ok()) return s;
    const auto current = static_cast<ReliefStatus>(c->status());
    absl::StatusOr<ReliefStatus> next = NextReliefStatus(current, step.action, c->emergency());
    if (!next.ok()) return next.status();
    if (FormatDay(step.happened_on) < c->happened_on()) {
      return absl::FailedPreconditionError(
          absl::StrCat(step.date_field, ": before the case happened (", c->happened_on(), ")"));
    }
    const ApprovalLevel level =
        ApprovalLevelOf(caller.HasRole("assistance.reviewer"), caller.region_prefix);
    const std::string day = FormatDay(step.happened_on);
    const bool late = IsLateEntry(rules_, step.happened_on, today);
    if (step.action == ReliefAction::kPay) {
      if (level == ApprovalLevel::kNone) {
        return absl::PermissionDeniedError(
            "payments are recorded by a township (9-digit scope) or the county");
      }
      if (!c->decided_on().empty() && day < c->decided_on()) {
        return absl::FailedPreconditionError(
            absl::StrCat(step.date_field, ": before the approval (", c->decided_on(), ")"));
      }
      const Money granted = Money::Fen(c->amount_fen());
      const Money paid = step.amount == Money() ? granted : step.amount;
      if (paid > granted) {
        return InvalidField("amount_fen",
                            absl::StrCat("more than the ", granted.ToYuan(), " yuan granted"));
      }
      const bool first = *next == ReliefStatus::kPaidPendingCompletion;
      txn.exec_params(
          "UPDATE relief_cases SET status = $2, paid_on = $3::date, paid_fen = $4, paid_by = $5, "
          "completion_due = NULLIF($6, '')::date WHERE case_id = $1::uuid",
          step.case_id, std::string(ReliefStatusName(*next)), day, paid.fen(), caller.subject,
          first ? FormatDay(CompletionDue(relief_rules_, step.happened_on)) : std::string());
      AppendReliefHistory(txn, step.case_id, first ? "PAID_FIRST" : "PAID", caller,
                          step.happened_on, absl::StrCat(paid.ToYuan(), " yuan"), late);
    } else {
      if (absl::Status s = CheckReliefApproval(relief_rules_, level, Money::Fen(c->amount_fen()));
          !s.ok()) {
        return s;
      }
      if (c->submitted_by() == caller.subject) {
        return absl::PermissionDeniedError(
            "maker-checker: the decision must not be made by the clerk who submitted the case");
      }
      const bool completes = current == ReliefStatus::kPaidPendingCompletion;
      txn.exec_params(
          "UPDATE relief_cases SET status = $2, approval_level = $3, decided_by = $4, "
          "decided_on = $5::date, decision_note = $6 WHERE case_id = $1::uuid",
          step.case_id, std::string(ReliefStatusName(*next)), std::string(ApprovalLevelName(level)),
          caller.subject, day, step.note);
      AppendReliefHistory(txn, step.case_id,
                          step.action == ReliefAction::kReject ? "REJECTED"
                          : completes                          ? "COMPLETED"
                                                               : "APPROVED",
                          caller, step.happened_on, step.note, late);
    }
    absl::StatusOr<v1::ReliefCase> loaded = LoadReliefCase(txn, step.case_id, false);
    if (!loaded.ok()) return loaded.status();
    out = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ResultPage<v1::ReliefCase>> ReliefCaseStore::ListOverdue(
    const std::string& region_prefix, absl::CivilDay as_of, int64_t after, int page_size) {
  ResultPage<v1::ReliefCase> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    // Most overdue first: pages walk a row number over (completion_due, seq).
    pqxx::result rows = txn.exec_params(
        absl::StrCat("SELECT * FROM (SELECT ", kReliefColumns,
                     ", row_number() OVER (ORDER BY c.completion_due, c.seq) AS n", kReliefFrom,
                     " WHERE c.status = 'PAID_PENDING_COMPLETION' AND c.completion_due < $2::date "
                     "AND c.region_code LIKE $1 || '%') s WHERE n > $3 ORDER BY n LIMIT $4"),
        region_prefix, FormatDay(as_of), after, page_size + 1);
    out = TakePage<v1::ReliefCase>(rows, page_size, kReliefSeq + 1, ReliefFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

// ----- mutual aid ----------------------------------------------------------------------------

namespace {

constexpr char kSocietyColumns[] =
    "society_id::text, region_code, name, registered_on::text, registered_by, seq";

v1::MutualAidSociety SocietyFromRow(const pqxx::row& r) {
  v1::MutualAidSociety s;
  s.set_society_id(r[0].as<std::string>());
  s.set_region_code(r[1].as<std::string>());
  s.set_name(r[2].as<std::string>());
  s.set_registered_on(r[3].as<std::string>());
  s.set_registered_by(r[4].as<std::string>());
  return s;
}

constexpr char kAidCaseColumns[] =
    "c.case_id::text, c.society_id::text, c.household_id::text, c.member_id::text, hm.name, "
    "hm.id_masked, c.region_code, c.amount_fen, c.helped_on::text, c.note, c.recorded_by, "
    "c.late_entry, c.seq";
constexpr char kAidCaseFrom[] =
    " FROM mutual_aid_cases c JOIN household_members hm ON hm.member_id = c.member_id";

v1::MutualAidCase AidCaseFromRow(const pqxx::row& r) {
  v1::MutualAidCase c;
  c.set_case_id(r[0].as<std::string>());
  c.set_society_id(r[1].as<std::string>());
  c.set_household_id(r[2].as<std::string>());
  c.set_member_id(r[3].as<std::string>());
  c.set_name(r[4].as<std::string>());
  c.set_id_number_masked(r[5].as<std::string>());
  c.set_region_code(r[6].as<std::string>());
  c.set_amount_fen(r[7].as<int64_t>());
  c.set_helped_on(r[8].as<std::string>());
  c.set_note(r[9].as<std::string>());
  c.set_recorded_by(r[10].as<std::string>());
  c.set_late_entry(r[11].as<bool>());
  return c;
}

}  // namespace

MutualAidStore::MutualAidStore(PgPool* pool, const AssistanceRules& rules)
    : pool_(pool), rules_(rules) {}

absl::StatusOr<v1::MutualAidSociety> MutualAidStore::Register(const Caller& caller,
                                                              const std::string& region_code,
                                                              const std::string& name,
                                                              absl::CivilDay registered_on) {
  v1::MutualAidSociety out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      out = SocietyFromRow(txn.exec_params1(
          absl::StrCat("INSERT INTO mutual_aid_societies (region_code, name, registered_on, "
                       "registered_by) VALUES ($1, $2, $3::date, $4) RETURNING ",
                       kSocietyColumns),
          region_code, name, FormatDay(registered_on), caller.subject));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("region_code: ", region_code, " already has a mutual-aid society"));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ResultPage<v1::MutualAidSociety>> MutualAidStore::ListSocieties(
    const std::string& region_prefix, int64_t after, int page_size) {
  ResultPage<v1::MutualAidSociety> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_params(
        absl::StrCat("SELECT ", kSocietyColumns,
                     " FROM mutual_aid_societies WHERE region_code LIKE $1 || '%' AND seq > $2 "
                     "ORDER BY seq LIMIT $3"),
        region_prefix, after, page_size + 1);
    out = TakePage<v1::MutualAidSociety>(rows, page_size, 5, SocietyFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::MutualAidCase> MutualAidStore::RecordCase(const Caller& caller,
                                                             const MutualAidCaseDraft& draft,
                                                             absl::CivilDay today) {
  v1::MutualAidCase out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result society = txn.exec_params(
        "SELECT region_code, registered_on::text FROM mutual_aid_societies WHERE society_id = "
        "$1::uuid",
        draft.society_id);
    if (society.empty()) return absl::NotFoundError(NotFound("society_id", "mutual-aid society"));
    const std::string village = society[0][0].as<std::string>();
    const std::string registered_on = society[0][1].as<std::string>();
    if (absl::Status s = CheckRegion(caller, "society_id", village); !s.ok()) return s;
    absl::StatusOr<Person> person = LoadPerson(txn, caller, draft.household_id, draft.member_id);
    if (!person.ok()) return person.status();
    if (person->region_code != village) {
      return absl::FailedPreconditionError(
          absl::StrCat("household_id: the household lives in ", person->region_code,
                       ", not in the society's village ", village));
    }
    if (FormatDay(draft.helped_on) < registered_on) {
      return absl::FailedPreconditionError(
          absl::StrCat("helped_on: before the society was registered (", registered_on, ")"));
    }
    const std::string id =
        txn.exec_params1(
               "INSERT INTO mutual_aid_cases (society_id, household_id, member_id, id_index, "
               "region_code, amount_fen, helped_on, note, recorded_by, late_entry) VALUES "
               "($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7::date, $8, $9, $10) "
               "RETURNING case_id::text",
               draft.society_id, draft.household_id, draft.member_id, person->id_index, village,
               draft.amount.fen(), FormatDay(draft.helped_on), draft.note, caller.subject,
               IsLateEntry(rules_, draft.helped_on, today))[0]
            .as<std::string>();
    out = AidCaseFromRow(txn.exec_params1(
        absl::StrCat("SELECT ", kAidCaseColumns, kAidCaseFrom, " WHERE c.case_id = $1::uuid"), id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ResultPage<v1::MutualAidCase>> MutualAidStore::ListCases(
    const std::string& region_prefix, const std::string& society_id, int64_t after, int page_size) {
  ResultPage<v1::MutualAidCase> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_params(
        absl::StrCat("SELECT ", kAidCaseColumns, kAidCaseFrom,
                     " WHERE c.region_code LIKE $1 || '%' AND ($2 = '' OR c.society_id::text = "
                     "$2) AND c.seq > $3 ORDER BY c.seq LIMIT $4"),
        region_prefix, society_id, after, page_size + 1);
    out = TakePage<v1::MutualAidCase>(rows, page_size, 12, AidCaseFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::GetMutualAidCoverageResponse> MutualAidStore::Coverage(
    const std::string& region_prefix, absl::CivilDay as_of, int64_t villages_known) {
  v1::GetMutualAidCoverageResponse out;
  out.set_region_prefix(region_prefix);
  out.set_as_of(FormatDay(as_of));
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    const int64_t registered =
        txn.exec_params1(
               "SELECT count(*) FROM mutual_aid_societies WHERE region_code LIKE $1 || '%' AND "
               "registered_on <= $2::date",
               region_prefix, FormatDay(as_of))[0]
            .as<int64_t>();
    out.set_societies_registered(registered);
    if (villages_known > 0) {
      if (villages_known < registered) {
        return InvalidField("villages_known",
                            absl::StrCat(villages_known, " is fewer than the ", registered,
                                         " villages with a registered society"));
      }
      out.set_villages_known(villages_known);
      out.set_villages_known_source(v1::VILLAGE_COUNT_SOURCE_REQUEST);
    } else {
      // Villages known: those with registered households, and those that registered a society.
      out.set_villages_known(
          txn.exec_params1(
                 "SELECT count(*) FROM (SELECT region_code FROM households WHERE region_code LIKE "
                 "$1 || '%' UNION SELECT region_code FROM mutual_aid_societies WHERE region_code "
                 "LIKE $1 || '%' AND registered_on <= $2::date) v",
                 region_prefix, FormatDay(as_of))[0]
              .as<int64_t>());
      out.set_villages_known_source(v1::VILLAGE_COUNT_SOURCE_HOUSEHOLDS);
      for (const auto& r : txn.exec_params(
               "SELECT DISTINCT h.region_code FROM households h WHERE h.region_code LIKE $1 || "
               "'%' AND NOT EXISTS (SELECT 1 FROM mutual_aid_societies s WHERE s.region_code = "
               "h.region_code AND s.registered_on <= $2::date) ORDER BY 1 LIMIT 1000",
               region_prefix, FormatDay(as_of))) {
        out.add_uncovered_region_codes(r[0].as<std::string>());
      }
    }
    out.set_coverage_permille(CoveragePermille(registered, out.villages_known()));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

// ----- outreach ------------------------------------------------------------------------------

namespace {

constexpr char kVisitColumns[] =
    "v.visit_id::text, v.household_id::text, v.member_id::text, hm.name, hm.id_masked, "
    "v.region_code, v.visited_on::text, v.note, v.visited_by, v.late_entry, v.seq";
constexpr char kVisitFrom[] =
    " FROM outreach_visits v JOIN household_members hm ON hm.member_id = v.member_id";

constexpr char kDemandColumns[] =
    "demand_id::text, description, status, resolved_on::text, resolution, resolved_by";

v1::Demand DemandFromRow(const pqxx::row& r) {
  v1::Demand d;
  d.set_demand_id(r[0].as<std::string>());
  d.set_description(r[1].as<std::string>());
  d.set_status(r[2].as<std::string>() == "RESOLVED" ? v1::DEMAND_STATUS_RESOLVED
                                                    : v1::DEMAND_STATUS_OPEN);
  d.set_resolved_on(DayOf(r[3]));
  d.set_resolution(r[4].as<std::string>());
  d.set_resolved_by(r[5].as<std::string>());
  return d;
}

v1::Visit VisitFromRow(pqxx::transaction_base& txn, const pqxx::row& r) {
  v1::Visit v;
  v.set_visit_id(r[0].as<std::string>());
  v.set_household_id(r[1].as<std::string>());
  v.set_member_id(r[2].as<std::string>());
  v.set_name(r[3].as<std::string>());
  v.set_id_number_masked(r[4].as<std::string>());
  v.set_region_code(r[5].as<std::string>());
  v.set_visited_on(r[6].as<std::string>());
  v.set_note(r[7].as<std::string>());
  v.set_visited_by(r[8].as<std::string>());
  v.set_late_entry(r[9].as<bool>());
  for (const auto& d : txn.exec_params(
           absl::StrCat("SELECT ", kDemandColumns,
                        " FROM outreach_demands WHERE visit_id = $1::uuid ORDER BY position"),
           v.visit_id())) {
    *v.add_demands() = DemandFromRow(d);
  }
  return v;
}

constexpr char kBatchColumns[] =
    "batch_id::text, region_prefix, provider, name, service, started_on::text, created_by";

v1::HealthCheckBatch BatchFromRow(const pqxx::row& r) {
  v1::HealthCheckBatch b;
  b.set_batch_id(r[0].as<std::string>());
  b.set_region_prefix(r[1].as<std::string>());
  b.set_provider(r[2].as<std::string>());
  b.set_name(r[3].as<std::string>());
  b.set_service(r[4].as<std::string>());
  b.set_started_on(r[5].as<std::string>());
  b.set_created_by(r[6].as<std::string>());
  return b;
}

constexpr char kCheckColumns[] =
    "c.check_id::text, c.batch_id::text, c.household_id::text, c.member_id::text, hm.name, "
    "hm.id_masked, c.region_code, c.enrolment_id::text, c.checked_on::text, c.health_record, "
    "c.recorded_by, c.seq";
constexpr char kCheckFrom[] =
    " FROM health_checks c JOIN household_members hm ON hm.member_id = c.member_id";

v1::HealthCheck CheckFromRow(const pqxx::row& r) {
  v1::HealthCheck c;
  c.set_check_id(r[0].as<std::string>());
  c.set_batch_id(r[1].as<std::string>());
  c.set_household_id(r[2].as<std::string>());
  c.set_member_id(r[3].as<std::string>());
  c.set_name(r[4].as<std::string>());
  c.set_id_number_masked(r[5].as<std::string>());
  c.set_region_code(r[6].as<std::string>());
  c.set_enrolment_id(r[7].as<std::string>());
  c.set_checked_on(r[8].as<std::string>());
  c.set_health_record(r[9].as<std::string>());
  c.set_recorded_by(r[10].as<std::string>());
  return c;
}

}  // namespace

OutreachStore::OutreachStore(PgPool* pool, const AssistanceRules& rules)
    : pool_(pool), rules_(rules) {}

absl::StatusOr<v1::Visit> OutreachStore::RecordVisit(const Caller& caller, const VisitDraft& draft,
                                                     absl::CivilDay today) {
  v1::Visit out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<Person> person = LoadPerson(txn, caller, draft.household_id, draft.member_id);
    if (!person.ok()) return person.status();
    const std::string id =
        txn.exec_params1(
               "INSERT INTO outreach_visits (household_id, member_id, id_index, region_code, "
               "visited_on, note, visited_by, late_entry) VALUES ($1::uuid, $2::uuid, $3, $4, "
               "$5::date, $6, $7, $8) RETURNING visit_id::text",
               draft.household_id, draft.member_id, person->id_index, person->region_code,
               FormatDay(draft.visited_on), draft.note, caller.subject,
               IsLateEntry(rules_, draft.visited_on, today))[0]
            .as<std::string>();
    for (size_t i = 0; i < draft.demands.size(); ++i) {
      txn.exec_params(
          "INSERT INTO outreach_demands (visit_id, position, description) VALUES ($1::uuid, $2, "
          "$3)",
          id, static_cast<int>(i), draft.demands[i]);
    }
    out = VisitFromRow(txn, txn.exec_params1(absl::StrCat("SELECT ", kVisitColumns, kVisitFrom,
                                                          " WHERE v.visit_id = $1::uuid"),
                                             id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ResultPage<v1::Visit>> OutreachStore::ListVisits(const std::string& region_prefix,
                                                                int64_t after, int page_size) {
  ResultPage<v1::Visit> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_params(
        absl::StrCat("SELECT ", kVisitColumns, kVisitFrom,
                     " WHERE v.region_code LIKE $1 || '%' AND v.seq > $2 ORDER BY v.seq LIMIT $3"),
        region_prefix, after, page_size + 1);
    out = TakePage<v1::Visit>(rows, page_size, 10,
                              [&](const pqxx::row& r) { return VisitFromRow(txn, r); });
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Demand> OutreachStore::ResolveDemand(const Caller& caller,
                                                        const std::string& demand_id,
                                                        absl::CivilDay resolved_on,
                                                        const std::string& resolution) {
  v1::Demand out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result rows = txn.exec_params(
        "SELECT d.status, v.region_code, v.visited_on::text FROM outreach_demands d JOIN "
        "outreach_visits v USING (visit_id) WHERE d.demand_id = $1::uuid FOR UPDATE OF d",
        demand_id);
    if (rows.empty() || !caller.CanActOn(rows[0][1].as<std::string>())) {
      return absl::NotFoundError(NotFound("demand_id", "demand"));
    }
    if (rows[0][0].as<std::string>() == "RESOLVED") {
      return absl::FailedPreconditionError("demand is RESOLVED: it was resolved already");
    }
    const std::string visited_on = rows[0][2].as<std::string>();
    if (FormatDay(resolved_on) < visited_on) {
      return absl::FailedPreconditionError(
          absl::StrCat("resolved_on: before the visit (", visited_on, ")"));
    }
    out = DemandFromRow(txn.exec_params1(
        absl::StrCat("UPDATE outreach_demands SET status = 'RESOLVED', resolved_on = $2::date, "
                     "resolution = $3, resolved_by = $4 WHERE demand_id = $1::uuid RETURNING ",
                     kDemandColumns),
        demand_id, FormatDay(resolved_on), resolution, caller.subject));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::HealthCheckBatch> OutreachStore::CreateBatch(const Caller& caller,
                                                                const v1::HealthCheckBatch& b) {
  v1::HealthCheckBatch out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      out = BatchFromRow(txn.exec_params1(
          absl::StrCat("INSERT INTO health_check_batches (region_prefix, provider, name, service, "
                       "started_on, created_by) VALUES ($1, $2, $3, $4, $5::date, $6) RETURNING ",
                       kBatchColumns),
          b.region_prefix(), b.provider(), b.name(), b.service(), b.started_on(), caller.subject));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          "name: this provider already has a batch of that name in the region");
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::HealthCheck> OutreachStore::RecordHealthCheck(const Caller& caller,
                                                                 const HealthCheckDraft& draft) {
  v1::HealthCheck out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result batch = txn.exec_params(
        "SELECT region_prefix, started_on::text FROM health_check_batches WHERE batch_id = "
        "$1::uuid",
        draft.batch_id);
    if (batch.empty()) return absl::NotFoundError(NotFound("batch_id", "health-check batch"));
    const std::string batch_region = batch[0][0].as<std::string>();
    const std::string started_on = batch[0][1].as<std::string>();
    absl::StatusOr<Person> person = LoadPerson(txn, caller, draft.household_id, draft.member_id);
    if (!person.ok()) return person.status();
    if (person->region_code.compare(0, batch_region.size(), batch_region) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("household_id: region ", person->region_code,
                       " is outside the batch's region ", batch_region));
    }
    if (FormatDay(draft.checked_on) < started_on) {
      return absl::FailedPreconditionError(
          absl::StrCat("checked_on: before the batch started (", started_on, ")"));
    }
    // The person must be covered, that month, by a 特困 enrolment with dispersed care.
    pqxx::result enrolment = txn.exec_params(
        "SELECT e.enrolment_id::text FROM enrolment_members m JOIN enrolments e USING "
        "(enrolment_id) WHERE m.id_index = $1 AND e.programme = 'TEKUN' AND e.care_mode = "
        "'DISPERSED' AND m.start_month <= $2::date AND (m.end_month IS NULL OR m.end_month >= "
        "$2::date) ORDER BY m.start_month DESC LIMIT 1",
        person->id_index, MonthDate(absl::CivilMonth(draft.checked_on)));
    if (enrolment.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("member_id: ", person->id_masked,
                       " is not in an active 特困 enrolment with dispersed care (分散供养) on ",
                       FormatDay(draft.checked_on)));
    }
    try {
      const std::string id =
          txn.exec_params1(
                 "INSERT INTO health_checks (batch_id, household_id, member_id, id_index, "
                 "region_code, enrolment_id, checked_on, health_record, recorded_by) VALUES "
                 "($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::uuid, $7::date, $8, $9) RETURNING "
                 "check_id::text",
                 draft.batch_id, draft.household_id, draft.member_id, person->id_index,
                 person->region_code, enrolment[0][0].as<std::string>(),
                 FormatDay(draft.checked_on), draft.health_record, caller.subject)[0]
              .as<std::string>();
      out = CheckFromRow(txn.exec_params1(
          absl::StrCat("SELECT ", kCheckColumns, kCheckFrom, " WHERE c.check_id = $1::uuid"), id));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("member_id: ", person->id_masked, " is in this batch already"));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ResultPage<v1::HealthCheck>> OutreachStore::ListHealthChecks(
    const std::string& batch_id, const std::string& region_prefix, int64_t after, int page_size) {
  absl::StatusOr<ResultPage<v1::HealthCheck>> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    if (txn.exec_params("SELECT 1 FROM health_check_batches WHERE batch_id = $1::uuid", batch_id)
            .empty()) {
      out = absl::NotFoundError(NotFound("batch_id", "health-check batch"));
      return absl::OkStatus();
    }
    pqxx::result rows = txn.exec_params(
        absl::StrCat("SELECT ", kCheckColumns, kCheckFrom,
                     " WHERE c.batch_id = $1::uuid AND c.region_code LIKE $2 || '%' AND c.seq > "
                     "$3 ORDER BY c.seq LIMIT $4"),
        batch_id, region_prefix, after, page_size + 1);
    out = TakePage<v1::HealthCheck>(rows, page_size, 11, CheckFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

// ----- audits --------------------------------------------------------------------------------

namespace {

// One problem found by a check, before it is stored.
struct Candidate {
  FindingKey key;
  std::string subject;
  std::string region_code;
  std::string detail;
  int64_t amount_fen = 0;
  std::string household_id;
  std::string enrolment_id;
};

constexpr char kFindingColumns[] =
    "finding_id::text, kind, subject, region_code, period, detail, amount_fen, status, "
    "first_run_id::text, last_run_id::text, (extract(epoch from found_at) * 1000000)::bigint, "
    "decided_by, decided_on::text, decision_reason, coalesce(household_id::text, ''), "
    "coalesce(enrolment_id::text, ''), seq";

v1::Finding FindingFromRow(const pqxx::row& r) {
  v1::Finding f;
  f.set_finding_id(r[0].as<std::string>());
  absl::StatusOr<FindingKind> kind = FindingKindFromName(r[1].as<std::string>());
  f.set_kind(static_cast<v1::FindingKind>(kind.ok() ? static_cast<int>(*kind) : 0));
  f.set_subject(r[2].as<std::string>());
  f.set_region_code(r[3].as<std::string>());
  f.set_period(r[4].as<std::string>());
  f.set_detail(r[5].as<std::string>());
  f.set_amount_fen(r[6].as<int64_t>());
  absl::StatusOr<FindingStatus> status = FindingStatusFromName(r[7].as<std::string>());
  f.set_status(static_cast<v1::FindingStatus>(status.ok() ? static_cast<int>(*status) : 0));
  f.set_first_run_id(r[8].as<std::string>());
  f.set_last_run_id(r[9].as<std::string>());
  *f.mutable_found_at() = Micros(r[10]);
  f.set_decided_by(r[11].as<std::string>());
  f.set_decided_on(DayOf(r[12]));
  f.set_decision_reason(r[13].as<std::string>());
  f.set_household_id(r[14].as<std::string>());
  f.set_enrolment_id(r[15].as<std::string>());
  return f;
}

std::string Span(const std::string& start, const std::string& end) {
  return absl::StrCat(start.substr(0, 7), "..", end.empty() ? "" : end.substr(0, 7));
}

// 重复享受: the same person in two enrolments of one exclusive group for overlapping months.
void FindExclusiveEnrolments(pqxx::transaction_base& txn, const std::string& prefix,
                             const std::string& month, std::vector<Candidate>* out) {
  for (const auto& r : txn.exec_params(
           "SELECT m1.id_index, hm.id_masked, e2.region_code, greatest(m1.start_month, "
           "m2.start_month)::text, e1.enrolment_id::text, e1.programme, m1.start_month::text, "
           "m1.end_month::text, e2.enrolment_id::text, e2.programme, m2.start_month::text, "
           "m2.end_month::text, e2.household_id::text FROM enrolment_members m1 JOIN "
           "enrolment_members m2 ON m2.id_index = m1.id_index AND m2.exclusive_group = "
           "m1.exclusive_group AND m2.enrolment_id > m1.enrolment_id JOIN enrolments e1 ON "
           "e1.enrolment_id = m1.enrolment_id JOIN enrolments e2 ON e2.enrolment_id = "
           "m2.enrolment_id JOIN household_members hm ON hm.member_id = m2.member_id WHERE "
           "m1.start_month <= coalesce(m2.end_month, 'infinity'::date) AND m2.start_month <= "
           "coalesce(m1.end_month, 'infinity'::date) AND greatest(m1.start_month, "
           "m2.start_month) <= $2::date AND (e1.region_code LIKE $1 || '%' OR e2.region_code "
           "LIKE $1 || '%') ORDER BY 1, 4",
           prefix, month)) {
    Candidate c;
    c.key = ExclusiveEnrolmentsKey(r[0].as<std::string>(), MonthFromSql(r[3].as<std::string>()));
    c.subject = r[1].as<std::string>();
    c.region_code = r[2].as<std::string>();
    c.detail = absl::StrCat(r[5].as<std::string>(), " enrolment ", r[4].as<std::string>(), " (",
                            Span(r[6].as<std::string>(), DayOf(r[7])), ") and ",
                            r[9].as<std::string>(), " enrolment ", r[8].as<std::string>(), " (",
                            Span(r[10].as<std::string>(), DayOf(r[11])),
                            ") exclude each other and overlap from ", MonthOf(r[3]));
    c.household_id = r[12].as<std::string>();
    c.enrolment_id = r[8].as<std::string>();
    out->push_back(std::move(c));
  }
}

// 重复享受: a person active in two households, as a member (the unique index forbids it; imported
// data may not have gone through it) or covered in `month` by enrolments of two households.
void FindTwoHouseholds(pqxx::transaction_base& txn, const std::string& prefix,
                       const std::string& month, std::vector<Candidate>* out) {
  for (const auto& r : txn.exec_params(
           "SELECT a.id_index, a.id_masked, hb.region_code, to_char(greatest(a.joined_at, "
           "b.joined_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-01'), a.household_id::text, "
           "b.household_id::text FROM household_members a JOIN household_members b ON b.id_index "
           "= a.id_index AND b.household_id > a.household_id AND b.active JOIN households ha ON "
           "ha.household_id = a.household_id JOIN households hb ON hb.household_id = "
           "b.household_id WHERE a.active AND (ha.region_code LIKE $1 || '%' OR hb.region_code "
           "LIKE $1 || '%')",
           prefix)) {
    Candidate c;
    c.key = TwoHouseholdsKey(r[0].as<std::string>(), MonthFromSql(r[3].as<std::string>()));
    c.subject = r[1].as<std::string>();
    c.region_code = r[2].as<std::string>();
    c.detail = absl::StrCat("an active member of households ", r[4].as<std::string>(), " and ",
                            r[5].as<std::string>());
    c.household_id = r[5].as<std::string>();
    out->push_back(std::move(c));
  }
  for (const auto& r : txn.exec_params(
           "SELECT m1.id_index, hm.id_masked, e2.region_code, greatest(m1.start_month, "
           "m2.start_month)::text, e1.household_id::text, e1.programme, e2.household_id::text, "
           "e2.programme, e2.enrolment_id::text FROM enrolment_members m1 JOIN enrolment_members "
           "m2 ON m2.id_index = m1.id_index JOIN enrolments e1 ON e1.enrolment_id = "
           "m1.enrolment_id JOIN enrolments e2 ON e2.enrolment_id = m2.enrolment_id AND "
           "e2.household_id > e1.household_id JOIN household_members hm ON hm.member_id = "
           "m2.member_id WHERE m1.start_month <= $2::date AND (m1.end_month IS NULL OR "
           "m1.end_month >= $2::date) AND m2.start_month <= $2::date AND (m2.end_month IS NULL OR "
           "m2.end_month >= $2::date) AND (e1.region_code LIKE $1 || '%' OR e2.region_code LIKE "
           "$1 || '%') ORDER BY 1, 4",
           prefix, month)) {
    Candidate c;
    c.key = TwoHouseholdsKey(r[0].as<std::string>(), MonthFromSql(r[3].as<std::string>()));
    c.subject = r[1].as<std::string>();
    c.region_code = r[2].as<std::string>();
    c.detail = absl::StrCat("covered by ", r[5].as<std::string>(), " of household ",
                            r[4].as<std::string>(), " and ", r[7].as<std::string>(),
                            " of household ", r[6].as<std::string>(), " from ", MonthOf(r[3]));
    c.household_id = r[6].as<std::string>();
    c.enrolment_id = r[8].as<std::string>();
    out->push_back(std::move(c));
  }
}

// 违规享受: payments for months after the enrolment ended (other than by death, which the next
// check reports) and payments after a recorded death that still count the person.
void FindImproperPayments(pqxx::transaction_base& txn, const std::string& prefix,
                          std::vector<Candidate>* out) {
  for (const auto& r : txn.exec_params(
           "SELECT e.enrolment_id::text, e.region_code, min(p.month)::text, max(p.month)::text, "
           "count(*), sum(p.amount_fen), e.end_month::text, e.household_id::text, "
           "(SELECT hm.id_masked FROM enrolment_members m JOIN household_members hm ON "
           "hm.member_id = m.member_id WHERE m.enrolment_id = e.enrolment_id ORDER BY "
           "hm.position LIMIT 1) FROM payments p JOIN enrolments e ON e.enrolment_id = "
           "p.enrolment_id WHERE e.end_month IS NOT NULL AND p.month > e.end_month AND "
           "p.amount_fen > 0 AND e.exit_reason <> 'DEATH' AND e.region_code LIKE $1 || '%' "
           "GROUP BY e.enrolment_id ORDER BY 1",
           prefix)) {
    Candidate c;
    c.key = PaidAfterEndKey(r[0].as<std::string>(), MonthFromSql(r[2].as<std::string>()));
    c.subject = absl::StrCat(DayOf(r[8]), " (enrolment ", r[0].as<std::string>(), ")");
    c.region_code = r[1].as<std::string>();
    c.amount_fen = r[5].as<int64_t>();
    c.detail = absl::StrCat(r[4].as<int64_t>(), " payment(s) for ", MonthOf(r[2]), "..",
                            MonthOf(r[3]), " after the enrolment ended with ", MonthOf(r[6]), ": ",
                            Money::Fen(c.amount_fen).ToYuan(), " yuan");
    c.household_id = r[7].as<std::string>();
    c.enrolment_id = r[0].as<std::string>();
    out->push_back(std::move(c));
  }
  for (const auto& r : txn.exec_params(
           "WITH deaths AS (SELECT id_index, min(end_month) AS last_month FROM enrolment_members "
           "WHERE exit_reason = 'DEATH' AND end_month IS NOT NULL GROUP BY id_index) "
           "SELECT e.enrolment_id::text, d.id_index, min(hm.id_masked), e.region_code, "
           "min(p.month)::text, max(p.month)::text, count(DISTINCT p.payment_id), "
           "sum(p.amount_fen), d.last_month::text, e.household_id::text FROM deaths d JOIN "
           "enrolment_members m ON m.id_index = d.id_index JOIN enrolments e ON e.enrolment_id = "
           "m.enrolment_id JOIN household_members hm ON hm.member_id = m.member_id JOIN payments "
           "p ON p.enrolment_id = e.enrolment_id AND p.month > d.last_month AND p.amount_fen > 0 "
           "WHERE e.region_code LIKE $1 || '%' AND ((m.end_month IS NULL OR m.end_month >= "
           "p.month) OR p.persons > (SELECT count(*) FROM enrolment_members x WHERE "
           "x.enrolment_id = e.enrolment_id AND x.start_month <= p.month AND (x.end_month IS NULL "
           "OR x.end_month >= p.month))) GROUP BY e.enrolment_id, d.id_index, e.region_code, "
           "d.last_month, e.household_id ORDER BY 1, 2",
           prefix)) {
    Candidate c;
    c.key = PaidAfterDeathKey(r[0].as<std::string>(), r[1].as<std::string>(),
                              MonthFromSql(r[4].as<std::string>()));
    c.subject = absl::StrCat(r[2].as<std::string>(), " (enrolment ", r[0].as<std::string>(), ")");
    c.region_code = r[3].as<std::string>();
    c.amount_fen = r[7].as<int64_t>();
    c.detail = absl::StrCat(r[6].as<int64_t>(), " payment(s) for ", MonthOf(r[4]), "..",
                            MonthOf(r[5]), " still counting a person recorded dead (last month ",
                            MonthOf(r[8]), "): ", Money::Fen(c.amount_fen).ToYuan(), " yuan");
    c.household_id = r[9].as<std::string>();
    c.enrolment_id = r[0].as<std::string>();
    out->push_back(std::move(c));
  }
}

// Active enrolments whose review was due before `as_of`.
void FindReviewsOverdue(pqxx::transaction_base& txn, const std::string& prefix,
                        const std::string& as_of, std::vector<Candidate>* out) {
  for (const auto& r : txn.exec_params(
           "SELECT e.enrolment_id::text, e.region_code, e.review_due::text, e.programme, "
           "e.household_id::text, (SELECT hm.id_masked FROM enrolment_members m JOIN "
           "household_members hm ON hm.member_id = m.member_id WHERE m.enrolment_id = "
           "e.enrolment_id ORDER BY hm.position LIMIT 1) FROM enrolments e WHERE e.status = "
           "'ACTIVE' AND e.review_due < $2::date AND e.region_code LIKE $1 || '%' ORDER BY 3, 1",
           prefix, as_of)) {
    Candidate c;
    c.key = ReviewOverdueKey(r[0].as<std::string>(), DayFromSql(r[2].as<std::string>()));
    c.subject = absl::StrCat(DayOf(r[5]), " (enrolment ", r[0].as<std::string>(), ")");
    c.region_code = r[1].as<std::string>();
    c.detail = absl::StrCat(r[3].as<std::string>(), " review was due on ", r[2].as<std::string>());
    c.household_id = r[4].as<std::string>();
    c.enrolment_id = r[0].as<std::string>();
    out->push_back(std::move(c));
  }
}

// 应享未享: the latest investigated application of each household, not rejected (and not an
// approval into 低保/特困 or a subsidy, whose later exit speaks for itself), whose income is below
// the 低保 standard in force on `as_of` × active members, while no active member is covered by
// 低保 or 特困 in the as-of month.
absl::Status FindEligibleNotEnrolled(pqxx::transaction_base& txn, const std::string& prefix,
                                     absl::CivilDay as_of, std::vector<Candidate>* out) {
  const std::string month = MonthDate(absl::CivilMonth(as_of));
  for (const auto& r : txn.exec_params(
           "SELECT l.household_id::text, l.application_id::text, l.region_code, l.area, "
           "l.programme, l.status, l.monthly_income_fen, l.investigated_on::text FROM (SELECT "
           "DISTINCT ON (a.household_id) a.household_id, a.application_id, a.region_code, a.area, "
           "a.programme, a.status, a.monthly_income_fen, (SELECT h.happened_on FROM "
           "application_history h WHERE h.application_id = a.application_id AND h.action = "
           "'INVESTIGATED' ORDER BY h.history_id DESC LIMIT 1) AS investigated_on FROM "
           "applications a WHERE a.region_code LIKE $1 || '%' AND a.monthly_income_fen IS NOT "
           "NULL ORDER BY a.household_id, a.seq DESC) l WHERE l.status <> 'REJECTED' AND NOT "
           "(l.status = 'APPROVED' AND l.programme NOT IN ('MARGINAL', 'EXPENDITURE_HARDSHIP')) "
           "AND l.investigated_on <= $2::date AND NOT EXISTS (SELECT 1 FROM household_members hm "
           "JOIN enrolment_members m ON m.id_index = hm.id_index WHERE hm.household_id = "
           "l.household_id AND hm.active AND m.exclusive_group = 'SUBSISTENCE' AND m.start_month "
           "<= $3::date AND (m.end_month IS NULL OR m.end_month >= $3::date)) ORDER BY 1",
           prefix, FormatDay(as_of), month)) {
    const std::string household_id = r[0].as<std::string>();
    // Active members, head first: their number and the head's masked ID.
    pqxx::result members = txn.exec_params(
        "SELECT count(*) OVER (), id_masked FROM household_members WHERE household_id = $1::uuid "
        "AND active ORDER BY position LIMIT 1",
        household_id);
    if (members.empty()) continue;
    const int count = members[0][0].as<int>();
    absl::StatusOr<StandardValues> standard =
        StandardStore::InForce(txn, Programme::kDibao, r[3].as<std::string>(),
                               r[2].as<std::string>(), absl::CivilMonth(as_of));
    if (!standard.ok()) continue;  // no 低保 line set there: nothing to compare with
    const Money income = Money::Fen(r[6].as<int64_t>());
    if (!IsBelowDibaoLine(standard->monthly, count, income)) continue;
    Candidate c;
    c.key = EligibleNotEnrolledKey(household_id, MonthFromSql(r[7].as<std::string>()));
    c.subject = absl::StrCat(DayOf(members[0][1]), " (household ", household_id, ")");
    c.region_code = r[2].as<std::string>();
    c.detail = absl::StrCat("income ", income.ToYuan(), " yuan is below the 低保 line ",
                            standard->monthly.ToYuan(), " × ", count, " = ",
                            (standard->monthly * count).ToYuan(), " yuan (", r[4].as<std::string>(),
                            " application ", r[1].as<std::string>(), ", ", r[5].as<std::string>(),
                            "); not enrolled in 低保 or 特困");
    c.amount_fen = 0;
    c.household_id = household_id;
    out->push_back(std::move(c));
  }
  return absl::OkStatus();
}

}  // namespace

AuditStore::AuditStore(PgPool* pool) : pool_(pool) {}

absl::StatusOr<v1::RunAuditResponse> AuditStore::Run(const Caller& caller,
                                                     const std::string& region_prefix,
                                                     absl::CivilDay as_of) {
  v1::RunAuditResponse out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    out.Clear();
    const std::string run_id =
        txn.exec_params1(
               "INSERT INTO audit_runs (region_prefix, as_of, run_by) VALUES ($1, $2::date, $3) "
               "RETURNING run_id::text",
               region_prefix, FormatDay(as_of), caller.subject)[0]
            .as<std::string>();
    const std::string month = MonthDate(absl::CivilMonth(as_of));
    std::vector<Candidate> found;
    FindExclusiveEnrolments(txn, region_prefix, month, &found);
    FindTwoHouseholds(txn, region_prefix, month, &found);
    FindImproperPayments(txn, region_prefix, &found);
    FindReviewsOverdue(txn, region_prefix, FormatDay(as_of), &found);
    if (absl::Status s = FindEligibleNotEnrolled(txn, region_prefix, as_of, &found); !s.ok()) {
      return s;
    }
    std::map<int, int64_t> by_kind;
    std::set<std::tuple<int, std::string, std::string>> seen;
    int64_t fresh = 0;
    for (const Candidate& c : found) {
      // Two rows of one check may describe the same problem (e.g. three overlapping enrolments).
      if (!seen.emplace(static_cast<int>(c.key.kind), c.key.subject_key, c.key.period).second) {
        continue;
      }
      // An open finding takes the latest detail; a decided one stays as it was decided.
      pqxx::row r = txn.exec_params1(
          absl::StrCat(
              "INSERT INTO audit_findings AS f (kind, subject_key, subject, region_code, period, "
              "detail, amount_fen, household_id, enrolment_id, first_run_id, last_run_id) VALUES "
              "($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::uuid, NULLIF($9, '')::uuid, "
              "$10::uuid, $10::uuid) ON CONFLICT (kind, subject_key, period) DO UPDATE SET "
              "last_run_id = excluded.last_run_id, detail = CASE WHEN f.status = 'OPEN' THEN "
              "excluded.detail ELSE f.detail END, amount_fen = CASE WHEN f.status = 'OPEN' THEN "
              "excluded.amount_fen ELSE f.amount_fen END RETURNING ",
              kFindingColumns),
          std::string(FindingKindName(c.key.kind)), c.key.subject_key, c.subject, c.region_code,
          c.key.period, c.detail, c.amount_fen, c.household_id, c.enrolment_id, run_id);
      v1::Finding f = FindingFromRow(r);
      if (f.first_run_id() == run_id) ++fresh;
      ++by_kind[static_cast<int>(c.key.kind)];
      if (out.findings_size() < 1000) *out.add_findings() = std::move(f);
    }
    int64_t total = 0;
    for (const auto& [kind, count] : by_kind) {
      auto* k = out.add_found();
      k->set_kind(static_cast<v1::FindingKind>(kind));
      k->set_count(count);
      total += count;
    }
    txn.exec_params("UPDATE audit_runs SET found = $2, new_findings = $3 WHERE run_id = $1::uuid",
                    run_id, total, fresh);
    out.set_run_id(run_id);
    out.set_region_prefix(region_prefix);
    out.set_as_of(FormatDay(as_of));
    out.set_new_findings(fresh);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  Log(LogLevel::kInfo, "audit run",
      {{"run_id", absl::string_view(out.run_id())},
       {"findings", static_cast<int64_t>(out.findings_size())},
       {"new_findings", out.new_findings()}});
  return out;
}

absl::StatusOr<ResultPage<v1::Finding>> AuditStore::List(const std::string& region_prefix,
                                                         const std::string& status_name,
                                                         const std::string& kind, int64_t after,
                                                         int page_size) {
  ResultPage<v1::Finding> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_params(
        absl::StrCat("SELECT ", kFindingColumns,
                     " FROM audit_findings WHERE region_code LIKE $1 || '%' AND ($2 = '' OR "
                     "status = $2) AND ($3 = '' OR kind = $3) AND seq > $4 ORDER BY seq LIMIT $5"),
        region_prefix, status_name, kind, after, page_size + 1);
    out = TakePage<v1::Finding>(rows, page_size, 16, FindingFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Finding> AuditStore::Decide(const Caller& caller, const std::string& finding_id,
                                               FindingStatus to, const std::string& reason,
                                               absl::CivilDay decided_on) {
  v1::Finding out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result rows = txn.exec_params(
        "SELECT status, region_code FROM audit_findings WHERE finding_id = $1::uuid FOR UPDATE",
        finding_id);
    if (rows.empty() || !caller.CanActOn(rows[0][1].as<std::string>())) {
      return absl::NotFoundError(NotFound("finding_id", "finding"));
    }
    absl::StatusOr<FindingStatus> current = FindingStatusFromName(rows[0][0].as<std::string>());
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckFindingDecision(*current, to, reason); !s.ok()) return s;
    out = FindingFromRow(txn.exec_params1(
        absl::StrCat("UPDATE audit_findings SET status = $2, decided_by = $3, decided_on = "
                     "$4::date, decision_reason = $5 WHERE finding_id = $1::uuid RETURNING ",
                     kFindingColumns),
        finding_id, std::string(FindingStatusName(to)), caller.subject, FormatDay(decided_on),
        reason));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

// ----- reviews -------------------------------------------------------------------------------

ReviewStore::ReviewStore(PgPool* pool, EnrolmentStore* enrolments, const AssistanceRules& rules)
    : pool_(pool), enrolments_(enrolments), rules_(rules) {}

absl::StatusOr<ResultPage<v1::Enrolment>> ReviewStore::ListDue(const std::string& region_prefix,
                                                               absl::CivilDay due_before,
                                                               int programme, int64_t after,
                                                               int page_size) {
  absl::StatusOr<ResultPage<v1::Enrolment>> out = ResultPage<v1::Enrolment>();
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    // Earliest due first: pages walk a row number over (review_due, seq).
    pqxx::result rows = txn.exec_params(
        "SELECT * FROM (SELECT enrolment_id::text, row_number() OVER (ORDER BY review_due, seq) "
        "AS n FROM enrolments WHERE status = 'ACTIVE' AND review_due < $2::date AND region_code "
        "LIKE $1 || '%' AND ($3 = '' OR programme = $3)) s WHERE n > $4 ORDER BY n LIMIT $5",
        region_prefix, FormatDay(due_before),
        programme == 0 ? std::string()
                       : std::string(ProgrammeName(static_cast<Programme>(programme))),
        after, page_size + 1);
    ResultPage<v1::Enrolment> page;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      absl::StatusOr<v1::Enrolment> e = EnrolmentStore::Load(txn, rows[i][0].as<std::string>());
      if (!e.ok()) return e.status();
      page.items.push_back(*std::move(e));
      page.next = rows[i][1].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next = 0;
    out = std::move(page);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

namespace {

constexpr char kReviewColumns[] =
    "review_id::text, enrolment_id::text, outcome, previous_amount_fen, new_amount_fen, "
    "effective_month::text, exit_reason, reason, decided_on::text, decided_by, "
    "next_review_due::text, late_entry";

v1::Review ReviewFromRow(const pqxx::row& r) {
  v1::Review v;
  v.set_review_id(r[0].as<std::string>());
  v.set_enrolment_id(r[1].as<std::string>());
  absl::StatusOr<ReviewOutcome> outcome = ReviewOutcomeFromName(r[2].as<std::string>());
  v.set_outcome(static_cast<v1::ReviewOutcome>(outcome.ok() ? static_cast<int>(*outcome) : 0));
  v.set_previous_amount_fen(r[3].as<int64_t>());
  v.set_new_amount_fen(r[4].as<int64_t>());
  v.set_effective_month(MonthOf(r[5]));
  absl::StatusOr<ExitReason> reason = ExitReasonFromName(r[6].as<std::string>());
  v.set_exit_reason(static_cast<v1::ExitReason>(reason.ok() ? static_cast<int>(*reason) : 0));
  v.set_reason(r[7].as<std::string>());
  v.set_decided_on(r[8].as<std::string>());
  v.set_decided_by(r[9].as<std::string>());
  v.set_next_review_due(DayOf(r[10]));
  v.set_late_entry(r[11].as<bool>());
  return v;
}

}  // namespace

absl::StatusOr<std::pair<v1::Review, v1::Enrolment>> ReviewStore::Record(const Caller& caller,
                                                                         const ReviewDraft& draft,
                                                                         absl::CivilDay today) {
  std::pair<v1::Review, v1::Enrolment> out;
  const bool late = IsLateEntry(rules_, draft.decided_on, today);
  if (draft.outcome == ReviewOutcome::kStop) {
    // The exit is the enrolment's own rule (member end months, phase-out, events): carried out
    // by EnrolmentStore::Exit, then the review is recorded against it.
    const absl::CivilMonth effective = absl::CivilMonth(draft.decided_on) + 1;
    absl::StatusOr<v1::Enrolment> ended =
        enrolments_->Exit(caller, draft.enrolment_id, "", draft.exit_reason, effective,
                          draft.phase_out, draft.reason, draft.decided_on, today);
    if (!ended.ok()) return ended.status();
    absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
      out.first = ReviewFromRow(txn.exec_params1(
          absl::StrCat("INSERT INTO enrolment_reviews (enrolment_id, outcome, "
                       "previous_amount_fen, new_amount_fen, effective_month, exit_reason, "
                       "reason, decided_on, decided_by, late_entry) VALUES ($1::uuid, 'STOP', $2, "
                       "0, $3::date, $4, $5, $6::date, $7, $8) RETURNING ",
                       kReviewColumns),
          draft.enrolment_id, ended->monthly_amount_fen(), MonthDate(effective),
          std::string(ExitReasonName(draft.exit_reason)), draft.reason, FormatDay(draft.decided_on),
          caller.subject, late));
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    out.second = *std::move(ended);
    return out;
  }
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result rows = txn.exec_params(
        "SELECT programme, area, region_code, status, start_month::text FROM enrolments WHERE "
        "enrolment_id = $1::uuid FOR UPDATE",
        draft.enrolment_id);
    if (rows.empty()) return absl::NotFoundError(NotFound("enrolment_id", "enrolment"));
    if (absl::Status s = CheckRegion(caller, "enrolment_id", rows[0][2].as<std::string>());
        !s.ok()) {
      return s;
    }
    if (rows[0][3].as<std::string>() != "ACTIVE") {
      return absl::FailedPreconditionError("enrolment_id: the enrolment has ended already");
    }
    absl::StatusOr<Programme> programme = ProgrammeFromName(rows[0][0].as<std::string>());
    if (!programme.ok()) return programme.status();
    const bool urban = rows[0][1].as<std::string>() == "URBAN";
    pqxx::result paid = txn.exec_params(
        "SELECT max(month)::text FROM payments WHERE enrolment_id = $1::uuid AND kind = "
        "'REGULAR'",
        draft.enrolment_id);
    std::optional<absl::CivilMonth> last_paid;
    if (!paid[0][0].is_null()) last_paid = MonthFromSql(paid[0][0].as<std::string>());
    absl::CivilMonth effective = ReviewEffectiveMonth(draft.decided_on, last_paid);
    const absl::CivilMonth start = MonthFromSql(rows[0][4].as<std::string>());
    if (effective < start) effective = start;
    pqxx::result amount = txn.exec_params(
        "SELECT amount_fen, persons FROM enrolment_amounts WHERE enrolment_id = $1::uuid AND "
        "from_month <= $2::date ORDER BY from_month DESC LIMIT 1",
        draft.enrolment_id, MonthDate(effective));
    const Money current = Money::Fen(amount.empty() ? 0 : amount[0][0].as<int64_t>());
    const int persons = amount.empty() ? 0 : amount[0][1].as<int>();
    Money next_amount = current;
    if (draft.outcome == ReviewOutcome::kIncrease || draft.outcome == ReviewOutcome::kDecrease) {
      if (absl::Status s = CheckReviewAmount(draft.outcome, current, draft.new_amount); !s.ok()) {
        return s;
      }
      next_amount = draft.new_amount;
      // A new amount from the effective month; earlier months and their payments stay as they are.
      txn.exec_params(
          "INSERT INTO enrolment_amounts VALUES ($1::uuid, $2::date, $3, $4) ON CONFLICT "
          "(enrolment_id, from_month) DO UPDATE SET amount_fen = excluded.amount_fen",
          draft.enrolment_id, MonthDate(effective), next_amount.fen(), persons);
    }
    const absl::CivilDay next_due = ReviewDue(rules_, *programme, urban, effective);
    txn.exec_params("UPDATE enrolments SET review_due = $2::date WHERE enrolment_id = $1::uuid",
                    draft.enrolment_id, FormatDay(next_due));
    out.first = ReviewFromRow(txn.exec_params1(
        absl::StrCat("INSERT INTO enrolment_reviews (enrolment_id, outcome, previous_amount_fen, "
                     "new_amount_fen, effective_month, reason, decided_on, decided_by, "
                     "next_review_due, late_entry) VALUES ($1::uuid, $2, $3, $4, $5::date, $6, "
                     "$7::date, $8, $9::date, $10) RETURNING ",
                     kReviewColumns),
        draft.enrolment_id, std::string(ReviewOutcomeName(draft.outcome)), current.fen(),
        next_amount.fen(), MonthDate(effective), draft.reason, FormatDay(draft.decided_on),
        caller.subject, FormatDay(next_due), late));
    txn.exec_params(
        "INSERT INTO enrolment_history (enrolment_id, action, actor, happened_on, note, "
        "late_entry) VALUES ($1::uuid, 'REVIEWED', $2, $3::date, $4, $5)",
        draft.enrolment_id, caller.subject, FormatDay(draft.decided_on),
        absl::StrCat(ReviewOutcomeName(draft.outcome), " amount_fen=", next_amount.fen(), " from ",
                     FormatMonth(effective), draft.reason.empty() ? "" : ": ", draft.reason),
        late);
    absl::StatusOr<v1::Enrolment> loaded = EnrolmentStore::Load(txn, draft.enrolment_id);
    if (!loaded.ok()) return loaded.status();
    out.second = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

// ----- bank file -----------------------------------------------------------------------------

BankFileStore::BankFileStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {}

absl::StatusOr<v1::ExportBankFileResponse> BankFileStore::Export(const Caller& caller,
                                                                 const std::string& batch_id,
                                                                 const std::string& region_prefix) {
  v1::ExportBankFileResponse out;
  const bool full = caller.MaySeeFullId("assistance");
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result batch = txn.exec_params(
        "SELECT programme, month::text, region_prefix FROM disbursement_batches WHERE batch_id = "
        "$1::uuid",
        batch_id);
    if (batch.empty()) return absl::NotFoundError(NotFound("batch_id", "disbursement batch"));
    const std::string programme = batch[0][0].as<std::string>();
    const std::string batch_region = batch[0][2].as<std::string>();
    std::string prefix = batch_region;
    if (region_prefix.empty()) {
      if (!caller.CanActOn(batch_region)) {
        return absl::NotFoundError(NotFound("batch_id", "disbursement batch"));
      }
    } else {
      if (region_prefix.compare(0, batch_region.size(), batch_region) != 0) {
        return InvalidField("region_prefix",
                            absl::StrCat("outside the batch's region ", batch_region));
      }
      if (absl::Status s = CheckRegion(caller, "region_prefix", region_prefix); !s.ok()) return s;
      prefix = region_prefix;
    }
    const int64_t count = txn.exec_params1(
                                 "SELECT count(*) FROM payments WHERE batch_id = $1::uuid AND "
                                 "region_code LIKE $2 || '%'",
                                 batch_id, prefix)[0]
                              .as<int64_t>();
    if (count > kMaxBankFileRows) {
      return absl::FailedPreconditionError(
          absl::StrCat("batch_id: ", count, " payments are more than ", kMaxBankFileRows,
                       " for one file; export it by region_prefix (a township)"));
    }
    // The payee: the enrolled member covering the month who comes first in the household.
    pqxx::result rows = txn.exec_params(
        "SELECT p.payment_id, p.month::text, p.amount_fen, p.region_code, payee.name, "
        "payee.id_masked, payee.id_cipher FROM payments p JOIN LATERAL (SELECT hm.name, "
        "hm.id_masked, hm.id_cipher FROM enrolment_members m JOIN household_members hm ON "
        "hm.member_id = m.member_id WHERE m.enrolment_id = p.enrolment_id ORDER BY "
        "(m.start_month <= p.month AND (m.end_month IS NULL OR m.end_month >= p.month)) DESC, "
        "hm.position LIMIT 1) payee ON true WHERE p.batch_id = $1::uuid AND p.region_code LIKE "
        "$2 || '%' ORDER BY p.payment_id",
        batch_id, prefix);
    std::string csv = BankFileHeader();
    int64_t total = 0;
    for (const auto& r : rows) {
      BankFileLine line;
      line.payment_id = r[0].as<int64_t>();
      line.month = MonthFromSql(r[1].as<std::string>());
      line.amount = Money::Fen(r[2].as<int64_t>());
      line.region_code = r[3].as<std::string>();
      line.name = r[4].as<std::string>();
      line.programme = std::string(ProgrammeLabel(programme));
      if (full) {
        pqxx::binarystring sealed(r[6]);
        absl::StatusOr<std::string> id = pii_->Decrypt(sealed.str());
        if (!id.ok()) {
          return absl::InternalError("an ID number of the batch could not be decrypted");
        }
        line.id_number = *std::move(id);
      } else {
        line.id_number = r[5].as<std::string>();
      }
      total += line.amount.fen();
      csv += BankFileRow(line);
    }
    txn.exec_params(
        "INSERT INTO bank_file_exports (batch_id, region_prefix, exported_by, full_id_numbers, "
        "rows_exported) VALUES ($1::uuid, $2, $3, $4, $5)",
        batch_id, prefix, caller.subject, full, static_cast<int>(rows.size()));
    out.set_batch_id(batch_id);
    out.set_file_name(
        absl::StrCat("bank-", programme, "-", MonthOf(batch[0][1]), "-", prefix, ".csv"));
    out.set_content_type("text/csv; charset=utf-8");
    out.set_content(std::move(csv));
    out.set_rows(static_cast<int64_t>(rows.size()));
    out.set_total_fen(total);
    out.set_full_id_numbers(full);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  Log(LogLevel::kInfo, "bank file exported",
      {{"batch_id", absl::string_view(batch_id)}, {"rows", out.rows()}, {"full_id_numbers", full}});
  return out;
}

// ----- figures -------------------------------------------------------------------------------

ReliefFiguresStore::ReliefFiguresStore(PgPool* pool) : pool_(pool) {}

absl::StatusOr<v1::ReliefFigures> ReliefFiguresStore::Figures(const std::string& region_prefix,
                                                              absl::CivilDay start,
                                                              absl::CivilDay end) {
  v1::ReliefFigures f;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    const std::string from = FormatDay(start);
    const std::string to = FormatDay(end);
    // One row of scalar figures, each counted as REPORT.md says.
    pqxx::row r = txn.exec_params1(
        "SELECT "
        "(SELECT count(*) FROM relief_cases WHERE region_code LIKE $1 || '%' AND paid_on "
        " BETWEEN $2::date AND $3::date), "
        "(SELECT coalesce(sum(paid_fen), 0) FROM relief_cases WHERE region_code LIKE $1 || '%' "
        " AND paid_on BETWEEN $2::date AND $3::date), "
        "(SELECT count(*) FROM mutual_aid_societies WHERE region_code LIKE $1 || '%' AND "
        " registered_on <= $3::date), "
        "(SELECT count(*) FROM mutual_aid_cases WHERE region_code LIKE $1 || '%' AND helped_on "
        " BETWEEN $2::date AND $3::date), "
        "(SELECT coalesce(sum(amount_fen), 0) FROM mutual_aid_cases WHERE region_code LIKE $1 "
        " || '%' AND helped_on BETWEEN $2::date AND $3::date), "
        "(SELECT count(DISTINCT id_index) FROM outreach_visits WHERE region_code LIKE $1 || '%' "
        " AND visited_on BETWEEN $2::date AND $3::date), "
        "(SELECT count(*) FROM outreach_demands d JOIN outreach_visits v USING (visit_id) WHERE "
        " v.region_code LIKE $1 || '%' AND d.resolved_on BETWEEN $2::date AND $3::date), "
        "(SELECT count(DISTINCT id_index) FROM health_checks WHERE region_code LIKE $1 || '%' "
        " AND checked_on BETWEEN $2::date AND $3::date), "
        "(SELECT count(*) FROM audit_runs WHERE (region_prefix LIKE $1 || '%' OR $1 LIKE "
        " region_prefix || '%') AND as_of BETWEEN $2::date AND $3::date), "
        "(SELECT count(*) FROM enrolment_reviews r JOIN enrolments e USING (enrolment_id) WHERE "
        " e.region_code LIKE $1 || '%' AND r.decided_on BETWEEN $2::date AND $3::date)",
        region_prefix, from, to);
    f.set_relief_cases(r[0].as<int64_t>());
    f.set_relief_paid_fen(r[1].as<int64_t>());
    f.set_societies_registered(r[2].as<int64_t>());
    f.set_mutual_aid_cases(r[3].as<int64_t>());
    f.set_mutual_aid_paid_fen(r[4].as<int64_t>());
    f.set_persons_surveyed(r[5].as<int64_t>());
    f.set_demands_resolved(r[6].as<int64_t>());
    f.set_health_check_persons(r[7].as<int64_t>());
    f.set_audits_run(r[8].as<int64_t>());
    f.set_reviews_done(r[9].as<int64_t>());
    for (const auto& b : txn.exec_params(
             "SELECT b.batch_id::text, b.name, b.provider, b.service, count(DISTINCT c.id_index) "
             "FROM health_checks c JOIN health_check_batches b USING (batch_id) WHERE "
             "c.region_code LIKE $1 || '%' AND c.checked_on BETWEEN $2::date AND $3::date GROUP "
             "BY b.batch_id, b.name, b.provider, b.service, b.started_on, b.seq ORDER BY "
             "b.started_on, b.seq",
             region_prefix, from, to)) {
      auto* x = f.add_health_check_batches();
      x->set_batch_id(b[0].as<std::string>());
      x->set_name(b[1].as<std::string>());
      x->set_provider(b[2].as<std::string>());
      x->set_service(b[3].as<std::string>());
      x->set_persons(b[4].as<int64_t>());
    }
    for (const auto& k : txn.exec_params(
             "SELECT kind, count(*) FROM audit_findings WHERE region_code LIKE $1 || '%' AND "
             "status = 'CONFIRMED' AND decided_on BETWEEN $2::date AND $3::date GROUP BY kind "
             "ORDER BY kind",
             region_prefix, from, to)) {
      absl::StatusOr<FindingKind> kind = FindingKindFromName(k[0].as<std::string>());
      if (!kind.ok()) continue;
      auto* x = f.add_confirmed_findings();
      x->set_kind(static_cast<v1::FindingKind>(static_cast<int>(*kind)));
      x->set_confirmed(k[1].as<int64_t>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return f;
}

}  // namespace civil::assistance
