// PostgreSQL access for disability certificate events: each record is decided against the
// person's certificate as the exchange knows it (table disability_certificates, the last event
// accepted) and kept, in one transaction per record under a lock on the person; an accepted event
// updates the known certificate and writes DisabilityCertificateChanged to the outbox in it.
#pragma once

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/exchange/disability_certificate.h"
#include "services/exchange/inbound_store.h"

namespace civil::exchange {

class DisabilityCertificateStore {
 public:
  // Neither is owned.
  DisabilityCertificateStore(PgPool* pool, InboundStore* inbound);

  // Decides and keeps the event at `index` of the batch `header` (DecideCertificate), or answers
  // a record sent again with its first outcome. UNAVAILABLE / ABORTED from the database.
  absl::StatusOr<RecordResult> Receive(const BatchHeader& header, int index,
                                       const Certificate& certificate);

 private:
  PgPool* pool_;
  InboundStore* inbound_;
};

}  // namespace civil::exchange
