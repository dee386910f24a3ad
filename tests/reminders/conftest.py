import pytest

from tests.workflows.factories import People, load_pack


@pytest.fixture
def people(db) -> People:
    return People()


@pytest.fixture
def county(db):
    return load_pack("county")
