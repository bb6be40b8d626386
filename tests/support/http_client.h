// A minimal blocking HTTP/1.1 client for tests (Boost.Beast), one connection per call.
#pragma once

#include <map>
#include <string>

namespace civil::testing {

struct HttpResponse {
  int status = 0;  // 0 when the request could not be made
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// Sends `method target` to 127.0.0.1:`port` with `body` (JSON when non-empty) and `headers`.
HttpResponse HttpRequest(int port, const std::string& method, const std::string& target,
                         const std::string& body = "",
                         const std::map<std::string, std::string>& headers = {});

}  // namespace civil::testing
