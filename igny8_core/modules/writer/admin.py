from django.contrib import admin

from igny8_core.modules.writer.models import Content, Image, Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "cluster", "status", "account"]
    list_filter = ["account", "status"]
    search_fields = ["title"]


@admin.register(Content)
class ContentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "task", "word_count", "status", "account"]
    list_filter = ["account", "status"]
    search_fields = ["title"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["id", "content", "image_type", "position", "status", "account"]
    list_filter = ["account", "status", "image_type"]
