#include "services/common/errors.h"

#include "absl/strings/str_cat.h"

namespace civil {

absl::Status InvalidField(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

absl::Status AnnotateField(absl::string_view field, const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return status;
  return InvalidField(field, status.message());
}

}  // namespace civil
