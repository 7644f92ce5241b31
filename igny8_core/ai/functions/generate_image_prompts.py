"""generate_image_prompts: write the image prompts (featured and in-article) of an account's content."""

from igny8_core.ai import BaseAIFunction
from igny8_core.modules.writer.models import Content, Image

MAX_IN_ARTICLE = 5
EXCERPT_CHARS = 1500

INSTRUCTIONS = """
You are an art director. For each article below write one featured image prompt and
up to five in-article image prompts. Use each article's content_id in your reply.
Reply with JSON only:
{"prompts": [{"content_id": 1, "featured": "...", "in_article": ["..."]}]}
"""


class GenerateImagePromptsFunction(BaseAIFunction):
    """Creates pending Image rows holding the prompts."""

    name = "generate_image_prompts"
    object_model = Content
    label = "Content"
    max_items = 20

    def prepare(self, validated, account):
        return {"contents": self.load_objects(validated["ids"], account)}

    def build_prompt(self, data):
        payload = [
            {"content_id": c.id, "title": c.title, "excerpt": c.html_content[:EXCERPT_CHARS]} for c in data["contents"]
        ]
        return self.render_prompt("[igny8:generate_image_prompts]", INSTRUCTIONS, payload)

    def save_output(self, parsed, data, account):
        prompts = parsed.get("prompts") if isinstance(parsed, dict) else None
        if not isinstance(prompts, list):
            raise self.invalid_reply("'prompts' must be a list")
        contents = {c.id: c for c in data["contents"]}
        image_ids = []
        for item in prompts:
            if not isinstance(item, dict):
                raise self.invalid_reply("every prompt entry must be an object")
            content = contents.get(item.get("content_id"))
            if content is None:
                continue
            featured = item.get("featured")
            in_article = item.get("in_article") or []
            if not isinstance(featured, str) or not featured.strip() or not isinstance(in_article, list):
                raise self.invalid_reply("each entry needs a 'featured' prompt and an 'in_article' list")
            rows = [("featured", 0, featured)]
            rows += [("in_article", n, str(p)) for n, p in enumerate(in_article[:MAX_IN_ARTICLE], start=1)]
            for image_type, position, prompt in rows:
                image = Image.objects.create(
                    account=account,
                    content=content,
                    image_type=image_type,
                    position=position,
                    prompt=prompt.strip(),
                    status="pending",
                )
                image_ids.append(image.id)
        return {"images_created": len(image_ids), "image_ids": image_ids}
