from zoneinfo import ZoneInfo

from accounts import time_zones


def test_the_choice_is_the_browsers_iana_names_without_legacy_aliases():
    names = time_zones.names()
    assert {"Europe/Paris", "America/Los_Angeles", "Asia/Kolkata", "UTC"} <= names
    assert not {"US/Pacific", "Etc/GMT+3", "EST5EDT"} & names
    assert time_zones.choices()[0] == ("", "The site's time zone")
    assert ("America/Los_Angeles", "America/Los Angeles") in time_zones.choices()


def test_only_known_names_give_a_zone():
    assert time_zones.zone("Asia/Tokyo") == ZoneInfo("Asia/Tokyo")
    assert time_zones.zone("") is None
    assert time_zones.zone("Mars/Olympus_Mons") is None
    assert time_zones.zone("../../etc/passwd") is None
