"""`microcred init DIR`: a course repository ready for GitHub; `init --update` refreshes one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from microcred import output
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.setup import create, pin, scaffold, update
from microcred.setup.render import Install


def init(root: Path | None, directory: Path | None, title: str, mode: str, site_url: str,
         wheel: str | None, refresh: bool, force: bool) -> int:
    """Create the repository at `directory`, or with `refresh` update the one at `root`."""
    if refresh:
        if directory is not None:
            raise UsageError("init --update works on an existing course (give --root, not a folder)")
        return _update(find_root(root or Path.cwd()), wheel, force)
    if directory is None:
        raise UsageError("give the folder to create: microcred init DIR")
    options = scaffold.Options(title, mode, site_url)
    scaffold.validate(options)
    create.check_target(directory)
    install = Install(microcred=(pin.from_wheel(wheel) if wheel else pin.installed()).line)
    made = create.create(directory, options, install, dt.date.today())
    output.write(f"created a course repository in {directory}: {made.files} files, first "
                 f"commit {made.commit[:12]}, first release {made.tag}")
    output.info("next: follow README.md there (create the GitHub repository, push with --tags, "
                "then the settings), and run `microcred doctor`")
    return 0


def _update(root: Path, wheel: str | None, force: bool) -> int:
    changes = update.plan(root, update.install_of(root, wheel))
    for change in changes:
        if change.diff:
            output.write(change.diff.rstrip("\n"))
    left = update.apply(root, changes, force)
    for change in changes:
        if change.state != update.CURRENT:
            kept = change in left
            output.info(f"{change.path}: {change.state}" + (", left as it is" if kept else
                                                             ", written"))
    if left:
        output.error(f"{len(left)} file(s) edited by hand were not replaced: merge the diff "
                     "above into them, or run `microcred init --update --force` to replace them")
        return 1
    written = sum(c.state != update.CURRENT for c in changes)
    output.write(f"init --update: {written} file(s) written, "
                 f"{len(changes) - written} already current" if written else
                 "init --update: every generated file is current")
    return 0
