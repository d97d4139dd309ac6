"""Which codec reads which file, and reading files safely (size, binary, encoding)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from interviews.formats import json_format
from interviews.formats.types import Bundle, FormatError, Problem

MAX_BYTES = 20 * 1024 * 1024

CODECS: dict[str, ModuleType] = {"json": json_format}
EXTENSIONS = {".json": "json"}


def codec(name: str) -> ModuleType:
    try:
        return CODECS[name]
    except KeyError:
        raise FormatError(
            [Problem("", None, f"unknown format {name!r}; known: {', '.join(sorted(CODECS))}")]
        ) from None


def format_for(filename: str, explicit: str | None = None) -> str:
    if explicit:
        codec(explicit)
        return explicit
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise FormatError(
            [
                Problem(
                    filename, None, f"can't tell the format from {suffix or 'no extension'!r}; pass --format"
                )
            ]
        )
    return EXTENSIONS[suffix]


def decode(data: bytes, filename: str) -> str:
    """The file's text, or a FormatError for a file that is too big, binary or not UTF-8."""
    if len(data) > MAX_BYTES:
        raise FormatError(
            [
                Problem(
                    filename, None, f"file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB"
                )
            ]
        )
    if b"\x00" in data[:8192]:
        raise FormatError([Problem(filename, None, "looks like a binary file, not text")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError([Problem(filename, line, f"not valid UTF-8 (byte {exc.start})")]) from None


def parse_bytes(data: bytes, filename: str, fmt: str | None = None) -> Bundle:
    name = format_for(filename, fmt)
    return codec(name).parse(decode(data, filename), filename)


def read_paths(paths: list[Path], fmt: str | None = None) -> Bundle:
    """Read files (a directory means every file in it with a known extension) into one bundle.

    Every file is read before any error is raised, so one run reports all the problems.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in EXTENSIONS or fmt)
        else:
            files.append(path)
    bundle, problems = Bundle(), []
    for file in files:
        try:
            if file.stat().st_size > MAX_BYTES:
                raise FormatError(
                    [
                        Problem(
                            str(file),
                            None,
                            f"file is {file.stat().st_size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB",
                        )
                    ]
                )
            bundle.extend(parse_bytes(file.read_bytes(), str(file), fmt))
        except FormatError as exc:
            problems += exc.problems
        except OSError as exc:
            problems.append(Problem(str(file), None, f"can't read: {exc.strerror}"))
    if problems:
        raise FormatError(problems)
    return bundle
