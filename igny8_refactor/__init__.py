"""igny8-refactor: move the igny8 AI framework to IntegrationSettings-only configuration, and keep it there.

The analysis and the codemods are installed inside this package as `igny8_refactor.audit` and
`igny8_refactor.codemods` (the repository keeps them in its top-level `audit/` and `codemods/`).
"""

__version__ = "0.1.0"
