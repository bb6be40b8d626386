// libFuzzer target (clang, -fsanitize=fuzzer,address,undefined) over what the gateway does with
// untrusted input before any backend sees it: path matching (Router::Match over the platform's
// real routes and the test contract), JSON body + query string → protobuf (BuildRequest), backend
// bytes → JSON (ResponseToJson) and bearer tokens (JwtVerifier::Verify). FastJson is also checked
// against protobuf's converter: whatever JSON body it accepts, protobuf must accept with an equal
// message; whatever bytes it prints, protobuf must print byte for byte the same.
//
// Input layout: byte 0 picks the HTTP method, then `path \n query \n body` (missing parts empty).
//
//   ctest -R gateway_fuzz              20 s, seeds from tests/gateway/fuzz_corpus
//   build/tests/gateway_fuzz -max_total_time=600 -timeout=10 build/tests/gateway_fuzz_corpus \
//       tests/gateway/fuzz_corpus       (make fuzz; new inputs go to the first directory)
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/descriptor_set.h"
#include "gateway/fast_json.h"
#include "gateway/router.h"
#include "gateway/transcoder.h"
#include "services/common/jwt.h"
#include "tests/gateway/test_contract.h"

namespace {

using namespace civil;
using namespace civil::gateway;

namespace pb = ::google::protobuf;

struct Target {
  LoadedDescriptors descriptors;
  std::unique_ptr<Router> router;
  std::unique_ptr<Transcoder> transcoder;
  std::unique_ptr<FastJson> fast;
  std::unique_ptr<pb::util::TypeResolver> resolver;
  std::unique_ptr<pb::DynamicMessageFactory> factory;
};

Target* Make(absl::StatusOr<LoadedDescriptors> loaded) {
  if (!loaded.ok()) __builtin_trap();
  auto* t = new Target{*std::move(loaded), nullptr, nullptr, nullptr, nullptr, nullptr};
  t->fast = std::make_unique<FastJson>(t->descriptors.files, false);
  t->resolver.reset(
      pb::util::NewTypeResolverForDescriptorPool("type.googleapis.com", t->descriptors.pool.get()));
  t->factory = std::make_unique<pb::DynamicMessageFactory>(t->descriptors.pool.get());
  absl::StatusOr<Router> router = Router::Create(t->descriptors.Services());
  if (!router.ok()) __builtin_trap();
  t->router = std::make_unique<Router>(*std::move(router));
  t->transcoder = std::make_unique<Transcoder>(t->descriptors.pool.get(), t->descriptors.files);
  return t;
}

const Target& Civil() {
  static const Target* t = Make(LoadDescriptorSet(CIVIL_DESCRIPTOR_SET));
  return *t;
}

const Target& Kinds() {
  static const Target* t = Make(BuildDescriptorPool(test_contract::KindsFile()));
  return *t;
}

const JwtVerifier& Verifier() {
  static const JwtVerifier* v = [] {
    JwtKeySet keys;
    (void)keys.AddHs256("dev", "0123456789abcdef0123456789abcdef");
    JwtVerifierOptions options;
    options.issuer = "i";
    options.audience = "a";
    options.cache_entries_per_shard = 0;
    return new JwtVerifier(std::move(keys), options);
  }();
  return *v;
}

// FastJson answers only where it equals protobuf's converter.
void Differential(const Target& t, const pb::Descriptor* type, absl::string_view body) {
  const std::string url = "type.googleapis.com/" + type->full_name();
  std::string fast;
  if (t.fast->Parse(type, body, &fast)) {
    std::string slow;
    if (!pb::util::JsonToBinaryString(t.resolver.get(), url, std::string(body), &slow).ok()) {
      __builtin_trap();  // accepted by FastJson only
    }
    std::unique_ptr<pb::Message> a(t.factory->GetPrototype(type)->New());
    std::unique_ptr<pb::Message> b(t.factory->GetPrototype(type)->New());
    if (!a->ParsePartialFromString(fast) || !b->ParsePartialFromString(slow) ||
        !pb::util::MessageDifferencer::Equals(*a, *b)) {
      __builtin_trap();  // another message
    }
  }
  std::string printed;
  if (t.fast->Print(type, body, &printed)) {  // the body as a backend's bytes
    std::string slow;
    if (!pb::util::BinaryToJsonString(t.resolver.get(), url, std::string(body), &slow).ok() ||
        slow != printed) {
      __builtin_trap();
    }
  }
}

void Exercise(const Target& t, absl::string_view method, absl::string_view path,
              absl::string_view query, absl::string_view body) {
  Router::MatchResult m = t.router->Match(method, path);
  if (m.outcome != Router::Outcome::kMatched) return;
  std::string binary;
  (void)t.transcoder->BuildRequest(*m.route, m.bindings, query, body, &binary);
  std::string json;
  (void)t.transcoder->ResponseToJson(*m.route, binary, &json);
  (void)t.transcoder->ResponseToJson(*m.route, body, &json);  // arbitrary backend bytes
  Differential(t, m.route->input, body);
  Differential(t, m.route->output, body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr absl::string_view kMethods[] = {"GET",    "POST", "PUT",     "PATCH",
                                                   "DELETE", "HEAD", "OPTIONS", "CUSTOM"};
  absl::string_view method = kMethods[data[0] % 8];
  absl::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t nl1 = rest.find('\n');
  absl::string_view path = rest.substr(0, nl1);
  absl::string_view query, body;
  if (nl1 != absl::string_view::npos) {
    absl::string_view tail = rest.substr(nl1 + 1);
    size_t nl2 = tail.find('\n');
    query = tail.substr(0, nl2);
    if (nl2 != absl::string_view::npos) body = tail.substr(nl2 + 1);
  }
  if (path.empty() || path.front() != '/') {
    (void)Verifier().Verify(rest);
    return 0;
  }
  Exercise(Civil(), method, path, query, body);
  Exercise(Kinds(), method, path, query, body);
  return 0;
}
