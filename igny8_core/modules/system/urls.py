from django.urls import path

from igny8_core.modules.system.views import AIConfigViewSet, AITaskViewSet, OpenAIIntegrationViewSet

openai_settings = OpenAIIntegrationViewSet.as_view(
    {"get": "list", "put": "replace", "post": "replace", "patch": "partial_update"}
)

urlpatterns = [
    path("integrations/openai/", openai_settings, name="integration-openai"),
    path("ai-config/", AIConfigViewSet.as_view({"get": "list"}), name="ai-config"),
    path("tasks/<uuid:task_id>/", AITaskViewSet.as_view({"get": "retrieve"}), name="ai-task"),
]
