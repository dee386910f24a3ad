"""Random and hostile answers to every shipped form get validation messages, never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms_builder.choices import FieldType, SubmissionStatus
from forms_builder.models import FormSubmission
from forms_builder.services import submission_start

from .conftest import SHIPPED_KEYS
from .helpers import load_form

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "' OR 1=1 --",
    "../../etc/passwd",
    "9" * 400,
    "1e999999",
    "NaN",
    "-Infinity",
    "2026-02-30",
    "31/02/2026",
    "0000-00-00",
    "9999-12-31T25:61",
    "yes",
    "no",
    "Neither",
    "-1",
    "999999999999999999999",
    "\u202e\ufeff\ud7ff",
    "x" * 60_000,
]

values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))


def post_strategy(spec):
    keys = []
    for f in spec.fields():
        if f.type == FieldType.REPEATING_GROUP:
            keys.append(f"{f.key}-rows")
            for i in range(3):
                keys.extend(f"{f.key}-{i}-{c.key}" for c in f.columns)
            keys.append(f"{f.key}-0-DELETE")
        elif f.type != FieldType.FILE:
            keys.append(f.key)
    keys += ["add_row", "remove_row", "unknown_key"]
    return st.dictionaries(
        st.sampled_from(keys),
        st.one_of(values, st.lists(values, max_size=3)),
        max_size=len(keys),
    )


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_hostile_posts_never_cause_a_server_error(client, case, key):
    definition = load_form(key)
    submission = submission_start(definition=definition, child=case["child"], by=case["worker"])
    client.force_login(case["worker"])
    client.raise_request_exception = True
    edit_url = reverse("forms_builder:edit", args=[submission.pk])
    autosave_url = reverse("forms_builder:autosave", args=[submission.pk])
    view_url = reverse("forms_builder:view", args=[submission.pk])
    print_url = reverse("forms_builder:print", args=[submission.pk])

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        data=post_strategy(submission.spec),
        action=st.sampled_from(["submit", "save", "autosave"]),
        version=st.one_of(st.just(None), st.just(None), st.just(None), values),
    )
    def run(data, action, version):
        FormSubmission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.DRAFT)
        current = FormSubmission.objects.get(pk=submission.pk).version
        data["version"] = str(current) if version is None else version
        if action == "autosave":
            response = client.post(autosave_url, data)
            # 400: an answer longer than its question holds is refused with a message (never cut short).
            assert response.status_code in (200, 400, 409)
            return
        data[action] = "1"
        response = client.post(edit_url, data)
        assert response.status_code in (200, 302, 400)
        if response.status_code in (200, 400):
            page = response.content.decode()
            assert "There is a problem" in page or "Not saved" in page
        # Whatever was stored, the read-only and print views still render.
        assert client.get(view_url).status_code == 200
        assert client.get(print_url).status_code == 200

    run()


@pytest.mark.parametrize("child", ["99999999999999999999999", "-1", "abc", "", "1e5", "١"])
def test_hostile_start_parameters_get_404(client, case, child):
    load_form("psm-report")
    client.force_login(case["worker"])
    url = reverse("forms_builder:start", args=["psm-report"])
    assert client.get(url, {"child": child}).status_code == 404
    assert client.get(url, {"child": case["child"].pk, "placement": "9" * 30}).status_code == 404
