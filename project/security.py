"""Sign-in records and lock-out after repeated failures (history review, issue 10; hardening, issue 21).

django-axes counts the failures and locks one (username, address) pair at a time, so that a stranger
cannot lock the owner out from another address. Its limits come from the security settings
(SecuritySettings); the project's own sign-in records (LoginEvent) keep every attempt for inspectors.
"""

import datetime

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone

from .models import LoginEvent, LoginEventKind, SecuritySettings

USERNAME_LENGTH = LoginEvent._meta.get_field("username").max_length


def client_address(request) -> str | None:
    """The client's address, for the sign-in records and for axes (AXES_CLIENT_IP_CALLABLE).

    Behind a reverse proxy, this is the one place to read the header the proxy sets."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def attempted_username(request, credentials=None) -> str:
    """The username as typed, cut to what the records hold (AXES_USERNAME_CALLABLE): no user has a
    longer one, and a longer one must not break the saving of the failure."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return (username or "")[:USERNAME_LENGTH]


def failure_limit(request=None, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: failures before the lock, from the security settings."""
    return max(SecuritySettings.load().max_failed_logins, SecuritySettings.MIN_FAILED_LOGINS)


def cool_off(request=None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: how long a lock lasts, from the security settings."""
    return datetime.timedelta(minutes=max(SecuritySettings.load().lockout_minutes, SecuritySettings.MIN_LOCKOUT_MINUTES))


def locked_until(username: str, address: str | None) -> datetime.datetime | None:
    last = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(last=Max("attempt_time"))["last"]
    return last + cool_off() if last else None


def lock_message(username: str, address: str | None) -> str:
    until = locked_until(username, address)
    when = f"请于{timezone.localtime(until):%H:%M}后再试" if until else "请稍后再试"
    return f"该账号因连续多次登录失败已被锁定,{when},或联系中心管理员。"


def sign_in_unlock(*, username: str, address: str | None) -> int:
    """Lift the lock of one (username, address) pair and record it; returns the attempts cleared."""
    cleared = AxesProxyHandler.reset_attempts(username=username, ip_address=address)
    LoginEvent.objects.create(kind=LoginEventKind.UNLOCKED, username=username, address=address)
    return cleared


class SignInLockBackend(AxesStandaloneBackend):
    """axes' backend (first in AUTHENTICATION_BACKENDS): it refuses a locked pair before any password
    is checked. It marks the request it refuses, so that the sign-in record says 「locked」."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            # No address, so nothing to lock: code that signs in directly (the test client's login(),
            # a shell). Every sign-in over the web passes its request.
            return None
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            request.sign_in_refused_as_locked = True
            raise


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page with the Chinese lock message (CenterLoginForm), as 429."""
    if original_response is not None and getattr(original_response, "template_name", None):
        original_response.status_code = 429
        return original_response
    username = attempted_username(request, credentials)
    return HttpResponse(lock_message(username, client_address(request)), status=429, content_type="text/plain; charset=utf-8")


class CenterLoginForm(AdminAuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                username = attempted_username(self.request, {"username": self.cleaned_data.get("username")})
                raise ValidationError(lock_message(username, client_address(self.request)), code="locked")
            raise


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
    username = attempted_username(request, credentials)
    if username:
        kind = LoginEventKind.LOCKED if getattr(request, "sign_in_refused_as_locked", False) else LoginEventKind.FAILED
        LoginEvent.objects.create(kind=kind, username=username, address=client_address(request))
