// The client's address behind reverse proxies: `X-Forwarded-For` is believed only from peers in
// the configured trusted proxy networks (--trusted-proxies), and only as far as it was appended
// by such proxies. The result keys the per-IP rate limit and is the access log's `client_ip`.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil::gateway {

class TrustedProxies {
 public:
  // No trusted proxy: every client address is the TCP peer's.
  TrustedProxies() = default;

  // Networks in CIDR notation (`10.0.0.0/8`, `fd00::/8`) or single addresses (`192.0.2.7`,
  // `::1`). INVALID_ARGUMENT naming the first entry that is neither (or whose prefix length is
  // out of range, or has host bits set).
  static absl::StatusOr<TrustedProxies> Parse(const std::vector<std::string>& networks);

  bool empty() const { return networks_.empty(); }

  // Whether `address` (IPv4, IPv6, IPv4-mapped IPv6) is in a trusted network. False when it is
  // not an address.
  bool Contains(absl::string_view address) const;

  // The address to attribute a request to. `peer`: the TCP peer's address. `forwarded_for`: the
  // request's X-Forwarded-For values, comma-separated (several header fields joined in order).
  // The peer, unless it is a trusted proxy; then X-Forwarded-For is read from the right, past
  // every trusted address, and the first untrusted one is the client. If every listed address is
  // trusted, the left-most is the client; an entry that is not an address (or `unknown`) ends the
  // walk and the last trusted address before it is the client. Addresses come back normalized
  // (`::ffff:192.0.2.1` → `192.0.2.1`, ports and brackets dropped).
  std::string ClientIp(absl::string_view peer, absl::string_view forwarded_for) const;

 private:
  struct Network {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};
    int prefix = 0;
  };
  std::vector<Network> networks_;
};

}  // namespace civil::gateway
