"""
Server-rendered pages: the integration settings page that every configuration error links
to, and the keywords page that runs auto_cluster and shows configuration errors with a way
to fix them.
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from igny8_core.ai import get_model_config
from igny8_core.api.ai_runner import run_for_account
from igny8_core.api.responses import get_request_id
from igny8_core.modules.planner.models import Cluster, Keyword
from igny8_core.modules.system.forms import OpenAISettingsForm
from igny8_core.modules.system.models import IntegrationSettings
from igny8_core.modules.system.views import AI_FUNCTIONS


class SettingsPageForm(OpenAISettingsForm):
    """On the page the model is required: without it no AI function can run."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields['model'].required = True


def function_models(account, row):
    """For each of the five AI functions: the model it will use (with max_tokens and temperature), or its configuration error."""
    image_model = ((row.config or {}).get('image_model') if row and row.is_active else None)
    functions = []
    for name in AI_FUNCTIONS:
        try:
            config = get_model_config(name, account=account)
        except ValueError as exc:
            functions.append({'name': name, 'model': None, 'error': str(exc)})
            continue
        model = image_model if name == 'generate_images' and image_model else config['model']
        functions.append({'name': name, 'model': model, 'max_tokens': config['max_tokens'],
                          'temperature': config['temperature'], 'error': None})
    return functions


@login_required
def integration_settings(request):
    account = request.user.account
    if account is None:
        return render(request, 'web/no_account.html', status=403)
    row = IntegrationSettings.current(account.id)
    if request.method == 'POST':
        form = SettingsPageForm(request.POST)
        if form.is_valid():
            row = row or IntegrationSettings(account=account, integration_type='openai', config={})
            row.config = form.updated_config(row.config)
            row.is_active = form.cleaned_data['is_active']
            row.save()
            messages.success(request, 'OpenAI settings saved.' if row.is_active else 'OpenAI settings saved; the integration is off.')
            return redirect('integration-settings')
    else:
        form = SettingsPageForm(initial=OpenAISettingsForm.initial_for(row))
    return render(request, 'web/integration_settings.html', {
        'form': form,
        'row': row,
        'api_key_stored': bool(row and (row.config or {}).get('apiKey')),
        'functions': function_models(account, row),
    })


@login_required
def keywords(request):
    account = request.user.account
    if account is None:
        return render(request, 'web/no_account.html', status=403)
    outcome = None
    if request.method == 'POST' and request.POST.get('action') == 'add':
        text = request.POST.get('keyword', '').strip()
        if text:
            Keyword.objects.create(account=account, keyword=text[:255])
            messages.success(request, f'Keyword "{text[:255]}" added.')
        return redirect('keywords-page')
    if request.method == 'POST' and request.POST.get('action') == 'auto_cluster':
        ids = [int(i) for i in request.POST.getlist('ids') if i.isdigit()]
        outcome = run_for_account('auto_cluster', {'ids': ids}, account, get_request_id(request))
    error = None
    if outcome and outcome['status'] != 200:
        error = {
            'message': outcome['error'],
            'error_code': outcome['error_code'],
            'configuration': bool(outcome.get('configuration_error')),
            'integration_settings_url': settings.INTEGRATION_SETTINGS_URL,
        }
    return render(request, 'web/keywords.html', {
        'keywords': Keyword.objects.filter(account=account).select_related('cluster'),
        'clusters': Cluster.objects.filter(account=account),
        'result': outcome['data'] if outcome and outcome['status'] == 200 else None,
        'error': error,
    })


def home(request):
    return redirect('keywords-page')
