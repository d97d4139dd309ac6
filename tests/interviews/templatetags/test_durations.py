import pytest

from interviews.templatetags.durations import duration


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00"),
        (5, "0:05"),
        (59, "0:59"),
        (60, "1:00"),
        (95, "1:35"),
        (600, "10:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3725, "1:02:05"),
        (-3, "0:00"),
        ("90", "1:30"),
        (None, ""),
        ("", ""),
    ],
)
def test_duration_reads_as_a_clock(seconds, shown):
    assert duration(seconds) == shown
