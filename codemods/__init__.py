"""LibCST codemods that rewrite the igny8 AI framework into its IntegrationSettings-only form."""
