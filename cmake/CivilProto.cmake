# civil_proto_library(<target> PROTOS <files relative to proto/> [DEPS <proto libs>] [ROOT <dir>])
#
# Compiles one proto package once into one static library (messages + gRPC stubs) that services,
# the gateway and the tests link. Generated files land in ${CMAKE_BINARY_DIR}/gen.
set(CIVIL_PROTO_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${CIVIL_PROTO_GEN_DIR})
set(CIVIL_PROTO_INCLUDES -I${CMAKE_SOURCE_DIR}/proto -I${CIVIL_GOOGLEAPIS_DIR}
                         -I${Protobuf_INCLUDE_DIRS})

function(civil_proto_library target)
  cmake_parse_arguments(ARG "" "ROOT" "PROTOS;DEPS" ${ARGN})
  if(NOT ARG_ROOT)
    set(ARG_ROOT ${CMAKE_SOURCE_DIR}/proto)
  endif()
  set(srcs)
  foreach(proto ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base ${proto})
    set(out ${CIVIL_PROTO_GEN_DIR}/${base}.pb.cc ${CIVIL_PROTO_GEN_DIR}/${base}.pb.h
            ${CIVIL_PROTO_GEN_DIR}/${base}.grpc.pb.cc ${CIVIL_PROTO_GEN_DIR}/${base}.grpc.pb.h)
    add_custom_command(
      OUTPUT ${out}
      COMMAND protobuf::protoc ${CIVIL_PROTO_INCLUDES} --cpp_out=${CIVIL_PROTO_GEN_DIR}
              --grpc_out=${CIVIL_PROTO_GEN_DIR} --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN}
              ${ARG_ROOT}/${proto}
      DEPENDS ${ARG_ROOT}/${proto} protobuf::protoc
      COMMENT "protoc ${proto}"
      VERBATIM)
    list(APPEND srcs ${CIVIL_PROTO_GEN_DIR}/${base}.pb.cc ${CIVIL_PROTO_GEN_DIR}/${base}.grpc.pb.cc)
  endforeach()
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} SYSTEM PUBLIC ${CIVIL_PROTO_GEN_DIR})
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} protobuf::libprotobuf gRPC::grpc++)
endfunction()
