"""Writer: writing tasks, the content written for them, and the content's images."""

from django.db import models

from igny8_core.accounts.models import Account
from igny8_core.modules.planner.models import Cluster, ContentIdea


class Task(models.Model):
    """A piece of content to write."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    keywords = models.JSONField(default=list, blank=True)
    idea = models.ForeignKey(ContentIdea, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    status = models.CharField(max_length=20, default="queued")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class Content(models.Model):
    """Written content for a task."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contents")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="contents")
    title = models.CharField(max_length=255)
    html_content = models.TextField(blank=True, default="")
    meta_description = models.CharField(max_length=500, blank=True, default="")
    word_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, default="draft")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class Image(models.Model):
    """An image of a piece of content: its prompt, then the generated picture."""

    IMAGE_TYPES = [("featured", "Featured"), ("in_article", "In article")]

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="images")
    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="images")
    image_type = models.CharField(max_length=20, choices=IMAGE_TYPES, default="featured")
    position = models.PositiveIntegerField(default=0)
    prompt = models.TextField(blank=True, default="")
    image_url = models.URLField(max_length=1000, blank=True, default="")
    status = models.CharField(max_length=20, default="pending")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["content_id", "position", "id"]

    def __str__(self):
        return f"{self.image_type} image {self.position} of content {self.content_id}"
