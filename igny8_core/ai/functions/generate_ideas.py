"""generate_ideas: propose content ideas for an account's clusters."""

from igny8_core.ai import BaseAIFunction
from igny8_core.modules.planner.models import Cluster, ContentIdea

INSTRUCTIONS = """
You are a content strategist. For each cluster below propose article ideas that
target its keywords. Use each cluster's cluster_id in your reply.
Reply with JSON only:
{"ideas": [{"cluster_id": 1, "title": "...", "description": "...", "target_keywords": ["..."]}]}
"""


class GenerateIdeasFunction(BaseAIFunction):
    """Creates ContentIdea rows for clusters."""

    name = "generate_ideas"
    object_model = Cluster
    label = "Cluster"

    def prepare(self, validated, account):
        return {"clusters": self.load_objects(validated["ids"], account)}

    def build_prompt(self, data):
        payload = [
            {
                "cluster_id": cluster.id,
                "name": cluster.name,
                "description": cluster.description,
                "keywords": [k.keyword for k in cluster.keywords.all()],
            }
            for cluster in data["clusters"]
        ]
        return self.render_prompt("[igny8:generate_ideas]", INSTRUCTIONS, payload)

    def save_output(self, parsed, data, account):
        ideas = parsed.get("ideas") if isinstance(parsed, dict) else None
        if not isinstance(ideas, list):
            raise self.invalid_reply("'ideas' must be a list")
        clusters = {cluster.id: cluster for cluster in data["clusters"]}
        idea_ids, skipped = [], 0
        for item in ideas:
            if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
                raise self.invalid_reply("every idea needs a 'title'")
            cluster = clusters.get(item.get("cluster_id"))
            if cluster is None:
                # only the clusters that were asked about may receive ideas
                skipped += 1
                continue
            keywords = item.get("target_keywords") or []
            idea = ContentIdea.objects.create(
                account=account,
                cluster=cluster,
                title=item["title"].strip()[:255],
                description=str(item.get("description") or ""),
                target_keywords=[str(k) for k in keywords] if isinstance(keywords, list) else [],
            )
            idea_ids.append(idea.id)
        return {"ideas_created": len(idea_ids), "idea_ids": idea_ids, "ideas_skipped": skipped}
