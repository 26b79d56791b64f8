"""The fake GitHub's fixtures, shared with tests/forge/ (pulls are read through that forge too)."""

from tests.forge.conftest import github_forge, github_server

__all__ = ["github_forge", "github_server"]
