"""Network repositories on GitHub: one private repository per network in the organisation, its
main branch holding the course's folders at the network's pin beside the learners' evidence.

    ensure_repo   GET the repository; create it (private, with a first commit) when missing
    seed          compare main's tree with the course at the pin; when they differ, one new tree
                  (only the changed files, text inline), one commit, one ref update

Nothing is written when main already matches: a re-run's reads are conditional (github_admin.py)
and GitHub answers them 304.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from microcred.content.history import COURSE_FOLDERS
from microcred.forge.base import ForgeError
from microcred.forge.github_admin import AdminClient
from microcred.networks.registry import NetworkRecord

MAIN = "main"


@dataclass(frozen=True)
class Seeded:
    commit: str  # main's commit after seeding
    changed: int  # files added, changed or removed (0: nothing written)


def repo_name(course_full_name: str, network_id: str, org: str) -> str:
    """The registry's `repo` for a network on GitHub: owner/name, beside the course."""
    return f"{org}/{course_full_name.rsplit('/', 1)[-1]}-{network_id}"


def ensure_repo(client: AdminClient, record: NetworkRecord) -> bool:
    """Create the network's private repository if it is not there yet; whether it was created.

    A repository that exists but is public is refused, never used: its evidence would be open."""
    found = client.get(f"/repos/{record.repo}")
    if found is not None:
        if not found.get("private"):
            raise ForgeError(f"{record.repo} exists and is public; network repositories hold "
                             "learners' evidence: make it private (Settings > General > Danger "
                             "Zone > Change visibility), then run sync again")
        return False
    org, name = record.repo.split("/", 1)
    client.write("POST", f"/orgs/{org}/repos", {
        "name": name, "private": True, "auto_init": True,
        "description": f"microcred network {record.id} ({record.programme}/{record.cohort})",
        "has_issues": False, "has_projects": False, "has_wiki": False,
        "allow_squash_merge": False, "allow_rebase_merge": False, "allow_merge_commit": True,
        "delete_branch_on_merge": True})
    return True


def wanted_files(course_files: Path, seed: dict[str, str]) -> dict[str, bytes]:
    """Path -> bytes of every file microcred keeps on main: the course folders and `seed`."""
    files = {p.relative_to(course_files).as_posix(): p.read_bytes()
             for p in sorted(course_files.rglob("*")) if p.is_file()}
    files.update({path: text.encode("utf-8") for path, text in seed.items()})
    return files


@dataclass(frozen=True)
class Main:
    """Main of a repository as GitHub lists it: its commit, root tree and files."""

    head: str
    tree: str
    files: dict[str, dict[str, str]]  # path -> GitHub's tree entry (mode, sha, ...)


def read_main(client: AdminClient, repo: str) -> Main:
    ref = client.get(f"/repos/{repo}/git/ref/heads/{MAIN}")
    if ref is None:
        raise ForgeError(f"{repo} has no branch {MAIN}; create it with a first commit "
                         "(or delete the empty repository and run sync again)")
    head = ref["object"]["sha"]
    tree = client.get(f"/repos/{repo}/git/trees/{head}", recursive="1")
    if tree.get("truncated"):
        raise ForgeError(f"{repo}: GitHub listed only part of main; too many files to "
                         "compare in one request")
    return Main(head, tree["sha"], {e["path"]: e for e in tree["tree"] if e["type"] == "blob"})


def seed(client: AdminClient, record: NetworkRecord, files: dict[str, bytes]) -> Seeded:
    """Bring main of the network's repository to `files`, keeping every other path (evidence)."""
    main = read_main(client, record.repo)
    changes = _changes({p: e["sha"] for p, e in main.files.items()}, files)
    if not changes:
        return Seeded(main.head, 0)
    entries = [_entry(client, record, path, data) for path, data in changes.items()]
    message = f"Course rules at {record.course_commit[:12]} for network {record.id}"
    return Seeded(commit_on_main(client, record.repo, main, entries, message), len(changes))


def commit_on_main(client: AdminClient, repo: str, main: Main, entries: list[dict[str, object]],
                   message: str) -> str:
    """One tree (main's, with `entries` applied), one commit, main moved to it (fast forward
    only: a push since `main` was read makes GitHub refuse, and the next run tries again)."""
    made = client.write("POST", f"/repos/{repo}/git/trees",
                        {"base_tree": main.tree, "tree": entries}).data
    commit = client.write("POST", f"/repos/{repo}/git/commits",
                          {"message": message, "tree": made["sha"], "parents": [main.head]}).data
    client.write("PATCH", f"/repos/{repo}/git/refs/{quote(f'heads/{MAIN}')}",
                 {"sha": commit["sha"], "force": False})
    return str(commit["sha"])


def copy_folder(client: AdminClient, source: NetworkRecord, target: NetworkRecord,
                folder: str) -> int:
    """Copy `folder` as it is on main of `source`'s repository onto main of `target`'s, as
    files (blob by blob, modes kept); how many files were added or changed (0: none written)."""
    files = {p: e for p, e in read_main(client, source.repo).files.items()
             if p.startswith(folder.rstrip("/") + "/")}
    there = read_main(client, target.repo)
    missing = {p: e for p, e in files.items() if there.files.get(p, {}).get("sha") != e["sha"]}
    if not missing:
        return 0
    entries: list[dict[str, object]] = []
    for path, entry in sorted(missing.items()):
        blob = client.get(f"/repos/{source.repo}/git/blobs/{entry['sha']}")
        made = client.write("POST", f"/repos/{target.repo}/git/blobs",
                            {"content": str(blob["content"]).replace("\n", ""),
                             "encoding": "base64"}).data
        entries.append({"path": path, "mode": entry["mode"], "type": "blob", "sha": made["sha"]})
    commit_on_main(client, target.repo, there, entries,
                   f"Copy {folder} from network {source.id}")
    return len(missing)


def _changes(current: dict[str, str], files: dict[str, bytes]) -> dict[str, bytes | None]:
    """What main needs: changed or new files, and course files the pin no longer has (None)."""
    out: dict[str, bytes | None] = {p: d for p, d in files.items() if current.get(p) != blob_id(d)}
    managed = tuple(f"{folder}/" for folder in COURSE_FOLDERS)
    out.update({p: None for p in current if p.startswith(managed) and p not in files})
    return dict(sorted(out.items()))


def _entry(client: AdminClient, record: NetworkRecord, path: str,
           data: bytes | None) -> dict[str, object]:
    base: dict[str, object] = {"path": path, "mode": "100644", "type": "blob"}
    if data is None:
        return {**base, "sha": None}
    try:
        text = data.decode("utf-8")
        if "\0" not in text:
            return {**base, "content": text}
    except UnicodeDecodeError:
        pass
    blob = client.write("POST", f"/repos/{record.repo}/git/blobs",
                        {"content": base64.b64encode(data).decode(), "encoding": "base64"}).data
    return {**base, "sha": blob["sha"]}


def blob_id(data: bytes) -> str:
    """Git's id of a blob holding `data` (what GitHub lists in a tree)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
