"""auto_cluster: group an account's keywords into topical clusters."""

from igny8_core.ai import BaseAIFunction
from igny8_core.modules.planner.models import Cluster, Keyword

INSTRUCTIONS = """
You are an SEO strategist. Group the keywords below into topical clusters.
Every keyword must appear in exactly one cluster.
Reply with JSON only:
{"clusters": [{"name": "...", "description": "...", "keywords": ["..."]}]}
"""


class AutoClusterFunction(BaseAIFunction):
    """Clusters keywords; creates the clusters and maps each keyword to one."""

    name = "auto_cluster"
    object_model = Keyword
    label = "Keyword"
    max_items = 200

    def prepare(self, validated, account):
        return {"keywords": self.load_objects(validated["ids"], account)}

    def build_prompt(self, data):
        return self.render_prompt("[igny8:auto_cluster]", INSTRUCTIONS, [k.keyword for k in data["keywords"]])

    def save_output(self, parsed, data, account):
        clusters = parsed.get("clusters") if isinstance(parsed, dict) else None
        if not isinstance(clusters, list):
            raise self.invalid_reply("'clusters' must be a list")
        by_text = {}
        for keyword in data["keywords"]:
            by_text.setdefault(keyword.keyword.strip().lower(), []).append(keyword)
        cluster_ids, created_count, mapped = [], 0, set()
        for item in clusters:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
                raise self.invalid_reply("every cluster needs a 'name'")
            cluster, created = Cluster.objects.get_or_create(
                account=account,
                name=item["name"].strip()[:255],
                defaults={"description": str(item.get("description") or "")},
            )
            created_count += created
            cluster_ids.append(cluster.id)
            for text in item.get("keywords") or []:
                for keyword in by_text.get(str(text).strip().lower(), []):
                    if keyword.id in mapped:
                        continue
                    keyword.cluster = cluster
                    keyword.status = "mapped"
                    keyword.save(update_fields=["cluster", "status"])
                    mapped.add(keyword.id)
        return {
            "clusters_created": created_count,
            "cluster_ids": cluster_ids,
            "keywords_clustered": len(mapped),
        }
