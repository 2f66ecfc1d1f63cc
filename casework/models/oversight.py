"""Joint handling opinions (S5.6-c), report-up follow-ups (S5.6-d), complaints (S1.1-b)."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import Department, Staff, Window


class OpinionStatus(models.TextChoices):
    PENDING = "pending", "待提出意见"
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"
    NEED_MORE = "need_more", "需补充材料"


class JointOpinion(models.Model):
    case = models.ForeignKey("Case", verbose_name="办件", on_delete=models.CASCADE, related_name="opinions")
    department = models.ForeignKey(Department, verbose_name="协办部门", on_delete=models.PROTECT, related_name="joint_opinions")
    requested_on = models.DateField("征求意见日期")
    due_date = models.DateField("意见期限", db_index=True)
    status = models.CharField("意见", max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.PENDING, db_index=True)
    reasons = models.TextField("理由/说明", blank=True)
    attachment = models.FileField("附件", upload_to="casework/opinions/%Y/", blank=True)
    given_by = models.ForeignKey(Staff, verbose_name="提出人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField("提出时间", null=True, blank=True)
    escalated_at = models.DateTimeField("逾期已报分管领导", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "联办意见"
        verbose_name_plural = "联办意见"
        ordering = ["case", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "department"], name="joint_opinion_unique_department")]

    def __str__(self):
        return f"{self.case.number} {self.department}:{self.get_status_display()}"


class ReportUpFollowUp(models.Model):
    case = models.ForeignKey("Case", verbose_name="办件", on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField("日期", default=timezone.localdate)
    method = models.CharField("方式", max_length=50, help_text="如:电话、公文、网上系统、当面。")
    by = models.ForeignKey(Staff, verbose_name="跟踪人", on_delete=models.PROTECT, related_name="+")
    answer = models.TextField("上级答复")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "上报跟踪"
        verbose_name_plural = "上报跟踪"
        ordering = ["case", "on", "pk"]

    def __str__(self):
        return f"{self.on} {self.method}"


class ComplaintChannel(models.TextChoices):
    PHONE = "phone", "电话"
    BOX = "box", "投诉箱"
    IN_PERSON = "in_person", "现场"
    ONLINE = "online", "网上"
    REFERRED = "referred", "上级转办"


class ComplaintKind(models.TextChoices):
    GENERAL = "general", "一般投诉"
    BIDDING = "bidding", "招投标投诉"  # S1.1-g: about a bidding event, with its own handling limit


class Complaint(models.Model):
    """投诉举报 (S1.1-b): about a window, a staff member or a case, with a handling due date; or, as a
    招投标投诉 (S1.1-g), about a bidding event under the center's supervision."""

    kind = models.CharField("投诉类型", max_length=10, choices=ComplaintKind.choices, default=ComplaintKind.GENERAL)
    channel = models.CharField("渠道", max_length=10, choices=ComplaintChannel.choices)
    complainant = models.CharField("投诉人", max_length=100, blank=True, help_text="可匿名。")
    phone = models.CharField("联系电话", max_length=50, blank=True)
    window = models.ForeignKey(Window, verbose_name="被投诉窗口", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    staff = models.ForeignKey(Staff, verbose_name="被投诉人员", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    case = models.ForeignKey("Case", verbose_name="相关办件", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    department = models.ForeignKey(Department, verbose_name="被投诉部门", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    bidding_event = models.ForeignKey(
        "bidding.BiddingEvent", verbose_name="相关招投标项目", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    content = models.TextField("投诉内容")
    received_on = models.DateField("受理日期", default=timezone.localdate, db_index=True)
    due_date = models.DateField("办理期限", db_index=True)
    handler = models.ForeignKey(Staff, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT, related_name="handled_complaints")
    findings = models.TextField("调查情况", blank=True)
    upheld = models.BooleanField("投诉属实", null=True, blank=True)
    reply = models.TextField("答复投诉人", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["kind", "received_on"], name="complaint_kind_received")]

    def __str__(self):
        return f"{self.received_on} {self.get_channel_display()}:{self.content[:20]}"

    @property
    def is_closed(self) -> bool:
        return self.replied_on is not None
