// A subscriber's HTTP endpoint for the tests of the exchange's notifications: a real HTTP/1.1
// server on a loopback port that answers every POST with `status` and keeps what it received.
// Stop() closes the port (a sender's connection is then refused); a new endpoint on the same
// port is the subscriber back up.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace civil::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names lowercase
  std::string body;
};

class WebhookEndpoint {
 public:
  explicit WebhookEndpoint(int port, int status = 200) : port_(port), status_(status) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
          listen(listener_, 16) == 0;
    if (ok_) thread_ = std::thread([this] { Serve(); });
  }
  ~WebhookEndpoint() { Stop(); }
  WebhookEndpoint(const WebhookEndpoint&) = delete;
  WebhookEndpoint& operator=(const WebhookEndpoint&) = delete;

  bool ok() const { return ok_; }
  int port() const { return port_; }

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) close(listener_);
    listener_ = -1;
  }

  std::vector<ReceivedRequest> Received() const {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      Handle(fd);
      close(fd);
    }
  }

  void Handle(int fd) {
    std::string data;
    char buffer[8192];
    size_t header_end = std::string::npos;
    size_t length = 0;
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 2000) <= 0) return;
      const ssize_t n = read(fd, buffer, sizeof buffer);
      if (n <= 0) return;
      data.append(buffer, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        for (absl::string_view line :
             absl::StrSplit(absl::string_view(data).substr(0, header_end), "\r\n")) {
          if (absl::ConsumePrefix(&line, "Content-Length:") ||
              absl::ConsumePrefix(&line, "content-length:")) {
            (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &length);
          }
        }
      }
      if (data.size() >= header_end + 4 + length) break;
    }
    ReceivedRequest r;
    std::vector<std::string> lines =
        absl::StrSplit(absl::string_view(data).substr(0, header_end), "\r\n");
    std::vector<std::string> first = absl::StrSplit(lines[0], ' ');
    if (first.size() >= 2) {
      r.method = first[0];
      r.path = first[1];
    }
    for (size_t i = 1; i < lines.size(); ++i) {
      const size_t colon = lines[i].find(':');
      if (colon == std::string::npos) continue;
      r.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
          std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    }
    r.body = data.substr(header_end + 4, length);
    {
      std::lock_guard<std::mutex> lock(mu_);
      received_.push_back(std::move(r));
    }
    const std::string answer = "HTTP/1.1 " + std::to_string(status_) +
                               " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    (void)!write(fd, answer.data(), answer.size());
  }

  int port_;
  int status_;
  int listener_ = -1;
  bool ok_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<ReceivedRequest> received_;
};

}  // namespace civil::testing
