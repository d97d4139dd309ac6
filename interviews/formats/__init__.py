"""Import/export codecs for the question bank: pure parse and serialise, no Django.

Every codec turns text into a `Bundle` (or a `FormatError` listing each problem with its file and
line) and a `Bundle` back into text. `services.bank_import` writes a bundle to the database.
"""

from interviews.formats.types import (
    Bundle,
    FormatError,
    KeyPointData,
    Problem,
    QuestionData,
    TopicData,
)

__all__ = ["Bundle", "FormatError", "KeyPointData", "Problem", "QuestionData", "TopicData"]
