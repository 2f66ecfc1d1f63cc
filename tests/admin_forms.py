"""Posting an admin change page back as the browser would."""


def page_data(page) -> dict:
    """What the browser posts for the change page as rendered: every form of the page (the record,
    the inlines' management forms and rows) with its current values, hidden fields included."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = "on" if value is True else value
    return data
