// The report's sentences of the relief figures (SummaryService shows them with the programme
// figures).
#pragma once

#include <string>
#include <vector>

#include "civil/assistance/v1/relief.grpc.pb.h"
#include "services/assistance/audit.h"

namespace civil::assistance {

// The report's sentences for these figures, in the seed report's wording, e.g.
// "临时救助1896人次,发放资金304万元", "已完成94家村(社区)互助社登记设立,开展救助158人次,
// 发放救助金10.46万元". A part with nothing to report gives no sentence; the audit sentence needs
// an audit run in the period.
std::vector<std::string> ReliefSummaryLines(const v1::ReliefFigures& figures);

}  // namespace civil::assistance
