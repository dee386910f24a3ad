from tests.workflows.conftest import county, people, regional  # noqa: F401 - shared fixtures
