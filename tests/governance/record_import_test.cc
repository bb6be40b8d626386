// Unit tests of the import's reading and reporting (services/governance/record_import.h): CSV
// records and their line numbers, the header, the report's cap. No servers.
#include "services/governance/record_import.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace civil::governance {
namespace {

struct Read {
  std::vector<std::string> fields;
  int64_t line;
  std::string error;
};

std::vector<Read> ReadAll(absl::string_view text) {
  CsvReader reader(text);
  std::vector<Read> all;
  Read r;
  while (reader.Next(&r.fields, &r.line, &r.error)) all.push_back(r);
  return all;
}

TEST(CsvReaderTest, RecordsFieldsAndLineNumbers) {
  std::vector<Read> all = ReadAll(
      "\xEF\xBB\xBFgrid_code,name\r\n1,\"王, 某\"\n\n2,\"说\"\"好\"\"\"\n3,\"两\n行\"\n4,末");
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].fields, (std::vector<std::string>{"grid_code", "name"}));
  EXPECT_EQ(all[0].line, 1);
  EXPECT_EQ(all[1].fields, (std::vector<std::string>{"1", "王, 某"}));
  EXPECT_EQ(all[1].line, 2);
  EXPECT_EQ(all[2].fields, (std::vector<std::string>{"2", "说\"好\""}));
  EXPECT_EQ(all[2].line, 4);  // the blank line 3 is skipped but counted
  EXPECT_EQ(all[3].fields, (std::vector<std::string>{"3", "两\n行"}));
  EXPECT_EQ(all[3].line, 5);
  EXPECT_EQ(all[4].fields, (std::vector<std::string>{"4", "末"}));
  EXPECT_EQ(all[4].line, 7);
  EXPECT_EQ(CsvReader::CountLines("a\nb\n"), 2);
  EXPECT_EQ(CsvReader::CountLines("a\nb"), 2);
  EXPECT_EQ(CsvReader::CountLines(""), 0);
}

TEST(CsvReaderTest, AMalformedRecordIsAnErrorAndReadingGoesOn) {
  std::vector<Read> all = ReadAll("a,\"b\"c\nd,e\"f\ng,h\n\"open");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].error, "row: text after a closing quote");
  EXPECT_EQ(all[1].error, "row: a quote inside an unquoted field");
  EXPECT_EQ(all[1].line, 2);
  EXPECT_TRUE(all[2].error.empty());
  EXPECT_EQ(all[2].fields, (std::vector<std::string>{"g", "h"}));
  EXPECT_EQ(all[2].line, 3);
  EXPECT_EQ(all[3].error, "row: a quoted field is not closed");
}

TEST(CsvHeaderTest, ColumnsInAnyOrderOptionalOnesMayBeLeftOut) {
  absl::StatusOr<CsvHeader> h =
      CsvHeader::Parse({" ID_Number", "name", "address", "grid_code", "tags"});
  ASSERT_TRUE(h.ok()) << h.status();
  absl::StatusOr<RecordRow> row = h->Row({"ID", "N", "A", "G", "T"});
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->id_number, "ID");
  EXPECT_EQ(row->grid_code, "G");
  EXPECT_EQ(row->tags, "T");
  EXPECT_EQ(row->household, "");
  EXPECT_EQ(h->Row({"1", "2"}).status().message(), "row: has 2 fields, the header 5");
  EXPECT_EQ(row->submit_date, "");
  h = CsvHeader::Parse({"grid_code", "name", "id_number", "address", "Submit_Date"});
  ASSERT_TRUE(h.ok()) << h.status();
  row = h->Row({"G", "N", "ID", "A", "2023-03-01"});
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->submit_date, "2023-03-01");
}

TEST(CsvHeaderTest, AnUnusableHeaderNamesTheProblem) {
  EXPECT_EQ(CsvHeader::Parse({"grid_code", "name", "address"}).status().message(),
            "csv: the header lacks the column id_number");
  EXPECT_TRUE(absl::StartsWith(
      CsvHeader::Parse({"grid_code", "name", "id_number", "address", "phone"}).status().message(),
      "csv: the header's column 5 (phone)"));
  EXPECT_EQ(
      CsvHeader::Parse({"grid_code", "name", "name", "id_number", "address"}).status().message(),
      "csv: the header names name twice");
}

TEST(ImportReportTest, BadRowsAreCountedAllAndListedUpToTheCap) {
  ImportReport report;
  report.Reject(2, "id_number: wrong check character");
  report.Reject(3, "row: has 2 fields, the header 5");
  report.Reject(4, "a message without a field");
  ASSERT_EQ(report.errors.size(), 3u);
  EXPECT_EQ(report.errors[0].row, 2);
  EXPECT_EQ(report.errors[0].field, "id_number");
  EXPECT_EQ(report.errors[0].problem, "wrong check character");
  EXPECT_EQ(report.errors[1].field, "row");
  EXPECT_EQ(report.errors[2].field, "row");
  EXPECT_EQ(report.errors[2].problem, "a message without a field");
  for (int i = 0; i < kMaxReportedErrors; ++i) report.Reject(10 + i, "name: is required");
  EXPECT_EQ(report.rejected, kMaxReportedErrors + 3);
  EXPECT_EQ(static_cast<int>(report.errors.size()), kMaxReportedErrors);
  EXPECT_TRUE(report.errors_truncated);
}

}  // namespace
}  // namespace civil::governance
