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
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gateway/descriptor_set.h"
#include "tests/gateway/test_contract.h"

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
      if (method == "/test.v1.ThingService/Get") {
        const pb::Message& inner = r->GetMessage(*req, d->FindFieldByName("inner"));
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
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method));
    }

    void OnCancel() override { Finish(grpc::Status::CANCELLED); }
    void OnWriteDone(bool) override {}
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
  }

  static void TearDownTestSuite() {
    server_->Shutdown();
    delete server_;
    delete backend_;
    delete descriptors_;
    std::remove(descriptor_path_->c_str());
    delete descriptor_path_;
  }

  void SetUp() override { StartGateway(absl::StrCat("127.0.0.1:", backend_port_)); }
  void TearDown() override { gateway_.reset(); }

  void StartGateway(const std::string& backend, int deadline_ms = 300) {
    gateway_.reset();
    GatewayConfig config;
    config.descriptor_set = *descriptor_path_;
    config.listen = "127.0.0.1:0";
    config.metrics_listen = "off";
    config.threads = 2;
    config.deadline_ms = deadline_ms;
    config.max_body_bytes = 4096;
    config.access_log = false;
    config.backends = {{"test.v1.ThingService", backend}};
    absl::StatusOr<std::unique_ptr<Gateway>> gw =
        Gateway::Create(config, [](absl::string_view) { return std::nullopt; });
    ASSERT_TRUE(gw.ok()) << gw.status();
    gateway_ = *std::move(gw);
    ASSERT_TRUE(gateway_->Start().ok());
  }

  Client Connect() { return Client(gateway_->port()); }

  static std::string* descriptor_path_;
  static LoadedDescriptors* descriptors_;
  static ThingBackend* backend_;
  static grpc::Server* server_;
  static int backend_port_;
  std::unique_ptr<Gateway> gateway_;
};

std::string* GatewayTest::descriptor_path_ = nullptr;
LoadedDescriptors* GatewayTest::descriptors_ = nullptr;
ThingBackend* GatewayTest::backend_ = nullptr;
grpc::Server* GatewayTest::server_ = nullptr;
int GatewayTest::backend_port_ = 0;

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

TEST_F(GatewayTest, ClientRequestIdAndAuthorizationArePropagated) {
  Client client = Connect();
  Reply r = client.Send(http::verb::get, "/v1/things/abc", "",
                        {{"X-Request-Id", "req-123"},
                         {"Authorization", "Bearer t0k3n"},
                         {"Grpc-Metadata-Tenant", "340722"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["x-request-id"], "req-123");
  EXPECT_EQ(backend_->LastMetadata("x-request-id"), "req-123");
  EXPECT_EQ(backend_->LastMetadata("authorization"), "Bearer t0k3n");
  EXPECT_EQ(backend_->LastMetadata("tenant"), "340722");
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

}  // namespace
}  // namespace civil::gateway
