# Unit tests of the civil_common value types (paths relative to tests/).
civil_unit_test(id_number_test common/id_number_test.cc)
civil_unit_test(region_code_test common/region_code_test.cc)
civil_unit_test(credit_code_test common/credit_code_test.cc)
civil_unit_test(money_test common/money_test.cc)
civil_unit_test(pii_test common/pii_test.cc)
civil_unit_test(status_test common/status_test.cc)
