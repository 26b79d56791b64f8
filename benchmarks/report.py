"""What every benchmark script does with its figures: the machine, the printout, the JSON file."""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def machine() -> dict[str, Any]:
    """The facts a figure depends on: cores, Python, and how busy the machine was."""
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def publish(result: dict[str, Any], out: Path | None) -> None:
    """Print the figures as JSON and, with `out`, record them there."""
    text = json.dumps(result, indent=2)
    print(text)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")


def without_paths(text: str) -> str:
    """Profile lines with this machine's folders taken out (recorded figures name no machine)."""
    prefixes = {str(REPO) + os.sep: "", sysconfig.get_paths()["purelib"] + os.sep: "<site-packages>/",
                sysconfig.get_paths()["stdlib"] + os.sep: "<stdlib>/", sys.prefix + os.sep: "<venv>/"}
    pattern = re.compile("|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True)))
    return pattern.sub(lambda m: prefixes[m.group(0)], text)


def best_cpu(work: Callable[[], object], repeat: int) -> float:
    """The least CPU seconds `work` took in `repeat` runs (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)
