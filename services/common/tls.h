// TLS on the platform's gRPC ports: server certificates, client certificates verified (mTLS) when
// configured, and the credentials every client channel of a process uses. Off unless configured;
// `make run` leaves it off and `CIVIL_TLS=1 make run` turns it on with a private CA
// (deploy/local/tls.sh).
// The variables (CIVIL_TLS_CERT, _KEY, _CA, _CLIENT_CA) are read into TlsConfig by config.h; the
// gateway takes the client half as flags (--backend-tls-ca/-cert/-key, gateway/README.md).
#pragma once

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "services/common/config.h"

namespace civil {

// What the gRPC server listens with: plaintext without a certificate; TLS with it; TLS that
// requires and verifies a client certificate with client_ca_pem.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const TlsConfig& tls);

// What a client channel dials with: plaintext without ca_pem; TLS verifying the server against
// ca_pem with it, presenting cert/key as the client certificate when they are given.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(const TlsConfig& tls);

// This process's own client credentials, from the environment once (LoadTlsConfig): plaintext
// when TLS is not configured; when the configuration is malformed, credentials that connect to no
// service (a service refuses to start on it anyway, LoadServiceConfig). Every channel a service
// or civilctl opens to a service uses it.
std::shared_ptr<grpc::ChannelCredentials> ServiceChannelCredentials();

// A channel to another department's service with ServiceChannelCredentials, dialling again soon
// after the service was down (200 ms, growing to 5 s; gRPC's default grows to two minutes): a
// case waiting on its answer is rechecked by a person or a sweep, and should find it back.
std::shared_ptr<grpc::Channel> DepartmentChannel(const std::string& address);

}  // namespace civil
