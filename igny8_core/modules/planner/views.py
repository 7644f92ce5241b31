"""Planner API: keywords and clusters (read and write), ideas (read); the auto_cluster and
auto_generate_ideas actions."""

from rest_framework.decorators import action

from igny8_core.api.filters import account_filterset
from igny8_core.api.viewsets import AccountScopedModelViewSet, AccountScopedViewSet, ai_action_schema
from igny8_core.modules.planner.models import Cluster, ContentIdea, Keyword
from igny8_core.modules.planner.serializers import ClusterSerializer, ContentIdeaSerializer, KeywordSerializer


class KeywordViewSet(AccountScopedModelViewSet):
    queryset = Keyword.objects.all()
    serializer_class = KeywordSerializer
    ai_actions = ("auto_cluster",)
    filterset_class = account_filterset(Keyword, ["status", "cluster"])
    search_fields = ["keyword"]
    ordering_fields = ["id", "keyword", "volume", "created_at"]

    @ai_action_schema
    @action(detail=False, methods=["post"])
    def auto_cluster(self, request):
        """Cluster the keywords `{"ids": [...]}` of the user's account."""
        return self.run_ai_function(request, "auto_cluster")


class ClusterViewSet(AccountScopedModelViewSet):
    queryset = Cluster.objects.all()
    serializer_class = ClusterSerializer
    ai_actions = ("auto_generate_ideas",)
    filterset_class = account_filterset(Cluster, ["status"])
    search_fields = ["name", "description"]
    ordering_fields = ["id", "name", "created_at"]

    @ai_action_schema
    @action(detail=False, methods=["post"])
    def auto_generate_ideas(self, request):
        """Generate content ideas for the clusters `{"ids": [...]}`."""
        return self.run_ai_function(request, "auto_generate_ideas")


class ContentIdeaViewSet(AccountScopedViewSet):
    queryset = ContentIdea.objects.all()
    serializer_class = ContentIdeaSerializer
    filterset_class = account_filterset(ContentIdea, ["status", "cluster"])
    search_fields = ["title", "description"]
    ordering_fields = ["id", "title", "created_at"]
