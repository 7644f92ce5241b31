"""Planner: keywords, the clusters they are grouped into, and content ideas per cluster."""

from django.db import models

from igny8_core.accounts.models import Account


class Cluster(models.Model):
    """A topic grouping related keywords."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="clusters")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, default="active")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class Keyword(models.Model):
    """A search keyword to plan content for."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="keywords")
    keyword = models.CharField(max_length=255)
    volume = models.PositiveIntegerField(default=0)
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="keywords")
    status = models.CharField(max_length=20, default="pending")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.keyword


class ContentIdea(models.Model):
    """An article idea for a cluster."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="content_ideas")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    target_keywords = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, default="new")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title
