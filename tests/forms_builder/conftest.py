from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import ChildFactory, InvolvementFactory, PlacementFactory, UserFactory
from workflows.form_packs import forms_load

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"
SHIPPED = {
    "county": [
        "psm-report",
        "psm-minutes",
        "dm-request",
        "dm-report-social-worker",
        "dm-report-residential",
        "dm-report-supervising-social-worker",
        "dm-minutes",
    ],
    "regional": ["bpm-report", "bpm-carer-assessment", "bpm-minutes"],
}
SHIPPED_KEYS = [key for keys in SHIPPED.values() for key in keys]


@pytest.fixture
def shipped_forms(db):
    """Every form both packs ship, loaded and published: key -> FormDefinition."""
    loaded = forms_load(PACKS / "county") + forms_load(PACKS / "regional")
    return {d.key: d for d in loaded}


@pytest.fixture
def case(db):
    """A child with a placement, a social worker (the author) and a supervising social worker."""
    placement = PlacementFactory()
    child = placement.child
    ssw = UserFactory(role="supervising_social_worker")
    InvolvementFactory(child=child, user=ssw, role="supervising_social_worker")
    return {"child": child, "placement": placement, "worker": child.social_worker, "ssw": ssw}


__all__ = ["ChildFactory", "SHIPPED_KEYS"]
