from igny8_core.api.viewsets import UnifiedRouter
from igny8_core.modules.writer.views import ContentViewSet, ImageViewSet, TaskViewSet

router = UnifiedRouter()
router.register("tasks", TaskViewSet, basename="task")
router.register("content", ContentViewSet, basename="content")
router.register("images", ImageViewSet, basename="image")

urlpatterns = router.urls
