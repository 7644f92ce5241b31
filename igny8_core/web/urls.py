from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from igny8_core.web import views

# the page every configuration error points to: the path of INTEGRATION_SETTINGS_URL
SETTINGS_PATH = urlsplit(settings.INTEGRATION_SETTINGS_URL).path.strip("/") or "settings/integration"

# (URL prefix, resource key) of the flow's list pages
PAGES = [
    ("planner/keywords/", "keywords"),
    ("planner/clusters/", "clusters"),
    ("planner/ideas/", "ideas"),
    ("writer/tasks/", "tasks"),
    ("writer/content/", "content"),
    ("writer/images/", "images"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(SETTINGS_PATH, views.integration_settings, name="integration-settings"),
    path(SETTINGS_PATH + "/", RedirectView.as_view(pattern_name="integration-settings", query_string=True)),
    path("planner/ideas/<int:pk>/task/", views.idea_to_task, name="idea-to-task"),
    path("ai/<str:function_name>/run/", views.ai_run, name="ai-run"),
    path("ai/tasks/<uuid:task_id>/", views.ai_task, name="ai-task-page"),
]
for prefix, key in PAGES:
    urlpatterns += [
        path(prefix, views.object_list, {"key": key}, name=f"{key}-page"),
        path(f"{prefix}<int:pk>/edit/", views.object_edit, {"key": key}, name=f"{key}-edit"),
        path(f"{prefix}<int:pk>/delete/", views.object_delete, {"key": key}, name=f"{key}-delete"),
    ]
