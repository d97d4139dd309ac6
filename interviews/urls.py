from django.urls import path

from interviews.views import history, practice

app_name = "interviews"

urlpatterns = [
    path("", practice.home, name="home"),
    path("questions/", practice.question_list, name="question_list"),
    path("questions/<slug:slug>/", practice.question_detail, name="question_detail"),
    path("history/", history.history, name="history"),
    path("history/<int:pk>/", history.attempt_detail, name="attempt_detail"),
    path("history/<int:pk>/contest/", history.attempt_contest, name="attempt_contest"),
]
