"""
The five active AI functions, registered lazily: each module is imported on first use.
"""

from igny8_core.ai import register_lazy_function

register_lazy_function("auto_cluster", "igny8_core.ai.functions.auto_cluster.AutoClusterFunction")
register_lazy_function("generate_ideas", "igny8_core.ai.functions.generate_ideas.GenerateIdeasFunction")
register_lazy_function("generate_content", "igny8_core.ai.functions.generate_content.GenerateContentFunction")
register_lazy_function(
    "generate_image_prompts", "igny8_core.ai.functions.generate_image_prompts.GenerateImagePromptsFunction"
)
register_lazy_function("generate_images", "igny8_core.ai.functions.generate_images.GenerateImagesFunction")
