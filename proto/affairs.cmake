# Contracts of the social affairs department (civil.affairs.v1), included from proto/CMakeLists.txt.
civil_proto_library(civil_proto_affairs
                    PROTOS civil/affairs/v1/project.proto civil/affairs/v1/funeral.proto
                           civil/affairs/v1/marriage.proto civil/affairs/v1/disability.proto
                           civil/affairs/v1/relief.proto civil/affairs/v1/summary.proto
                    DEPS civil_proto_common civil_proto_googleapis)

# Service protos for the gateway's descriptor set.
set(CIVIL_AFFAIRS_PROTOS
    civil/affairs/v1/funeral.proto civil/affairs/v1/marriage.proto
    civil/affairs/v1/disability.proto civil/affairs/v1/relief.proto
    civil/affairs/v1/summary.proto)
