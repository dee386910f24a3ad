"""Issue 15: dates are written one way everywhere (portal.dates), GOV.UK style, in the site's time zone."""

from datetime import UTC, date, datetime

from portal import dates
from workflows.deadlines import format_day


def test_dates_have_no_leading_zero_and_use_the_site_time_zone():
    assert dates.day(date(2026, 3, 9)) == "9 Mar 2026"
    assert dates.day_full(date(2026, 3, 9)) == "9 March 2026"
    assert dates.day_with_weekday(date(2026, 3, 9)) == "Mon 9 Mar 2026"
    assert dates.day_long(date(2026, 3, 9)) == "Monday 9 March 2026"
    # 23:30 UTC on 31 Mar 2026 is 00:30 on 1 Apr in London (BST from 29 Mar)
    late = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert dates.day(late) == "1 Apr 2026"
    assert dates.moment(late) == "1 Apr 2026 00:30"
    assert dates.time_on_day(late) == "00:30 on 1 Apr 2026"
    assert dates.moment_long(late) == "Wednesday 1 April 2026 00:30"


def test_deadline_explanations_use_the_same_format():
    assert format_day(date(2025, 12, 19)) == dates.day_with_weekday(date(2025, 12, 19)) == "Fri 19 Dec 2025"
