from __future__ import annotations

from dataclasses import dataclass, field

DIFFICULTIES = ("easy", "medium", "hard")
STATUSES = ("published", "draft")


@dataclass
class TopicData:
    slug: str
    name: str
    # None: the format carries no description (GIFT categories, Q/A "Topic:" lines). The import
    # then treats the topic as a reference: it reuses an existing topic with this slug or name and
    # leaves it as it is, and only creates it when there is none.
    description: str | None = ""


@dataclass
class KeyPointData:
    label: str
    phrasings: list[str] = field(default_factory=list)
    concept: str = ""  # "" : not tagged


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
    # Things a codec skipped without failing (e.g. a Moodle multiple-choice question).
    warnings: list[Problem] = field(default_factory=list)

    def extend(self, other: Bundle) -> None:
        known = {t.slug: i for i, t in enumerate(self.topics)}
        for topic in other.topics:
            if topic.slug not in known:
                known[topic.slug] = len(self.topics)
                self.topics.append(topic)
            elif self.topics[known[topic.slug]].description is None and topic.description is not None:
                # A full declaration (JSON, CSV) wins over a bare reference by name.
                self.topics[known[topic.slug]] = topic
        self.questions += other.questions
        self.warnings += other.warnings


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}" if where else self.message


class FormatError(Exception):
    """The input could not be read; `problems` says where and why, one entry per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
