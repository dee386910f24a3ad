import pytest

from tests.workflows.factories import People


@pytest.fixture
def people(db) -> People:
    return People()
