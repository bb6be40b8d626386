// exchange_server: the exchange with other departments' systems, assembled by the department kit.
#include "services/exchange/exchange.h"

int main() { return civil::RunDepartment(civil::exchange::Spec()); }
