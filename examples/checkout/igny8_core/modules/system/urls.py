from django.urls import path

from . import views

urlpatterns = [
    path('settings/ai-model/', views.AIModelConfigView.as_view(), name='ai-model-config'),
    path('integrations/openai/', views.OpenAIIntegrationView.as_view(), name='integration-openai'),
]
