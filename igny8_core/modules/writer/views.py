"""Writer API: tasks (read and write), content and images (read); the content and image generation actions."""

from rest_framework.decorators import action

from igny8_core.api.filters import account_filterset
from igny8_core.api.viewsets import AccountScopedModelViewSet, AccountScopedViewSet, ai_action_schema
from igny8_core.modules.writer.models import Content, Image, Task
from igny8_core.modules.writer.serializers import ContentSerializer, ImageSerializer, TaskSerializer


class TaskViewSet(AccountScopedModelViewSet):
    queryset = Task.objects.all()
    serializer_class = TaskSerializer
    ai_actions = ("auto_generate_content",)
    filterset_class = account_filterset(Task, ["status", "cluster", "idea"])
    search_fields = ["title", "description"]
    ordering_fields = ["id", "title", "created_at"]

    @ai_action_schema
    @action(detail=False, methods=["post"])
    def auto_generate_content(self, request):
        """Write the content of the tasks `{"ids": [...]}`."""
        return self.run_ai_function(request, "generate_content")


class ContentViewSet(AccountScopedViewSet):
    queryset = Content.objects.all()
    serializer_class = ContentSerializer
    ai_actions = ("generate_image_prompts",)
    filterset_class = account_filterset(Content, ["status", "task"])
    search_fields = ["title", "meta_description"]
    ordering_fields = ["id", "title", "word_count", "created_at"]

    @ai_action_schema
    @action(detail=False, methods=["post"])
    def generate_image_prompts(self, request):
        """Write the image prompts of the content `{"ids": [...]}`."""
        return self.run_ai_function(request, "generate_image_prompts")


class ImageViewSet(AccountScopedViewSet):
    queryset = Image.objects.all()
    serializer_class = ImageSerializer
    ai_actions = ("generate_images",)
    filterset_class = account_filterset(Image, ["status", "image_type", "content"])
    search_fields = ["prompt"]
    ordering_fields = ["id", "position", "created_at"]

    @ai_action_schema
    @action(detail=False, methods=["post"])
    def generate_images(self, request):
        """Generate the images `{"ids": [...]}` from their prompts."""
        return self.run_ai_function(request, "generate_images")
