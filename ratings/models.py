"""政务服务"好差评" (R1.1–R1.6): ratings of cases, the bad-rating ticket that follows each bad one to
the end, the window rating pads, and the settings the regulation's numbers live in."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import ControlPanel, Department, Staff, Window


class RatingLevel(models.IntegerChoices):
    """R1.2: five levels; the first two are 好评, the last two 差评. The value is the score."""

    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASICALLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


GOOD_LEVELS = (RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED)
BAD_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


class RatingChannel(models.TextChoices):
    PAD = "pad", "窗口评价器"
    ONLINE = "online", "网上"
    SMS = "sms", "短信"
    PHONE = "phone", "电话回访"
    QR = "qr", "二维码"


class RatingTag(models.TextChoices):
    ATTITUDE = "attitude", "态度"
    EFFICIENCY = "efficiency", "效率"
    MATERIALS = "materials", "材料"
    ENVIRONMENT = "environment", "环境"
    OTHER = "other", "其他"


class Rating(models.Model):
    """One rating of a case through one channel (R1.1): at most one per case and channel."""

    case = models.ForeignKey("casework.Case", verbose_name="办件", on_delete=models.PROTECT, related_name="ratings")
    channel = models.CharField("评价渠道", max_length=10, choices=RatingChannel.choices)
    level = models.PositiveSmallIntegerField("评价等级", choices=RatingLevel.choices, db_index=True)
    content = models.TextField("评价内容", blank=True)
    tags = models.CharField("评价标签", max_length=100, blank=True, help_text="态度、效率、材料、环境、其他,可多选。")
    real_name = models.BooleanField("实名评价", default=False)
    rated_at = models.DateTimeField("评价时间", default=timezone.now)
    rated_on = models.DateField("评价日期", db_index=True)
    # Copied from the case when the rating is recorded: the figures group by them without joins.
    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT, related_name="ratings")
    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.PROTECT, related_name="ratings")
    staff = models.ForeignKey(Staff, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    excluded = models.BooleanField(
        "不计入统计", default=False, help_text="申诉复核成立的差评仍保留在记录和历史中,但不计入统计(R1.4)。"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入账号", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        ordering = ["-rated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case", "channel"], name="rating_once_per_case_and_channel")]
        indexes = [
            models.Index(fields=["window", "rated_on"], name="rating_window_day"),
            models.Index(fields=["department", "rated_on"], name="rating_department_day"),
        ]
        permissions = [
            ("use_ratingpad", "使用窗口评价器"),
            ("import_rating", "导入省平台评价数据"),
        ]

    def __str__(self):
        return f"{self.case.number} {self.get_channel_display()}:{self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def is_good(self) -> bool:
        return self.level in GOOD_LEVELS

    def tag_list(self) -> list[str]:
        return [code for code in self.tags.split(",") if code]

    def tag_labels(self) -> str:
        labels = dict(RatingTag.choices)
        return "、".join(labels.get(code, code) for code in self.tag_list())


class TicketStatus(models.TextChoices):
    VISIT = "visit", "待回访核实"
    RECTIFYING = "rectifying", "限期整改中"
    REPLY = "reply", "待答复评价人"
    REVIEW = "review", "待中心审核"
    CLOSED = "closed", "已办结"
    APPEAL = "appeal", "申诉复核中"
    APPEAL_UPHELD = "appeal_upheld", "申诉成立(不计入统计)"


# The handling unit (the department of the case) acts in these states; the center in the others.
UNIT_STATUSES = (TicketStatus.VISIT, TicketStatus.RECTIFYING, TicketStatus.REPLY)
CENTER_STATUSES = (TicketStatus.REVIEW, TicketStatus.APPEAL)
OPEN_TICKET_STATUSES = UNIT_STATUSES + CENTER_STATUSES


class TicketOutcome(models.TextChoices):
    FIX_NOW = "fix_now", "立行立改"
    FIX_BY_DEADLINE = "fix_by_deadline", "限期整改"
    EXPLAIN = "explain", "解释说明"


class ReplyMethod(models.TextChoices):
    PHONE = "phone", "电话"
    SMS = "sms", "短信"
    IN_PERSON = "in_person", "当面"
    ONLINE = "online", "网上平台"
    LETTER = "letter", "书面"


class BadRatingTicket(models.Model):
    """差评工单 (R1.3, R1.4): opened for every 不满意/非常不满意, for the case's department and window.

    The status changes only through `ratings.services.tickets.set_status`."""

    rating = models.OneToOneField(Rating, verbose_name="评价", on_delete=models.PROTECT, related_name="ticket")
    case = models.ForeignKey("casework.Case", verbose_name="办件", on_delete=models.PROTECT, related_name="bad_rating_tickets")
    department = models.ForeignKey(Department, verbose_name="承办部门", on_delete=models.PROTECT, related_name="bad_rating_tickets")
    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.PROTECT, related_name="bad_rating_tickets")
    status = models.CharField("状态", max_length=15, choices=TicketStatus.choices, default=TicketStatus.VISIT, db_index=True)
    opened_on = models.DateField("立单日期", db_index=True)
    visit_due = models.DateField("回访核实期限", db_index=True)
    visited_on = models.DateField("回访日期", null=True, blank=True)
    visited_by = models.ForeignKey(Staff, verbose_name="回访人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    visit_method = models.CharField("回访方式", max_length=10, choices=ReplyMethod.choices, blank=True)
    findings = models.TextField("核实情况", blank=True)
    outcome = models.CharField("处理方式", max_length=15, choices=TicketOutcome.choices, blank=True)
    rectify_due = models.DateField("整改期限", null=True, blank=True, db_index=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    measures = models.TextField("整改措施/解释说明", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_method = models.CharField("答复方式", max_length=10, choices=ReplyMethod.choices, blank=True)
    reply = models.TextField("答复内容", blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(Staff, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_note = models.TextField("审核意见", blank=True)
    appeal_reason = models.TextField("申诉理由", blank=True)
    appealed_on = models.DateField("申诉日期", null=True, blank=True)
    appeal_from = models.CharField("申诉前状态", max_length=15, choices=TicketStatus.choices, blank=True)
    appeal_upheld = models.BooleanField("申诉成立", null=True, blank=True)
    appeal_decision = models.TextField("复核意见", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "差评工单"
        verbose_name_plural = "差评工单"
        ordering = ["-opened_on", "-pk"]
        permissions = [
            ("handle_badratingticket", "办理差评工单(回访、整改、答复、申诉)"),
            ("review_badratingticket", "审核差评工单(中心审核、申诉复核)"),
        ]

    def __str__(self):
        return f"差评工单 {self.case.number}"

    def due_date(self):
        """The date of the step now waiting, when it has one."""
        if self.status == TicketStatus.VISIT:
            return self.visit_due
        if self.status == TicketStatus.RECTIFYING:
            return self.rectify_due
        return None

    def is_overdue(self, today=None) -> bool:
        due = self.due_date()
        return bool(due and due < (today or timezone.localdate()))


class TicketTransition(models.Model):
    ticket = models.ForeignKey(BadRatingTicket, verbose_name="差评工单", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=15, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=15, choices=TicketStatus.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "工单状态变更"
        verbose_name_plural = "工单状态变更"
        ordering = ["ticket", "at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class RatingPad(models.Model):
    """The rating pad (评价器) of a window: a tablet signed in with its own device account (R1.1)."""

    window = models.OneToOneField(Window, verbose_name="窗口", on_delete=models.PROTECT, related_name="rating_pad")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="设备账号", on_delete=models.PROTECT, related_name="rating_pad"
    )
    is_active = models.BooleanField("启用", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "窗口评价器"
        verbose_name_plural = "窗口评价器"
        ordering = ["window__number"]

    def __str__(self):
        return f"{self.window.number}号窗口评价器"


class RatingSettings(ControlPanel):
    """The numbers of the 好差评 rules (国办发〔2019〕51号 and the province's implementing rules)."""

    visit_days = models.PositiveSmallIntegerField("回访核实期限(工作日)", default=1, help_text="差评后由承办单位回访核实的期限。")
    rectify_days = models.PositiveSmallIntegerField("限期整改期限(工作日)", default=5, help_text="限期整改的整改期限,自回访核实之日起算。")
    talk_months = models.PositiveSmallIntegerField(
        "连续排名末位约谈(月)", default=2, help_text="窗口连续该月数在月度评价排名中居末位的,列入约谈名单。"
    )
    pad_offer_minutes = models.PositiveSmallIntegerField(
        "评价器显示办件时长(分钟)", default=30, help_text="办件在窗口办结或送达后,评价器在该时长内请申请人评价。"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "好差评设置"
        verbose_name_plural = "好差评设置"
