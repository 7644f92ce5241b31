"""
Unified Celery task entrypoint for all AI functions
"""
import logging

from celery import shared_task

from igny8_core.ai import AIEngine, get_function

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3)
def run_ai_task(self, function_name: str, payload: dict, account_id: int = None):
    """
    Single Celery entrypoint for all AI functions.
    Dynamically loads and executes the requested function.

    Args:
        function_name: Name of the AI function (e.g., 'auto_cluster')
        payload: Function-specific payload
        account_id: Account ID for account isolation
    """
    logger.info("=" * 60)
    logger.info("run_ai_task STARTED: %s (account_id=%s)", function_name, account_id)
    try:
        from igny8_core.auth.models import Account

        # Get account
        account = None
        if account_id:
            account = Account.objects.get(id=account_id)

        # Get function from registry
        fn = get_function(function_name)
        if fn is None:
            raise ValueError(f"Function '{function_name}' not found in registry")

        engine = AIEngine(celery_task=self, account=account)
        result = engine.execute(fn, payload)
        logger.info("run_ai_task COMPLETED: %s", function_name)
        return result
    except Exception as e:
        logger.error("run_ai_task FAILED: %s: %s: %s", function_name, type(e).__name__, e, exc_info=True)
        raise


@shared_task(bind=True)
def process_image_generation_queue(self, image_ids, account_id=None, content_id=None):
    """
    Generate the images of `image_ids` one after the other (not an AI function:
    it drives generate_images for a queue of images).
    """
    from igny8_core.auth.models import Account

    account = None
    if account_id:
        account = Account.objects.get(id=account_id)

    fn = get_function('generate_images')
    results = []
    for image_id in image_ids:
        engine = AIEngine(celery_task=self, account=account)
        results.append(engine.execute(fn, {'ids': [image_id]}))
    logger.info("image queue done: %s images (content_id=%s)", len(results), content_id)
    return {'success': True, 'processed': len(results), 'results': results}
