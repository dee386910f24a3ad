import pytest

from .factories import People, load_pack


@pytest.fixture
def people(db) -> People:
    return People()


@pytest.fixture
def county(db):
    return load_pack("county")


@pytest.fixture
def regional(db):
    return load_pack("regional")
