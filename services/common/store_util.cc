#include "services/common/store_util.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace civil {

absl::StatusOr<StoredId> ProtectId(const PiiProtector& pii, const IdNumber& id) {
  absl::StatusOr<std::string> cipher = pii.Encrypt(id.value());
  if (!cipher.ok()) return cipher.status();
  return StoredId{*std::move(cipher), pii.BlindIndex(id.value()), id.Masked()};
}

pqxx::binarystring Bytes(const std::string& bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

const char* OrNull(const std::optional<std::string>& value) {
  return value.has_value() && !value->empty() ? value->c_str() : nullptr;
}

std::string SexCode(const IdNumber& id) { return id.sex() == Sex::kMale ? "M" : "F"; }

absl::CivilDay DayOf(const pqxx::field& field) {
  absl::StatusOr<absl::CivilDay> day = ParseDay(field.c_str());
  return day.ok() ? *day : absl::CivilDay(1970, 1, 1);
}

std::optional<absl::CivilDay> OptionalDayOf(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return DayOf(field);
}

std::string TextOf(const pqxx::field& field) {
  return field.is_null() ? std::string() : field.as<std::string>();
}

std::string MonthDay(absl::CivilMonth month) { return FormatDay(absl::CivilDay(month)); }

absl::CivilMonth MonthOf(const pqxx::field& field) { return absl::CivilMonth(DayOf(field)); }

std::string MonthTextOf(const pqxx::field& field) {
  return field.is_null() ? std::string() : field.as<std::string>().substr(0, 7);
}

std::string MicrosOf(absl::string_view column) {
  return absl::StrCat("(extract(epoch from ", column, ") * 1000000)::bigint");
}

std::string ArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

}  // namespace civil
