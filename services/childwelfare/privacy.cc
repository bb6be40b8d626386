#include "services/childwelfare/privacy.h"

#include <vector>

#include "absl/strings/match.h"

namespace civil::childwelfare {

bool SeesFullName(bool case_worker, absl::string_view scope, absl::string_view child_region) {
  if (!case_worker || (scope.size() != 9 && scope.size() != 12)) return false;
  return absl::StartsWith(child_region, scope);
}

bool SeesHistoryNotes(bool case_worker, absl::string_view scope, absl::string_view child_region) {
  return SeesFullName(case_worker, scope, child_region);
}

std::string MaskName(absl::string_view name) {
  std::vector<absl::string_view> chars;
  for (size_t i = 0; i < name.size();) {
    size_t len = 1;
    while (i + len < name.size() && (static_cast<unsigned char>(name[i + len]) & 0xC0) == 0x80) {
      ++len;
    }
    chars.push_back(name.substr(i, len));
    i += len;
  }
  if (chars.empty()) return "";
  if (chars.size() == 1) return "*";
  std::string out(chars.front());
  for (size_t i = 1; i + 1 < chars.size(); ++i) out += '*';
  if (chars.size() == 2) return out + "*";
  out.append(chars.back().data(), chars.back().size());
  return out;
}

}  // namespace civil::childwelfare
