#include "services/childwelfare/distribution_store.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::childwelfare {
namespace {

constexpr char kColumns[] =
    "distribution_id::text, kind, item, quantity, total_fen, region_code, distributed_on::text, "
    "campaign, giver, recorded_by, seq";
constexpr int kSeqColumn = 10;

DistributionRecord FromRow(const pqxx::row& row) {
  DistributionRecord d;
  d.distribution_id = row[0].as<std::string>();
  d.kind = static_cast<DistributionKind>(kDistributionKindNames.Value(row[1].as<std::string>()));
  d.item = row[2].as<std::string>();
  d.quantity = row[3].as<int>();
  d.total_fen = row[4].as<int64_t>();
  d.region_code = row[5].as<std::string>();
  d.on = DayOf(row[6]);
  d.campaign = row[7].as<std::string>();
  d.giver = row[8].as<std::string>();
  d.recorded_by = row[9].as<std::string>();
  return d;
}

std::string NameOf(DistributionKind kind) {
  return std::string(kDistributionKindNames.Name(static_cast<int>(kind)));
}
std::string NameOf(RecipientRegister registry) {
  return std::string(kRecipientRegisterNames.Name(static_cast<int>(registry)));
}

}  // namespace

DistributionStore::DistributionStore(PgPool* pool) : pool_(pool) {
  // The child as its register holds them on the day $2: registered, village, blind index.
  pool_->Prepare("distribution_child_facts",
                 "SELECT approved_on IS NOT NULL AND approved_on <= $2::date AND (end_month IS "
                 "NULL OR end_month > date_trunc('month', $2::date)::date), region_code, "
                 "id_index, name, id_masked FROM children WHERE child_id = $1::uuid");
  pool_->Prepare("distribution_care_facts",
                 "SELECT registered_on <= $2::date AND (closed_on IS NULL OR closed_on > "
                 "$2::date), region_code, id_index, name, id_masked FROM care_children WHERE "
                 "care_id = $1::uuid");
  pool_->Prepare("distribution_insert",
                 absl::StrCat("INSERT INTO care_distributions (kind, item, quantity, total_fen, "
                              "region_code, distributed_on, campaign, giver, recorded_by) VALUES "
                              "($1, $2, $3, $4, $5, $6::date, $7, $8, $9) RETURNING ",
                              kColumns));
  pool_->Prepare("distribution_recipient_insert",
                 "INSERT INTO care_distribution_recipients (distribution_id, position, registry, "
                 "child_id, care_id, id_index, region_code, amount_fen) VALUES ($1::uuid, $2, "
                 "$3, $4::uuid, $5::uuid, $6, $7, $8)");
  pool_->Prepare("distribution_list",
                 absl::StrCat("SELECT ", kColumns,
                              " FROM care_distributions WHERE region_code LIKE $1 || '%' AND "
                              "($2::date IS NULL OR distributed_on >= $2::date) AND ($3::date IS "
                              "NULL OR distributed_on <= $3::date) AND ($4 = '' OR kind = $4) AND "
                              "($7 = '' OR campaign = $7) AND seq > $5 ORDER BY seq LIMIT $6"));
  pool_->Prepare("distribution_recipients_of",
                 "SELECT r.distribution_id::text, r.registry, coalesce(r.child_id, "
                 "r.care_id)::text, coalesce(c.name, k.name), coalesce(c.id_masked, "
                 "k.id_masked), r.region_code, r.amount_fen FROM care_distribution_recipients r "
                 "LEFT JOIN children c ON c.child_id = r.child_id LEFT JOIN care_children k ON "
                 "k.care_id = r.care_id WHERE r.distribution_id = ANY($1::uuid[]) ORDER BY "
                 "r.distribution_id, r.position");
  pool_->Prepare("distribution_goods_in",
                 "SELECT coalesce(sum(quantity) FILTER (WHERE kind = 'HEALTH_PACKS'), 0)::bigint, "
                 "coalesce(sum(quantity) FILTER (WHERE kind = 'OTHER_GOODS'), 0)::bigint FROM "
                 "care_distributions WHERE distributed_on >= $1::date AND distributed_on <= "
                 "$2::date AND region_code LIKE $3 || '%'");
  pool_->Prepare("distribution_money_in",
                 "SELECT count(DISTINCT r.id_index), coalesce(sum(r.amount_fen), 0)::bigint FROM "
                 "care_distribution_recipients r JOIN care_distributions d USING "
                 "(distribution_id) WHERE d.kind = 'CONDOLENCE_MONEY' AND d.distributed_on >= "
                 "$1::date AND d.distributed_on <= $2::date AND d.region_code LIKE $3 || '%'");
}

absl::StatusOr<DistributionRecord> DistributionStore::Record(const DistributionDraft& draft,
                                                             const std::string& actor) {
  DistributionRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    std::vector<RecipientRecord> recipients;
    std::vector<std::string> indexes;
    std::map<std::string, int> seen;  // blind index → position
    for (size_t i = 0; i < draft.recipients.size(); ++i) {
      const RecipientDraft& r = draft.recipients[i];
      const int n = static_cast<int>(i);
      const pqxx::result facts =
          txn.exec_prepared(r.registry == RecipientRegister::kChild ? "distribution_child_facts"
                                                                    : "distribution_care_facts",
                            r.id, FormatDay(draft.on));
      if (facts.empty()) {
        return absl::NotFoundError(absl::StrCat(RecipientField(n, "id"), ": no such child in the ",
                                                NameOf(r.registry), " register"));
      }
      const RecipientFacts f{facts[0][0].as<bool>(), facts[0][1].as<std::string>(),
                             facts[0][2].as<std::string>()};
      CIVIL_RETURN_IF_ERROR(CheckRecipient(RecipientField(n, "id"), f, draft.township.value()));
      if (auto [it, fresh] = seen.emplace(f.id_index, n); !fresh) {
        return InvalidField(RecipientField(n, "id"),
                            absl::StrCat("is the same child as recipients[", it->second, "]"));
      }
      indexes.push_back(f.id_index);
      recipients.push_back(RecipientRecord{r.registry, r.id, facts[0][3].as<std::string>(),
                                           facts[0][4].as<std::string>(), f.region_code,
                                           r.amount_fen});
    }
    created = FromRow(txn.exec_prepared1("distribution_insert", NameOf(draft.kind), draft.item,
                                         draft.quantity, draft.total_fen, draft.township.value(),
                                         FormatDay(draft.on), draft.campaign, draft.giver, actor));
    for (size_t i = 0; i < recipients.size(); ++i) {
      const RecipientRecord& r = recipients[i];
      const bool child = r.registry == RecipientRegister::kChild;
      const std::optional<std::string> child_id =
          child ? std::optional<std::string>(r.id) : std::nullopt;
      const std::optional<std::string> care_id =
          child ? std::nullopt : std::optional<std::string>(r.id);
      txn.exec_prepared("distribution_recipient_insert", created.distribution_id,
                        static_cast<int>(i), NameOf(r.registry), OrNull(child_id), OrNull(care_id),
                        indexes[i], r.region_code, r.amount_fen);
    }
    created.recipients = std::move(recipients);
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<Page<DistributionRecord>> DistributionStore::List(const DistributionFilter& filter,
                                                                 int64_t after, int page_size) {
  Page<DistributionRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn)
                                                                   -> absl::Status {
    page = Page<DistributionRecord>();
    const std::optional<std::string> from =
        filter.from ? std::optional<std::string>(FormatDay(*filter.from)) : std::nullopt;
    const std::optional<std::string> to =
        filter.to ? std::optional<std::string>(FormatDay(*filter.to)) : std::nullopt;
    const pqxx::result rows = txn.exec_prepared(
        "distribution_list", filter.region_prefix, OrNull(from), OrNull(to),
        filter.kind ? NameOf(*filter.kind) : "", after, page_size + 1, filter.campaign);
    std::vector<std::string> ids;
    std::map<std::string, size_t> position;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(FromRow(rows[i]));
      page.next_after = rows[i][kSeqColumn].as<int64_t>();
      ids.push_back(page.items.back().distribution_id);
      position[ids.back()] = i;
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    if (ids.empty()) return absl::OkStatus();
    for (const auto& row : txn.exec_prepared("distribution_recipients_of", ArrayLiteral(ids))) {
      page.items[position[row[0].as<std::string>()]].recipients.push_back(RecipientRecord{
          static_cast<RecipientRegister>(kRecipientRegisterNames.Value(row[1].as<std::string>())),
          row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<std::string>(),
          row[5].as<std::string>(), row[6].as<int64_t>()});
    }
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<DistributionFigures> DistributionStore::Figures(const std::string& region_prefix,
                                                               absl::CivilDay start,
                                                               absl::CivilDay end) {
  DistributionFigures figures;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        const pqxx::row goods = txn.exec_prepared1("distribution_goods_in", FormatDay(start),
                                                   FormatDay(end), region_prefix);
        figures.health_packs = goods[0].as<int64_t>();
        figures.other_goods = goods[1].as<int64_t>();
        const pqxx::row money = txn.exec_prepared1("distribution_money_in", FormatDay(start),
                                                   FormatDay(end), region_prefix);
        figures.condolence_children = money[0].as<int>();
        figures.condolence_fen = money[1].as<int64_t>();
        return absl::OkStatus();
      }));
  return figures;
}

}  // namespace civil::childwelfare
