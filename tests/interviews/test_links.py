import uuid

from django.urls import get_script_prefix, reverse, set_script_prefix

from interviews.links import interview_url


def test_an_item_url_is_the_reversed_url():
    interview = uuid.uuid4()
    for name in ("item_answer", "item_draft", "item_skip", "item_flag", "item_goto"):
        assert interview_url(name, interview, 3) == reverse(f"interviews:{name}", args=[interview, 3])
    assert interview_url("interview_finish", interview) == reverse("interviews:interview_finish", args=[interview])


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
