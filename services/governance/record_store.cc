#include "services/governance/record_store.h"

#include <map>
#include <set>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::governance {
namespace {

std::vector<std::string> SplitTags(const std::string& joined) {
  return absl::StrSplit(joined, ';', absl::SkipEmpty());
}

const std::string& RecordColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "r.record_id::text, r.grid_id::text, g.grid_code, g.village_code, r.name, r.id_masked, "
      "r.address, r.household, array_to_string(r.tags, ';'), r.status, r.submitted_by, "
      "r.submitted_on::text, r.reviewed_by, r.reviewed_on::text, r.return_reason, ",
      MicrosOf("r.updated_at"), ", r.seq, r.id_cipher"));
  return *columns;
}

StoredRecord RecordFromRow(const pqxx::row& row) {
  StoredRecord r;
  r.record_id = row[0].as<std::string>();
  r.grid_id = row[1].as<std::string>();
  r.grid_code = row[2].as<std::string>();
  r.village_code = row[3].as<std::string>();
  r.name = row[4].as<std::string>();
  r.id_masked = row[5].as<std::string>();
  r.address = row[6].as<std::string>();
  r.household = row[7].as<std::string>();
  r.tags = SplitTags(row[8].as<std::string>());
  r.status = static_cast<RecordStatus>(kRecordStatusNames.Value(row[9].as<std::string>()));
  r.submitted_by = row[10].as<std::string>();
  r.submitted_on = DayOf(row[11]);
  r.reviewed_by = row[12].as<std::string>();
  r.reviewed_on = OptionalDayOf(row[13]);
  r.return_reason = row[14].as<std::string>();
  r.update_time_micros = row[15].as<int64_t>();
  r.seq = row[16].as<int64_t>();
  r.id_cipher = pqxx::binarystring(row[17]).str();
  return r;
}

const std::string kFromRecords = " FROM resident_records r JOIN grids g USING (grid_id) ";

}  // namespace

RecordStore::RecordStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {
  // The records of a batch's keys ($1 grid ids, $2 blind indexes), locked in one order (two
  // overlapping batches then wait for each other instead of deadlocking).
  pool_->Prepare(
      "record_existing",
      "SELECT r.grid_id::text, r.id_index, r.status, r.name, r.address, r.household, "
      "array_to_string(r.tags, ';'), coalesce(r.reviewed_on, r.submitted_on)::text FROM "
      "resident_records r JOIN unnest($1::uuid[], "
      "$2::text[]) AS k(g, i) ON r.grid_id = k.g AND r.id_index = k.i ORDER BY r.record_id FOR "
      "UPDATE OF r");
  pool_->Prepare(
      "record_insert",
      "INSERT INTO resident_records (grid_id, name, id_cipher, id_index, id_masked, "
      "address, household, tags, status, submitted_by, submitted_on, created_by) "
      "SELECT g, n, decode(c, 'hex'), i, m, a, h, string_to_array(t, ';'), "
      "'SUBMITTED', $9, d::date, $9 FROM unnest($1::uuid[], $2::text[], $3::text[], "
      "$4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $10::text[]) AS u(g, "
      "n, c, i, m, a, h, t, d) ON CONFLICT (grid_id, id_index) DO NOTHING RETURNING record_id");
  pool_->Prepare("record_resubmit",
                 "UPDATE resident_records r SET name = u.n, address = u.a, household = u.h, tags "
                 "= string_to_array(u.t, ';'), status = 'SUBMITTED', submitted_by = $7, "
                 "submitted_on = u.d::date, reviewed_by = '', reviewed_on = NULL, return_reason = "
                 "'', updated_at = now() FROM unnest($1::uuid[], $2::text[], $3::text[], "
                 "$4::text[], $5::text[], $6::text[], $8::text[]) AS u(g, i, n, a, h, t, d) WHERE "
                 "r.grid_id = u.g AND r.id_index = u.i AND r.status = 'RETURNED' RETURNING "
                 "r.record_id::text, u.d");
  pool_->Prepare("record_event",
                 "INSERT INTO record_events (record_id, action, actor, on_date, reason) SELECT "
                 "unnest($1::uuid[]), $2, $3, $4::date, $5");
  pool_->Prepare("record_event_dated",
                 "INSERT INTO record_events (record_id, action, actor, on_date, reason) SELECT "
                 "u.id, $2, $3, u.d::date, '' FROM unnest($1::uuid[], $4::text[]) AS u(id, d)");
  pool_->Prepare("record_get", absl::StrCat("SELECT ", RecordColumns(), kFromRecords,
                                            "WHERE r.record_id = $1::uuid"));
  pool_->Prepare("record_by_key", absl::StrCat("SELECT ", RecordColumns(), kFromRecords,
                                               "WHERE r.grid_id = $1::uuid AND r.id_index = $2"));
  pool_->Prepare("record_lock_many",
                 absl::StrCat("SELECT ", RecordColumns(), kFromRecords,
                              "WHERE r.record_id = ANY($1::uuid[]) ORDER BY r.record_id FOR "
                              "UPDATE OF r"));
  pool_->Prepare("record_review_many",
                 "UPDATE resident_records SET status = $2, reviewed_by = $3, reviewed_on = "
                 "$4::date, return_reason = $5, updated_at = now() WHERE record_id = "
                 "ANY($1::uuid[])");
  // The worklist: one grid, with or without a status; a region, with or without a status.
  pool_->Prepare("record_list_grid_status",
                 absl::StrCat("SELECT ", RecordColumns(), kFromRecords,
                              "WHERE r.grid_id = $1::uuid AND r.status = $2 AND r.seq > $3 "
                              "ORDER BY r.seq LIMIT $4"));
  pool_->Prepare("record_list_grid",
                 absl::StrCat("SELECT ", RecordColumns(), kFromRecords,
                              "WHERE r.grid_id = $1::uuid AND r.seq > $2 ORDER BY r.seq LIMIT $3"));
  pool_->Prepare("record_list_region_status",
                 absl::StrCat("SELECT ", RecordColumns(), kFromRecords,
                              "WHERE g.village_code LIKE $1 || '%' AND r.status = $2 AND r.seq > "
                              "$3 ORDER BY r.seq LIMIT $4"));
  pool_->Prepare("record_list_region",
                 absl::StrCat("SELECT ", RecordColumns(), kFromRecords,
                              "WHERE g.village_code LIKE $1 || '%' AND r.seq > $2 ORDER BY r.seq "
                              "LIMIT $3"));
  // A township's or village's records, grid by grid ($2 the grid's position, $3 the record's).
  const std::string by_grid_select =
      absl::StrCat("SELECT ", RecordColumns(),
                   ", g.seq FROM grids g CROSS JOIN LATERAL (SELECT * FROM "
                   "resident_records r0 WHERE r0.grid_id = g.grid_id AND ");
  const std::string by_grid_tail =
      " AND (g.seq > $2 OR r0.seq > $3) ORDER BY r0.seq LIMIT $4) r WHERE g.village_code LIKE $1 "
      "|| '%' AND g.seq >= $2 ORDER BY g.seq, r.seq LIMIT $4";
  pool_->Prepare("record_list_by_grid_status",
                 absl::StrCat(by_grid_select, "r0.status = $5", by_grid_tail));
  pool_->Prepare("record_list_by_grid", absl::StrCat(by_grid_select, "TRUE", by_grid_tail));
  pool_->Prepare("record_figures",
                 absl::StrCat("SELECT count(*) FILTER (WHERE r.status = 'REVIEWED' AND "
                              "r.reviewed_on <= $3::date), count(*) FILTER (WHERE r.status = "
                              "'REVIEWED' AND r.reviewed_on BETWEEN $2::date AND $3::date), "
                              "count(*) FILTER (WHERE r.submitted_on <= $3::date)",
                              kFromRecords, "WHERE g.village_code LIKE $1 || '%'"));
}

absl::StatusOr<BatchResult> RecordStore::WriteBatch(const std::vector<RecordToWrite>& rows,
                                                    const std::string& actor) {
  struct Protected {
    const RecordToWrite* row;
    StoredId id;
    RecordContent content;
  };
  std::vector<Protected> batch;
  batch.reserve(rows.size());
  std::vector<std::string> keys_grid, keys_index;
  for (const RecordToWrite& r : rows) {
    CIVIL_ASSIGN_OR_RETURN(StoredId id, ProtectId(*pii_, r.draft.id));
    keys_grid.push_back(r.grid_id);
    keys_index.push_back(id.index);
    batch.push_back(
        Protected{&r, std::move(id),
                  RecordContent{r.draft.name, r.draft.address, r.draft.household, r.draft.tags}});
  }
  BatchResult result;
  if (batch.empty()) return result;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    result = BatchResult();
    struct Existing {
      RecordStatus status;
      RecordContent content;
      absl::CivilDay last_on;  // the return's day for a RETURNED record
    };
    std::map<std::pair<std::string, std::string>, Existing> existing;
    for (const auto& row :
         txn.exec_prepared("record_existing", ArrayLiteral(keys_grid), ArrayLiteral(keys_index))) {
      existing[{row[0].as<std::string>(), row[1].as<std::string>()}] =
          Existing{static_cast<RecordStatus>(kRecordStatusNames.Value(row[2].as<std::string>())),
                   RecordContent{row[3].as<std::string>(), row[4].as<std::string>(),
                                 row[5].as<std::string>(), SplitTags(row[6].as<std::string>())},
                   DayOf(row[7])};
    }
    std::set<std::pair<std::string, std::string>> seen;
    std::vector<std::string> ins_g, ins_n, ins_c, ins_i, ins_m, ins_a, ins_h, ins_t, ins_d;
    std::vector<std::string> up_g, up_i, up_n, up_a, up_h, up_t, up_d;
    for (size_t index = 0; index < batch.size(); ++index) {
      const Protected& p = batch[index];
      std::pair<std::string, std::string> key{p.row->grid_id, p.id.index};
      if (!seen.insert(key).second) {
        ++result.unchanged;  // the batch's first row of this grid and person decided
        continue;
      }
      auto it = existing.find(key);
      const SubmitOutcome outcome = DecideSubmission(
          it == existing.end() ? std::nullopt : std::optional<RecordStatus>(it->second.status),
          it == existing.end() ? RecordContent{} : it->second.content, p.content);
      const std::string tags = absl::StrJoin(p.content.tags, ";");
      const std::string day = FormatDay(p.row->draft.submitted_on);
      if (outcome == SubmitOutcome::kResubmitted) {
        if (absl::Status s = CheckResubmission(it->second.last_on, p.row->draft.submitted_on);
            !s.ok()) {
          result.rejected.emplace_back(index, std::string(s.message()));
          continue;
        }
      }
      if (outcome == SubmitOutcome::kCreated) {
        ins_g.push_back(key.first);
        ins_n.push_back(p.content.name);
        ins_c.push_back(absl::BytesToHexString(p.id.cipher));
        ins_i.push_back(key.second);
        ins_m.push_back(p.id.masked);
        ins_a.push_back(p.content.address);
        ins_h.push_back(p.content.household);
        ins_t.push_back(tags);
        ins_d.push_back(day);
      } else if (outcome == SubmitOutcome::kResubmitted) {
        up_g.push_back(key.first);
        up_i.push_back(key.second);
        up_n.push_back(p.content.name);
        up_a.push_back(p.content.address);
        up_h.push_back(p.content.household);
        up_t.push_back(tags);
        up_d.push_back(day);
      } else {
        ++result.unchanged;
      }
    }
    if (!ins_g.empty()) {
      const pqxx::result inserted = txn.exec_prepared(
          "record_insert", ArrayLiteral(ins_g), ArrayLiteral(ins_n), ArrayLiteral(ins_c),
          ArrayLiteral(ins_i), ArrayLiteral(ins_m), ArrayLiteral(ins_a), ArrayLiteral(ins_h),
          ArrayLiteral(ins_t), actor, ArrayLiteral(ins_d));
      result.created += static_cast<int64_t>(inserted.size());
      // Created meanwhile by a concurrent import: that one's row stands.
      result.unchanged += static_cast<int64_t>(ins_g.size() - inserted.size());
    }
    if (!up_g.empty()) {
      std::vector<std::string> ids, days;
      for (const auto& row :
           txn.exec_prepared("record_resubmit", ArrayLiteral(up_g), ArrayLiteral(up_i),
                             ArrayLiteral(up_n), ArrayLiteral(up_a), ArrayLiteral(up_h),
                             ArrayLiteral(up_t), actor, ArrayLiteral(up_d))) {
        ids.push_back(row[0].as<std::string>());
        days.push_back(row[1].as<std::string>());
      }
      result.resubmitted += static_cast<int64_t>(ids.size());
      result.unchanged += static_cast<int64_t>(up_g.size() - ids.size());
      if (!ids.empty()) {
        txn.exec_prepared("record_event_dated", ArrayLiteral(ids), "RESUBMITTED", actor,
                          ArrayLiteral(days));
      }
    }
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::pair<StoredRecord, SubmitOutcome>> RecordStore::Submit(
    const RecordToWrite& row, const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const BatchResult result, WriteBatch({row}, actor));
  if (!result.rejected.empty()) {
    return absl::FailedPreconditionError(result.rejected.front().second);
  }
  const SubmitOutcome outcome = result.created > 0       ? SubmitOutcome::kCreated
                                : result.resubmitted > 0 ? SubmitOutcome::kResubmitted
                                                         : SubmitOutcome::kUnchanged;
  const std::string index = pii_->BlindIndex(row.draft.id.value());
  absl::StatusOr<StoredRecord> record = absl::InternalError("record_id: the record vanished");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("record_by_key", row.grid_id, index);
    if (!r.empty()) record = RecordFromRow(r[0]);
    return absl::OkStatus();
  }));
  if (!record.ok()) return record.status();
  return std::make_pair(*std::move(record), outcome);
}

absl::StatusOr<StoredRecord> RecordStore::Get(const std::string& record_id) {
  absl::StatusOr<StoredRecord> record = absl::NotFoundError("record_id: no such record");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("record_get", record_id);
    if (!r.empty()) record = RecordFromRow(r[0]);
    return absl::OkStatus();
  }));
  return record;
}

absl::StatusOr<std::pair<std::string, std::string>> RecordStore::Reveal(
    const StoredRecord& record) const {
  CIVIL_ASSIGN_OR_RETURN(std::string clear, pii_->Decrypt(record.id_cipher));
  std::string index = pii_->BlindIndex(clear);
  return std::make_pair(std::move(clear), std::move(index));
}

std::vector<ReviewRefusal> RecordStore::DecideIn(
    pqxx::transaction_base& txn, const std::vector<std::string>& record_ids,
    const std::string& reviewer, const ReviewDecision& decision,
    const std::function<absl::Status(const std::string&)>& check_scope) {
  std::vector<ReviewRefusal> refused;
  std::set<std::string> found;
  std::vector<std::string> decided;
  for (const auto& row : txn.exec_prepared("record_lock_many", ArrayLiteral(record_ids))) {
    const StoredRecord current = RecordFromRow(row);
    found.insert(current.record_id);
    absl::Status s = check_scope(current.village_code);
    if (s.ok()) {
      s = CheckReview(current.status, current.submitted_by, current.submitted_on, reviewer,
                      decision);
    }
    if (s.ok()) {
      decided.push_back(current.record_id);
    } else {
      refused.push_back(ReviewRefusal{current.record_id, std::move(s)});
    }
  }
  std::set<std::string> listed;
  for (const std::string& id : record_ids) {
    if (!found.contains(id) && listed.insert(id).second) {
      refused.push_back(ReviewRefusal{id, absl::NotFoundError("record_id: no such record")});
    }
  }
  if (decided.empty()) return refused;
  const std::string status(kRecordStatusNames.Name(static_cast<int>(decision.outcome)));
  const std::string day = FormatDay(decision.on);
  txn.exec_prepared("record_review_many", ArrayLiteral(decided), status, reviewer, day,
                    decision.outcome == RecordStatus::kReturned ? decision.reason : "");
  txn.exec_prepared("record_event", ArrayLiteral(decided), status, reviewer, day, decision.reason);
  return refused;
}

absl::StatusOr<StoredRecord> RecordStore::Review(
    const std::string& record_id, const std::string& reviewer, const ReviewDecision& decision,
    const std::function<absl::Status(const std::string&)>& check_scope) {
  StoredRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::vector<ReviewRefusal> refused =
        DecideIn(txn, {record_id}, reviewer, decision, check_scope);
    if (!refused.empty()) return refused.front().status;
    updated = RecordFromRow(txn.exec_prepared1("record_get", record_id));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<std::vector<ReviewRefusal>> RecordStore::ReviewBatch(
    const std::vector<std::string>& record_ids, const std::string& reviewer,
    const ReviewDecision& decision,
    const std::function<absl::Status(const std::string&)>& check_scope) {
  std::vector<ReviewRefusal> refused;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    refused = DecideIn(txn, record_ids, reviewer, decision, check_scope);
    return absl::OkStatus();
  }));
  return refused;
}

bool RecordStore::ListsByGrid(const std::string& grid_id, const std::string& region_prefix) {
  return grid_id.empty() && region_prefix.size() > 6;
}

absl::StatusOr<Page<StoredRecord>> RecordStore::List(const std::string& grid_id,
                                                     const std::string& region_prefix,
                                                     std::optional<RecordStatus> status,
                                                     int64_t after, int page_size) {
  const std::string status_name =
      status ? std::string(kRecordStatusNames.Name(static_cast<int>(*status))) : "";
  Page<StoredRecord> page;
  // A transaction rather than Read's single statement: the region walks below plan with a
  // SET LOCAL, which only holds inside one.
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) {
    page = Page<StoredRecord>();
    const int limit = page_size + 1;
    pqxx::result rows;
    if (ListsByGrid(grid_id, region_prefix)) {
      const int64_t grid_after = after >> kGridPositionShift;
      const int64_t record_after = after & ((int64_t{1} << kGridPositionShift) - 1);
      rows = status ? txn.exec_prepared("record_list_by_grid_status", region_prefix, grid_after,
                                        record_after, limit, status_name)
                    : txn.exec_prepared("record_list_by_grid", region_prefix, grid_after,
                                        record_after, limit);
      for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
        page.items.push_back(RecordFromRow(rows[i]));
        page.next_after = (rows[i][18].as<int64_t>() << kGridPositionShift) | page.items.back().seq;
      }
    } else if (!grid_id.empty() && status) {
      rows = txn.exec_prepared("record_list_grid_status", grid_id, status_name, after, limit);
    } else if (!grid_id.empty()) {
      rows = txn.exec_prepared("record_list_grid", grid_id, after, limit);
    } else if (status) {
      // The county's (or every) worklist walks the (status, seq) index in order, a page's worth.
      // Right after a bulk import the table has no statistics yet (the service's role may not
      // ANALYZE; autovacuum comes within a minute or so), and the planner, estimating a handful
      // of rows, sorted every record of the county instead: 69 ms a page at 20,000 records, 0.4 ms
      // this way (EXPLAIN ANALYZE). The walk is the right plan whatever the statistics say.
      txn.exec0("SET LOCAL enable_sort = off");
      rows =
          txn.exec_prepared("record_list_region_status", region_prefix, status_name, after, limit);
    } else {
      txn.exec0("SET LOCAL enable_sort = off");  // as above, on the seq index
      rows = txn.exec_prepared("record_list_region", region_prefix, after, limit);
    }
    if (!ListsByGrid(grid_id, region_prefix)) {
      for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
        page.items.push_back(RecordFromRow(rows[i]));
        page.next_after = page.items.back().seq;
      }
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<RecordFigures> RecordStore::Figures(const std::string& region_prefix,
                                                   absl::CivilDay start, absl::CivilDay end) {
  RecordFigures figures;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::row row =
        txn.exec_prepared1("record_figures", region_prefix, FormatDay(start), FormatDay(end));
    figures.reviewed_as_of = row[0].as<int64_t>();
    figures.reviewed_in_period = row[1].as<int64_t>();
    figures.submitted_as_of = row[2].as<int64_t>();
    return absl::OkStatus();
  }));
  return figures;
}

}  // namespace civil::governance
