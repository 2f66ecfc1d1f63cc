"""Checks of applicant identifiers: the 居民身份证号 check digit (GB 11643) and the 统一社会信用代码
check character (GB 32100)."""

import datetime

from django.core.exceptions import ValidationError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_error(value: str) -> str | None:
    """Why `value` is not a valid 18-digit resident ID number, or None."""
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return f"居民身份证号「{value}」应为18位:前17位数字,末位为数字或X。"
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return f"居民身份证号「{value}」中的出生日期{value[6:14]}不是有效日期。"
    expected = ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True)) % 11]
    if value[17] != expected:
        return f"居民身份证号「{value}」校验位错误(应为{expected}),请核对号码。"
    return None


def credit_code_error(value: str) -> str | None:
    """Why `value` is not a valid 18-character unified social credit code, or None."""
    if len(value) != 18 or any(ch not in CREDIT_CHARSET for ch in value):
        return f"统一社会信用代码「{value}」应为18位数字或大写字母(不含I、O、Z、S、V)。"
    total = sum(CREDIT_CHARSET.index(ch) * w for ch, w in zip(value[:17], CREDIT_WEIGHTS, strict=True))
    expected = CREDIT_CHARSET[(31 - total % 31) % 31]
    if value[17] != expected:
        return f"统一社会信用代码「{value}」校验码错误(应为{expected}),请核对代码。"
    return None


def validate_applicant(*, kind: str, name: str, id_type: str, id_number: str, credit_code: str) -> dict:
    """The applicant fields, normalised; raises ValidationError naming the field and value."""
    name, id_number, credit_code = name.strip(), id_number.strip().upper(), credit_code.strip().upper()
    if not name:
        raise ValidationError({"applicant_name": "请填写申请人名称。"})
    if kind == "person":
        if not id_type:
            raise ValidationError({"id_type": "自然人申请须填写证件类型。"})
        if not id_number:
            raise ValidationError({"id_number": "自然人申请须填写证件号码。"})
        if id_type == "resident_id" and (error := resident_id_error(id_number)):
            raise ValidationError({"id_number": error})
        credit_code = ""
    else:
        if not credit_code:
            raise ValidationError({"credit_code": "法人或其他组织申请须填写统一社会信用代码。"})
        if error := credit_code_error(credit_code):
            raise ValidationError({"credit_code": error})
    return {
        "applicant_kind": kind,
        "applicant_name": name,
        "id_type": id_type if kind == "person" else "",
        "id_number": id_number if kind == "person" else "",
        "credit_code": credit_code,
    }
