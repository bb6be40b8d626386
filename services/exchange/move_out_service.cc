#include "services/exchange/move_out_service.h"

#include "services/common/errors.h"
#include "services/exchange/inbound_service.h"

namespace civil::exchange {

constexpr absl::string_view kService = "civil.exchange.v1.MoveOutService";

grpc::Status MoveOutServiceImpl::SubmitMovesOut(grpc::ServerContext* context,
                                                const v1::SubmitMovesOutRequest* request,
                                                v1::SubmitMovesOutResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SubmitMovesOut"));
    CIVIL_RETURN_IF_ERROR(CheckSender(caller, Source::kPublicSecurity));
    CIVIL_ASSIGN_OR_RETURN(std::string batch_id,
                           ValidBatch(request->batch_id(), request->moves_size(), "moves"));
    BatchHeader header = HeaderFor(caller, RecordKind::kMoveOut, Source::kPublicSecurity,
                                   std::move(batch_id), request->moves_size());
    CIVIL_RETURN_IF_ERROR(inbound_->OpenBatch(header));
    const absl::CivilDay today = clock_();
    Tally tally;
    for (int i = 0; i < request->moves_size(); ++i) {
      const v1::MoveOut& m = request->moves(i);
      absl::StatusOr<MoveOut> move = ValidMoveOut(
          {m.source_record_id(), m.id_number(), m.moved_out_on(), m.region_code(), m.destination()},
          today);
      absl::StatusOr<RecordResult> result;
      if (!move.ok()) {
        absl::StatusOr<IdNumber> id = IdNumber::Parse(m.id_number(), today);
        result = inbound_->Reject(header, i, m.source_record_id(), move.status(),
                                  id.ok() ? std::optional<IdNumber>(*id) : std::nullopt);
      } else if (absl::Status scope = CheckRegion(caller, "region_code", move->region.value());
                 !scope.ok()) {
        result = inbound_->Reject(header, i, m.source_record_id(), scope, move->id,
                                  move->moved_out_on, move->region.value());
      } else {
        result = moves_->Receive(header, i, *move);
      }
      CIVIL_RETURN_IF_ERROR(result.status());
      tally.Add(*result);
      metrics_->Count(RecordKind::kMoveOut, Source::kPublicSecurity, *result);
      ToProto(*result, response->add_results());
    }
    ToProto(tally, response->mutable_tally());
    return absl::OkStatus();
  });
}

}  // namespace civil::exchange
