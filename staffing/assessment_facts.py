"""Facts for the staff assessment sheet (S1.1-c) from apps above staffing.

An app that measures something about a staff member's month registers a function
`(staff, year, month) -> {assessment field: value}` from its AppConfig.ready; the assessment service
collects them all. Staffing stays the ground floor: it never imports the apps that register.
"""

_providers = []


def register(provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def collect(staff, year: int, month: int) -> dict:
    facts = {}
    for provider in _providers:
        facts.update(provider(staff, year, month))
    return facts
