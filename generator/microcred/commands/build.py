"""`microcred build` and `microcred serve`: the site, through mkdocs and the microcred plugin."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from microcred import output
from microcred.content.lint import lint_course
from microcred.content.loader import find_root
from microcred.errors import ConfigError
from microcred.model import Course
from microcred.site import export as exporting
from microcred.site import guard
from microcred.site.plugin import MicrocredPlugin


def _config(root: Path, **overrides: object) -> MkDocsConfig:
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise ConfigError(f"{config_file}: no mkdocs.yml (create one, or run `microcred init`)")
    try:
        return load_config(config_file=str(config_file), **overrides)  # type: ignore[arg-type]
    except (ConfigurationError, Abort) as exc:
        raise ConfigError(f"{config_file}: {exc}") from exc


def _route_mkdocs_logs(quiet: bool) -> None:
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    if not any(isinstance(h, output.LogHandler) for h in logger.handlers):
        logger.addHandler(output.LogHandler())
        logger.propagate = False


def _report_lint(root: Path) -> Course | None:
    """Print the course's problems; return the course when there are none."""
    loaded, findings = lint_course(root)
    for finding in findings:
        output.write(finding.render())
    if findings:
        output.error(f"the course has {len(findings)} problem(s); fix them before building")
        return None
    return loaded.course


def _hand_over(config: MkDocsConfig, course: Course, export: Path | None) -> None:
    """Give the plugin the course just linted, so the build does not load it a second time,
    and the folder to export the pages to."""
    plugin = config.plugins.get(guard.PLUGIN)
    if isinstance(plugin, MicrocredPlugin):
        plugin.preloaded = course
        plugin.export = exporting.Export(export.absolute()) if export is not None else None


def _guarded_config(root: Path, overrides: dict[str, object]) -> MkDocsConfig:
    """mkdocs.yml, refused when the build would not be a microcred site."""
    config = _config(root, **overrides)
    problems = guard.config_problems(config, root / "mkdocs.yml")
    if problems:
        raise ConfigError("\n".join(problems))
    return config


def build(root: Path | None, site_dir: Path | None, strict: bool, quiet: bool,
          export: Path | None = None) -> int:
    """Build the site into site_dir (default: the site_dir of mkdocs.yml); with `export`, write
    its pages as plain Markdown into that folder too."""
    root = find_root(root or Path.cwd())
    if export is not None:
        exporting.check_target(export)
    course = _report_lint(root)
    if course is None:
        return 1
    _route_mkdocs_logs(quiet)
    overrides: dict[str, object] = {"strict": strict}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir.resolve())
    config = _guarded_config(root, overrides)
    _hand_over(config, course, export)
    guard.clear_marker(Path(config.site_dir))
    try:
        mkdocs_build.build(config)
    except PluginError as exc:
        output.error(str(exc))
        return 1
    except Abort as exc:
        output.error(f"build aborted: {exc}")
        return 1
    problem = guard.marker_problem(Path(config.site_dir))
    if problem:
        raise ConfigError(problem)
    output.info(f"site built in {config.site_dir}")
    if export is not None:
        output.info(f"pages exported as Markdown to {export}")
    return 0


def serve(root: Path | None, dev_addr: str | None, open_browser: bool) -> int:
    """Serve the site with live reload when content, modules or rubrics change."""
    root = find_root(root or Path.cwd())
    if _report_lint(root) is None:
        return 1
    _route_mkdocs_logs(False)
    kwargs: dict[str, object] = {"open_in_browser": open_browser}
    if dev_addr:
        kwargs["dev_addr"] = dev_addr
    try:
        mkdocs_serve.serve(str(root / "mkdocs.yml"), **kwargs)  # type: ignore[arg-type]
    except (PluginError, Abort, ConfigurationError) as exc:
        output.error(str(exc))
        return 1
    return 0
