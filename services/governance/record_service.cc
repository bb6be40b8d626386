#include "services/governance/record_service.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/governance/record_import.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.ResidentRecordService";
constexpr absl::string_view kPageKind = "resident-records";
constexpr absl::string_view kByGridPageKind = "resident-records-by-grid";

RecordRow FromProto(const v1::RecordRow& r) {
  return RecordRow{r.grid_code(), r.name(), r.id_number(),  r.address(),
                   r.household(), r.tags(), r.submit_date()};
}

// A validation failure of the nested `record` message, named as the client spells the field.
absl::Status Nested(absl::string_view prefix, const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument &&
      status.code() != absl::StatusCode::kFailedPrecondition) {
    return status;
  }
  return absl::Status(status.code(), absl::StrCat(prefix, ".", status.message()));
}

void ToProto(const ImportReport& report, v1::ImportRecordsResponse* out) {
  out->set_rows(report.rows);
  out->set_created(report.created);
  out->set_resubmitted(report.resubmitted);
  out->set_unchanged(report.unchanged);
  out->set_rejected(report.rejected);
  for (const RowError& e : report.errors) {
    v1::RowError* error = out->add_errors();
    error->set_row(e.row);
    error->set_field(e.field);
    error->set_problem(e.problem);
  }
  out->set_errors_truncated(report.errors_truncated);
}

// One import: rows in (validated one by one), batches of kImportBatchRows out (grid codes
// resolved and region scope checked per batch, then written by the store). Holds at most one
// batch; keeps the progress gauges (planned, done) while it runs.
class Importer {
 public:
  Importer(const Caller& caller, RecordStore* records, GridStore* grids, ImportMetrics* metrics,
           absl::CivilDay today)
      : caller_(caller), records_(records), grids_(grids), metrics_(metrics), today_(today) {}
  ~Importer() {
    metrics_->rows_planned->Decrement(static_cast<double>(planned_));
    metrics_->rows_done->Decrement(static_cast<double>(done_));
  }
  Importer(const Importer&) = delete;
  Importer& operator=(const Importer&) = delete;

  // Expects `rows` more rows (for the gauge).
  void Plan(int64_t rows) {
    if (rows <= 0) return;
    planned_ += rows;
    metrics_->rows_planned->Increment(static_cast<double>(rows));
  }

  // Row `row` as read; a bad one goes into the report. An error stops the import (the database
  // failed): rows of the batches written stay.
  absl::Status Add(int64_t row, const RecordRow& record) {
    Count();
    absl::StatusOr<RecordDraft> draft = ValidateRecord(record, today_);
    if (!draft.ok()) {
      Rejected(row, draft.status().message());
      return absl::OkStatus();
    }
    pending_.push_back(Pending{row, *std::move(draft)});
    if (static_cast<int>(pending_.size()) >= kImportBatchRows) return Flush();
    return absl::OkStatus();
  }

  // Row `row` could not be read (`message` "row: …" or "<field>: …").
  void Unreadable(int64_t row, absl::string_view message) {
    Count();
    Rejected(row, message);
  }

  // Writes the last batch; returns the report.
  absl::StatusOr<ImportReport> Finish() {
    CIVIL_RETURN_IF_ERROR(Flush());
    return report_;
  }

 private:
  struct Pending {
    int64_t row;
    RecordDraft draft;
  };

  void Count() {
    ++report_.rows;
    if (report_.rows > planned_) Plan(report_.rows - planned_);
  }

  void Rejected(int64_t row, absl::string_view message) {
    report_.Reject(row, message);
    metrics_->rejected->Increment();
    Done(1);
  }

  void Done(int64_t rows) {
    done_ += rows;
    metrics_->rows_done->Increment(static_cast<double>(rows));
  }

  absl::Status Flush() {
    if (pending_.empty()) return absl::OkStatus();
    std::set<std::string> distinct;
    for (const Pending& p : pending_) distinct.insert(p.draft.grid_code);
    CIVIL_ASSIGN_OR_RETURN(const auto grids, grids_->Resolve(std::vector<std::string>(
                                                 distinct.begin(), distinct.end())));
    std::vector<RecordToWrite> batch;
    std::vector<int64_t> rows;  // the import's row number of each of `batch`
    for (Pending& p : pending_) {
      auto it = grids.find(p.draft.grid_code);
      if (it == grids.end()) {
        Rejected(p.row, "grid_code: no such grid");
        continue;
      }
      if (absl::Status s = CheckRegion(caller_, "grid_code", it->second.village_code); !s.ok()) {
        Rejected(p.row, s.message());
        continue;
      }
      batch.push_back(RecordToWrite{it->second.grid_id, std::move(p.draft)});
      rows.push_back(p.row);
    }
    pending_.clear();
    if (batch.empty()) return absl::OkStatus();
    CIVIL_ASSIGN_OR_RETURN(const BatchResult written, records_->WriteBatch(batch, caller_.subject));
    for (const auto& [index, problem] : written.rejected) Rejected(rows[index], problem);
    const int64_t good = static_cast<int64_t>(batch.size() - written.rejected.size());
    report_.created += written.created;
    report_.resubmitted += written.resubmitted;
    report_.unchanged += written.unchanged;
    metrics_->created->Increment(static_cast<double>(written.created));
    metrics_->resubmitted->Increment(static_cast<double>(written.resubmitted));
    metrics_->unchanged->Increment(static_cast<double>(written.unchanged));
    Done(good);
    return absl::OkStatus();
  }

  const Caller& caller_;
  RecordStore* records_;
  GridStore* grids_;
  ImportMetrics* metrics_;
  absl::CivilDay today_;
  std::vector<Pending> pending_;
  ImportReport report_;
  int64_t planned_ = 0;
  int64_t done_ = 0;
};

void LogImport(absl::string_view via, const ImportReport& report) {
  Log(LogLevel::kInfo, "resident records imported",
      {{"via", via},
       {"rows", report.rows},
       {"created", report.created},
       {"resubmitted", report.resubmitted},
       {"unchanged", report.unchanged},
       {"rejected", report.rejected}});
}

}  // namespace

ImportMetrics::ImportMetrics(prometheus::Registry* registry) {
  auto& rows = prometheus::BuildGauge()
                   .Name("civil_governance_import_rows")
                   .Help(
                       "Rows of the resident-record imports in progress: planned (the file's "
                       "lines, or the stream's declared total) and done")
                   .Register(*registry);
  rows_planned = &rows.Add({{"state", "planned"}});
  rows_done = &rows.Add({{"state", "done"}});
  auto& imported = prometheus::BuildCounter()
                       .Name("civil_governance_imported_rows_total")
                       .Help("Resident-record rows imported, by outcome")
                       .Register(*registry);
  created = &imported.Add({{"outcome", "created"}});
  resubmitted = &imported.Add({{"outcome", "resubmitted"}});
  unchanged = &imported.Add({{"outcome", "unchanged"}});
  rejected = &imported.Add({{"outcome", "rejected"}});
}

ResidentRecordServiceImpl::ResidentRecordServiceImpl(RecordStore* records, GridStore* grids,
                                                     ImportMetrics* metrics, IdViewLog* id_views,
                                                     Clock today)
    : records_(records),
      grids_(grids),
      metrics_(metrics),
      id_views_(id_views),
      today_(std::move(today)) {}

absl::Status ResidentRecordServiceImpl::ToProto(const StoredRecord& r, v1::ResidentRecord* out,
                                                std::vector<SeenPerson>* seen) const {
  out->set_record_id(r.record_id);
  out->set_grid_id(r.grid_id);
  out->set_grid_code(r.grid_code);
  out->set_village_code(r.village_code);
  out->set_name(r.name);
  if (seen != nullptr) {
    CIVIL_ASSIGN_OR_RETURN(auto revealed, records_->Reveal(r));
    out->set_id_number(std::move(revealed.first));
    seen->push_back(SeenPerson{"resident_record", r.record_id, std::move(revealed.second),
                               r.id_masked, r.village_code});
  } else {
    out->set_id_number(r.id_masked);
  }
  out->set_address(r.address);
  out->set_household(r.household);
  for (const std::string& t : r.tags) out->add_tags(t);
  out->set_status(static_cast<v1::RecordStatus>(r.status));
  out->set_submitted_by(r.submitted_by);
  out->set_submit_date(FormatDay(r.submitted_on));
  out->set_reviewed_by(r.reviewed_by);
  if (r.reviewed_on) out->set_review_date(FormatDay(*r.reviewed_on));
  out->set_return_reason(r.return_reason);
  *out->mutable_update_time() = TimestampOf(r.update_time_micros);
  return absl::OkStatus();
}

grpc::Status ResidentRecordServiceImpl::SubmitRecord(grpc::ServerContext* context,
                                                     const v1::SubmitRecordRequest* request,
                                                     v1::SubmitRecordResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "SubmitRecord"));
    absl::StatusOr<RecordDraft> draft = ValidateRecord(FromProto(request->record()), today_());
    if (!draft.ok()) return Nested("record", draft.status());
    CIVIL_ASSIGN_OR_RETURN(const auto grids, grids_->Resolve({draft->grid_code}));
    auto it = grids.find(draft->grid_code);
    if (it == grids.end()) {
      return absl::FailedPreconditionError("record.grid_code: no such grid");
    }
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "record.grid_code", it->second.village_code));
    CIVIL_ASSIGN_OR_RETURN(
        const auto submitted,
        records_->Submit(RecordToWrite{it->second.grid_id, *std::move(draft)}, caller.subject));
    CIVIL_RETURN_IF_ERROR(ToProto(submitted.first, response->mutable_record()));
    response->set_outcome(static_cast<v1::SubmitOutcome>(submitted.second));
    return absl::OkStatus();
  });
}

grpc::Status ResidentRecordServiceImpl::ImportRecords(
    grpc::ServerContext* context, grpc::ServerReader<v1::ImportRecordsRequest>* reader,
    v1::ImportRecordsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ImportRecords"));
    Importer importer(caller, records_, grids_, metrics_, today_());
    v1::ImportRecordsRequest message;
    int64_t row = 0;
    bool first = true;
    while (reader->Read(&message)) {
      if (first) importer.Plan(message.total_rows());
      first = false;
      for (const v1::RecordRow& r : message.rows()) {
        CIVIL_RETURN_IF_ERROR(importer.Add(++row, FromProto(r)));
      }
    }
    CIVIL_ASSIGN_OR_RETURN(const ImportReport report, importer.Finish());
    LogImport("stream", report);
    governance::ToProto(report, response);
    return absl::OkStatus();
  });
}

grpc::Status ResidentRecordServiceImpl::ImportRecordsCsv(grpc::ServerContext* context,
                                                         const v1::ImportRecordsCsvRequest* request,
                                                         v1::ImportRecordsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ImportRecordsCsv"));
    if (request->row_offset() < 0) return InvalidField("row_offset", "must not be negative");
    CsvReader csv(request->csv());
    std::vector<std::string> fields;
    int64_t line = 0;
    std::string error;
    if (!csv.Next(&fields, &line, &error)) {
      return InvalidField("csv", "is empty: a header row naming the columns is required");
    }
    if (!error.empty()) {
      return InvalidField("csv", absl::StrCat("the header row cannot be read (", error, ")"));
    }
    CIVIL_ASSIGN_OR_RETURN(const CsvHeader header, CsvHeader::Parse(fields));
    Importer importer(caller, records_, grids_, metrics_, today_());
    importer.Plan(CsvReader::CountLines(request->csv()) - line);
    while (csv.Next(&fields, &line, &error)) {
      const int64_t row = line + request->row_offset();
      if (!error.empty()) {
        importer.Unreadable(row, error);
        continue;
      }
      absl::StatusOr<RecordRow> record = header.Row(fields);
      if (!record.ok()) {
        importer.Unreadable(row, record.status().message());
        continue;
      }
      CIVIL_RETURN_IF_ERROR(importer.Add(row, *record));
    }
    CIVIL_ASSIGN_OR_RETURN(const ImportReport report, importer.Finish());
    LogImport("csv", report);
    governance::ToProto(report, response);
    return absl::OkStatus();
  });
}

grpc::Status ResidentRecordServiceImpl::ReviewRecord(grpc::ServerContext* context,
                                                     const v1::ReviewRecordRequest* request,
                                                     v1::ReviewRecordResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ReviewRecord"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("record_id", request->record_id()));
    CIVIL_ASSIGN_OR_RETURN(const ReviewDecision decision,
                           ValidateReview(static_cast<int>(request->decision()), request->reason(),
                                          request->review_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const StoredRecord record,
        records_->Review(request->record_id(), caller.subject, decision, RegionCheck(caller)));
    return ToProto(record, response->mutable_record());
  });
}

grpc::Status ResidentRecordServiceImpl::ReviewRecords(grpc::ServerContext* context,
                                                      const v1::ReviewRecordsRequest* request,
                                                      v1::ReviewRecordsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ReviewRecords"));
    if (request->record_ids().empty()) return InvalidField("record_ids", "is required");
    if (request->record_ids_size() > kMaxReviewBatch) {
      return InvalidField("record_ids", absl::StrCat("at most ", kMaxReviewBatch, " at once"));
    }
    std::vector<std::string> ids;
    for (const std::string& id : request->record_ids()) {
      CIVIL_RETURN_IF_ERROR(RequireUuid("record_ids", id));
      ids.push_back(absl::AsciiStrToLower(id));
    }
    CIVIL_ASSIGN_OR_RETURN(const ReviewDecision decision,
                           ValidateReview(static_cast<int>(request->decision()), request->reason(),
                                          request->review_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const std::vector<ReviewRefusal> refused,
        records_->ReviewBatch(ids, caller.subject, decision, RegionCheck(caller)));
    const std::set<std::string> distinct(ids.begin(), ids.end());
    response->set_decided(static_cast<int64_t>(distinct.size() - refused.size()));
    for (const ReviewRefusal& r : refused) {
      v1::ReviewRefusal* out = response->add_refused();
      out->set_record_id(r.record_id);
      out->set_code(static_cast<int32_t>(r.status.code()));
      out->set_problem(std::string(r.status.message()));
    }
    return absl::OkStatus();
  });
}

grpc::Status ResidentRecordServiceImpl::GetRecord(grpc::ServerContext* context,
                                                  const v1::GetRecordRequest* request,
                                                  v1::GetRecordResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetRecord"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("record_id", request->record_id()));
    CIVIL_ASSIGN_OR_RETURN(const bool full, RevealFullIds(caller, "governance", "reveal_reason",
                                                          request->reveal_reason()));
    CIVIL_ASSIGN_OR_RETURN(const StoredRecord record, records_->Get(request->record_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "record_id", record.village_code));
    std::vector<SeenPerson> seen;
    CIVIL_RETURN_IF_ERROR(ToProto(record, response->mutable_record(), full ? &seen : nullptr));
    return id_views_->RecordOrClear(caller, "GetRecord", request->reveal_reason(), seen, response);
  });
}

grpc::Status ResidentRecordServiceImpl::ListRecords(grpc::ServerContext* context,
                                                    const v1::ListRecordsRequest* request,
                                                    v1::ListRecordsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListRecords"));
    CIVIL_ASSIGN_OR_RETURN(const bool full, RevealFullIds(caller, "governance", "reveal_reason",
                                                          request->reveal_reason()));
    std::string prefix;
    if (!request->grid_id().empty()) {
      CIVIL_RETURN_IF_ERROR(RequireUuid("grid_id", request->grid_id()));
      CIVIL_ASSIGN_OR_RETURN(const GridRecord grid, grids_->Get(request->grid_id()));
      CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "grid_id", grid.village_code));
    } else {
      CIVIL_ASSIGN_OR_RETURN(prefix, ScopedPrefix(caller, request->region_prefix()));
    }
    std::optional<RecordStatus> status;
    if (request->status() != v1::RECORD_STATUS_UNSPECIFIED) {
      CIVIL_RETURN_IF_ERROR(kRecordStatusNames.Require("status", request->status()));
      status = static_cast<RecordStatus>(request->status());
    }
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    // A token names the order it continues (by grid, or across the region).
    const absl::string_view kind =
        RecordStore::ListsByGrid(request->grid_id(), prefix) ? kByGridPageKind : kPageKind;
    CIVIL_ASSIGN_OR_RETURN(const int64_t after, DecodePageToken(kind, request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<StoredRecord> page,
                           records_->List(request->grid_id(), prefix, status, after, size));
    std::vector<SeenPerson> seen;
    for (const StoredRecord& r : page.items) {
      CIVIL_RETURN_IF_ERROR(ToProto(r, response->add_records(), full ? &seen : nullptr));
    }
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken(kind, page.next_after));
    }
    return id_views_->RecordOrClear(caller, "ListRecords", request->reveal_reason(), seen,
                                    response);
  });
}

}  // namespace civil::governance
