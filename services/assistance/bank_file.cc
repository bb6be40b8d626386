#include "services/assistance/bank_file.h"

namespace civil::assistance {

absl::string_view ProgrammeLabel(absl::string_view programme_name) {
  struct Label {
    absl::string_view name, label;
  };
  static constexpr Label kLabels[] = {
      {"DIBAO", "低保"},
      {"TEKUN", "特困"},
      {"RETIRED_WORKER_SUBSIDY", "精减退职老职工生活补助"},
      {"SHANGHAI_RESETTLED_SUBSIDY", "上海下放居民生活补助"},
      {"LEPROSY_SUBSIDY", "麻风病人生活补助"},
  };
  for (const Label& l : kLabels) {
    if (l.name == programme_name) return l.label;
  }
  return programme_name;
}

}  // namespace civil::assistance
