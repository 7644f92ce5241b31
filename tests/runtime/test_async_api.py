"""The five AI endpoints' queued mode (?async=1 / AI_ASYNC) and GET /api/v1/system/tasks/<id>/, in process."""
import uuid

import pytest

from igny8_core.modules.system.models import AITask

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    'auto_cluster': '/api/v1/planner/keywords/auto_cluster/',
    'generate_ideas': '/api/v1/planner/clusters/auto_generate_ideas/',
    'generate_content': '/api/v1/writer/tasks/auto_generate_content/',
    'generate_image_prompts': '/api/v1/writer/content/generate_image_prompts/',
    'generate_images': '/api/v1/writer/images/generate_images/',
}


@pytest.mark.parametrize('name', list(ENDPOINTS))
def test_each_endpoint_queues_with_async_and_the_status_has_the_result(name, api_client, account, openai_settings, seed_objects, fake_openai, creds):
    ids = seed_objects(account)[name]
    response = api_client.post(ENDPOINTS[name] + '?async=1', {'ids': ids}, format='json', HTTP_X_REQUEST_ID='q-1')
    body = response.json()
    assert response.status_code == 202, body
    assert body['success'] is True and body['request_id'] == 'q-1'
    task_id = body['data']['task_id']
    assert body['data']['function'] == name
    task = AITask.objects.get(id=task_id)
    assert (task.account, task.function_name, task.payload, task.request_id) == (account, name, {'ids': ids}, 'q-1')

    status = api_client.get(f'/api/v1/system/tasks/{task_id}/')
    body = status.json()
    assert status.status_code == 200, body
    assert body['success'] is True
    assert body['data']['status'] == 'succeeded' and body['data']['task_id'] == task_id
    assert body['data']['result']['function'] == name and body['data']['result']['model'] == creds.MODEL_A
    assert 'success' not in body['data']['result']


def test_the_setting_queues_by_default_and_async_0_runs_in_the_request(api_client, account, openai_settings, seed_objects, fake_openai, settings):
    settings.AI_ASYNC = True
    ids = seed_objects(account)['auto_cluster']
    assert api_client.post(ENDPOINTS['auto_cluster'], {'ids': ids}, format='json').status_code == 202
    response = api_client.post(ENDPOINTS['auto_cluster'] + '?async=0', {'ids': ids}, format='json')
    assert response.status_code == 200 and 'clusters_created' in response.json()['data']


def test_a_queued_task_that_has_not_run_is_queued(api_client, account):
    task = AITask.objects.create(account=account, function_name='auto_cluster', payload={'ids': [1]})
    body = api_client.get(f'/api/v1/system/tasks/{task.id}/').json()
    assert body == {
        'success': True,
        'data': {'task_id': str(task.id), 'function': 'auto_cluster', 'status': 'queued'},
        'request_id': body['request_id'],
    }


def test_bad_payload_is_refused_before_queueing(api_client, account):
    response = api_client.post(ENDPOINTS['auto_cluster'] + '?async=1', {'ids': []}, format='json')
    assert response.status_code == 400 and response.json()['error_code'] == 'validation_error'
    assert not AITask.objects.exists()


def test_the_configuration_error_of_a_queued_run(api_client, account, seed_objects, fake_openai):
    ids = seed_objects(account)['generate_content']
    task_id = api_client.post(ENDPOINTS['generate_content'] + '?async=1', {'ids': ids}, format='json').json()['data']['task_id']
    response = api_client.get(f'/api/v1/system/tasks/{task_id}/')
    body = response.json()
    assert response.status_code == 400
    assert body['success'] is False and body['error_code'] == 'integration_not_configured'
    assert body['integration_settings_url'] == '/settings/integration'
    assert (body['task_id'], body['status']) == (task_id, 'failed')


def test_an_upstream_error_of_a_queued_run(api_client, account, openai_settings, seed_objects, fake_openai):
    fake_openai.mode = 'error'
    ids = seed_objects(account)['auto_cluster']
    task_id = api_client.post(ENDPOINTS['auto_cluster'] + '?async=1', {'ids': ids}, format='json').json()['data']['task_id']
    response = api_client.get(f'/api/v1/system/tasks/{task_id}/')
    assert response.status_code == 502 and response.json()['error_code'] == 'ai_provider_error'


def test_tasks_are_shown_to_their_own_account_only(client_for, account, other_account, openai_settings, seed_objects, fake_openai):
    ids = seed_objects(account)['auto_cluster']
    task_id = client_for(account).post(ENDPOINTS['auto_cluster'] + '?async=1', {'ids': ids}, format='json').json()['data']['task_id']
    response = client_for(other_account).get(f'/api/v1/system/tasks/{task_id}/')
    assert response.status_code == 404
    assert response.json()['error_code'] == 'not_found' and 'result' not in response.content.decode()
    assert client_for(account).get(f'/api/v1/system/tasks/{uuid.uuid4()}/').status_code == 404
    assert client_for(account).get('/api/v1/system/tasks/not-a-uuid/').json()['error_code'] == 'not_found'
