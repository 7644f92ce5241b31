from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from igny8_core.web import views

# the page every configuration error points to: the path of INTEGRATION_SETTINGS_URL
SETTINGS_PATH = urlsplit(settings.INTEGRATION_SETTINGS_URL).path.strip('/') or 'settings/integration'

urlpatterns = [
    path('', views.home, name='home'),
    path('accounts/login/', auth_views.LoginView.as_view(), name='login'),
    path('accounts/logout/', auth_views.LogoutView.as_view(), name='logout'),
    path(SETTINGS_PATH, views.integration_settings, name='integration-settings'),
    path(SETTINGS_PATH + '/', RedirectView.as_view(pattern_name='integration-settings')),
    path('planner/keywords/', views.keywords, name='keywords-page'),
]
