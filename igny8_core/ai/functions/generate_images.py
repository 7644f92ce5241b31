"""generate_images: generate the pictures of an account's image prompts."""

from igny8_core.ai import BaseAIFunction
from igny8_core.ai.base import InvalidPayload
from igny8_core.modules.writer.models import Image

DEFAULT_SIZE = "1024x1024"


class GenerateImagesFunction(BaseAIFunction):
    """
    Generates one image per Image row and stores its URL.

    The image model is the IntegrationSettings config's `image_model`, else its `model`;
    the result's `model` and `image_model` name the model the images were generated with.
    """

    name = "generate_images"
    object_model = Image
    label = "Image"
    max_items = 10

    def prepare(self, validated, account):
        images = self.load_objects(validated["ids"], account)
        without_prompt = [image.id for image in images if not image.prompt.strip()]
        if without_prompt:
            ids = ", ".join(str(i) for i in without_prompt)
            raise InvalidPayload(f"Image has no prompt: {ids}. Run generate_image_prompts first.")
        config = self.get_integration_config(account)
        return {
            "images": images,
            "image_model": config.get("image_model"),
            "chat_model": config.get("model"),
            "image_size": config.get("image_size") or DEFAULT_SIZE,
        }

    def call_ai(self, core, data, model_config):
        model = data["image_model"] or model_config["model"]
        # every image is generated before anything is saved, so a failure saves nothing
        return [
            core.generate_image(
                prompt=image.prompt, model=model, size=data["image_size"], function_name=self.get_name()
            )
            for image in data["images"]
        ]

    def parse_response(self, response, data):
        return response

    def save_output(self, parsed, data, account):
        for image, result in zip(data["images"], parsed):
            if not result.get("url"):
                raise self.invalid_reply("an image has no 'url'")
            image.image_url = result["url"]
            image.status = "generated"
            image.save(update_fields=["image_url", "status"])
        model = data["image_model"] or data["chat_model"]
        return {
            "model": model,
            "image_model": model,
            "images_generated": len(parsed),
            "image_ids": [image.id for image in data["images"]],
        }
