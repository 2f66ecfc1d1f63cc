from django import forms
from django.contrib.admin.widgets import AdminDateWidget

from .models import BiddingEvent, EventStatus
from .services import TRANSITIONS


class BiddingEventForm(forms.ModelForm):
    """The particulars of an event; the date order is checked by the model's clean() (the service's check)."""

    class Meta:
        model = BiddingEvent
        fields = "__all__"
        help_texts = {
            "supervisor": "输入姓名或工号查找;开标前须指派。",
            "opening_on": "开标日历按该日期列出项目。",
        }


class EventStatusForm(forms.Form):
    """登记进展: the next step of the event, with its date."""

    to = forms.ChoiceField(label="登记为")
    on = forms.DateField(label="日期", required=False, widget=AdminDateWidget, help_text="开标、评标、定标的日期;留空为已登记的日期或今天。")
    winner = forms.CharField(label="中标人", required=False, max_length=200, help_text="定标时填写。")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), help_text="中止时须说明原因。")

    def __init__(self, *args, event: BiddingEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(status.value, status.label) for status in TRANSITIONS[EventStatus(event.status)]]
        self.fields["winner"].initial = event.winner


class FiguresForm(forms.Form):
    start = forms.DateField(label="起始日期", widget=AdminDateWidget)
    end = forms.DateField(label="截止日期", widget=AdminDateWidget)
    by = forms.ChoiceField(label="分组", choices=[("month", "月份"), ("type", "项目类型")])

    MAX_DAYS = 366 * 5

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", f"截止日期({end:%Y-%m-%d})不能早于起始日期({start:%Y-%m-%d})。")
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("end", "统计期间不能超过五年。")
        return data
