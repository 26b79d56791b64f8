"""Benchmark the site build on synthetic courses of growing size.

Run: python benchmarks/build_benchmark.py [--sizes 50,500,2000] [--out benchmarks/results.json]

For each size (pages), every measurement runs in a fresh subprocess, so its peak memory is its own
(the child's rusage from os.wait4):

  microcred  `microcred build`: wall time, ms/page, peak memory, average page HTML size; its pages
             include the current version's copy of every credential page and its module pages
             under <credential>/v<version>/ (out of the nav), as `Shape.pages` counts them
  mkdocs     plain `mkdocs build` of the same Markdown: the generated pages written as .md files
             into an mkdocs-material project without the plugin and without a nav key (mkdocs'
             default full navigation), same theme features and markdown_extensions
  markdown   the floor: Python-Markdown with the same extensions converting the same pages
  generator  microcred's own work: load + validate (lint_findings) + page specs (build_pages and
             build_version_pages of each credential's current version), as a share of the
             microcred build; reference resolution for every page is shown too
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import Shape, generate, shape_for

HERE = Path(__file__).resolve().parent
TARGET_RATIO, TARGET_SHARE = 1.3, 0.10
SMALL_PAGES, SMALL_REPEAT = 200, 3  # a build of a few seconds is easily disturbed: best of 3


@dataclass(frozen=True)
class Run:
    """One subprocess: wall seconds seen from outside, its CPU seconds, peak RSS, its output."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    stdout: str


@dataclass(frozen=True)
class SiteResult:
    seconds: float
    ms_per_page: float
    cpu_seconds: float
    cpu_ms_per_page: float
    peak_mb: float
    pages: int
    avg_page_kb: float
    avg_nav_kb: float


@dataclass(frozen=True)
class MarkdownResult:
    seconds: float
    ms_per_page: float
    cpu_seconds: float
    peak_mb: float
    pages: int
    avg_html_kb: float


@dataclass(frozen=True)
class GeneratorResult:
    lint_seconds: float
    build_pages_seconds: float
    seconds: float
    share: float
    cpu_seconds: float
    cpu_share: float
    resolve_refs_seconds: float
    peak_mb: float


# -- subprocesses ---------------------------------------------------------------------------------


def run(cmd: list[str], cwd: Path | None = None) -> Run:
    """Run `cmd` to the end; fail with its output when it fails."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # the rusage of this child alone
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stdout}\n{stderr}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, stdout)  # ru_maxrss is in KiB on Linux


def _worker(kind: str, folder: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(folder)]


# -- preparing the plain mkdocs project -----------------------------------------------------------


def write_plain_project(course: Path, plain: Path) -> int:
    """Write the plugin's pages as ordinary Markdown into a plain mkdocs project; return pages."""
    from microcred.content.lint import lint_findings
    from microcred.content.loader import load_course
    from microcred.site import pages as spec

    if lint_findings(course):
        raise SystemExit(f"{course}: the synthetic course does not lint clean")
    loaded = load_course(course).course
    docs = plain / "content"
    shutil.copytree(course / "content", docs, ignore=shutil.ignore_patterns("*.yml"))
    config = _plain_config(course)
    pages = _page_specs(loaded, spec.SiteOptions(config.get("repo_url", ""), "main"))
    texts = {p.src_uri: p.markdown for p in pages}
    texts |= {uri: (docs / uri).read_text(encoding="utf-8") for uri in loaded.pages}
    texts["coaches.md"] = texts.get("coaches.md", "") + spec.coaches_appendix(loaded)
    for uri, text in texts.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text(spec.resolve_refs(loaded, text, uri), encoding="utf-8")
    for module in loaded.modules.values():
        shutil.copytree(module.folder / "templates", docs / "modules" / module.id / "templates")
    versioned = [spec.version_prefix(c.id, c.version) for c in loaded.credentials.values()]
    for credential, prefix in zip(loaded.credentials.values(), versioned, strict=True):
        for module_id in credential.modules:  # the versioned copies link to their own
            shutil.copytree(docs / "modules" / module_id / "templates",
                            docs / prefix / "modules" / module_id / "templates")
    config["not_in_nav"] = "\n".join(f"/{prefix}" for prefix in versioned)  # as the plugin does
    (plain / "mkdocs.yml").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return len(texts)


def _plain_config(course: Path) -> dict[str, Any]:
    import yaml

    config: dict[str, Any] = yaml.safe_load((course / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config.get("plugins", []) if p != "microcred"]
    config.pop("nav", None)
    return config


# -- workers (run inside the measured subprocess) -------------------------------------------------


def markdown_worker(docs: Path) -> dict[str, float]:
    """Convert every page under `docs` with the project's markdown_extensions, no theme."""
    import markdown
    import yaml

    config = yaml.safe_load((docs.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = _extensions(config.get("markdown_extensions", []))
    md = markdown.Markdown(extensions=names, extension_configs=options)
    texts = [p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))]
    (seconds, cpu), sizes = _timed(
        lambda: [len(md.reset().convert(text).encode("utf-8")) for text in texts])
    return {"seconds": seconds, "cpu_seconds": cpu, "pages": len(texts),
            "html_bytes": sum(sizes)}


def _extensions(items: list[Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    names: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    for item in items:
        name, conf = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if conf:
            options[name] = conf
    return names, options


def generator_worker(root: Path) -> dict[str, float]:
    """Time microcred's own work: load + validate, then the page specs, then every page's refs."""
    from microcred.content.lint import lint_findings
    from microcred.content.loader import load_course
    from microcred.site import pages as spec

    (lint_s, lint_cpu), findings = _timed(lambda: lint_findings(root))
    if findings:
        raise SystemExit(f"{root}: the course has {len(findings)} problem(s)")
    course = load_course(root).course
    (pages_s, pages_cpu), _ = _timed(lambda: _page_specs(course, spec.SiteOptions()))
    texts = [(p.src_uri, p.markdown) for p in spec.build_pages(course, spec.SiteOptions())]
    texts += [(uri, (root / "content" / uri).read_text(encoding="utf-8")) for uri in course.pages]
    (refs_s, _), _ = _timed(lambda: [spec.resolve_refs(course, t, uri) for uri, t in texts])
    return {"lint_seconds": lint_s, "build_pages_seconds": pages_s,
            "cpu_seconds": lint_cpu + pages_cpu, "resolve_refs_seconds": refs_s}


def _page_specs(course: Any, options: Any) -> list[Any]:
    """Every page spec the plugin makes: the pages, then each credential's versioned copy."""
    from microcred.site import pages as spec

    pages = spec.build_pages(course, options)
    for credential_id in course.credentials:
        pages += spec.build_version_pages(course, credential_id, options, latest=True)
    return pages


def _timed(work: Callable[[], Any]) -> tuple[tuple[float, float], Any]:
    """Run `work`; return its (wall, CPU) seconds and its result."""
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    return (time.perf_counter() - started, time.process_time() - cpu), result


WORKERS: dict[str, Callable[[Path], dict[str, float]]] = {
    "markdown": markdown_worker,
    "generator": generator_worker,
}


# -- measuring one size ---------------------------------------------------------------------------


def html_pages(site: Path) -> list[Path]:
    """The pages of a built site: every HTML file but the 404 page."""
    return [p for p in site.rglob("*.html") if p.name != "404.html"]


def nav_size(html: str) -> int:
    """Return the size of the page's primary (site) navigation in characters."""
    start = html.find('<nav class="md-nav md-nav--primary"')
    end = html.find('<div class="md-sidebar md-sidebar--secondary"', start)
    return end - start if 0 <= start < end else 0


def measure_site(cmd: list[str], site: Path, pages: int) -> SiteResult:
    shutil.rmtree(site, ignore_errors=True)
    result = run(cmd)
    built = html_pages(site)
    if len(built) != pages:
        raise SystemExit(f"{' '.join(cmd)}: built {len(built)} pages, expected {pages}")
    size = sum(p.stat().st_size for p in built) / pages / 1024
    nav = sum(nav_size(p.read_text(encoding="utf-8")) for p in built) / pages / 1024
    return SiteResult(result.seconds, result.seconds * 1000 / pages, result.cpu_seconds,
                      result.cpu_seconds * 1000 / pages, result.peak_mb, pages, size, nav)


def measure_microcred(course: Path, site: Path, pages: int) -> SiteResult:
    cmd = [sys.executable, "-m", "microcred", "build", "--root", str(course),
           "--site-dir", str(site), "--quiet"]
    return measure_site(cmd, site, pages)


def measure_mkdocs(plain: Path, site: Path, pages: int) -> SiteResult:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file",
           str(plain / "mkdocs.yml"), "--site-dir", str(site)]
    return measure_site(cmd, site, pages)


def measure_markdown(plain: Path) -> MarkdownResult:
    result = run(_worker("markdown", plain / "content"))
    data = json.loads(result.stdout)
    pages = int(data["pages"])
    return MarkdownResult(data["seconds"], data["seconds"] * 1000 / pages, data["cpu_seconds"],
                          result.peak_mb, pages, data["html_bytes"] / pages / 1024)


def measure_generator(course: Path, build: SiteResult) -> GeneratorResult:
    result = run(_worker("generator", course))
    data = json.loads(result.stdout)
    seconds, cpu = data["lint_seconds"] + data["build_pages_seconds"], data["cpu_seconds"]
    return GeneratorResult(data["lint_seconds"], data["build_pages_seconds"], seconds,
                           seconds / build.seconds, cpu, cpu / build.cpu_seconds,
                           data["resolve_refs_seconds"], result.peak_mb)


def best(results: list[Any]) -> Any:
    """The fastest of repeated runs (the least disturbed by anything else on the machine)."""
    return min(results, key=lambda r: r.seconds)


def measure_size(requested: int, work: Path, repeat: int) -> dict[str, Any]:
    """Generate a course of about `requested` pages and run every measurement on it."""
    shape = shape_for(requested)
    repeat = max(repeat, SMALL_REPEAT) if shape.pages < SMALL_PAGES else repeat
    course, plain = work / f"course-{requested}", work / f"plain-{requested}"
    for folder in (course, plain):
        shutil.rmtree(folder, ignore_errors=True)
    generate(course, shape.credentials, shape.modules_per_credential)
    if write_plain_project(course, plain) != shape.pages:
        raise SystemExit(f"{course}: page count does not match the shape {shape}")
    progress(f"{shape.pages} pages: {shape.programmes} programmes, {shape.credentials} credentials"
             f" x {shape.modules_per_credential} modules")
    micro = best([measure_microcred(course, work / "site-microcred", shape.pages)
                  for _ in range(repeat)])
    progress(f"  microcred build {micro.seconds:.1f} s ({micro.cpu_seconds:.1f} s CPU)")
    plain_site = best([measure_mkdocs(plain, work / "site-mkdocs", shape.pages)
                       for _ in range(repeat)])
    progress(f"  mkdocs build    {plain_site.seconds:.1f} s ({plain_site.cpu_seconds:.1f} s CPU)")
    floor = best([measure_markdown(plain) for _ in range(repeat)])
    generator = best([measure_generator(course, micro) for _ in range(repeat)])
    return {"requested": requested, "shape": _shape(shape), "microcred": asdict(micro),
            "mkdocs": asdict(plain_site), "markdown": asdict(floor),
            "generator": asdict(generator)}


def _shape(shape: Shape) -> dict[str, int]:
    return {"programmes": shape.programmes, "credentials": shape.credentials,
            "modules_per_credential": shape.modules_per_credential, "modules": shape.modules,
            "pages": shape.pages}


# -- report ---------------------------------------------------------------------------------------


def targets(sizes: list[dict[str, Any]]) -> dict[str, Any]:
    """Check the two targets on wall time, and on CPU time (steadier on a shared machine)."""
    small, large = sizes[0]["microcred"], sizes[-1]["microcred"]
    ratio = large["ms_per_page"] / small["ms_per_page"]
    cpu_ratio = large["cpu_ms_per_page"] / small["cpu_ms_per_page"]
    share = max(s["generator"]["share"] for s in sizes)
    cpu_share = max(s["generator"]["cpu_share"] for s in sizes)
    return {
        "ms_per_page_ratio": {"pages": [small["pages"], large["pages"]],
                              "ratio": round(ratio, 3), "cpu_ratio": round(cpu_ratio, 3),
                              "target": TARGET_RATIO, "met": ratio <= TARGET_RATIO,
                              "cpu_met": cpu_ratio <= TARGET_RATIO},
        "generator_share": {"max_share": round(share, 4), "max_cpu_share": round(cpu_share, 4),
                            "target": TARGET_SHARE, "met": share < TARGET_SHARE,
                            "cpu_met": cpu_share < TARGET_SHARE},
    }


HEADER = ("pages", "microcred s", "ms/page", "CPU ms/page", "peak MB", "page KB", "nav KB",
          "mkdocs s", "ms/page", "CPU ms/page", "peak MB", "page KB", "nav KB",
          "markdown ms/page", "generator s", "share", "CPU share", "refs s")


def table_rows(sizes: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for s in sizes:
        m, p, f, g = s["microcred"], s["mkdocs"], s["markdown"], s["generator"]
        rows.append((
            str(s["shape"]["pages"]), *_site_cells(m), *_site_cells(p),
            f"{f['ms_per_page']:.1f}", f"{g['seconds']:.2f}", f"{g['share']:.1%}",
            f"{g['cpu_share']:.1%}", f"{g['resolve_refs_seconds']:.2f}"))
    return rows


def _site_cells(site: dict[str, Any]) -> tuple[str, ...]:
    return (f"{site['seconds']:.1f}", f"{site['ms_per_page']:.0f}",
            f"{site['cpu_ms_per_page']:.0f}", f"{site['peak_mb']:.0f}",
            f"{site['avg_page_kb']:.0f}", f"{site['avg_nav_kb']:.1f}")


def markdown_table(sizes: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---:|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(sizes)]
    return "\n".join(lines)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(sizes: list[dict[str, Any]], out: Path) -> None:
    """Print the table and targets; write everything as JSON to `out`."""
    result: dict[str, Any] = {"format": 1, "date": date.today().isoformat(),
                              "machine": _machine(), "sizes": sizes, "targets": targets(sizes)}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown_table(sizes))
    ratio, share = result["targets"]["ms_per_page_ratio"], result["targets"]["generator_share"]
    print(f"\nms/page {ratio['pages'][1]} vs {ratio['pages'][0]} pages: {ratio['ratio']:.2f}x, "
          f"CPU {ratio['cpu_ratio']:.2f}x (target <= {TARGET_RATIO}x: {_met(ratio)})")
    print(f"generator share: at most {share['max_share']:.1%}, CPU {share['max_cpu_share']:.1%} "
          f"(target < {TARGET_SHARE:.0%}: {_met(share)})")
    print(f"\nwritten {out}")


def _met(target: dict[str, Any]) -> str:
    return f"{'met' if target['met'] else 'NOT met'} on wall time, " \
           f"{'met' if target['cpu_met'] else 'NOT met'} on CPU time"


def _machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.processor()}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,500,2000",
                        help="comma-separated page counts (default 50,500,2000)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement, best "
                        f"kept (at least {SMALL_REPEAT} below {SMALL_PAGES} pages)")
    parser.add_argument("--work-dir", type=Path, help="where to write courses and sites "
                        "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "DIR"), help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.worker:
        kind, folder = args.worker
        print(json.dumps(WORKERS[kind](Path(folder))))
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="microcred-bench-") as tmp:
        work = args.work_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        report([measure_size(size, work, args.repeat) for size in sizes], args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
