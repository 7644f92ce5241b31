from rest_framework.routers import DefaultRouter

from igny8_core.modules.planner.views import ClusterViewSet, ContentIdeaViewSet, KeywordViewSet

router = DefaultRouter()
router.register('keywords', KeywordViewSet, basename='keyword')
router.register('clusters', ClusterViewSet, basename='cluster')
router.register('ideas', ContentIdeaViewSet, basename='idea')

urlpatterns = router.urls
