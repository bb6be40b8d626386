// assistance_bench_client: the gRPC client (and its direct-SQL baselines) that
// tests/bench/assistance_bench.sh times. Calls carry the bearer token in CIVIL_BENCH_TOKEN (the
// script mints one: subject `bench`, roles reviewer + auditor + clerk, region `*`). Each command
// prints one tab-separated result line on stdout; diagnostics go to stderr; the exit status is
// non-zero when a call fails.
//
//   disburse    --addr A --month YYYY-MM --region P [--programmes DIBAO,TEKUN]
//               RunDisbursement for each programme in turn; prints
//               `disburse <payments> <total_fen> <created_batches> <seconds>`
//   summary     --addr A --start D --end D [--region P] [--calls N]
//   summary-sql --dsn DSN --start D --end D [--region P] [--calls N]
//   summary-raw --dsn DSN --start D --end D [--region P] [--calls N]
//               GetSummary, the same three statements SummaryStore::Figures runs (over the
//               roll-ups of migration 0005), or the five statements it ran before them (over the
//               rows themselves), N times; prints `summary|summary-sql|summary-raw <calls>
//               <p50_ms> <p99_ms> <mean_ms> <result_rows>`
//   summary-verify --addr A --dsn DSN --start D --end D --region P
//               GetSummary once and the figures counted from the rows (the summary-raw
//               statements); prints `summary-verify <region> ok <programme_rows>`, or each
//               difference on stderr and `summary-verify <region> MISMATCH <differences>`, exit 1
//   list        --addr A --regions P1,P2 [--page-size 50] [--pages N]
//   list-sql    --dsn DSN --regions P1,P2 [--page-size 50] [--pages N]
//               ListEnrolments walking up to N pages of each region prefix, or the direct SQL
//               page (the service's page query, then the page's members in one query); prints
//               `list <pages> <p50_ms> <p99_ms> <mean_ms> <enrolments>`
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "civil/assistance/v1/programme.grpc.pb.h"

namespace {

namespace v1 = civil::assistance::v1;
using Clock = std::chrono::steady_clock;

struct Flags {
  std::map<std::string, std::string> values;
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
  int Int(const std::string& name, int fallback) const {
    int v = fallback;
    auto it = values.find(name);
    if (it != values.end() && !absl::SimpleAtoi(it->second, &v)) {
      std::cerr << "assistance_bench_client: --" << name << " must be a number\n";
      std::exit(2);
    }
    return v;
  }
  std::string Required(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) {
      std::cerr << "assistance_bench_client: --" << name << " is required\n";
      std::exit(2);
    }
    return it->second;
  }
};

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Nearest-rank percentile of `samples` (sorted in place).
double Percentile(std::vector<double>& samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  size_t rank = static_cast<size_t>(p * static_cast<double>(samples.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, samples.size());
  return samples[rank - 1];
}

void PrintLatencies(absl::string_view name, std::vector<double> samples, int64_t count) {
  double sum = 0;
  for (double s : samples) sum += s;
  const double mean = samples.empty() ? 0 : sum / static_cast<double>(samples.size());
  const double p50 = Percentile(samples, 0.50);
  const double p99 = Percentile(samples, 0.99);
  std::printf("%s\t%zu\t%.3f\t%.3f\t%.3f\t%lld\n", std::string(name).c_str(), samples.size(), p50,
              p99, mean, static_cast<long long>(count));
}

void Authenticate(grpc::ClientContext* context, int deadline_seconds) {
  static const std::string bearer = [] {
    const char* token = std::getenv("CIVIL_BENCH_TOKEN");
    if (token == nullptr || *token == '\0') {
      std::cerr << "assistance_bench_client: CIVIL_BENCH_TOKEN is not set\n";
      std::exit(2);
    }
    return std::string("Bearer ") + token;
  }();
  context->AddMetadata("authorization", bearer);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(deadline_seconds));
}

std::shared_ptr<grpc::Channel> Channel(const Flags& flags) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(flags.Required("addr"), grpc::InsecureChannelCredentials(),
                                   args);
}

int Failed(absl::string_view what, const grpc::Status& status) {
  std::cerr << "assistance_bench_client: " << what << ": " << status.error_code() << " "
            << status.error_message() << "\n";
  return 1;
}

int Disburse(const Flags& flags) {
  auto stub = v1::DisbursementService::NewStub(Channel(flags));
  int64_t payments = 0;
  int64_t total_fen = 0;
  int created = 0;
  const auto start = Clock::now();
  for (absl::string_view name : absl::StrSplit(flags.Get("programmes", "DIBAO,TEKUN"), ',')) {
    v1::Programme programme;
    if (!v1::Programme_Parse(absl::StrCat("PROGRAMME_", name), &programme)) {
      std::cerr << "assistance_bench_client: unknown programme " << name << "\n";
      return 2;
    }
    v1::RunDisbursementRequest request;
    request.set_programme(programme);
    request.set_month(flags.Required("month"));
    request.set_region_prefix(flags.Required("region"));
    v1::RunDisbursementResponse response;
    grpc::ClientContext context;
    Authenticate(&context, 900);
    grpc::Status status = stub->RunDisbursement(&context, request, &response);
    if (!status.ok()) return Failed(absl::StrCat("RunDisbursement ", name), status);
    payments += response.batch().payments();
    total_fen += response.batch().total_fen();
    created += response.created() ? 1 : 0;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("disburse\t%lld\t%lld\t%d\t%.4f\n", static_cast<long long>(payments),
              static_cast<long long>(total_fen), created, seconds);
  return 0;
}

int Summary(const Flags& flags) {
  auto stub = v1::SummaryService::NewStub(Channel(flags));
  v1::GetSummaryRequest request;
  request.set_period_start(flags.Required("start"));
  request.set_period_end(flags.Required("end"));
  request.set_region_prefix(flags.Get("region"));
  const int calls = flags.Int("calls", 10);
  std::vector<double> samples;
  int64_t rows = 0;
  for (int i = 0; i < calls; ++i) {
    v1::GetSummaryResponse response;
    grpc::ClientContext context;
    Authenticate(&context, 120);
    const auto t = Clock::now();
    grpc::Status status = stub->GetSummary(&context, request, &response);
    samples.push_back(Ms(Clock::now() - t));
    if (!status.ok()) return Failed("GetSummary", status);
    rows = response.programmes_size();
  }
  PrintLatencies("summary", std::move(samples), rows);
  return 0;
}

// Parameters: kMonth = (region, last month), kMonths = (region, first month, last month),
// kDays = (region, first day, last day).
enum Params { kMonth, kMonths, kDays };
struct Statement {
  const char* sql;
  Params params;
};

// The statements of SummaryStore::Figures (services/assistance/summary_store.cc), verbatim,
// with the parameters it passes: keep them in step with it, or the baseline measures something
// else.
constexpr Statement kSummaryStatements[] = {
    {"SELECT programme, area, coalesce(sum(households) FILTER (WHERE month <= $3::date), "
     "0)::bigint, coalesce(sum(persons) FILTER (WHERE month <= $3::date), 0)::bigint, "
     "coalesce(sum(enrolments_started) FILTER (WHERE month >= $2::date), 0)::bigint FROM "
     "caseload_changes WHERE region_code LIKE $1 || '%' AND month <= $3::date GROUP BY 1, "
     "2",
     kMonths},
    {"SELECT programme, area, sum(amount_fen)::bigint FROM payment_totals WHERE "
     "region_code LIKE $1 || '%' AND month BETWEEN $2::date AND $3::date GROUP BY 1, 2 "
     "HAVING sum(payments) > 0",
     kMonths},
    {"SELECT e.programme, e.area, m.exit_reason, count(DISTINCT e.household_id), "
     "count(DISTINCT m.id_index), grouping(m.exit_reason) FROM enrolments e JOIN "
     "enrolment_members m USING "
     "(enrolment_id) WHERE e.region_code LIKE $1 || '%' AND m.exited_on BETWEEN $2::date "
     "AND $3::date GROUP BY GROUPING SETS ((1, 2), (1, 2, 3)) ORDER BY 6 DESC, 3",
     kDays},
};

// The figures counted from the rows themselves, as SummaryStore::Figures did before the
// roll-ups: active households and persons, money paid, new enrolments, exits, exits by reason.
constexpr Statement kRawSummaryStatements[] = {
    {"SELECT e.programme, e.area, count(DISTINCT e.enrolment_id), count(*) FROM "
     "enrolments e JOIN enrolment_members m USING (enrolment_id) WHERE e.region_code LIKE "
     "$1 || '%' AND m.start_month <= $2::date AND (m.end_month IS NULL OR m.end_month >= "
     "$2::date) GROUP BY 1, 2",
     kMonth},
    {"SELECT programme, area, sum(amount_fen) FROM payments WHERE region_code LIKE $1 || "
     "'%' AND month BETWEEN $2::date AND $3::date GROUP BY 1, 2",
     kMonths},
    {"SELECT programme, area, count(*) FROM enrolments WHERE region_code LIKE $1 || '%' "
     "AND start_month BETWEEN $2::date AND $3::date GROUP BY 1, 2",
     kMonths},
    // Exits count households and persons, not enrolments (one that leaves twice is one).
    {"SELECT e.programme, e.area, count(DISTINCT e.household_id), count(DISTINCT m.id_index) "
     "FROM enrolments e JOIN enrolment_members m USING (enrolment_id) WHERE e.region_code "
     "LIKE $1 || '%' AND m.exited_on BETWEEN $2::date AND $3::date GROUP BY 1, 2",
     kDays},
    {"SELECT e.programme, e.area, m.exit_reason, count(DISTINCT e.household_id), "
     "count(DISTINCT m.id_index) FROM enrolments e JOIN enrolment_members m USING (enrolment_id) "
     "WHERE "
     "e.region_code LIKE $1 || '%' AND m.exited_on BETWEEN $2::date AND $3::date "
     "GROUP BY 1, 2, 3 ORDER BY 3",
     kDays},
};

struct Period {
  std::string start, end, first_month, last_month, region;
  explicit Period(const Flags& flags)
      : start(flags.Required("start")),
        end(flags.Required("end")),
        first_month(start.substr(0, 8) + "01"),
        last_month(end.substr(0, 8) + "01"),
        region(flags.Get("region")) {}
};

pqxx::result Exec(pqxx::transaction_base& txn, const Statement& s, const Period& p) {
  switch (s.params) {
    case kMonth:
      return txn.exec_params(s.sql, p.region, p.last_month);
    case kMonths:
      return txn.exec_params(s.sql, p.region, p.first_month, p.last_month);
    case kDays:
      break;
  }
  return txn.exec_params(s.sql, p.region, p.start, p.end);
}

template <size_t N>
int TimeStatements(const Flags& flags, absl::string_view name, const Statement (&statements)[N]) {
  pqxx::connection conn(flags.Required("dsn"));
  const Period period(flags);
  const int calls = flags.Int("calls", 10);
  std::vector<double> samples;
  int64_t rows = 0;
  for (int i = 0; i < calls; ++i) {
    const auto t = Clock::now();
    pqxx::nontransaction txn(conn);
    rows = 0;
    for (const Statement& s : statements) rows += static_cast<int64_t>(Exec(txn, s, period).size());
    samples.push_back(Ms(Clock::now() - t));
  }
  PrintLatencies(name, std::move(samples), rows);
  return 0;
}

int SummarySql(const Flags& flags) {
  return TimeStatements(flags, "summary-sql", kSummaryStatements);
}
int SummaryRaw(const Flags& flags) {
  return TimeStatements(flags, "summary-raw", kRawSummaryStatements);
}

// GetSummary's programme figures against the same figures counted from the rows.
int SummaryVerify(const Flags& flags) {
  const Period period(flags);
  auto stub = v1::SummaryService::NewStub(Channel(flags));
  v1::GetSummaryRequest request;
  request.set_period_start(period.start);
  request.set_period_end(period.end);
  request.set_region_prefix(period.region);
  v1::GetSummaryResponse response;
  grpc::ClientContext context;
  Authenticate(&context, 120);
  grpc::Status status = stub->GetSummary(&context, request, &response);
  if (!status.ok()) return Failed("GetSummary", status);
  // "PROGRAMME/AREA figure" → value, from both sides; programmes and areas by their SQL names.
  std::map<std::string, int64_t> got, want;
  for (const v1::ProgrammeFigures& f : response.programmes()) {
    const std::string key =
        absl::StrCat(absl::StripPrefix(v1::Programme_Name(f.programme()), "PROGRAMME_"), "/",
                     absl::StripPrefix(civil::common::v1::Area_Name(f.area()), "AREA_"), " ");
    got[key + "households"] = f.households();
    got[key + "persons"] = f.persons();
    got[key + "paid_fen"] = f.paid_fen();
    got[key + "new_enrolments"] = f.new_enrolments();
    got[key + "exit_households"] = f.exit_households();
    got[key + "exit_persons"] = f.exit_persons();
    for (const auto& x : f.exits_by_reason()) {
      const std::string reason(absl::StripPrefix(v1::ExitReason_Name(x.reason()), "EXIT_REASON_"));
      got[absl::StrCat(key, "exit_households[", reason, "]")] = x.households();
      got[absl::StrCat(key, "exit_persons[", reason, "]")] = x.persons();
    }
  }
  pqxx::connection conn(flags.Required("dsn"));
  pqxx::nontransaction txn(conn);
  auto key = [](const pqxx::row& r) {
    return absl::StrCat(r[0].as<std::string>(), "/", r[1].as<std::string>(), " ");
  };
  // A programme and area the service reports gets every figure, zero where the rows have none.
  for (const auto& [k, v] : got) want[k] = 0;
  const char* names[][2] = {{"households", "persons"},
                            {"paid_fen", nullptr},
                            {"new_enrolments", nullptr},
                            {"exit_households", "exit_persons"}};
  for (int i = 0; i < 4; ++i) {
    for (const auto& r : Exec(txn, kRawSummaryStatements[i], period)) {
      want[key(r) + names[i][0]] = r[2].as<int64_t>();
      if (names[i][1] != nullptr) want[key(r) + names[i][1]] = r[3].as<int64_t>();
    }
  }
  for (const auto& r : Exec(txn, kRawSummaryStatements[4], period)) {
    want[absl::StrCat(key(r), "exit_households[", r[2].as<std::string>(), "]")] =
        r[3].as<int64_t>();
    want[absl::StrCat(key(r), "exit_persons[", r[2].as<std::string>(), "]")] = r[4].as<int64_t>();
  }
  int differences = 0;
  for (const auto& [k, v] : want) {
    auto it = got.find(k);
    const int64_t mine = it == got.end() ? 0 : it->second;
    // A figure the service does not report must be zero in the rows too.
    if (mine != v) {
      std::cerr << "summary-verify " << period.region << ": " << k << " service " << mine
                << " rows " << v << "\n";
      ++differences;
    }
  }
  if (differences > 0) {
    std::printf("summary-verify\t%s\tMISMATCH\t%d\n", period.region.c_str(), differences);
    return 1;
  }
  std::printf("summary-verify\t%s\tok\t%d\n", period.region.c_str(), response.programmes_size());
  return 0;
}

std::vector<std::string> Regions(const Flags& flags) {
  return absl::StrSplit(flags.Required("regions"), ',', absl::SkipEmpty());
}

int List(const Flags& flags) {
  auto stub = v1::EnrolmentService::NewStub(Channel(flags));
  const int page_size = flags.Int("page-size", 50);
  const int pages = flags.Int("pages", 20);
  std::vector<double> samples;
  int64_t enrolments = 0;
  for (const std::string& region : Regions(flags)) {
    std::string token;
    for (int page = 0; page < pages; ++page) {
      v1::ListEnrolmentsRequest request;
      request.set_region_prefix(region);
      request.set_page_size(page_size);
      request.set_page_token(token);
      v1::ListEnrolmentsResponse response;
      grpc::ClientContext context;
      Authenticate(&context, 60);
      const auto t = Clock::now();
      grpc::Status status = stub->ListEnrolments(&context, request, &response);
      samples.push_back(Ms(Clock::now() - t));
      if (!status.ok()) return Failed("ListEnrolments", status);
      enrolments += response.enrolments_size();
      token = response.next_page_token();
      if (token.empty()) break;
    }
  }
  PrintLatencies("list", std::move(samples), enrolments);
  return 0;
}

// The page query of EnrolmentStore::List (programme and month unset), then the members of the
// whole page in one statement instead of one per enrolment.
constexpr char kPageSql[] =
    "SELECT e.enrolment_id::text, e.programme, e.area, e.household_id::text, e.region_code, "
    "e.status, e.start_month::text, e.end_month::text, e.care_mode, e.review_due::text, "
    "e.exit_reason, coalesce(e.application_id::text, ''), e.seq, (SELECT amount_fen FROM "
    "enrolment_amounts x WHERE x.enrolment_id = e.enrolment_id ORDER BY from_month DESC LIMIT 1) "
    "FROM enrolments e WHERE e.region_code LIKE $1 || '%' AND ($2 = '' OR e.programme = $2) AND "
    "($3 = '' OR (e.start_month <= $3::date AND (e.end_month IS NULL OR e.end_month >= "
    "$3::date))) AND e.seq > $4 ORDER BY e.seq LIMIT $5";
constexpr char kPageMembersSql[] =
    "SELECT m.enrolment_id::text, m.member_id::text, hm.name, hm.id_masked, m.start_month::text, "
    "m.end_month::text, m.exit_reason FROM enrolment_members m JOIN household_members hm USING "
    "(member_id) WHERE m.enrolment_id = ANY($1::uuid[]) ORDER BY m.enrolment_id, hm.position";

int ListSql(const Flags& flags) {
  pqxx::connection conn(flags.Required("dsn"));
  const int page_size = flags.Int("page-size", 50);
  const int pages = flags.Int("pages", 20);
  std::vector<double> samples;
  int64_t enrolments = 0;
  for (const std::string& region : Regions(flags)) {
    int64_t after = 0;
    for (int page = 0; page < pages; ++page) {
      const auto t = Clock::now();
      pqxx::nontransaction txn(conn);
      pqxx::result rows =
          txn.exec_params(kPageSql, region, std::string(), std::string(), after, page_size + 1);
      std::vector<std::string> ids;
      for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
        ids.push_back(rows[i][0].as<std::string>());
        after = rows[i][12].as<int64_t>();
      }
      if (!ids.empty()) {
        txn.exec_params(kPageMembersSql, absl::StrCat("{", absl::StrJoin(ids, ","), "}"));
      }
      samples.push_back(Ms(Clock::now() - t));
      enrolments += static_cast<int64_t>(ids.size());
      if (static_cast<int>(rows.size()) <= page_size) break;
    }
  }
  PrintLatencies("list-sql", std::move(samples), enrolments);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: assistance_bench_client "
                 "disburse|summary|summary-sql|summary-raw|summary-verify|list|list-sql "
                 "[--flag value]...\n";
    return 2;
  }
  const std::string command = argv[1];
  Flags flags;
  for (int i = 2; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::ConsumePrefix(&arg, "--") || i + 1 >= argc) {
      std::cerr << "assistance_bench_client: expected --flag value, got " << argv[i] << "\n";
      return 2;
    }
    flags.values[std::string(arg)] = argv[++i];
  }
  try {
    if (command == "disburse") return Disburse(flags);
    if (command == "summary") return Summary(flags);
    if (command == "summary-sql") return SummarySql(flags);
    if (command == "summary-raw") return SummaryRaw(flags);
    if (command == "summary-verify") return SummaryVerify(flags);
    if (command == "list") return List(flags);
    if (command == "list-sql") return ListSql(flags);
  } catch (const std::exception& e) {
    std::cerr << "assistance_bench_client: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "assistance_bench_client: unknown command " << command << "\n";
  return 2;
}
