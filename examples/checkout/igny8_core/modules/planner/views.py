"""
Planner module views: keywords, clusters, ideas.
"""
import logging

from rest_framework.decorators import action

from igny8_core.ai import AIEngine, get_function
from igny8_core.ai.tasks import run_ai_task
from igny8_core.api.response import configuration_error, error_response, success_response
from igny8_core.api.viewsets import AccountModelViewSet, request_account
from .models import Cluster, ContentIdea, Keyword
from .serializers import ClusterSerializer, ContentIdeaSerializer, KeywordSerializer

logger = logging.getLogger(__name__)


class KeywordViewSet(AccountModelViewSet):
    queryset = Keyword.objects.all()
    serializer_class = KeywordSerializer

    @action(detail=False, methods=['post'], url_path='auto_cluster', url_name='auto_cluster')
    def auto_cluster(self, request):
        """Cluster keywords with AI (queued on Celery; runs inline in development)."""
        account = request_account(request)
        ids = request.data.get('ids', [])
        try:
            result = run_ai_task.delay('auto_cluster', {'ids': ids}, account_id=account.id if account else None)
            if result.ready():
                return success_response(result.get(), request=request)
            return success_response({'task_id': result.id}, request=request)
        except ValueError as e:
            return configuration_error(str(e), request=request)
        except Exception as e:
            logger.error("auto_cluster failed: %s", e, exc_info=True)
            return error_response(str(e), 'ai_error', status=500, request=request)


class ClusterViewSet(AccountModelViewSet):
    queryset = Cluster.objects.all()
    serializer_class = ClusterSerializer

    @action(detail=False, methods=['post'], url_path='auto_generate_ideas', url_name='auto_generate_ideas')
    def auto_generate_ideas(self, request):
        """Generate ideas for clusters - runs the engine directly."""
        account = request_account(request)
        fn = get_function('auto_generate_ideas')
        try:
            result = AIEngine(account=account).execute(fn, {'ids': request.data.get('ids', [])})
        except ValueError as e:
            return configuration_error(str(e), request=request)
        return success_response(result, request=request)


class ContentIdeaViewSet(AccountModelViewSet):
    queryset = ContentIdea.objects.all()
    serializer_class = ContentIdeaSerializer
