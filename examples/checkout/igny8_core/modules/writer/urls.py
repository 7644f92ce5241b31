from django.urls import include, path
from rest_framework.routers import DefaultRouter

from igny8_core.modules.writer.views import ContentViewSet, ImageViewSet, TaskViewSet

router = DefaultRouter()
router.register(r'tasks', TaskViewSet, basename='task')
router.register(r'content', ContentViewSet, basename='content')
router.register(r'images', ImageViewSet, basename='image')

urlpatterns = [
    path('', include(router.urls)),
]
