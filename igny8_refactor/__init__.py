"""igny8-refactor: move the igny8 AI framework to IntegrationSettings-only configuration, and keep it there."""

__version__ = "0.1.0"
