import pytest

from tests.workflows.factories import People, load_pack


@pytest.fixture
def people(db) -> People:  # noqa: ANN001
    return People()


@pytest.fixture
def county(db):  # noqa: ANN001, ANN201
    return load_pack("county")
