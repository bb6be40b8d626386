#include "services/common/db_roles.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace civil {

const std::vector<std::string>& KitAppendOnlyTables() {
  static const auto* tables = new std::vector<std::string>{"death_reports", "grievance_history",
                                                           "holiday_calendar", "id_views"};
  return *tables;
}

absl::StatusOr<std::string> PrepareAppRole(const std::string& owner_dsn,
                                           const std::vector<std::string>& append_only) {
  try {
    pqxx::connection connection(owner_dsn);
    pqxx::work txn(connection);
    txn.exec("SELECT pg_advisory_xact_lock(hashtext('civil app role'))");
    const std::string database = txn.exec1("SELECT current_database()")[0].as<std::string>();
    const std::string role = database + "_app";
    const std::string quoted = txn.quote_name(role);
    if (txn.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", role).empty()) {
      txn.exec(absl::StrCat("CREATE ROLE ", quoted,
                            " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"));
    }
    std::vector<std::string> missing;
    for (const std::string& table : append_only) {
      if (txn.exec_params("SELECT to_regclass($1) IS NULL", table)[0][0].as<bool>()) {
        missing.push_back(table);
      }
    }
    if (!missing.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("append-only tables not in the schema: ", absl::StrJoin(missing, ", ")));
    }
    txn.exec(absl::StrCat("GRANT CONNECT, TEMPORARY ON DATABASE ", txn.quote_name(database), " TO ",
                          quoted));
    txn.exec(absl::StrCat("GRANT USAGE ON SCHEMA public TO ", quoted));
    txn.exec(absl::StrCat("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ",
                          quoted));
    txn.exec(
        absl::StrCat("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ", quoted));
    txn.exec(absl::StrCat("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ", quoted));
    for (const std::string& table : append_only) {
      txn.exec(absl::StrCat("REVOKE UPDATE, DELETE, TRUNCATE ON ", txn.quote_name(table), " FROM ",
                            quoted));
    }
    txn.commit();
    return absl::StrCat(owner_dsn, " user=", role);
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(absl::StrCat("PostgreSQL unreachable: ", e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("preparing the service's database role: ", e.what()));
  }
}

absl::Status CheckDurability(const std::string& dsn, bool allow_unsafe) {
  if (allow_unsafe) return absl::OkStatus();
  try {
    pqxx::connection connection(dsn);
    pqxx::nontransaction txn(connection);
    std::vector<std::string> off;
    for (const char* setting : {"fsync", "synchronous_commit", "full_page_writes"}) {
      if (txn.exec1(absl::StrCat("SHOW ", setting))[0].as<std::string>() == "off") {
        off.emplace_back(setting);
      }
    }
    if (off.empty()) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("PostgreSQL may lose acknowledged writes (", absl::StrJoin(off, ", "),
                     " off); set CIVIL_PG_ALLOW_UNSAFE_DURABILITY=true only for a development or "
                     "test server"));
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(absl::StrCat("PostgreSQL unreachable: ", e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("reading PostgreSQL's durability settings: ", e.what()));
  }
}

}  // namespace civil
