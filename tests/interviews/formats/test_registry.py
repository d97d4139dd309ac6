import io
import subprocess
import sys
from pathlib import Path

import pytest

from interviews.formats import FormatError, registry
from interviews.formats.json_format import serialise


@pytest.mark.parametrize(
    ("filename", "fmt"),
    [("bank.json", "json"), ("Bank.CSV", "csv"), ("quiz.gift", "gift"), ("quiz.gift.txt", "gift"), ("q.txt", "qa")],
)
def test_the_extension_picks_the_codec(filename, fmt):
    assert registry.format_for(filename) == fmt


def test_an_unknown_extension_asks_for_format():
    with pytest.raises(FormatError, match=r"can't tell the format from '\.docx'.*pass --format"):
        registry.format_for("bank.docx")


def test_an_explicit_format_wins_over_the_extension():
    assert registry.format_for("bank.dat", "csv") == "csv"


def test_binary_data_is_refused():
    with pytest.raises(FormatError, match="binary file"):
        registry.parse_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture.json")


def test_invalid_utf8_names_the_line():
    with pytest.raises(FormatError) as exc:
        registry.parse_bytes(b"Q1: fine\nAnswer: caf\xe9\n", "latin1.txt")
    assert str(exc.value.problems[0]) == (
        "latin1.txt:2: not valid UTF-8 (byte 0xe9 at offset 20); save the file as UTF-8"
    )


def test_utf16_gets_its_own_message():
    with pytest.raises(FormatError, match="UTF-16; save it as UTF-8"):
        registry.parse_bytes("Q1: x\nA: y\n".encode("utf-16"), "q.txt")


def test_a_utf8_byte_order_mark_is_accepted(bundle):
    data = b"\xef\xbb\xbf" + serialise(bundle).encode()
    assert len(registry.parse_bytes(data, "bank.json").questions) == 2


class _Endless(io.RawIOBase):
    """A stream that would never end: proves the reader stops at the limit."""

    def __init__(self):
        self.served = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"a" * len(buffer)
        self.served += len(buffer)
        return len(buffer)


def test_a_stream_is_read_only_up_to_the_limit():
    stream = _Endless()
    with pytest.raises(FormatError, match=r"the limit is 20 MB"):
        registry.parse_stream(io.BufferedReader(stream), "upload.txt")
    assert stream.served <= registry.MAX_BYTES + 1 + io.DEFAULT_BUFFER_SIZE


def test_an_oversized_upload_is_refused_from_its_declared_size():
    stream = io.BytesIO(b"")
    with pytest.raises(FormatError, match=r"file is 50.0 MB; the limit is 20 MB"):
        registry.parse_stream(stream, "upload.csv", size=50 * 2**20)
    assert stream.tell() == 0


def test_a_directory_reads_every_known_file_and_reports_all_problems(tmp_path, bundle):
    (tmp_path / "good.json").write_text(serialise(bundle), encoding="utf-8")
    (tmp_path / "bad.txt").write_text("Q1: no answer\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "worse.csv").write_bytes(b"\x00\x01")
    with pytest.raises(FormatError) as exc:
        registry.read_paths([tmp_path])
    assert sorted(str(p).replace(str(tmp_path), "") for p in exc.value.problems) == [
        "/bad.txt:1: Q1 has no answer (write it after the question, or on an 'Answer:' line)",
        "/worse.csv: looks like a binary file, not text",
    ]


def test_an_empty_directory_says_so(tmp_path):
    with pytest.raises(FormatError, match="no bank files found"):
        registry.read_paths([tmp_path])


def test_the_codecs_do_not_import_django():
    code = (
        "import sys, interviews.formats.registry\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "assert not loaded, loaded\n"
    )
    root = Path(registry.__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)  # noqa: S603 - our own interpreter


def test_windows_line_ends_do_not_reach_the_texts():
    data = b'slug,topic,prompt,references\r\nq,cnn-vision,"Two\r\nlines",Ref.\r\n'
    assert registry.parse_bytes(data, "excel.csv").questions[0].prompt == "Two\nlines"


ANKI_TEXT = "#separator:tab\n#html:true\n#deck:Vision\nWhat does a pooling layer do?\tIt downsamples.<br>Cheaply.\n"


def test_a_txt_file_that_starts_with_an_anki_header_is_read_as_anki():
    question = registry.parse_bytes(ANKI_TEXT.encode(), "deck.txt").questions[0]
    assert (question.topic, question.references) == ("vision", ["It downsamples.\nCheaply."])


def test_a_directory_sniffs_each_txt_file(tmp_path):
    (tmp_path / "deck.txt").write_text(ANKI_TEXT, encoding="utf-8")
    (tmp_path / "seed.txt").write_text("Topic: Vision\nQ1: Why pool?\nAnswer: To downsample.\n", encoding="utf-8")
    bundle = registry.read_paths([tmp_path])
    assert [(q.source, q.prompt) for q in bundle.questions] == [
        ("deck.txt, line 4", "What does a pooling layer do?"),
        ("seed.txt, Q1", "Why pool?"),
    ]


def test_an_explicit_format_is_not_second_guessed_by_the_content():
    assert registry.parse_bytes(ANKI_TEXT.encode(), "deck.txt", "qa").questions == []
    assert registry.format_for("deck.dat", "anki") == "anki"
    assert registry.parse_bytes(b"Why?\tBecause.\n", "deck.dat", "anki").questions[0].prompt == "Why?"


def test_every_export_reads_back_under_the_file_name_export_questions_gives_it(bundle):
    for name, codec in registry.CODECS.items():
        data = codec.serialise(bundle).encode()
        filename = f"bank{registry.FILE_EXTENSIONS[name]}"
        assert len(registry.parse_bytes(data, filename).questions) == 2, name
