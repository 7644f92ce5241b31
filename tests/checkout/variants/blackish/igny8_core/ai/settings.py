"""
AI Settings - Centralized model configurations and limits
"""

import logging

logger = logging.getLogger(__name__)

# Model configurations for each AI function
# (used when an account has not configured a model in its OpenAI integration)
MODEL_CONFIG = {
    "auto_cluster": {
        "model": "gpt-4o-mini",
        "max_tokens": 3000,
        "temperature": 0.7,
    },
    "generate_ideas": {
        "model": "gpt-4.1",
        "max_tokens": 4000,
        "temperature": 0.7,
    },
    "generate_content": {
        "model": "gpt-4.1",
        "max_tokens": 8000,
        "temperature": 0.7,
    },
    "generate_image_prompts": {
        "model": "gpt-4o-mini",
        "max_tokens": 2000,
        "temperature": 0.7,
    },
    "generate_images": {
        "model": "dall-e-3",
        "max_tokens": 1000,
        "temperature": 0.7,
    },
}

# Function name aliases (for backward compatibility with the old endpoint names)
FUNCTION_ALIASES = {
    "cluster_keywords": "auto_cluster",
    "auto_generate_ideas": "generate_ideas",
    "auto_generate_content": "generate_content",
}


def get_model_config(function_name, account=None):
    """
    Get model configuration for an AI function.

    Reads the model from the account's IntegrationSettings when an account is given,
    otherwise (or when nothing is configured) uses MODEL_CONFIG, then the defaults.

    Returns:
        dict with 'model', 'max_tokens', 'temperature'
    """
    # Check aliases first
    actual_name = FUNCTION_ALIASES.get(function_name, function_name)

    # Get base config
    config = MODEL_CONFIG.get(actual_name, {}).copy()

    # Try to get the model from IntegrationSettings if an account is provided
    if account:
        try:
            from igny8_core.business.integration.models import IntegrationSettings

            openai_settings = IntegrationSettings.objects.filter(
                integration_type="openai", account=account, is_active=True
            ).first()
            if openai_settings and openai_settings.config:
                model_from_settings = openai_settings.config.get("model")
                if model_from_settings:
                    config["model"] = model_from_settings  # account wins
                for key in ("max_tokens", "temperature"):
                    if openai_settings.config.get(key) is not None:
                        config[key] = openai_settings.config[key]
        except Exception as e:
            logger.warning(
                "Could not load model from IntegrationSettings: %s", e, exc_info=True
            )

    # Fall back to the global defaults
    if not config.get("model"):
        default_config = {
            "model": "gpt-4.1",
            "max_tokens": 4000,
            "temperature": 0.7,
        }
        config.update(default_config)

    return config


def get_model(function_name: str) -> str:
    """Get model name for function"""
    config = get_model_config(function_name)
    return config.get("model", "gpt-4.1")


def get_max_tokens(function_name: str) -> int:
    """Get max tokens for function"""
    config = get_model_config(function_name)
    return config.get("max_tokens", 4000)


def get_temperature(function_name: str) -> float:
    """Get temperature for function"""
    config = get_model_config(function_name)
    return config.get("temperature", 0.7)
