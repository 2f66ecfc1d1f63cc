"""The demo of the history review (issue 16): an administrator's one-sentence edit of a notice
template, so that 变更记录 shows a word-level diff; the due-date changes come from the casework
demo's extensions. Runs again without a second edit."""

from django.contrib.auth import get_user_model

EDIT_REASON = "补充提示:请携带身份证原件"
ADDED = "请携带身份证原件。"


def load_demo_history(stdout=None) -> None:
    from casework.models import NoticeTemplate

    template = NoticeTemplate.objects.order_by("pk").first()
    if template is None or template.history.filter(history_change_reason=EDIT_REASON).exists():
        return
    if "。" not in template.body:
        return
    template.body = template.body.replace("。", "。" + ADDED, 1)
    template._history_user = get_user_model().objects.filter(username="admin").first()
    template._change_reason = EDIT_REASON
    template.full_clean()
    template.save()
    if stdout is not None:
        stdout.write(f"文书模板「{template}」:管理员补充了一句提示(变更记录中可见逐词标出的改动)。")
