"""
AI Settings - Centralized model configurations and limits
"""
import logging

logger = logging.getLogger(__name__)

# Function name aliases (for backward compatibility with the old endpoint names)
FUNCTION_ALIASES = {
    "cluster_keywords": "auto_cluster",
    "auto_generate_ideas": "generate_ideas",
    "auto_generate_content": "generate_content",
}


def get_model_config(function_name, account=None):
    """
    Get model configuration from IntegrationSettings only.

    No fallbacks - account must have IntegrationSettings configured.

    Args:
        function_name: Name of the AI function
        account: Account instance (required)

    Returns:
        dict: Model configuration with 'model', 'max_tokens', 'temperature'

    Raises:
        ValueError: If account not provided or IntegrationSettings not configured
    """
    from igny8_core.business.integration.models import IntegrationSettings

    if not account:
        raise ValueError("Account is required for model configuration")

    # Resolve function alias
    actual_name = FUNCTION_ALIASES.get(function_name, function_name)

    # Get IntegrationSettings for OpenAI
    try:
        integration_settings = IntegrationSettings.objects.get(
            integration_type='openai',
            account=account,
            is_active=True
        )
    except IntegrationSettings.DoesNotExist:
        raise ValueError(
            f"OpenAI IntegrationSettings not configured for account {account.id}. "
            f"Please configure OpenAI settings in the integration page."
        )

    config = integration_settings.config or {}

    # Get model from config
    model = config.get('model')
    if not model:
        raise ValueError(
            f"Model not configured in IntegrationSettings for account {account.id}. "
            f"Please set 'model' in OpenAI integration settings."
        )

    # Get max_tokens and temperature from config (with reasonable defaults for API)
    max_tokens = config.get('max_tokens', 4000)  # Reasonable default for API limits
    temperature = config.get('temperature', 0.7)  # Reasonable default

    return {
        'model': model,
        'max_tokens': max_tokens,
        'temperature': temperature,
    }
