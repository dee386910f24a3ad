"""Production settings refuse to start half-configured, and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.gov.uk",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(missing, message):
    result = _run({**GOOD_ENV, **missing}, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_passes_the_deployment_checks_with_no_warning():
    result = _run(GOOD_ENV, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_site_wide_locale_is_england(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


# --- Beyond one machine (issue 12): each shared part is chosen by an environment variable -----------

SHOW = (
    "import json; from django.conf import settings; from django.core.files.storage import storages;"
    "from django_q.brokers import get_broker; s = storages['default'];"
    "print(json.dumps({'broker': type(get_broker()).__name__, 'orm': settings.Q_CLUSTER.get('orm'),"
    " 'redis': settings.Q_CLUSTER.get('redis'), 'storage': type(s).__name__,"
    " 'bucket': getattr(s, 'bucket_name', None), 'endpoint': getattr(s, 'endpoint_url', None),"
    " 'url': s.url('forms/1/report.pdf') if hasattr(s, 'bucket_name') else None,"
    " 'sessions': settings.SESSION_ENGINE, 'cache': settings.CACHES['default']['BACKEND']}))"
)


def _shown(env: dict[str, str]) -> dict:
    import json

    result = _run({**GOOD_ENV, **env}, "shell", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_one_machine_by_default_orm_broker_disk_files_database_sessions__issue12():
    shown = _shown({})
    assert (shown["broker"], shown["orm"], shown["redis"]) == ("ORM", "default", None)
    assert shown["storage"] == "FileSystemStorage"
    assert shown["sessions"] == "django.contrib.sessions.backends.db"


def test_redis_broker_and_s3_storage_are_chosen_by_environment__issue12():
    """No network: the broker and the storage are built and a signed URL is made, nothing is sent."""
    shown = _shown(
        {
            "Q_BROKER": "redis",
            "REDIS_URL": "redis://redis.internal:6379/2",
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": "council-portal-uploads",
            "AWS_S3_ENDPOINT_URL": "https://objects.example.gov.uk",
            "AWS_S3_REGION_NAME": "eu-west-2",
            "AWS_ACCESS_KEY_ID": "test-key",
            "AWS_SECRET_ACCESS_KEY": "test-secret",
            "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
            "CACHE_BACKEND": "redis",
        }
    )
    assert (shown["broker"], shown["orm"], shown["redis"]) == ("Redis", None, "redis://redis.internal:6379/2")
    assert (shown["storage"], shown["bucket"]) == ("S3Storage", "council-portal-uploads")
    assert shown["endpoint"] == "https://objects.example.gov.uk"
    url = shown["url"]  # private files: a short-lived signed link, never a public one
    assert url.startswith("https://objects.example.gov.uk/council-portal-uploads/forms/1/report.pdf?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    assert shown["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(("name", "value"), [("Q_BROKER", "rabbit"), ("STORAGE_BACKEND", "ftp")])
def test_an_unknown_broker_or_storage_is_refused__issue12(name, value):
    result = _run({**GOOD_ENV, name: value}, "check")
    assert result.returncode != 0 and f"{name} must be" in result.stderr
