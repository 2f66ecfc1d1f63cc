from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords

from registry.models import HandlingMode, MaterialForm, ServiceItem
from staffing.models import Department, Staff, Window
from staffing.versioning import Versioned


class CaseStatus(models.TextChoices):
    RECEIVED = "received", "收件"
    CORRECTION = "correction", "补正"
    ACCEPTED = "accepted", "受理"
    IN_PROGRESS = "in_progress", "办理中"
    APPROVED = "approved", "办结(准予)"
    DISAPPROVED = "disapproved", "办结(不予批准)"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    DELIVERED = "delivered", "已送达"


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_PERMIT = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan", "台湾居民来往大陆通行证"
    OTHER = "other", "其他证件"


OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.CORRECTION, CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS)
# The clock is stopped while a case waits for the applicant's 补正: it is neither overdue nor due soon.
RUNNING_STATUSES = tuple(s for s in OPEN_STATUSES if s != CaseStatus.CORRECTION)


@deconstructible(path="casework.models.case.SqlLiteral")
class SqlLiteral(models.Value):
    """A string constant written into the SQL text instead of being bound as a parameter.

    SQLite uses a partial index only for a query that repeats the index's condition, constants
    included: a bound parameter never matches it."""

    def as_sql(self, compiler, connection):
        return "'%s'" % str(self.value).replace("'", "''"), []


# The same, as the condition of the overdue and due-soon queries and of their partial indexes (Meta):
# "none of the other statuses", because no index can seek on NOT IN, so SQLite (which has no
# statistics) reads the small due-date indexes in due-date order instead of every running case through
# the status index followed by a sort (docs/performance.md).
RUNNING = ~models.Q(status__in=[SqlLiteral(status) for status in CaseStatus.values if status not in RUNNING_STATUSES])


class Case(Versioned):
    number = models.CharField("办件编号", max_length=40, unique=True)
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="cases")
    item_version = models.PositiveBigIntegerField("事项版本", null=True, blank=True, help_text="收件时事项历史记录的编号。")
    department = models.ForeignKey(Department, verbose_name="实施部门", on_delete=models.PROTECT, related_name="cases")
    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.PROTECT, related_name="cases")
    # S1.1-f: the hall where the case was received (its window's hall then; a window moved later keeps its cases).
    hall = models.ForeignKey("halls.Hall", verbose_name="服务场所", on_delete=models.PROTECT, related_name="cases")
    consultation = models.OneToOneField(
        "Consultation", verbose_name="首问登记", null=True, blank=True, on_delete=models.SET_NULL, related_name="case"
    )

    applicant_kind = models.CharField("申请人类型", max_length=15, choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    applicant_name = models.CharField("申请人", max_length=200)
    id_type = models.CharField("证件类型", max_length=15, choices=IdType.choices, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)

    first_inquiry_staff = models.ForeignKey(
        Staff, verbose_name="首问责任人", on_delete=models.PROTECT, related_name="first_inquiry_cases"
    )
    handler = models.ForeignKey(Staff, verbose_name="经办人", on_delete=models.PROTECT, related_name="handled_cases")
    priority = models.BooleanField("特事特办", default=False, db_index=True)
    assisted = models.BooleanField("协助填表", default=False)
    assisted_note = models.CharField("协助说明", max_length=300, blank=True)

    # The catalog terms the case was received under (a later edit of the item does not change them).
    handling_mode = models.CharField("办件类型", max_length=12, choices=HandlingMode.choices)
    statutory_limit_days = models.PositiveSmallIntegerField("法定时限(工作日)", null=True, blank=True)
    committed_limit_days = models.PositiveSmallIntegerField("承诺时限(工作日)", null=True, blank=True)
    fee_terms = models.CharField("收费", max_length=300, blank=True)

    status = models.CharField("状态", max_length=15, choices=CaseStatus.choices, default=CaseStatus.RECEIVED, db_index=True)
    received_at = models.DateTimeField("收件时间", default=timezone.now)
    received_on = models.DateField("收件日期", db_index=True)
    acceptance_deadline = models.DateField("受理期限", null=True, blank=True, db_index=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    deemed_accepted = models.BooleanField("视为受理", default=False)
    committed_due_date = models.DateField("承诺办结日", null=True, blank=True)  # indexed for running cases (Meta)
    statutory_due_date = models.DateField("法定办结日", null=True, blank=True, db_index=True)
    paused_working_days = models.PositiveSmallIntegerField("停止计时(工作日)", default=0)
    extended_working_days = models.PositiveSmallIntegerField("延期(工作日)", default=0)
    completed_on = models.DateField("办结日期", null=True, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    same_day_missed = models.BooleanField("即办件未当日办结", default=False)
    # S1.1-e: delegated items need the window head's approval before completion.
    head_approved_by = models.ForeignKey(
        Staff, verbose_name="窗口负责人审批", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    head_approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    # S5.6-d: report-up handling.
    reported_up_on = models.DateField("上报日期", null=True, blank=True)
    report_authority = models.CharField("上报机关", max_length=200, blank=True)
    report_result = models.TextField("上级审批结果", blank=True)
    report_result_on = models.DateField("结果日期", null=True, blank=True)
    overdue = models.BooleanField("超期办结", default=False, help_text="办结日晚于承诺办结日。")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-priority", "-received_at"]
        indexes = [
            models.Index(fields=["department", "status"], name="case_department_status"),
            # The monthly hall assessment groups the month's completed cases by hall (halls.ranking).
            models.Index(fields=["completed_on", "hall"], name="case_completed_hall"),
            # A staff member's month for the assessment sheet (statistics.staff_month_facts): a range of
            # that person's completions, whatever the years of cases behind it.
            models.Index(fields=["handler", "completed_on"], name="case_handler_completed"),
            models.Index(fields=["-priority", "-received_at"], name="case_list_order"),
            models.Index(fields=["department", "-priority", "-received_at"], name="case_department_list_order"),
            models.Index(fields=["status", "-priority", "-received_at"], name="case_status_list_order"),
            models.Index(fields=["id_number"], name="case_id_number"),
            models.Index(fields=["phone"], name="case_phone"),
            # The name search on SQLite: a prefix is a range of this index (selectors.search_cases_by_name;
            # PostgreSQL has a trigram index as well, migration 0012). It carries the list's order, so the
            # page's ids are sorted within the index without reading the matching rows (8,342 for 王 at
            # 1,000,000 cases: 17 ms → 1 ms), and the paginator then reads only the page's rows.
            models.Index(fields=["applicant_name", "-priority", "-received_at"], name="case_applicant_name_order"),
            # The overdue and due-soon lists: the running cases in due-date order, so that a page of
            # either is a range read that stops after 50 rows (docs/performance.md).
            models.Index(fields=["committed_due_date"], condition=RUNNING, name="case_running_due"),
            models.Index(fields=["department", "committed_due_date"], condition=RUNNING, name="case_department_running_due"),
        ]

    def __str__(self):
        return f"{self.number} {self.applicant_name}"

    def save(self, *args, **kwargs):
        # The daily statistics follow every change of a case, in the same transaction (casework.rollup).
        from ..rollup import case_saved, stored_contribution

        if self.hall_id is None and self.window_id is not None:
            self.hall_id = Window.objects.values_list("hall_id", flat=True).get(pk=self.window_id)
        with transaction.atomic():
            before = None if self._state.adding else stored_contribution(self.pk)
            super().save(*args, **kwargs)
            case_saved(before, self)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class CaseCounter(models.Model):
    """The last sequence number used per window and day; locked row by row when numbering."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "办件编号计数"
        verbose_name_plural = "办件编号计数"
        constraints = [models.UniqueConstraint(fields=["window", "day"], name="case_counter_unique_window_day")]


class MaterialState(models.TextChoices):
    PENDING = "pending", "待核验"
    RECEIVED = "received", "已收取"
    MISSING = "missing", "缺少"
    UNQUALIFIED = "unqualified", "不合格"


class CaseMaterial(Versioned):
    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("材料名称", max_length=300)
    form = models.CharField("材料形式", max_length=12, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    required = models.BooleanField("是否必需", default=True)
    state = models.CharField("核验结果", max_length=12, choices=MaterialState.choices, default=MaterialState.PENDING)
    problem = models.CharField("问题说明", max_length=300, blank=True, help_text="不合格时写明需要如何修改。")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "材料清单"
        verbose_name_plural = "材料清单"
        ordering = ["case", "order"]

    def __str__(self):
        return self.name


class CaseStep(models.Model):
    """A procedure step of the case, copied from the item on acceptance, with its own due date (S5.2)."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("环节名称", max_length=100)
    limit_days = models.PositiveSmallIntegerField("时限(工作日)", default=0)
    counts_towards_limit = models.BooleanField("计入时限", default=True)
    started_on = models.DateField("开始日期", null=True, blank=True)
    due_date = models.DateField("环节期限", null=True, blank=True, db_index=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)
    finished_by = models.ForeignKey(Staff, verbose_name="完成人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        ordering = ["case", "order"]

    def __str__(self):
        return f"{self.order}. {self.name}"


class CaseTransition(models.Model):
    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=15, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=15, choices=CaseStatus.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+")
    acting_for = models.ForeignKey(
        Staff, verbose_name="代A岗办理", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="B岗顶岗时,记录所代办的A岗责任人(S1.9-b)。",
    )
    note = models.CharField("说明", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "状态变更记录"
        verbose_name_plural = "状态变更记录"
        ordering = ["case", "at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class CaseClockPause(models.Model):
    """Working days that do not count towards the limits: 补正 after acceptance, uncounted steps."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField("原因", max_length=100)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "停止计时"
        verbose_name_plural = "停止计时"
        ordering = ["case", "started_on"]

    def __str__(self):
        return f"{self.reason} {self.started_on}–{self.ended_on or '至今'}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "不批准"


class CaseExtension(models.Model):
    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField("延期(工作日)")
    reason = models.CharField("延期理由", max_length=500)
    requested_by = models.ForeignKey(Staff, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    status = models.CharField("状态", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(Staff, verbose_name="审批领导", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["case", "requested_at"]

    def __str__(self):
        return f"{self.case.number} 延期{self.days}个工作日"
