"""Meeting types and their rules (S4): configured by administrators, never coded."""

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class CadencePeriod(models.TextChoices):
    WEEK = "week", "每周"
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    HALF_YEAR = "half_year", "每半年"


class MeetingType(models.Model):
    name = models.CharField("会议类型", max_length=50, unique=True)
    body = models.ForeignKey(
        "MemberBody", verbose_name="参会成员(默认)", null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_types"
    )
    chair_roles = models.CharField("可主持的职务", max_length=200, help_text="成员职务,逗号分隔,如:书记,副书记。")
    cadence_period = models.CharField("召开周期", max_length=10, choices=CadencePeriod.choices, default=CadencePeriod.MONTH)
    cadence_min_count = models.PositiveSmallIntegerField("每周期至少召开(次)", default=1)
    usual_weekday = models.PositiveSmallIntegerField(
        "通常星期", null=True, blank=True, choices=[(i, "星期" + "一二三四五六日"[i]) for i in range(7)]
    )
    usual_half_day = models.CharField("通常时段", max_length=2, blank=True, choices=[("am", "上午"), ("pm", "下午")])
    needs_report = models.BooleanField("会后部门须书面报告", default=False, help_text="例会后参会部门报送书面报告和工作打算(S3.5)。")
    # S4.9: 以超过应到会委员人数的半数同意为通过 — "超过" excludes the half itself.
    decides_by_vote = models.BooleanField(
        "决议须表决", default=False, help_text="勾选后,决议按赞成票数是否达到下列表决门槛自动记为通过或未通过。"
    )
    vote_numerator = models.PositiveSmallIntegerField("表决门槛分子", default=1)
    vote_denominator = models.PositiveSmallIntegerField("表决门槛分母", default=2, validators=[MinValueValidator(1)])
    vote_inclusive = models.BooleanField(
        "表决门槛含本数", default=False, help_text="不勾选即“超过”(不含本数):9人应到时须5票赞成,8人时须5票。"
    )
    vote_base = models.CharField(
        "表决门槛基数", max_length=10, default="due",
        choices=[("due", "应到会人数"), ("present", "实到会人数")],
    )
    is_active = models.BooleanField("在用", default=True)
    note = models.CharField("说明", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议类型"
        verbose_name_plural = "会议类型"
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def votes_needed(self, base: int) -> int:
        """The fewest votes for that adopt a decision when `base` members count (S4.9)."""
        for votes in range(base + 1):
            left, right = votes * self.vote_denominator, self.vote_numerator * base
            if (left >= right) if self.vote_inclusive else (left > right):
                return votes
        return base + 1

    def chair_role_list(self) -> list[str]:
        return [role.strip() for role in self.chair_roles.replace(",", ",").split(",") if role.strip()]


class QuorumRule(models.Model):
    """At least `fraction` of the body's members (present, or voting) — inclusive when 以上."""

    meeting_type = models.ForeignKey(MeetingType, verbose_name="会议类型", on_delete=models.CASCADE, related_name="quorum_rules")
    decision_kind = models.CharField(
        "决定事项类别", max_length=50, blank=True, help_text="留空表示会议召开的法定人数;填写如“干部任免”表示该类决定的更严要求。"
    )
    numerator = models.PositiveSmallIntegerField("分子", default=1)
    denominator = models.PositiveSmallIntegerField("分母", default=2)
    # 民法典 art. 1259: 以上 includes the number itself, so 6 of 9 is 三分之二以上.
    inclusive = models.BooleanField("含本数(以上)", default=True)
    counts_voters = models.BooleanField("按参加表决人数计", default=False, help_text="否则按到会人数计。")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "法定人数规则"
        verbose_name_plural = "法定人数规则"
        constraints = [
            models.UniqueConstraint(fields=["meeting_type", "decision_kind"], name="quorum_rule_unique_kind")
        ]

    def __str__(self):
        scope = self.decision_kind or "会议召开"
        return f"{self.meeting_type} {scope}:{self.numerator}/{self.denominator}{'以上' if self.inclusive else '以上(不含)'}"

    def is_met(self, count: int, members: int) -> bool:
        # Integer arithmetic: count/members ≥ n/d  ⇔  count·d ≥ n·members.
        left, right = count * self.denominator, self.numerator * members
        return left >= right if self.inclusive else left > right

    def needed(self, members: int) -> int:
        for count in range(members + 1):
            if self.is_met(count, members):
                return count
        return members + 1
