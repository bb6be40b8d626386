// The OpenAPI 3 document of the HTTP API, generated from the same descriptor set and routes the
// gateway serves (so it cannot drift): one operation per route, path and query parameters, request
// and response schemas in proto3 JSON form, descriptions from the contracts' comments (the
// descriptor set is built with --include_source_info), the roles each operation needs
// (`x-required-roles`, from civil.common.v1.access) and the bearer security scheme.
#pragma once

#include <string>

#include "gateway/descriptor_set.h"
#include "gateway/router.h"

namespace civil::gateway {

// The document as JSON text. `bearer`: declare the JWT bearer scheme as required everywhere.
std::string BuildOpenApi(const LoadedDescriptors& descriptors, const Router& router, bool bearer);

}  // namespace civil::gateway
