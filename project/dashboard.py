"""The admin index's dashboard: today's intake, the deadlines, what waits for the user, and the year's
trend as an inline SVG chart drawn here (no chart library, nothing from a CDN).

A fixed number of aggregate queries whatever the number of cases, none of them reading the cases table:
one for the three case counts (the day rollup and the due-date indexes), one for the twelve months (the
month rollup), one for everything that waits for the user (project.inbox).
"""

import dataclasses
import math

from django.urls import reverse
from django.utils import timezone

from casework import selectors as casework_selectors
from casework.models import CaseworkSettings
from casework.statistics import monthly_trend
from halls import selectors as hall_selectors
from staffing import selectors as staffing_selectors
from staffing.working_days import add_working_days

from . import inbox


def dashboard(request, admin_site) -> dict:
    user = request.user
    context = {"pending": pending_for(user), "done": [dataclasses.asdict(line) for line in inbox.done_counts(user)], "done_days": inbox.DONE_DAYS}
    if user.has_perm("casework.view_case"):
        context.update(intake_panel(user))
    return context


# --- Cases: today, overdue, due soon, and the last twelve months ------------------------------------


def intake_panel(user) -> dict:
    today = timezone.localdate()
    settings = CaseworkSettings.load()
    window = casework_selectors.DueWindow(today=today, soon_until=add_working_days(today, settings.due_soon_days))
    sees_all = staffing_selectors.user_sees_all_departments(user)
    department_ids = None if sees_all else staffing_selectors.user_department_ids(user)
    hall_condition = hall_selectors.hall_scope(user)
    counts = casework_selectors.deadline_counts(window, department_ids, hall_condition)
    case_list = reverse("admin:casework_case_changelist")
    return {
        "intake": {
            "received_today": counts["received_today"],
            "received_today_url": f"{case_list}?received_on={today.isoformat()}",
            "overdue": counts["overdue"],
            "overdue_url": f"{case_list}?deadline=overdue",
            "due_soon": counts["due_soon"],
            "due_soon_url": f"{case_list}?deadline=due_soon",
            "due_soon_days": settings.due_soon_days,
            "statistics_url": reverse("admin:casework_case_statistics"),
        },
        "chart": trend_chart(monthly_trend(today, 12, department_ids, hall_condition)),
    }


# --- What waits for the user: project.inbox ---------------------------------------------------------


def pending_for(user) -> list[dict]:
    return [dataclasses.asdict(line) for line in inbox.waiting_counts(user)]


# --- The chart -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ChartBox:
    width: int = 720
    height: int = 250
    left: int = 44
    right: int = 52
    top: int = 16
    bottom: int = 46

    @property
    def plot_width(self):
        return self.width - self.left - self.right

    @property
    def plot_height(self):
        return self.height - self.top - self.bottom

    @property
    def baseline(self):
        return self.top + self.plot_height


def axis_top(peak: int, ticks: int = 4) -> int:
    """A round top for the intake axis, divisible into `ticks` whole steps (1, 2, 5 × 10ⁿ each)."""
    step_needed = max(peak, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(step_needed)) if step_needed >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= step_needed)
    return int(step * ticks)


def trend_chart(trend: list[dict], box: ChartBox = ChartBox()) -> dict:
    """Bars for the monthly intake (left axis), a line for the on-time rate (right axis, 0–100%)."""
    top = axis_top(max(row["received"] for row in trend))
    slot = box.plot_width / len(trend)
    bars, points = [], []
    for index, row in enumerate(trend):
        month = row["month"]
        height = box.plot_height * row["received"] / top
        centre = box.left + slot * (index + 0.5)
        label = f"{month.year}年{month.month}月"
        rate = row["on_time_rate"]
        bars.append(
            {
                "x": f"{box.left + slot * index + slot * 0.18:.1f}",
                "y": f"{box.baseline - height:.1f}",
                "width": f"{slot * 0.64:.1f}",
                "height": f"{height:.1f}",
                "centre": f"{centre:.1f}",
                "month": f"{month.month}月",
                "year": f"{month.year}年" if index == 0 or month.month == 1 else "",
                "received": row["received"],
                "value_y": f"{box.baseline - height - 4:.1f}",
                "title": f"{label}:收件{row['received']}件,按时办结率" + (f"{rate}%" if rate is not None else "—"),
            }
        )
        points.append((centre, box.baseline - box.plot_height * rate / 100) if rate is not None else None)
    segments, current = [], []
    for point in [*points, None]:
        if point is None:
            if current:
                segments.append(" ".join(f"{x:.1f},{y:.1f}" for x, y in current))
            current = []
        else:
            current.append(point)
    grid = [
        {
            "y": f"{box.baseline - box.plot_height * step / 4:.1f}",
            "count": top * step // 4,
            "rate": f"{25 * step}%",
        }
        for step in range(5)
    ]
    return {
        "box": box,
        "bars": bars,
        "segments": segments,
        "dots": [{"x": f"{p[0]:.1f}", "y": f"{p[1]:.1f}"} for p in points if p is not None],
        "grid": grid,
        "right_x": box.width - box.right,
        "rate_label_x": box.width - box.right + 6,
        "month_y": box.baseline + 16,
        "year_y": box.baseline + 31,
        "rows": trend,
    }
