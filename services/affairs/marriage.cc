#include "services/affairs/marriage.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::affairs {
namespace {

absl::StatusOr<PartyDraft> ValidateParty(absl::string_view field, const PartyInput& input,
                                         absl::CivilDay today) {
  absl::StatusOr<std::string> name = BoundedText(absl::StrCat(field, ".name"), input.name, 64);
  if (!name.ok()) return name.status();
  const std::string id_field = absl::StrCat(field, ".id_number");
  if (input.id_number.empty()) return InvalidField(id_field, "is required");
  absl::StatusOr<IdNumber> id = IdNumber::Parse(input.id_number, today);
  if (!id.ok()) return InvalidField(id_field, id.status().message());
  return PartyDraft{*std::move(name), *std::move(id)};
}

// Why an event of an application on `date` cannot happen because the application is closed, or
// OK while it is open on `date`.
absl::Status CheckOpen(const DivorceFacts& facts, absl::CivilDay date) {
  if (facts.completed) {
    return absl::FailedPreconditionError(
        absl::StrCat("application_id: the divorce was completed on ", FormatDay(*facts.completed)));
  }
  if (facts.withdrawn) {
    return absl::FailedPreconditionError(absl::StrCat(
        "application_id: the application was withdrawn on ", FormatDay(*facts.withdrawn)));
  }
  if (facts.terminated) {
    return absl::FailedPreconditionError(absl::StrCat(
        "application_id: the marriage ended by a death on ", FormatDay(*facts.terminated)));
  }
  if (date < facts.applied) {
    return absl::FailedPreconditionError(
        absl::StrCat("date: must not be before the application date ", FormatDay(facts.applied)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ValidateCertificateNumber(absl::string_view field,
                                                      absl::string_view text) {
  if (text.empty()) return InvalidField(field, "is required");
  if (text.size() > 32) return InvalidField(field, "must be at most 32 characters");
  for (char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return InvalidField(field, "must be ASCII letters, digits and -");
    }
  }
  return std::string(text);
}

absl::Status CheckMarriageAge(absl::string_view field, const IdNumber& id, absl::CivilDay date) {
  const bool man = id.sex() == Sex::kMale;
  const int minimum = man ? kMinMarriageAgeMen : kMinMarriageAgeWomen;
  const int age = id.AgeOn(date);
  if (age >= minimum) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": under the legal marriage age (民法典第1047条): a ", man ? "man" : "woman",
      " may marry from ", minimum, ", this party is ", age, " on ", FormatDay(date)));
}

absl::StatusOr<MarriageDraft> ValidateMarriage(const PartyInput& a, const PartyInput& b,
                                               absl::string_view registration_date,
                                               absl::string_view certificate_number,
                                               absl::string_view region_code,
                                               absl::CivilDay today) {
  absl::StatusOr<PartyDraft> party_a = ValidateParty("party_a", a, today);
  if (!party_a.ok()) return party_a.status();
  absl::StatusOr<PartyDraft> party_b = ValidateParty("party_b", b, today);
  if (!party_b.ok()) return party_b.status();
  if (party_a->id == party_b->id) {
    return InvalidField("party_b.id_number", "is the same person as party_a");
  }
  absl::StatusOr<absl::CivilDay> date = EventDate("registration_date", registration_date, today);
  if (!date.ok()) return date.status();
  absl::StatusOr<std::string> certificate =
      ValidateCertificateNumber("certificate_number", certificate_number);
  if (!certificate.ok()) return certificate.status();
  absl::StatusOr<RegionCode> region = NonEmptyPrefix("region_code", region_code);
  if (!region.ok()) return region.status();

  if (party_a->id.sex() == party_b->id.sex()) {
    return absl::FailedPreconditionError(
        "party_b.id_number: marriage is registered between one man and one woman "
        "(民法典第1049条)");
  }
  if (absl::Status s = CheckMarriageAge("party_a", party_a->id, *date); !s.ok()) return s;
  if (absl::Status s = CheckMarriageAge("party_b", party_b->id, *date); !s.ok()) return s;
  return MarriageDraft{*std::move(party_a), *std::move(party_b), *date, *std::move(certificate),
                       *std::move(region)};
}

DivorceTimeline TimelineOf(absl::CivilDay applied) {
  return DivorceTimeline{applied, applied + kCoolingOffDays, applied + kCoolingOffDays + 1,
                         applied + kCoolingOffDays + kCertificateWindowDays,
                         applied + kCoolingOffDays + kCertificateWindowDays + 1};
}

DivorceTimeline TimelineOf(absl::CivilDay applied, const HolidayCalendar& calendar) {
  const absl::CivilDay cooling_off_end = calendar.ExtendPastRestDays(applied + kCoolingOffDays);
  const absl::CivilDay window_end =
      calendar.ExtendPastRestDays(cooling_off_end + kCertificateWindowDays);
  return DivorceTimeline{applied, cooling_off_end, cooling_off_end + 1, window_end, window_end + 1};
}

DivorceTimeline TimelineOf(const DivorceFacts& facts) {
  return facts.timeline ? *facts.timeline : TimelineOf(facts.applied);
}

DivorceState DivorceStateOn(const DivorceFacts& facts, absl::CivilDay as_of) {
  if (facts.completed && *facts.completed <= as_of) return DivorceState::kCompleted;
  if (facts.withdrawn && *facts.withdrawn <= as_of) return DivorceState::kWithdrawn;
  if (facts.terminated && *facts.terminated <= as_of) return DivorceState::kTerminated;
  const DivorceTimeline t = TimelineOf(facts);
  if (as_of <= t.cooling_off_end) return DivorceState::kCoolingOff;
  if (as_of <= t.window_end) return DivorceState::kAwaitingCertificate;
  return DivorceState::kWithdrawnByLaw;
}

absl::Status CheckWithdrawal(const DivorceFacts& facts, absl::CivilDay date) {
  if (absl::Status s = CheckOpen(facts, date); !s.ok()) return s;
  const DivorceTimeline t = TimelineOf(facts);
  if (date > t.cooling_off_end) {
    return absl::FailedPreconditionError(absl::StrCat(
        "date: a divorce application may be withdrawn only within 30 days of the application "
        "(民法典第1077条); the cooling-off period ended on ",
        FormatDay(t.cooling_off_end)));
  }
  return absl::OkStatus();
}

absl::Status CheckCompletion(const DivorceFacts& facts, absl::CivilDay date) {
  if (absl::Status s = CheckOpen(facts, date); !s.ok()) return s;
  const DivorceTimeline t = TimelineOf(facts);
  if (date <= t.cooling_off_end) {
    return absl::FailedPreconditionError(
        absl::StrCat("date: the divorce cooling-off period (民法典第1077条) runs until ",
                     FormatDay(t.cooling_off_end), "; the certificate may be issued from ",
                     FormatDay(t.window_start)));
  }
  if (date > t.window_end) {
    return absl::FailedPreconditionError(
        absl::StrCat("date: the parties did not appear by ", FormatDay(t.window_end),
                     ", so the application is deemed withdrawn (民法典第1077条)"));
  }
  return absl::OkStatus();
}

absl::Status CheckNewApplication(const std::vector<DivorceFacts>& earlier, absl::CivilDay date) {
  for (const DivorceFacts& e : earlier) {
    if (date < e.applied) {
      return absl::FailedPreconditionError(
          absl::StrCat("application_date: an application of this marriage was filed later, on ",
                       FormatDay(e.applied)));
    }
    const absl::CivilDay open_until = e.withdrawn ? *e.withdrawn - 1 : TimelineOf(e).window_end;
    if (!e.completed && !e.terminated && date <= open_until) {
      return absl::AlreadyExistsError(absl::StrCat("application_date: an application filed on ",
                                                   FormatDay(e.applied), " is open until ",
                                                   FormatDay(open_until)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ArchiveBatchDraft> ValidateArchiveBatch(
    absl::string_view region_code, absl::string_view covers_from, absl::string_view covers_to,
    int64_t files_total, absl::string_view received_date, absl::CivilDay today) {
  absl::StatusOr<RegionCode> region = NonEmptyPrefix("region_code", region_code);
  if (!region.ok()) return region.status();
  absl::StatusOr<absl::CivilMonth> from = ParseMonth(covers_from);
  if (!from.ok()) return InvalidField("covers_from", from.status().message());
  absl::StatusOr<absl::CivilMonth> to = ParseMonth(covers_to);
  if (!to.ok()) return InvalidField("covers_to", to.status().message());
  if (*to < *from) return InvalidField("covers_to", "must not be before covers_from");
  if (files_total < 1 || files_total > kMaxArchiveFiles) {
    return InvalidField("files_total", absl::StrCat("must be from 1 to ", kMaxArchiveFiles));
  }
  absl::StatusOr<absl::CivilDay> received = EventDate("received_date", received_date, today);
  if (!received.ok()) return received.status();
  return ArchiveBatchDraft{*std::move(region), *from, *to, files_total, *received};
}

absl::Status CheckArchiveProgress(const ArchiveTotals& totals, ArchiveStage stage, int64_t files) {
  int64_t done = 0, limit = 0;
  absl::string_view limit_name;
  switch (stage) {
    case ArchiveStage::kScanned:
      done = totals.scanned;
      limit = totals.total;
      limit_name = "files in the batch";
      break;
    case ArchiveStage::kVerified:
      done = totals.verified;
      limit = totals.scanned;
      limit_name = "files scanned";
      break;
    case ArchiveStage::kTransferred:
      done = totals.transferred;
      limit = totals.verified;
      limit_name = "files verified";
      break;
  }
  if (done + files > limit) {
    return absl::FailedPreconditionError(
        absl::StrCat("files: ", done, " + ", files, " would exceed the ", limit, " ", limit_name));
  }
  return absl::OkStatus();
}

}  // namespace civil::affairs
