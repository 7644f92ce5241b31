from rest_framework import serializers

from igny8_core.api.serializers import AccountRelatedField
from igny8_core.modules.planner.models import Cluster, ContentIdea
from igny8_core.modules.writer.models import Content, Image, Task


class TaskSerializer(serializers.ModelSerializer):
    idea = AccountRelatedField(queryset=ContentIdea.objects.all(), required=False, allow_null=True)
    cluster = AccountRelatedField(queryset=Cluster.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "title", "description", "keywords", "idea", "cluster", "status", "created_at"]


class ContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Content
        fields = ["id", "task", "title", "html_content", "meta_description", "word_count", "status", "created_at"]


class ImageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Image
        fields = ["id", "content", "image_type", "position", "prompt", "image_url", "status", "created_at"]
