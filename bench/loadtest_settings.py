"""Settings of the server `make loadtest` starts: the project's, with DEBUG off, served over plain http
on 127.0.0.1 (no TLS proxy in front, so cookies are not marked Secure and nothing redirects to https)."""

from project.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
