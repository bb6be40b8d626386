#include "services/assistance/disbursement_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/assistance/programme_store_util.h"
#include "services/assistance/standard_store.h"
#include "services/common/id_number.h"

namespace civil::assistance {

using google::protobuf::util::TimeUtil;

namespace {

constexpr char kBatchColumns[] =
    "batch_id::text, programme, month::text, region_prefix, payments, total_fen, run_by, "
    "(extract(epoch from run_at) * 1000000)::bigint, adjustments, adjustments_fen";

v1::DisbursementBatch BatchFromRow(const pqxx::row& r) {
  v1::DisbursementBatch b;
  b.set_batch_id(r[0].as<std::string>());
  b.set_programme(ProgrammeEnum(r[1].as<std::string>()));
  b.set_month(MonthTextOf(r[2]));
  b.set_region_prefix(r[3].as<std::string>());
  b.set_payments(r[4].as<int64_t>());
  b.set_total_fen(r[5].as<int64_t>());
  b.set_run_by(r[6].as<std::string>());
  *b.mutable_run_at() = TimeUtil::MicrosecondsToTimestamp(r[7].as<int64_t>());
  b.set_adjustments_settled(r[8].as<int64_t>());
  b.set_adjustments_fen(r[9].as<int64_t>());
  return b;
}

// The statement paying one chunk of a run (prepared four times: 低保 or not, and whether the
// month was paid before in the region, which makes a regular payment already made a no-op).
// Each chunk pays its enrolments the amount for the month (AmountForMonth, benefit.h) in one
// set-based statement, in enrolment order, as one statement over the whole run would: the
// latest decided amount (enrolment_amounts) and whether a review set it, the standards in
// force now and when it was set (picked above), the investigated income and, for 低保, each
// enrolled member's supplement at the standards' amounts (ages on the month's first day), all
// from the enrolment's own rows (migration 0006). 低保 whose gap is not positive is paid
// nothing and held: a row in disbursement_holds, the review brought forward to the month's
// first day (ListReviewsDue lists it), a line in its history. The trigger of migration 0005
// adds each chunk's payments to payment_totals.
std::string PayChunkSql(bool dibao, bool paid_before) {
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
  return absl::StrCat(
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
}

}  // namespace

DisbursementStore::DisbursementStore(PgPool* pool, int chunk_size)
    : pool_(pool), chunk_size_(chunk_size > 0 ? chunk_size : kDefaultChunkSize) {
  pool_->Prepare(
      "disbursement_run_insert_disbursement_batches",
      "INSERT INTO disbursement_batches (programme, month, region_prefix, run_by) VALUES ($1, "
      "$2::date, $3, $4) ON CONFLICT (programme, month, region_prefix) DO NOTHING "
      "RETURNING batch_id::text");
  pool_->Prepare(
      "disbursement_run_select_disbursement_batches",
      absl::StrCat("SELECT ", kBatchColumns,
                   " FROM disbursement_batches WHERE programme = $1 AND month = $2::date "
                   "AND region_prefix = $3"));
  pool_->Prepare("disbursement_run_lock",
                 "SELECT pg_advisory_xact_lock(hashtext('assistance.disbursement:' || $1 || "
                 "':' || $2))");
  pool_->Prepare("disbursement_run_paid_before",
                 "SELECT EXISTS (SELECT 1 FROM payment_totals WHERE "
                 "programme = $1 AND month = $2::date AND region_code LIKE "
                 "$3 || '%' AND payments > 0)");
  pool_->Prepare(
      "disbursement_run_chunks",
      "WITH c AS MATERIALIZED (SELECT enrolment_id FROM enrolments WHERE programme = $1 AND "
      "region_code LIKE $2 || '%' AND start_month <= $3::date AND (end_month IS NULL OR "
      "end_month >= $3::date)) "
      "SELECT i, enrolment_id::text FROM (SELECT enrolment_id, row_number() OVER (ORDER BY "
      "enrolment_id) AS i FROM c) r WHERE i % $4 = 0 "
      "UNION ALL SELECT count(*), '' FROM c ORDER BY 1, 2 DESC");
  pool_->Prepare("disbursement_run_regions",
                 "SELECT DISTINCT area, region_code FROM enrolments WHERE programme = $1 AND "
                 "region_code LIKE $2 || '%' AND start_month <= $3::date AND (end_month IS NULL OR "
                 "end_month >= $3::date)");
  pool_->Prepare(
      "disbursement_run_review_months",
      "SELECT DISTINCT e.area, e.region_code, v.effective_month::text FROM "
      "enrolment_reviews v JOIN enrolments e USING (enrolment_id) WHERE e.programme = $1 "
      "AND e.region_code LIKE $2 || '%' AND v.outcome IN ('INCREASE', 'DECREASE') AND "
      "v.effective_month <= $3::date AND e.start_month <= $3::date AND (e.end_month IS "
      "NULL OR e.end_month >= $3::date)");
  pool_->Prepare(
      "disbursement_run_update_disbursement_batches",
      absl::StrCat("UPDATE disbursement_batches b SET payments = s.n, total_fen = s.total "
                   "FROM (SELECT coalesce(sum(payments), 0) AS n, coalesce(sum(amount_fen), 0) "
                   "AS total FROM payment_totals WHERE batch_id = $1::uuid) s "
                   "WHERE b.batch_id = $1::uuid RETURNING ",
                   kBatchColumns));
  // The programme's adjustment payments in the region no batch has settled, settled by this one
  // (each once: the primary key makes an overlapping batch skip what another took), counted on it.
  pool_->Prepare(
      "disbursement_run_settle_adjustments",
      "WITH settled AS (INSERT INTO adjustment_settlements (payment_id, batch_id) SELECT "
      "p.payment_id, $1::uuid FROM payments p WHERE p.kind = 'ADJUSTMENT' AND p.programme = $2 "
      "AND p.region_code LIKE $3 || '%' AND NOT EXISTS (SELECT 1 FROM adjustment_settlements s "
      "WHERE s.payment_id = p.payment_id) ORDER BY p.payment_id ON CONFLICT (payment_id) DO "
      "NOTHING RETURNING payment_id) UPDATE disbursement_batches SET adjustments = (SELECT "
      "count(*) FROM settled), adjustments_fen = (SELECT coalesce(sum(p.amount_fen), 0) FROM "
      "settled JOIN payments p USING (payment_id)) WHERE batch_id = $1::uuid");
  pool_->Prepare("disbursement_get",
                 absl::StrCat("SELECT ", kBatchColumns,
                              " FROM disbursement_batches WHERE batch_id = $1::uuid"));
  for (const bool dibao : {true, false}) {
    for (const bool again : {true, false}) {
      pool_->Prepare(
          absl::StrCat("disbursement_pay_", dibao ? "dibao_" : "", "chunk", again ? "_again" : ""),
          PayChunkSql(dibao, again));
    }
  }
}

absl::StatusOr<v1::DisbursementBatch> DisbursementStore::Run(
    const std::string& actor, Programme programme, absl::CivilMonth month,
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
    const std::string month_date = MonthDay(month);
    // A concurrent run of the same batch waits here on the unique key, then finds it made.
    pqxx::result inserted = txn.exec_prepared("disbursement_run_insert_disbursement_batches", name,
                                              month_date, region_prefix, actor);
    if (inserted.empty()) {
      out = BatchFromRow(txn.exec_prepared1("disbursement_run_select_disbursement_batches", name,
                                            month_date, region_prefix));
      return absl::OkStatus();
    }
    DisbursementProgress state{inserted[0][0].as<std::string>(), 0, 0};
    // Runs of the programme and month for other (overlapping) prefixes wait here for this one
    // to commit, so that each sees what the other paid.
    txn.exec_prepared("disbursement_run_lock", name, month_date);
    const bool paid_before = careful || txn.exec_prepared1("disbursement_run_paid_before", name,
                                                           month_date, region_prefix)[0]
                                            .as<bool>();
    // JIT compilation costs more than these statements take; sorts of 100,000 ids stay in memory.
    // (SET is not a statement PostgreSQL prepares: these two stay inline.)
    txn.exec("SET LOCAL jit = off");
    txn.exec("SET LOCAL work_mem = '64MB'");
    // The enrolments to pay, cut into chunks: every chunk_size-th enrolment_id closes one, the
    // last one is open-ended; the final row carries the count.
    pqxx::result bounds =
        txn.exec_prepared("disbursement_run_chunks", name, region_prefix, month_date, chunk_size_);
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
      for (const auto& r :
           txn.exec_prepared("disbursement_run_regions", name, region_prefix, month_date)) {
        const std::string area = r[0].as<std::string>();
        const std::vector<StandardRecord>& of_area = candidates[area];
        if (std::optional<size_t> i = StandardInForce(of_area, r[1].c_str(), month)) {
          now_area.push_back(area);
          now_region.push_back(r[1].as<std::string>());
          now_standard.push_back(of_area[*i].standard_id);
        }
      }
      for (const auto& r :
           txn.exec_prepared("disbursement_run_review_months", name, region_prefix, month_date)) {
        const std::string area = r[0].as<std::string>();
        const std::vector<StandardRecord>& of_area = candidates[area];
        const absl::CivilMonth from = MonthOf(r[2]);
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
    // Each chunk pays its enrolments in one set-based statement (PayChunkSql, prepared in the
    // constructor for each of its four forms).
    const bool dibao = programme == Programme::kDibao;
    const char* const pay_chunk =
        dibao
            ? (paid_before ? "disbursement_pay_dibao_chunk_again" : "disbursement_pay_dibao_chunk")
            : (paid_before ? "disbursement_pay_chunk_again" : "disbursement_pay_chunk");
    std::string after;
    for (size_t k = 0; k < bounds.size(); ++k) {
      const bool last = k + 1 == bounds.size();
      const std::string upto = last ? "" : bounds[k][1].as<std::string>();
      try {
        txn.exec_prepared(pay_chunk, state.batch_id, month_date, name, region_prefix, after, upto,
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
    // Back-payments of the programme in the region waiting for a bank file go with this batch.
    txn.exec_prepared("disbursement_run_settle_adjustments", state.batch_id, name, region_prefix);
    // The batch's count and total from the roll-up the chunks just fed, not a pass over them.
    out = BatchFromRow(
        txn.exec_prepared1("disbursement_run_update_disbursement_batches", state.batch_id));
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

absl::StatusOr<v1::DisbursementBatch> DisbursementStore::Get(const Actor& actor,
                                                             const std::string& batch_id) {
  absl::StatusOr<v1::DisbursementBatch> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("disbursement_get", batch_id);
    if (rows.empty()) {
      out = absl::NotFoundError(NotFound("batch_id", "disbursement batch"));
    } else {
      out = BatchFromRow(rows[0]);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (out.ok() && !actor.CanActOn(out->region_prefix())) {
    return absl::NotFoundError(NotFound("batch_id", "disbursement batch"));
  }
  return out;
}

}  // namespace civil::assistance
