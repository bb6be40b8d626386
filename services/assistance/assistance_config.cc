#include "services/assistance/assistance_config.h"

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/config.h"

namespace civil::assistance {

absl::StatusOr<AssistanceRules> LoadAssistanceRules() {
  EnvReader env;
  AssistanceRules rules;
  rules.late_entry_days =
      static_cast<int>(env.Int("CIVIL_ASSISTANCE_LATE_ENTRY_DAYS", rules.late_entry_days, 0, 3650));
  rules.review_months_urban_dibao = static_cast<int>(env.Int(
      "CIVIL_ASSISTANCE_REVIEW_MONTHS_URBAN_DIBAO", rules.review_months_urban_dibao, 1, 60));
  rules.review_months_rural_dibao = static_cast<int>(env.Int(
      "CIVIL_ASSISTANCE_REVIEW_MONTHS_RURAL_DIBAO", rules.review_months_rural_dibao, 1, 60));
  rules.review_months_tekun = static_cast<int>(
      env.Int("CIVIL_ASSISTANCE_REVIEW_MONTHS_TEKUN", rules.review_months_tekun, 1, 60));
  rules.phase_out_months =
      static_cast<int>(env.Int("CIVIL_ASSISTANCE_PHASE_OUT_MONTHS", rules.phase_out_months, 0, 24));
  if (absl::Status s = env.Status(); !s.ok()) return s;
  return rules;
}

absl::StatusOr<int> LoadStandardSeed(const std::string& path, StandardStore* store) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read"));
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json seed = nlohmann::json::parse(text.str(), nullptr, false);
  if (seed.is_discarded() || !seed.contains("standards") || !seed["standards"].is_array()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": expected {\"standards\": [...]}"));
  }
  int added = 0;
  for (size_t i = 0; i < seed["standards"].size(); ++i) {
    v1::Standard standard;
    google::protobuf::util::JsonParseOptions options;
    auto status = google::protobuf::util::JsonStringToMessage(seed["standards"][i].dump(),
                                                              &standard, options);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": standards[", i, "]: ", status.message().as_string()));
    }
    absl::StatusOr<v1::Standard> saved = store->Set(standard, "seed");
    if (saved.ok()) {
      ++added;
    } else if (saved.status().code() != absl::StatusCode::kAlreadyExists) {
      return saved.status();
    }
  }
  return added;
}

}  // namespace civil::assistance
