#include "services/assistance/mutual_aid_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"

namespace civil::assistance {

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
    : pool_(pool), rules_(rules) {
  PrepareLoadPerson(pool_);
  pool_->Prepare("mutual_aid_register",
                 absl::StrCat("INSERT INTO mutual_aid_societies (region_code, name, registered_on, "
                              "registered_by) VALUES ($1, $2, $3::date, $4) RETURNING ",
                              kSocietyColumns));
  pool_->Prepare(
      "mutual_aid_list_societies",
      absl::StrCat("SELECT ", kSocietyColumns,
                   " FROM mutual_aid_societies WHERE region_code LIKE $1 || '%' AND seq > $2 "
                   "ORDER BY seq LIMIT $3"));
  pool_->Prepare(
      "mutual_aid_record_case_select_mutual_aid_societies",
      "SELECT region_code, registered_on::text FROM mutual_aid_societies WHERE society_id = "
      "$1::uuid");
  pool_->Prepare("mutual_aid_record_case_insert_mutual_aid_cases",
                 "INSERT INTO mutual_aid_cases (society_id, household_id, member_id, id_index, "
                 "region_code, amount_fen, helped_on, note, recorded_by, late_entry) VALUES "
                 "($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7::date, $8, $9, $10) "
                 "RETURNING case_id::text");
  pool_->Prepare("mutual_aid_get_case", absl::StrCat("SELECT ", kAidCaseColumns, kAidCaseFrom,
                                                     " WHERE c.case_id = $1::uuid"));
  pool_->Prepare(
      "mutual_aid_list_cases",
      absl::StrCat("SELECT ", kAidCaseColumns, kAidCaseFrom,
                   " WHERE c.region_code LIKE $1 || '%' AND ($2 = '' OR c.society_id::text = "
                   "$2) AND c.seq > $3 ORDER BY c.seq LIMIT $4"));
  pool_->Prepare("mutual_aid_coverage_select_mutual_aid_societies",
                 "SELECT count(*) FROM mutual_aid_societies WHERE region_code LIKE $1 || '%' AND "
                 "registered_on <= $2::date");
  pool_->Prepare("mutual_aid_coverage_select_households",
                 "SELECT count(*) FROM (SELECT region_code FROM households WHERE region_code LIKE "
                 "$1 || '%' UNION SELECT region_code FROM mutual_aid_societies WHERE region_code "
                 "LIKE $1 || '%' AND registered_on <= $2::date) v");
  pool_->Prepare("mutual_aid_coverage_select_households_2",
                 "SELECT DISTINCT h.region_code FROM households h WHERE h.region_code LIKE $1 || "
                 "'%' AND NOT EXISTS (SELECT 1 FROM mutual_aid_societies s WHERE s.region_code = "
                 "h.region_code AND s.registered_on <= $2::date) ORDER BY 1 LIMIT 1000");
}

absl::StatusOr<v1::MutualAidSociety> MutualAidStore::Register(const Actor& actor,
                                                              const std::string& region_code,
                                                              const std::string& name,
                                                              absl::CivilDay registered_on) {
  v1::MutualAidSociety out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      out = SocietyFromRow(txn.exec_prepared1("mutual_aid_register", region_code, name,
                                              FormatDay(registered_on), actor.subject));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("region_code: ", region_code, " already has a mutual-aid society"));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<Page<v1::MutualAidSociety>> MutualAidStore::ListSocieties(
    const std::string& region_prefix, int64_t after, int page_size) {
  Page<v1::MutualAidSociety> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("mutual_aid_list_societies", region_prefix, after, page_size + 1);
    out = TakePage<v1::MutualAidSociety>(rows, page_size, 5, SocietyFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::MutualAidCase> MutualAidStore::RecordCase(const Actor& actor,
                                                             const MutualAidCaseDraft& draft,
                                                             absl::CivilDay today) {
  v1::MutualAidCase out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result society =
        txn.exec_prepared("mutual_aid_record_case_select_mutual_aid_societies", draft.society_id);
    if (society.empty()) return absl::NotFoundError(NotFound("society_id", "mutual-aid society"));
    const std::string village = society[0][0].as<std::string>();
    const absl::CivilDay registered_on = DayOf(society[0][1]);
    if (absl::Status s = actor.check_region("society_id", village); !s.ok()) return s;
    absl::StatusOr<Person> person = LoadPerson(txn, actor, draft.household_id, draft.member_id);
    if (!person.ok()) return person.status();
    if (absl::Status s =
            CheckMutualAidHelp(village, registered_on, person->region_code, draft.helped_on);
        !s.ok()) {
      return s;
    }
    const std::string id =
        txn.exec_prepared1("mutual_aid_record_case_insert_mutual_aid_cases", draft.society_id,
                           draft.household_id, draft.member_id, person->id_index, village,
                           draft.amount.fen(), FormatDay(draft.helped_on), draft.note,
                           actor.subject, IsLateEntry(rules_, draft.helped_on, today))[0]
            .as<std::string>();
    out = AidCaseFromRow(txn.exec_prepared1("mutual_aid_get_case", id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<Page<v1::MutualAidCase>> MutualAidStore::ListCases(const std::string& region_prefix,
                                                                  const std::string& society_id,
                                                                  int64_t after, int page_size) {
  Page<v1::MutualAidCase> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("mutual_aid_list_cases", region_prefix, society_id, after, page_size + 1);
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
    const int64_t registered = txn.exec_prepared1("mutual_aid_coverage_select_mutual_aid_societies",
                                                  region_prefix, FormatDay(as_of))[0]
                                   .as<int64_t>();
    out.set_societies_registered(registered);
    if (villages_known > 0) {
      if (absl::Status s = CheckVillagesKnown(villages_known, registered); !s.ok()) return s;
      out.set_villages_known(villages_known);
      out.set_villages_known_source(v1::VILLAGE_COUNT_SOURCE_REQUEST);
    } else {
      // Villages known: those with registered households, and those that registered a society.
      out.set_villages_known(txn.exec_prepared1("mutual_aid_coverage_select_households",
                                                region_prefix, FormatDay(as_of))[0]
                                 .as<int64_t>());
      out.set_villages_known_source(v1::VILLAGE_COUNT_SOURCE_HOUSEHOLDS);
      for (const auto& r : txn.exec_prepared("mutual_aid_coverage_select_households_2",
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

}  // namespace civil::assistance
