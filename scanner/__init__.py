"""Scanner: orchestration, inventory, queries and the CLI."""
