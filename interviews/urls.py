from django.urls import path

from interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("questions/", views.question_list, name="question_list"),
    path("questions/<slug:slug>/", views.question_detail, name="question_detail"),
    path("history/", views.history, name="history"),
    path("history/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("history/<int:pk>/contest/", views.attempt_contest, name="attempt_contest"),
]
