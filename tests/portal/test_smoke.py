import pytest

from tests.factories import PlacementFactory


@pytest.mark.django_db
def test_health_reports_database_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_placement_category_is_derived_from_903_codes__G1():
    assert PlacementFactory(agency_fostering=True).category == "agency_fostering"
    assert PlacementFactory(connected_person=True).category == "connected_person"
    assert PlacementFactory(in_house_residential=True).category == "in_house_residential"
    assert PlacementFactory(agency_residential=True).category == "agency_residential"
    assert PlacementFactory().category == "in_house_fostering"
