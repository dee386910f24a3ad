"""Production: refuses to start without a secret key and allowed hosts; HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEFAULT_STORAGE, SECRET_KEY, SILENCED_SYSTEM_CHECKS, env_bool

DEBUG = False
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of 50 or more characters.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this portal is served on.")
if "NotifyEmailBackend" in EMAIL_BACKEND and not (
    os.environ.get("GOVUK_NOTIFY_API_KEY") and os.environ.get("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID")
):
    raise ImproperlyConfigured(
        "GOV.UK Notify needs GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID "
        "(see docs/reminders.md)."
    )

STORAGES = {
    "default": DEFAULT_STORAGE,  # the disk, or S3-compatible storage (STORAGE_BACKEND=s3)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail previews use a same-origin iframe
# Django warns unless DENY; SAMEORIGIN still refuses every other site, and Wagtail's preview needs it.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]
SECURE_REFERRER_POLICY = "same-origin"
