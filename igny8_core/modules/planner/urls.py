from igny8_core.api.viewsets import UnifiedRouter
from igny8_core.modules.planner.views import ClusterViewSet, ContentIdeaViewSet, KeywordViewSet

router = UnifiedRouter()
router.register("keywords", KeywordViewSet, basename="keyword")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("ideas", ContentIdeaViewSet, basename="idea")

urlpatterns = router.urls
