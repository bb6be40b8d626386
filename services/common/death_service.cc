#include "services/common/death_service.h"

#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"

namespace civil {
namespace {

constexpr char kService[] = "civil.events.v1.DeathRegistryService";
constexpr char kConflictsList[] = "death_conflicts";

void ToProto(const RecordedDeath& d, civil::events::v1::Death* out) {
  out->set_subject_index(d.subject_index);
  out->set_subject_masked(d.subject_masked);
  out->set_date_of_death(FormatDay(d.date.day));
  out->set_date_is_upper_bound(d.date.upper_bound);
  out->set_source(d.source);
  out->set_record_kind(d.record_kind);
  out->set_record_id(d.record_id);
  out->set_event_id(d.event_id);
  out->set_conflict(d.conflict);
  out->set_reports(d.reports);
}

}  // namespace

grpc::Status DeathRegistryServiceImpl::ListDeathConflicts(
    grpc::ServerContext* context, const civil::events::v1::ListDeathConflictsRequest* request,
    civil::events::v1::ListDeathConflictsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_RETURN_IF_ERROR(AuthorizeCall(*context, kService, "ListDeathConflicts").status());
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken(kConflictsList, request->page_token()));
    return pool_->Read([&](pqxx::transaction_base& txn) {
      int64_t next = 0;
      for (const RecordedDeath& d : registry_->Conflicts(txn, after, size, &next)) {
        ToProto(d, response->add_deaths());
      }
      if (next > 0) response->set_next_page_token(EncodePageToken(kConflictsList, next));
      return absl::OkStatus();
    });
  });
}

grpc::Status DeathRegistryServiceImpl::GetDeath(grpc::ServerContext* context,
                                                const civil::events::v1::GetDeathRequest* request,
                                                civil::events::v1::GetDeathResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_RETURN_IF_ERROR(AuthorizeCall(*context, kService, "GetDeath").status());
    std::string index = request->subject_index();
    if (!request->id_number().empty()) {
      absl::StatusOr<IdNumber> id = IdNumber::Parse(request->id_number(), clock_());
      if (!id.ok()) return AnnotateField("id_number", id.status());
      index = pii_->BlindIndex(id->value());
    }
    if (index.empty()) return InvalidField("id_number", "is required");
    bool found = false;
    CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
      std::optional<RecordedDeath> death = registry_->Find(txn, index);
      if (!death) return absl::OkStatus();
      found = true;
      ToProto(*death, response->mutable_death());
      for (const DeathRegistry::StoredReport& r : registry_->Reports(txn, index)) {
        auto* out = response->add_reports();
        out->set_date_of_death(FormatDay(r.report.date.day));
        out->set_date_is_upper_bound(r.report.date.upper_bound);
        out->set_source(r.report.source);
        out->set_record_kind(r.report.record_kind);
        out->set_record_id(r.report.record_id);
        out->set_region_code(r.report.region_code);
        out->set_event_id(r.report.event_id);
        out->set_outcome(std::string(DeathOutcomeName(r.outcome)));
        out->set_conflict(r.conflict);
      }
      return absl::OkStatus();
    }));
    if (!found)
      return absl::NotFoundError("id_number: the registry records no death of the person");
    return absl::OkStatus();
  });
}

}  // namespace civil
