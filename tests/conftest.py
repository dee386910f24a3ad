import pytest


@pytest.fixture(autouse=True)
def _media_and_tasks(settings):
    """Every test: tasks run inline (django-q2 sync), emails in memory."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
