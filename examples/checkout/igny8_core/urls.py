"""
URL configuration for igny8_core project.
"""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path('admin/', admin.site.urls),
    path('api/v1/planner/', include('igny8_core.modules.planner.urls')),
    path('api/v1/writer/', include('igny8_core.modules.writer.urls')),
    path('api/v1/system/', include('igny8_core.modules.system.urls')),
]
