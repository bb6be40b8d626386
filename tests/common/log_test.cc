#include "services/common/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace civil {
namespace {

using json = nlohmann::json;

absl::Time At(int y, int m, int d, int hh, int mm, int ss, int millis) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), absl::UTCTimeZone()) +
         absl::Milliseconds(millis);
}

std::string Line(absl::string_view msg, std::initializer_list<LogField> fields = {}) {
  return FormatLogLine(At(2024, 5, 1, 8, 0, 0, 123), LogLevel::kInfo, msg,
                       absl::MakeConstSpan(fields.begin(), fields.size()));
}

TEST(LogLineTest, FieldsInOrderAfterTheFourCommonOnes) {
  SetLogComponent("gateway");
  EXPECT_EQ(Line("http_request", {{"request_id", absl::string_view("r-1")},
                                  {"method", absl::string_view("GET")},
                                  {"route", absl::string_view("/v1/households/{id}")},
                                  {"status", int64_t{200}},
                                  {"grpc_code", int64_t{0}},
                                  {"duration_ms", 12.345},
                                  {"cached", false}}),
            R"({"ts":"2024-05-01T08:00:00.123Z","level":"info","component":"gateway",)"
            R"("msg":"http_request","request_id":"r-1","method":"GET",)"
            R"("route":"/v1/households/{id}","status":200,"grpc_code":0,"duration_ms":12.345,)"
            R"("cached":false})");
  SetLogComponent("civil");
}

TEST(LogLineTest, LevelsAndTimestamps) {
  const LogField none[] = {{"n", int64_t{1}}};
  auto level = [&](LogLevel l) {
    return json::parse(FormatLogLine(absl::UnixEpoch(), l, "x", none))["level"];
  };
  EXPECT_EQ(level(LogLevel::kDebug), "debug");
  EXPECT_EQ(level(LogLevel::kInfo), "info");
  EXPECT_EQ(level(LogLevel::kWarn), "warn");
  EXPECT_EQ(level(LogLevel::kError), "error");

  auto ts = [](absl::Time t) {
    return json::parse(FormatLogLine(t, LogLevel::kInfo, "x", {}))["ts"].get<std::string>();
  };
  EXPECT_EQ(ts(At(2023, 12, 31, 23, 59, 59, 999)), "2023-12-31T23:59:59.999Z");
  EXPECT_EQ(ts(At(2024, 1, 1, 0, 0, 0, 7)), "2024-01-01T00:00:00.007Z");  // next second, new prefix
  EXPECT_EQ(ts(At(2024, 1, 1, 0, 0, 0, 70)), "2024-01-01T00:00:00.070Z");
  EXPECT_EQ(ts(absl::UnixEpoch() - absl::Milliseconds(1)), "1969-12-31T23:59:59.999Z");
}

TEST(LogLineTest, NumbersAndBooleans) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Line("n", {{"a", int64_t{-9223372036854775807 - 1}},
                       {"b", 0.001},
                       {"c", std::round(0.0123456 * 1e6) / 1e3},
                       {"d", 5.0},
                       {"e", nan},
                       {"f", -inf},
                       {"g", true}}),
            R"({"ts":"2024-05-01T08:00:00.123Z","level":"info","component":"civil","msg":"n",)"
            R"("a":-9223372036854775808,"b":0.001,"c":12.346,"d":5,"e":null,"f":null,"g":true})");
}

// Every byte string becomes valid JSON: escapes for JSON's specials and control characters,
// well-formed UTF-8 kept as it is, anything else replaced by U+FFFD one byte at a time.
TEST(LogLineTest, EscapesAnyBytesIntoValidJson) {
  struct Case {
    std::string in;
    std::string escaped;  // as written between the quotes
    std::string decoded;  // what a JSON reader gets back
  };
  const std::string fffd = "\xEF\xBF\xBD";
  const std::vector<Case> cases = {
      {"plain /v1/path", "plain /v1/path", "plain /v1/path"},
      {"q\"b\\s/", "q\\\"b\\\\s/", "q\"b\\s/"},
      {"\n\r\t", "\\n\\r\\t", "\n\r\t"},
      {std::string("\x00\x01\x08\x0c\x1f\x7f", 6), "\\u0000\\u0001\\u0008\\u000c\\u001f\\u007f",
       std::string("\x00\x01\x08\x0c\x1f\x7f", 6)},
      {"张三 é 😀", "张三 é 😀", "张三 é 😀"},
      {"\xff", fffd, fffd},                                      // never a lead byte
      {"a\x80z", "a" + fffd + "z", "a" + fffd + "z"},            // stray continuation byte
      {"\xe5\xbc", fffd + fffd, fffd + fffd},                    // truncated at the end
      {"\xe5\xbcz", fffd + fffd + "z", fffd + fffd + "z"},       // truncated before ASCII
      {"\xc0\xaf", fffd + fffd, fffd + fffd},                    // overlong '/'
      {"\xed\xa0\x80", fffd + fffd + fffd, fffd + fffd + fffd},  // a UTF-16 surrogate
      {"\xf4\x90\x80\x80", fffd + fffd + fffd + fffd, fffd + fffd + fffd + fffd},  // > U+10FFFF
  };
  for (const Case& c : cases) {
    const LogField fields[] = {{c.in, absl::string_view(c.in)}};
    const std::string line = FormatLogLine(absl::UnixEpoch(), LogLevel::kInfo, c.in, fields);
    EXPECT_NE(line.find(absl::StrCat(",\"msg\":\"", c.escaped, "\",\"", c.escaped, "\":\"",
                                     c.escaped, "\"}")),
              std::string::npos)
        << line;
    json parsed = json::parse(line);  // throws (fails the test) on invalid JSON or UTF-8
    EXPECT_EQ(parsed["msg"], c.decoded) << line;
    EXPECT_EQ(parsed[c.decoded], c.decoded) << line;
  }
}

// The plain-text check reads eight bytes at a time: a special byte is caught wherever it sits.
TEST(LogLineTest, EscapesASpecialByteAtAnyPosition) {
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\x7f', '\x80', '\xff'}) {
    for (size_t length : {1u, 7u, 8u, 9u, 16u, 23u}) {
      for (size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = special;
        const LogField fields[] = {{"v", absl::string_view(text)}};
        const std::string line = FormatLogLine(absl::UnixEpoch(), LogLevel::kInfo, text, fields);
        std::string expected = text;
        if (static_cast<unsigned char>(special) >= 0x80) expected.replace(at, 1, "\xEF\xBF\xBD");
        json parsed = json::parse(line);
        EXPECT_EQ(parsed["msg"], expected) << line;
        EXPECT_EQ(parsed["v"], expected) << line;
        if (special != '"' && special != '\\') {
          EXPECT_EQ(line.find(special), std::string::npos) << "unescaped: " << line;
        }
      }
    }
  }
}

TEST(LogLineTest, ComponentIsEscapedToo) {
  SetLogComponent("a\"b");
  EXPECT_NE(Line("m").find(R"("component":"a\"b",)"), std::string::npos) << Line("m");
  SetLogComponent("civil");
  EXPECT_NE(Line("m").find(R"("component":"civil",)"), std::string::npos);
}

// Points stderr at a file for the lifetime of the object.
class CapturedStderr {
 public:
  CapturedStderr() {
    char name[] = "/tmp/log_test_XXXXXX";
    fd_ = mkstemp(name);
    path_ = name;
    saved_ = dup(STDERR_FILENO);
    dup2(fd_, STDERR_FILENO);
  }
  ~CapturedStderr() {
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    close(fd_);
    unlink(path_.c_str());
  }
  std::vector<std::string> Lines() const {
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

 private:
  int fd_ = -1;
  int saved_ = -1;
  std::string path_;
};

TEST(LogOutputTest, LogWritesAtOnceAfterTheQueuedLines) {
  CapturedStderr err;
  const LogField first[] = {{"n", int64_t{1}}};
  LogQueued(LogLevel::kInfo, "queued", first);
  Log(LogLevel::kWarn, "now", {{"n", int64_t{2}}});
  // Log() wrote both, in order, without waiting for the writer thread.
  std::vector<std::string> lines = err.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["msg"], "queued");
  EXPECT_EQ(json::parse(lines[1])["msg"], "now");
  EXPECT_EQ(json::parse(lines[1])["level"], "warn");
  EXPECT_EQ(json::parse(lines[1])["n"], 2);
}

TEST(LogOutputTest, QueuedLinesAreWrittenByTheWriterThreadOrOnFlush) {
  CapturedStderr err;
  const LogField fields[] = {{"n", int64_t{1}}};
  LogQueued(LogLevel::kInfo, "later", fields);
  for (int i = 0; i < 250 && err.Lines().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kLogFlushIntervalMs));
  }
  ASSERT_EQ(err.Lines().size(), 1u) << "the writer thread wrote nothing within 5 s";
  LogQueued(LogLevel::kInfo, "flushed", fields);
  FlushLog();
  std::vector<std::string> lines = err.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[1])["msg"], "flushed");
}

TEST(LogOutputTest, LinesFromManyThreadsNeverInterleave) {
  CapturedStderr err;
  constexpr int kThreads = 4;
  constexpr int kLines = 2000;
  const std::string padding(300, 'x');  // lines longer than a small-buffer, across batches
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLines; ++i) {
        const LogField fields[] = {
            {"thread", int64_t{t}}, {"i", int64_t{i}}, {"pad", absl::string_view(padding)}};
        if (i % 100 == 99) {
          Log(LogLevel::kInfo, "now", fields);
        } else {
          LogQueued(LogLevel::kInfo, "queued", fields);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  FlushLog();
  std::vector<std::string> lines = err.Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    json entry = json::parse(line);
    const int t = entry["thread"];
    EXPECT_EQ(entry["i"], next[t]) << "lines of one thread out of order";
    next[t] = entry["i"].get<int>() + 1;
  }
}

TEST(LogIdsTest, FreshRandomRequestIdsAndUuids) {
  const std::string a = NewRequestId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, NewRequestId());
  const std::string u = NewUuid();
  ASSERT_EQ(u.size(), 36u);
  EXPECT_EQ(u[14], '4');
}

}  // namespace
}  // namespace civil
