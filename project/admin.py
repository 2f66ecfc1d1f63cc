from django import forms
from django.contrib import admin, messages

from staffing.admin.base import HistoryAdmin, register_control_panel

from .models import IndexSection, LoginEvent, LoginEventKind, SecuritySettings


@admin.register(LoginEvent)
class LoginEventAdmin(HistoryAdmin):
    """Sign-ins, failures and sign-outs: read by inspectors, written only by the system."""

    list_display = ["at", "username", "who", "kind", "address"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter), ("user__staff__department", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username__exact", "address", "user__staff__name"]
    list_select_related = ["user__staff__department"]
    show_full_result_count = False
    actions = ["unlock"]

    @admin.action(description="解除所选记录中账号在该地址的登录锁定", permissions=["unlock"])
    def unlock(self, request, queryset):
        from .security import sign_in_unlock

        pairs = sorted(set(queryset.exclude(kind=LoginEventKind.UNLOCKED).values_list("username", "address")), key=str)
        for username, address in pairs:
            sign_in_unlock(username=username, address=address)
        names = "、".join(f"{username}({address or '地址不明'})" for username, address in pairs)
        self.message_user(request, f"已解除 {len(pairs)} 个账号/地址的登录锁定:{names}。", messages.SUCCESS)

    @admin.display(description="用户", ordering="user")
    def who(self, obj):
        from .history import user_label

        return user_label(obj.user) if obj.user_id else "—"

    def has_unlock_permission(self, request):
        return request.user.has_perm("project.unlock_signin")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


register_control_panel(SecuritySettings)


class IndexSectionForm(forms.ModelForm):
    """The pages of a section are ticked from a list shown by their Chinese names, never typed."""

    pages = forms.MultipleChoiceField(label="包含的页面", widget=forms.CheckboxSelectMultiple, choices=())

    class Meta:
        model = IndexSection
        fields = ["role", "order", "name"]

    def __init__(self, *args, **kwargs):
        from .admin_site import index_entry_choices

        super().__init__(*args, **kwargs)
        self.fields["pages"].choices = index_entry_choices(admin.site)
        self.fields["pages"].help_text = "首页先显示用户所属角色的分组,再显示其余可打开的页面;用户无权打开的页面不显示。"
        if self.instance.pk:
            self.fields["pages"].initial = self.instance.entry_keys()

    def save(self, commit=True):
        self.instance.entries = ",".join(self.cleaned_data["pages"])
        return super().save(commit)


@admin.register(IndexSection)
class IndexSectionAdmin(HistoryAdmin):
    form = IndexSectionForm
    list_display = ["role", "order", "name", "pages_display"]
    list_filter = ["role"]
    ordering = ["role", "order"]

    # A reader who may not edit sees the pages by their names, not the form's empty list.
    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return super().get_fields(request, obj)
        return ["role", "order", "name", "pages_display"]

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if self.has_change_permission(request, obj) else ["pages_display"]

    @admin.display(description="包含的页面")
    def pages_display(self, obj):
        from .admin_site import index_entry_choices

        labels = dict(index_entry_choices(admin.site))
        return "、".join(labels.get(key, key).split(" · ")[-1] for key in obj.entry_keys())

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self.message_user(request, f"「{obj.role}」的首页将按新分组显示,该角色的用户刷新首页即可看到。", messages.INFO)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self.message_user(request, f"「{obj.role}」的首页将按新分组显示,该角色的用户刷新首页即可看到。", messages.INFO)
        return response

# Locked-out accounts are told so at the login page (the lock itself is django-axes', see security.py).
from .security import CenterLoginForm  # noqa: E402

admin.site.login_form = CenterLoginForm


# django-tasks-db's own list of task rows is English and technical: users follow their jobs in
# 我的后台任务 (staffing.BackgroundJob); the worker's rows are read with `manage.py shell` if ever needed.
from django_tasks_db.models import DBTaskResult  # noqa: E402

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
