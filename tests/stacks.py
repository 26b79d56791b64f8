"""The test course with stacked credentials: two part credentials (one module each) and a
credential built from both, all in my-programme, so my-credential shares each part's module."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import replace

PARTS = {"part-first": ("Part: reflection", "first-module"),
         "part-observation": ("Part: observation", "observation")}
STACKED = "stacked"


def credential_yaml(cid: str, title: str, body: str) -> str:
    return (f"format: 1\nkind: credential\nid: {cid}\ntitle: \"{title}\"\nversion: 0.1.0\n"
            "programme: my-programme\ndescription: |\n  What a holder can do.\ncriteria: |\n"
            f"  What a learner does to earn it.\n{body}issuer:\n  name: Your organisation\n"
            "  url: https://example.org\nimage: images/my-credential.svg\n")


def add_stack(course: Path, requires: str = "") -> None:
    """Write the part credentials and the stacked one (its `requires:` block given or both)."""
    folder = course / "content/credentials"
    for cid, (title, module) in PARTS.items():
        (folder / f"{cid}.yml").write_text(credential_yaml(cid, title, f"modules: [{module}]\n"),
                                           encoding="utf-8")
    body = requires or "requires:\n  credentials: [part-first, part-observation]\n"
    (folder / f"{STACKED}.yml").write_text(credential_yaml(STACKED, "Stacked", body),
                                           encoding="utf-8")
    replace(course / "content/programmes/my-programme.yml", "credentials: [my-credential]",
            f"credentials: [my-credential, {', '.join(PARTS)}, {STACKED}]")
