#include "services/assistance/programme_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "civil/events/v1/events.pb.h"
#include "services/assistance/household.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/log.h"
#include "services/common/outbox.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {
namespace {

using google::protobuf::util::TimeUtil;

civil::common::v1::Area AreaEnum(const std::string& name) {
  return name == "URBAN" ? civil::common::v1::AREA_URBAN : civil::common::v1::AREA_RURAL;
}

v1::Programme ProgrammeEnum(const std::string& name) {
  absl::StatusOr<Programme> p = ProgrammeFromName(name);
  return p.ok() ? static_cast<v1::Programme>(static_cast<int>(*p)) : v1::PROGRAMME_UNSPECIFIED;
}

v1::ExitReason ExitEnum(const std::string& name) {
  absl::StatusOr<ExitReason> r = ExitReasonFromName(name);
  return r.ok() ? static_cast<v1::ExitReason>(static_cast<int>(*r)) : v1::EXIT_REASON_UNSPECIFIED;
}

v1::CareMode CareEnum(const std::string& name) {
  if (name == "CENTRALISED") return v1::CARE_MODE_CENTRALISED;
  if (name == "DISPERSED") return v1::CARE_MODE_DISPERSED;
  return v1::CARE_MODE_UNSPECIFIED;
}

std::string CareName(int care_mode) {
  if (care_mode == v1::CARE_MODE_CENTRALISED) return "CENTRALISED";
  if (care_mode == v1::CARE_MODE_DISPERSED) return "DISPERSED";
  return "";
}

// 'YYYY-MM-DD' (a SQL date as text) → 'YYYY-MM'.
std::string MonthOf(const pqxx::field& f) {
  return f.is_null() ? "" : f.as<std::string>().substr(0, 7);
}
std::string DayOf(const pqxx::field& f) { return f.is_null() ? "" : f.as<std::string>(); }

absl::CivilMonth MonthFromSql(const std::string& date) {
  absl::StatusOr<absl::CivilDay> d = ParseDay(date);
  return d.ok() ? absl::CivilMonth(*d) : absl::CivilMonth();
}

std::string NotFound(absl::string_view field, absl::string_view what) {
  return absl::StrCat(field, ": no such ", what);
}

// Scope: a record outside the caller's region reads as absent to them (no existence leak for
// reads), and as PERMISSION_DENIED for writes naming the field.
absl::Status ScopeForRead(const Caller& caller, const std::string& region, absl::string_view field,
                          absl::string_view what) {
  if (caller.CanActOn(region)) return absl::OkStatus();
  return absl::NotFoundError(NotFound(field, what));
}

constexpr char kApplicationColumns[] =
    "a.application_id::text, a.programme, a.household_id::text, coalesce(a.member_id::text, ''), "
    "a.region_code, a.area, a.status, a.care_mode, coalesce(a.monthly_income_fen, 0), "
    "coalesce(a.assets_ok, false), a.visit_note, a.notice_start::text, a.notice_end::text, "
    "a.objections, a.decided_on::text, a.decision_reason, coalesce(a.monthly_amount_fen, 0), "
    "coalesce(a.enrolment_id::text, ''), a.submitted_by, a.submitted_on::text, a.seq";

void ApplicationFromRow(const pqxx::row& r, v1::Application* a) {
  a->set_application_id(r[0].as<std::string>());
  a->set_programme(ProgrammeEnum(r[1].as<std::string>()));
  a->set_household_id(r[2].as<std::string>());
  a->set_member_id(r[3].as<std::string>());
  a->set_region_code(r[4].as<std::string>());
  a->set_area(AreaEnum(r[5].as<std::string>()));
  absl::StatusOr<ApplicationStatus> status = ApplicationStatusFromName(r[6].as<std::string>());
  a->set_status(static_cast<v1::ApplicationStatus>(status.ok() ? static_cast<int>(*status) : 0));
  a->set_care_mode(CareEnum(r[7].as<std::string>()));
  a->set_household_monthly_income_fen(r[8].as<int64_t>());
  a->set_assets_within_limits(r[9].as<bool>());
  a->set_visit_note(r[10].as<std::string>());
  a->set_notice_start(DayOf(r[11]));
  a->set_notice_end(DayOf(r[12]));
  a->set_objections(r[13].as<int>());
  a->set_decided_on(DayOf(r[14]));
  a->set_decision_reason(r[15].as<std::string>());
  a->set_monthly_amount_fen(r[16].as<int64_t>());
  a->set_enrolment_id(r[17].as<std::string>());
  a->set_submitted_by(r[18].as<std::string>());
  a->set_submitted_on(r[19].as<std::string>());
}

absl::StatusOr<v1::Application> LoadApplication(pqxx::transaction_base& txn, const std::string& id,
                                                bool for_update) {
  pqxx::result rows =
      txn.exec_params(absl::StrCat("SELECT ", kApplicationColumns,
                                   " FROM applications a WHERE a.application_id = $1::uuid",
                                   for_update ? " FOR UPDATE" : ""),
                      id);
  if (rows.empty()) return absl::NotFoundError(NotFound("application_id", "application"));
  v1::Application a;
  ApplicationFromRow(rows[0], &a);
  for (const auto& r : txn.exec_params(
           "SELECT member_id::text, seriously_ill, severely_disabled FROM "
           "application_circumstances WHERE application_id = $1::uuid ORDER BY member_id",
           id)) {
    auto* c = a.add_circumstances();
    c->set_member_id(r[0].as<std::string>());
    c->set_seriously_ill(r[1].as<bool>());
    c->set_severely_disabled(r[2].as<bool>());
  }
  for (const auto& r : txn.exec_params(
           "SELECT action, actor, happened_on::text, "
           "(extract(epoch from recorded_at) * 1000000)::bigint, note, late_entry "
           "FROM application_history WHERE application_id = $1::uuid ORDER BY history_id",
           id)) {
    auto* h = a.add_history();
    h->set_action(r[0].as<std::string>());
    h->set_actor(r[1].as<std::string>());
    h->set_happened_on(r[2].as<std::string>());
    *h->mutable_recorded_at() = TimeUtil::MicrosecondsToTimestamp(r[3].as<int64_t>());
    h->set_note(r[4].as<std::string>());
    h->set_late_entry(r[5].as<bool>());
  }
  return a;
}

void AppendApplicationHistory(pqxx::transaction_base& txn, const std::string& id,
                              absl::string_view action, const Caller& caller,
                              absl::CivilDay happened, const std::string& note, bool late) {
  txn.exec_params(
      "INSERT INTO application_history (application_id, action, actor, happened_on, note, "
      "late_entry) VALUES ($1::uuid, $2, $3, $4::date, $5, $6)",
      id, std::string(action), caller.subject, FormatDay(happened), note, late);
}

constexpr char kEnrolmentColumns[] =
    "e.enrolment_id::text, e.programme, e.area, e.household_id::text, e.region_code, e.status, "
    "e.start_month::text, e.end_month::text, e.care_mode, e.review_due::text, e.exit_reason, "
    "coalesce(e.application_id::text, ''), e.seq, "
    "(SELECT amount_fen FROM enrolment_amounts x WHERE x.enrolment_id = e.enrolment_id "
    " ORDER BY from_month DESC LIMIT 1)";

void EnrolmentFromRow(const pqxx::row& r, v1::Enrolment* e) {
  e->set_enrolment_id(r[0].as<std::string>());
  e->set_programme(ProgrammeEnum(r[1].as<std::string>()));
  e->set_area(AreaEnum(r[2].as<std::string>()));
  e->set_household_id(r[3].as<std::string>());
  e->set_region_code(r[4].as<std::string>());
  e->set_status(r[5].as<std::string>() == "ACTIVE" ? v1::ENROLMENT_STATUS_ACTIVE
                                                   : v1::ENROLMENT_STATUS_ENDED);
  e->set_start_month(MonthOf(r[6]));
  e->set_end_month(MonthOf(r[7]));
  e->set_care_mode(CareEnum(r[8].as<std::string>()));
  e->set_review_due(DayOf(r[9]));
  e->set_exit_reason(ExitEnum(r[10].as<std::string>()));
  e->set_application_id(r[11].as<std::string>());
  e->set_monthly_amount_fen(r[13].is_null() ? 0 : r[13].as<int64_t>());
}

void LoadEnrolmentMembers(pqxx::transaction_base& txn, v1::Enrolment* e) {
  for (const auto& r : txn.exec_params(
           "SELECT m.member_id::text, hm.name, hm.id_masked, m.start_month::text, "
           "m.end_month::text, m.exit_reason FROM enrolment_members m JOIN household_members hm "
           "USING (member_id) WHERE m.enrolment_id = $1::uuid ORDER BY hm.position, m.member_id",
           e->enrolment_id())) {
    auto* m = e->add_members();
    m->set_member_id(r[0].as<std::string>());
    m->set_name(r[1].as<std::string>());
    m->set_id_number_masked(r[2].as<std::string>());
    m->set_start_month(MonthOf(r[3]));
    m->set_end_month(MonthOf(r[4]));
    m->set_exit_reason(ExitEnum(r[5].as<std::string>()));
  }
}

void AppendEnrolmentHistory(pqxx::transaction_base& txn, const std::string& id,
                            absl::string_view action, const Caller& caller, absl::CivilDay happened,
                            const std::string& note, bool late) {
  txn.exec_params(
      "INSERT INTO enrolment_history (enrolment_id, action, actor, happened_on, note, late_entry) "
      "VALUES ($1::uuid, $2, $3, $4::date, $5, $6)",
      id, std::string(action), caller.subject, FormatDay(happened), note, late);
}

// A member of a household as enrolment needs it.
struct HouseholdPerson {
  std::string member_id;
  std::string id_index;
  std::string id_masked;
  absl::CivilDay birth_date;
};

std::vector<HouseholdPerson> ActiveMembers(pqxx::transaction_base& txn,
                                           const std::string& household_id) {
  std::vector<HouseholdPerson> people;
  for (const auto& r : txn.exec_params(
           "SELECT member_id::text, id_index, id_masked, birth_date::text FROM household_members "
           "WHERE household_id = $1::uuid AND active ORDER BY position",
           household_id)) {
    people.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                      ParseDay(r[3].as<std::string>()).value_or(absl::CivilDay())});
  }
  return people;
}

// `people` narrowed to the member `member_id`; empty when it is not among them.
std::vector<HouseholdPerson> OnlyMember(const std::vector<HouseholdPerson>& people,
                                        const std::string& member_id) {
  std::vector<HouseholdPerson> one;
  for (const auto& p : people) {
    if (p.member_id == member_id) one.push_back(p);
  }
  return one;
}

// FAILED_PRECONDITION naming the first person already enrolled in `group`.
absl::Status CheckNotEnrolled(pqxx::transaction_base& txn,
                              const std::vector<HouseholdPerson>& people, const std::string& group,
                              absl::string_view field) {
  for (const HouseholdPerson& p : people) {
    pqxx::result r = txn.exec_params(
        "SELECT e.programme FROM enrolment_members m JOIN enrolments e USING (enrolment_id) "
        "WHERE m.id_index = $1 AND m.exclusive_group = $2 AND m.active LIMIT 1",
        p.id_index, group);
    if (!r.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": ", p.id_masked, " is already enrolled in ", r[0][0].as<std::string>()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string MonthDate(absl::CivilMonth month) { return FormatDay(absl::CivilDay(month)); }

// ---------------------------------------------------------------------------------------------

StandardStore::StandardStore(PgPool* pool) : pool_(pool) {}

absl::StatusOr<v1::Standard> StandardStore::Set(const v1::Standard& s, const std::string& actor) {
  v1::Standard out = s;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      pqxx::row r = txn.exec_params1(
          "INSERT INTO benefit_standards (programme, area, region_prefix, effective_from, "
          "monthly_fen, supplement_ill_fen, supplement_disabled_fen, supplement_elderly_fen, "
          "supplement_minor_fen, marginal_permille, set_by, reason) VALUES ($1, $2, $3, "
          "$4::date, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING standard_id::text, "
          "(extract(epoch from set_at) * 1000000)::bigint",
          std::string(ProgrammeName(static_cast<Programme>(s.programme()))),
          s.area() == civil::common::v1::AREA_URBAN ? "URBAN" : "RURAL", s.region_prefix(),
          s.effective_from(), s.monthly_fen(), s.supplement_seriously_ill_fen(),
          s.supplement_severely_disabled_fen(), s.supplement_elderly_fen(),
          s.supplement_minor_fen(),
          s.marginal_multiplier_permille() == 0 ? 1500 : s.marginal_multiplier_permille(), actor,
          s.reason());
      out.set_standard_id(r[0].as<std::string>());
      *out.mutable_set_at() = TimeUtil::MicrosecondsToTimestamp(r[1].as<int64_t>());
      out.set_set_by(actor);
      if (out.marginal_multiplier_permille() == 0) out.set_marginal_multiplier_permille(1500);
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          "standard: one is already set for this programme, area, region and date");
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<v1::Standard>> StandardStore::List(int programme,
                                                              const std::string& region_prefix,
                                                              int64_t after, int page_size,
                                                              int64_t* next) {
  std::vector<v1::Standard> out;
  *next = 0;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    // Newest first: pages walk down a row number over (effective_from DESC, standard_id).
    pqxx::result rows = txn.exec_params(
        "SELECT * FROM (SELECT standard_id::text, programme, area, region_prefix, "
        "effective_from::text, monthly_fen, supplement_ill_fen, supplement_disabled_fen, "
        "supplement_elderly_fen, supplement_minor_fen, marginal_permille, set_by, "
        "(extract(epoch from set_at) * 1000000)::bigint, reason, row_number() OVER (ORDER BY "
        "effective_from DESC, set_at DESC, standard_id) AS n FROM benefit_standards WHERE ($1 = '' "
        "OR programme = $1) AND region_prefix LIKE $2 || '%') s WHERE n > $3 ORDER BY n LIMIT $4",
        programme == 0 ? std::string()
                       : std::string(ProgrammeName(static_cast<Programme>(programme))),
        region_prefix, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      const auto& r = rows[i];
      v1::Standard s;
      s.set_standard_id(r[0].as<std::string>());
      s.set_programme(ProgrammeEnum(r[1].as<std::string>()));
      s.set_area(AreaEnum(r[2].as<std::string>()));
      s.set_region_prefix(r[3].as<std::string>());
      s.set_effective_from(r[4].as<std::string>());
      s.set_monthly_fen(r[5].as<int64_t>());
      s.set_supplement_seriously_ill_fen(r[6].as<int64_t>());
      s.set_supplement_severely_disabled_fen(r[7].as<int64_t>());
      s.set_supplement_elderly_fen(r[8].as<int64_t>());
      s.set_supplement_minor_fen(r[9].as<int64_t>());
      s.set_marginal_multiplier_permille(r[10].as<int>());
      s.set_set_by(r[11].as<std::string>());
      *s.mutable_set_at() = TimeUtil::MicrosecondsToTimestamp(r[12].as<int64_t>());
      s.set_reason(r[13].as<std::string>());
      out.push_back(std::move(s));
      *next = r[14].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) *next = 0;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<StandardValues> StandardStore::InForce(pqxx::transaction_base& txn,
                                                      Programme programme, absl::string_view area,
                                                      const std::string& region_code,
                                                      absl::CivilMonth month) {
  // The candidates (the programme's standards of the area for a prefix of the region); the
  // choice among them is the domain's rule, StandardInForce.
  const std::vector<StandardRecord> candidates =
      StandardsFor(txn, programme, area, region_code, month);
  const std::optional<size_t> chosen = StandardInForce(candidates, region_code, month);
  if (!chosen) {
    return absl::FailedPreconditionError(
        absl::StrCat("no ", ProgrammeName(programme), " standard is set for ", area, " region ",
                     region_code, " in ", FormatMonth(month), ": set one with SetStandard"));
  }
  return candidates[*chosen].values;
}

std::vector<StandardRecord> StandardStore::StandardsFor(pqxx::transaction_base& txn,
                                                        Programme programme, absl::string_view area,
                                                        const std::string& region_code,
                                                        absl::CivilMonth month) {
  std::vector<StandardRecord> out;
  for (const auto& r : txn.exec_params(
           "SELECT standard_id::text, region_prefix, effective_from::text, monthly_fen, "
           "supplement_ill_fen, supplement_disabled_fen, supplement_elderly_fen, "
           "supplement_minor_fen, marginal_permille FROM benefit_standards WHERE programme = $1 "
           "AND ($2 = '' OR area = $2) AND ($3 = '' OR $3 LIKE region_prefix || '%' OR "
           "region_prefix LIKE $3 || '%') AND effective_from <= $4::date",
           std::string(ProgrammeName(programme)), std::string(area), region_code,
           MonthDate(month))) {
    StandardRecord s;
    s.standard_id = r[0].as<std::string>();
    s.region_prefix = r[1].as<std::string>();
    s.effective_from = ParseDay(r[2].as<std::string>()).value_or(absl::CivilDay());
    s.values.monthly = Money::Fen(r[3].as<int64_t>());
    s.values.supplement_seriously_ill = Money::Fen(r[4].as<int64_t>());
    s.values.supplement_severely_disabled = Money::Fen(r[5].as<int64_t>());
    s.values.supplement_elderly = Money::Fen(r[6].as<int64_t>());
    s.values.supplement_minor = Money::Fen(r[7].as<int64_t>());
    s.values.marginal_multiplier_permille = r[8].as<int>();
    out.push_back(std::move(s));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

ApplicationStore::ApplicationStore(PgPool* pool, const PiiProtector* pii,
                                   const AssistanceRules& rules)
    : pool_(pool), pii_(pii), rules_(rules) {}

absl::StatusOr<v1::Application> ApplicationStore::Create(const Caller& caller, Programme programme,
                                                         const std::string& household_id,
                                                         const std::string& member_id,
                                                         int care_mode, absl::CivilDay submitted_on,
                                                         absl::CivilDay today) {
  v1::Application out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result h = txn.exec_params(
        "SELECT region_code, area FROM households WHERE household_id = $1::uuid", household_id);
    if (h.empty() || !caller.CanActOn(h[0][0].as<std::string>())) {
      if (!h.empty()) return CheckRegion(caller, "household_id", h[0][0].as<std::string>());
      return absl::NotFoundError(NotFound("household_id", "household"));
    }
    const std::string region = h[0][0].as<std::string>();
    const std::string area = h[0][1].as<std::string>();
    std::vector<HouseholdPerson> people = ActiveMembers(txn, household_id);
    if (!member_id.empty()) {
      std::vector<HouseholdPerson> one = OnlyMember(people, member_id);
      if (one.empty()) {
        return absl::NotFoundError("member_id: not an active member of the household");
      }
      people = one;
    }
    if (IsPaid(programme) || programme == Programme::kMarginal) {
      if (absl::Status s = CheckNotEnrolled(txn, people, ExclusiveGroup(programme),
                                            member_id.empty() ? "household_id" : "member_id");
          !s.ok()) {
        return s;
      }
    }
    try {
      pqxx::row r = txn.exec_params1(
          "INSERT INTO applications (programme, household_id, member_id, region_code, area, "
          "status, care_mode, submitted_by, submitted_on) VALUES ($1, $2::uuid, "
          "NULLIF($3, '')::uuid, $4, $5, 'SUBMITTED', $6, $7, $8::date) "
          "RETURNING application_id::text",
          std::string(ProgrammeName(programme)), household_id, member_id, region, area,
          CareName(care_mode), caller.subject, FormatDay(submitted_on));
      const std::string id = r[0].as<std::string>();
      AppendApplicationHistory(txn, id, "SUBMITTED", caller, submitted_on, "",
                               IsLateEntry(rules_, submitted_on, today));
      absl::StatusOr<v1::Application> loaded = LoadApplication(txn, id, false);
      if (!loaded.ok()) return loaded.status();
      out = *std::move(loaded);
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          "household_id: an application for this programme is already open");
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Application> ApplicationStore::Get(const Caller& caller,
                                                      const std::string& application_id) {
  absl::StatusOr<v1::Application> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    out = LoadApplication(txn, application_id, false);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (out.ok()) {
    if (absl::Status s = ScopeForRead(caller, out->region_code(), "application_id", "application");
        !s.ok()) {
      return s;
    }
  }
  return out;
}

absl::StatusOr<std::vector<v1::Application>> ApplicationStore::List(
    const Caller& caller, const std::string& region_prefix, const std::string& status_name,
    int programme, int64_t after, int page_size, int64_t* next) {
  std::vector<v1::Application> out;
  *next = 0;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_params(
        absl::StrCat("SELECT ", kApplicationColumns,
                     " FROM applications a WHERE a.region_code LIKE $1 || '%' AND ($2 = '' OR "
                     "a.status = $2) AND ($3 = '' OR a.programme = $3) AND a.seq > $4 "
                     "ORDER BY a.seq LIMIT $5"),
        region_prefix, status_name,
        programme == 0 ? std::string()
                       : std::string(ProgrammeName(static_cast<Programme>(programme))),
        after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      v1::Application a;
      ApplicationFromRow(rows[i], &a);
      out.push_back(std::move(a));
      *next = rows[i][20].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) *next = 0;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Application> ApplicationStore::Step(const Caller& caller,
                                                       const ApplicationStep& step,
                                                       absl::CivilDay today) {
  v1::Application out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<v1::Application> app = LoadApplication(txn, step.application_id, true);
    if (!app.ok()) return app.status();
    if (absl::Status s = CheckRegion(caller, "application_id", app->region_code()); !s.ok()) {
      return s;
    }
    if (absl::Status s =
            CheckTransition(static_cast<ApplicationStatus>(app->status()), step.action);
        !s.ok()) {
      return s;
    }
    if (FormatDay(step.happened_on) < app->submitted_on()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the step is dated before the application was submitted (", app->submitted_on(), ")"));
    }
    const std::string day = FormatDay(step.happened_on);
    const bool late = IsLateEntry(rules_, step.happened_on, today);
    switch (step.action) {
      case ApplicationAction::kInvestigate: {
        const auto programme = static_cast<Programme>(app->programme());
        if (step.tekun_grounds.has_value()) {
          if (programme != Programme::kTekun) {
            return InvalidField("tekun_grounds", "only a 特困 application has 特困 grounds");
          }
          pqxx::result born = txn.exec_params(
              "SELECT birth_date::text FROM household_members WHERE member_id = $1::uuid",
              app->member_id());
          if (born.empty()) return absl::NotFoundError(NotFound("member_id", "member"));
          absl::StatusOr<absl::CivilDay> birth = ParseDay(born[0][0].as<std::string>());
          if (!birth.ok()) return birth.status();
          if (absl::Status s = CheckTekunCategory(step.tekun_grounds->category, *birth,
                                                  step.happened_on, "tekun_grounds.category");
              !s.ok()) {
            return s;
          }
        }
        if (step.rigid_expenses.has_value() && programme != Programme::kExpenditureHardship) {
          return InvalidField("rigid_expenses",
                              "only a 支出型困难家庭 application has rigid expenses");
        }
        txn.exec_params(
            "UPDATE applications SET status = 'INVESTIGATED', monthly_income_fen = $2, "
            "assets_ok = $3, visit_note = $4 WHERE application_id = $1::uuid",
            step.application_id, step.income_fen, step.assets_ok, step.note);
        std::set<std::string> members;
        for (const auto& r : txn.exec_params(
                 "SELECT member_id::text FROM household_members WHERE household_id = $1::uuid "
                 "AND active",
                 app->household_id())) {
          members.insert(r[0].as<std::string>());
        }
        txn.exec_params("DELETE FROM application_circumstances WHERE application_id = $1::uuid",
                        step.application_id);
        for (size_t i = 0; i < step.circumstances.size(); ++i) {
          const auto& c = step.circumstances[i];
          if (!members.contains(c.member_id())) {
            return absl::InvalidArgumentError(absl::StrCat(
                "circumstances[", i, "].member_id: not an active member of the household"));
          }
          txn.exec_params(
              "INSERT INTO application_circumstances VALUES ($1::uuid, $2::uuid, $3, $4)",
              step.application_id, c.member_id(), c.seriously_ill(), c.severely_disabled());
        }
        if (step.tekun_grounds.has_value()) {
          txn.exec_params(
              "INSERT INTO application_tekun_grounds (application_id, category, "
              "no_work_capacity, no_income, no_supporter) VALUES ($1::uuid, $2, $3, $4, $5)",
              step.application_id, std::string(TekunCategoryName(step.tekun_grounds->category)),
              step.tekun_grounds->no_work_capacity, step.tekun_grounds->no_income,
              step.tekun_grounds->no_supporter);
        }
        if (step.rigid_expenses.has_value()) {
          txn.exec_params(
              "INSERT INTO application_rigid_expenses (application_id, medical_fen, "
              "education_fen) VALUES ($1::uuid, $2, $3)",
              step.application_id, step.rigid_expenses->medical.fen(),
              step.rigid_expenses->education.fen());
        }
        AppendApplicationHistory(txn, step.application_id, "INVESTIGATED", caller, step.happened_on,
                                 step.note, late);
        break;
      }
      case ApplicationAction::kPublish:
        txn.exec_params(
            "UPDATE applications SET status = 'IN_NOTICE', notice_start = $2::date, "
            "notice_end = $3::date WHERE application_id = $1::uuid",
            step.application_id, day, FormatDay(NoticeEnd(step.happened_on)));
        AppendApplicationHistory(txn, step.application_id, "PUBLISHED", caller, step.happened_on,
                                 step.note, late);
        break;
      case ApplicationAction::kObject:
        txn.exec_params(
            "UPDATE applications SET objections = objections + 1 WHERE application_id = $1::uuid",
            step.application_id);
        AppendApplicationHistory(txn, step.application_id, "OBJECTION", caller, step.happened_on,
                                 step.note, late);
        break;
      case ApplicationAction::kReject:
        txn.exec_params(
            "UPDATE applications SET status = 'REJECTED', decided_on = $2::date, "
            "decision_reason = $3 WHERE application_id = $1::uuid",
            step.application_id, day, step.note);
        AppendApplicationHistory(txn, step.application_id, "REJECTED", caller, step.happened_on,
                                 step.note, late);
        break;
      case ApplicationAction::kApprove:
        return absl::InternalError("approval goes through Approve");
    }
    absl::StatusOr<v1::Application> loaded = LoadApplication(txn, step.application_id, false);
    if (!loaded.ok()) return loaded.status();
    out = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::string> ApplicationStore::ReopenRejected(pqxx::transaction_base& txn,
                                                             const ReopenRequest& request) {
  if (!IsUuid(request.case_id)) return absl::NotFoundError(NotFound("case_id", "application"));
  pqxx::result rows = txn.exec_params(
      "SELECT status, household_id::text, programme, coalesce(member_id::text, '') "
      "FROM applications WHERE application_id = $1::uuid FOR UPDATE",
      request.case_id);
  if (rows.empty()) return absl::NotFoundError(NotFound("case_id", "application"));
  CIVIL_ASSIGN_OR_RETURN(const ApplicationStatus status,
                         ApplicationStatusFromName(rows[0][0].as<std::string>()));
  CIVIL_RETURN_IF_ERROR(CheckReopenRejected(status));
  const pqxx::row open = txn.exec_params1(
      "SELECT count(*) FROM applications WHERE household_id = $1::uuid AND programme = $2 AND "
      "coalesce(member_id::text, '') = $3 AND status IN ('SUBMITTED', 'INVESTIGATED', "
      "'IN_NOTICE')",
      rows[0][1].as<std::string>(), rows[0][2].as<std::string>(), rows[0][3].as<std::string>());
  if (open[0].as<int64_t>() > 0) {
    return absl::FailedPreconditionError(
        "case_id: the household has another open application of the programme");
  }
  txn.exec_params(
      "UPDATE applications SET status = 'SUBMITTED', notice_start = NULL, notice_end = NULL, "
      "decided_on = NULL, decision_reason = '' WHERE application_id = $1::uuid",
      request.case_id);
  AppendApplicationHistory(txn, request.case_id, "REOPENED", Caller{.subject = request.actor},
                           request.day, absl::StrCat("grievance ", request.grievance_id, " upheld"),
                           /*late=*/false);
  return std::string("application back to investigation");
}

absl::StatusOr<std::pair<v1::Application, v1::Enrolment>> ApplicationStore::Approve(
    const Caller& caller, const ApplicationStep& step, absl::CivilDay today) {
  std::pair<v1::Application, v1::Enrolment> out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<v1::Application> app = LoadApplication(txn, step.application_id, true);
    if (!app.ok()) return app.status();
    if (absl::Status s = CheckRegion(caller, "application_id", app->region_code()); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckTransition(static_cast<ApplicationStatus>(app->status()),
                                         ApplicationAction::kApprove);
        !s.ok()) {
      return s;
    }
    if (app->submitted_by() == caller.subject) {
      return absl::PermissionDeniedError(
          "maker-checker: the approver must not be the clerk who submitted the application");
    }
    absl::StatusOr<absl::CivilDay> notice_end = ParseDay(app->notice_end());
    if (!notice_end.ok() || step.happened_on <= *notice_end) {
      return absl::FailedPreconditionError(absl::StrCat("decided_on: the public notice runs until ",
                                                        app->notice_end(), "; decide after it"));
    }
    if (!app->assets_within_limits()) {
      return absl::FailedPreconditionError(
          "the investigation found assets beyond the local limits: reject the application");
    }
    const auto programme = static_cast<Programme>(app->programme());
    if (programme == Programme::kTekun) {
      pqxx::result g = txn.exec_params(
          "SELECT category, no_work_capacity, no_income, no_supporter "
          "FROM application_tekun_grounds WHERE application_id = $1::uuid",
          step.application_id);
      std::optional<TekunGrounds> grounds;
      if (!g.empty()) {
        absl::StatusOr<TekunCategory> category = TekunCategoryFromName(g[0][0].as<std::string>());
        if (!category.ok()) return category.status();
        grounds =
            TekunGrounds{*category, g[0][1].as<bool>(), g[0][2].as<bool>(), g[0][3].as<bool>()};
      }
      if (absl::Status s = CheckTekunGroundsForApproval(grounds); !s.ok()) return s;
    }
    const absl::CivilMonth start = absl::CivilMonth(step.happened_on) + 1;
    std::vector<HouseholdPerson> people = ActiveMembers(txn, app->household_id());
    if (!app->member_id().empty()) {
      std::vector<HouseholdPerson> one = OnlyMember(people, app->member_id());
      if (one.empty()) {
        return absl::FailedPreconditionError(
            "member_id: no longer an active member of the household");
      }
      people = one;
    }
    if (people.empty()) return absl::FailedPreconditionError("the household has no members");
    const std::string area = app->area() == civil::common::v1::AREA_URBAN ? "URBAN" : "RURAL";
    if (programme == Programme::kExpenditureHardship) {
      pqxx::result e = txn.exec_params(
          "SELECT medical_fen, education_fen FROM application_rigid_expenses "
          "WHERE application_id = $1::uuid",
          step.application_id);
      std::optional<RigidExpenses> expenses;
      if (!e.empty()) {
        expenses =
            RigidExpenses{Money::Fen(e[0][0].as<int64_t>()), Money::Fen(e[0][1].as<int64_t>())};
      }
      absl::StatusOr<StandardValues> standard =
          StandardStore::InForce(txn, Programme::kDibao, area, app->region_code(), start);
      if (!standard.ok()) return standard.status();
      if (absl::Status s = CheckExpenditureHardshipForApproval(
              *standard, static_cast<int>(people.size()),
              Money::Fen(app->household_monthly_income_fen()), expenses);
          !s.ok()) {
        return s;
      }
    }
    Money amount;
    if (programme == Programme::kDibao || programme == Programme::kMarginal) {
      absl::StatusOr<StandardValues> standard =
          StandardStore::InForce(txn, Programme::kDibao, area, app->region_code(), start);
      if (!standard.ok()) return standard.status();
      const Money income = Money::Fen(app->household_monthly_income_fen());
      if (programme == Programme::kMarginal) {
        if (!IsMarginal(*standard, static_cast<int>(people.size()), income)) {
          return absl::FailedPreconditionError(
              "household income per head is above the 低保边缘 line");
        }
      } else {
        std::vector<MemberFacts> facts;
        for (const auto& p : people) {
          MemberFacts f{p.birth_date};
          for (const auto& c : app->circumstances()) {
            if (c.member_id() == p.member_id) {
              f.seriously_ill = c.seriously_ill();
              f.severely_disabled = c.severely_disabled();
            }
          }
          facts.push_back(f);
        }
        absl::StatusOr<Money> computed = DibaoMonthlyAmount(*standard, facts, income, start);
        if (!computed.ok()) return computed.status();
        amount = *computed;
      }
    } else if (IsPaid(programme)) {
      absl::StatusOr<StandardValues> standard =
          StandardStore::InForce(txn, programme, area, app->region_code(), start);
      if (!standard.ok()) return standard.status();
      amount = PerPersonMonthlyAmount(*standard);
    }
    if (absl::Status s = CheckNotEnrolled(txn, people, ExclusiveGroup(programme), "household_id");
        !s.ok()) {
      return s;
    }
    const std::string enrolment_id =
        txn.exec_params1(
               "INSERT INTO enrolments (programme, area, household_id, region_code, start_month, "
               "care_mode, review_due, application_id, investigated_income_fen) VALUES ($1, $2, "
               "$3::uuid, $4, $5::date, $6, $7::date, $8::uuid, $9) RETURNING enrolment_id::text",
               std::string(ProgrammeName(programme)), area, app->household_id(), app->region_code(),
               MonthDate(start), CareName(app->care_mode()),
               FormatDay(ReviewDue(rules_, programme, area == "URBAN", start)),
               app->application_id(), app->household_monthly_income_fen())[0]
            .as<std::string>();
    for (const HouseholdPerson& p : people) {
      // The member's facts of the investigation, which each month's 低保 amount is computed on.
      bool ill = false;
      bool disabled = false;
      for (const auto& c : app->circumstances()) {
        if (c.member_id() == p.member_id) {
          ill = c.seriously_ill();
          disabled = c.severely_disabled();
        }
      }
      try {
        txn.exec_params(
            "INSERT INTO enrolment_members (enrolment_id, member_id, id_index, exclusive_group, "
            "start_month, member_birth_date, member_seriously_ill, member_severely_disabled) "
            "VALUES ($1::uuid, $2::uuid, $3, $4, $5::date, $6::date, $7, $8)",
            enrolment_id, p.member_id, p.id_index, ExclusiveGroup(programme), MonthDate(start),
            FormatDay(p.birth_date), ill, disabled);
      } catch (const pqxx::unique_violation&) {
        return absl::FailedPreconditionError(
            absl::StrCat("household_id: ", p.id_masked, " is already enrolled"));
      }
      civil::events::v1::EnrolmentStarted started;
      started.set_enrolment_id(enrolment_id);
      started.set_programme(absl::StrCat("PROGRAMME_", ProgrammeName(programme)));
      started.set_household_id(app->household_id());
      started.set_start_month(FormatMonth(start));
      WriteEvent(txn, "assistance", {p.id_index, p.id_masked}, started);
    }
    txn.exec_params("INSERT INTO enrolment_amounts VALUES ($1::uuid, $2::date, $3, $4)",
                    enrolment_id, MonthDate(start), amount.fen(), static_cast<int>(people.size()));
    const bool late = IsLateEntry(rules_, step.happened_on, today);
    AppendEnrolmentHistory(txn, enrolment_id, "ENROLLED", caller, step.happened_on,
                           absl::StrCat("amount_fen=", amount.fen()), late);
    txn.exec_params(
        "UPDATE applications SET status = 'APPROVED', decided_on = $2::date, "
        "decision_reason = $3, monthly_amount_fen = $4, enrolment_id = $5::uuid "
        "WHERE application_id = $1::uuid",
        step.application_id, FormatDay(step.happened_on), step.note, amount.fen(), enrolment_id);
    AppendApplicationHistory(txn, step.application_id, "APPROVED", caller, step.happened_on,
                             step.note, late);
    absl::StatusOr<v1::Application> loaded = LoadApplication(txn, step.application_id, false);
    if (!loaded.ok()) return loaded.status();
    // The enrolment as decided: the amount of its first month.
    absl::StatusOr<v1::Enrolment> enrolment = EnrolmentStore::Load(txn, enrolment_id, start);
    if (!enrolment.ok()) return enrolment.status();
    out = {*std::move(loaded), *std::move(enrolment)};
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

// ---------------------------------------------------------------------------------------------

EnrolmentStore::EnrolmentStore(PgPool* pool, const AssistanceRules& rules, DeathRegistry* deaths)
    : pool_(pool), rules_(rules), deaths_(deaths) {
  if (deaths_ == nullptr) {
    own_deaths_ = std::make_unique<DeathRegistry>("assistance", pool_);
    deaths_ = own_deaths_.get();
  }
}

absl::StatusOr<v1::Enrolment> EnrolmentStore::LoadRow(pqxx::transaction_base& txn,
                                                      const std::string& enrolment_id) {
  pqxx::result rows =
      txn.exec_params(absl::StrCat("SELECT ", kEnrolmentColumns,
                                   " FROM enrolments e WHERE e.enrolment_id = $1::uuid"),
                      enrolment_id);
  if (rows.empty()) return absl::NotFoundError(NotFound("enrolment_id", "enrolment"));
  v1::Enrolment e;
  EnrolmentFromRow(rows[0], &e);
  LoadEnrolmentMembers(txn, &e);
  return e;
}

absl::StatusOr<v1::Enrolment> EnrolmentStore::Load(pqxx::transaction_base& txn,
                                                   const std::string& enrolment_id,
                                                   absl::CivilMonth as_of) {
  absl::StatusOr<v1::Enrolment> e = LoadRow(txn, enrolment_id);
  if (!e.ok()) return e;
  ShowAmounts(txn, {&*e}, as_of);
  return e;
}

absl::CivilMonth EnrolmentStore::ShownMonth(const v1::Enrolment& enrolment,
                                            absl::CivilMonth as_of) {
  absl::CivilMonth month = as_of;
  if (absl::StatusOr<absl::CivilMonth> start = ParseMonth(enrolment.start_month(), "start_month");
      start.ok() && month < *start) {
    month = *start;
  }
  if (!enrolment.end_month().empty()) {
    if (absl::StatusOr<absl::CivilMonth> end = ParseMonth(enrolment.end_month(), "end_month");
        end.ok() && month > *end) {
      month = *end;
    }
  }
  return month;
}

std::map<std::string, EnrolmentMonthAmount> EnrolmentStore::AmountsFor(
    pqxx::transaction_base& txn, const std::map<std::string, absl::CivilMonth>& months) {
  std::map<std::string, EnrolmentMonthAmount> out;
  if (months.empty()) return out;
  std::vector<std::string> ids;
  std::vector<std::string> dates;
  for (const auto& [id, month] : months) {
    ids.push_back(id);
    dates.push_back(MonthDate(month));
  }
  const std::string id_array = absl::StrCat("{", absl::StrJoin(ids, ","), "}");
  const std::string date_array = absl::StrCat("{", absl::StrJoin(dates, ","), "}");
  // The rows the disbursement reads, per enrolment and month: the enrolment, the amount decided
  // last by the month and whether a review set it (a review of that month and amount), the
  // investigated income; then the members enrolled in the month.
  struct Facts {
    Programme programme = Programme::kDibao;
    std::string area;
    std::string region;
    std::optional<Money> income;
    std::optional<DecidedAmount> decided;
    std::vector<MemberFacts> members;
  };
  std::map<std::string, Facts> facts;
  for (const auto& r : txn.exec_params(
           "SELECT q.enrolment_id::text, e.programme, e.area, e.region_code, "
           "e.investigated_income_fen, a.amount_fen, a.persons, a.from_month::text, "
           "EXISTS (SELECT 1 FROM enrolment_reviews v WHERE v.enrolment_id = q.enrolment_id AND "
           "v.outcome IN ('INCREASE', 'DECREASE') AND v.effective_month = a.from_month AND "
           "v.new_amount_fen = a.amount_fen) "
           "FROM unnest($1::uuid[], $2::date[]) AS q (enrolment_id, month) JOIN enrolments e ON "
           "e.enrolment_id = q.enrolment_id LEFT JOIN LATERAL (SELECT amount_fen, persons, "
           "from_month FROM enrolment_amounts x WHERE x.enrolment_id = q.enrolment_id AND "
           "x.from_month <= q.month ORDER BY x.from_month DESC LIMIT 1) a ON true",
           id_array, date_array)) {
    absl::StatusOr<Programme> programme = ProgrammeFromName(r[1].as<std::string>());
    if (!programme.ok()) continue;
    Facts& f = facts[r[0].as<std::string>()];
    f.programme = *programme;
    f.area = r[2].as<std::string>();
    f.region = r[3].as<std::string>();
    if (!r[4].is_null()) f.income = Money::Fen(r[4].as<int64_t>());
    if (!r[5].is_null()) {
      f.decided = DecidedAmount{Money::Fen(r[5].as<int64_t>()), r[6].as<int>(),
                                MonthFromSql(r[7].as<std::string>()), r[8].as<bool>()};
    }
  }
  for (const auto& r : txn.exec_params(
           "SELECT q.enrolment_id::text, m.member_birth_date::text, m.member_seriously_ill, "
           "m.member_severely_disabled FROM unnest($1::uuid[], $2::date[]) AS q (enrolment_id, "
           "month) JOIN enrolment_members m ON m.enrolment_id = q.enrolment_id AND m.start_month "
           "<= q.month AND (m.end_month IS NULL OR m.end_month >= q.month)",
           id_array, date_array)) {
    auto f = facts.find(r[0].as<std::string>());
    if (f == facts.end()) continue;
    MemberFacts m;
    // Without a birth date the disbursement gives no age supplement: an age of neither group.
    const absl::CivilMonth month = months.at(f->first);
    m.birth_date = r[1].is_null() ? absl::CivilDay(absl::CivilYear(absl::CivilDay(month)) - 30)
                                  : ParseDay(r[1].as<std::string>()).value_or(absl::CivilDay());
    m.seriously_ill = r[2].as<bool>();
    m.severely_disabled = r[3].as<bool>();
    f->second.members.push_back(m);
  }
  // The standards that may be in force, per programme, area and month (the rule picks among
  // them by region: StandardInForce).
  std::map<std::tuple<Programme, std::string, absl::CivilMonth>, std::vector<StandardRecord>>
      candidates;
  for (const auto& [id, f] : facts) {
    const absl::CivilMonth month = months.at(id);
    EnrolmentMonthAmount& amount = out[id];
    amount.month = month;
    if (!f.decided) continue;  // nothing decided by the month: nothing to pay
    if (!IsPaid(f.programme)) {
      amount.payment.amount = f.decided->amount;
      continue;
    }
    auto key = std::make_tuple(f.programme, f.area, month);
    auto found = candidates.find(key);
    if (found == candidates.end()) {
      found =
          candidates.emplace(key, StandardStore::StandardsFor(txn, f.programme, f.area, "", month))
              .first;
    }
    const std::vector<StandardRecord>& of = found->second;
    const std::optional<size_t> now = StandardInForce(of, f.region, month);
    std::optional<size_t> then;
    if (f.decided->set_on_review) then = StandardInForce(of, f.region, f.decided->from);
    amount.payment = AmountForMonth(f.programme, *f.decided, now ? &of[*now] : nullptr,
                                    then ? &of[*then] : nullptr, f.income, f.members, month);
    if (now) amount.standard = of[*now];
  }
  return out;
}

absl::StatusOr<EnrolmentMonthAmount> EnrolmentStore::AmountFor(pqxx::transaction_base& txn,
                                                               const std::string& enrolment_id,
                                                               absl::CivilMonth month) {
  std::map<std::string, EnrolmentMonthAmount> amounts = AmountsFor(txn, {{enrolment_id, month}});
  auto found = amounts.find(enrolment_id);
  if (found == amounts.end()) return absl::NotFoundError(NotFound("enrolment_id", "enrolment"));
  return found->second;
}

void EnrolmentStore::ShowAmounts(pqxx::transaction_base& txn,
                                 const std::vector<v1::Enrolment*>& enrolments,
                                 absl::CivilMonth as_of) {
  std::map<std::string, absl::CivilMonth> months;
  for (const v1::Enrolment* e : enrolments) months[e->enrolment_id()] = ShownMonth(*e, as_of);
  const std::map<std::string, EnrolmentMonthAmount> amounts = AmountsFor(txn, months);
  for (v1::Enrolment* e : enrolments) {
    auto found = amounts.find(e->enrolment_id());
    if (found == amounts.end()) continue;
    const EnrolmentMonthAmount& shown = found->second;
    e->set_monthly_amount_fen(shown.payment.amount.fen());
    e->set_amount_month(FormatMonth(shown.month));
    if (shown.standard) {
      e->set_amount_standard_id(shown.standard->standard_id);
      e->set_amount_standard_region_prefix(shown.standard->region_prefix);
      e->set_amount_standard_effective_from(FormatDay(shown.standard->effective_from));
    }
  }
}

absl::StatusOr<v1::Enrolment> EnrolmentStore::Get(const Caller& caller,
                                                  const std::string& enrolment_id,
                                                  absl::CivilDay today) {
  absl::StatusOr<v1::Enrolment> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    out = Load(txn, enrolment_id, absl::CivilMonth(today));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (out.ok()) {
    if (absl::Status s = ScopeForRead(caller, out->region_code(), "enrolment_id", "enrolment");
        !s.ok()) {
      return s;
    }
  }
  return out;
}

absl::StatusOr<std::vector<v1::Enrolment>> EnrolmentStore::List(
    const Caller& caller, const std::string& region_prefix, int programme,
    const std::optional<absl::CivilMonth>& active_in, int64_t after, int page_size, int64_t* next,
    absl::CivilDay today) {
  std::vector<v1::Enrolment> out;
  *next = 0;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_params(
        absl::StrCat("SELECT ", kEnrolmentColumns,
                     " FROM enrolments e WHERE e.region_code LIKE $1 || '%' AND ($2 = '' OR "
                     "e.programme = $2) AND ($3 = '' OR (e.start_month <= $3::date AND "
                     "(e.end_month IS NULL OR e.end_month >= $3::date))) AND e.seq > $4 "
                     "ORDER BY e.seq LIMIT $5"),
        region_prefix,
        programme == 0 ? std::string()
                       : std::string(ProgrammeName(static_cast<Programme>(programme))),
        active_in ? MonthDate(*active_in) : std::string(), after, page_size + 1);
    std::map<std::string, size_t> position;
    std::vector<std::string> ids;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      v1::Enrolment e;
      EnrolmentFromRow(rows[i], &e);
      position[e.enrolment_id()] = out.size();
      ids.push_back(e.enrolment_id());
      out.push_back(std::move(e));
      *next = rows[i][12].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) *next = 0;
    if (ids.empty()) return absl::OkStatus();
    // The members of the whole page in one query, not one per enrolment.
    for (const auto& r : txn.exec_params(
             "SELECT m.enrolment_id::text, m.member_id::text, hm.name, hm.id_masked, "
             "m.start_month::text, m.end_month::text, m.exit_reason FROM enrolment_members m "
             "JOIN household_members hm USING (member_id) WHERE m.enrolment_id = "
             "ANY($1::uuid[]) ORDER BY m.enrolment_id, hm.position, m.member_id",
             absl::StrCat("{", absl::StrJoin(ids, ","), "}"))) {
      auto* m = out[position[r[0].as<std::string>()]].add_members();
      m->set_member_id(r[1].as<std::string>());
      m->set_name(r[2].as<std::string>());
      m->set_id_number_masked(r[3].as<std::string>());
      m->set_start_month(MonthOf(r[4]));
      m->set_end_month(MonthOf(r[5]));
      m->set_exit_reason(ExitEnum(r[6].as<std::string>()));
    }
    std::vector<v1::Enrolment*> page;
    for (v1::Enrolment& e : out) page.push_back(&e);
    ShowAmounts(txn, page, absl::CivilMonth(today));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status EnrolmentStore::ExitInTxn(pqxx::transaction_base& txn, const Caller& caller,
                                       const std::string& enrolment_id,
                                       const std::string& member_id, ExitReason reason,
                                       absl::CivilMonth effective, bool phase_out,
                                       const std::string& note, absl::CivilDay decided_on,
                                       absl::CivilDay today) {
  return ExitAndRecord(txn, caller, enrolment_id, member_id, reason, effective, phase_out, note,
                       decided_on, today, /*record_death=*/true);
}

absl::StatusOr<std::string> EnrolmentStore::ReverseExit(pqxx::transaction_base& txn,
                                                        const ReopenRequest& request) {
  if (!IsUuid(request.case_id)) return absl::NotFoundError(NotFound("case_id", "enrolment"));
  pqxx::result rows = txn.exec_params(
      "SELECT status, exit_reason, end_month::text, exited_on::text, programme, area, "
      "region_code, household_id::text FROM enrolments WHERE enrolment_id = $1::uuid FOR UPDATE",
      request.case_id);
  if (rows.empty()) return absl::NotFoundError(NotFound("case_id", "enrolment"));
  const pqxx::row e = rows[0];
  const bool ended = e[0].as<std::string>() != "ACTIVE";
  const ExitReason reason =
      ExitReasonFromName(e[1].as<std::string>()).value_or(ExitReason::kIneligibleIncome);
  CIVIL_RETURN_IF_ERROR(CheckExitReversal(ended, reason));
  const absl::CivilMonth last_paid = MonthFromSql(e[2].as<std::string>());
  const std::string programme = e[4].as<std::string>();
  const std::string region = e[6].as<std::string>();
  // The members that left with the enrolment (same exit day and reason) come back.
  const pqxx::result back = txn.exec_params(
      "SELECT member_id::text, id_index, exclusive_group FROM enrolment_members "
      "WHERE enrolment_id = $1::uuid AND NOT active AND exited_on = $2::date AND exit_reason = $3",
      request.case_id, e[3].as<std::string>(), e[1].as<std::string>());
  for (const pqxx::row& m : back) {
    const pqxx::row taken = txn.exec_params1(
        "SELECT count(*) FROM enrolment_members WHERE id_index = $1 AND exclusive_group = $2 "
        "AND active",
        m[1].as<std::string>(), m[2].as<std::string>());
    if (taken[0].as<int64_t>() > 0) {
      return absl::FailedPreconditionError(
          "case_id: a member of the enrolment is enrolled again meanwhile");
    }
    txn.exec_params(
        "UPDATE enrolment_members SET active = true, end_month = NULL, exit_reason = '', "
        "exited_on = NULL WHERE enrolment_id = $1::uuid AND member_id = $2::uuid",
        request.case_id, m[0].as<std::string>());
  }
  txn.exec_params(
      "UPDATE enrolments SET status = 'ACTIVE', end_month = NULL, exit_reason = '', "
      "exited_on = NULL WHERE enrolment_id = $1::uuid",
      request.case_id);
  // The months the runs have paid the region since the last paid month: each is owed the
  // difference between what it is due and what it was paid.
  const pqxx::result months = txn.exec_params(
      "SELECT DISTINCT month::text FROM disbursement_batches WHERE programme = $1 AND month > "
      "$2::date AND month <= $3::date AND $4 LIKE region_prefix || '%' ORDER BY 1",
      programme, MonthDate(last_paid), MonthDate(absl::CivilMonth(request.today)), region);
  int64_t total = 0;
  int paid_months = 0;
  for (const pqxx::row& row : months) {
    const absl::CivilMonth month = MonthFromSql(row[0].as<std::string>());
    CIVIL_ASSIGN_OR_RETURN(const EnrolmentMonthAmount due, AmountFor(txn, request.case_id, month));
    const pqxx::row paid = txn.exec_params1(
        "SELECT coalesce(sum(amount_fen), 0)::bigint FROM payments WHERE enrolment_id = $1::uuid "
        "AND month = $2::date",
        request.case_id, MonthDate(month));
    const Money owed = BackPayment(due.payment.amount, Money::Fen(paid[0].as<int64_t>()));
    if (owed.fen() == 0) continue;
    txn.exec_params(
        "INSERT INTO payments (batch_id, enrolment_id, month, programme, area, region_code, "
        "household_id, persons, amount_fen, kind) SELECT NULL, $1::uuid, $2::date, $3, $4, $5, "
        "$6::uuid, (SELECT count(*) FROM enrolment_members WHERE enrolment_id = $1::uuid AND "
        "active), $7, 'ADJUSTMENT'",
        request.case_id, MonthDate(month), programme, e[5].as<std::string>(), region,
        e[7].as<std::string>(), owed.fen());
    total += owed.fen();
    ++paid_months;
  }
  const std::string note =
      absl::StrCat("exit reversed (grievance ", request.grievance_id, "); back-payment ",
                   paid_months, " month(s), ", total, " fen");
  AppendEnrolmentHistory(txn, request.case_id, "EXIT_REVERSED", Caller{.subject = request.actor},
                         request.day, note, IsLateEntry(rules_, request.day, request.today));
  return absl::StrCat("exit reversed, back-payment ", paid_months, " month(s), ", total, " fen");
}

absl::Status EnrolmentStore::ExitAndRecord(pqxx::transaction_base& txn, const Caller& caller,
                                           const std::string& enrolment_id,
                                           const std::string& member_id, ExitReason reason,
                                           absl::CivilMonth effective, bool phase_out,
                                           const std::string& note, absl::CivilDay decided_on,
                                           absl::CivilDay today, bool record_death) {
  pqxx::result rows = txn.exec_params(
      "SELECT programme, area, region_code, status, start_month::text, household_id::text, "
      "application_id::text FROM enrolments WHERE enrolment_id = $1::uuid FOR UPDATE",
      enrolment_id);
  if (rows.empty()) return absl::NotFoundError(NotFound("enrolment_id", "enrolment"));
  const std::string programme_name = rows[0][0].as<std::string>();
  const std::string area = rows[0][1].as<std::string>();
  const std::string region = rows[0][2].as<std::string>();
  if (absl::Status s = CheckRegion(caller, "enrolment_id", region); !s.ok()) return s;
  if (rows[0][3].as<std::string>() != "ACTIVE") {
    return absl::FailedPreconditionError("enrolment_id: the enrolment has ended already");
  }
  const absl::CivilMonth start = MonthFromSql(rows[0][4].as<std::string>());
  if (effective < start) {
    return absl::InvalidArgumentError(
        absl::StrCat("effective_month: before the enrolment started (", FormatMonth(start), ")"));
  }
  const absl::CivilMonth last = effective - 1 + (phase_out ? rules_.phase_out_months : 0);
  // Active members and who leaves.
  struct Person {
    std::string member_id, id_index, id_masked;
    absl::CivilDay birth;
  };
  std::vector<Person> active;
  for (const auto& r : txn.exec_params(
           "SELECT m.member_id::text, m.id_index, hm.id_masked, hm.birth_date::text FROM "
           "enrolment_members m JOIN household_members hm USING (member_id) WHERE "
           "m.enrolment_id = $1::uuid AND m.active ORDER BY hm.position",
           enrolment_id)) {
    active.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                      ParseDay(r[3].as<std::string>()).value_or(absl::CivilDay())});
  }
  std::vector<Person> leaving;
  std::vector<Person> staying;
  for (const Person& p : active) {
    (member_id.empty() || p.member_id == member_id ? leaving : staying).push_back(p);
  }
  if (leaving.empty()) {
    return absl::NotFoundError("member_id: not an active member of the enrolment");
  }
  for (const Person& p : leaving) {
    txn.exec_params(
        "UPDATE enrolment_members SET end_month = $3::date, exit_reason = $4, exited_on = "
        "$5::date, active = false WHERE enrolment_id = $1::uuid AND member_id = $2::uuid",
        enrolment_id, p.member_id, MonthDate(last), std::string(ExitReasonName(reason)),
        FormatDay(decided_on));
  }
  const bool whole = staying.empty();
  if (whole) {
    txn.exec_params(
        "UPDATE enrolments SET status = 'ENDED', end_month = $2::date, exit_reason = $3, "
        "exited_on = $4::date WHERE enrolment_id = $1::uuid",
        enrolment_id, MonthDate(last), std::string(ExitReasonName(reason)), FormatDay(decided_on));
  } else {
    // The household goes on with fewer members: its amount is recomputed from the month after
    // the leaver's last month, on the income recorded by the investigation.
    Money amount;
    const absl::CivilMonth from = last + 1;
    absl::StatusOr<Programme> programme = ProgrammeFromName(programme_name);
    if (programme.ok() && *programme == Programme::kDibao) {
      absl::StatusOr<StandardValues> standard =
          StandardStore::InForce(txn, Programme::kDibao, area, region, from);
      if (!standard.ok()) return standard.status();
      pqxx::result app = txn.exec_params(
          "SELECT coalesce(monthly_income_fen, 0), application_id::text FROM applications "
          "WHERE enrolment_id = $1::uuid",
          enrolment_id);
      const Money income = Money::Fen(app.empty() ? 0 : app[0][0].as<int64_t>());
      std::vector<MemberFacts> facts;
      for (const Person& p : staying) {
        MemberFacts f{p.birth};
        if (!app.empty()) {
          pqxx::result c = txn.exec_params(
              "SELECT seriously_ill, severely_disabled FROM application_circumstances WHERE "
              "application_id = $1::uuid AND member_id = $2::uuid",
              app[0][1].as<std::string>(), p.member_id);
          if (!c.empty()) {
            f.seriously_ill = c[0][0].as<bool>();
            f.severely_disabled = c[0][1].as<bool>();
          }
        }
        facts.push_back(f);
      }
      absl::StatusOr<Money> computed = DibaoMonthlyAmount(*standard, facts, income, from);
      // Income at or above the line for the smaller household: nothing to pay from then on;
      // the reviewer decides at the next review whether the household leaves.
      amount = computed.ok() ? *computed : Money();
    }
    txn.exec_params(
        "INSERT INTO enrolment_amounts VALUES ($1::uuid, $2::date, $3, $4) ON CONFLICT "
        "(enrolment_id, from_month) DO UPDATE SET amount_fen = excluded.amount_fen, persons = "
        "excluded.persons",
        enrolment_id, MonthDate(from), amount.fen(), static_cast<int>(staying.size()));
  }
  AppendEnrolmentHistory(txn, enrolment_id, whole ? "ENDED" : "MEMBER_EXITED", caller, decided_on,
                         absl::StrCat(ExitReasonName(reason), " from ", FormatMonth(effective),
                                      phase_out ? " (phase-out)" : "", ": ", note),
                         IsLateEntry(rules_, decided_on, today));
  pqxx::result household = txn.exec_params(
      "SELECT household_id::text FROM enrolments WHERE enrolment_id = $1::uuid", enrolment_id);
  for (const Person& p : leaving) {
    civil::events::v1::EnrolmentEnded ended;
    ended.set_enrolment_id(enrolment_id);
    ended.set_programme(absl::StrCat("PROGRAMME_", programme_name));
    ended.set_household_id(household[0][0].as<std::string>());
    ended.set_reason(absl::StrCat("EXIT_REASON_", ExitReasonName(reason)));
    ended.set_effective_month(FormatMonth(last + 1));
    ended.set_whole_enrolment(whole);
    WriteEvent(txn, "assistance", {p.id_index, p.id_masked}, ended);
  }
  if (reason != ExitReason::kDeath || !record_death) return absl::OkStatus();
  if (leaving.size() > 1) {
    // Several members leaving at once "for death" does not say who died: no death is recorded
    // (the reviewer names the member who died with member_id).
    Log(LogLevel::kWarn, "exit for death of several members: no death recorded",
        {{"enrolment_id", absl::string_view(enrolment_id)},
         {"members", static_cast<int64_t>(leaving.size())}});
    return absl::OkStatus();
  }
  // An exit for death is a record of death, for every department: the person was dead by the
  // decision, and at the latest in the last month paid (the month of death is paid). The
  // registry publishes it when it is new or earlier than the death known, and then it ends the
  // person's other enrolments too; a death known already was applied when it was recorded.
  const absl::CivilDay last_paid_day = absl::CivilDay(last + 1) - 1;
  for (const Person& p : leaving) {
    DeathReport report;
    report.subject_index = p.id_index;
    report.subject_masked = p.id_masked;
    report.date = DeathDate{std::min(decided_on, last_paid_day), /*upper_bound=*/true};
    report.record_kind = "ENROLMENT_EXIT";
    report.record_id = enrolment_id;
    report.region_code = region;
    absl::StatusOr<DeathDecision> decision = deaths_->RecordOwn(txn, report);
    if (!decision.ok()) return decision.status();
    if (!decision->apply) continue;
    absl::StatusOr<int> others = EndForDeath(txn, p.id_index, decision->recorded.day, today);
    if (!others.ok()) return others.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Enrolment> EnrolmentStore::Exit(
    const Caller& caller, const std::string& enrolment_id, const std::string& member_id,
    ExitReason reason, absl::CivilMonth effective, bool phase_out, const std::string& note,
    absl::CivilDay decided_on, absl::CivilDay today) {
  v1::Enrolment out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (absl::Status s = ExitInTxn(txn, caller, enrolment_id, member_id, reason, effective,
                                   phase_out, note, decided_on, today);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<v1::Enrolment> loaded = Load(txn, enrolment_id, absl::CivilMonth(today));
    if (!loaded.ok()) return loaded.status();
    out = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<int> EnrolmentStore::EndForDeath(pqxx::transaction_base& txn,
                                                const std::string& id_index, absl::CivilDay died_on,
                                                absl::CivilDay today) {
  // The death is in the registry already: the exit applies it and records nothing.
  return EndActiveParts(txn, id_index, ExitReason::kDeath, died_on, "event:PersonDeceased",
                        "death recorded on the platform", today);
}

absl::StatusOr<int> EnrolmentStore::EndForMoveOut(pqxx::transaction_base& txn,
                                                  const std::string& id_index,
                                                  absl::CivilDay moved_on, absl::CivilDay today) {
  return EndActiveParts(txn, id_index, ExitReason::kMovedAway, moved_on, "event:PersonMovedOut",
                        "household registration moved out of the county (公安)", today);
}

absl::StatusOr<int> EnrolmentStore::EndActiveParts(pqxx::transaction_base& txn,
                                                   const std::string& id_index, ExitReason reason,
                                                   absl::CivilDay on, const std::string& actor,
                                                   const std::string& note, absl::CivilDay today) {
  const Caller system{actor, {"system"}, "*"};
  int ended = 0;
  for (const auto& r : txn.exec_params(
           "SELECT enrolment_id::text, member_id::text FROM enrolment_members WHERE id_index = $1 "
           "AND active ORDER BY enrolment_id",
           id_index)) {
    // Effective the month after: the month of the death or move is still paid (the payment for
    // a later month, if already made, is an audit finding, not a silent deletion).
    const absl::CivilMonth effective = absl::CivilMonth(on) + 1;
    pqxx::result start = txn.exec_params(
        "SELECT start_month::text FROM enrolment_members WHERE enrolment_id = $1::uuid AND "
        "member_id = $2::uuid",
        r[0].as<std::string>(), r[1].as<std::string>());
    const absl::CivilMonth first = MonthFromSql(start[0][0].as<std::string>());
    if (absl::Status s = ExitAndRecord(txn, system, r[0].as<std::string>(), r[1].as<std::string>(),
                                       reason, std::max(effective, first), false, note, on, today,
                                       /*record_death=*/false);
        !s.ok()) {
      return s;
    }
    ++ended;
  }
  return ended;
}

absl::StatusOr<std::vector<v1::EnrolmentFact>> EnrolmentStore::Check(const Caller& caller,
                                                                     const std::string& id_index,
                                                                     int programme,
                                                                     absl::CivilDay as_of) {
  std::vector<v1::EnrolmentFact> facts;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string month = MonthDate(absl::CivilMonth(as_of));
    for (const auto& r : txn.exec_params(
             "SELECT e.enrolment_id::text, e.programme, e.area, m.start_month::text, "
             "m.end_month::text, (m.start_month <= $3::date AND (m.end_month IS NULL OR "
             "m.end_month >= $3::date)), e.household_id::text, m.exit_reason, e.region_code FROM "
             "enrolment_members m JOIN enrolments e USING (enrolment_id) WHERE m.id_index = $1 "
             "AND ($2 = '' OR e.programme = $2) ORDER BY m.start_month",
             id_index,
             programme == 0 ? std::string()
                            : std::string(ProgrammeName(static_cast<Programme>(programme))),
             month)) {
      v1::EnrolmentFact f;
      f.set_enrolment_id(r[0].as<std::string>());
      f.set_programme(ProgrammeEnum(r[1].as<std::string>()));
      f.set_area(AreaEnum(r[2].as<std::string>()));
      f.set_start_month(MonthOf(r[3]));
      f.set_end_month(MonthOf(r[4]));
      f.set_active(r[5].as<bool>());
      f.set_household_id(r[6].as<std::string>());
      f.set_exit_reason(ExitEnum(r[7].as<std::string>()));
      f.set_region_code(r[8].as<std::string>());
      facts.push_back(std::move(f));
    }
    txn.exec_params(
        "INSERT INTO enrolment_checks (caller, subject_index, found) VALUES ($1, $2, $3)",
        caller.subject, id_index, static_cast<int>(facts.size()));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return facts;
}

// ---------------------------------------------------------------------------------------------

DisbursementStore::DisbursementStore(PgPool* pool, int chunk_size)
    : pool_(pool), chunk_size_(chunk_size > 0 ? chunk_size : kDefaultChunkSize) {}

namespace {

constexpr char kBatchColumns[] =
    "batch_id::text, programme, month::text, region_prefix, payments, total_fen, run_by, "
    "(extract(epoch from run_at) * 1000000)::bigint";

v1::DisbursementBatch BatchFromRow(const pqxx::row& r) {
  v1::DisbursementBatch b;
  b.set_batch_id(r[0].as<std::string>());
  b.set_programme(ProgrammeEnum(r[1].as<std::string>()));
  b.set_month(MonthOf(r[2]));
  b.set_region_prefix(r[3].as<std::string>());
  b.set_payments(r[4].as<int64_t>());
  b.set_total_fen(r[5].as<int64_t>());
  b.set_run_by(r[6].as<std::string>());
  *b.mutable_run_at() = TimeUtil::MicrosecondsToTimestamp(r[7].as<int64_t>());
  return b;
}

}  // namespace

absl::StatusOr<v1::DisbursementBatch> DisbursementStore::Run(
    const Caller& caller, Programme programme, absl::CivilMonth month,
    const std::string& region_prefix, bool* created,
    const std::function<void(const DisbursementProgress&)>& progress) {
  v1::DisbursementBatch out;
  // Whether a payment of the month may exist already for some enrolment to pay: then each row
  // goes through the unique index's conflict check (ON CONFLICT DO NOTHING); otherwise a plain
  // INSERT, a fifth faster, still refused by the index should a row slip in meanwhile.
  bool careful = false;
  bool again = false;
  auto run = [&](pqxx::transaction_base& txn) -> absl::Status {
    *created = false;
    again = false;
    const std::string name(ProgrammeName(programme));
    const std::string month_date = MonthDate(month);
    // A concurrent run of the same batch waits here on the unique key, then finds it made.
    pqxx::result inserted = txn.exec_params(
        "INSERT INTO disbursement_batches (programme, month, region_prefix, run_by) VALUES ($1, "
        "$2::date, $3, $4) ON CONFLICT (programme, month, region_prefix) DO NOTHING "
        "RETURNING batch_id::text",
        name, month_date, region_prefix, caller.subject);
    if (inserted.empty()) {
      out = BatchFromRow(txn.exec_params1(
          absl::StrCat("SELECT ", kBatchColumns,
                       " FROM disbursement_batches WHERE programme = $1 AND month = $2::date "
                       "AND region_prefix = $3"),
          name, month_date, region_prefix));
      return absl::OkStatus();
    }
    DisbursementProgress state{inserted[0][0].as<std::string>(), 0, 0};
    // Runs of the programme and month for other (overlapping) prefixes wait here for this one
    // to commit, so that each sees what the other paid.
    txn.exec_params(
        "SELECT pg_advisory_xact_lock(hashtext('assistance.disbursement:' || $1 || "
        "':' || $2))",
        name, month_date);
    const bool paid_before =
        careful || txn.exec_params1(
                          "SELECT EXISTS (SELECT 1 FROM payment_totals WHERE "
                          "programme = $1 AND month = $2::date AND region_code LIKE "
                          "$3 || '%' AND payments > 0)",
                          name, month_date, region_prefix)[0]
                       .as<bool>();
    // JIT compilation costs more than these statements take; sorts of 100,000 ids stay in memory.
    txn.exec("SET LOCAL jit = off");
    txn.exec("SET LOCAL work_mem = '64MB'");
    // The enrolments to pay, cut into chunks: every chunk_size-th enrolment_id closes one, the
    // last one is open-ended; the final row carries the count.
    pqxx::result bounds = txn.exec_params(
        "WITH c AS MATERIALIZED (SELECT enrolment_id FROM enrolments WHERE programme = $1 AND "
        "region_code LIKE $2 || '%' AND start_month <= $3::date AND (end_month IS NULL OR "
        "end_month >= $3::date)) "
        "SELECT i, enrolment_id::text FROM (SELECT enrolment_id, row_number() OVER (ORDER BY "
        "enrolment_id) AS i FROM c) r WHERE i % $4 = 0 "
        "UNION ALL SELECT count(*), '' FROM c ORDER BY 1, 2 DESC",
        name, region_prefix, month_date, chunk_size_);
    state.total = bounds[bounds.size() - 1][0].as<int64_t>();
    if (progress) progress(state);
    // The standard in force for the month in each area and region the run pays, and the one in
    // force when each amount set on review took effect, chosen once per run by the domain's rule
    // (StandardInForce) and handed to every chunk as arrays.
    std::vector<std::string> now_area, now_region, now_standard;
    std::vector<std::string> then_area, then_region, then_month, then_standard;
    {
      std::map<std::string, std::vector<StandardRecord>> candidates;
      for (const char* area : {"URBAN", "RURAL"}) {
        candidates[area] = StandardStore::StandardsFor(txn, programme, area, region_prefix, month);
      }
      for (const auto& r : txn.exec_params(
               "SELECT DISTINCT area, region_code FROM enrolments WHERE programme = $1 AND "
               "region_code LIKE $2 || '%' AND start_month <= $3::date AND (end_month IS NULL OR "
               "end_month >= $3::date)",
               name, region_prefix, month_date)) {
        const std::string area = r[0].as<std::string>();
        const std::vector<StandardRecord>& of_area = candidates[area];
        if (std::optional<size_t> i = StandardInForce(of_area, r[1].c_str(), month)) {
          now_area.push_back(area);
          now_region.push_back(r[1].as<std::string>());
          now_standard.push_back(of_area[*i].standard_id);
        }
      }
      for (const auto& r : txn.exec_params(
               "SELECT DISTINCT e.area, e.region_code, v.effective_month::text FROM "
               "enrolment_reviews v JOIN enrolments e USING (enrolment_id) WHERE e.programme = $1 "
               "AND e.region_code LIKE $2 || '%' AND v.outcome IN ('INCREASE', 'DECREASE') AND "
               "v.effective_month <= $3::date AND e.start_month <= $3::date AND (e.end_month IS "
               "NULL OR e.end_month >= $3::date)",
               name, region_prefix, month_date)) {
        const std::string area = r[0].as<std::string>();
        const std::vector<StandardRecord>& of_area = candidates[area];
        const absl::CivilMonth from = MonthFromSql(r[2].as<std::string>());
        if (std::optional<size_t> i = StandardInForce(of_area, r[1].c_str(), from)) {
          then_area.push_back(area);
          then_region.push_back(r[1].as<std::string>());
          then_month.push_back(r[2].as<std::string>());
          then_standard.push_back(of_area[*i].standard_id);
        }
      }
    }
    auto array = [](const std::vector<std::string>& items) {
      return absl::StrCat("{", absl::StrJoin(items, ","), "}");
    };
    // Each chunk pays its enrolments the amount for the month (AmountForMonth, benefit.h) in one
    // set-based statement, in enrolment order, as one statement over the whole run would: the
    // latest decided amount (enrolment_amounts) and whether a review set it, the standards in
    // force now and when it was set (picked above), the investigated income and, for 低保, each
    // enrolled member's supplement at the standards' amounts (ages on the month's first day), all
    // from the enrolment's own rows (migration 0006). 低保 whose gap is not positive is paid
    // nothing and held: a row in disbursement_holds, the review brought forward to the month's
    // first day (ListReviewsDue lists it), a line in its history. The trigger of migration 0005
    // adds each chunk's payments to payment_totals.
    const bool dibao = programme == Programme::kDibao;
    // The members with a supplement are counted per enrolment by category mask (1 seriously ill,
    // 2 severely disabled, 4 aged 60 or more, 8 under 18), independently of the standard; a
    // member of mask k gets the highest supplement of its categories (MemberSupplement).
    std::vector<int> masks;
    for (int k = 1; k < 16; ++k) {
      if ((k & 4) == 0 || (k & 8) == 0) masks.push_back(k);
    }
    std::string counts;
    for (int k : masks) absl::StrAppend(&counts, ", count(*) FILTER (WHERE k = ", k, ") AS n", k);
    // The supplements of an enrolment at standard `st` ("s" now, "t" when a review set it).
    auto supplements = [&](const char* st) {
      std::vector<std::string> terms;
      for (int k : masks) {
        std::vector<std::string> of;
        if (k & 1) of.push_back(absl::StrCat(st, ".supplement_ill_fen"));
        if (k & 2) of.push_back(absl::StrCat(st, ".supplement_disabled_fen"));
        if (k & 4) of.push_back(absl::StrCat(st, ".supplement_elderly_fen"));
        if (k & 8) of.push_back(absl::StrCat(st, ".supplement_minor_fen"));
        terms.push_back(absl::StrCat("x.n", k, " * greatest(", absl::StrJoin(of, ", "), ")"));
      }
      return absl::StrCat("coalesce(", absl::StrJoin(terms, " + "), ", 0)");
    };
    // The formula on the standard of column prefix `c` ("" now, "t_" when a review set it):
    // 低保 ceil_yuan(standard × persons − income) + supplements; else the monthly value.
    auto formula = [&](const char* c) {
      return dibao ? absl::StrCat("(ceil_yuan(d.", c,
                                  "monthly_fen * d.persons - "
                                  "coalesce(d.income_fen, 0)) + d.",
                                  c, "sup_fen)")
                   : absl::StrCat("d.", c, "monthly_fen");
    };
    const std::string insert = absl::StrCat(
        "WITH now_pick AS (SELECT * FROM unnest($7::text[], $8::text[], $9::uuid[]) AS p (area, "
        "region_code, standard_id)), "
        "then_pick AS (SELECT * FROM unnest($10::text[], $11::text[], $12::date[], $13::uuid[]) "
        "AS p (area, region_code, from_month, standard_id)), ",
        dibao ? absl::StrCat(
                    "sup AS (SELECT enrolment_id", counts,
                    " FROM (SELECT enrolment_id, CASE WHEN member_seriously_ill THEN 1 ELSE 0 END "
                    "+ CASE WHEN member_severely_disabled THEN 2 ELSE 0 END + CASE WHEN "
                    "member_birth_date <= $2::date - interval '60 years' THEN 4 WHEN "
                    "member_birth_date > $2::date - interval '18 years' THEN 8 ELSE 0 END AS k "
                    "FROM enrolment_members WHERE start_month <= $2::date AND (end_month IS NULL "
                    "OR end_month >= $2::date) AND (NULLIF($5, '') IS NULL OR enrolment_id > "
                    "NULLIF($5, '')::uuid) AND (NULLIF($6, '') IS NULL OR enrolment_id <= "
                    "NULLIF($6, '')::uuid)) m WHERE k > 0 GROUP BY enrolment_id), ")
              : std::string(),
        "calc AS MATERIALIZED (SELECT d.enrolment_id, d.programme, d.area, d.region_code, "
        "d.household_id, d.persons, d.income_fen, d.standard_id, d.monthly_fen * d.persons - "
        "d.income_fen AS gap_fen, "
        "CASE WHEN d.standard_id IS NULL THEN d.amount_fen "
        "WHEN d.on_review AND (d.t_standard_id IS NULL OR d.t_standard_id = d.standard_id) THEN "
        "d.amount_fen "
        "WHEN d.on_review THEN greatest(0, d.amount_fen + ",
        formula(""), " - ", formula("t_"),
        ") WHEN d.programme <> 'DIBAO' THEN d.monthly_fen "
        "WHEN d.income_fen IS NULL THEN d.amount_fen "
        "WHEN d.monthly_fen * d.persons - d.income_fen <= 0 THEN 0 "
        "ELSE ",
        formula(""),
        " END AS pay, (d.programme = 'DIBAO' AND d.standard_id IS NOT NULL AND NOT d.on_review "
        "AND d.income_fen IS NOT NULL AND d.monthly_fen * d.persons - d.income_fen <= 0) AS held "
        "FROM (SELECT e.enrolment_id, e.programme, e.area, e.region_code, e.household_id, "
        "e.investigated_income_fen AS income_fen, a.persons, a.amount_fen, "
        "v.enrolment_id IS NOT NULL AS on_review, s.standard_id, s.monthly_fen, "
        "t.standard_id AS t_standard_id, t.monthly_fen AS t_monthly_fen, ",
        dibao ? absl::StrCat(supplements("s"), " AS sup_fen, ", supplements("t"), " AS t_sup_fen ")
              : "0 AS sup_fen, 0 AS t_sup_fen ",
        "FROM enrolments e JOIN (SELECT DISTINCT ON (enrolment_id) enrolment_id, amount_fen, "
        "persons, from_month FROM enrolment_amounts WHERE from_month <= $2::date AND (NULLIF($5, "
        "'') IS NULL OR enrolment_id > NULLIF($5, '')::uuid) AND (NULLIF($6, '') IS NULL OR "
        "enrolment_id <= NULLIF($6, '')::uuid) ORDER BY enrolment_id, from_month DESC) a USING "
        "(enrolment_id) "
        "LEFT JOIN (SELECT DISTINCT enrolment_id, effective_month, new_amount_fen FROM "
        "enrolment_reviews WHERE outcome IN ('INCREASE', 'DECREASE') AND (NULLIF($5, '') IS "
        "NULL OR enrolment_id > NULLIF($5, '')::uuid) AND (NULLIF($6, '') IS NULL OR "
        "enrolment_id <= NULLIF($6, '')::uuid)) v ON v.enrolment_id = "
        "e.enrolment_id AND v.effective_month = a.from_month AND v.new_amount_fen = a.amount_fen "
        "LEFT JOIN now_pick p ON p.area = e.area AND p.region_code = e.region_code "
        "LEFT JOIN benefit_standards s ON s.standard_id = p.standard_id "
        "LEFT JOIN then_pick q ON q.area = e.area AND q.region_code = e.region_code AND "
        "q.from_month = a.from_month "
        "LEFT JOIN benefit_standards t ON t.standard_id = q.standard_id ",
        dibao ? "LEFT JOIN sup x ON x.enrolment_id = e.enrolment_id " : "",
        "WHERE e.programme = $3 AND e.region_code LIKE $4 || '%' AND e.start_month <= $2::date "
        "AND (e.end_month IS NULL OR e.end_month >= $2::date) AND (NULLIF($5, '') IS NULL OR "
        "e.enrolment_id > NULLIF($5, '')::uuid) AND (NULLIF($6, '') IS NULL OR e.enrolment_id "
        "<= NULLIF($6, '')::uuid)) d), "
        "holds AS (INSERT INTO disbursement_holds (batch_id, enrolment_id, month, household_id, "
        "region_code, standard_id, persons, income_fen, gap_fen) SELECT $1::uuid, enrolment_id, "
        "$2::date, household_id, region_code, standard_id, persons, income_fen, gap_fen FROM calc "
        "WHERE held ON CONFLICT (enrolment_id, month) DO NOTHING RETURNING enrolment_id, gap_fen), "
        "due_now AS (UPDATE enrolments e SET review_due = $2::date FROM holds h WHERE "
        "e.enrolment_id = h.enrolment_id AND (e.review_due IS NULL OR e.review_due > $2::date) "
        "RETURNING e.enrolment_id), "
        "noted AS (INSERT INTO enrolment_history (enrolment_id, action, actor, happened_on, note) "
        "SELECT h.enrolment_id, 'HELD_FOR_REVIEW', 'disbursement', $2::date, 'not paid for ' || "
        "to_char($2::date, 'YYYY-MM') || ': the gap at the standard in force is ' || h.gap_fen || "
        "' fen (standard × persons − income)' FROM holds h RETURNING 1) "
        "INSERT INTO payments (batch_id, enrolment_id, month, programme, area, region_code, "
        "household_id, persons, amount_fen) SELECT $1::uuid, enrolment_id, $2::date, programme, "
        "area, region_code, household_id, persons, pay FROM calc WHERE pay > 0 ORDER BY "
        "enrolment_id",
        paid_before ? " ON CONFLICT (enrolment_id, month) WHERE kind = 'REGULAR' DO NOTHING" : "");
    std::string after;
    for (size_t k = 0; k < bounds.size(); ++k) {
      const bool last = k + 1 == bounds.size();
      const std::string upto = last ? "" : bounds[k][1].as<std::string>();
      try {
        txn.exec_params(insert, state.batch_id, month_date, name, region_prefix, after, upto,
                        array(now_area), array(now_region), array(now_standard), array(then_area),
                        array(then_region), array(then_month), array(then_standard));
      } catch (const pqxx::unique_violation&) {
        if (paid_before) throw;
        // Paid meanwhile by something other than a run (an import): again, row by row.
        again = true;
        return absl::AbortedError("payments: written during the run");
      }
      state.done = last ? state.total
                        : std::min<int64_t>(state.total, static_cast<int64_t>(k + 1) * chunk_size_);
      if (progress) progress(state);
      after = upto;
    }
    // The batch's count and total from the roll-up the chunks just fed, not a pass over them.
    out = BatchFromRow(txn.exec_params1(
        absl::StrCat("UPDATE disbursement_batches b SET payments = s.n, total_fen = s.total "
                     "FROM (SELECT coalesce(sum(payments), 0) AS n, coalesce(sum(amount_fen), 0) "
                     "AS total FROM payment_totals WHERE batch_id = $1::uuid) s "
                     "WHERE b.batch_id = $1::uuid RETURNING ",
                     kBatchColumns),
        state.batch_id));
    *created = true;
    return absl::OkStatus();
  };
  absl::Status status = pool_->Transact(run);
  if (!status.ok() && again) {
    careful = true;
    status = pool_->Transact(run);
  }
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::DisbursementBatch> DisbursementStore::Get(const Caller& caller,
                                                             const std::string& batch_id) {
  absl::StatusOr<v1::DisbursementBatch> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_params(absl::StrCat("SELECT ", kBatchColumns,
                                     " FROM disbursement_batches WHERE batch_id = $1::uuid"),
                        batch_id);
    if (rows.empty()) {
      out = absl::NotFoundError(NotFound("batch_id", "disbursement batch"));
    } else {
      out = BatchFromRow(rows[0]);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (out.ok() && !caller.CanActOn(out->region_prefix()) && caller.region_prefix != "*") {
    return absl::NotFoundError(NotFound("batch_id", "disbursement batch"));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

SummaryStore::SummaryStore(PgPool* pool) : pool_(pool) {}

absl::StatusOr<std::vector<v1::ProgrammeFigures>> SummaryStore::Figures(
    const std::string& region_prefix, absl::CivilDay start, absl::CivilDay end) {
  std::map<std::pair<std::string, std::string>, v1::ProgrammeFigures> figures;
  auto at = [&](const pqxx::row& r) -> v1::ProgrammeFigures& {
    auto key = std::make_pair(r[0].as<std::string>(), r[1].as<std::string>());
    v1::ProgrammeFigures& f = figures[key];
    f.set_programme(ProgrammeEnum(key.first));
    f.set_area(AreaEnum(key.second));
    return f;
  };
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    const std::string first_month = MonthDate(absl::CivilMonth(start));
    const std::string last_month = MonthDate(absl::CivilMonth(end));
    // From the caseload roll-up: households and persons active on the period's last day (the
    // changes of every month up to its month), enrolments that started in the period's months.
    // A programme and area gets figures only where they are not zero, as when they were counted
    // from the rows themselves.
    for (const auto& r : txn.exec_params(
             "SELECT programme, area, coalesce(sum(households) FILTER (WHERE month <= $3::date), "
             "0)::bigint, coalesce(sum(persons) FILTER (WHERE month <= $3::date), 0)::bigint, "
             "coalesce(sum(enrolments_started) FILTER (WHERE month >= $2::date), 0)::bigint FROM "
             "caseload_changes WHERE region_code LIKE $1 || '%' AND month <= $3::date GROUP BY 1, "
             "2",
             region_prefix, first_month, last_month)) {
      const int64_t persons = r[3].as<int64_t>();
      const int64_t started = r[4].as<int64_t>();
      if (persons > 0) {
        auto& f = at(r);
        f.set_households(r[2].as<int64_t>());
        f.set_persons(persons);
      }
      if (started > 0) at(r).set_new_enrolments(started);
    }
    // From the payment roll-up: money paid for the period's months.
    for (const auto& r : txn.exec_params(
             "SELECT programme, area, sum(amount_fen)::bigint FROM payment_totals WHERE "
             "region_code LIKE $1 || '%' AND month BETWEEN $2::date AND $3::date GROUP BY 1, 2 "
             "HAVING sum(payments) > 0",
             region_prefix, first_month, last_month)) {
      at(r).set_paid_fen(r[2].as<int64_t>());
    }
    // Exits on the period's days (index enrolment_members_exited): a household counts once in
    // the total (grouping(exit_reason) = 1) and once per reason any member left for, reasons in
    // name order; a person once. Households and persons, not enrolments: one that leaves,
    // re-enrols and leaves again in the period is one household (the seed counts 户 and 人).
    for (const auto& r : txn.exec_params(
             "SELECT e.programme, e.area, m.exit_reason, count(DISTINCT e.household_id), "
             "count(DISTINCT m.id_index), grouping(m.exit_reason) FROM enrolments e JOIN "
             "enrolment_members m USING "
             "(enrolment_id) WHERE e.region_code LIKE $1 || '%' AND m.exited_on BETWEEN $2::date "
             "AND $3::date GROUP BY GROUPING SETS ((1, 2), (1, 2, 3)) ORDER BY 6 DESC, 3",
             region_prefix, FormatDay(start), FormatDay(end))) {
      auto& f = at(r);
      if (r[5].as<int>() == 1) {
        f.set_exit_households(r[3].as<int64_t>());
        f.set_exit_persons(r[4].as<int64_t>());
      } else {
        auto* x = f.add_exits_by_reason();
        x->set_reason(ExitEnum(r[2].as<std::string>()));
        x->set_households(r[3].as<int64_t>());
        x->set_persons(r[4].as<int64_t>());
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  std::vector<v1::ProgrammeFigures> out;
  for (auto& [key, f] : figures) out.push_back(std::move(f));
  return out;
}

}  // namespace civil::assistance
