#include "gateway/field_path.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace civil::gateway {

namespace pb = ::google::protobuf;

absl::StatusOr<FieldPath> ResolveFieldPath(const pb::Descriptor* message,
                                           const std::vector<absl::string_view>& names,
                                           bool allow_json_names) {
  FieldPath path;
  std::string prefix;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::string_view name = names[i];
    if (message == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", prefix, "\" is not a message field, so it has no field \"", name, "\""));
    }
    const pb::FieldDescriptor* field = message->FindFieldByName(std::string(name));
    if (field == nullptr && allow_json_names) {
      for (int f = 0; f < message->field_count(); ++f) {
        if (message->field(f)->json_name() == name) {
          field = message->field(f);
          break;
        }
      }
    }
    if (field == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "no field \"", prefix, prefix.empty() ? "" : ".", name, "\" in ", message->full_name()));
    }
    if (i + 1 < names.size()) {
      if (field->is_repeated() || field->type() != pb::FieldDescriptor::TYPE_MESSAGE) {
        return absl::InvalidArgumentError(absl::StrCat(
            "\"", prefix, prefix.empty() ? "" : ".", field->name(),
            "\" is not a singular message field, so it has no field \"", names[i + 1], "\""));
      }
    }
    absl::StrAppend(&prefix, prefix.empty() ? "" : ".", field->name());
    path.push_back(field);
    message = field->type() == pb::FieldDescriptor::TYPE_MESSAGE ? field->message_type() : nullptr;
  }
  if (path.empty()) return absl::InvalidArgumentError("empty field path");
  return path;
}

absl::StatusOr<FieldPath> ResolveFieldPath(const pb::Descriptor* message, absl::string_view dotted,
                                           bool allow_json_names) {
  std::vector<absl::string_view> names = absl::StrSplit(dotted, '.');
  return ResolveFieldPath(message, names, allow_json_names);
}

std::string FieldPathName(const FieldPath& path) {
  std::string name;
  for (const pb::FieldDescriptor* f : path)
    absl::StrAppend(&name, name.empty() ? "" : ".", f->name());
  return name;
}

}  // namespace civil::gateway
