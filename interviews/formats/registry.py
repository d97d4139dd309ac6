"""Which codec reads which file, and reading files safely (size, binary, encoding).

The one path for every import: the commands (and an admin upload) call `read_paths`,
`parse_stream` or `parse_bytes`, then `services.bank_import.bank_import`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from interviews.formats import anki_format, csv_format, gift_format, json_format, qa_text_format
from interviews.formats.types import Bundle, FormatError, Problem

MAX_BYTES = 20 * 1024 * 1024

CODECS: dict[str, ModuleType] = {
    "json": json_format,
    "csv": csv_format,
    "gift": gift_format,
    "qa": qa_text_format,
    "anki": anki_format,
}
# Longest first: "bank.gift.txt" is GIFT, "bank.txt" is Q/A text (or Anki's, see `parse_bytes`).
EXTENSIONS = {".gift.txt": "gift", ".json": "json", ".csv": "csv", ".gift": "gift", ".txt": "qa"}
# What `export_questions -o` would name a file of each format.
FILE_EXTENSIONS = {"json": ".json", "csv": ".csv", "gift": ".gift", "qa": ".txt", "anki": ".txt"}


def codec(name: str) -> ModuleType:
    try:
        return CODECS[name]
    except KeyError:
        raise FormatError([Problem("", None, f"unknown format {name!r}; known: {', '.join(sorted(CODECS))}")]) from None


def _extension_format(filename: str) -> str | None:
    lower = Path(filename).name.lower()
    return next((fmt for ext, fmt in EXTENSIONS.items() if lower.endswith(ext)), None)


def format_for(filename: str, explicit: str | None = None) -> str:
    if explicit:
        codec(explicit)
        return explicit
    fmt = _extension_format(filename)
    if fmt is None:
        suffix = Path(filename).suffix or "no extension"
        known = ", ".join(EXTENSIONS)
        raise FormatError(
            [Problem(filename, None, f"can't tell the format from {suffix!r} (known: {known}); pass --format")]
        )
    return fmt


def _too_big(filename: str, size: int) -> FormatError:
    return FormatError(
        [Problem(filename, None, f"file is {size / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB")]
    )


def decode(data: bytes, filename: str) -> str:
    """The file's text, or a FormatError for a file that is too big, binary or not UTF-8."""
    if len(data) > MAX_BYTES:
        raise _too_big(filename, len(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError([Problem(filename, None, "the file is UTF-16; save it as UTF-8")])
    if b"\x00" in data[:8192]:
        raise FormatError([Problem(filename, None, "looks like a binary file, not text")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(
            [
                Problem(
                    filename,
                    line,
                    f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
                )
            ]
        ) from None
    # Windows line ends inside a quoted CSV cell or a GIFT text would otherwise reach the database.
    return text.replace("\r\n", "\n")


def parse_bytes(data: bytes, filename: str, fmt: str | None = None) -> Bundle:
    """Parse a file's bytes. Anki saves its plain-text notes as `.txt`, the extension of Q/A text, so
    without an explicit format a `.txt` file whose first line is an Anki header (`#separator:tab`...)
    is read as Anki's: a Q/A file has no reason to start with one."""
    name = format_for(filename, fmt)
    text = decode(data, filename)
    if not fmt and name == "qa" and anki_format.looks_like_anki(text):
        name = "anki"
    return codec(name).parse(text, filename)


def parse_stream(stream: BinaryIO, filename: str, fmt: str | None = None, size: int | None = None) -> Bundle:
    """Parse an open binary file (an upload), reading at most MAX_BYTES + 1 bytes of it."""
    format_for(filename, fmt)  # an unknown format fails before anything is read
    if size is not None and size > MAX_BYTES:
        raise _too_big(filename, size)
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_big(filename, size or len(data))
    return parse_bytes(data, filename, fmt)


def _files(paths: list[Path], fmt: str | None) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and (fmt or _extension_format(p.name))
            )
        else:
            files.append(path)
    return files


def read_paths(paths: list[Path], fmt: str | None = None) -> Bundle:
    """Read files (a directory means every file in it with a known extension) into one bundle.

    Every file is read before any error is raised, so one run reports all the problems. A file over
    the size limit is refused from its size on disk, before it is read.
    """
    bundle, problems = Bundle(), []
    files = _files(paths, fmt)
    if not files:
        raise FormatError([Problem(", ".join(str(p) for p in paths), None, "no bank files found")])
    for file in files:
        try:
            size = file.stat().st_size
            if size > MAX_BYTES:
                raise _too_big(str(file), size)
            with file.open("rb") as stream:
                bundle.extend(parse_stream(stream, str(file), fmt, size=size))
        except FormatError as exc:
            problems += exc.problems
        except OSError as exc:
            problems.append(Problem(str(file), None, f"can't read: {exc.strerror or exc}"))
    if problems:
        raise FormatError(problems)
    return bundle
