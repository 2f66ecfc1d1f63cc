"""Writing Excel workbooks: every value written into a cell goes through `excel_text()`.

Text stays text: a value that Excel would read as a formula (=, +, -, @, or a leading tab or carriage
return) gets a leading single quote, as django-import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT
does for the resource exports, and control characters are removed (openpyxl refuses them).
"""

from .text import strip_control_characters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def excel_text(value):
    """`value` ready for a cell: numbers and dates unchanged, text escaped."""
    if not isinstance(value, str):
        return value
    value = strip_control_characters(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def excel_row(values) -> list:
    return [excel_text(value) for value in values]


def excel_query(get, params) -> str:
    """The query string of a statistics page's Excel link: the page's own query with format=xlsx, and
    the period and grouping it shows (its defaults, when the user chose none) written out."""
    query = get.copy()
    query["format"] = "xlsx"
    if params is not None:
        for name in ("start", "end"):
            query.setdefault(name, params[name].isoformat())
        query.setdefault("by", params["by"])
    return query.urlencode()
