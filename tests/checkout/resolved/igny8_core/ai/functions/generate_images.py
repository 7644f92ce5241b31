"""
generate_images: generate the pictures for image prompts (one request per image).
"""
from igny8_core.ai.base import BaseAIFunction, InvalidPayload
from igny8_core.ai.constants import VALID_OPENAI_IMAGE_MODELS, VALID_SIZES_BY_MODEL
from igny8_core.modules.writer.models import Image as ImageModel


class GenerateImagesFunction(BaseAIFunction):
    name = 'generate_images'
    object_model = ImageModel
    label = 'Image'
    max_items = 10

    def prepare(self, validated, account):
        images = self.load_objects(validated['ids'], account)
        empty = [str(img.id) for img in images if not img.prompt.strip()]
        if empty:
            raise InvalidPayload(f"Image has no prompt: {', '.join(empty)}. Run generate_image_prompts first.")
        config = self.get_integration_config(account)
        image_model = config.get('image_model')
        if not image_model:
            raise ValueError(
                f"Image model not configured in IntegrationSettings for account {account.id}. "
                f"Please set 'image_model' in OpenAI integration settings."
            )
        if image_model not in VALID_OPENAI_IMAGE_MODELS:
            raise InvalidPayload(f"Unsupported image model: {image_model}")
        size = config.get('image_size') or VALID_SIZES_BY_MODEL[image_model][0]
        return {'images': images, 'image_model': image_model, 'image_size': size}

    def call_ai(self, core, data, model_config):
        # generate everything first, so that a failure saves nothing
        return [
            core.generate_image(image.prompt, data['image_model'], size=data['image_size'],
                                function_name=self.get_name())
            for image in data['images']
        ]

    def parse_response(self, response, data):
        return response

    def save_output(self, parsed, data, account):
        for image, result in zip(data['images'], parsed):
            if not result.get('url'):
                raise self.invalid_reply("an image has no 'url'")
            image.image_url = result['url']
            image.status = 'generated'
            image.save(update_fields=['image_url', 'status'])
        return {'images_generated': len(parsed), 'image_ids': [img.id for img in data['images']]}
