"""What issuing needs to know about the course's public home, read from mkdocs.yml.

`site_url` is where badges, the status list and the issuer's key are published; `repo_url`
is where evidence (the merged pull request) lives. The microcred plugin's `branch` is the
default branch; its optional `issuer_did` (a did:web) replaces the default did:key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from microcred.errors import ConfigError
from microcred.ledger import layout

ISSUER_DID_ENV = "MICROCRED_ISSUER_DID"


@dataclass(frozen=True)
class Settings:
    site_url: str
    repo_url: str
    default_branch: str
    ledger_branch: str
    issuer_did: str = ""  # empty: sign as the key's did:key
    issuer_key: str = ""  # the issuer's public key (Multikey z6Mk...), as the site is told it

    @property
    def issuer(self) -> str:
        """The issuer mkdocs.yml names: its did:web, else its key's did:key; '' if none."""
        return self.issuer_did or (f"did:key:{self.issuer_key}" if self.issuer_key else "")

    def pull_request_url(self, number: int) -> str:
        """Where the merged submission is (its pull request); a URN when there is no repo_url."""
        if not self.repo_url:
            return f"urn:microcred:pull-request:{number}"
        return f"{self.repo_url}/pull/{number}"

    @property
    def status_list_url(self) -> str:
        return layout.status_list_url(self.site_url)


class _Lenient(yaml.SafeLoader):
    """mkdocs.yml may carry `!!python/name:` and `!ENV` tags; their values are not needed here."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def _read_mkdocs_yml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text("utf-8"), Loader=_Lenient)  # a SafeLoader
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror}); badges need the site's address "
                          "from mkdocs.yml") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None


def site_url_of(root: Path) -> str:
    """The course's https:// site_url ending in '/', or '' when mkdocs.yml has none."""
    path = root / "mkdocs.yml"
    config = _read_mkdocs_yml(path) if path.is_file() else None
    url = str(config.get("site_url") or "") if isinstance(config, dict) else ""
    return url.rstrip("/") + "/" if url.startswith("https://") else ""


def load_settings(root: Path, ledger_branch: str | None = None) -> Settings:
    path = root / "mkdocs.yml"
    config = _read_mkdocs_yml(path)
    if not isinstance(config, dict) or not str(config.get("site_url") or "").startswith("https://"):
        raise ConfigError(f"{path}: site_url: set the https:// address the site is published at; "
                          "badges point to it")
    plugin = _plugin_config(config)
    return Settings(
        site_url=str(config["site_url"]).rstrip("/") + "/",
        repo_url=str(config.get("repo_url") or "").rstrip("/"),
        default_branch=str(plugin.get("branch") or "main"),
        ledger_branch=layout.branch(ledger_branch),
        issuer_did=os.environ.get(ISSUER_DID_ENV, "").strip() or str(plugin.get("issuer_did") or ""),
        issuer_key=str(plugin.get("issuer_key") or ""),
    )


def _plugin_config(config: dict[str, Any]) -> dict[str, Any]:
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and isinstance(entry.get("microcred"), dict):
            return dict(entry["microcred"])
    return {}
