#include "services/exchange/event_handlers.h"

namespace civil::exchange {

void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths) {
  OnDeath(*consumer, *deaths,
          [](pqxx::transaction_base&, const RecordedDeath&) { return absl::OkStatus(); });
}

}  // namespace civil::exchange
