#include "gateway/client_ip.h"

#include <boost/asio/ip/address.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace civil::gateway {
namespace {

namespace ip = boost::asio::ip;

// An address as X-Forwarded-For writers put it: bare, `[v6]`, `[v6]:port` or `v4:port`.
// IPv4-mapped IPv6 addresses become IPv4.
bool ParseAddress(absl::string_view text, ip::address* out) {
  text = absl::StripAsciiWhitespace(text);
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == absl::string_view::npos) return false;
    text = text.substr(1, close - 1);
  } else if (const size_t colon = text.find(':');
             colon != absl::string_view::npos &&
             text.find(':', colon + 1) == absl::string_view::npos) {
    text = text.substr(0, colon);  // v4:port (an IPv6 address has several colons)
  }
  if (text.empty() || text.size() > 64) return false;
  boost::system::error_code ec;
  ip::address a = ip::make_address(std::string(text), ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  *out = a;
  return true;
}

}  // namespace

absl::StatusOr<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& networks) {
  TrustedProxies result;
  for (const std::string& entry : networks) {
    absl::string_view text = absl::StripAsciiWhitespace(entry);
    absl::string_view address_text = text;
    int prefix = -1;
    if (const size_t slash = text.find('/'); slash != absl::string_view::npos) {
      address_text = text.substr(0, slash);
      if (!absl::SimpleAtoi(text.substr(slash + 1), &prefix) || prefix < 0) prefix = 1000;
    }
    boost::system::error_code ec;
    ip::address a = ip::make_address(std::string(address_text), ec);
    const int bits = !ec && a.is_v6() ? 128 : 32;
    if (ec || prefix > bits) {
      return absl::InvalidArgumentError(
          absl::StrCat("trusted proxy \"", text,
                       "\": expected an address or CIDR network (10.0.0.0/8, fd00::/8)"));
    }
    Network n;
    n.v6 = a.is_v6();
    n.prefix = prefix < 0 ? bits : prefix;
    if (n.v6) {
      n.bytes = a.to_v6().to_bytes();
    } else {
      auto v4 = a.to_v4().to_bytes();
      std::copy(v4.begin(), v4.end(), n.bytes.begin());
    }
    for (int bit = n.prefix; bit < bits; ++bit) {
      if (n.bytes[bit / 8] & (0x80 >> (bit % 8))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "trusted proxy \"", text, "\": host bits set (did you mean a network address?)"));
      }
    }
    result.networks_.push_back(n);
  }
  return result;
}

bool TrustedProxies::Contains(absl::string_view address) const {
  if (networks_.empty()) return false;
  ip::address a;
  if (!ParseAddress(address, &a)) return false;
  std::array<uint8_t, 16> bytes{};
  if (a.is_v6()) {
    bytes = a.to_v6().to_bytes();
  } else {
    auto v4 = a.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), bytes.begin());
  }
  for (const Network& n : networks_) {
    if (n.v6 != a.is_v6()) continue;
    int bit = 0;
    for (; bit + 8 <= n.prefix; bit += 8) {
      if (bytes[bit / 8] != n.bytes[bit / 8]) break;
    }
    if (bit + 8 <= n.prefix) continue;
    if (bit < n.prefix) {
      const uint8_t mask = static_cast<uint8_t>(0xff00 >> (n.prefix - bit));
      if ((bytes[bit / 8] & mask) != n.bytes[bit / 8]) continue;
    }
    return true;
  }
  return false;
}

std::string TrustedProxies::ClientIp(absl::string_view peer,
                                     absl::string_view forwarded_for) const {
  if (networks_.empty() || forwarded_for.empty() || !Contains(peer)) return std::string(peer);
  std::vector<absl::string_view> items = absl::StrSplit(forwarded_for, ',');
  std::string client(peer);
  for (auto item = items.rbegin(); item != items.rend(); ++item) {
    absl::string_view text = absl::StripAsciiWhitespace(*item);
    if (text.empty()) continue;
    ip::address a;
    if (!ParseAddress(text, &a)) return client;  // unreadable: nothing beyond it is believed
    client = a.to_string();
    if (!Contains(client)) return client;  // the right-most untrusted address
  }
  return client;  // every address trusted: the left-most
}

}  // namespace civil::gateway
