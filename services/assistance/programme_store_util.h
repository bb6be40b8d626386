// What the stores of the programme aggregates (standards, applications, enrolments, disbursement,
// summary) share: the contract's enum values of stored names. No rules.
//
// The stores speak the contract's message types (civil.assistance.v1.Application, Enrolment, …):
// they are plain data, and a second set of structs mirroring them field by field would only be
// copied back and forth. Rules stay in the domain files (benefit.h, application.h, …), free of
// protobuf; the adapter validates input.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "civil/assistance/v1/programme.pb.h"
#include "services/assistance/relief_store_util.h"

namespace civil::assistance {

// Stored names → the contract's enums (UNSPECIFIED for an unknown name).
civil::common::v1::Area AreaEnum(const std::string& name);
v1::Programme ProgrammeEnum(const std::string& name);
v1::ExitReason ExitEnum(const std::string& name);
v1::CareMode CareEnum(const std::string& name);
// The contract's care mode → its stored name ("" for none).
std::string CareName(int care_mode);

// Scope: a record outside the actor's region reads as absent to them (NOT_FOUND "<field>: no such
// <what>": no existence leak for reads); writes check actor.check_region (PERMISSION_DENIED).
absl::Status ScopeForRead(const Actor& actor, const std::string& region, absl::string_view field,
                          absl::string_view what);

}  // namespace civil::assistance
