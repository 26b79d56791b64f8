"""A fake GitHub REST API for tests, checked against GitHub's published contracts."""
