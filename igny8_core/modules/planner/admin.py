from django.contrib import admin

from igny8_core.modules.planner.models import Cluster, ContentIdea, Keyword


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ["id", "keyword", "volume", "cluster", "status", "account"]
    list_filter = ["account", "status"]
    search_fields = ["keyword"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "status", "account"]
    list_filter = ["account", "status"]
    search_fields = ["name"]


@admin.register(ContentIdea)
class ContentIdeaAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "cluster", "status", "account"]
    list_filter = ["account", "status"]
    search_fields = ["title"]
