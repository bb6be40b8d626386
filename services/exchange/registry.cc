#include "services/exchange/registry.h"

#include "absl/strings/match.h"

namespace civil::exchange {

std::vector<std::pair<std::string, ProgrammeFact>> FactsInScope(
    const std::vector<DepartmentReply>& replies, const std::string& region_prefix) {
  std::vector<std::pair<std::string, ProgrammeFact>> out;
  for (const DepartmentReply& reply : replies) {
    if (!reply.answered) continue;
    for (const ProgrammeFact& fact : reply.facts) {
      if (!region_prefix.empty() &&
          (fact.region_code.empty() || !absl::StartsWith(fact.region_code, region_prefix))) {
        continue;
      }
      out.emplace_back(reply.department, fact);
    }
  }
  return out;
}

}  // namespace civil::exchange
