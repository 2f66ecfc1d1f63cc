"""The window rating pad (R1.1): the full-screen page for the tablet at each window, signed in with the
pad's device account, and the list of pads where the center administrator creates those accounts."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from staffing.admin.base import HistoryAdmin
from staffing.admin.service_forms import add_service_error
from staffing.services import presence

from .. import forms
from ..models import Rating, RatingLevel, RatingPad, RatingTag
from ..services import ratings as services

LEVEL_STYLES = {5: "very-good", 4: "good", 3: "fair", 2: "bad", 1: "very-bad"}


@admin.register(RatingPad)
class RatingPadAdmin(HistoryAdmin):
    list_display = ["window", "user", "is_active"]
    list_select_related = ["window", "user"]
    fields = ["window", "user", "is_active"]
    readonly_fields = ["window", "user"]
    change_list_template = "admin/ratings/ratingpad/change_list.html"

    def has_add_permission(self, request):
        return False  # through 「新增评价器」, which creates the device account too

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("new/", view(self.create_view), name="ratings_ratingpad_create"),
            path("screen/", view(self.pad_view), name="ratings_pad"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra = {"title": "窗口评价器", **(extra_context or {})}
        if request.user.has_perm("ratings.add_ratingpad"):
            extra["create_url"] = reverse("admin:ratings_ratingpad_create")
        return super().changelist_view(request, extra)

    def create_view(self, request):
        if not request.user.has_perm("ratings.add_ratingpad"):
            raise PermissionDenied
        form = forms.PadCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                pad = services.pad_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                self.message_user(
                    request,
                    f"已新增{pad}:请在该窗口的平板上用账号「{pad.user.username}」登录,登录后即显示评价页面。",
                    messages.SUCCESS,
                )
                return redirect("admin:ratings_ratingpad_changelist")
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": "新增评价器", "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/ratings/ratingpad/create.html", context)

    # --- the pad itself -------------------------------------------------------------------------

    def pad_view(self, request):
        pad = services.pad_of(request.user)
        if pad is None:
            raise PermissionDenied("该页面只供窗口评价器的设备账号使用。")
        if request.method == "POST":
            return self._pad_post(request, pad)
        rated = None
        rated_id = request.GET.get("rated", "")
        if rated_id.isdigit():
            rated = Rating.objects.filter(pk=rated_id, recorded_by=request.user).select_related("case").first()
        case = None if rated else services.pad_case(pad)
        on_duty = []
        if case is None and rated is None:
            away = presence.away_staff_ids()
            on_duty = [s for s in pad.window.staff.filter(is_active=True).order_by("badge_no") if s.pk not in away]
        context = {
            "pad": pad,
            "window": pad.window,
            "case": case,
            "rated": rated,
            "levels": [(value, label, LEVEL_STYLES[value]) for value, label in RatingLevel.choices],
            "tags": RatingTag.choices,
            "on_duty": on_duty,
            "thanks": request.GET.get("thanks") == "1",
            "error": request.GET.get("error") == "1",
        }
        return TemplateResponse(request, "ratings/pad.html", context)

    def _pad_post(self, request, pad):
        pad_url = reverse("admin:ratings_pad")
        action = request.POST.get("action")
        try:
            if action == "rate":
                from casework.models import Case

                case = Case.objects.filter(pk=request.POST.get("case") if str(request.POST.get("case", "")).isdigit() else None).first()
                level = request.POST.get("level", "")
                if case is None or not level.isdigit():
                    raise ValidationError("请点选评价等级。")
                rating = services.pad_rate(pad=pad, case=case, level=int(level), user=request.user)
                return redirect(f"{pad_url}?rated={rating.pk}")
            if action == "tags":
                rating_id = request.POST.get("rating", "")
                rating = Rating.objects.filter(pk=rating_id if rating_id.isdigit() else None, recorded_by=request.user).first()
                if rating is None:
                    raise ValidationError("评价不存在。")
                form = forms.PadTagsForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("评价标签无效。")
                services.pad_add_tags(pad=pad, rating=rating, tags=form.cleaned_data["tags"], user=request.user)
                return redirect(f"{pad_url}?thanks=1")
        except (ValidationError, PermissionDenied):
            return redirect(f"{pad_url}?error=1")
        return redirect(pad_url)
