#include "gateway/grpc_h2.h"

#include <grpc/status.h>
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace civil::gateway {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Splits `dns:///host:port`, `host:port` or `[v6]:port`. False for other forms (`unix:`, ...).
bool SplitTarget(absl::string_view target, std::string* host, std::string* port) {
  absl::ConsumePrefix(&target, "dns:///");
  absl::string_view h, p;
  if (!target.empty() && target.front() == '[') {
    size_t close = target.find("]:");
    if (close == absl::string_view::npos) return false;
    h = target.substr(1, close - 1);
    p = target.substr(close + 2);
  } else {
    size_t colon = target.rfind(':');
    if (colon == absl::string_view::npos) return false;
    h = target.substr(0, colon);
    p = target.substr(colon + 1);
    if (h.find(':') != absl::string_view::npos) return false;  // another scheme
  }
  uint32_t number;
  if (h.empty() || p.empty() || !absl::SimpleAtoi(p, &number) || number == 0 || number > 65535) {
    return false;
  }
  *host = std::string(h);
  *port = std::string(p);
  return true;
}

// gRPC's `grpc-message` is percent-encoded (RFC 3986 style, for anything but printable ASCII and
// '%').
std::string PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        absl::ascii_isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        absl::ascii_isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      auto hex = [](char c) {
        return c <= '9' ? c - '0' : (absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' + 10);
      };
      out.push_back(static_cast<char>(hex(text[i + 1]) << 4 | hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// What a gRPC client reports for an HTTP status without grpc-status (gRPC's
// doc/http-grpc-status-mapping.md).
int GrpcCodeForHttp(int status) {
  switch (status) {
    case 400:
      return GRPC_STATUS_INTERNAL;
    case 401:
      return GRPC_STATUS_UNAUTHENTICATED;
    case 403:
      return GRPC_STATUS_PERMISSION_DENIED;
    case 404:
      return GRPC_STATUS_UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GRPC_STATUS_UNAVAILABLE;
    default:
      return GRPC_STATUS_UNKNOWN;
  }
}

// ... and for a stream reset without grpc-status.
int GrpcCodeForReset(uint32_t error_code) {
  switch (error_code) {
    case NGHTTP2_REFUSED_STREAM:
      return GRPC_STATUS_UNAVAILABLE;
    case NGHTTP2_CANCEL:
      return GRPC_STATUS_CANCELLED;
    case NGHTTP2_ENHANCE_YOUR_CALM:
      return GRPC_STATUS_RESOURCE_EXHAUSTED;
    case NGHTTP2_INADEQUATE_SECURITY:
      return GRPC_STATUS_PERMISSION_DENIED;
    default:
      return GRPC_STATUS_INTERNAL;
  }
}

// `grpc-timeout` for what is left until `deadline`: at most 8 digits and a unit, rounded up to
// two significant digits so that the value repeats from call to call and HPACK indexes it (the
// gateway's own timer enforces the exact deadline).
std::string TimeoutHeader(Clock::time_point deadline) {
  int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  ms = std::max<int64_t>(ms, 1);
  int64_t scale = 1;
  while (ms > 99) {
    ms = (ms + 9) / 10;
    scale *= 10;
  }
  ms *= scale;
  if (ms <= 99999999) return absl::StrCat(ms, "m");
  return absl::StrCat(std::min<int64_t>((ms + 999) / 1000, 99999999), "S");
}

// A header whose name and value outlive the HEADERS frame (no copy); `index` false for values that
// differ on every call (they would only churn the HPACK table).
nghttp2_nv Header(absl::string_view name, absl::string_view value, bool index = true) {
  return nghttp2_nv{
      reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
      reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
      static_cast<uint8_t>(NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE |
                           (index ? 0 : NGHTTP2_NV_FLAG_NO_INDEX))};
}

}  // namespace

struct ChannelTimer {
  explicit ChannelTimer(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
  Clock::time_point armed_for = Clock::time_point::max();
  bool armed = false;
};

struct GrpcH2Channel::CallState {
  std::string method;
  std::string timeout;  // grpc-timeout
  std::string payload;  // the request message behind its 5-byte gRPC prefix
  size_t sent = 0;
  GrpcMetadata metadata;
  Clock::time_point deadline;
  std::multimap<Clock::time_point, CallState*>::iterator deadline_it;
  std::function<void(GrpcResult)> done;
  Connection* connection = nullptr;  // while nghttp2 has its stream
  int32_t stream_id = 0;
  bool completed = false;  // `done` has run
  // The answer.
  int http_status = 0;
  int grpc_status = -1;
  std::string grpc_message;
  std::string details;
  std::string body;
  bool too_large = false;
  // Sending again a call that never reached the backend (Options::retry_unsent).
  bool keep_payload = false;  // the payload stays after it was written, for another attempt
  Clock::time_point first_attempt;
  int attempts = 0;
  std::unique_ptr<asio::steady_timer> retry_timer;  // while in the channel's retrying_
};

// One HTTP/2 connection: TCP socket + nghttp2 client session, used from the io thread only.
class GrpcH2Channel::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(GrpcH2Channel* channel, asio::io_context& io)
      : channel_(channel),
        alive_(channel->alive_),
        io_(io),
        socket_(io),
        resolver_(io),
        connect_timer_(io),
        in_(std::make_unique<std::array<char, 65536>>()) {}

  ~Connection() { Abandon(); }

  // Resolves and connects; tells the channel OnConnected() or OnConnectFailed().
  void Start(const std::string& host, const std::string& port, Clock::duration timeout) {
    auto self = shared_from_this();
    connect_timer_.expires_after(timeout);
    connect_timer_.async_wait([self](boost::system::error_code ec) {
      if (ec || self->closed_ || self->ready_) return;
      self->Fail("connect timed out");
    });
    resolver_.async_resolve(
        host, port, [self](boost::system::error_code ec, tcp::resolver::results_type results) {
          if (self->closed_) return;
          if (ec) return self->Fail(absl::StrCat("cannot resolve: ", ec.message()));
          asio::async_connect(self->socket_, results,
                              [self](boost::system::error_code ec, const tcp::endpoint&) {
                                if (self->closed_) return;
                                if (ec) return self->Fail(ec.message());
                                self->OnTcpConnected();
                              });
        });
  }

  bool ready() const { return ready_ && !draining_ && !closed_; }
  bool idle() const { return calls_.empty(); }

  // Sends `call` as a new stream. False when this connection takes no new streams (GOAWAY, stream
  // ids used up): the caller opens another.
  bool Submit(CallState* call) {
    if (!ready() || nghttp2_session_check_request_allowed(session_) == 0) return false;
    call->timeout = TimeoutHeader(call->deadline);
    std::vector<nghttp2_nv> headers;
    headers.reserve(8 + call->metadata.size());
    headers.push_back(Header(":method", "POST"));
    headers.push_back(Header(":scheme", "http"));
    headers.push_back(Header(":path", call->method));
    headers.push_back(Header(":authority", channel_->target_authority_));
    headers.push_back(Header("content-type", "application/grpc"));
    headers.push_back(Header("te", "trailers"));
    headers.push_back(Header("grpc-timeout", call->timeout));
    headers.push_back(Header("user-agent", "civil-gateway (nghttp2)"));
    for (const auto& [name, value] : call->metadata) {
      // Never indexed: request ids (unique) and tokens (RFC 7541 §7.1.3).
      headers.push_back(Header(name, value, name != "x-request-id" && name != "authorization"));
    }
    nghttp2_data_provider body;
    body.source.ptr = call;
    body.read_callback = &Connection::ReadBody;
    const int32_t id =
        nghttp2_submit_request(session_, nullptr, headers.data(), headers.size(), &body, call);
    if (id < 0) {
      draining_ = true;  // e.g. NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE
      return false;
    }
    call->connection = this;
    call->stream_id = id;
    calls_.insert(call);
    ScheduleFlush();
    return true;
  }

  // Resets the stream of a call whose deadline passed (its answer no longer matters).
  void Cancel(CallState* call) {
    if (closed_ || session_ == nullptr) return;
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, call->stream_id, NGHTTP2_CANCEL);
    ScheduleFlush();
  }

  // The channel is going away: close without running any callback.
  void Abandon() {
    closed_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
    connect_timer_.cancel();
    resolver_.cancel();
    for (CallState* call : calls_) delete call;
    calls_.clear();
    if (session_ != nullptr) {
      nghttp2_session_del(session_);
      session_ = nullptr;
    }
  }

 private:
  void OnTcpConnected() {
    connect_timer_.cancel();
    boost::system::error_code ignored;
    // A port in the ephemeral range with nothing listening can be reached by a TCP
    // simultaneous open with itself: that is no backend.
    const tcp::endpoint local = socket_.local_endpoint(ignored);
    if (local == socket_.remote_endpoint(ignored)) return Fail("connected to itself");
    socket_.set_option(tcp::no_delay(true), ignored);
    nghttp2_session_callbacks* callbacks;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &Connection::OnHeader);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Connection::OnData);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Connection::OnStreamClose);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Connection::OnFrame);
    const int rv = nghttp2_session_client_new(&session_, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    if (rv != 0) return Fail(nghttp2_strerror(rv));
    // No server push; large windows, so that big responses need no round trip for credit.
    const nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
                                               {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 4 << 20}};
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, 2);
    nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, 64 << 20);
    ready_ = true;
    Read();
    if (alive()) channel_->OnConnected(this);
    Flush();
  }

  bool alive() const { return *alive_; }

  void Read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(*in_), [self](boost::system::error_code ec, size_t n) {
      if (self->closed_ || !self->alive()) return;
      if (ec) {
        return self->Fail(ec == asio::error::eof ? "connection closed by the backend"
                                                 : ec.message());
      }
      const ssize_t rv = nghttp2_session_mem_recv(
          self->session_, reinterpret_cast<const uint8_t*>(self->in_->data()), n);
      if (self->closed_) return;
      if (rv < 0) return self->Fail(nghttp2_strerror(static_cast<int>(rv)));
      self->Flush();
      if (self->closed_) return;
      if (nghttp2_session_want_read(self->session_) == 0 &&
          nghttp2_session_want_write(self->session_) == 0) {
        return self->Fail("session ended");
      }
      self->Read();
    });
  }

  // Writes what nghttp2 has to send, once per io loop turn (calls of one turn share the write).
  void ScheduleFlush() {
    if (flush_posted_) return;
    flush_posted_ = true;
    asio::post(io_, [self = shared_from_this()] {
      self->flush_posted_ = false;
      if (!self->closed_ && self->alive()) self->Flush();
    });
  }

  void Flush() {
    if (writing_ || closed_ || session_ == nullptr) return;
    while (out_.size() < 65536) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) return Fail(nghttp2_strerror(static_cast<int>(n)));
      if (n == 0) break;
      out_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    if (out_.empty()) {
      if (draining_ && calls_.empty()) Fail("drained");
      return;
    }
    writing_ = true;
    writing_buffer_.swap(out_);
    out_.clear();
    asio::async_write(socket_, asio::buffer(writing_buffer_),
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                        self->writing_ = false;
                        if (self->closed_ || !self->alive()) return;
                        if (ec) return self->Fail(ec.message());
                        self->Flush();
                      });
  }

  // Closes; before it was ready that is a failed connect, afterwards the connection is gone and
  // its calls fail with UNAVAILABLE.
  void Fail(const std::string& why) {
    if (closed_) return;
    closed_ = true;
    // A connection is established once the server's SETTINGS arrived, as gRPC counts it: one
    // that closes before is a failed connect, and the channel backs off.
    const bool was_ready = ready_ && server_spoke_;
    ready_ = false;
    boost::system::error_code ignored;
    socket_.close(ignored);
    connect_timer_.cancel();
    resolver_.cancel();
    if (session_ != nullptr) {
      nghttp2_session_del(session_);
      session_ = nullptr;
    }
    absl::flat_hash_set<CallState*> calls;
    calls.swap(calls_);
    if (!alive()) {
      for (CallState* call : calls) delete call;
      return;
    }
    auto self = shared_from_this();  // the channel may drop its reference
    if (was_ready) {
      channel_->OnClosed(this);
    } else {
      channel_->OnConnectFailed(this, why);
    }
    for (CallState* call : calls) {
      call->connection = nullptr;
      if (call->completed) {
        delete call;
      } else if (!server_spoke_) {
        // The server never sent its SETTINGS, which a gRPC server does before it reads a
        // stream (a listener closing with connections in its backlog): no handler saw the call.
        channel_->RetryOrFail(call, GRPC_STATUS_UNAVAILABLE,
                              absl::StrCat("connection to ", channel_->target_, " lost: ", why));
      } else {
        GrpcResult result;
        result.code = GRPC_STATUS_UNAVAILABLE;
        result.message = absl::StrCat("connection to ", channel_->target_, " lost: ", why);
        channel_->Complete(call, std::move(result));
      }
    }
  }

  static CallState* CallOf(nghttp2_session* session, int32_t stream_id) {
    return static_cast<CallState*>(nghttp2_session_get_stream_user_data(session, stream_id));
  }

  static ssize_t ReadBody(nghttp2_session*, int32_t, uint8_t* buf, size_t length,
                          uint32_t* data_flags, nghttp2_data_source* source, void*) {
    auto* call = static_cast<CallState*>(source->ptr);
    const size_t n = std::min(length, call->payload.size() - call->sent);
    std::memcpy(buf, call->payload.data() + call->sent, n);
    call->sent += n;
    if (call->sent == call->payload.size()) {
      *data_flags |= NGHTTP2_DATA_FLAG_EOF;
      if (!call->keep_payload) std::string().swap(call->payload);
    }
    return static_cast<ssize_t>(n);
  }

  static int OnHeader(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name,
                      size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void*) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    CallState* call = CallOf(session, frame->hd.stream_id);
    if (call == nullptr) return 0;
    absl::string_view n(reinterpret_cast<const char*>(name), namelen);
    absl::string_view v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":status") {
      if (!absl::SimpleAtoi(v, &call->http_status)) call->http_status = 0;
    } else if (n == "grpc-status") {
      if (!absl::SimpleAtoi(v, &call->grpc_status) || call->grpc_status < 0 ||
          call->grpc_status > 16) {
        call->grpc_status = GRPC_STATUS_UNKNOWN;
      }
    } else if (n == "grpc-message") {
      call->grpc_message = PercentDecode(v);
    } else if (n == "grpc-status-details-bin") {
      if (!absl::Base64Unescape(v, &call->details)) call->details.clear();
    }
    return 0;
  }

  static int OnData(nghttp2_session* session, uint8_t, int32_t stream_id, const uint8_t* data,
                    size_t len, void* user_data) {
    CallState* call = CallOf(session, stream_id);
    if (call == nullptr || call->completed || call->too_large) return 0;
    auto* self = static_cast<Connection*>(user_data);
    if (call->body.size() + len > self->channel_->options_.max_receive_bytes + 5) {
      call->too_large = true;
      std::string().swap(call->body);
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_CANCEL);
      return 0;
    }
    call->body.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }

  static int OnFrame(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    auto* self = static_cast<Connection*>(user_data);
    if (frame->hd.type == NGHTTP2_SETTINGS && (frame->hd.flags & NGHTTP2_FLAG_ACK) == 0) {
      self->server_spoke_ = true;
    }
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      self->goaway_received_ = true;
      if (!self->draining_) {
        self->draining_ = true;
        if (self->alive()) self->channel_->OnGoaway(self);
      }
    }
    return 0;
  }

  static int OnStreamClose(nghttp2_session* session, int32_t stream_id, uint32_t error_code,
                           void* user_data) {
    CallState* call = CallOf(session, stream_id);
    if (call == nullptr) return 0;
    nghttp2_session_set_stream_user_data(session, stream_id, nullptr);
    auto* self = static_cast<Connection*>(user_data);
    self->calls_.erase(call);
    call->connection = nullptr;
    if (call->completed || !self->alive()) {
      delete call;
    } else if (error_code == NGHTTP2_REFUSED_STREAM && call->http_status == 0 &&
               call->grpc_status < 0) {
      // Refused before any answer (RST_STREAM REFUSED_STREAM, or beyond a GOAWAY's last stream):
      // no handler saw it (RFC 9113 §8.7), so it is safe to send again.
      self->channel_->RetryOrFail(call, GRPC_STATUS_UNAVAILABLE,
                                  "stream refused by the backend (REFUSED_STREAM)");
    } else if (call->body.empty() &&
               ((call->grpc_status == GRPC_STATUS_CANCELLED && call->grpc_message == "CANCELLED") ||
                (error_code == NGHTTP2_CANCEL && call->http_status == 0 && call->grpc_status < 0 &&
                 self->goaway_received_))) {
      // A gRPC C++ sync server that is shutting down stops its handler threads before it sends
      // GOAWAY, and answers the calls it took meanwhile CANCELLED without running them (or resets
      // them after its GOAWAY). This client cancels a call only past its deadline, when the call
      // is complete already; the text "CANCELLED" is gRPC core's own, for a call it cancelled,
      // not a handler's answer (the services never return absl::CancelledError either). So such
      // a CANCELLED with no answer is one no handler ran, and safe to send again.
      self->channel_->RetryOrFail(call, GRPC_STATUS_UNAVAILABLE,
                                  "call cancelled unanswered by a backend shutting down");
    } else {
      self->channel_->Complete(call, Result(*call, error_code, self->channel_->options_));
    }
    if (self->draining_ && self->calls_.empty()) self->ScheduleFlush();  // then closes
    return 0;
  }

  static GrpcResult Result(CallState& call, uint32_t error_code, const Options& options) {
    GrpcResult r;
    if (call.too_large) {
      r.code = GRPC_STATUS_RESOURCE_EXHAUSTED;
      r.message = absl::StrCat("response larger than ", options.max_receive_bytes, " bytes");
      return r;
    }
    if (call.grpc_status < 0) {
      if (error_code != NGHTTP2_NO_ERROR) {
        r.code = GrpcCodeForReset(error_code);
        r.message = absl::StrCat("stream reset by the backend (HTTP/2 error ",
                                 nghttp2_http2_strerror(error_code), ")");
      } else if (call.http_status != 200) {
        r.code = GrpcCodeForHttp(call.http_status);
        r.message = absl::StrCat("backend answered HTTP ", call.http_status);
      } else {
        r.code = GRPC_STATUS_UNKNOWN;
        r.message = "backend sent no grpc-status";
      }
      return r;
    }
    r.code = call.grpc_status;
    r.message = std::move(call.grpc_message);
    r.details = std::move(call.details);
    if (r.code != 0) return r;
    // A unary answer is exactly one uncompressed message.
    const std::string& body = call.body;
    if (body.size() < 5) {
      r.code = GRPC_STATUS_INTERNAL;
      r.message = "no message returned for a unary call";
      return r;
    }
    const uint32_t length = static_cast<uint32_t>(static_cast<uint8_t>(body[1])) << 24 |
                            static_cast<uint32_t>(static_cast<uint8_t>(body[2])) << 16 |
                            static_cast<uint32_t>(static_cast<uint8_t>(body[3])) << 8 |
                            static_cast<uint32_t>(static_cast<uint8_t>(body[4]));
    if (body[0] != 0) {
      r.code = GRPC_STATUS_INTERNAL;
      r.message = "compressed response, but no compression was offered";
    } else if (body.size() != 5 + static_cast<size_t>(length)) {
      r.code = GRPC_STATUS_INTERNAL;
      r.message = "not exactly one message in a unary response";
    } else {
      r.response.assign(body, 5, std::string::npos);
    }
    return r;
  }

  GrpcH2Channel* channel_;
  std::shared_ptr<bool> alive_;  // the channel's: false once it is destroyed
  asio::io_context& io_;
  tcp::socket socket_;
  tcp::resolver resolver_;
  asio::steady_timer connect_timer_;
  nghttp2_session* session_ = nullptr;
  absl::flat_hash_set<CallState*> calls_;  // streams nghttp2 has not closed yet
  std::string out_;
  std::string writing_buffer_;
  std::unique_ptr<std::array<char, 65536>> in_;
  bool ready_ = false;
  bool server_spoke_ = false;  // the server's SETTINGS frame arrived
  bool draining_ = false;
  bool goaway_received_ = false;  // the server is shutting down
  bool closed_ = false;
  bool writing_ = false;
  bool flush_posted_ = false;
};

bool GrpcH2Channel::SupportedTarget(absl::string_view target) {
  std::string host, port;
  return SplitTarget(target, &host, &port);
}

GrpcH2Channel::GrpcH2Channel(asio::io_context& io, std::string target, Options options)
    : io_(io),
      target_(std::move(target)),
      options_(options),
      backoff_(options.initial_backoff),
      timer_(std::make_unique<ChannelTimer>(io)) {
  if (!SplitTarget(target_, &host_, &port_)) {
    host_ = target_;
    port_ = "0";
  }
  target_authority_ = std::string(absl::StripPrefix(target_, "dns:///"));
}

GrpcH2Channel::~GrpcH2Channel() {
  *alive_ = false;
  if (current_) current_->Abandon();
  for (auto& c : draining_) c->Abandon();
  for (CallState* call : waiting_) delete call;
  waiting_.clear();
  for (CallState* call : retrying_) delete call;
  retrying_.clear();
  deadlines_.clear();
}

void GrpcH2Channel::Call(absl::string_view method, absl::string_view request, GrpcMetadata metadata,
                         Clock::time_point deadline, std::function<void(GrpcResult)> done) {
  auto* call = new CallState;
  call->method.assign(method.data(), method.size());
  call->payload.resize(5 + request.size());
  char* p = call->payload.data();
  p[0] = 0;  // not compressed
  const auto length = static_cast<uint32_t>(request.size());
  p[1] = static_cast<char>(length >> 24);
  p[2] = static_cast<char>(length >> 16);
  p[3] = static_cast<char>(length >> 8);
  p[4] = static_cast<char>(length);
  if (!request.empty()) std::memcpy(p + 5, request.data(), request.size());
  call->metadata = std::move(metadata);
  call->deadline = deadline;
  call->done = std::move(done);
  call->deadline_it = deadlines_.emplace(deadline, call);
  call->keep_payload = options_.retry_unsent.count() > 0;
  call->first_attempt = Clock::now();
  ArmTimer();

  if (!current_ && state() == State::kTransientFailure && Clock::now() < retry_at_) {
    // Backing off: sent once the backoff ends if the retry budget allows, else failed fast (after
    // Call() returned), as a gRPC channel in TRANSIENT_FAILURE does.
    if (Clock::time_point at; RetryTime(*call, &at)) return ScheduleRetry(call, at);
    deadlines_.erase(call->deadline_it);
    std::function<void(GrpcResult)> callback = std::move(call->done);
    delete call;
    return FailAfter(std::move(callback), GRPC_STATUS_UNAVAILABLE, last_error_, /*unsent=*/true);
  }
  Dispatch(call);
}

void GrpcH2Channel::Dispatch(CallState* call) {
  if (current_ && current_->ready()) {
    if (current_->Submit(call)) return;
    OnGoaway(current_.get());  // no new streams there: a new connection takes this call
  }
  if (!current_) {
    if (state() == State::kTransientFailure && Clock::now() < retry_at_) {
      // Only a retried call gets here (Call() handles a first attempt): it waits for the backoff.
      return RetryOrFail(call, GRPC_STATUS_UNAVAILABLE, last_error_);
    }
    Connect();
  }
  if (waiting_.size() >= options_.max_waiting) {
    deadlines_.erase(call->deadline_it);
    std::function<void(GrpcResult)> callback = std::move(call->done);
    delete call;
    return FailAfter(std::move(callback), GRPC_STATUS_UNAVAILABLE,
                     absl::StrCat("too many calls waiting for ", target_), true);
  }
  waiting_.push_back(call);
}

void GrpcH2Channel::FailAfter(std::function<void(GrpcResult)> done, int code, std::string message,
                              bool unsent) {
  asio::post(io_, [alive = std::weak_ptr<bool>(alive_), done = std::move(done), code,
                   message = std::move(message), unsent]() mutable {
    auto still = alive.lock();
    if (!still || !*still) return;
    GrpcResult result;
    result.code = code;
    result.message = std::move(message);
    result.unsent = unsent;
    done(std::move(result));
  });
}

void GrpcH2Channel::Connect() {
  current_ = std::make_shared<Connection>(this, io_);
  state_.store(State::kConnecting, std::memory_order_relaxed);
  current_->Start(host_, port_, options_.connect_timeout);
}

void GrpcH2Channel::OnConnected(Connection* connection) {
  if (connection != current_.get()) return;
  state_.store(State::kReady, std::memory_order_relaxed);
  backoff_ = options_.initial_backoff;
  std::vector<CallState*> waiting;
  waiting.swap(waiting_);
  for (CallState* call : waiting) {
    if (!connection->Submit(call)) {
      RetryOrFail(call, GRPC_STATUS_UNAVAILABLE,
                  absl::StrCat("connection to ", target_, " refused the call"));
    }
  }
}

void GrpcH2Channel::OnConnectFailed(Connection* connection, const std::string& why) {
  if (connection != current_.get()) return;
  current_.reset();
  state_.store(State::kTransientFailure, std::memory_order_relaxed);
  last_error_ = absl::StrCat("failed to connect to ", target_, ": ", why);
  retry_at_ = Clock::now() + backoff_;
  backoff_ = std::min(options_.max_backoff, backoff_ * 2);
  std::vector<CallState*> waiting;
  waiting.swap(waiting_);
  // Not one of them was written: the connection never came up.
  for (CallState* call : waiting) RetryOrFail(call, GRPC_STATUS_UNAVAILABLE, last_error_);
}

bool GrpcH2Channel::RetryTime(const CallState& call, Clock::time_point* at) const {
  if (options_.retry_unsent.count() <= 0) return false;
  const Clock::time_point now = Clock::now();
  Clock::time_point next =
      now + std::min<Clock::duration>(std::chrono::milliseconds(25 << std::min(call.attempts, 5)),
                                      std::chrono::milliseconds(500));
  // No connection attempt before the backoff ends: the retry waits for it.
  if (!current_ && state() == State::kTransientFailure) next = std::max(next, retry_at_);
  if (next > call.first_attempt + options_.retry_unsent) return false;
  // Room left for the call itself, or the caller would get DEADLINE_EXCEEDED for a backend that
  // is simply down.
  if (next + std::chrono::milliseconds(100) >= call.deadline) return false;
  *at = next;
  return true;
}

void GrpcH2Channel::ScheduleRetry(CallState* call, Clock::time_point at) {
  ++call->attempts;
  retries_.fetch_add(1, std::memory_order_relaxed);
  retrying_.insert(call);
  if (call->retry_timer == nullptr) call->retry_timer = std::make_unique<asio::steady_timer>(io_);
  call->retry_timer->expires_at(at);
  call->retry_timer->async_wait(
      [this, call, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
        // Cancelled: the call was completed (deadline) or the channel is gone; `call` may be too.
        if (ec == asio::error::operation_aborted) return;
        auto still = alive.lock();
        if (!still || !*still) return;
        retrying_.erase(call);
        // A fresh attempt: nothing of the refused one's answer, the whole payload again.
        call->sent = 0;
        call->http_status = 0;
        call->grpc_status = -1;
        call->grpc_message.clear();
        call->details.clear();
        call->body.clear();
        Dispatch(call);
      });
}

void GrpcH2Channel::RetryOrFail(CallState* call, int code, std::string message) {
  if (Clock::time_point at; RetryTime(*call, &at)) return ScheduleRetry(call, at);
  GrpcResult result;
  result.code = code;
  result.message = std::move(message);
  result.unsent = true;  // never written: the gateway may still try another replica
  Complete(call, std::move(result));
}

void GrpcH2Channel::OnClosed(Connection* connection) {
  if (connection == current_.get()) {
    current_.reset();
    // As a gRPC channel whose connection broke: idle, reconnected by the next call.
    state_.store(State::kIdle, std::memory_order_relaxed);
  }
  draining_.erase(std::remove_if(draining_.begin(), draining_.end(),
                                 [connection](const std::shared_ptr<Connection>& c) {
                                   return c.get() == connection;
                                 }),
                  draining_.end());
}

void GrpcH2Channel::OnGoaway(Connection* connection) {
  if (connection != current_.get()) return;
  draining_.push_back(std::move(current_));
  current_.reset();
  state_.store(State::kIdle, std::memory_order_relaxed);
}

void GrpcH2Channel::Complete(CallState* call, GrpcResult result) {
  if (call->completed) return;
  call->completed = true;
  deadlines_.erase(call->deadline_it);
  std::function<void(GrpcResult)> done = std::move(call->done);
  // A call nghttp2 still has a stream for is deleted when that stream closes.
  if (call->connection == nullptr) delete call;
  done(std::move(result));
}

void GrpcH2Channel::ArmTimer() {
  if (deadlines_.empty()) return;
  const Clock::time_point earliest = deadlines_.begin()->first;
  if (timer_->armed && timer_->armed_for <= earliest) return;
  timer_->armed = true;
  timer_->armed_for = earliest;
  timer_->timer.expires_at(earliest);
  timer_->timer.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
        auto still = alive.lock();
        if (!still || !*still || ec == asio::error::operation_aborted) return;
        timer_->armed = false;
        OnTimer();
      });
}

void GrpcH2Channel::OnTimer() {
  const Clock::time_point now = Clock::now();
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    CallState* call = deadlines_.begin()->second;
    if (call->connection != nullptr) {
      call->connection->Cancel(call);
    } else if (retrying_.erase(call) > 0) {
      call->retry_timer->cancel();
    } else {
      waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), call), waiting_.end());
    }
    GrpcResult result;
    result.code = GRPC_STATUS_DEADLINE_EXCEEDED;
    result.message = "Deadline Exceeded";
    Complete(call, std::move(result));
  }
  ArmTimer();
}

}  // namespace civil::gateway
