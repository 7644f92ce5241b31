from django.core.validators import RegexValidator
from rest_framework import serializers

MASK = "********"

#: an API key is printable ASCII without whitespace: a key pasted with a curly quote, a
#: space or a line break would be refused by every request (or break the HTTP header)
API_KEY_PATTERN = r"^[!-~]+$"
API_KEY_MESSAGE = (
    "The API key may contain printable ASCII characters only, without spaces, line breaks "
    "or typographic quotes: copy it again from the provider."
)
api_key_validator = RegexValidator(API_KEY_PATTERN, API_KEY_MESSAGE, code="invalid_api_key")


class OpenAIConfigSerializer(serializers.Serializer):
    """
    The OpenAI integration config an account may set; the key is write-only. A null value
    removes the key from the stored config (PATCH).
    """

    apiKey = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        write_only=True,
        trim_whitespace=True,
        max_length=500,
        validators=[api_key_validator],
    )
    model = serializers.CharField(required=False, allow_blank=False, allow_null=True, max_length=200)
    max_tokens = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=200000)
    temperature = serializers.FloatField(required=False, allow_null=True, min_value=0.0, max_value=2.0)
    image_model = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=200)
    image_size = serializers.RegexField(r"^\d{2,5}x\d{2,5}$", required=False, allow_null=True)


class OpenAIIntegrationSerializer(serializers.Serializer):
    """PUT needs the whole config (it replaces the stored one); PATCH any part of it."""

    config = OpenAIConfigSerializer(required=True)
    is_active = serializers.BooleanField(required=False)
