// The web console (console/, built by Vite into the build directory) as the gateway serves it
// under /console/, and the development sign-in of `make run`. Pure functions; the gateway does
// the I/O (gateway.cc: ServeConsole, DevSignIn).
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil::gateway {

inline constexpr absl::string_view kConsolePath = "/console";
// GET: {"enabled": bool}; POST {"subject","roles":[…],"region"}: {"token","expiresIn"}.
inline constexpr absl::string_view kDevSignInPath = "/console/dev-sign-in";

// The file of the console's build directory that `path` (under /console/) names, relative to it:
// "/console/" → "index.html", "/console/assets/index-abc.js" → "assets/index-abc.js".
// std::nullopt for a path outside the console, with "..", a hidden segment, or deeper than one
// folder. "/console" itself is not a file (the gateway redirects it to "/console/").
std::optional<std::string> ConsoleFile(absl::string_view path);

// Whether a console file may be cached for long: Vite names the files of assets/ by their hash.
bool ConsoleFileImmutable(absl::string_view file);

// What the development sign-in signs: a token for the request body's `subject`, `roles` (a list
// of role names; never `system`, which only a department's own service token carries) and
// `region` (a region code prefix or `*`), with `issuer` and `audience`, valid for `ttl_s`.
// INVALID_ARGUMENT naming the field for a malformed body. Returns the JSON answer.
absl::StatusOr<std::string> DevSignInToken(absl::string_view body, absl::string_view private_pem,
                                           absl::string_view kid, const std::string& issuer,
                                           const std::string& audience, int64_t ttl_s);

}  // namespace civil::gateway
