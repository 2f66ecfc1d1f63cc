"""Forms of the meetings admin. They check what the user typed; meetings.services writes.

None of these forms saves anything: the admin passes their cleaned data to a service and turns the
service's ValidationError back into form errors with `staffing.admin.service_forms.add_service_error`.
"""

import datetime

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from staffing.models import Department, Staff

from . import selectors, services
from .models import Attendance, AttendanceStatus, Decision, Meeting, MeetingType, QuorumRule, Room


class DatalistInput(forms.TextInput):
    """A text box that suggests values (a <datalist>) but accepts any."""

    template_name = "meetings/widgets/datalist.html"

    def __init__(self, options=(), attrs=None):
        super().__init__(attrs)
        self.options = list(options)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}_options"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["options"] = self.options
        return context


def split_datetime_field(label: str, required: bool = True) -> forms.SplitDateTimeField:
    return forms.SplitDateTimeField(label=label, required=required, widget=AdminSplitDateTime)


# --- Meetings -----------------------------------------------------------------------------------


class BookingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, booking):
        return f"{booking}({booking.purpose})"


class MeetingScheduleForm(forms.ModelForm):
    """安排会议: `services.meeting_schedule` checks the chair and lists the members of the day."""

    class Meta:
        model = Meeting
        fields = ["meeting_type", "title", "body", "chair", "booking", "starts_at", "ends_at", "location"]
        field_classes = {"starts_at": forms.SplitDateTimeField, "ends_at": forms.SplitDateTimeField, "booking": BookingChoiceField}
        widgets = {"starts_at": AdminSplitDateTime, "ends_at": AdminSplitDateTime}
        help_texts = {
            "body": "留空则使用会议类型的默认成员组。出席名单按会议当天的成员生成。",
            "chair": "输入姓名或工号查找;须是该成员组中会议类型允许主持的职务。",
            "booking": "只列出本人已批准、尚未安排会议的会议室预约。",
            "starts_at": "选择了会议室预约时可留空,按预约时段。",
            "location": "留空则为预约的会议室。",
        }

    def __init__(self, *args, user, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        meeting_type = self.fields["meeting_type"]
        meeting_type.queryset = MeetingType.objects.filter(is_active=True).order_by("pk")
        meeting_type.empty_label = "请选择会议类型"
        self.fields["body"].required = False
        self.fields["body"].empty_label = "(会议类型的默认成员组)"
        chair = self.fields["chair"]
        chair.widget = AutocompleteSelect(Meeting._meta.get_field("chair"), admin_site)
        chair.queryset = Staff.objects.filter(is_active=True)  # also hands the choices to the new widget
        booking = self.fields["booking"]
        booking.queryset = selectors.bookings_for_meeting(user)
        booking.empty_label = "(不使用会议室预约)"
        for name in ("starts_at", "ends_at"):
            self.fields[name].required = False
        self.type_bodies = {t.pk: t.body_id for t in meeting_type.queryset}

    def clean(self):
        data = super().clean()
        booking = data.get("booking")
        if booking is not None:
            data["starts_at"] = data.get("starts_at") or booking.starts_at
            data["ends_at"] = data.get("ends_at") or booking.ends_at
            if data["starts_at"] < booking.starts_at or data["ends_at"] > booking.ends_at:
                self.add_error("booking", f"会议时间须在预约的时段({booking})之内。")
        for name, label in (("starts_at", "开始时间"), ("ends_at", "结束时间")):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, f"请填写{label},或选择会议室预约。")
        return data

    def service_kwargs(self) -> dict:
        """The keyword arguments of services.meeting_schedule, without the user."""
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields}


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["status"]

    def clean_status(self):
        status = self.cleaned_data["status"]
        attendance = self.instance
        # attendance_mark refuses the same; checked here so that the message sits on the member's row
        # and nothing of the page is saved.
        if (
            status == AttendanceStatus.ON_LEAVE
            and "status" in self.changed_data
            and services.approved_leave_covering(attendance.staff, attendance.meeting) is None
        ):
            raise ValidationError(
                f"{attendance.staff.name}没有覆盖会议时间的已批准请假,只能记为缺席。", code="no_approved_leave"
            )
        return status


class AttendanceFormSet(BaseInlineFormSet):
    """The member list: each changed row goes through services.attendance_mark."""

    def save(self, commit=True):
        raise NotImplementedError("出席情况须通过 save_marks(user=...) 保存。")

    def save_marks(self, *, user) -> list[Attendance]:
        self.new_objects, self.deleted_objects, self.changed_objects = [], [], []
        for form in self.initial_forms:
            if not form.has_changed():
                continue
            attendance = services.attendance_mark(attendance=form.instance, status=form.cleaned_data["status"], user=user)
            self.changed_objects.append((attendance, form.changed_data))
        return [attendance for attendance, _ in self.changed_objects]


class DecisionForm(forms.ModelForm):
    """记录决议: `services.decision_record` refuses 通过 below the quorum of the meeting and of the kind."""

    class Meta:
        model = Decision
        fields = [
            "kind", "text", "votes_for", "votes_against", "votes_abstain", "adopted", "responsible_department", "deadline",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60}), "deadline": AdminDateWidget}
        help_texts = {
            "kind": "可从列表选择本会议类型设有法定人数规则的类别;其他事项留空。",
            "adopted": "不勾选则记为未通过;记为通过须达到法定人数。须表决的会议(如党委会)按赞成票数自动判定。",
            "responsible_department": "需要督办的决议:填写责任部门和办结期限。",
        }

    def __init__(self, *args, meeting_type: MeetingType, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = (
            QuorumRule.objects.filter(meeting_type=meeting_type).exclude(decision_kind="")
            .order_by("decision_kind").values_list("decision_kind", flat=True)
        )
        self.fields["kind"].widget = DatalistInput(kinds, attrs={"size": 20})
        self.fields["adopted"].initial = True
        self.fields["responsible_department"].queryset = Department.objects.filter(is_active=True)

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# --- Rooms --------------------------------------------------------------------------------------


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, room):
        return f"{room.name}({room.capacity}人{',' + room.equipment if room.equipment else ''})"


class BookingRequestForm(forms.Form):
    """预约会议室: `services.booking_request` checks the lead time, the slot and the capacity.

    A plain Form: the model's own constraint check would answer "ends before start" less clearly
    than the service does.
    """

    room = RoomChoiceField(label="会议室", queryset=Room.objects.none(), empty_label="请选择会议室")
    starts_at = split_datetime_field("开始时间")
    ends_at = split_datetime_field("结束时间")
    purpose = forms.CharField(label="用途", max_length=200, widget=forms.TextInput(attrs={"size": 40}))
    attendees = forms.IntegerField(label="参加人数", min_value=1, max_value=32767, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(is_active=True).order_by("name")

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class BookingDecisionForm(forms.Form):
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class PeriodForm(forms.Form):
    """The range of the compliance page; this year when nothing is chosen."""

    start = forms.DateField(label="起始日期", widget=AdminDateWidget)
    end = forms.DateField(label="截止日期", widget=AdminDateWidget)

    MAX_DAYS = 366 * 5

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "截止日期不能早于起始日期。")
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("end", "统计区间最长五年。")
        return data

    @classmethod
    def this_year(cls, today: datetime.date) -> dict:
        return {"start": datetime.date(today.year, 1, 1), "end": datetime.date(today.year, 12, 31)}
