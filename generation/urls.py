from django.urls import path

from generation import views

app_name = "generation"

urlpatterns = [
    path("", views.studio, name="studio"),
    path("pack/", views.pack, name="pack"),
    path("example-pack.csv", views.example_pack, name="example_pack"),
    path("jobs/status.json", views.jobs_status, name="jobs_status"),
    path("jobs/<uuid:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="job_retry"),
    path("library/", views.library, name="library"),
    path("tracks/<slug:slug>/", views.draft, name="draft"),
    path("tracks/<slug:slug>/submit/", views.draft_submit, name="draft_submit"),
    path("tracks/<slug:slug>/more/", views.draft_more, name="draft_more"),
    path("tracks/<slug:slug>/regenerate/", views.draft_regenerate, name="draft_regenerate"),
    path("edits/<slug:slug>/", views.edit, name="edit"),
]
