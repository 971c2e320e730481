"""URL configuration of the whole site."""

from django.contrib import admin
from django.urls import include, path

from smartcity import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.switch_language, name="switch_language"),
    path("healthz", views.healthz, name="healthz"),
    path("framework/", views.framework_list, name="framework_list"),
    path("framework/<slug:slug>/<int:version>/", views.framework_detail, name="framework_detail"),
    path(
        "framework/<slug:slug>/<int:version>/publish/",
        views.framework_publish_view,
        name="framework_publish",
    ),
    path("assessments/", include("assessments.urls")),
    path("masterplan/", include("masterplan.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("admin/", admin.site.urls),
]
