// Loading the services' descriptor set (`protoc --include_imports --descriptor_set_out`) into a
// DescriptorPool owned by the gateway.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace civil::gateway {

// A pool built from a FileDescriptorSet, with the files in the order they were built.
struct LoadedDescriptors {
  std::unique_ptr<google::protobuf::DescriptorPool> pool;
  std::vector<const google::protobuf::FileDescriptor*> files;

  // Every service declared in any of the files.
  std::vector<const google::protobuf::ServiceDescriptor*> Services() const;
};

// Builds a pool from `set`, whatever the order of its files. The set is parsed with the generated
// descriptor classes, so method options carry the extensions linked into the binary (e.g.
// `google.api.http`). Returns INVALID_ARGUMENT naming the file when a file is malformed, a
// dependency is missing from the set, or the files form a cycle.
absl::StatusOr<LoadedDescriptors> BuildDescriptorPool(
    const google::protobuf::FileDescriptorSet& set);

// Reads the FileDescriptorSet at `path` and builds it with BuildDescriptorPool(). Returns
// NOT_FOUND when the file cannot be read, INVALID_ARGUMENT when it is not a FileDescriptorSet or
// does not build.
absl::StatusOr<LoadedDescriptors> LoadDescriptorSet(const std::string& path);

}  // namespace civil::gateway
