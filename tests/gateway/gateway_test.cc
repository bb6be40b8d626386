// The whole gateway in one process, over loopback: a Beast HTTP client → Gateway → a generic gRPC
// backend that answers test.v1.ThingService (tests/gateway/test_contract.h). Checks status
// mapping, the error body, request ids in both directions, deadlines, size limits, keep-alive,
// /healthz and a dead backend.
#include "gateway/gateway.h"

#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gateway/descriptor_set.h"
#include "services/common/jwt_sign.h"
#include "tests/gateway/test_contract.h"
#include "tests/gateway/token_helper.h"
#include "tests/support/servers.h"

namespace civil::gateway {
namespace {

namespace pb = ::google::protobuf;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// Answers every ThingService method generically:
//   Get  → Resp{id: <inner.id>, color: COLOR_BLUE, total_count: 7}
//   Fail → the status code given in page_size, message "boom: <id>"
//   Hang → nothing until the caller gives up
// and remembers the metadata of the last call.
class ThingBackend : public grpc::CallbackGenericService {
 public:
  explicit ThingBackend(const pb::DescriptorPool* pool)
      : req_(factory_.GetPrototype(pool->FindMessageTypeByName("test.v1.Req"))),
        resp_(factory_.GetPrototype(pool->FindMessageTypeByName("test.v1.Resp"))) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new Reactor(ctx, this);
  }

  std::string LastMetadata(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = metadata_.find(key);
    return it == metadata_.end() ? "" : it->second;
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  int creates() {
    std::lock_guard<std::mutex> lock(mu_);
    return creates_;
  }
  void CountCreate() {
    std::lock_guard<std::mutex> lock(mu_);
    ++creates_;
  }

 private:
  class Reactor : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(grpc::GenericCallbackServerContext* ctx, ThingBackend* backend)
        : ctx_(ctx), backend_(backend) {
      StartRead(&request_);
    }

    void OnReadDone(bool ok) override {
      if (!ok) return Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
      backend_->Remember(*ctx_);
      std::unique_ptr<pb::Message> req(backend_->req_->New());
      grpc::ProtoBufferReader reader(&request_);
      if (!req->ParseFromZeroCopyStream(&reader)) {
        return Finish(grpc::Status(grpc::StatusCode::INTERNAL, "bad request bytes"));
      }
      const pb::Reflection* r = req->GetReflection();
      const pb::Descriptor* d = req->GetDescriptor();
      const std::string& method = ctx_->method();
      if (method == "/test.v1.ThingService/Slow") {
        // Answers Resp{id} after 300 ms, from another thread.
        std::string id = r->GetString(*req, d->FindFieldByName("id"));
        std::thread([this, id] {
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
          std::unique_ptr<pb::Message> resp(backend_->resp_->New());
          resp->GetReflection()->SetString(resp.get(), resp->GetDescriptor()->FindFieldByName("id"),
                                           id);
          std::string bytes = resp->SerializeAsString();
          grpc::Slice slice(bytes);
          response_ = grpc::ByteBuffer(&slice, 1);
          std::lock_guard<std::mutex> lock(mu_);
          if (finished_) return;
          finished_ = true;
          StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
        }).detach();
        return;
      }
      if (method == "/test.v1.ThingService/Get" || method == "/test.v1.ThingService/Create") {
        const pb::Message& inner = r->GetMessage(*req, d->FindFieldByName("inner"));
        if (method == "/test.v1.ThingService/Create") backend_->CountCreate();
        std::unique_ptr<pb::Message> resp(backend_->resp_->New());
        const pb::Reflection* rr = resp->GetReflection();
        const pb::Descriptor* rd = resp->GetDescriptor();
        rr->SetString(
            resp.get(), rd->FindFieldByName("id"),
            inner.GetReflection()->GetString(inner, inner.GetDescriptor()->FindFieldByName("id")));
        rr->SetEnumValue(resp.get(), rd->FindFieldByName("color"), 2);
        rr->SetInt64(resp.get(), rd->FindFieldByName("total_count"), 7);
        std::string bytes = resp->SerializeAsString();
        grpc::Slice slice(bytes);
        response_ = grpc::ByteBuffer(&slice, 1);
        std::lock_guard<std::mutex> lock(mu_);
        finished_ = true;
        return StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
      }
      if (method == "/test.v1.ThingService/Fail") {
        int code = r->GetInt32(*req, d->FindFieldByName("page_size"));
        return Finish(grpc::Status(static_cast<grpc::StatusCode>(code),
                                   "boom: " + r->GetString(*req, d->FindFieldByName("id"))));
      }
      if (method == "/test.v1.ThingService/Hang") return;  // OnCancel finishes
      if (method == "/test.v1.ThingService/Export") {
        export_id_ = r->GetString(*req, d->FindFieldByName("id"));
        export_left_ = r->GetInt32(*req, d->FindFieldByName("page_size"));
        export_fail_ = r->GetBool(*req, d->FindFieldByName("active"));
        return WriteNext();
      }
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method));
    }

    void OnCancel() override { Finish(grpc::Status::CANCELLED); }
    void OnWriteDone(bool ok) override {
      if (export_left_ >= 0 && ok) WriteNext();
    }

    // The next Export message, or the end of the stream.
    void WriteNext() {
      if (export_left_ <= 0) {
        export_left_ = -1;
        return Finish(export_fail_ ? grpc::Status(grpc::StatusCode::DATA_LOSS, "export broke")
                                   : grpc::Status::OK);
      }
      std::unique_ptr<pb::Message> resp(backend_->resp_->New());
      resp->GetReflection()->SetString(resp.get(), resp->GetDescriptor()->FindFieldByName("id"),
                                       export_id_ + "-" + std::to_string(export_left_--));
      std::string bytes = resp->SerializeAsString();
      grpc::Slice slice(bytes);
      response_ = grpc::ByteBuffer(&slice, 1);
      StartWrite(&response_);
    }
    void OnDone() override { delete this; }

   private:
    // Finishes once, whichever of OnReadDone and OnCancel comes first.
    void Finish(const grpc::Status& status) {
      std::lock_guard<std::mutex> lock(mu_);
      if (finished_) return;
      finished_ = true;
      grpc::ServerGenericBidiReactor::Finish(status);
    }

    grpc::GenericCallbackServerContext* ctx_;
    ThingBackend* backend_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
    std::mutex mu_;
    bool finished_ = false;
    std::string export_id_;
    int export_left_ = -1;
    bool export_fail_ = false;
  };

  void Remember(const grpc::GenericCallbackServerContext& ctx) {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_;
    metadata_.clear();
    for (const auto& [k, v] : ctx.client_metadata()) {
      metadata_[std::string(k.data(), k.size())] = std::string(v.data(), v.size());
    }
  }

  pb::DynamicMessageFactory factory_;
  const pb::Message* req_;
  const pb::Message* resp_;
  std::mutex mu_;
  std::map<std::string, std::string> metadata_;
  int calls_ = 0;
  int creates_ = 0;
};

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// A keep-alive HTTP/1.1 client connection.
class Client {
 public:
  explicit Client(uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }

  Reply Send(http::verb method, const std::string& target, const std::string& body = "",
             const std::map<std::string, std::string>& headers = {}) {
    http::request<http::string_body> req(method, target, 11);
    req.set(http::field::host, "localhost");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == http::verb::post || method == http::verb::put) {
      req.body() = body;
      req.prepare_payload();
    }
    http::write(socket_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 << 20);
    http::read(socket_, buffer_, parser);
    Reply reply;
    reply.status = parser.get().result_int();
    reply.body = parser.get().body();
    for (const auto& field : parser.get()) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(c));
      reply.headers[name] = std::string(field.value());
    }
    return reply;
  }

 private:
  boost::asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

class GatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pb::FileDescriptorSet set = test_contract::KindsFile();
    descriptor_path_ = new std::string(::testing::TempDir() + "/gateway_test_" +
                                       std::to_string(getpid()) + ".desc");
    std::ofstream out(*descriptor_path_, std::ios::binary);
    ASSERT_TRUE(set.SerializeToOstream(&out));
    out.close();
    absl::StatusOr<LoadedDescriptors> loaded = BuildDescriptorPool(set);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    descriptors_ = new LoadedDescriptors(*std::move(loaded));
    backend_ = new ThingBackend(descriptors_->pool.get());
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &backend_port_);
    builder.RegisterCallbackGenericService(backend_);
    server_ = builder.BuildAndStart().release();
    ASSERT_NE(server_, nullptr);
    key_dir_ = new civil::testing::TempDir();
    keys_ = new civil::testing::TestKeys(civil::testing::WriteTestKeys(key_dir_->path()));
  }

  static void TearDownTestSuite() {
    server_->Shutdown();
    delete server_;
    delete backend_;
    delete descriptors_;
    std::remove(descriptor_path_->c_str());
    delete descriptor_path_;
    delete keys_;
    delete key_dir_;
  }

  void SetUp() override { StartGateway(absl::StrCat("127.0.0.1:", backend_port_)); }
  void TearDown() override { gateway_.reset(); }

  // Without identity (--auth=off) and without rate limits, unless a test says otherwise.
  static GatewayConfig BaseConfig(const std::string& backend, int deadline_ms = 300) {
    GatewayConfig config;
    config.descriptor_set = *descriptor_path_;
    config.listen = "127.0.0.1:0";
    config.metrics_listen = "off";
    config.threads = 2;
    config.deadline_ms = deadline_ms;
    config.max_body_bytes = 4096;
    config.access_log = false;
    config.backends = {{"test.v1.ThingService", backend}};
    config.auth_off = true;
    config.rate_limit = false;
    return config;
  }

  // With bearer tokens signed by keys_.
  static GatewayConfig AuthConfig() {
    GatewayConfig config = BaseConfig(absl::StrCat("127.0.0.1:", backend_port_));
    config.auth_off = false;
    config.jwt_keys = {keys_->public_key_path};
    config.jwt_issuer = civil::testing::kTestIssuer;
    config.jwt_audience = civil::testing::kTestAudience;
    return config;
  }

  void StartGateway(const std::string& backend, int deadline_ms = 300) {
    StartGateway(BaseConfig(backend, deadline_ms));
  }

  void StartGateway(const GatewayConfig& config) {
    gateway_.reset();
    absl::StatusOr<std::unique_ptr<Gateway>> gw =
        Gateway::Create(config, [](absl::string_view) { return std::nullopt; });
    ASSERT_TRUE(gw.ok()) << gw.status();
    gateway_ = *std::move(gw);
    ASSERT_TRUE(gateway_->Start().ok());
  }

  static std::string Bearer(const std::string& subject, std::vector<std::string> roles,
                            const std::string& region = "340722") {
    return civil::testing::Bearer(*keys_, subject, roles, region);
  }

  Client Connect() { return Client(gateway_->port()); }

  static std::string* descriptor_path_;
  static LoadedDescriptors* descriptors_;
  static ThingBackend* backend_;
  static grpc::Server* server_;
  static int backend_port_;
  static civil::testing::TempDir* key_dir_;
  static civil::testing::TestKeys* keys_;
  std::unique_ptr<Gateway> gateway_;
};

std::string* GatewayTest::descriptor_path_ = nullptr;
LoadedDescriptors* GatewayTest::descriptors_ = nullptr;
ThingBackend* GatewayTest::backend_ = nullptr;
grpc::Server* GatewayTest::server_ = nullptr;
int GatewayTest::backend_port_ = 0;
civil::testing::TempDir* GatewayTest::key_dir_ = nullptr;
civil::testing::TestKeys* GatewayTest::keys_ = nullptr;

TEST_F(GatewayTest, GetIsTranscodedBothWays) {
  Client client = Connect();
  Reply r = client.Send(http::verb::get, "/v1/things/abc");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"id":"abc","color":"COLOR_BLUE","totalCount":"7"})");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  // A generated request id, sent to the backend and returned to the client.
  EXPECT_EQ(r.headers["x-request-id"].size(), 36u);
  EXPECT_EQ(backend_->LastMetadata("x-request-id"), r.headers["x-request-id"]);
}

TEST_F(GatewayTest, ClientRequestIdMetadataAndTheBearerTokenArePropagated) {
  Client client = Connect();
  Reply r = client.Send(http::verb::get, "/v1/things/abc", "",
                        {{"X-Request-Id", "req-123"},
                         {"Authorization", "Bearer t0k3n"},
                         {"Grpc-Metadata-Tenant", "340722"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["x-request-id"], "req-123");
  EXPECT_EQ(backend_->LastMetadata("x-request-id"), "req-123");
  // Without --auth the gateway checks nothing; the service verifies the token it forwards.
  EXPECT_EQ(backend_->LastMetadata("authorization"), "Bearer t0k3n");
  EXPECT_EQ(backend_->LastMetadata("tenant"), "340722");
  // Only a bearer token is forwarded, as the Authorization header only.
  r = client.Send(http::verb::get, "/v1/things/abc", "",
                  {{"Authorization", "Basic YWxpY2U6cHc="},
                   {"Grpc-Metadata-Authorization", "Bearer smuggled"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(backend_->LastMetadata("authorization"), "");
}

TEST_F(GatewayTest, GrpcStatusMapsToHttpStatusWithJsonBody) {
  Client client = Connect();
  const std::map<int, int> expected = {
      {3, 400},  {4, 504},  {5, 404},  {6, 409},  {7, 403},  {8, 429},  {9, 400}, {10, 409},
      {11, 400}, {12, 501}, {13, 500}, {14, 503}, {15, 500}, {16, 401}, {2, 500}, {1, 499}};
  for (const auto& [code, status] : expected) {
    Reply r = client.Send(http::verb::get, "/v1/things/t1:fail?page_size=" + std::to_string(code));
    EXPECT_EQ(r.status, status) << "grpc code " << code;
    EXPECT_EQ(r.headers["content-type"], "application/json");
    if (code != 1 && code != 4) {  // the transport may rewrite these messages
      EXPECT_EQ(r.body, absl::StrCat(R"({"code":)", code, R"(,"message":"boom: t1","details":[]})"))
          << "grpc code " << code;
    }
  }
}

TEST_F(GatewayTest, DeadlineGives504) {
  Client client = Connect();
  auto start = std::chrono::steady_clock::now();
  Reply r = client.Send(http::verb::get, "/v1/things/t1:hang");
  EXPECT_EQ(r.status, 504);
  EXPECT_NE(r.body.find(R"("code":4)"), std::string::npos) << r.body;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
  // The connection stays usable.
  EXPECT_EQ(client.Send(http::verb::get, "/v1/things/again").status, 200);
}

TEST_F(GatewayTest, GatewaySideErrors) {
  Client client = Connect();
  int calls = backend_->calls();
  Reply r = client.Send(http::verb::get, "/v1/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"code":5,"message":"no route for GET /v1/nothing","details":[]})");

  r = client.Send(http::verb::delete_, "/v1/things/abc");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "GET");
  EXPECT_NE(r.body.find(R"("code":12)"), std::string::npos);

  r = client.Send(http::verb::post, "/v1/things", R"({"id":"x","n":"many"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"code":3,"message":"inner.n: invalid value \"many\" for type TYPE_INT32",)"
                    R"("details":[]})");

  r = client.Send(http::verb::get, "/v1/things/abc?colour=red");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("colour"), std::string::npos);

  r = client.Send(http::verb::post, "/v1/things", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("malformed JSON"), std::string::npos);
  EXPECT_EQ(backend_->calls(), calls);  // none of these reached the backend
}

TEST_F(GatewayTest, BodyOverTheLimitIs413) {
  Client client = Connect();
  Reply r =
      client.Send(http::verb::post, "/v1/things", "{\"id\":\"" + std::string(5000, 'x') + "\"}");
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find(R"("code":8)"), std::string::npos);
  EXPECT_EQ(r.headers["connection"], "close");
}

TEST_F(GatewayTest, HeadersOverTheLimitAre431) {
  Client client = Connect();
  Reply r =
      client.Send(http::verb::get, "/v1/things/abc", "", {{"X-Padding", std::string(20000, 'p')}});
  EXPECT_EQ(r.status, 431);
}

TEST_F(GatewayTest, KeepAliveServesManyRequestsOnOneConnection) {
  Client client = Connect();
  for (int i = 0; i < 50; ++i) {
    Reply r = client.Send(http::verb::get, "/v1/things/k" + std::to_string(i));
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("\"k" + std::to_string(i) + "\""), std::string::npos);
  }
}

TEST_F(GatewayTest, Healthz) {
  Client client = Connect();
  Reply r = client.Send(http::verb::get, "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"SERVING"})");
}

TEST_F(GatewayTest, DeadBackendIs503) {
  // A port nothing listens on: bind one, note it, close it.
  int dead_port;
  {
    boost::asio::io_context io;
    tcp::acceptor probe(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    dead_port = probe.local_endpoint().port();
  }
  StartGateway(absl::StrCat("127.0.0.1:", dead_port));
  Client client = Connect();
  Reply r = client.Send(http::verb::get, "/v1/things/abc");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find(R"("code":14)"), std::string::npos);
  // The channel is in TRANSIENT_FAILURE now.
  EXPECT_EQ(client.Send(http::verb::get, "/healthz").status, 503);
}

TEST_F(GatewayTest, ShutdownAnswersInFlightRequests) {
  // One request waits for its deadline while the gateway shuts down: it is still answered.
  StartGateway(absl::StrCat("127.0.0.1:", backend_port_), /*deadline_ms=*/500);
  uint16_t port = gateway_->port();
  Reply reply;
  std::thread request([&] { reply = Client(port).Send(http::verb::get, "/v1/things/t:hang"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  gateway_->Shutdown();
  request.join();
  EXPECT_EQ(reply.status, 504);
  EXPECT_EQ(reply.headers["connection"], "close");
}

// --- identity and access ----------------------------------------------------------------------

TEST_F(GatewayTest, NoOrBadTokenIs401WithAChallengeAndNeverReachesTheBackend) {
  StartGateway(AuthConfig());
  Client client = Connect();
  int calls = backend_->calls();
  Reply r = client.Send(http::verb::get, "/v1/things/abc");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers["www-authenticate"], "Bearer realm=\"civil\"");
  EXPECT_EQ(r.body, R"({"code":16,"message":"missing bearer token","details":[]})");

  r = client.Send(http::verb::get, "/v1/things/abc", "", {{"Authorization", "Bearer a.b.c"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.headers["www-authenticate"].find("error=\"invalid_token\""), std::string::npos);

  // Expired beyond the leeway.
  std::string expired =
      civil::testing::MintTestToken(*keys_, "alice", {"thing.reader"}, "34", -120);
  r = client.Send(http::verb::get, "/v1/things/abc", "", {{"Authorization", "Bearer " + expired}});
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("expired"), std::string::npos);

  // Signed by a key the gateway does not trust, under its kid.
  auto other = GenerateEs256KeyPair();
  TokenSpec spec{.kid = "dev",
                 .issuer = civil::testing::kTestIssuer,
                 .audience = civil::testing::kTestAudience,
                 .subject = "mallory",
                 .roles = {"admin"},
                 .region = "*"};
  r = client.Send(http::verb::get, "/v1/things/abc", "",
                  {{"Authorization", "Bearer " + *SignToken(spec, other->first)}});
  EXPECT_EQ(r.status, 401);
  // Another audience.
  spec.audience = "another-api";
  r = client.Send(http::verb::get, "/v1/things/abc", "",
                  {{"Authorization", "Bearer " + *SignToken(spec, keys_->private_pem)}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(backend_->calls(), calls);
  // Public routes need no token.
  EXPECT_EQ(client.Send(http::verb::get, "/healthz").status, 200);
  EXPECT_EQ(client.Send(http::verb::get, "/openapi.json").status, 200);
}

TEST_F(GatewayTest, ForwardsTheVerifiedTokenAndDropsClientSentIdentity) {
  StartGateway(AuthConfig());
  Client client = Connect();
  const std::string bearer = Bearer("alice", {"thing.reader", "x.y"}, "340722");
  Reply r = client.Send(http::verb::get, "/v1/things/abc", "",
                        {{"Authorization", bearer},
                         {"Grpc-Metadata-X-Civil-Subject", "root"},
                         {"Grpc-Metadata-X-Civil-Roles", "admin"},
                         {"Grpc-Metadata-X-Civil-Region", "*"},
                         {"Grpc-Metadata-Authorization", "Bearer forged"},
                         {"X-Civil-Roles", "admin"}});
  ASSERT_EQ(r.status, 200) << r.body;
  // The user's own token, which the service verifies again; nothing a client says of itself.
  EXPECT_EQ(backend_->LastMetadata("authorization"), bearer);
  EXPECT_EQ(backend_->LastMetadata("x-civil-subject"), "");
  EXPECT_EQ(backend_->LastMetadata("x-civil-roles"), "");
  EXPECT_EQ(backend_->LastMetadata("x-civil-region"), "");
}

TEST_F(GatewayTest, RolesComeFromTheContractAndAbsentRulesAreAdminOnly) {
  StartGateway(AuthConfig());
  Client client = Connect();
  int calls = backend_->calls();
  // Get allows thing.reader or auditor; Create thing.writer; Fail declares nothing.
  Reply r = client.Send(http::verb::get, "/v1/things/abc", "",
                        {{"Authorization", Bearer("w", {"thing.writer"})}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(
      r.body,
      R"({"code":7,"message":"requires one of the roles: thing.reader, auditor","details":[]})");
  r = client.Send(http::verb::post, "/v1/things", R"({"id":"n"})",
                  {{"Authorization", Bearer("a", {"auditor"})}});
  EXPECT_EQ(r.status, 403);
  r = client.Send(http::verb::get, "/v1/things/t:fail?page_size=5", "",
                  {{"Authorization", Bearer("r", {"thing.reader", "thing.writer"})}});
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("declares no access rule"), std::string::npos);
  EXPECT_EQ(backend_->calls(), calls);

  EXPECT_EQ(client
                .Send(http::verb::get, "/v1/things/abc", "",
                      {{"Authorization", Bearer("a", {"auditor"})}})
                .status,
            200);
  // admin passes everywhere, including RPCs without a rule.
  EXPECT_EQ(client
                .Send(http::verb::get, "/v1/things/t:fail?page_size=5", "",
                      {{"Authorization", Bearer("root", {"admin"}, "*")}})
                .status,
            404);  // the backend's answer (code 5), so the call went through
}

// --- limits --------------------------------------------------------------------------------------

TEST_F(GatewayTest, BurstOverTheBucketIs429WithRetryAfter) {
  GatewayConfig config = AuthConfig();
  config.rate_limit = true;
  config.read_subject = {0.01, 3};  // a token per 100 s: the burst is all there is
  StartGateway(config);
  Client client = Connect();
  std::string alice = Bearer("alice", {"thing.reader"});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(client.Send(http::verb::get, "/v1/things/b", "", {{"Authorization", alice}}).status,
              200);
  }
  Reply r = client.Send(http::verb::get, "/v1/things/b", "", {{"Authorization", alice}});
  EXPECT_EQ(r.status, 429);
  int retry_after = 0;
  ASSERT_TRUE(absl::SimpleAtoi(r.headers["retry-after"], &retry_after)) << r.headers["retry-after"];
  EXPECT_GE(retry_after, 95);
  EXPECT_LE(retry_after, 100);
  EXPECT_NE(r.body.find(R"("code":8)"), std::string::npos);
  // Another subject has its own bucket.
  EXPECT_EQ(client
                .Send(http::verb::get, "/v1/things/b", "",
                      {{"Authorization", Bearer("bob", {"thing.reader"})}})
                .status,
            200);
}

TEST_F(GatewayTest, PerIpBucketAppliesAcrossSubjects) {
  GatewayConfig config = BaseConfig(absl::StrCat("127.0.0.1:", backend_port_));
  config.rate_limit = true;
  config.read_ip = {0.01, 2};
  StartGateway(config);
  Client client = Connect();
  EXPECT_EQ(client.Send(http::verb::get, "/v1/things/a").status, 200);
  EXPECT_EQ(client.Send(http::verb::get, "/v1/things/a").status, 200);
  EXPECT_EQ(client.Send(http::verb::get, "/v1/things/a").status, 429);
}

TEST_F(GatewayTest, PerIpBucketUsesXForwardedForOnlyFromTrustedProxies) {
  GatewayConfig config = BaseConfig(absl::StrCat("127.0.0.1:", backend_port_));
  config.rate_limit = true;
  config.read_ip = {0.01, 1};
  // Not trusted (the default): the header is ignored, every request is the peer's (127.0.0.1).
  StartGateway(config);
  {
    Client client = Connect();
    EXPECT_EQ(
        client.Send(http::verb::get, "/v1/things/a", "", {{"X-Forwarded-For", "198.51.100.1"}})
            .status,
        200);
    EXPECT_EQ(
        client.Send(http::verb::get, "/v1/things/a", "", {{"X-Forwarded-For", "198.51.100.2"}})
            .status,
        429);
  }
  // The loopback peer is a trusted proxy: each forwarded client has its own bucket; a spoofed
  // address left of the real one changes nothing.
  config.trusted_proxies = {"127.0.0.0/8"};
  StartGateway(config);
  Client client = Connect();
  EXPECT_EQ(client.Send(http::verb::get, "/v1/things/a", "", {{"X-Forwarded-For", "198.51.100.1"}})
                .status,
            200);
  EXPECT_EQ(client
                .Send(http::verb::get, "/v1/things/a", "",
                      {{"X-Forwarded-For", "203.0.113.66, 198.51.100.1"}})
                .status,
            429);
  EXPECT_EQ(client.Send(http::verb::get, "/v1/things/a", "", {{"X-Forwarded-For", "198.51.100.2"}})
                .status,
            200);
  // Without the header the proxy itself is the client.
  EXPECT_EQ(client.Send(http::verb::get, "/v1/things/a").status, 200);
  EXPECT_EQ(client.Send(http::verb::get, "/v1/things/a").status, 429);
}

class GatewayRedisTest : public GatewayTest {
 protected:
  static void SetUpTestSuite() {
    GatewayTest::SetUpTestSuite();
    redis_ = new civil::testing::RedisServer();
  }
  static void TearDownTestSuite() {
    delete redis_;
    GatewayTest::TearDownTestSuite();
  }
  void SetUp() override { StartRedisGateway({0.01, 4}); }
  void StartRedisGateway(GatewayConfig::Bucket write_subject) {
    GatewayConfig config = AuthConfig();
    config.deadline_ms = 3000;
    config.redis = redis_->address();
    config.rate_limit = true;
    config.write_subject = write_subject;
    StartGateway(config);
  }
  static civil::testing::RedisServer* redis_;
};
civil::testing::RedisServer* GatewayRedisTest::redis_ = nullptr;

TEST_F(GatewayRedisTest, RateLimitIsSharedThroughRedisAndFallsBackWhenItIsDown) {
  std::string bob = Bearer("bob-limit", {"thing.writer"});
  Client client = Connect();
  for (int i = 0; i < 4; ++i) {
    Reply r =
        client.Send(http::verb::post, "/v1/things", R"({"id":"x"})", {{"Authorization", bob}});
    EXPECT_EQ(r.status, 200) << r.body;
  }
  EXPECT_EQ(
      client.Send(http::verb::post, "/v1/things", R"({"id":"x"})", {{"Authorization", bob}}).status,
      429);
  // A second gateway on the same Redis sees the same empty bucket.
  std::unique_ptr<Gateway> first = std::move(gateway_);
  StartRedisGateway({0.01, 4});
  Client second = Connect();
  EXPECT_EQ(
      second.Send(http::verb::post, "/v1/things", R"({"id":"x"})", {{"Authorization", bob}}).status,
      429);
  first.reset();

  // Redis down: still serving, with the in-process limiter.
  redis_->Stop();
  std::string carol = Bearer("carol-limit", {"thing.writer"});
  int ok = 0, limited = 0;
  for (int i = 0; i < 6; ++i) {
    int status =
        second.Send(http::verb::post, "/v1/things", R"({"id":"y"})", {{"Authorization", carol}})
            .status;
    ok += status == 200;
    limited += status == 429;
  }
  redis_->Start();
  EXPECT_EQ(ok, 4);
  EXPECT_EQ(limited, 2);

  // Redis is back: after the retry interval the buckets are shared again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  std::string dave = Bearer("dave-limit", {"thing.writer"});
  for (int i = 0; i < 6; ++i) {  // the first may still be decided locally while reconnecting
    if (second.Send(http::verb::post, "/v1/things", R"({"id":"z"})", {{"Authorization", dave}})
            .status == 429) {
      break;
    }
  }
  std::unique_ptr<Gateway> previous = std::move(gateway_);
  StartRedisGateway({0.01, 4});
  EXPECT_EQ(Connect()
                .Send(http::verb::post, "/v1/things", R"({"id":"z"})", {{"Authorization", dave}})
                .status,
            429);
  previous.reset();
}

TEST_F(GatewayRedisTest, IdempotencyKeyReplaysMismatchesAndRefusesConcurrentDuplicates) {
  StartRedisGateway({100, 100});
  std::string writer = Bearer("idem-writer", {"thing.writer"});
  Client client = Connect();
  int creates = backend_->creates();
  std::map<std::string, std::string> headers = {{"Authorization", writer},
                                                {"Idempotency-Key", "k-1"}};
  Reply first = client.Send(http::verb::post, "/v1/things", R"({"id":"once"})", headers);
  ASSERT_EQ(first.status, 200) << first.body;
  Reply again = client.Send(http::verb::post, "/v1/things", R"({"id":"once"})", headers);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(backend_->creates(), creates + 1);

  Reply other = client.Send(http::verb::post, "/v1/things", R"({"id":"twice"})", headers);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(backend_->creates(), creates + 1);

  // The same key from another principal is another key.
  Reply mine = client.Send(
      http::verb::post, "/v1/things", R"({"id":"twice"})",
      {{"Authorization", Bearer("idem-other", {"thing.writer"})}, {"Idempotency-Key", "k-1"}});
  EXPECT_EQ(mine.status, 200);
  EXPECT_EQ(mine.headers.count("idempotent-replayed"), 0u);

  // A duplicate while the first is still running.
  uint16_t port = gateway_->port();
  Reply slow;
  std::map<std::string, std::string> slow_headers = {{"Authorization", writer},
                                                     {"Idempotency-Key", "k-slow"}};
  std::thread running([&] {
    slow = Client(port).Send(http::verb::post, "/v1/things:slow", R"({"id":"s"})", slow_headers);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Reply duplicate = client.Send(http::verb::post, "/v1/things:slow", R"({"id":"s"})", slow_headers);
  running.join();
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(slow.status, 200);
  EXPECT_EQ(client.Send(http::verb::post, "/v1/things:slow", R"({"id":"s"})", slow_headers)
                .headers["idempotent-replayed"],
            "true");
}

TEST_F(GatewayTest, IdempotencyWithoutRedisIsKeptInProcess) {
  StartGateway(AuthConfig());
  Client client = Connect();
  std::map<std::string, std::string> headers = {
      {"Authorization", Bearer("local-writer", {"thing.writer"})}, {"Idempotency-Key", "k"}};
  int creates = backend_->creates();
  EXPECT_EQ(client.Send(http::verb::post, "/v1/things", R"({"id":"a"})", headers).status, 200);
  Reply replay = client.Send(http::verb::post, "/v1/things", R"({"id":"a"})", headers);
  EXPECT_EQ(replay.headers["idempotent-replayed"], "true");
  EXPECT_EQ(client.Send(http::verb::post, "/v1/things", R"({"id":"b"})", headers).status, 422);
  EXPECT_EQ(backend_->creates(), creates + 1);
}

// --- the fast paths are switches over library paths ----------------------------------------------

// What a few requests answer (status and body), covering both JSON directions and an error.
std::vector<std::string> Transcripts(Client& client) {
  std::vector<std::string> out;
  auto add = [&out](const Reply& r) { out.push_back(absl::StrCat(r.status, " ", r.body)); };
  add(client.Send(http::verb::get, "/v1/things/abc"));
  add(client.Send(http::verb::get, "/v1/things/t1:fail?page_size=5"));
  add(client.Send(http::verb::post, "/v1/things", R"({"id":"x","n":3})"));
  add(client.Send(http::verb::post, "/v1/things", R"({"id":"x","n":"many"})"));
  add(client.Send(http::verb::post, "/v1/things", R"({"id":"x","bogus":1})"));
  add(client.Send(http::verb::get, "/v1/things/abc?colour=red"));
  return out;
}

TEST_F(GatewayTest, FastJsonOffAnswersTheSameThroughProtobufsConverter) {
  Client fast_client = Connect();
  const std::vector<std::string> fast = Transcripts(fast_client);
  EXPECT_EQ(fast[0], R"(200 {"id":"abc","color":"COLOR_BLUE","totalCount":"7"})");

  GatewayConfig config = BaseConfig(absl::StrCat("127.0.0.1:", backend_port_));
  config.fast_json = false;
  StartGateway(config);
  Client library_client = Connect();
  EXPECT_EQ(Transcripts(library_client), fast);

  // The transcoder itself: protobuf's JSON utilities only, byte for byte what FastJson gives.
  Transcoder with(descriptors_->pool.get(), descriptors_->files, {.fast_json = true});
  Transcoder without(descriptors_->pool.get(), descriptors_->files, {.fast_json = false});
  EXPECT_TRUE(with.uses_fast_json());
  EXPECT_FALSE(without.uses_fast_json());
}

TEST_F(GatewayTest, H2UnaryOffCallsTheBackendThroughGrpcsGenericStub) {
  Client client = Connect();
  ASSERT_EQ(client.Send(http::verb::get, "/v1/things/abc").status, 200);
  EXPECT_EQ(backend_->LastMetadata("user-agent").rfind("civil-gateway (nghttp2)", 0), 0u)
      << backend_->LastMetadata("user-agent");

  GatewayConfig config = BaseConfig(absl::StrCat("127.0.0.1:", backend_port_));
  config.h2_unary = false;
  StartGateway(config);
  Client library_client = Connect();
  Reply r = library_client.Send(http::verb::get, "/v1/things/abc", "", {{"X-Request-Id", "r-1"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"id":"abc","color":"COLOR_BLUE","totalCount":"7"})");
  // gRPC C++'s client, with the same metadata.
  EXPECT_NE(backend_->LastMetadata("user-agent").find("grpc-c++"), std::string::npos)
      << backend_->LastMetadata("user-agent");
  EXPECT_EQ(backend_->LastMetadata("x-request-id"), "r-1");
  // Statuses and deadlines as over HTTP/2.
  r = library_client.Send(http::verb::get, "/v1/things/t1:fail?page_size=5");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"code":5,"message":"boom: t1","details":[]})");
  r = library_client.Send(http::verb::get, "/v1/things/t1:hang");
  EXPECT_EQ(r.status, 504);
  EXPECT_EQ(library_client.Send(http::verb::get, "/healthz").status, 200);
}

// --- transport -----------------------------------------------------------------------------------

TEST_F(GatewayTest, ClientTimeoutIsHonouredAndCapped) {
  StartGateway(absl::StrCat("127.0.0.1:", backend_port_), /*deadline_ms=*/5000);
  Client client = Connect();
  auto start = std::chrono::steady_clock::now();
  Reply r = client.Send(http::verb::get, "/v1/things/t:hang", "", {{"X-Request-Timeout", "150ms"}});
  EXPECT_EQ(r.status, 504);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));
  r = client.Send(http::verb::get, "/v1/things/a", "", {{"X-Request-Timeout", "soon"}});
  EXPECT_EQ(r.status, 400);
  int64_t ms = 0;
  EXPECT_TRUE(ParseRequestTimeout("1.5s", &ms));
  EXPECT_EQ(ms, 1500);
  EXPECT_TRUE(ParseRequestTimeout("250", &ms));
  EXPECT_EQ(ms, 250);
  EXPECT_FALSE(ParseRequestTimeout("-1s", &ms));
}

TEST_F(GatewayTest, CorsForConfiguredOriginsOnly) {
  GatewayConfig config = BaseConfig(absl::StrCat("127.0.0.1:", backend_port_));
  config.cors_origins = {"https://app.example.gov"};
  StartGateway(config);
  Client client = Connect();
  Reply r = client.Send(http::verb::options, "/v1/things/a", "",
                        {{"Origin", "https://app.example.gov"},
                         {"Access-Control-Request-Method", "GET"},
                         {"Access-Control-Request-Headers", "authorization"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["access-control-allow-origin"], "https://app.example.gov");
  EXPECT_NE(r.headers["access-control-allow-headers"].find("authorization"), std::string::npos);
  r = client.Send(http::verb::get, "/v1/things/a", "", {{"Origin", "https://app.example.gov"}});
  EXPECT_EQ(r.headers["access-control-allow-origin"], "https://app.example.gov");
  r = client.Send(http::verb::get, "/v1/things/a", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u);
  r = client.Send(http::verb::options, "/v1/things/a", "",
                  {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(r.status, 403);
}

TEST_F(GatewayTest, GzipWhenAcceptedAndLargeEnough) {
  GatewayConfig config = BaseConfig(absl::StrCat("127.0.0.1:", backend_port_));
  config.gzip_min_bytes = 10;
  StartGateway(config);
  Client client = Connect();
  Reply r =
      client.Send(http::verb::get, "/v1/things/abcdefghij", "", {{"Accept-Encoding", "br, gzip"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-encoding"], "gzip");
  ASSERT_GE(r.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(r.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(r.body[1]), 0x8b);
  r = client.Send(http::verb::get, "/v1/things/abcdefghij", "", {{"Accept-Encoding", "gzip;q=0"}});
  EXPECT_EQ(r.headers.count("content-encoding"), 0u);
  EXPECT_EQ(r.body, R"({"id":"abcdefghij","color":"COLOR_BLUE","totalCount":"7"})");
}

TEST_F(GatewayTest, OpenApiDescribesEveryRouteWithTheSecurityScheme) {
  StartGateway(AuthConfig());
  Client client = Connect();
  Reply r = client.Send(http::verb::get, "/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("/v1/things/{inner.id}")"), std::string::npos);
  EXPECT_NE(r.body.find(R"("/v1/things/{id}:tag")"), std::string::npos);
  EXPECT_NE(r.body.find(R"("bearerAuth")"), std::string::npos);
  EXPECT_NE(r.body.find(R"("x-required-roles":["thing.reader","auditor"])"), std::string::npos);
  r = client.Send(http::verb::get, "/docs");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("swagger-ui-bundle.js"), std::string::npos);
  EXPECT_EQ(client.Send(http::verb::get, "/docs/ui/../../etc/passwd").status, 404);
}

TEST_F(GatewayTest, ServesHttpsWithTheConfiguredCertificate) {
  civil::testing::TempDir dir;
  const std::string cert = dir.path() + "/cert.pem";
  const std::string key = dir.path() + "/key.pem";
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "
      "/CN=localhost -keyout " +
      key + " -out " + cert + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  GatewayConfig config = BaseConfig(absl::StrCat("127.0.0.1:", backend_port_));
  config.tls_cert = cert;
  config.tls_key = key;
  StartGateway(config);

  boost::asio::io_context io;
  boost::asio::ssl::context tls(boost::asio::ssl::context::tls_client);
  tls.set_verify_mode(boost::asio::ssl::verify_none);
  boost::beast::ssl_stream<tcp::socket> stream(io, tls);
  stream.next_layer().connect(
      tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), gateway_->port()));
  stream.handshake(boost::asio::ssl::stream_base::client);
  http::request<http::string_body> req(http::verb::get, "/v1/things/tls", 11);
  req.set(http::field::host, "localhost");
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_NE(res.body().find(R"("id":"tls")"), std::string::npos);

  // Plain HTTP on the TLS port gets nowhere.
  Client plain(gateway_->port());
  EXPECT_ANY_THROW(plain.Send(http::verb::get, "/v1/things/x"));

  // A bad certificate path is a start-up error naming it.
  config.tls_cert = dir.path() + "/missing.pem";
  absl::StatusOr<std::unique_ptr<Gateway>> gw =
      Gateway::Create(config, [](absl::string_view) { return std::nullopt; });
  ASSERT_TRUE(gw.ok());
  absl::Status started = (*gw)->Start();
  EXPECT_FALSE(started.ok());
  EXPECT_NE(started.message().find("missing.pem"), absl::string_view::npos);
}

TEST_F(GatewayTest, ServerStreamingIsNewlineDelimitedJsonInChunks) {
  Client client = Connect();
  Reply r = client.Send(http::verb::get, "/v1/things/e:export?page_size=3");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/x-ndjson");
  EXPECT_EQ(r.headers["transfer-encoding"], "chunked");
  EXPECT_EQ(r.body, "{\"id\":\"e-3\"}\n{\"id\":\"e-2\"}\n{\"id\":\"e-1\"}\n");
  EXPECT_FALSE(r.headers["x-request-id"].empty());
  // The connection stays usable after a stream.
  EXPECT_EQ(client.Send(http::verb::get, "/v1/things/after").status, 200);

  // An error after some messages ends the stream with an error line.
  r = client.Send(http::verb::get, "/v1/things/e:export?page_size=2&active=true");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            "{\"id\":\"e-2\"}\n{\"id\":\"e-1\"}\n"
            "{\"error\":{\"code\":15,\"message\":\"export broke\",\"details\":[]}}\n");
  // An error before any message is an ordinary error response.
  r = client.Send(http::verb::get, "/v1/things/e:export?page_size=0&active=true");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"code":15,"message":"export broke","details":[]})");
  // No messages, no error: an empty stream.
  r = client.Send(http::verb::get, "/v1/things/e:export?page_size=0");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

TEST_F(GatewayTest, LongStreamsFollowTheClientsPace) {
  Client client = Connect();
  Reply r = client.Send(http::verb::get, "/v1/things/big:export?page_size=2000");
  EXPECT_EQ(r.status, 200);
  size_t lines = std::count(r.body.begin(), r.body.end(), '\n');
  EXPECT_EQ(lines, 2000u);
}

}  // namespace
}  // namespace civil::gateway
