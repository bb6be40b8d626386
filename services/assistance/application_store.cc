#include "services/assistance/application_store.h"

#include <google/protobuf/util/time_util.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "civil/events/v1/events.pb.h"
#include "services/assistance/application.h"
#include "services/assistance/enrolment_store.h"
#include "services/assistance/household.h"
#include "services/assistance/programme_store_util.h"
#include "services/assistance/standard_store.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/outbox.h"
#include "services/common/values.h"

namespace civil::assistance {

using google::protobuf::util::TimeUtil;

namespace {

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
  a->set_notice_start(TextOf(r[11]));
  a->set_notice_end(TextOf(r[12]));
  a->set_objections(r[13].as<int>());
  a->set_decided_on(TextOf(r[14]));
  a->set_decision_reason(r[15].as<std::string>());
  a->set_monthly_amount_fen(r[16].as<int64_t>());
  a->set_enrolment_id(r[17].as<std::string>());
  a->set_submitted_by(r[18].as<std::string>());
  a->set_submitted_on(r[19].as<std::string>());
}

absl::StatusOr<v1::Application> LoadApplication(pqxx::transaction_base& txn, const std::string& id,
                                                bool for_update) {
  pqxx::result rows =
      txn.exec_prepared(for_update ? "application_get_for_update" : "application_get", id);
  if (rows.empty()) return absl::NotFoundError(NotFound("application_id", "application"));
  v1::Application a;
  ApplicationFromRow(rows[0], &a);
  for (const auto& r : txn.exec_prepared("application_get_circumstances", id)) {
    auto* c = a.add_circumstances();
    c->set_member_id(r[0].as<std::string>());
    c->set_seriously_ill(r[1].as<bool>());
    c->set_severely_disabled(r[2].as<bool>());
  }
  for (const auto& r : txn.exec_prepared("application_get_history", id)) {
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
                              absl::string_view action, const std::string& actor,
                              absl::CivilDay happened, const std::string& note, bool late) {
  txn.exec_prepared("application_append_application_history", id, std::string(action), actor,
                    FormatDay(happened), note, late);
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
  for (const auto& r : txn.exec_prepared("application_active_members", household_id)) {
    people.push_back(
        {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), DayOf(r[3])});
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
    pqxx::result r = txn.exec_prepared("application_check_not_enrolled", p.id_index, group);
    if (!r.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": ", p.id_masked, " is already enrolled in ", r[0][0].as<std::string>()));
    }
  }
  return absl::OkStatus();
}

// The facts the application rules decide on (application.h), from the loaded row.
ApplicationFacts FactsOf(const v1::Application& a) {
  ApplicationFacts f;
  f.status = static_cast<ApplicationStatus>(a.status());
  f.programme = static_cast<Programme>(a.programme());
  f.submitted_by = a.submitted_by();
  f.submitted_on = ParseDay(a.submitted_on()).value_or(absl::CivilDay());
  if (absl::StatusOr<absl::CivilDay> end = ParseDay(a.notice_end()); end.ok()) f.notice_end = *end;
  f.assets_ok = a.assets_within_limits();
  return f;
}

}  // namespace

ApplicationStore::ApplicationStore(PgPool* pool, const PiiProtector* pii,
                                   const AssistanceRules& rules)
    : pool_(pool), pii_(pii), rules_(rules) {
  pool_->Prepare("application_get",
                 absl::StrCat("SELECT ", kApplicationColumns,
                              " FROM applications a WHERE a.application_id = $1::uuid"));
  pool_->Prepare("application_get_for_update",
                 absl::StrCat("SELECT ", kApplicationColumns,
                              " FROM applications a WHERE a.application_id = $1::uuid FOR UPDATE"));
  pool_->Prepare("application_get_circumstances",
                 "SELECT member_id::text, seriously_ill, severely_disabled FROM "
                 "application_circumstances WHERE application_id = $1::uuid ORDER BY member_id");
  pool_->Prepare("application_get_history",
                 "SELECT action, actor, happened_on::text, "
                 "(extract(epoch from recorded_at) * 1000000)::bigint, note, late_entry "
                 "FROM application_history WHERE application_id = $1::uuid ORDER BY history_id");
  pool_->Prepare(
      "application_append_application_history",
      "INSERT INTO application_history (application_id, action, actor, happened_on, note, "
      "late_entry) VALUES ($1::uuid, $2, $3, $4::date, $5, $6)");
  pool_->Prepare(
      "application_active_members",
      "SELECT member_id::text, id_index, id_masked, birth_date::text FROM household_members "
      "WHERE household_id = $1::uuid AND active ORDER BY position");
  pool_->Prepare(
      "application_check_not_enrolled",
      "SELECT e.programme FROM enrolment_members m JOIN enrolments e USING (enrolment_id) "
      "WHERE m.id_index = $1 AND m.exclusive_group = $2 AND m.active LIMIT 1");
  pool_->Prepare("application_create_select_households",
                 "SELECT region_code, area FROM households WHERE household_id = $1::uuid");
  pool_->Prepare("application_create_insert_applications",
                 "INSERT INTO applications (programme, household_id, member_id, region_code, area, "
                 "status, care_mode, submitted_by, submitted_on) VALUES ($1, $2::uuid, "
                 "NULLIF($3, '')::uuid, $4, $5, 'SUBMITTED', $6, $7, $8::date) "
                 "RETURNING application_id::text");
  pool_->Prepare(
      "application_list",
      absl::StrCat("SELECT ", kApplicationColumns,
                   " FROM applications a WHERE a.region_code LIKE $1 || '%' AND ($2 = '' OR "
                   "a.status = $2) AND ($3 = '' OR a.programme = $3) AND a.seq > $4 "
                   "ORDER BY a.seq LIMIT $5"));
  pool_->Prepare("application_step_select_household_members",
                 "SELECT birth_date::text FROM household_members WHERE member_id = $1::uuid");
  pool_->Prepare("application_step_update_applications",
                 "UPDATE applications SET status = 'INVESTIGATED', monthly_income_fen = $2, "
                 "assets_ok = $3, visit_note = $4 WHERE application_id = $1::uuid");
  pool_->Prepare("application_step_select_household_members_2",
                 "SELECT member_id::text FROM household_members WHERE household_id = $1::uuid "
                 "AND active");
  pool_->Prepare("application_step_delete_application_circumstances",
                 "DELETE FROM application_circumstances WHERE application_id = $1::uuid");
  pool_->Prepare("application_step_insert_application_circumstances",
                 "INSERT INTO application_circumstances VALUES ($1::uuid, $2::uuid, $3, $4)");
  pool_->Prepare("application_step_insert_application_tekun_grounds",
                 "INSERT INTO application_tekun_grounds (application_id, category, "
                 "no_work_capacity, no_income, no_supporter) VALUES ($1::uuid, $2, $3, $4, $5)");
  pool_->Prepare("application_step_insert_application_rigid_expenses",
                 "INSERT INTO application_rigid_expenses (application_id, medical_fen, "
                 "education_fen) VALUES ($1::uuid, $2, $3)");
  pool_->Prepare("application_step_update_applications_2",
                 "UPDATE applications SET status = 'IN_NOTICE', notice_start = $2::date, "
                 "notice_end = $3::date WHERE application_id = $1::uuid");
  pool_->Prepare(
      "application_step_update_applications_3",
      "UPDATE applications SET objections = objections + 1 WHERE application_id = $1::uuid");
  pool_->Prepare("application_step_update_applications_4",
                 "UPDATE applications SET status = 'REJECTED', decided_on = $2::date, "
                 "decision_reason = $3 WHERE application_id = $1::uuid");
  pool_->Prepare("application_reopen_rejected_select_applications",
                 "SELECT status, household_id::text, programme, coalesce(member_id::text, '') "
                 "FROM applications WHERE application_id = $1::uuid FOR UPDATE");
  pool_->Prepare(
      "application_reopen_rejected_select_applications_2",
      "SELECT count(*) FROM applications WHERE household_id = $1::uuid AND programme = $2 AND "
      "coalesce(member_id::text, '') = $3 AND status IN ('SUBMITTED', 'INVESTIGATED', "
      "'IN_NOTICE')");
  pool_->Prepare(
      "application_reopen_rejected_update_applications",
      "UPDATE applications SET status = 'SUBMITTED', notice_start = NULL, notice_end = NULL, "
      "decided_on = NULL, decision_reason = '' WHERE application_id = $1::uuid");
  pool_->Prepare("application_approve_select_application_tekun_grounds",
                 "SELECT category, no_work_capacity, no_income, no_supporter "
                 "FROM application_tekun_grounds WHERE application_id = $1::uuid");
  pool_->Prepare("application_approve_select_application_rigid_expenses",
                 "SELECT medical_fen, education_fen FROM application_rigid_expenses "
                 "WHERE application_id = $1::uuid");
  pool_->Prepare(
      "application_approve_insert_enrolments",
      "INSERT INTO enrolments (programme, area, household_id, region_code, start_month, "
      "care_mode, review_due, application_id, investigated_income_fen) VALUES ($1, $2, "
      "$3::uuid, $4, $5::date, $6, $7::date, $8::uuid, $9) RETURNING enrolment_id::text");
  pool_->Prepare(
      "application_approve_insert_enrolment_members",
      "INSERT INTO enrolment_members (enrolment_id, member_id, id_index, exclusive_group, "
      "start_month, member_birth_date, member_seriously_ill, member_severely_disabled) "
      "VALUES ($1::uuid, $2::uuid, $3, $4, $5::date, $6::date, $7, $8)");
  pool_->Prepare("application_approve_insert_enrolment_amounts",
                 "INSERT INTO enrolment_amounts VALUES ($1::uuid, $2::date, $3, $4)");
  pool_->Prepare("application_approve_update_applications",
                 "UPDATE applications SET status = 'APPROVED', decided_on = $2::date, "
                 "decision_reason = $3, monthly_amount_fen = $4, enrolment_id = $5::uuid "
                 "WHERE application_id = $1::uuid");
}

absl::StatusOr<v1::Application> ApplicationStore::Create(const Actor& actor, Programme programme,
                                                         const std::string& household_id,
                                                         const std::string& member_id,
                                                         int care_mode, absl::CivilDay submitted_on,
                                                         absl::CivilDay today) {
  v1::Application out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result h = txn.exec_prepared("application_create_select_households", household_id);
    if (h.empty()) return absl::NotFoundError(NotFound("household_id", "household"));
    CIVIL_RETURN_IF_ERROR(actor.check_region("household_id", h[0][0].as<std::string>()));
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
    if (ExcludesEnrolledAtFiling(programme)) {
      if (absl::Status s = CheckNotEnrolled(txn, people, ExclusiveGroup(programme),
                                            member_id.empty() ? "household_id" : "member_id");
          !s.ok()) {
        return s;
      }
    }
    try {
      pqxx::row r =
          txn.exec_prepared1("application_create_insert_applications",
                             std::string(ProgrammeName(programme)), household_id, member_id, region,
                             area, CareName(care_mode), actor.subject, FormatDay(submitted_on));
      const std::string id = r[0].as<std::string>();
      AppendApplicationHistory(txn, id, "SUBMITTED", actor.subject, submitted_on, "",
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

absl::StatusOr<v1::Application> ApplicationStore::Get(const Actor& actor,
                                                      const std::string& application_id) {
  absl::StatusOr<v1::Application> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    out = LoadApplication(txn, application_id, false);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (out.ok()) {
    if (absl::Status s = ScopeForRead(actor, out->region_code(), "application_id", "application");
        !s.ok()) {
      return s;
    }
  }
  return out;
}

absl::StatusOr<std::vector<v1::Application>> ApplicationStore::List(
    const std::string& region_prefix, const std::string& status_name, int programme, int64_t after,
    int page_size, int64_t* next) {
  std::vector<v1::Application> out;
  *next = 0;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(
        "application_list", region_prefix, status_name,
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

absl::StatusOr<v1::Application> ApplicationStore::Step(const Actor& actor,
                                                       const ApplicationStep& step,
                                                       absl::CivilDay today) {
  v1::Application out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<v1::Application> app = LoadApplication(txn, step.application_id, true);
    if (!app.ok()) return app.status();
    if (absl::Status s = actor.check_region("application_id", app->region_code()); !s.ok()) {
      return s;
    }
    CIVIL_RETURN_IF_ERROR(CheckStep(FactsOf(*app), step.action, step.happened_on));
    const std::string day = FormatDay(step.happened_on);
    const bool late = IsLateEntry(rules_, step.happened_on, today);
    switch (step.action) {
      case ApplicationAction::kInvestigate: {
        const auto programme = static_cast<Programme>(app->programme());
        // The applicant's birth date, which the 特困 category is checked against.
        std::optional<absl::CivilDay> birth;
        if (step.tekun_grounds.has_value() && programme == Programme::kTekun) {
          pqxx::result born =
              txn.exec_prepared("application_step_select_household_members", app->member_id());
          if (born.empty()) return absl::NotFoundError(NotFound("member_id", "member"));
          CIVIL_ASSIGN_OR_RETURN(birth, ParseDay(born[0][0].as<std::string>()));
        }
        CIVIL_RETURN_IF_ERROR(CheckInvestigation(programme, step.tekun_grounds, birth,
                                                 step.rigid_expenses.has_value(),
                                                 step.happened_on));
        txn.exec_prepared("application_step_update_applications", step.application_id,
                          step.income_fen, step.assets_ok, step.note);
        std::set<std::string> members;
        for (const auto& r : txn.exec_prepared("application_step_select_household_members_2",
                                               app->household_id())) {
          members.insert(r[0].as<std::string>());
        }
        txn.exec_prepared("application_step_delete_application_circumstances", step.application_id);
        for (size_t i = 0; i < step.circumstances.size(); ++i) {
          const auto& c = step.circumstances[i];
          if (!members.contains(c.member_id())) {
            return absl::InvalidArgumentError(absl::StrCat(
                "circumstances[", i, "].member_id: not an active member of the household"));
          }
          txn.exec_prepared("application_step_insert_application_circumstances",
                            step.application_id, c.member_id(), c.seriously_ill(),
                            c.severely_disabled());
        }
        if (step.tekun_grounds.has_value()) {
          txn.exec_prepared("application_step_insert_application_tekun_grounds",
                            step.application_id,
                            std::string(TekunCategoryName(step.tekun_grounds->category)),
                            step.tekun_grounds->no_work_capacity, step.tekun_grounds->no_income,
                            step.tekun_grounds->no_supporter);
        }
        if (step.rigid_expenses.has_value()) {
          txn.exec_prepared("application_step_insert_application_rigid_expenses",
                            step.application_id, step.rigid_expenses->medical.fen(),
                            step.rigid_expenses->education.fen());
        }
        AppendApplicationHistory(txn, step.application_id, "INVESTIGATED", actor.subject,
                                 step.happened_on, step.note, late);
        break;
      }
      case ApplicationAction::kPublish:
        txn.exec_prepared("application_step_update_applications_2", step.application_id, day,
                          FormatDay(NoticeEnd(step.happened_on)));
        AppendApplicationHistory(txn, step.application_id, "PUBLISHED", actor.subject,
                                 step.happened_on, step.note, late);
        break;
      case ApplicationAction::kObject:
        txn.exec_prepared("application_step_update_applications_3", step.application_id);
        AppendApplicationHistory(txn, step.application_id, "OBJECTION", actor.subject,
                                 step.happened_on, step.note, late);
        break;
      case ApplicationAction::kReject:
        txn.exec_prepared("application_step_update_applications_4", step.application_id, day,
                          step.note);
        AppendApplicationHistory(txn, step.application_id, "REJECTED", actor.subject,
                                 step.happened_on, step.note, late);
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
  pqxx::result rows =
      txn.exec_prepared("application_reopen_rejected_select_applications", request.case_id);
  if (rows.empty()) return absl::NotFoundError(NotFound("case_id", "application"));
  CIVIL_ASSIGN_OR_RETURN(const ApplicationStatus status,
                         ApplicationStatusFromName(rows[0][0].as<std::string>()));
  CIVIL_RETURN_IF_ERROR(CheckReopenRejected(status));
  const pqxx::row open = txn.exec_prepared1(
      "application_reopen_rejected_select_applications_2", rows[0][1].as<std::string>(),
      rows[0][2].as<std::string>(), rows[0][3].as<std::string>());
  if (open[0].as<int64_t>() > 0) {
    return absl::FailedPreconditionError(
        "case_id: the household has another open application of the programme");
  }
  txn.exec_prepared("application_reopen_rejected_update_applications", request.case_id);
  AppendApplicationHistory(txn, request.case_id, "REOPENED", request.actor, request.day,
                           absl::StrCat("grievance ", request.grievance_id, " upheld"),
                           /*late=*/false);
  return std::string("application back to investigation");
}

absl::StatusOr<std::pair<v1::Application, v1::Enrolment>> ApplicationStore::Approve(
    const Actor& actor, const ApplicationStep& step, absl::CivilDay today) {
  std::pair<v1::Application, v1::Enrolment> out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<v1::Application> app = LoadApplication(txn, step.application_id, true);
    if (!app.ok()) return app.status();
    if (absl::Status s = actor.check_region("application_id", app->region_code()); !s.ok()) {
      return s;
    }
    ApplicationFacts facts = FactsOf(*app);
    const Programme programme = facts.programme;
    if (programme == Programme::kTekun) {
      pqxx::result g = txn.exec_prepared("application_approve_select_application_tekun_grounds",
                                         step.application_id);
      if (!g.empty()) {
        CIVIL_ASSIGN_OR_RETURN(const TekunCategory category,
                               TekunCategoryFromName(g[0][0].as<std::string>()));
        facts.tekun_grounds =
            TekunGrounds{category, g[0][1].as<bool>(), g[0][2].as<bool>(), g[0][3].as<bool>()};
      }
    }
    // Maker ≠ checker, the notice, the investigation's findings: the domain's decision.
    CIVIL_ASSIGN_OR_RETURN(const ApprovalDecision decision,
                           DecideApproval(facts, actor.subject, step.happened_on));
    const absl::CivilMonth start = decision.start;
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
    std::optional<RigidExpenses> expenses;
    if (programme == Programme::kExpenditureHardship) {
      pqxx::result e = txn.exec_prepared("application_approve_select_application_rigid_expenses",
                                         step.application_id);
      if (!e.empty()) {
        expenses =
            RigidExpenses{Money::Fen(e[0][0].as<int64_t>()), Money::Fen(e[0][1].as<int64_t>())};
      }
    }
    // The members' facts of the investigation, which the 低保 amount is computed on.
    std::vector<MemberFacts> members;
    for (const HouseholdPerson& p : people) {
      MemberFacts f{p.birth_date};
      for (const auto& c : app->circumstances()) {
        if (c.member_id() == p.member_id) {
          f.seriously_ill = c.seriously_ill();
          f.severely_disabled = c.severely_disabled();
        }
      }
      members.push_back(f);
    }
    CIVIL_ASSIGN_OR_RETURN(const StandardValues standard,
                           StandardStore::InForce(txn, ApprovalStandardProgramme(programme), area,
                                                  app->region_code(), start));
    CIVIL_ASSIGN_OR_RETURN(
        const Money amount,
        ApprovalAmount(programme, standard, members,
                       Money::Fen(app->household_monthly_income_fen()), expenses, start));
    if (absl::Status s = CheckNotEnrolled(txn, people, ExclusiveGroup(programme), "household_id");
        !s.ok()) {
      return s;
    }
    const std::string enrolment_id =
        txn.exec_prepared1("application_approve_insert_enrolments",
                           std::string(ProgrammeName(programme)), area, app->household_id(),
                           app->region_code(), MonthDay(start), CareName(app->care_mode()),
                           FormatDay(ReviewDue(rules_, programme, area == "URBAN", start)),
                           app->application_id(), app->household_monthly_income_fen())[0]
            .as<std::string>();
    for (size_t i = 0; i < people.size(); ++i) {
      const HouseholdPerson& p = people[i];
      // The member's facts of the investigation, which each month's 低保 amount is computed on.
      const bool ill = members[i].seriously_ill;
      const bool disabled = members[i].severely_disabled;
      try {
        txn.exec_prepared("application_approve_insert_enrolment_members", enrolment_id, p.member_id,
                          p.id_index, ExclusiveGroup(programme), MonthDay(start),
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
      started.set_region_code(app->region_code());
      WriteEvent(txn, "assistance", {p.id_index, p.id_masked}, started);
    }
    txn.exec_prepared("application_approve_insert_enrolment_amounts", enrolment_id, MonthDay(start),
                      amount.fen(), static_cast<int>(people.size()));
    const bool late = IsLateEntry(rules_, step.happened_on, today);
    EnrolmentStore::AppendHistory(txn, enrolment_id, "ENROLLED", actor.subject, step.happened_on,
                                  absl::StrCat("amount_fen=", amount.fen()), late);
    txn.exec_prepared("application_approve_update_applications", step.application_id,
                      FormatDay(step.happened_on), step.note, amount.fen(), enrolment_id);
    AppendApplicationHistory(txn, step.application_id, "APPROVED", actor.subject, step.happened_on,
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

}  // namespace civil::assistance
