from django.urls import path

from interviews.views import flags, history, mock_interviews, practice, progress, review

app_name = "interviews"

urlpatterns = [
    path("", practice.home, name="home"),
    path("questions/", practice.question_list, name="question_list"),
    path("questions/<slug:slug>/", practice.question_detail, name="question_detail"),
    path("questions/<slug:slug>/flag/", flags.question_flag, name="question_flag"),
    path("questions/<slug:slug>/save/", practice.question_save, name="question_save"),
    path("history/", history.history, name="history"),
    path("history/<int:pk>/", history.attempt_detail, name="attempt_detail"),
    path("history/<int:pk>/contest/", history.attempt_contest, name="attempt_contest"),
    path("progress/", progress.dashboard, name="progress"),
    path("review/", review.review, name="review"),
    path("review/<slug:slug>/", review.review_answer, name="review_answer"),
    path("interviews/", mock_interviews.interview_start, name="interview_start"),
    path("interviews/<uuid:interview_uuid>/", mock_interviews.interview_detail, name="interview_detail"),
    path("interviews/<uuid:interview_uuid>/finish/", mock_interviews.interview_finish, name="interview_finish"),
    path("interviews/<uuid:interview_uuid>/report/", mock_interviews.interview_report, name="interview_report"),
    path("interviews/<uuid:interview_uuid>/q/<int:position>/answer/", mock_interviews.item_answer, name="item_answer"),
    path("interviews/<uuid:interview_uuid>/q/<int:position>/draft/", mock_interviews.item_draft, name="item_draft"),
    path("interviews/<uuid:interview_uuid>/q/<int:position>/skip/", mock_interviews.item_skip, name="item_skip"),
    path("interviews/<uuid:interview_uuid>/q/<int:position>/flag/", mock_interviews.item_flag, name="item_flag"),
    path("interviews/<uuid:interview_uuid>/q/<int:position>/goto/", mock_interviews.item_goto, name="item_goto"),
]
