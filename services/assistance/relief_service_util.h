// What the adapters of 临时救助, mutual aid, outreach, audits, reviews and the bank file share:
// the caller as the stores see it, and the bounds of notes and amounts.
#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/caller.h"

namespace civil::assistance {

inline constexpr int kMaxNote = 4000;
inline constexpr int64_t kMaxAmountFen = int64_t{100000000};  // 1,000,000 yuan: a typo, not a case

// The caller as the stores see it: subject and region scope, no roles.
inline Actor ActorOf(const Caller& caller) {
  return Actor{caller.subject, [caller](absl::string_view field, absl::string_view region_code) {
                 return CheckRegion(caller, field, region_code);
               }};
}

}  // namespace civil::assistance
