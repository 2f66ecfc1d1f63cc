"""Documents (S3.6): categories that name the signer, the lifecycle, numbering, secrecy, circulation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import Department, Staff
from staffing.versioning import Versioned


class SignerRole(models.TextChoices):
    MAIN_LEADER = "main_leader", "主要领导(主任/总经理)"
    LEADER_IN_CHARGE = "leader_in_charge", "拟稿部门的分管领导"
    DESIGNATED = "designated", "指定签发人(如董事长)"


# The placeholders of a category's number pattern, with what each prints. Patterns stored before they
# had Chinese names ({year}, {seq}) are still read.
NUMBER_PLACEHOLDERS = {"年份": "年份，如 2026", "序号": "本类别当年的序号，如 1；写作 {序号:03d} 则为 001"}
OLD_NUMBER_PLACEHOLDERS = {"year": "年份", "seq": "序号"}
NUMBER_PATTERN_HELP = "可用的占位符：" + "；".join(f"{{{name}}} 为{text}" for name, text in NUMBER_PLACEHOLDERS.items()) + "。"


def format_document_number(pattern: str, *, year: int, sequence: int) -> str:
    """The number a pattern gives: 「大余行服〔{年份}〕{序号}号」 → 「大余行服〔2026〕7号」."""
    values = {"年份": year, "序号": sequence}
    values.update({old: values[new] for old, new in OLD_NUMBER_PLACEHOLDERS.items()})
    return pattern.format(**values)


class DocumentCategory(models.Model):
    name = models.CharField("文件类别", max_length=50, unique=True)
    drafting_department = models.ForeignKey(
        Department, verbose_name="拟稿单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="留空表示由业务部门自行拟稿。",
    )
    signer_role = models.CharField("签发人", max_length=20, choices=SignerRole.choices, default=SignerRole.MAIN_LEADER)
    designated_signer = models.ForeignKey(
        Staff, verbose_name="指定签发人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number_pattern = models.CharField(
        "编号格式", max_length=60, default="大余行服〔{年份}〕{序号}号", help_text=NUMBER_PATTERN_HELP
    )
    needs_handling = models.BooleanField("需传阅办理", default=False)
    # Issue 18: who may 核稿 is set per category — a role, or the drafting department's head.
    reviewer_role = models.CharField(
        "核稿人", max_length=20, default="办公室人员",
        choices=[("department_head", "拟稿部门负责人")] + [(role, role) for role in (
            "办公室人员", "中心管理员", "股室负责人", "窗口负责人", "分管领导", "主要领导")],
        help_text="可以核稿的角色;“拟稿部门负责人”即拟稿部门的股室/窗口负责人。中心管理员始终可以核稿;拟稿人不能核自己的稿。",
    )
    required_attachments = models.CharField(
        "提交核稿须附", max_length=200, default="正文",
        help_text="提交核稿前须上传的附件类型,逗号分隔,如:正文,起草说明。签发前同样检查。",
    )
    is_active = models.BooleanField("在用", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "文件类别"
        verbose_name_plural = "文件类别"
        ordering = ["pk"]

    def __str__(self):
        return self.name


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "拟稿"
    REVIEW = "review", "核稿"
    SIGNED = "signed", "已签发"
    REGISTERED = "registered", "已登记编号"
    PROOFREAD = "proofread", "已校对"
    ISSUED = "issued", "已印发"
    ARCHIVED = "archived", "已归档"


class Secrecy(models.TextChoices):
    NORMAL = "normal", "普通"
    SECRET = "secret", "秘密"
    CONFIDENTIAL = "confidential", "机密"


class Document(Versioned):
    category = models.ForeignKey(DocumentCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="documents")
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("内容摘要", blank=True)
    drafter = models.ForeignKey(Staff, verbose_name="拟稿人", on_delete=models.PROTECT, related_name="drafted_documents")
    drafting_department = models.ForeignKey(Department, verbose_name="拟稿部门", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT, db_index=True)
    secrecy = models.CharField("密级", max_length=12, choices=Secrecy.choices, default=Secrecy.NORMAL, db_index=True)
    scope_staff = models.ManyToManyField(Staff, verbose_name="知悉范围(人员)", through="DocumentScopeStaff", blank=True, related_name="+")
    scope_departments = models.ManyToManyField(
        Department, verbose_name="知悉范围(部门)", through="DocumentScopeDepartment", blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(Staff, verbose_name="核稿人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(Staff, verbose_name="签发人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    sequence = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("文号", max_length=60, null=True, blank=True, unique=True)
    registered_at = models.DateTimeField("登记时间", null=True, blank=True)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    created_at = models.DateTimeField("拟稿时间", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "文件"
        verbose_name_plural = "文件"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["category", "year", "sequence"], name="document_unique_sequence")
        ]

    def __str__(self):
        return f"{self.number or '(未编号)'} {self.title}"

    @property
    def is_secret(self):
        return self.secrecy != Secrecy.NORMAL


class DocumentScopeStaff(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="scope_staff_links")
    staff = models.ForeignKey(Staff, verbose_name="人员", on_delete=models.CASCADE, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "知悉人员"
        verbose_name_plural = "知悉人员"
        constraints = [models.UniqueConstraint(fields=["document", "staff"], name="document_scope_staff_unique")]


class DocumentScopeDepartment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="scope_department_links")
    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.CASCADE, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "知悉部门"
        verbose_name_plural = "知悉部门"
        constraints = [models.UniqueConstraint(fields=["document", "department"], name="document_scope_department_unique")]


class DocumentCounter(models.Model):
    category = models.ForeignKey(DocumentCategory, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "文号计数"
        verbose_name_plural = "文号计数"
        constraints = [models.UniqueConstraint(fields=["category", "year"], name="document_counter_unique")]


class DocumentAttachment(models.Model):
    """Files of a document; replacing the file keeps the old versions in the history."""

    document = models.ForeignKey(Document, verbose_name="文件", on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("名称", max_length=200)
    file = models.FileField("附件", upload_to="documents/%Y/")
    kind = models.CharField("附件类型", max_length=30, blank=True, default="正文", help_text="如:正文、起草说明、签发原件。")
    is_signed_original = models.BooleanField("签发原件", default=False)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "文件附件"
        verbose_name_plural = "文件附件"

    def __str__(self):
        return self.title


class CirculationState(models.TextChoices):
    PENDING = "pending", "待办理"
    DELAYED = "delayed", "已说明延期"
    DONE = "done", "已反馈"


class CirculationMode(models.TextChoices):
    READ = "read", "阅知"
    HANDLE = "handle", "办理"


class Circulation(models.Model):
    """One recipient of a document to be handled, with its own due date (S3.6-d): of an outgoing document
    (`document`) or of an incoming one (`incoming`, S3.6-g), exactly one of them."""

    document = models.ForeignKey(
        Document, verbose_name="文件", null=True, blank=True, on_delete=models.CASCADE, related_name="circulations"
    )
    incoming = models.ForeignKey(
        "IncomingDocument", verbose_name="收文", null=True, blank=True, on_delete=models.CASCADE, related_name="circulations"
    )
    mode = models.CharField("办理要求", max_length=10, choices=CirculationMode.choices, default=CirculationMode.HANDLE, db_index=True)
    department = models.ForeignKey(Department, verbose_name="承办部门", on_delete=models.PROTECT, related_name="circulations")
    staff = models.ForeignKey(Staff, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT, related_name="circulations")
    received_on = models.DateField("收文日期")
    due_date = models.DateField("办理期限", db_index=True)
    state = models.CharField("办理情况", max_length=10, choices=CirculationState.choices, default=CirculationState.PENDING, db_index=True)
    feedback = models.TextField("办理结果", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    delay_reason = models.CharField("未能按期办结的原因", max_length=300, blank=True)
    expected_on = models.DateField("预计办结日期", null=True, blank=True)
    handled_by = models.ForeignKey(Staff, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acting_for = models.ForeignKey(Staff, verbose_name="代A岗办理", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分发人", null=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "传阅办理"
        verbose_name_plural = "传阅办理"
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "department", "staff"], name="circulation_unique_recipient"),
            models.UniqueConstraint(fields=["incoming", "department", "staff"], name="circulation_unique_incoming_recipient"),
            models.CheckConstraint(
                condition=models.Q(document__isnull=False, incoming__isnull=True)
                | models.Q(document__isnull=True, incoming__isnull=False),
                name="circulation_of_one_document",
            ),
        ]

    def __str__(self):
        who = self.staff.name if self.staff else self.department.name
        return f"{self.subject.title} → {who}"

    @property
    def subject(self):
        """The outgoing or incoming document this recipient handles."""
        return self.document if self.document_id else self.incoming

    @property
    def subject_number(self) -> str:
        subject = self.subject
        return (subject.number or "") if subject is not None else ""
