import uuid

from django.urls import get_script_prefix, reverse, set_script_prefix

from interviews.links import interview_url

ITEM_PAGES = ("item_answer", "item_draft", "item_skip", "item_flag", "item_goto")
INTERVIEW_PAGES = ("interview_detail", "interview_finish", "interview_report")
# Among them, UUIDs whose digits look like the placeholders (all zeros, 32767).
UUIDS = [uuid.uuid4(), uuid.UUID(int=0), uuid.UUID("32767327-6732-4767-8276-732767327673")]


def test_an_item_url_is_the_reversed_url():
    for interview in UUIDS:
        for position in (0, 3, 12, 32767):
            for name in ITEM_PAGES:
                expected = reverse(f"interviews:{name}", args=[interview, position])
                assert interview_url(name, interview, position) == expected
        for name in INTERVIEW_PAGES:
            assert interview_url(name, interview) == reverse(f"interviews:{name}", args=[interview])


def test_a_cached_url_follows_the_script_prefix():
    interview = uuid.uuid4()
    plain = interview_url("item_answer", interview, 1)
    before = get_script_prefix()
    set_script_prefix("/prep/")
    try:
        assert interview_url("item_answer", interview, 1) == "/prep" + plain
    finally:
        set_script_prefix(before)
    assert interview_url("item_answer", interview, 1) == plain
