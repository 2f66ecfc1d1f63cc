"""Sign-in records and lock-out after repeated failures (history review, issue 10)."""

import datetime

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone

from .models import LoginEvent, LoginEventKind, SecuritySettings


def client_address(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def locked_until(username: str) -> datetime.datetime | None:
    """When the lock of `username` ends, or None: N failures within the lock window lock the account."""
    settings = SecuritySettings.load()
    since = timezone.now() - datetime.timedelta(minutes=settings.lockout_minutes)
    last_success = (
        LoginEvent.objects.filter(username=username, kind=LoginEventKind.LOGIN, at__gte=since).order_by("-at").values_list("at", flat=True).first()
    )
    failures = LoginEvent.objects.filter(username=username, kind=LoginEventKind.FAILED, at__gte=last_success or since)
    if failures.count() < settings.max_failed_logins:
        return None
    latest = failures.order_by("-at").values_list("at", flat=True).first()
    return latest + datetime.timedelta(minutes=settings.lockout_minutes)


class LockoutBackend(ModelBackend):
    """The model backend, refusing an account that is locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and locked_until(username):
            LoginEvent.objects.create(kind=LoginEventKind.LOCKED, username=username, address=client_address(request))
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class CenterLoginForm(AdminAuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        until = locked_until(username) if username else None
        if until:
            raise ValidationError(
                f"该账号因连续多次登录失败已被锁定,请于{timezone.localtime(until):%H:%M}后再试,或联系中心管理员。",
                code="locked",
            )
        return super().clean()


# Infrastructure signals: recording sign-ins is not domain logic.
@receiver(user_logged_in, dispatch_uid="project.login")
def record_login(sender, request, user, **kwargs):
    LoginEvent.objects.create(kind=LoginEventKind.LOGIN, user=user, username=user.get_username(), address=client_address(request))


@receiver(user_logged_out, dispatch_uid="project.logout")
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        LoginEvent.objects.create(kind=LoginEventKind.LOGOUT, user=user, username=user.get_username(), address=client_address(request))


@receiver(user_login_failed, dispatch_uid="project.failed")
def record_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    if username and not locked_until(username):
        LoginEvent.objects.create(kind=LoginEventKind.FAILED, username=username, address=client_address(request))
