"""Local demo and development: SQLite by default, debug on, a throwaway key."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
PORTAL_COUNCIL_NAME = os.environ.get("PORTAL_COUNCIL_NAME", "Harrowvale County Council")  # the demo council
WAGTAIL_SITE_NAME = PORTAL_COUNCIL_NAME
