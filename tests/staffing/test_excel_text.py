"""Every Excel export writes typed text as text (issue 21, point 7)."""

import pytest

from staffing.excel import excel_row, excel_text


@pytest.mark.parametrize(
    "typed, written",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\x07=1", "'=1"),
        ("铃\x07声\x1b\x85", "铃声"),
        ("第一行\n第二行", "第一行\n第二行"),
    ],
)
def test_formula_starts_are_quoted_and_control_characters_removed(typed, written):
    assert excel_text(typed) == written


def test_numbers_dates_and_empty_cells_are_left_alone():
    import datetime

    day = datetime.date(2026, 1, 5)
    assert excel_row([3, 0.5, None, day, ""]) == [3, 0.5, None, day, ""]
