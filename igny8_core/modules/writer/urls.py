from rest_framework.routers import DefaultRouter

from igny8_core.modules.writer.views import ContentViewSet, ImageViewSet, TaskViewSet

router = DefaultRouter()
router.register('tasks', TaskViewSet, basename='task')
router.register('content', ContentViewSet, basename='content')
router.register('images', ImageViewSet, basename='image')

urlpatterns = router.urls
