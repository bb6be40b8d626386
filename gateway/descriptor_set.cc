#include "gateway/descriptor_set.h"

#include <fstream>
#include <functional>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace civil::gateway {
namespace {

namespace pb = ::google::protobuf;

// Collects the pool's build errors into one message.
class ErrorCollector : public pb::DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& filename, const std::string& element_name,
                const pb::Message* /*descriptor*/, ErrorLocation /*location*/,
                const std::string& message) override {
    errors_.push_back(absl::StrCat(filename, ": ", element_name, ": ", message));
  }
  std::string Text() const { return absl::StrJoin(errors_, "; "); }

 private:
  std::vector<std::string> errors_;
};

}  // namespace

std::vector<const pb::ServiceDescriptor*> LoadedDescriptors::Services() const {
  std::vector<const pb::ServiceDescriptor*> services;
  for (const pb::FileDescriptor* file : files) {
    for (int i = 0; i < file->service_count(); ++i) services.push_back(file->service(i));
  }
  return services;
}

absl::StatusOr<LoadedDescriptors> BuildDescriptorPool(const pb::FileDescriptorSet& set) {
  absl::flat_hash_map<std::string, const pb::FileDescriptorProto*> by_name;
  for (const pb::FileDescriptorProto& file : set.file()) {
    if (!by_name.emplace(file.name(), &file).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("descriptor set holds file \"", file.name(), "\" twice"));
    }
  }
  LoadedDescriptors loaded;
  loaded.pool = std::make_unique<pb::DescriptorPool>();
  absl::flat_hash_set<std::string> visiting;

  // Builds a file after its dependencies (depth-first), so the set may list files in any order.
  std::function<absl::Status(const pb::FileDescriptorProto&)> build =
      [&](const pb::FileDescriptorProto& file) -> absl::Status {
    if (loaded.pool->FindFileByName(file.name()) != nullptr) return absl::OkStatus();
    if (!visiting.insert(file.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("descriptor set: import cycle through \"", file.name(), "\""));
    }
    for (const std::string& dep : file.dependency()) {
      auto it = by_name.find(dep);
      if (it == by_name.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "descriptor set: \"", file.name(), "\" imports \"", dep,
            "\", which the set does not hold (build it with protoc --include_imports)"));
      }
      if (absl::Status s = build(*it->second); !s.ok()) return s;
    }
    ErrorCollector errors;
    const pb::FileDescriptor* built = loaded.pool->BuildFileCollectingErrors(file, &errors);
    if (built == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("descriptor set: cannot build \"", file.name(), "\": ", errors.Text()));
    }
    loaded.files.push_back(built);
    return absl::OkStatus();
  };
  for (const pb::FileDescriptorProto& file : set.file()) {
    if (absl::Status s = build(file); !s.ok()) return s;
  }
  return loaded;
}

absl::StatusOr<LoadedDescriptors> LoadDescriptorSet(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read descriptor set \"", path, "\""));
  std::stringstream data;
  data << in.rdbuf();
  pb::FileDescriptorSet set;
  if (!set.ParseFromString(data.str())) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", path, "\" is not a FileDescriptorSet (protoc --descriptor_set_out)"));
  }
  if (set.file_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat("descriptor set \"", path, "\" is empty"));
  }
  return BuildDescriptorPool(set);
}

}  // namespace civil::gateway
