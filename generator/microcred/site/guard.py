"""Make sure a build really went through the microcred plugin and the theme its pages are for.

mkdocs builds happily without our plugin (a site with no programme, credential or module page)
and with another theme (tabs, the copy buttons and the layout gone). Both are refused before the
build; and the plugin leaves a marker in the built site as its last step, so a build in which
the plugin did not run to the end, for whatever reason, is caught after it too.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from microcred import __version__

PLUGIN = "microcred"
THEME = "material"
MARKER = "microcred-build.json"
_EXPORT_HINT = ("to build the pages with another site generator, run `microcred build --export "
                "DIR` and build DIR with it")


def config_problems(config: MkDocsConfig, config_file: Path) -> list[str]:
    """What in mkdocs.yml keeps the build from being a microcred site, each with its fix."""
    problems = []
    if PLUGIN not in config.plugins:
        problems.append(f"{config_file}: plugins: the microcred plugin is not listed, so the site "
                        "would have no programme, credential or module page (add '- microcred' "
                        "under plugins)")
    theme = config.theme.name or "(a custom_dir without a name)"
    if theme != THEME:
        problems.append(f"{config_file}: theme.name: the pages are made for the material theme, "
                        f"not {theme} (set 'theme: {{name: material}}'; {_EXPORT_HINT})")
    return problems


def write_marker(site_dir: Path, pages: int) -> None:
    """Record, as the plugin's last step of a build, that it ran."""
    data = {"generator": f"microcred {__version__}", "pages": pages}
    (site_dir / MARKER).write_text(json.dumps(data) + "\n", encoding="utf-8")


def clear_marker(site_dir: Path) -> None:
    """Remove an earlier build's marker, so only this build's can be found."""
    (site_dir / MARKER).unlink(missing_ok=True)


def marker_problem(site_dir: Path) -> str | None:
    """Why the site in `site_dir` was not finished by the plugin, or None when it was."""
    if (site_dir / MARKER).is_file():
        return None
    return (f"{site_dir}: the microcred plugin did not finish this build (no {MARKER}), so the "
            "site is incomplete: do not publish it. Check that mkdocs.yml lists '- microcred' "
            "under plugins, and that the installed mkdocs is a 1.x release")
