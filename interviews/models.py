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
    position = models.PositiveSmallIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question", "position", "id"]
        indexes = [models.Index(fields=["updated"], name="keypoint_updated_idx")]

    def __str__(self) -> str:
        return self.label


class Attempt(models.Model):
    """One answer a user gave to one question, scored once and kept for good."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attempts")
    answer = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=20)
    parts = models.JSONField(default=dict)
    feedback = models.JSONField(default=dict)
    scorer_version = models.CharField(max_length=40)
    time_taken_seconds = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # "I think I was right": recorded beside the score, never changing it.
    contested_at = models.DateTimeField(null=True, blank=True)
    contest_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["user", "-created"], name="attempt_user_recent_idx"),
            models.Index(fields=["user", "question", "-created"], name="attempt_user_q_idx"),
            models.Index(
                fields=["question"], condition=Q(contested_at__isnull=False), name="attempt_contested_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="attempt_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.question}: {self.score}"

    def get_absolute_url(self) -> str:
        return reverse("interviews:attempt_detail", args=[self.pk])
