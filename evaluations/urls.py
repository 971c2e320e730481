"""URLs of the evaluations app."""

from django.urls import path

from evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("progress/", views.progress_list, name="progress_list"),
    path("progress/<int:pk>/", views.progress_plan, name="progress_plan"),
    path("progress/evidence/<int:pk>/", views.progress_evidence_file, name="progress_evidence"),
    path("progress/item/<int:pk>/", views.progress_item, name="progress_item"),
    path("lagging/", views.lagging, name="lagging"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/precompute/", views.round_precompute, name="round_precompute"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/judge/", views.evaluation_judge, name="judge"),
    path("<int:pk>/recommend/", views.evaluation_recommend, name="recommend"),
    path("<int:pk>/finalise/", views.evaluation_finalise, name="finalise"),
    path("<int:pk>/result/", views.result, name="result"),
    path("<int:pk>/letter/", views.letter_request, name="letter_request"),
    path("letters/<int:pk>/download/", views.letter_download, name="letter_download"),
    *views.letter_job_urls,
]
