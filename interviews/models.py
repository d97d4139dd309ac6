import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Topic(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class QuestionQuerySet(models.QuerySet):
    def published(self) -> "QuestionQuerySet":
        return self.filter(status=QuestionStatus.PUBLISHED)


class Question(models.Model):
    # uuid is the identity that survives export/import across installations; slug is the
    # readable identity in URLs and in the bank's files.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    prompt = models.TextField()
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    status = models.CharField(max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT)
    time_limit_seconds = models.PositiveIntegerField(
        default=180, help_text="Suggested time to answer, in seconds."
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where the question came from.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["topic__name", "slug"]
        indexes = [
            models.Index(fields=["status", "topic", "difficulty"], name="question_browse_idx"),
            models.Index(fields=["updated"], name="question_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_seconds__gte=30, time_limit_seconds__lte=3600),
                name="question_time_limit_range",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("interviews:question_detail", args=[self.slug])


class ReferenceAnswer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="references")
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question", "position", "id"]
        indexes = [models.Index(fields=["updated"], name="reference_updated_idx")]

    def __str__(self) -> str:
        return f"Reference {self.position} for {self.question_id}"


class KeyPoint(models.Model):
    """A point a good answer covers, with the short wordings that show it is covered."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="key_points")
    label = models.CharField(max_length=300)
    phrasings = models.JSONField(default=list, blank=True)
    # The idea the point tests, shared by every question with a point on it ("overfitting"): the
    # progress page counts misses per concept across questions, and "Practise it" lists them all.
    concept = models.CharField(
        max_length=60,
        blank=True,
        help_text="The idea this point tests, worded the same in every question that has one (e.g. “overfitting”).",
    )
    position = models.PositiveSmallIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question", "position", "id"]
        indexes = [models.Index(fields=["updated"], name="keypoint_updated_idx")]

    def __str__(self) -> str:
        return self.label


class AttemptMode(models.TextChoices):
    PRACTICE = "practice", "Practice"
    INTERVIEW = "interview", "Mock interview"
    REVIEW = "review", "Review"


class Attempt(models.Model):
    """One answer a user gave to one question, scored once and kept for good."""

    # No index of its own: the indexes below all begin with the user (one index fewer on every answer's insert).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attempts")
    answer = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=20)
    parts = models.JSONField(default=dict)
    feedback = models.JSONField(default=dict)
    scorer_version = models.CharField(max_length=40)
    time_taken_seconds = models.PositiveIntegerField(null=True, blank=True)
    mode = models.CharField(max_length=12, choices=AttemptMode.choices, default=AttemptMode.PRACTICE)
    # Submitted after the deadline (beyond the network grace): kept, but not counted as on time.
    late = models.BooleanField(default=False)
    # A client-made key per answer form, so a double click or a retry records one attempt.
    submission_key = models.UUIDField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # "I think I was right": recorded beside the score, never changing it.
    contested_at = models.DateTimeField(null=True, blank=True)
    contest_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["user", "question", "-created"], name="attempt_user_q_idx"),
            models.Index(fields=["user", "mode", "-created"], name="attempt_user_mode_idx"),
            # Covers the history filters and the dashboard's grouping without reading the table, and the
            # recent attempts (its first two columns: a (user, -created) index of its own would add nothing).
            models.Index(fields=["user", "-created", "score", "mode", "question"], name="attempt_user_history_idx"),
            models.Index(
                fields=["question"], condition=Q(contested_at__isnull=False), name="attempt_contested_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="attempt_score_0_100"),
            models.UniqueConstraint(fields=["user", "submission_key"], name="attempt_unique_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.question}: {self.score}"

    def get_absolute_url(self) -> str:
        return reverse("interviews:attempt_detail", args=[self.pk])


class InterviewMode(models.TextChoices):
    INTERVIEW = "interview", "Interview (feedback at the end)"
    PRACTICE = "practice", "Practice (feedback after each answer)"


class TimingMode(models.TextChoices):
    WHOLE = "whole", "One time limit for the whole interview"
    PER_QUESTION = "per_question", "A time limit per question"


class InterviewStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"


class Interview(models.Model):
    """A timed mock interview. The clock lives here, on the server: `deadline` is the truth."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: the indexes and constraints in Meta begin with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews", db_index=False
    )
    title = models.CharField(max_length=120, blank=True)
    mode = models.CharField(max_length=12, choices=InterviewMode.choices, default=InterviewMode.INTERVIEW)
    timing = models.CharField(max_length=14, choices=TimingMode.choices, default=TimingMode.WHOLE)
    # Whole interview: the total; per question: the limit of each question.
    time_limit_seconds = models.PositiveIntegerField()
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices, blank=True)
    status = models.CharField(max_length=12, choices=InterviewStatus.choices, default=InterviewStatus.IN_PROGRESS)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)  # whole-interview timing only
    finished_at = models.DateTimeField(null=True, blank=True)
    current_position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "status", "-started_at"], name="interview_user_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_seconds__gte=10, time_limit_seconds__lte=4 * 3600),
                name="interview_time_limit_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Interview {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("interviews:interview_detail", args=[self.uuid])


class ItemState(models.TextChoices):
    PENDING = "pending", "Not answered yet"
    ANSWERED = "answered", "Answered"
    SKIPPED = "skipped", "Skipped"
    UNANSWERED = "unanswered", "Unanswered"


class InterviewItem(models.Model):
    """One question of an interview, with the draft that autosaves while the candidate types."""

    # No index of its own: both unique constraints below begin with the interview.
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="items", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=ItemState.choices, default=ItemState.PENDING)
    flagged = models.BooleanField(default=False, help_text="Marked by the candidate to come back to.")
    draft = models.TextField(blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    shown_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)  # per-question timing only
    attempt = models.OneToOneField(
        "Attempt", on_delete=models.SET_NULL, null=True, blank=True, related_name="interview_item"
    )

    class Meta:
        ordering = ["interview", "position"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "position"], name="item_unique_position"),
            models.UniqueConstraint(fields=["interview", "question"], name="item_unique_question"),
        ]

    def __str__(self) -> str:
        return f"{self.interview_id}#{self.position}"


class ReviewState(models.Model):
    """Where one question stands in one user's spaced-repetition schedule (an fsrs card)."""

    # No index of its own: the indexes and constraints in Meta begin with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_states", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    card = models.JSONField(default=dict)
    due = models.DateTimeField()
    last_reviewed = models.DateTimeField(null=True, blank=True)
    last_score = models.PositiveSmallIntegerField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="review_state_unique")]
        indexes = [models.Index(fields=["user", "due"], name="review_state_due_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.question_id} due {self.due:%Y-%m-%d}"


class SavedQuestion(models.Model):
    """A question a user saved to come back to later ("Save for later" on its page)."""

    # No index of its own: the indexes and constraints in Meta begin with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_questions", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="saved_question_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.question_id}"


class FlagReason(models.TextChoices):
    WRONG_REFERENCE = "wrong_reference", "The reference answer is wrong"
    UNCLEAR = "unclear", "The question is unclear"
    TYPO = "typo", "Typo or formatting"
    DUPLICATE = "duplicate", "Duplicate of another question"
    OTHER = "other", "Something else"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class Flag(models.Model):
    """A user's report of a problem with a question, for the curators' queue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="flags"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    comment = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "-created"], name="flag_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.question}"


class ImportUpload(models.Model):
    """A file a curator uploaded, kept between the import's dry run and its confirmation.

    In the database rather than on one server's disk, so the confirmation may reach any app server.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    fmt = models.CharField(max_length=20, blank=True)
    only_new = models.BooleanField(default=False)
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.filename
