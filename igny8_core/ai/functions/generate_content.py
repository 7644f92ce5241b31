"""generate_content: write the content of an account's writing tasks, one request per task."""

import re

from igny8_core.ai import BaseAIFunction
from igny8_core.modules.writer.models import Content, Task

INSTRUCTIONS = """
You are a professional writer. Write the article described below as HTML.
Reply with JSON only:
{"title": "...", "meta_description": "...", "html_content": "<p>...</p>"}
"""

TAG = re.compile(r"<[^>]+>")


class GenerateContentFunction(BaseAIFunction):
    """Creates a Content row per task and marks the task completed."""

    name = "generate_content"
    object_model = Task
    label = "Task"
    max_items = 10

    def prepare(self, validated, account):
        return {"tasks": self.load_objects(validated["ids"], account)}

    def build_prompt(self, data):
        task = data["task"]
        payload = {
            "task_id": task.id,
            "title": task.title,
            "description": task.description,
            "keywords": task.keywords,
            "cluster": task.cluster.name if task.cluster_id else "",
        }
        return self.render_prompt("[igny8:generate_content]", INSTRUCTIONS, payload)

    def call_ai(self, core, data, model_config):
        # every task is written before anything is saved, so a failure saves nothing
        return [
            core.run_ai_request(
                prompt=self.build_prompt({"task": task}),
                model=model_config["model"],
                max_tokens=model_config["max_tokens"],
                temperature=model_config["temperature"],
                response_format=self.response_format,
                function_name=self.get_name(),
            )
            for task in data["tasks"]
        ]

    def parse_response(self, response, data):
        return [super(GenerateContentFunction, self).parse_response(item, data) for item in response]

    def save_output(self, parsed, data, account):
        content_ids = []
        for task, reply in zip(data["tasks"], parsed):
            if not isinstance(reply, dict) or not isinstance(reply.get("html_content"), str):
                raise self.invalid_reply("'html_content' must be a string")
            html = reply["html_content"]
            content = Content.objects.create(
                account=account,
                task=task,
                title=str(reply.get("title") or task.title)[:255],
                html_content=html,
                meta_description=str(reply.get("meta_description") or "")[:500],
                word_count=len(TAG.sub(" ", html).split()),
            )
            task.status = "completed"
            task.save(update_fields=["status"])
            content_ids.append(content.id)
        return {"contents_created": len(content_ids), "content_ids": content_ids}
