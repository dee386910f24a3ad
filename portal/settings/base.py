"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "workflows",
    "workflows.procedures",
    "forms_builder",
    "dashboards",
    "outbox",
    "reminders",
    "audit",
    "demo",
    "home",
    "simple_history",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_fsm",
    "django_tables2",
    "django_filters",
    "django_q",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the built-in widget templates, for GovukFormRenderer (portal.govuk_forms)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who changed what (audit.history)
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.ReadOnlyRolesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page (portal.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
                "reminders.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# GOV.UK Frontend from npm, copied with relative font/image URLs by scripts/govuk_assets.py (make setup).
GOVUK_FRONTEND_BUILD = BASE_DIR / "build" / "govuk"
if GOVUK_FRONTEND_BUILD.exists():
    STATICFILES_DIRS.append(("govuk", GOVUK_FRONTEND_BUILD))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files: on this machine's disk (MEDIA_ROOT) by default; STORAGE_BACKEND=s3 puts them in an
# S3-compatible bucket through django-storages (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL for a
# non-AWS service, AWS_S3_REGION_NAME, and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the machine's
# role), private, never overwritten, read through short-lived signed URLs.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem").strip().lower()
if STORAGE_BACKEND == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
elif STORAGE_BACKEND == "filesystem":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ValueError(f"STORAGE_BACKEND must be 'filesystem' or 's3', not {STORAGE_BACKEND!r}")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "placement-stability@localhost")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # a hung SMTP server cannot outlive a lease
# GOV.UK Notify (optional, issue 13): EMAIL_BACKEND=django_gov_notify.backends.NotifyEmailBackend with the
# service's API key and the id of a Notify e-mail template whose subject is ((subject)) and body ((body)).
GOVUK_NOTIFY_API_KEY = os.environ.get("GOVUK_NOTIFY_API_KEY", "")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = os.environ.get("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", "")

# Sign-in lockout (django-axes), on the worker site and the CMS alike: both sign in through
# django.contrib.auth.authenticate(request, ...). Five wrong passwords for one username lock that
# username for 15 minutes, from every address. Locking the username (not username + address) is
# deliberate: these accounts open confidential records of children, and a guesser with many addresses
# must not get five tries from each. Its cost (anyone can lock a named colleague out for 15 minutes)
# is bounded by the cool-off, which further tries do not extend, and by the unlock a team manager
# gives from "Locked accounts" (portal.lockout) or `manage.py axes_reset_username USERNAME`.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "portal.lockout.lockout_response"
# axes.W006 warns that a lock without the address can be dodged by changing User-Agent or cookies:
# that holds for locks that include them, not for this one, which counts every try at a username.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Behind a proxy the client address comes from X-Forwarded-For (production sets the proxy count).
AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_PROXY_COUNT"]) if os.environ.get("AXES_PROXY_COUNT") else None

# Content-Security-Policy (django-csp). The worker site runs no inline script or style and loads
# nothing from elsewhere; tests/portal/test_headers.py keeps the templates that way. The CMS gets
# CMS_CONTENT_SECURITY_POLICY instead (portal.middleware.ContentSecurityPolicyMiddleware): Wagtail's
# admin still writes inline scripts and styles (wagtail/wagtail#1288).
_CSP_STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_STRICT}
CMS_CONTENT_SECURITY_POLICY = {
    **_CSP_STRICT,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
}
CMS_URL_PREFIX = "/cms/"
# Permissions-Policy (django-permissions-policy): the portal uses none of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Wagtail: the policy owners' and auditors' home, named after the council (PORTAL_COUNCIL_NAME below).
WAGTAIL_SITE_NAME = os.environ.get("PORTAL_COUNCIL_NAME", "Placement stability portal")
# No Gravatar: avatars would be fetched from a third party (and show as broken images offline).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_WORKFLOW_ENABLED = True
# Policy owners publish only through the approval workflow; an approval publishes (workflows.procedures).
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.procedures.publishing.workflow_state_publish"
# No e-mailed password reset: the worker site has none, and the CMS's would let anyone with a staff
# e-mail address ask for reset links at will. A CMS administrator sets a new password (CMS > Users).
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Nor does the CMS ask releases.wagtail.org for new versions (the CSP refuses it; upgrades come through
# the lock files).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# django-q2: reminders, escalations and large exports (ORM broker, no extra service).
# A task runs at most 2 minutes and a task whose worker died is handed out again after 3 (not 15):
# outbox messages are also taken back by the every-minute sweep when their 2-minute lease runs out.
Q_CLUSTER = {
    "name": "portal",
    "orm": "default",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": int(os.environ.get("Q_TIMEOUT", "120")),
    "retry": int(os.environ.get("Q_RETRY", "180")),
    "max_attempts": 3,
    "catch_up": False,
    "sync": env_bool("Q_SYNC", False),
}
# Beyond one machine (issue 12): Q_BROKER=redis puts the task queue on Redis (REDIS_URL), so several
# qcluster processes on several machines share it; the schedules and results stay in the database.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
Q_BROKER = os.environ.get("Q_BROKER", "orm").strip().lower()
if Q_BROKER == "redis":
    Q_CLUSTER = {k: v for k, v in Q_CLUSTER.items() if k != "orm"} | {"redis": REDIS_URL}
elif Q_BROKER != "orm":
    raise ValueError(f"Q_BROKER must be 'orm' or 'redis', not {Q_BROKER!r}")

# Sessions in the database by default (every web process sees every session); SESSION_ENGINE may name
# Django's cache or cached_db engine, with CACHE_BACKEND=redis to share that cache between processes.
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
if os.environ.get("CACHE_BACKEND", "").strip().lower() == "redis":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# Lists (issue 12): a user whose access rows reach at least this share of all children (an IRO service
# manager), and anyone whose role-wide scope is wide (buyers: portal.choices.ROLE_WIDE_ROLES), has
# their lists read in page order with the rule checked row by row (portal.access.wide_scopes_mark,
# nightly); not below PORTAL_WIDE_SCOPE_MIN_CHILDREN children, where it makes no odds.
PORTAL_WIDE_SCOPE_FRACTION = float(os.environ.get("PORTAL_WIDE_SCOPE_FRACTION", "0.25"))
PORTAL_WIDE_SCOPE_MIN_CHILDREN = int(os.environ.get("PORTAL_WIDE_SCOPE_MIN_CHILDREN", "5000"))

# Working-day deadlines (G2): the default calendar of an installation.
PORTAL_DEFAULT_CALENDAR = os.environ.get("PORTAL_DEFAULT_CALENDAR", "ENG")
PORTAL_COUNCIL_NAME = os.environ.get("PORTAL_COUNCIL_NAME", "Placement stability portal")

# A form started for a meeting (?subject=<reference>) is prefilled from it and, once submitted,
# attached to it (workflows.form_links).
FORMS_BUILDER_SUBJECT_RESOLVER = "workflows.form_links.meeting_for_subject"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "portal.log_filters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail's background tasks (search index, reference index) log every run at INFO.
        "django_tasks": {"level": "WARNING"},
        # A refused request (403) is one line with its reason, not a traceback; printed once (not also
        # by Django's own DEBUG console handler on the "django" logger).
        "django.request": {"filters": ["one_line_refusals"], "handlers": ["console"], "propagate": False},
    },
}
