"""URL configuration of igny8_core: the API under /api/v1/, the admin, and the server-rendered pages."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from igny8_core.api import errors

urlpatterns = [
    path("api/v1/planner/", include("igny8_core.modules.planner.urls")),
    path("api/v1/writer/", include("igny8_core.modules.writer.urls")),
    path("api/v1/system/", include("igny8_core.modules.system.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
    path("", include("igny8_core.web.urls")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.not_found
handler500 = errors.server_error
