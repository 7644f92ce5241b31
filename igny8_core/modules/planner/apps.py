from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "igny8_core.modules.planner"
    label = "planner"
    verbose_name = "Planner"
