"""
AI constants: prices and the models we accept.
Keyed by model name -- these are lookup tables, not defaults.
"""

# USD per 1M tokens
MODEL_RATES = {
    'gpt-4.1': {'input': 2.00, 'output': 8.00},
    'gpt-4.1-mini': {'input': 0.40, 'output': 1.60},
    'gpt-4o-mini': {'input': 0.15, 'output': 0.60},
    'gpt-4o': {'input': 2.50, 'output': 10.00},
}

# USD per image
IMAGE_MODEL_RATES = {
    'dall-e-3': 0.040,
    'dall-e-2': 0.020,
    'gpt-image-1': 0.042,
}

VALID_OPENAI_IMAGE_MODELS = {'dall-e-3', 'dall-e-2', 'gpt-image-1'}

VALID_SIZES_BY_MODEL = {
    'dall-e-3': ['1024x1024', '1024x1792', '1792x1024'],
    'dall-e-2': ['256x256', '512x512', '1024x1024'],
    'gpt-image-1': ['1024x1024', '1024x1536', '1536x1024'],
}

# JSON mode is only supported by these
JSON_MODE_MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini']


def calculate_cost(model, input_tokens, output_tokens):
    """Cost of one chat completion in USD (0.0 for an unknown model)."""
    rates = MODEL_RATES.get(model)
    if not rates:
        return 0.0
    return (input_tokens * rates['input'] + output_tokens * rates['output']) / 1_000_000
