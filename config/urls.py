from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("livez", views.livez, name="livez"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("", include("interviews.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
