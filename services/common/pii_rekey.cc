#include "services/common/pii_rekey.h"

#include <memory>
#include <pqxx/pqxx>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil {
namespace {

// Rows per statement when the index map is loaded into a database.
constexpr size_t kMapBatch = 5000;

struct Column {
  std::string table, column;
  bool sealed = false;
};

std::vector<Column> Discover(pqxx::transaction_base& txn) {
  std::vector<Column> out;
  for (const auto& r : txn.exec(
           "SELECT table_name, column_name, data_type = 'bytea' FROM information_schema.columns "
           "WHERE table_schema = 'public' AND ((data_type = 'bytea' AND (column_name LIKE "
           "'%\\_cipher' OR column_name LIKE '%\\_sealed')) OR (data_type = 'text' AND "
           "column_name LIKE '%\\_index')) AND table_name IN (SELECT table_name FROM "
           "information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE "
           "TABLE') ORDER BY table_name, column_name")) {
    out.push_back(Column{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<bool>()});
  }
  return out;
}

std::string Quoted(pqxx::transaction_base& txn, const Column& c) {
  return absl::StrCat(txn.quote_name(c.table), ".", txn.quote_name(c.column));
}

struct Database {
  std::string dsn, name;
  std::unique_ptr<pqxx::connection> conn;
  std::vector<Column> columns;
};

// What one value sealed under either key is.
enum class Sealed { kOld, kNew, kNeither };

Sealed Classify(const PiiProtector& old_key, const PiiProtector& new_key, const std::string& value,
                std::string* clear) {
  if (absl::StatusOr<std::string> v = old_key.Decrypt(value); v.ok()) {
    *clear = *std::move(v);
    return Sealed::kOld;
  }
  if (absl::StatusOr<std::string> v = new_key.Decrypt(value); v.ok()) {
    *clear = *std::move(v);
    return Sealed::kNew;
  }
  return Sealed::kNeither;
}

}  // namespace

absl::StatusOr<PiiRekeyReport> RekeyPii(const std::vector<std::string>& dsns,
                                        const PiiProtector& old_key, const PiiProtector& new_key,
                                        bool dry_run) {
  PiiRekeyReport report;
  report.dry_run = dry_run;
  std::vector<Database> dbs;
  try {
    for (const std::string& dsn : dsns) {
      Database db;
      db.dsn = dsn;
      db.conn = std::make_unique<pqxx::connection>(dsn);
      db.name = db.conn->dbname();
      dbs.push_back(std::move(db));
    }
  } catch (const pqxx::broken_connection&) {
    return absl::UnavailableError("a database could not be reached (check the DSNs)");
  }

  // Pass 1, reading only: the columns, the refusals, and the map old index → new index of every
  // clear value a sealed column holds, in any database.
  absl::flat_hash_map<std::string, std::string> map;
  absl::flat_hash_set<std::string> new_indexes;
  for (Database& db : dbs) {
    pqxx::read_transaction txn(*db.conn);
    db.columns = Discover(txn);
    const pqxx::result outbox = txn.exec(
        "SELECT to_regclass('public.outbox') IS NOT NULL, to_regclass('public.event_failures') IS "
        "NOT NULL");
    if (outbox[0][0].as<bool>()) {
      const int64_t pending =
          txn.exec1("SELECT count(*) FROM outbox WHERE published_at IS NULL")[0].as<int64_t>();
      if (pending > 0) {
        return absl::FailedPreconditionError(
            absl::StrCat("database ", db.name, ": ", pending,
                         " events wait in the outbox with the old key's indexes; start the "
                         "service until its relay has published them, then stop it again"));
      }
    }
    if (outbox[0][1].as<bool>()) {
      report.dead_letters +=
          txn.exec1("SELECT count(*) FROM event_failures WHERE dead_lettered")[0].as<int64_t>();
    }
    for (const Column& c : db.columns) {
      if (!c.sealed) continue;
      for (const auto& r : txn.exec(absl::StrCat("SELECT ", txn.quote_name(c.column), " FROM ",
                                                 txn.quote_name(c.table), " WHERE ",
                                                 txn.quote_name(c.column), " IS NOT NULL"))) {
        const std::string value = pqxx::binarystring(r[0]).str();
        std::string clear;
        switch (Classify(old_key, new_key, value, &clear)) {
          case Sealed::kOld:
          case Sealed::kNew:
            // Also for a value already sealed anew (an interrupted run): another database may
            // still hold the old index of it.
            map.emplace(old_key.BlindIndex(clear), new_key.BlindIndex(clear));
            new_indexes.insert(new_key.BlindIndex(clear));
            break;
          case Sealed::kNeither:
            return absl::DataLossError(absl::StrCat(
                "database ", db.name, ", ", c.table, ".", c.column,
                ": a value is sealed under neither key (is the old key the one the database was "
                "written with?); nothing was changed"));
        }
      }
    }
  }

  // Pass 2: each database in one transaction.
  for (Database& db : dbs) {
    pqxx::work txn(*db.conn);
    // Sealed values, one row at a time by its physical position (stable within the transaction
    // until the row is rewritten, which happens once per column).
    for (const Column& c : db.columns) {
      if (!c.sealed) continue;
      PiiRekeyColumn out{db.name, c.table, c.column, true};
      const std::string col = txn.quote_name(c.column), table = txn.quote_name(c.table);
      const std::string update = absl::StrCat("rekey_", report.columns.size());
      db.conn->prepare(update,
                       absl::StrCat("UPDATE ", table, " SET ", col, " = $1 WHERE ctid = $2::tid"));
      for (const auto& r : txn.exec(absl::StrCat("SELECT ctid::text, ", col, " FROM ", table,
                                                 " WHERE ", col, " IS NOT NULL"))) {
        std::string clear;
        const Sealed sealed = Classify(old_key, new_key, pqxx::binarystring(r[1]).str(), &clear);
        if (sealed == Sealed::kNew) {
          ++out.already_new;
          continue;
        }
        if (sealed == Sealed::kNeither) {
          return absl::DataLossError(
              absl::StrCat("database ", db.name, ", ", c.table, ".", c.column,
                           ": a value is sealed under neither key; this database was not changed"));
        }
        CIVIL_ASSIGN_OR_RETURN(const std::string resealed, new_key.Encrypt(clear));
        txn.exec_prepared(update, Bytes(resealed), r[0].as<std::string>());
        ++out.rewritten;
      }
      report.columns.push_back(std::move(out));
    }
    // Blind indexes, through the map loaded into a temporary table.
    bool has_index = false;
    for (const Column& c : db.columns) has_index = has_index || !c.sealed;
    if (has_index) {
      txn.exec(
          "CREATE TEMP TABLE pii_rekey_map (old_index text PRIMARY KEY, new_index text NOT "
          "NULL) ON COMMIT DROP");
      txn.exec("CREATE TEMP TABLE pii_rekey_new (new_index text PRIMARY KEY) ON COMMIT DROP");
      std::vector<std::string> olds, news;
      auto flush = [&]() {
        if (olds.empty()) return;
        txn.exec_params("INSERT INTO pii_rekey_map SELECT * FROM unnest($1::text[], $2::text[])",
                        absl::StrCat("{", absl::StrJoin(olds, ","), "}"),
                        absl::StrCat("{", absl::StrJoin(news, ","), "}"));
        olds.clear();
        news.clear();
      };
      for (const auto& [old_index, new_index] : map) {
        olds.push_back(old_index);
        news.push_back(new_index);
        if (olds.size() == kMapBatch) flush();
      }
      flush();
      std::vector<std::string> batch;
      auto flush_new = [&]() {
        if (batch.empty()) return;
        txn.exec_params("INSERT INTO pii_rekey_new SELECT unnest($1::text[])",
                        absl::StrCat("{", absl::StrJoin(batch, ","), "}"));
        batch.clear();
      };
      for (const std::string& n : new_indexes) {
        batch.push_back(n);
        if (batch.size() == kMapBatch) flush_new();
      }
      flush_new();
      for (const Column& c : db.columns) {
        if (c.sealed) continue;
        PiiRekeyColumn out{db.name, c.table, c.column, false};
        const std::string col = txn.quote_name(c.column), table = txn.quote_name(c.table);
        // Counted first: what is already the new key's, then what nothing explains.
        out.already_new = txn.exec1(absl::StrCat("SELECT count(*) FROM ", table,
                                                 " t WHERE EXISTS (SELECT 1 "
                                                 "FROM pii_rekey_new n WHERE n.new_index = t.",
                                                 col, ")"))[0]
                              .as<int64_t>();
        out.rewritten = txn.exec(absl::StrCat("UPDATE ", table, " t SET ", col,
                                              " = m.new_index FROM pii_rekey_map m WHERE t.", col,
                                              " = m.old_index"))
                            .affected_rows();
        out.unmapped =
            txn.exec1(absl::StrCat("SELECT count(*) FROM ", table, " t WHERE t.", col,
                                   " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pii_rekey_new n "
                                   "WHERE n.new_index = t.",
                                   col, ")"))[0]
                .as<int64_t>();
        report.columns.push_back(std::move(out));
      }
    }
    if (dry_run) {
      txn.abort();
    } else {
      txn.commit();
    }
  }
  return report;
}

}  // namespace civil
