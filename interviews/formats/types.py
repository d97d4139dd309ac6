from __future__ import annotations

from dataclasses import dataclass, field

DIFFICULTIES = ("easy", "medium", "hard")
STATUSES = ("published", "draft")


@dataclass
class TopicData:
    slug: str
    name: str
    description: str = ""


@dataclass
class KeyPointData:
    label: str
    phrasings: list[str] = field(default_factory=list)


@dataclass
class QuestionData:
    slug: str
    topic: str  # a topic slug
    prompt: str
    references: list[str]
    key_points: list[KeyPointData] = field(default_factory=list)
    difficulty: str = "medium"
    time_limit_seconds: int = 180
    status: str = "published"
    source: str = ""
    uuid: str | None = None
    # Where the question was read from, for error messages.
    file: str = ""
    line: int | None = None


@dataclass
class Bundle:
    topics: list[TopicData] = field(default_factory=list)
    questions: list[QuestionData] = field(default_factory=list)

    def extend(self, other: Bundle) -> None:
        known = {t.slug for t in self.topics}
        self.topics += [t for t in other.topics if t.slug not in known]
        self.questions += other.questions


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class FormatError(Exception):
    """The input could not be read; `problems` says where and why, one entry per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
