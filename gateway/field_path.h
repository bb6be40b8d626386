// Resolving dotted field paths (`household.id`) against message descriptors, as path variables,
// query parameters and `body` / `response_body` name fields.
#pragma once

#include <google/protobuf/descriptor.h>

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil::gateway {

using FieldPath = std::vector<const google::protobuf::FieldDescriptor*>;

// Resolves `names` one by one from `message`: each name is a proto field name, or (when
// `allow_json_names`) the field's JSON name (`pageSize` for `page_size`). Every field but the last
// must be a singular message field. Returns INVALID_ARGUMENT naming the first name that matches no
// field or that cannot be descended into.
absl::StatusOr<FieldPath> ResolveFieldPath(const google::protobuf::Descriptor* message,
                                           const std::vector<absl::string_view>& names,
                                           bool allow_json_names);

// As above for a dotted path (`a.b.c`).
absl::StatusOr<FieldPath> ResolveFieldPath(const google::protobuf::Descriptor* message,
                                           absl::string_view dotted, bool allow_json_names);

// The dotted proto-name form of `path` (`household.id`).
std::string FieldPathName(const FieldPath& path);

}  // namespace civil::gateway
