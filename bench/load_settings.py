"""Settings for bench/load.py --processes N: the benchmark's test settings (its users' passwords are
hashed with the test hasher), but tasks go to the broker (Q_BROKER=redis) instead of running inline, and
e-mails are written to files (EMAIL_FILE_PATH) so the load script can count what was sent."""

import os

from portal.settings.test import *  # noqa: F403
from portal.settings.test import Q_CLUSTER

# its own queue name, so a load run never takes (or leaves) tasks of another cluster on the same Redis
Q_CLUSTER = {
    **Q_CLUSTER,
    "name": os.environ.get("Q_CLUSTER_NAME", "portal-load"),
    "sync": False,
    "workers": int(os.environ.get("Q_WORKERS", "2")),
}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "/tmp/portal-load-mail")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
