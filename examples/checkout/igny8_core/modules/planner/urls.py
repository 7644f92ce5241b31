from django.urls import include, path
from rest_framework.routers import DefaultRouter

from igny8_core.modules.planner.views import ClusterViewSet, ContentIdeaViewSet, KeywordViewSet

router = DefaultRouter()
router.register(r'keywords', KeywordViewSet, basename='keyword')
router.register(r'clusters', ClusterViewSet, basename='cluster')
router.register(r'ideas', ContentIdeaViewSet, basename='idea')

urlpatterns = [
    path('', include(router.urls)),
]
