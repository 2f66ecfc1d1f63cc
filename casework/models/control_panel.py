from django.db import models
from simple_history.models import HistoricalRecords

from staffing.models import ControlPanel


class CaseworkSettings(ControlPanel):
    """The numbers that the regulations and the Administrative Licensing Law set for casework."""

    # 行政许可法 art. 32: no acceptance and no 补正 notice within 5 days of receipt = accepted on receipt.
    deemed_acceptance_days = models.PositiveSmallIntegerField("视为受理期限(工作日)", default=5)
    due_soon_days = models.PositiveSmallIntegerField("临期提醒(工作日)", default=2, help_text="距承诺期限不超过该工作日数的办件列为“即将到期”。")
    collection_days_after_completion = models.PositiveSmallIntegerField(
        "领取结果(办结后工作日)", default=0, help_text="受理通知书上告知的领证日期 = 承诺办结日 + 该工作日数。"
    )
    joint_opinion_days = models.PositiveSmallIntegerField("联办意见期限(工作日)", default=5, help_text="协办部门提出意见的期限(S5.6-c)。")
    complaint_days = models.PositiveSmallIntegerField("投诉办理期限(工作日)", default=5)
    bidding_complaint_days = models.PositiveSmallIntegerField(
        "招投标投诉办理期限(工作日)",
        default=30,
        help_text="招投标投诉自受理之日起的办理期限。默认值依据《招标投标法实施条例》第六十一条:"
        "行政监督部门应当自收到投诉之日起30个工作日内作出书面处理决定(中心十项制度未另行规定)。",
    )
    reconsideration_days = models.PositiveSmallIntegerField("申请行政复议期限(日)", default=60)
    litigation_months = models.PositiveSmallIntegerField("提起行政诉讼期限(月)", default=6)
    notice_max_length = models.PositiveIntegerField(
        "通知书最大字数",
        default=10000,
        help_text="文书模板的正文和由它生成的通知书都不能超过该字数,模板写错(如循环套循环)时不会生成超长文书。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "办件设置"
        verbose_name_plural = "办件设置"
