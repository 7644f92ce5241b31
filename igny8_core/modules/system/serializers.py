from rest_framework import serializers

MASK = '********'


class OpenAIConfigSerializer(serializers.Serializer):
    """The OpenAI integration config an account may set; the key is write-only."""

    apiKey = serializers.CharField(required=False, allow_blank=True, write_only=True, trim_whitespace=True)
    model = serializers.CharField(required=False, allow_blank=False, max_length=200)
    max_tokens = serializers.IntegerField(required=False, min_value=1, max_value=200000)
    temperature = serializers.FloatField(required=False, min_value=0.0, max_value=2.0)
    image_model = serializers.CharField(required=False, allow_blank=True, max_length=200)
    image_size = serializers.RegexField(r'^\d{2,5}x\d{2,5}$', required=False)


class OpenAIIntegrationSerializer(serializers.Serializer):
    config = OpenAIConfigSerializer(required=False)
    is_active = serializers.BooleanField(required=False)
