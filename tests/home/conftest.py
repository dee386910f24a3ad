from tests.workflows.conftest import county, people  # noqa: F401 - shared fixtures
