// assistance_datagen: fills a civil_assistance database with a synthetic county caseload, for
// benchmarks (`make bench`) and demos (`make datagen`).
//
// What it writes, all in one transaction with COPY, printing progress (rows done / total) every
// few seconds:
//   - households in county 340722 (20 townships, 12–17 villages and 0–3 communities each, real
//     12-digit code shapes: 340722 1xx/2xx 0xx/2xx), 1–4 members each with valid GB 11643 ID
//     numbers, encrypted and blind-indexed exactly as HouseholdStore does, plus the CREATED
//     history row HouseholdStore writes;
//   - the county's default benefit standards (the values of deploy/local/seed), effective from
//     the first enrolment month, unless such rows exist already;
//   - one enrolment per household: 低保 (urban or rural by the household's area), or for a share
//     of single or two-person households 特困 per person (one enrolment per member); enrolment
//     members, amounts computed with the service's own rules (DibaoMonthlyAmount), and history.
//     A few enrolments start inside the payment window, a few end in it, and in a few 低保
//     households one member leaves (amount recomputed from the next month);
//   - optionally --payments-months M months of disbursement: one batch per programme and month
//     (region 340722) and one payment per enrolment active in the month, as
//     DisbursementStore::Run would have made them.
// The summary's roll-ups (payment_totals, caseload_changes: migration 0005) are filled by the same
// statement-level triggers that keep them for the service, in the same transaction, once per
// COPY. Then VACUUM ANALYZE, so that plans and visibility are those of a settled database.
//
// With --metrics-addr HOST:PORT, the progress is also served at http://HOST:PORT/metrics as
// gauges assistance_datagen_rows_done and assistance_datagen_rows_planned (all tables) while it
// runs.
//
// Like an import of an existing caseload, it writes no applications and no outbox events.
//
// Deterministic for a --seed on a fresh database: the same regions, people, ID numbers, UUIDs,
// enrolments, amounts and payments (and blind indexes, under the same key). Only the ciphertexts
// (AES-GCM draws a fresh nonce) and the timestamps differ between runs. It refuses a database
// that already holds generated households.
//
// Usage: assistance_datagen [--dsn DSN] [--households N] [--payments-months M]
//                           [--first-month YYYY-MM] [--seed S] [--tekun-share F] [--no-vacuum]
//                           [--metrics-addr HOST:PORT]
// Environment: CIVIL_PII_KEY (required; the key the server runs with), CIVIL_ASSISTANCE_PG_DSN
// (when --dsn is not given).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <pqxx/stream_to>
#include <random>
#include <string>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "prometheus/exposer.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/assistance/benefit.h"
#include "services/assistance/household.h"
#include "services/assistance/migrations.h"
#include "services/common/id_number.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"
#include "services/common/values.h"

namespace {

namespace a = civil::assistance;
using Clock = std::chrono::steady_clock;

constexpr char kCounty[] = "340722";
constexpr char kActor[] = "datagen";
// Enrolments that started before the payment window did so within this many months before it.
constexpr int kHistoryMonths = 48;

struct Options {
  std::string dsn;
  int64_t households = 100000;
  int payments_months = 0;
  absl::CivilMonth first_month = absl::CivilMonth(2023, 1);
  uint64_t seed = 1;
  double tekun_share = 0.08;
  bool vacuum = true;
  std::string metrics_addr;  // empty: no /metrics
};

void Usage() {
  std::cerr << "usage: assistance_datagen [--dsn DSN] [--households N] [--payments-months M]\n"
               "         [--first-month YYYY-MM] [--seed S] [--tekun-share F] [--no-vacuum]\n"
               "         [--metrics-addr HOST:PORT]\n"
               "  --households N        households to create (default 100000)\n"
               "  --payments-months M   months of payments from --first-month on (default 0)\n"
               "  --first-month YYYY-MM first month of the payment window (default 2023-01);\n"
               "                        enrolments start up to 48 months before it\n"
               "  --seed S              random seed (default 1): same seed, same data\n"
               "  --tekun-share F       share of households in 特困 per person (default 0.08)\n"
               "  --no-vacuum           skip VACUUM ANALYZE at the end\n"
               "  --metrics-addr H:P    serve progress gauges at http://H:P/metrics meanwhile\n"
               "  env CIVIL_PII_KEY (required), CIVIL_ASSISTANCE_PG_DSN (default for --dsn)\n";
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options o;
  if (const char* dsn = std::getenv("CIVIL_ASSISTANCE_PG_DSN"); dsn && *dsn) o.dsn = dsn;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&](absl::string_view name) -> std::optional<std::string> {
      if (i + 1 >= argc) {
        std::cerr << "assistance_datagen: " << name << " needs a value\n";
        return std::nullopt;
      }
      return std::string(argv[++i]);
    };
    bool ok = true;
    if (flag == "--no-vacuum") {
      o.vacuum = false;
    } else if (flag == "--help" || flag == "-h") {
      Usage();
      std::exit(0);
    } else if (flag == "--metrics-addr") {
      auto v = value(flag);
      ok = v.has_value() && !v->empty();
      if (ok) o.metrics_addr = *v;
    } else if (flag == "--dsn") {
      auto v = value(flag);
      ok = v.has_value();
      if (ok) o.dsn = *v;
    } else if (flag == "--households") {
      auto v = value(flag);
      ok = v && absl::SimpleAtoi(*v, &o.households) && o.households > 0;
    } else if (flag == "--payments-months") {
      auto v = value(flag);
      ok = v && absl::SimpleAtoi(*v, &o.payments_months) && o.payments_months >= 0 &&
           o.payments_months <= 240;
    } else if (flag == "--first-month") {
      auto v = value(flag);
      absl::StatusOr<absl::CivilMonth> m =
          v ? civil::ParseMonth(*v) : absl::InvalidArgumentError("");
      ok = m.ok();
      if (ok) o.first_month = *m;
    } else if (flag == "--seed") {
      auto v = value(flag);
      ok = v && absl::SimpleAtoi(*v, &o.seed);
    } else if (flag == "--tekun-share") {
      auto v = value(flag);
      ok = v && absl::SimpleAtod(*v, &o.tekun_share) && o.tekun_share >= 0 && o.tekun_share <= 1;
    } else {
      std::cerr << "assistance_datagen: unknown flag " << flag << "\n";
      ok = false;
    }
    if (!ok) {
      std::cerr << "assistance_datagen: bad value for " << flag << "\n";
      Usage();
      return std::nullopt;
    }
  }
  if (o.dsn.empty()) {
    std::cerr << "assistance_datagen: give --dsn or set CIVIL_ASSISTANCE_PG_DSN\n";
    return std::nullopt;
  }
  return o;
}

// mt19937_64's output is fixed by the standard; the distributions of <random> are not, so the
// helpers below derive numbers from it themselves to stay the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  uint64_t Next() { return engine_(); }
  // Uniform in [0, n), n > 0.
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }
  // A version-4 UUID.
  std::string Uuid() {
    uint64_t hi = Next();
    uint64_t lo = Next();
    hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
    return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xffff, hi & 0xffff,
                           lo >> 48, lo & 0xffffffffffffULL);
  }

 private:
  std::mt19937_64 engine_;
};

std::string Day(absl::CivilDay d) { return civil::FormatDay(d); }

// --- Geography -------------------------------------------------------------------------------

struct Region {
  std::string code;  // 12 digits
  bool urban;        // a community (居委会, 0xx) rather than a village (村委会, 2xx)
  int weight;        // communities are denser
};

// 20 townships: 16 towns (镇, 1xx) with 2–3 communities and 12–17 villages, 4 townships (乡, 2xx)
// with 0–1 community and 12–17 villages. The layout depends on nothing but the county.
std::vector<Region> CountyRegions() {
  std::vector<Region> regions;
  for (int t = 0; t < 20; ++t) {
    const int township = t < 16 ? 100 + t : 200 + (t - 16);
    const int communities = t < 16 ? 2 + t % 2 : t % 2;
    const int villages = 12 + (t * 7) % 6;
    for (int c = 1; c <= communities; ++c) {
      regions.push_back({absl::StrFormat("%s%03d%03d", kCounty, township, c), true, 3});
    }
    for (int v = 1; v <= villages; ++v) {
      regions.push_back({absl::StrFormat("%s%03d%03d", kCounty, township, 200 + v), false, 1});
    }
  }
  return regions;
}

// --- People ----------------------------------------------------------------------------------

constexpr const char* kSurnames[] = {"汪", "方", "章", "吴", "王", "陈", "张", "李", "刘", "周",
                                     "徐", "钱", "胡", "程", "何", "朱", "江", "姚", "左", "疏",
                                     "杨", "黄", "孙", "叶", "潘", "施", "檀", "齐", "光", "阮"};
constexpr const char* kMaleChars[] = {"国", "建", "明", "志", "伟", "强", "军", "平", "华",
                                      "文", "春", "海", "林", "德", "友", "长", "发", "永",
                                      "正", "成", "家", "祥", "宏", "春", "传", "应"};
constexpr const char* kFemaleChars[] = {"秀", "英", "兰", "芳", "梅", "玉", "珍", "红",
                                        "霞", "凤", "桂", "琴", "丽", "娟", "萍", "云",
                                        "翠", "花", "菊", "金", "月", "春", "敏"};
// Address codes of people not born in the county: 枞阳 belonged to Anqing (340823) until 2015,
// so older residents mostly carry that code; a few come from elsewhere.
constexpr const char* kOtherAddresses[] = {"340881", "340828", "340702", "340711",
                                           "340103", "340822", "320102", "330106"};

struct Person {
  std::string member_id;
  std::string name;
  std::string cipher_hex;  // \x… for bytea
  std::string id_index;
  std::string id_masked;
  absl::CivilDay birth;
  bool male = true;
  a::Relation relation = a::Relation::kHead;
  bool seriously_ill = false;
  bool severely_disabled = false;
};

struct Household {
  std::string id;
  const Region* region = nullptr;
  std::vector<Person> members;
  bool tekun = false;
};

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

class PersonMaker {
 public:
  PersonMaker(const civil::PiiProtector* pii, std::unordered_set<std::string> taken_indexes,
              absl::CivilDay reference)
      : pii_(pii), taken_(std::move(taken_indexes)), reference_(reference) {}

  std::string Name(Rng& rng, const std::string& surname, bool male) {
    std::string name = surname + (male ? rng.Pick(kMaleChars) : rng.Pick(kFemaleChars));
    if (rng.Chance(0.7)) name += male ? rng.Pick(kMaleChars) : rng.Pick(kFemaleChars);
    return name;
  }

  // A person aged `age` on the reference day (born within the year before that birthday).
  absl::StatusOr<Person> Make(Rng& rng, const std::string& name, int age, bool male,
                              a::Relation relation) {
    Person p;
    p.member_id = rng.Uuid();
    p.name = name;
    p.male = male;
    p.relation = relation;
    absl::CivilDay birth =
        absl::CivilDay(reference_.year() - age, reference_.month(), reference_.day()) -
        rng.Below(365);
    if (birth.year() < 1901) birth = absl::CivilDay(1901, 1, 1) + rng.Below(365);
    p.birth = birth;
    for (int attempt = 0;; ++attempt) {
      std::string address;
      if (attempt > 40 || rng.Chance(0.08)) {
        address = rng.Pick(kOtherAddresses);
      } else {
        address = birth.year() < 2016 && rng.Chance(0.85) ? "340823" : kCounty;
      }
      const int sequence = static_cast<int>(rng.Below(500)) * 2 + (male ? 1 : 0);
      const std::string first17 = absl::StrFormat("%s%04d%02d%02d%03d", address, birth.year(),
                                                  birth.month(), birth.day(), sequence);
      if (used_.contains(first17)) continue;
      absl::StatusOr<char> check = civil::IdNumberCheckChar(first17);
      if (!check.ok()) return check.status();
      absl::StatusOr<civil::IdNumber> id =
          civil::IdNumber::Parse(absl::StrCat(first17, std::string(1, *check)), reference_ + 1);
      if (!id.ok()) return id.status();
      std::string index = pii_->BlindIndex(id->value());
      if (taken_.contains(index)) continue;  // active in a household already in the database
      used_.insert(first17);
      absl::StatusOr<std::string> cipher = pii_->Encrypt(id->value());
      if (!cipher.ok()) return cipher.status();
      p.cipher_hex = Hex(*cipher);
      p.id_index = std::move(index);
      p.id_masked = id->Masked();
      return p;
    }
  }

 private:
  const civil::PiiProtector* pii_;
  std::unordered_set<std::string> taken_;
  std::unordered_set<std::string> used_;
  absl::CivilDay reference_;
};

absl::StatusOr<Household> MakeHousehold(Rng& rng, PersonMaker& people,
                                        const std::vector<Region>& regions, int total_weight,
                                        double tekun_share) {
  Household h;
  h.id = rng.Uuid();
  int64_t pick = rng.Below(total_weight);
  for (const Region& r : regions) {
    pick -= r.weight;
    if (pick < 0) {
      h.region = &r;
      break;
    }
  }
  h.tekun = rng.Chance(tekun_share);
  const std::string surname = rng.Pick(kSurnames);
  auto add = [&](int age, bool male, a::Relation relation,
                 const std::string& name) -> absl::Status {
    absl::StatusOr<Person> p = people.Make(rng, name, age, male, relation);
    if (!p.ok()) return p.status();
    h.members.push_back(*std::move(p));
    return absl::OkStatus();
  };
  if (h.tekun) {
    // 特困: old people, or younger ones severely disabled, living alone or with a sibling.
    const int age = rng.Chance(0.85) ? static_cast<int>(rng.Between(60, 95))
                                     : static_cast<int>(rng.Between(18, 59));
    const bool male = rng.Chance(0.6);
    if (absl::Status s = add(age, male, a::Relation::kHead, people.Name(rng, surname, male));
        !s.ok()) {
      return s;
    }
    if (rng.Chance(0.15)) {
      const bool m2 = rng.Chance(0.5);
      const int age2 = std::clamp(age + static_cast<int>(rng.Between(-8, 8)), 18, 98);
      if (absl::Status s = add(age2, m2, a::Relation::kSibling, people.Name(rng, surname, m2));
          !s.ok()) {
        return s;
      }
    }
    return h;
  }
  const double size_draw = rng.Unit();
  // 低保 households are small (the county's 2023 report: 9847 households, 15044 persons).
  const int size = size_draw < 0.58 ? 1 : size_draw < 0.86 ? 2 : size_draw < 0.95 ? 3 : 4;
  // Heads skew old: 25–92.
  const int head_age = 25 + static_cast<int>(67 * std::sqrt(rng.Unit()));
  const bool head_male = rng.Chance(0.7);
  if (absl::Status s =
          add(head_age, head_male, a::Relation::kHead, people.Name(rng, surname, head_male));
      !s.ok()) {
    return s;
  }
  const std::string spouse_surname = rng.Pick(kSurnames);
  const std::string child_surname = head_male ? surname : spouse_surname;
  for (int i = 1; i < size; ++i) {
    if (i == 1) {
      const int age = std::max(20, head_age + static_cast<int>(rng.Between(-5, 5)));
      if (absl::Status s = add(age, !head_male, a::Relation::kSpouse,
                               people.Name(rng, spouse_surname, !head_male));
          !s.ok()) {
        return s;
      }
      continue;
    }
    const bool male = rng.Chance(0.5);
    if (i == 3 && head_age <= 45) {
      const int age = std::min(98, head_age + static_cast<int>(rng.Between(20, 30)));
      if (absl::Status s =
              add(age, male, a::Relation::kParent, people.Name(rng, rng.Pick(kSurnames), male));
          !s.ok()) {
        return s;
      }
    } else if (i == 3 && head_age >= 60) {
      const int age = static_cast<int>(rng.Between(0, 17));
      if (absl::Status s =
              add(age, male, a::Relation::kGrandchild, people.Name(rng, child_surname, male));
          !s.ok()) {
        return s;
      }
    } else {
      const int age = static_cast<int>(rng.Between(0, std::min(head_age - 20, 45)));
      if (absl::Status s =
              add(age, male, a::Relation::kChild, people.Name(rng, child_surname, male));
          !s.ok()) {
        return s;
      }
    }
  }
  for (Person& p : h.members) {
    p.seriously_ill = rng.Chance(0.08);
    p.severely_disabled = rng.Chance(0.06);
  }
  return h;
}

// --- Standards -------------------------------------------------------------------------------

struct StandardRow {
  std::string programme, area, prefix;
  absl::CivilDay from;
  a::StandardValues values;
};

// The standard in force, as StandardStore::InForce and the disbursement choose it: the domain's
// rule (StandardInForce) among the programme's standards of the area.
std::optional<a::StandardValues> InForce(const std::vector<StandardRow>& rows,
                                         absl::string_view programme, absl::string_view area,
                                         absl::string_view region, absl::CivilMonth month) {
  std::vector<a::StandardRecord> candidates;
  for (const StandardRow& r : rows) {
    if (r.programme != programme || r.area != area) continue;
    candidates.push_back({"", r.prefix, r.from, r.values});
  }
  const std::optional<size_t> chosen = a::StandardInForce(candidates, region, month);
  if (!chosen) return std::nullopt;
  return candidates[*chosen].values;
}

// --- Enrolments ------------------------------------------------------------------------------

struct AmountRow {
  absl::CivilMonth from;
  int64_t fen;
  int persons;
};

struct EnrolledPerson {
  int position;                         // in the household's member list
  std::optional<absl::CivilMonth> end;  // last month covered, once left
  std::string exit_reason;
  std::optional<absl::CivilDay> exited_on;
};

struct Enrolment {
  std::string id;
  a::Programme programme;
  size_t household;
  absl::CivilMonth start;
  std::optional<absl::CivilMonth> end;  // whole enrolment ended: last month paid
  std::string exit_reason;
  std::optional<absl::CivilDay> exited_on;
  std::string care_mode;
  absl::CivilDay review_due;
  std::vector<EnrolledPerson> members;
  std::vector<AmountRow> amounts;
  bool member_exit = false;  // one member left while the enrolment goes on

  bool Covers(absl::CivilMonth m) const { return start <= m && (!end || m <= *end); }
  const AmountRow* AmountIn(absl::CivilMonth m) const {
    const AmountRow* found = nullptr;
    for (const AmountRow& r : amounts) {
      if (r.from <= m) found = &r;
    }
    return found;
  }
};

constexpr const char* kExitReasons[] = {"DEATH",
                                        "DEATH",
                                        "DEATH",
                                        "DEATH",
                                        "DEATH",
                                        "INELIGIBLE_INCOME",
                                        "INELIGIBLE_INCOME",
                                        "INELIGIBLE_INCOME",
                                        "MOVED_AWAY",
                                        "VOLUNTARY",
                                        "OTHER"};

absl::CivilDay DayIn(Rng& rng, absl::CivilMonth m) { return absl::CivilDay(m) + rng.Below(28); }

absl::StatusOr<std::vector<Enrolment>> MakeEnrolments(Rng& rng,
                                                      const std::vector<Household>& households,
                                                      const std::vector<StandardRow>& standards,
                                                      const Options& options) {
  const a::AssistanceRules rules;
  const absl::CivilMonth first = options.first_month;
  // The window in which some enrolments start and some end: the payment months, or a year.
  const int window = options.payments_months > 0 ? options.payments_months : 12;
  const absl::CivilMonth last = first + (window - 1);
  std::vector<Enrolment> out;
  out.reserve(households.size() * 11 / 10);
  for (size_t hi = 0; hi < households.size(); ++hi) {
    const Household& h = households[hi];
    const std::string area = h.region->urban ? "URBAN" : "RURAL";
    auto start_month = [&]() {
      return rng.Chance(0.04) ? first + rng.Below(window) : first - rng.Between(1, kHistoryMonths);
    };
    // Whole exit in the window for about 3%: the last month paid is before `last`.
    auto maybe_exit = [&](Enrolment& e) {
      if (!rng.Chance(0.03)) return;
      const absl::CivilMonth lo = std::max(e.start, first);
      if (lo >= last) return;
      const absl::CivilMonth effective = lo + rng.Between(1, last - lo);
      e.end = effective - 1;
      e.exit_reason = rng.Pick(kExitReasons);
      e.exited_on = DayIn(rng, effective - 1);
      for (EnrolledPerson& p : e.members) {
        p.end = e.end;
        p.exit_reason = e.exit_reason;
        p.exited_on = e.exited_on;
      }
    };
    if (h.tekun) {
      for (size_t mi = 0; mi < h.members.size(); ++mi) {
        Enrolment e;
        e.id = rng.Uuid();
        e.programme = a::Programme::kTekun;
        e.household = hi;
        e.start = start_month();
        e.care_mode = rng.Chance(0.2) ? "CENTRALISED" : "DISPERSED";
        e.review_due = a::ReviewDue(rules, e.programme, h.region->urban, e.start);
        e.members.push_back({static_cast<int>(mi), std::nullopt, "", std::nullopt});
        std::optional<a::StandardValues> standard =
            InForce(standards, "TEKUN", area, h.region->code, e.start);
        if (!standard) {
          return absl::FailedPreconditionError(absl::StrCat(
              "no TEKUN ", area, " standard in force for ", civil::FormatMonth(e.start)));
        }
        e.amounts.push_back({e.start, a::PerPersonMonthlyAmount(*standard).fen(), 1});
        maybe_exit(e);
        out.push_back(std::move(e));
      }
      continue;
    }
    Enrolment e;
    e.id = rng.Uuid();
    e.programme = a::Programme::kDibao;
    e.household = hi;
    e.start = start_month();
    e.review_due = a::ReviewDue(rules, e.programme, h.region->urban, e.start);
    std::vector<a::MemberFacts> facts;
    for (size_t mi = 0; mi < h.members.size(); ++mi) {
      e.members.push_back({static_cast<int>(mi), std::nullopt, "", std::nullopt});
      const Person& p = h.members[mi];
      facts.push_back({p.birth, p.seriously_ill, p.severely_disabled});
    }
    std::optional<a::StandardValues> standard =
        InForce(standards, "DIBAO", area, h.region->code, e.start);
    if (!standard) {
      return absl::FailedPreconditionError(
          absl::StrCat("no DIBAO ", area, " standard in force for ", civil::FormatMonth(e.start)));
    }
    // Household income: none for 30%, else up to 60% of the line, in whole yuan.
    const int64_t line = standard->monthly.fen() * static_cast<int64_t>(facts.size());
    const int64_t income =
        rng.Chance(0.3) ? 0 : static_cast<int64_t>(line * 0.6 * rng.Unit()) / 100 * 100;
    absl::StatusOr<civil::Money> amount =
        a::DibaoMonthlyAmount(*standard, facts, civil::Money::Fen(income), e.start);
    if (!amount.ok()) return amount.status();
    e.amounts.push_back({e.start, amount->fen(), static_cast<int>(facts.size())});
    // One member (not the head) leaves in about 1.5% of larger households; the amount is
    // recomputed for those who stay from the month after.
    if (facts.size() >= 2 && rng.Chance(0.015)) {
      const absl::CivilMonth lo = std::max(e.start, first);
      if (lo < last) {
        const absl::CivilMonth effective = lo + rng.Between(1, last - lo);
        EnrolledPerson& leaver = e.members.back();
        leaver.end = effective - 1;
        leaver.exit_reason = rng.Chance(0.7) ? "DEATH" : "MOVED_AWAY";
        leaver.exited_on = DayIn(rng, effective - 1);
        facts.pop_back();
        std::optional<a::StandardValues> then =
            InForce(standards, "DIBAO", area, h.region->code, effective);
        absl::StatusOr<civil::Money> recomputed =
            then ? a::DibaoMonthlyAmount(*then, facts, civil::Money::Fen(income), effective)
                 : absl::StatusOr<civil::Money>(absl::FailedPreconditionError(""));
        e.amounts.push_back(
            {effective, recomputed.ok() ? recomputed->fen() : 0, static_cast<int>(facts.size())});
        e.member_exit = true;
      }
    }
    if (!e.member_exit) maybe_exit(e);
    out.push_back(std::move(e));
  }
  return out;
}

// --- Writing ---------------------------------------------------------------------------------

// Rows written so far, printed every few seconds and at the end of each table, and mirrored
// in two gauges when given.
class Progress {
 public:
  Progress(int64_t total, prometheus::Gauge* done_gauge, prometheus::Gauge* total_gauge)
      : total_(total), start_(Clock::now()), last_(start_), done_gauge_(done_gauge) {
    if (total_gauge) total_gauge->Set(static_cast<double>(total));
    if (done_gauge_) done_gauge_->Set(0);
  }

  void Begin(std::string table, int64_t rows) {
    table_ = std::move(table);
    table_total_ = rows;
    table_done_ = 0;
  }
  void Add(int64_t n = 1) {
    done_ += n;
    table_done_ += n;
    if ((done_ & 1023) != 0) return;
    if (done_gauge_) done_gauge_->Set(static_cast<double>(done_));
    const auto now = Clock::now();
    if (now - last_ >= std::chrono::seconds(3)) {
      last_ = now;
      Print();
    }
  }
  void End() {
    if (done_gauge_) done_gauge_->Set(static_cast<double>(done_));
    Print();
  }
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  void Print() const {
    const double s = Seconds();
    std::fprintf(
        stderr,
        "datagen: %-20s %9lld/%lld rows | all %9lld/%lld (%5.1f%%) | %.0f rows/s | %.0f s\n",
        table_.c_str(), static_cast<long long>(table_done_), static_cast<long long>(table_total_),
        static_cast<long long>(done_), static_cast<long long>(total_),
        total_ > 0 ? 100.0 * done_ / total_ : 100.0, s > 0 ? done_ / s : 0.0, s);
  }

  int64_t total_;
  int64_t done_ = 0;
  std::string table_;
  int64_t table_total_ = 0;
  int64_t table_done_ = 0;
  Clock::time_point start_;
  Clock::time_point last_;
  prometheus::Gauge* done_gauge_;
};

const char* OrNull(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

std::optional<std::string> MonthOrNull(const std::optional<absl::CivilMonth>& m) {
  if (!m) return std::nullopt;
  return civil::MonthDay(*m);
}
std::optional<std::string> DayOrNull(const std::optional<absl::CivilDay>& d) {
  if (!d) return std::nullopt;
  return Day(*d);
}

struct Batch {
  std::string id;
  int64_t payments = 0;
  int64_t total_fen = 0;
};

// The county defaults (deploy/local/seed/assistance-standards-340722.json), in fen.
struct DefaultStandard {
  const char* programme;
  int64_t monthly, ill, disabled, elderly, minor;
};
constexpr DefaultStandard kDefaults[] = {
    {"DIBAO", 79000, 10000, 10000, 5000, 5000},
    {"TEKUN", 102700, 0, 0, 0, 0},
    {"RETIRED_WORKER_SUBSIDY", 62300, 0, 0, 0, 0},
    {"SHANGHAI_RESETTLED_SUBSIDY", 40000, 0, 0, 0, 0},
    {"LEPROSY_SUBSIDY", 40000, 0, 0, 0, 0},
};

absl::StatusOr<std::vector<StandardRow>> EnsureStandards(pqxx::transaction_base& txn,
                                                         absl::CivilMonth from) {
  for (const DefaultStandard& d : kDefaults) {
    for (const char* area : {"URBAN", "RURAL"}) {
      // Only where the county has no standard in force from `from` on already.
      txn.exec_params(
          "INSERT INTO benefit_standards (programme, area, region_prefix, effective_from, "
          "monthly_fen, supplement_ill_fen, supplement_disabled_fen, supplement_elderly_fen, "
          "supplement_minor_fen, set_by, reason) SELECT $1, $2, $3, $4::date, $5, $6, $7, $8, $9, "
          "$10, 'county default (datagen)' WHERE NOT EXISTS (SELECT 1 FROM benefit_standards "
          "WHERE programme = $1 AND area = $2 AND region_prefix = $3 AND effective_from <= "
          "$4::date)",
          std::string(d.programme), std::string(area), std::string(kCounty), civil::MonthDay(from),
          d.monthly, d.ill, d.disabled, d.elderly, d.minor, std::string(kActor));
    }
  }
  std::vector<StandardRow> rows;
  for (const auto& r :
       txn.exec("SELECT programme, area, region_prefix, effective_from::text, monthly_fen, "
                "supplement_ill_fen, supplement_disabled_fen, supplement_elderly_fen, "
                "supplement_minor_fen, marginal_permille FROM benefit_standards")) {
    StandardRow s;
    s.programme = r[0].as<std::string>();
    s.area = r[1].as<std::string>();
    s.prefix = r[2].as<std::string>();
    absl::StatusOr<absl::CivilDay> d = civil::ParseDay(r[3].as<std::string>());
    if (!d.ok()) return d.status();
    s.from = *d;
    s.values.monthly = civil::Money::Fen(r[4].as<int64_t>());
    s.values.supplement_seriously_ill = civil::Money::Fen(r[5].as<int64_t>());
    s.values.supplement_severely_disabled = civil::Money::Fen(r[6].as<int64_t>());
    s.values.supplement_elderly = civil::Money::Fen(r[7].as<int64_t>());
    s.values.supplement_minor = civil::Money::Fen(r[8].as<int64_t>());
    s.values.marginal_multiplier_permille = r[9].as<int>();
    rows.push_back(std::move(s));
  }
  return rows;
}

int Run(const Options& options) {
  const auto fail = [](absl::string_view what) {
    std::cerr << "assistance_datagen: " << what << "\n";
    return 1;
  };
  const char* key = std::getenv(std::string(civil::kPiiKeyEnvVar).c_str());
  absl::StatusOr<civil::PiiProtector> pii = civil::PiiProtector::FromHexKey(key ? key : "");
  if (!pii.ok()) return fail(pii.status().message());
  if (absl::Status s = civil::ApplyMigrations(options.dsn, "assistance",
                                              civil::WithCommonMigrations(a::Migrations()));
      !s.ok()) {
    return fail(s.message());
  }
  pqxx::connection conn(options.dsn);
  pqxx::work txn(conn);
  const int64_t existing = txn.exec_params1("SELECT count(*) FROM households WHERE created_by = $1",
                                            std::string(kActor))[0]
                               .as<int64_t>();
  if (existing > 0) {
    return fail(absl::StrCat("the database holds ", existing,
                             " generated households already; generate into a fresh database"));
  }
  std::unordered_set<std::string> taken;
  for (const auto& r : txn.exec("SELECT id_index FROM household_members WHERE active")) {
    taken.insert(r[0].as<std::string>());
  }

  const absl::CivilMonth history_start = options.first_month - kHistoryMonths;
  absl::StatusOr<std::vector<StandardRow>> standards = EnsureStandards(txn, history_start);
  if (!standards.ok()) return fail(standards.status().message());

  // 1. Everything in memory first (people, amounts), so that totals are known for progress.
  const auto t0 = Clock::now();
  Rng rng(options.seed);
  const std::vector<Region> regions = CountyRegions();
  int total_weight = 0;
  for (const Region& r : regions) total_weight += r.weight;
  PersonMaker people(&*pii, std::move(taken), absl::CivilDay(options.first_month));
  std::vector<Household> households;
  households.reserve(options.households);
  int64_t member_rows = 0;
  for (int64_t i = 0; i < options.households; ++i) {
    absl::StatusOr<Household> h =
        MakeHousehold(rng, people, regions, total_weight, options.tekun_share);
    if (!h.ok()) return fail(h.status().message());
    member_rows += static_cast<int64_t>(h->members.size());
    households.push_back(*std::move(h));
  }
  absl::StatusOr<std::vector<Enrolment>> enrolments =
      MakeEnrolments(rng, households, *standards, options);
  if (!enrolments.ok()) return fail(enrolments.status().message());

  int64_t enrolment_member_rows = 0, amount_rows = 0, history_rows = 0, payment_rows = 0;
  std::map<std::pair<a::Programme, absl::CivilMonth>, Batch> batches;
  for (const Enrolment& e : *enrolments) {
    enrolment_member_rows += static_cast<int64_t>(e.members.size());
    amount_rows += static_cast<int64_t>(e.amounts.size());
    history_rows += 1 + (e.end || e.member_exit ? 1 : 0);
    for (int k = 0; k < options.payments_months; ++k) {
      const absl::CivilMonth m = options.first_month + k;
      const AmountRow* amount = e.AmountIn(m);
      if (!e.Covers(m) || !amount || amount->fen <= 0) continue;
      Batch& b = batches[{e.programme, m}];
      ++b.payments;
      b.total_fen += amount->fen;
      ++payment_rows;
    }
  }
  for (auto& [key, batch] : batches) batch.id = rng.Uuid();
  const int64_t household_rows = static_cast<int64_t>(households.size());
  const int64_t total = household_rows * 2 + member_rows +
                        static_cast<int64_t>(enrolments->size()) + enrolment_member_rows +
                        amount_rows + history_rows + static_cast<int64_t>(batches.size()) +
                        payment_rows;
  std::fprintf(stderr,
               "datagen: prepared %lld households, %lld members, %zu enrolments, %lld payments "
               "in %.1f s; writing %lld rows\n",
               static_cast<long long>(household_rows), static_cast<long long>(member_rows),
               enrolments->size(), static_cast<long long>(payment_rows),
               std::chrono::duration<double>(Clock::now() - t0).count(),
               static_cast<long long>(total));

  // 2. COPY, table by table, in foreign-key order.
  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::Gauge* done_gauge = nullptr;
  prometheus::Gauge* total_gauge = nullptr;
  std::unique_ptr<prometheus::Exposer> exposer;
  if (!options.metrics_addr.empty()) {
    try {
      exposer = std::make_unique<prometheus::Exposer>(options.metrics_addr);
    } catch (const std::exception& e) {
      return fail(absl::StrCat("--metrics-addr ", options.metrics_addr, ": ", e.what()));
    }
    exposer->RegisterCollectable(registry);
    done_gauge = &prometheus::BuildGauge()
                      .Name("assistance_datagen_rows_done")
                      .Help("Rows assistance_datagen has written so far")
                      .Register(*registry)
                      .Add({});
    total_gauge = &prometheus::BuildGauge()
                       .Name("assistance_datagen_rows_planned")
                       .Help("Rows assistance_datagen writes in all")
                       .Register(*registry)
                       .Add({});
  }
  Progress progress(total, done_gauge, total_gauge);
  try {
    {
      progress.Begin("households", household_rows);
      pqxx::stream_to out(txn, "households",
                          std::vector<std::string>{"household_id", "region_code", "area",
                                                   "created_by", "updated_by"});
      for (const Household& h : households) {
        out << std::make_tuple(h.id, h.region->code,
                               std::string(h.region->urban ? "URBAN" : "RURAL"),
                               std::string(kActor), std::string(kActor));
        progress.Add();
      }
      out.complete();
      progress.End();
    }
    {
      progress.Begin("household_members", member_rows);
      pqxx::stream_to out(
          txn, "household_members",
          std::vector<std::string>{"member_id", "household_id", "name", "id_cipher", "id_index",
                                   "id_masked", "birth_date", "sex", "relation", "position"});
      for (const Household& h : households) {
        for (size_t i = 0; i < h.members.size(); ++i) {
          const Person& p = h.members[i];
          out << std::make_tuple(p.member_id, h.id, p.name, p.cipher_hex, p.id_index, p.id_masked,
                                 Day(p.birth), std::string(p.male ? "M" : "F"),
                                 std::string(a::RelationName(p.relation)), static_cast<int>(i));
          progress.Add();
        }
      }
      out.complete();
      progress.End();
    }
    {
      progress.Begin("household_history", household_rows);
      pqxx::stream_to out(txn, "household_history",
                          std::vector<std::string>{"household_id", "actor", "action", "detail"});
      for (const Household& h : households) {
        out << std::make_tuple(h.id, std::string(kActor), std::string("CREATED"),
                               absl::StrCat("{\"members\": ", h.members.size(), "}"));
        progress.Add();
      }
      out.complete();
      progress.End();
    }
    {
      progress.Begin("enrolments", static_cast<int64_t>(enrolments->size()));
      pqxx::stream_to out(
          txn, "enrolments",
          std::vector<std::string>{"enrolment_id", "programme", "area", "household_id",
                                   "region_code", "status", "start_month", "end_month", "care_mode",
                                   "review_due", "exit_reason", "exited_on"});
      for (const Enrolment& e : *enrolments) {
        const Household& h = households[e.household];
        const auto end = MonthOrNull(e.end);
        const auto exited = DayOrNull(e.exited_on);
        out << std::make_tuple(e.id, std::string(a::ProgrammeName(e.programme)),
                               std::string(h.region->urban ? "URBAN" : "RURAL"), h.id,
                               h.region->code, std::string(e.end ? "ENDED" : "ACTIVE"),
                               civil::MonthDay(e.start), OrNull(end), e.care_mode,
                               Day(e.review_due), e.exit_reason, OrNull(exited));
        progress.Add();
      }
      out.complete();
      progress.End();
    }
    {
      progress.Begin("enrolment_members", enrolment_member_rows);
      pqxx::stream_to out(txn, "enrolment_members",
                          std::vector<std::string>{"enrolment_id", "member_id", "id_index",
                                                   "exclusive_group", "start_month", "end_month",
                                                   "exit_reason", "exited_on", "active"});
      for (const Enrolment& e : *enrolments) {
        const Household& h = households[e.household];
        const std::string group = a::ExclusiveGroup(e.programme);
        for (const EnrolledPerson& m : e.members) {
          const Person& p = h.members[m.position];
          const auto end = MonthOrNull(m.end);
          const auto exited = DayOrNull(m.exited_on);
          out << std::make_tuple(e.id, p.member_id, p.id_index, group, civil::MonthDay(e.start),
                                 OrNull(end), m.exit_reason, OrNull(exited), !m.end.has_value());
          progress.Add();
        }
      }
      out.complete();
      progress.End();
    }
    {
      progress.Begin("enrolment_amounts", amount_rows);
      pqxx::stream_to out(
          txn, "enrolment_amounts",
          std::vector<std::string>{"enrolment_id", "from_month", "amount_fen", "persons"});
      for (const Enrolment& e : *enrolments) {
        for (const AmountRow& r : e.amounts) {
          out << std::make_tuple(e.id, civil::MonthDay(r.from), r.fen, r.persons);
          progress.Add();
        }
      }
      out.complete();
      progress.End();
    }
    {
      progress.Begin("enrolment_history", history_rows);
      pqxx::stream_to out(
          txn, "enrolment_history",
          std::vector<std::string>{"enrolment_id", "action", "actor", "happened_on", "note"});
      for (const Enrolment& e : *enrolments) {
        out << std::make_tuple(e.id, std::string("ENROLLED"), std::string(kActor),
                               Day(absl::CivilDay(e.start - 1) + 19),
                               absl::StrCat("amount_fen=", e.amounts.front().fen));
        progress.Add();
        const EnrolledPerson* leaver = nullptr;
        for (const EnrolledPerson& m : e.members) {
          if (m.end) leaver = &m;
        }
        if (leaver) {
          out << std::make_tuple(e.id, std::string(e.end ? "ENDED" : "MEMBER_EXITED"),
                                 std::string(kActor), Day(*leaver->exited_on),
                                 absl::StrCat(leaver->exit_reason, " from ",
                                              civil::FormatMonth(*leaver->end + 1), ": datagen"));
          progress.Add();
        }
      }
      out.complete();
      progress.End();
    }
    {
      progress.Begin("disbursement_batches", static_cast<int64_t>(batches.size()));
      pqxx::stream_to out(
          txn, "disbursement_batches",
          std::vector<std::string>{"batch_id", "programme", "month", "region_prefix", "payments",
                                   "total_fen", "run_by"});
      for (const auto& [key, b] : batches) {
        out << std::make_tuple(b.id, std::string(a::ProgrammeName(key.first)),
                               civil::MonthDay(key.second), std::string(kCounty), b.payments,
                               b.total_fen, std::string(kActor));
        progress.Add();
      }
      out.complete();
      progress.End();
    }
    {
      // Month by month, as the monthly runs would have inserted them.
      progress.Begin("payments", payment_rows);
      pqxx::stream_to out(
          txn, "payments",
          std::vector<std::string>{"batch_id", "enrolment_id", "month", "programme", "area",
                                   "region_code", "household_id", "persons", "amount_fen"});
      for (int k = 0; k < options.payments_months; ++k) {
        const absl::CivilMonth m = options.first_month + k;
        const std::string month = civil::MonthDay(m);
        for (const Enrolment& e : *enrolments) {
          const AmountRow* amount = e.AmountIn(m);
          if (!e.Covers(m) || !amount || amount->fen <= 0) continue;
          const Household& h = households[e.household];
          out << std::make_tuple(batches[{e.programme, m}].id, e.id, month,
                                 std::string(a::ProgrammeName(e.programme)),
                                 std::string(h.region->urban ? "URBAN" : "RURAL"), h.region->code,
                                 h.id, amount->persons, amount->fen);
          progress.Add();
        }
      }
      out.complete();
      progress.End();
    }
    progress.Begin("commit", 0);
    txn.commit();
    progress.End();
  } catch (const std::exception& e) {
    return fail(absl::StrCat("writing failed, nothing was kept: ", e.what()));
  }

  if (options.vacuum) {
    std::fprintf(stderr, "datagen: VACUUM ANALYZE…\n");
    pqxx::nontransaction n(conn);
    for (const char* table :
         {"households", "household_members", "household_history", "benefit_standards", "enrolments",
          "enrolment_members", "enrolment_amounts", "enrolment_history", "disbursement_batches",
          "payments", "payment_totals", "caseload_changes"}) {
      n.exec(absl::StrCat("VACUUM (ANALYZE) ", table));
    }
  }
  const absl::CivilMonth next = options.first_month + options.payments_months;
  std::fprintf(stderr,
               "datagen: done in %.1f s: %lld households (%lld members) in %zu regions of %s, "
               "%zu enrolments, %lld payments in %zu batches",
               progress.Seconds(), static_cast<long long>(household_rows),
               static_cast<long long>(member_rows), regions.size(), kCounty, enrolments->size(),
               static_cast<long long>(payment_rows), batches.size());
  if (options.payments_months > 0) {
    std::fprintf(stderr, " for %s..%s; first unpaid month %s",
                 civil::FormatMonth(options.first_month).c_str(),
                 civil::FormatMonth(next - 1).c_str(), civil::FormatMonth(next).c_str());
  }
  std::fprintf(stderr, "\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> options = ParseOptions(argc, argv);
  if (!options) return 2;
  try {
    return Run(*options);
  } catch (const std::exception& e) {
    std::cerr << "assistance_datagen: " << e.what() << "\n";
    return 1;
  }
}
