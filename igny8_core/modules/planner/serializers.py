from rest_framework import serializers

from igny8_core.api.serializers import AccountRelatedField
from igny8_core.modules.planner.models import Cluster, ContentIdea, Keyword


class KeywordSerializer(serializers.ModelSerializer):
    cluster = AccountRelatedField(queryset=Cluster.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Keyword
        fields = ["id", "keyword", "volume", "cluster", "status", "created_at"]


class ClusterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["id", "name", "description", "status", "created_at"]


class ContentIdeaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContentIdea
        fields = ["id", "cluster", "title", "description", "target_keywords", "status", "created_at"]
