import pytest
from django.core.exceptions import ValidationError

from casework.validators import credit_code_error, resident_id_error, validate_applicant


@pytest.mark.parametrize("number", ["11010519491231002X", "440308199901010012"])
def test_valid_resident_id_numbers_pass(number):
    assert resident_id_error(number) is None


def test_a_wrong_check_digit_is_named_with_the_expected_one():
    assert resident_id_error("110105194912310021") == "居民身份证号「110105194912310021」校验位错误(应为X),请核对号码。"


def test_an_impossible_birth_date_is_refused():
    assert "出生日期19490230不是有效日期" in resident_id_error("110105194902300021")


def test_a_short_id_number_is_refused():
    assert "应为18位" in resident_id_error("11010519491231")


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_valid_credit_codes_pass(code):
    assert credit_code_error(code) is None


def test_a_wrong_credit_check_character_is_named():
    assert credit_code_error("91350100M000100Y44") == "统一社会信用代码「91350100M000100Y44」校验码错误(应为3),请核对代码。"


def test_letters_outside_the_credit_charset_are_refused():
    assert "不含I、O、Z、S、V" in credit_code_error("91350100M000100I43")


def test_the_applicant_check_names_the_field_and_value():
    with pytest.raises(ValidationError) as error:
        validate_applicant(kind="person", name="张三", id_type="resident_id", id_number="110105194912310021", credit_code="")
    assert error.value.message_dict == {"id_number": ["居民身份证号「110105194912310021」校验位错误(应为X),请核对号码。"]}
    with pytest.raises(ValidationError) as error:
        validate_applicant(kind="organisation", name="某公司", id_type="", id_number="", credit_code="")
    assert "credit_code" in error.value.message_dict


def test_lower_case_input_is_normalised():
    values = validate_applicant(kind="person", name=" 张三 ", id_type="resident_id", id_number="11010519491231002x", credit_code="")
    assert (values["applicant_name"], values["id_number"]) == ("张三", "11010519491231002X")
