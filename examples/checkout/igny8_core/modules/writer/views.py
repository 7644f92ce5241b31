"""Writer module views: tasks, content, images."""
from rest_framework.decorators import action

from igny8_core.ai import AIEngine, get_function
from igny8_core.ai import tasks as ai_tasks
from igny8_core.api.response import configuration_error, success_response
from igny8_core.api.viewsets import AccountModelViewSet, request_account
from igny8_core.modules.writer.models import Content, Image, Task
from igny8_core.modules.writer.serializers import ContentSerializer, ImageSerializer, TaskSerializer


class TaskViewSet(AccountModelViewSet):
    queryset = Task.objects.all()
    serializer_class = TaskSerializer

    @action(detail=False, methods=['post'], url_path='auto_generate_content')
    def auto_generate_content(self, request):
        account = request_account(request)
        try:
            result = ai_tasks.run_ai_task.delay(
                function_name='generate_content',
                payload={'ids': request.data.get('ids', [])},
                account_id=account.id if account else None,
            )
        except ValueError as e:
            return configuration_error(str(e), request=request)
        return success_response(result.get() if result.ready() else {'task_id': result.id}, request=request)


class ContentViewSet(AccountModelViewSet):
    queryset = Content.objects.all()
    serializer_class = ContentSerializer

    @action(detail=False, methods=['post'], url_path='generate_image_prompts')
    def generate_image_prompts(self, request):
        engine = AIEngine(account=request_account(request))
        try:
            result = engine.execute(get_function('generate_image_prompts'), {'ids': request.data.get('ids', [])})
        except ValueError as e:
            return configuration_error(str(e), request=request)
        return success_response(result, request=request)


class ImageViewSet(AccountModelViewSet):
    queryset = Image.objects.all()
    serializer_class = ImageSerializer

    @action(detail=False, methods=['post'], url_path='generate_images')
    def generate_images(self, request):
        account = request_account(request)
        image_ids = request.data.get('ids', [])
        try:
            result = ai_tasks.process_image_generation_queue.delay(image_ids, account_id=account.id if account else None)
        except ValueError as e:
            return configuration_error(str(e), request=request)
        return success_response(result.get() if result.ready() else {'task_id': result.id}, request=request)
