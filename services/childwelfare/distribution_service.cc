#include "services/childwelfare/distribution_service.h"

#include <utility>

#include "services/childwelfare/name_view.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/paging.h"

namespace civil::childwelfare {
namespace {

constexpr absl::string_view kService = "civil.childwelfare.v1.CareDistributionService";
constexpr absl::string_view kPageKind = "childwelfare-distributions";

void ToProto(const DistributionRecord& d, const NameView& names, v1::Distribution* out) {
  out->set_distribution_id(d.distribution_id);
  out->set_kind(static_cast<v1::DistributionKind>(d.kind));
  out->set_item(d.item);
  out->set_quantity(d.quantity);
  out->set_total_fen(d.total_fen);
  out->set_region_code(d.region_code);
  out->set_distribution_date(FormatDay(d.on));
  out->set_campaign(d.campaign);
  out->set_giver(d.giver);
  for (const RecipientRecord& r : d.recipients) {
    v1::Recipient* recipient = out->add_recipients();
    recipient->set_registry(static_cast<v1::RecipientRegister>(r.registry));
    recipient->set_id(r.id);
    recipient->set_name(
        names.Shown(r.name, r.region_code,
                    {r.registry == RecipientRegister::kChild ? "child_name" : "care_child_name",
                     r.id, "", r.id_masked, r.region_code}));
    recipient->set_id_number_masked(r.id_masked);
    recipient->set_region_code(r.region_code);
    recipient->set_amount_fen(r.amount_fen);
  }
  out->set_recorded_by(d.recorded_by);
}

}  // namespace

DistributionServiceImpl::DistributionServiceImpl(DistributionStore* store, IdViewLog* id_views,
                                                 Clock today)
    : store_(store), id_views_(id_views), today_(std::move(today)) {}

grpc::Status DistributionServiceImpl::RecordDistribution(
    grpc::ServerContext* context, const v1::RecordDistributionRequest* request,
    v1::RecordDistributionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordDistribution"));
    DistributionInput input{request->kind(),
                            request->item(),
                            request->quantity(),
                            request->region_code(),
                            request->distribution_date(),
                            request->campaign(),
                            request->giver(),
                            {}};
    for (const v1::RecipientInput& r : request->recipients()) {
      input.recipients.push_back(RecipientInput{r.registry(), r.id(), r.amount_fen()});
    }
    CIVIL_ASSIGN_OR_RETURN(const DistributionDraft draft, ValidateDistribution(input, today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.township.value()));
    CIVIL_ASSIGN_OR_RETURN(const DistributionRecord record, store_->Record(draft, caller.subject));
    Log(LogLevel::kInfo, "care distribution recorded",
        {{"distribution_id", absl::string_view(record.distribution_id)},
         {"kind", kDistributionKindNames.Name(static_cast<int>(record.kind))},
         {"recipients", static_cast<int64_t>(record.recipients.size())}});
    const NameView names(caller);
    ToProto(record, names, response->mutable_distribution());
    return names.Record(*id_views_, caller, "RecordDistribution", response);
  });
}

grpc::Status DistributionServiceImpl::ListDistributions(grpc::ServerContext* context,
                                                        const v1::ListDistributionsRequest* request,
                                                        v1::ListDistributionsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListDistributions"));
    DistributionFilter filter;
    CIVIL_ASSIGN_OR_RETURN(filter.from, OptionalDate("period_start", request->period_start()));
    CIVIL_ASSIGN_OR_RETURN(filter.to, OptionalDate("period_end", request->period_end()));
    if (filter.from && filter.to && *filter.to < *filter.from) {
      return InvalidField("period_end", "must not be before period_start");
    }
    CIVIL_ASSIGN_OR_RETURN(filter.region_prefix, ScopedPrefix(caller, request->region_prefix()));
    if (request->kind() != v1::DISTRIBUTION_KIND_UNSPECIFIED) {
      CIVIL_RETURN_IF_ERROR(kDistributionKindNames.Require("kind", request->kind()));
      filter.kind = static_cast<DistributionKind>(request->kind());
    }
    CIVIL_ASSIGN_OR_RETURN(filter.campaign,
                           BoundedText("campaign", request->campaign(), 200, false));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after, DecodePageToken(kPageKind, request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<DistributionRecord> page, store_->List(filter, after, size));
    const NameView names(caller);
    for (const DistributionRecord& d : page.items) {
      ToProto(d, names, response->add_distributions());
    }
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken(kPageKind, page.next_after));
    }
    return names.Record(*id_views_, caller, "ListDistributions", response);
  });
}

}  // namespace civil::childwelfare
