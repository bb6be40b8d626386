# Sources of the civil_common value types (paths relative to services/common).
set(CIVIL_COMMON_VALUE_SOURCES id_number.cc region_code.cc credit_code.cc money.cc pii.cc status.cc)
