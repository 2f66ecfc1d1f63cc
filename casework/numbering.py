"""Are the case numbers gap-free? Each window's day numbers its cases 1, 2, 3 … (CaseCounter); a number
taken and lost (a receipt rolled back after its number was counted, two writers given the same number)
shows here. Read by `manage.py check_case_numbers` and by `make loadtest` after the load."""

import dataclasses
import datetime

from django.db.models import Count, Max

from .models import Case, CaseCounter


@dataclasses.dataclass(frozen=True)
class NumberGap:
    window: str  # the window's number
    day: datetime.date
    counter: int | None  # CaseCounter.last, None without a counter row
    cases: int
    missing: list[int]  # sequence numbers in 1..max(counter, highest) that no case carries
    duplicates: list[int]

    def message(self) -> str:
        parts = []
        if self.missing:
            parts.append("缺号 " + "、".join(str(n) for n in self.missing[:20]) + (" 等" if len(self.missing) > 20 else ""))
        if self.duplicates:
            parts.append("重号 " + "、".join(str(n) for n in self.duplicates[:20]))
        if self.counter != self.cases and not parts:
            parts.append(f"计数器为 {self.counter if self.counter is not None else '无'},办件 {self.cases} 件")
        return f"窗口 {self.window},{self.day:%Y-%m-%d}:" + ";".join(parts)


def sequence_of(number: str) -> int | None:
    tail = number.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def number_gaps(since: datetime.date | None = None) -> list[NumberGap]:
    """Every (window, day) whose case numbers are not exactly 1..N with the counter at N.

    Two aggregate queries over the period (counters, and cases per window and day with their highest
    number); the numbers themselves are read only for the days that look wrong."""
    cases = Case.objects.all() if since is None else Case.objects.filter(received_on__gte=since)
    counters = CaseCounter.objects.all() if since is None else CaseCounter.objects.filter(day__gte=since)
    last = {(w, d): n for w, d, n in counters.values_list("window_id", "day", "last")}
    groups = {
        (row["window_id"], row["received_on"]): row
        for row in cases.values("window_id", "received_on").order_by().annotate(n=Count("pk"), highest=Max("number"))
    }
    suspects = []
    for key in set(last) | set(groups):
        row = groups.get(key, {"n": 0, "highest": None})
        counter = last.get(key)
        highest = sequence_of(row["highest"]) if row["highest"] else 0
        if counter is None and row["n"] == 0:
            continue
        if not (counter == row["n"] == highest):
            suspects.append((key, counter, row["n"]))
    from staffing.models import Window

    numbers = dict(Window.objects.filter(pk__in={key[0] for key, _, _ in suspects}).values_list("pk", "number"))
    gaps = []
    for (window_id, day), counter, count in sorted(suspects, key=lambda s: (s[0][1], numbers.get(s[0][0], ""))):
        taken = [sequence_of(n) for n in cases.filter(window_id=window_id, received_on=day).values_list("number", flat=True)]
        seen, duplicates = set(), set()
        for n in taken:
            (duplicates if n in seen else seen).add(n)
        top = max([counter or 0, *[n for n in seen if n is not None]])
        gaps.append(NumberGap(
            window=numbers.get(window_id, str(window_id)), day=day, counter=counter, cases=count,
            missing=[n for n in range(1, top + 1) if n not in seen], duplicates=sorted(duplicates),
        ))
    return gaps
