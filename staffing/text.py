"""Text typed by users: control characters have no place in a record or a printed page.

C0 and C1 control characters (and DEL) are refused in forms and removed from Excel exports; tab,
newline and carriage return are ordinary text. openpyxl cannot even write most C0 characters
(IllegalCharacterError), so one such character would break every export that carries it.
"""

import re

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def control_character_error(label: str, text: str) -> str:
    """The Chinese message for `text` in the field `label`; empty when the text is clean."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return ""
    return (
        f"「{label}」含有不可见的控制字符(U+{ord(found.group()):04X},第{found.start() + 1}个字符),"
        "可能是从其他软件复制时带入的,请删除后重新填写。"
    )
