"""
Server-rendered pages of the whole flow: keywords -> clusters -> ideas -> writer tasks ->
content -> image prompts -> images, and the integration settings page every configuration
error leads to.

Every AI action is a POST to ai_run: the payload and the account's configuration are
checked first (a configuration error redirects at once to the integration settings page,
with the error's message, the steps to fix it and a `next` parameter back to the page the
user was on); otherwise the run is queued for the Celery worker and the browser is
redirected (POST-redirect-GET) to the task's progress page, which reloads itself until the
task has ended.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from igny8_core.ai import get_model_config
from igny8_core.ai.base import MAX_ID, InvalidPayload
from igny8_core.ai.registry import get_function
from igny8_core.api.ai_runner import configuration_problem, queue_for_account
from igny8_core.api.errors import OUT_OF_RANGE
from igny8_core.api.responses import get_request_id
from igny8_core.api.viewsets import AccountAIThrottle
from igny8_core.modules.planner.models import Cluster, ContentIdea, Keyword
from igny8_core.modules.system.forms import OpenAISettingsForm
from igny8_core.modules.system.models import AITask, IntegrationSettings
from igny8_core.modules.system.tasks import check_task
from igny8_core.modules.system.views import AI_FUNCTIONS
from igny8_core.modules.writer.models import Content, Image, Task

PAGE_SIZE = 20
SESSION_ERROR = "igny8_ai_configuration_error"

#: what the user does on the settings page for each configuration error
FIX_STEPS = {
    "integration_not_configured": [
        "Enter your OpenAI API key (it is stored, never shown again).",
        "Enter the model every AI function should use.",
        'Keep "Integration on" ticked: an integration that is off counts as not configured.',
        "Save: you are taken back to the page you came from, where you run the function again.",
    ],
    "model_not_configured": [
        "Enter the model every AI function should use.",
        "Save: you are taken back to the page you came from, where you run the function again.",
    ],
    "api_key_not_configured": [
        "Enter your OpenAI API key (it is stored, never shown again).",
        "Save: you are taken back to the page you came from, where you run the function again.",
    ],
}


class SettingsPageForm(OpenAISettingsForm):
    """On the page the model is required: without it no AI function can run."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].required = True


def _account_or_page(request):
    account = request.user.account
    if account is None:
        return None, render(request, "web/no_account.html", status=403)
    return account, None


def safe_next(request, value, default):
    """`value` when it is a path of this site, else `default`."""
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts=None) and value.startswith("/"):
        return value
    return default


def function_models(account, row):
    """For each of the five AI functions: the model it will use (with max_tokens and temperature), or its
    configuration error."""
    image_model = (row.config or {}).get("image_model") if row and row.is_active else None
    problem = configuration_problem(AI_FUNCTIONS[0], account)
    functions = []
    for name in AI_FUNCTIONS:
        if problem:
            # a model without a key is not ready either
            functions.append({"name": name, "model": None, "error": problem["error"]})
            continue
        config = get_model_config(name, account=account)
        model = image_model if name == "generate_images" and image_model else config["model"]
        functions.append(
            {
                "name": name,
                "model": model,
                "max_tokens": config["max_tokens"],
                "temperature": config["temperature"],
                "error": None,
            }
        )
    return functions


@login_required
def integration_settings(request):
    account, page = _account_or_page(request)
    if page:
        return page
    row = IntegrationSettings.current(account.id)
    next_url = safe_next(request, request.GET.get("next"), "")
    if request.method == "POST":
        form = SettingsPageForm(request.POST)
        if form.is_valid():
            row = row or IntegrationSettings(account=account, integration_type="openai", config={})
            row.config = form.updated_config(row.config)
            row.is_active = form.cleaned_data["is_active"]
            row.save()
            messages.success(
                request, "OpenAI settings saved." if row.is_active else "OpenAI settings saved; the integration is off."
            )
            if next_url and configuration_problem(AI_FUNCTIONS[0], account) is None:
                request.session.pop(SESSION_ERROR, None)
                messages.info(request, "OpenAI is ready: run the function again.")
                return redirect(next_url)
            target = reverse("integration-settings")
            return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
    else:
        form = SettingsPageForm(initial=OpenAISettingsForm.initial_for(row))
    error = request.session.get(SESSION_ERROR) if next_url else None
    if error and configuration_problem(AI_FUNCTIONS[0], account) is None:
        error = None  # fixed meanwhile (e.g. through the API)
        request.session.pop(SESSION_ERROR, None)
    if error:
        error = {**error, "steps": FIX_STEPS.get(error.get("error_code"), FIX_STEPS["integration_not_configured"])}
    return render(
        request,
        "web/integration_settings.html",
        {
            "form": form,
            "row": row,
            "api_key_stored": bool(row and (row.config or {}).get("apiKey")),
            "functions": function_models(account, row),
            "configuration_error": error,
            "next_url": next_url,
        },
    )


# ---------------------------------------------------------------- the flow's list pages


def _scoped_form(model, fields, account):
    """A ModelForm of `fields` whose related choices are the account's objects only."""
    form_class = forms.modelform_factory(model, fields=fields)

    class ScopedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.queryset = field.queryset.filter(account=account)

    return ScopedForm


class Resource:
    """One list page of the flow: its objects, their columns, their form and its AI action."""

    def __init__(self, key, model, title, fields, columns, ai=None, ai_label="", next_page=None, row_action=None):
        self.key = key
        self.model = model
        self.title = title
        self.fields = fields
        self.columns = columns  # (heading, function of an object -> text)
        self.ai = ai
        self.ai_label = ai_label
        self.next_page = next_page
        self.row_action = row_action  # (label, url name) of a per-row POST action

    @property
    def list_url(self):
        return reverse(f"{self.key}-page")

    def queryset(self, account):
        return self.model.objects.filter(account=account)

    def form_class(self, account):
        return _scoped_form(self.model, self.fields, account)


def _name(obj):
    return str(obj) if obj is not None else "-"


RESOURCES = {
    "keywords": Resource(
        "keywords",
        Keyword,
        "Keywords",
        ["keyword", "volume", "cluster", "status"],
        [
            ("keyword", lambda k: k.keyword),
            ("volume", lambda k: k.volume),
            ("cluster", lambda k: _name(k.cluster)),
            ("status", lambda k: k.status),
        ],
        ai="auto_cluster",
        ai_label="Cluster the selected keywords (auto_cluster)",
        next_page="clusters",
    ),
    "clusters": Resource(
        "clusters",
        Cluster,
        "Clusters",
        ["name", "description", "status"],
        [
            ("name", lambda c: c.name),
            ("description", lambda c: c.description),
            ("keywords", lambda c: c.keywords.count()),
            ("ideas", lambda c: c.ideas.count()),
        ],
        ai="generate_ideas",
        ai_label="Generate ideas for the selected clusters (generate_ideas)",
        next_page="ideas",
    ),
    "ideas": Resource(
        "ideas",
        ContentIdea,
        "Content ideas",
        ["title", "description", "cluster", "status"],
        [
            ("title", lambda i: i.title),
            ("cluster", lambda i: _name(i.cluster)),
            ("keywords", lambda i: ", ".join(i.target_keywords or [])),
            ("status", lambda i: i.status),
        ],
        next_page="tasks",
        row_action=("Create writer task", "idea-to-task"),
    ),
    "tasks": Resource(
        "tasks",
        Task,
        "Writer tasks",
        ["title", "description", "cluster", "status"],
        [
            ("title", lambda t: t.title),
            ("cluster", lambda t: _name(t.cluster)),
            ("keywords", lambda t: ", ".join(t.keywords or [])),
            ("status", lambda t: t.status),
        ],
        ai="generate_content",
        ai_label="Write the selected tasks (generate_content)",
        next_page="content",
    ),
    "content": Resource(
        "content",
        Content,
        "Content",
        ["title", "meta_description", "html_content", "status"],
        [
            ("title", lambda c: c.title),
            ("words", lambda c: c.word_count),
            ("images", lambda c: c.images.count()),
            ("status", lambda c: c.status),
        ],
        ai="generate_image_prompts",
        ai_label="Write image prompts for the selected content (generate_image_prompts)",
        next_page="images",
    ),
    "images": Resource(
        "images",
        Image,
        "Images",
        ["prompt", "image_url", "status"],
        [
            ("content", lambda i: _name(i.content)),
            ("type", lambda i: f"{i.image_type} {i.position}"),
            ("prompt", lambda i: i.prompt),
            ("image", lambda i: i.image_url or "-"),
            ("status", lambda i: i.status),
        ],
        ai="generate_images",
        ai_label="Generate the selected images (generate_images)",
        next_page="images",
    ),
}
#: the list page each AI function belongs to
FUNCTION_PAGES = {resource.ai: resource for resource in RESOURCES.values() if resource.ai}
#: the page a function's results are found on
RESULT_PAGES = {
    "auto_cluster": "clusters",
    "generate_ideas": "ideas",
    "generate_content": "content",
    "generate_image_prompts": "images",
    "generate_images": "images",
}


def _get_own(queryset, pk):
    """The account's object `pk` (404 if none); an id no row can have is a bad request."""
    if not 0 < pk <= MAX_ID:
        raise BadRequest(OUT_OF_RANGE)
    return get_object_or_404(queryset, pk=pk)


def _resource(key):
    resource = RESOURCES.get(key)
    if resource is None:
        raise Http404
    return resource


def _add_keywords(request, account):
    """The keywords page's add form: one keyword per line, with an optional volume."""
    volume = request.POST.get("volume", "").strip()
    volume = int(volume) if volume.isdigit() and int(volume) < 2**31 else 0
    added = []
    for line in request.POST.get("keywords", "").splitlines()[:200]:
        text = line.strip()[:255]
        if text:
            Keyword.objects.create(account=account, keyword=text, volume=volume)
            added.append(text)
    if added:
        messages.success(request, f"{len(added)} keyword(s) added.")
    else:
        messages.error(request, "Enter at least one keyword.")


@login_required
def object_list(request, key):
    resource = _resource(key)
    account, page = _account_or_page(request)
    if page:
        return page
    if request.method == "POST":
        if key == "keywords":
            _add_keywords(request, account)
        return redirect(request.get_full_path())
    paginator = Paginator(resource.queryset(account), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    rows = [{"obj": obj, "cells": [column(obj) for _, column in resource.columns]} for obj in page_obj]
    return render(
        request,
        "web/object_list.html",
        {
            "resource": resource,
            "headings": [heading for heading, _ in resource.columns],
            "rows": rows,
            "page_obj": page_obj,
            "here": request.get_full_path(),
        },
    )


@login_required
def object_edit(request, key, pk):
    resource = _resource(key)
    account, page = _account_or_page(request)
    if page:
        return page
    obj = _get_own(resource.queryset(account), pk)
    form_class = resource.form_class(account)
    back = safe_next(request, request.GET.get("next"), resource.list_url)
    if request.method == "POST":
        form = form_class(request.POST, instance=obj)
        if form.is_valid():
            form.save()
            messages.success(request, f'{resource.title}: "{obj}" saved.')
            return redirect(back)
    else:
        form = form_class(instance=obj)
    return render(request, "web/object_edit.html", {"resource": resource, "obj": obj, "form": form, "back": back})


@login_required
@require_POST
def object_delete(request, key, pk):
    resource = _resource(key)
    account, page = _account_or_page(request)
    if page:
        return page
    obj = _get_own(resource.queryset(account), pk)
    label = str(obj)
    obj.delete()
    messages.success(request, f'{resource.title}: "{label}" deleted.')
    return redirect(safe_next(request, request.POST.get("next"), resource.list_url))


@login_required
@require_POST
def idea_to_task(request, pk):
    """Turn a content idea into a writer task (the idea's title, description, keywords and cluster)."""
    account, page = _account_or_page(request)
    if page:
        return page
    idea = _get_own(ContentIdea.objects.filter(account=account), pk)
    task = Task.objects.create(
        account=account,
        title=idea.title,
        description=idea.description,
        keywords=list(idea.target_keywords or []),
        idea=idea,
        cluster=idea.cluster,
    )
    idea.status = "scheduled"
    idea.save(update_fields=["status"])
    messages.success(request, f'Writer task "{task.title}" created.')
    return redirect(safe_next(request, request.POST.get("next"), reverse("tasks-page")))


# ---------------------------------------------------------------- AI actions


def _redirect_to_settings(request, function_name, problem, next_url):
    """The configuration error, kept in the session for the settings page, and the redirect there."""
    request.session[SESSION_ERROR] = {
        "function": function_name,
        "message": problem["error"],
        "error_code": problem["error_code"],
    }
    return redirect(f"{settings.INTEGRATION_SETTINGS_URL}?{urlencode({'next': next_url})}")


@login_required
@require_POST
def ai_run(request, function_name):
    account, page = _account_or_page(request)
    if page:
        return page
    resource = FUNCTION_PAGES.get(function_name)
    if resource is None:
        raise Http404
    next_url = safe_next(request, request.POST.get("next"), resource.list_url)
    fn = get_function(function_name)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and 0 < int(i) <= MAX_ID]
    try:
        payload = fn.validate({"ids": ids})
    except InvalidPayload as exc:
        message = "Select at least one item first." if not ids else str(exc)
        messages.error(request, message)
        return redirect(next_url)
    problem = configuration_problem(function_name, account)
    if problem:
        return _redirect_to_settings(request, function_name, problem, next_url)
    throttle = AccountAIThrottle()  # the same per-account budget as the API's AI actions
    if not throttle.allow_request(request, None):
        messages.error(request, f"Too many AI runs for your account: try again in {int(throttle.wait() or 1)} seconds.")
        return redirect(next_url)
    task, failure = queue_for_account(fn.get_name(), payload, account, get_request_id(request))
    if failure:
        messages.error(request, failure["error"])
        return redirect(next_url)
    return redirect(f"{reverse('ai-task-page', kwargs={'task_id': task.id})}?{urlencode({'next': next_url})}")


SUMMARIES = {
    "auto_cluster": "{clusters_created} clusters created, {keywords_clustered} keywords clustered.",
    "generate_ideas": "{ideas_created} ideas created.",
    "generate_content": "{contents_created} articles written.",
    "generate_image_prompts": "{images_created} image prompts written.",
    "generate_images": "{images_generated} images generated.",
}


@login_required
def ai_task(request, task_id):
    """The progress page of a queued run: reloads itself every second until the run has ended."""
    account, page = _account_or_page(request)
    if page:
        return page
    task = get_object_or_404(AITask.objects.filter(account=account), id=task_id)
    check_task(task)
    resource = FUNCTION_PAGES.get(task.function_name) or RESOURCES["keywords"]
    next_url = safe_next(request, request.GET.get("next"), resource.list_url)
    outcome = task.outcome or {}
    if task.status == "failed" and outcome.get("configuration_error"):
        # the settings changed between the check and the run
        return _redirect_to_settings(request, task.function_name, outcome, next_url)
    result = outcome.get("data") if task.status == "succeeded" else None
    summary = None
    if result:
        try:
            summary = SUMMARIES[task.function_name].format(**result)
        except (KeyError, IndexError):
            summary = "Done."
    return render(
        request,
        "web/ai_task.html",
        {
            "task": task,
            "result": result,
            "summary": summary,
            "error": outcome if task.status == "failed" else None,
            "next_url": next_url,
            "result_page": RESOURCES[RESULT_PAGES.get(task.function_name, "keywords")],
            "poll_seconds": 1,
        },
    )


def home(request):
    return redirect("keywords-page")
