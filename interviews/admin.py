from django.contrib import admin
from django.db.models import Avg, Count

from interviews.models import Attempt, KeyPoint, Question, ReferenceAnswer, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "question_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_questions=Count("questions"))

    @admin.display(description="Questions", ordering="n_questions")
    def question_count(self, obj: Topic) -> int:
        return obj.n_questions


class ReferenceAnswerInline(admin.StackedInline):
    model = ReferenceAnswer
    extra = 0
    fields = ("text", "position")


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 0
    fields = ("label", "phrasings", "position")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = (
        "slug",
        "topic",
        "difficulty",
        "status",
        "time_limit_seconds",
        "attempt_count",
        "average_score",
    )
    list_filter = ("status", "difficulty", "topic")
    search_fields = ("slug", "prompt", "references__text")
    list_select_related = ("topic",)
    readonly_fields = ("uuid", "created", "updated")
    prepopulated_fields = {"slug": ("prompt",)}
    inlines = [ReferenceAnswerInline, KeyPointInline]
    fieldsets = (
        (None, {"fields": ("prompt", "topic", "difficulty", "status", "time_limit_seconds")}),
        ("Identity", {"fields": ("slug", "uuid", "source", "created", "updated")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_attempts=Count("attempts"), avg_score=Avg("attempts__score"))
            .distinct()
        )

    @admin.display(description="Attempts", ordering="n_attempts")
    def attempt_count(self, obj: Question) -> int:
        return obj.n_attempts

    @admin.display(description="Avg score", ordering="avg_score")
    def average_score(self, obj: Question) -> str:
        return "–" if obj.avg_score is None else f"{obj.avg_score:.0f}"


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("question", "user", "score", "band", "scorer_version", "contested_at", "created")
    list_filter = ("band", "scorer_version", ("contested_at", admin.EmptyFieldListFilter))
    search_fields = ("question__slug", "user__username", "answer")
    list_select_related = ("question", "user")
    readonly_fields = [f.name for f in Attempt._meta.fields]
    date_hierarchy = "created"

    def has_add_permission(self, request) -> bool:
        return False
