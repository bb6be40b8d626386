// libFuzzer target (clang, -fsanitize=fuzzer,address,undefined) over what the gateway does with
// untrusted input before any backend sees it: path matching (Router::Match over the platform's
// real routes and the test contract), JSON body + query string → protobuf (BuildRequest), backend
// bytes → JSON (ResponseToJson) and bearer tokens (JwtVerifier::Verify).
//
// Input layout: byte 0 picks the HTTP method, then `path \n query \n body` (missing parts empty).
//
//   ctest -R gateway_fuzz              20 s, seeds from tests/gateway/fuzz_corpus
//   build/tests/gateway_fuzz -max_total_time=600 -timeout=10 build/tests/gateway_fuzz_corpus \
//       tests/gateway/fuzz_corpus       (make fuzz; new inputs go to the first directory)
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/descriptor_set.h"
#include "gateway/jwt.h"
#include "gateway/router.h"
#include "gateway/transcoder.h"
#include "tests/gateway/test_contract.h"

namespace {

using namespace civil::gateway;

struct Target {
  LoadedDescriptors descriptors;
  std::unique_ptr<Router> router;
  std::unique_ptr<Transcoder> transcoder;
};

Target* Make(absl::StatusOr<LoadedDescriptors> loaded) {
  if (!loaded.ok()) __builtin_trap();
  auto* t = new Target{*std::move(loaded), nullptr, nullptr};
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

void Exercise(const Target& t, absl::string_view method, absl::string_view path,
              absl::string_view query, absl::string_view body) {
  Router::MatchResult m = t.router->Match(method, path);
  if (m.outcome != Router::Outcome::kMatched) return;
  std::string binary;
  (void)t.transcoder->BuildRequest(*m.route, m.bindings, query, body, &binary);
  std::string json;
  (void)t.transcoder->ResponseToJson(*m.route, binary, &json);
  (void)t.transcoder->ResponseToJson(*m.route, body, &json);  // arbitrary backend bytes
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
