"""Command line: parse argv, call one function per command, turn errors into exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from microcred import __version__, output
from microcred.content.schema import KINDS, REPORTS
from microcred.errors import MicrocredError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORGE_HELP = ("where the pull requests live: this repository (local, the default) or GitHub "
              "(github: GITHUB_TOKEN and GITHUB_REPOSITORY say which repository and who acts)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="microcred",
        description="Micro-credential programmes as a Git workflow. "
        "Exit codes: 0 ok, 1 findings, 2 usage or configuration error.",
    )
    parser.add_argument("--version", action="version", version=f"microcred {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--root", type=Path, help="course repository (default: found from here)")
        p.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")
        return p

    lint = command("lint", "check every course file against its schema and cross-references")
    lint.add_argument("--format", choices=("text", "json"), default="text")

    build = command("build", "build the course site (mkdocs-material)")
    build.add_argument("--site-dir", type=Path, help="where to write the site")
    build.add_argument("--no-strict", dest="strict", action="store_false",
                       help="do not fail on warnings")
    build.add_argument("--export", type=Path, metavar="DIR", help="also write the pages as plain "
                       "Markdown, with their files and nav.yml, into DIR (new, empty, or an "
                       "earlier export) for any static site generator")

    serve = command("serve", "serve the site locally, reloading when course files change")
    serve.add_argument("--dev-addr", help="address to serve on (default 127.0.0.1:8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")

    init = command("init", "create a course repository ready for GitHub, or --update its workflows")
    init.add_argument("directory", type=Path, nargs="?",
                      help="folder to create (must be empty or absent); not with --update")
    init.add_argument("--title", default="Leadership Micro-credentials", help="site title")
    init.add_argument("--mode", default="self-paced", help="programme mode: cohort (with peer "
                      "networks) or self-paced")
    init.add_argument("--site-url", default="", help="the https:// address the site will be "
                      "published at (badges point to it; GitHub Pages: https://OWNER.github.io/NAME/)")
    init.add_argument("--wheel", help="the published microcred wheel the workflows install: its "
                      "file, or its https address ending #sha256=HASH (default: the wheel this "
                      "microcred was installed from)")
    init.add_argument("--update", action="store_true", help="refresh the workflows, the pin and "
                      "the editor set-up (.vscode/) of an existing course to this microcred, "
                      "showing the diff")
    init.add_argument("--force", action="store_true",
                      help="with --update: replace files edited by hand too")

    check = command("check", "check submissions: completeness, privacy and safety")
    check.add_argument("paths", nargs="*", type=Path, help="submission folders to check")
    check.add_argument("--base", help="check only what changed since this ref (a pull request's base)")
    check.add_argument("--head", help="the ref whose changes are checked (default HEAD)")
    check.add_argument("--all", dest="all_", action="store_true", help="check every submission")
    check.add_argument("--author", help="the pull request's author: enforce whose folder it is")
    check.add_argument("--format", choices=("text", "json", "markdown", "github"), default="text")
    check.add_argument("--names", type=Path, help="file of student names to look for, one per "
                       "line (default: $MICROCRED_STUDENT_NAMES_FILE); keep it out of the repo")
    check.add_argument("--event", type=Path, help="a pull_request or pull_request_review payload "
                       "($GITHUB_EVENT_PATH): check that pull request (base, head and author)")
    check.add_argument("--report", type=Path, help="also write the JSON report to this file")

    submit = command("submit", "create your submission folder for a module, with templates")
    submit.add_argument("module", help="module id, as on the module page")
    submit.add_argument("--credential", help="credential id, when the module is in several")
    submit.add_argument("--login", help="your GitHub login (default: $MICROCRED_LOGIN or git "
                        "config github.user)")
    submit.add_argument("--new-attempt", action="store_true",
                        help="start the next attempt after a 'not yet' decision")
    submit.add_argument("--open", dest="open_pr", action="store_true",
                        help="commit the folder on its own branch (from --base) and open a pull "
                        "request; on that branch again, commit the changes and update it")
    submit.add_argument("--anyway", action="store_true",
                        help="with --open: open it even when the check finds problems (coaches "
                        "are requested only once it passes)")
    submit.add_argument("--forge", choices=("local", "github"), default="local", help=FORGE_HELP)
    submit.add_argument("--base", default="main", help="branch to open the pull request against")

    hash_names = sub.add_parser("hash-names", help="hash a list of student names for the "
                                "programme's privacy.roster", description="hash a list of "
                                "student names for the programme's privacy.roster: the check then "
                                "finds those names without the list being in the repository")
    hash_names.add_argument("names", type=Path, help="file of student names, one a line (keep "
                            "it out of the repository)")
    hash_names.add_argument("--salt", help="the programme's current salt, to add names to its "
                            "roster (default: a new one)")
    hash_names.add_argument("-q", "--quiet", action="store_true", help="print only the block")

    roster = command("roster", "print .github/CODEOWNERS from the roster, --write it, or check it")
    roster.add_argument("--write", action="store_true", help="write .github/CODEOWNERS")

    pr_help = "pull requests on the forge: list, show, open, check, comment, merge, close"
    pr = sub.add_parser("pr", help=pr_help, description=pr_help)
    pr_sub = pr.add_subparsers(dest="pr_command", metavar="ACTION", required=True)
    for name, text in (("list", "list pull requests"), ("show", "show one pull request"),
                       ("open", "open a pull request"),
                       ("check", "check a pull request, update its comment, request coaches"),
                       ("comment", "post the check workflow's report on its pull request"),
                       ("merge", "merge a pull request into its base (a merge commit)"),
                       ("close", "close a pull request without merging it; its branch stays")):
        action = pr_sub.add_parser(name, help=text, description=text)
        action.add_argument("--root", type=Path, help="course repository (default: found from here)")
        action.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")
        action.add_argument("--forge", choices=("local", "github"), default="local",
                            help=FORGE_HELP)
        action.add_argument("--as", dest="actor", help="who acts on the local forge (a login)")
        if name in ("show", "check", "merge", "close"):
            action.add_argument("number", type=int)
        if name == "comment":
            action.add_argument("--report", type=Path, required=True,
                                help="the check's JSON report (an untrusted artifact)")
            action.add_argument("--event", type=Path, required=True,
                                help="the workflow_run payload ($GITHUB_EVENT_PATH)")
        if name in ("list", "show", "check"):
            action.add_argument("--format", choices=("text", "json") + (
                ("markdown", "github") if name == "check" else ()), default="text")
        if name == "list":
            action.add_argument("--state", choices=("open", "closed", "merged", "all"),
                                default="open")
        if name == "open":
            action.add_argument("--head", required=True)
            action.add_argument("--base", default="main")
            action.add_argument("--title")
        if name == "merge":
            action.add_argument("--force", action="store_true", help="merge even though the merge "
                                "gate says merging now would not complete the module")
        if name == "check":
            action.add_argument("--names", type=Path)
            action.add_argument("--head", help="the pull request's head in this clone (default: "
                                "the head commit the forge reports)")

    release = command("release", "release a credential: changelog, version bump, git tag")
    release.add_argument("credential", help="credential id")
    bump_part = release.add_mutually_exclusive_group()
    for part in ("major", "minor", "patch"):
        bump_part.add_argument(f"--{part}", dest="part", action="store_const", const=part,
                               help=f"bump the {part} version (none: release the current version)")
    release.add_argument("--notes", help="what changed, for the changelog (Markdown)")
    release.add_argument("--tag-version", metavar="VERSION", help="tag an earlier version that "
                         "learners started on but was never released, at its last commit")

    diff = command("diff", "what changed in a credential between two released versions")
    diff.add_argument("credential", help="credential id")
    diff.add_argument("old", help="a version such as 1.0.0, or any git ref")
    diff.add_argument("new", help="a version, a git ref, or 'current' for the working tree")
    diff.add_argument("--format", choices=("text", "markdown"), default="text")

    review = command("review", "review a pull request against its module's rubric, from the terminal")
    review.add_argument("number", type=int, nargs="?", help="pull request number")
    review.add_argument("--next", dest="next_", action="store_true",
                        help="show the pull request that has waited longest for your review")
    review.add_argument("--level", action="append", default=[], metavar="CRITERION=LEVEL",
                        help="the level reached on one criterion (repeat for each)")
    review.add_argument("--feedback", action="append", default=[], metavar="CRITERION=TEXT",
                        help="feedback on one criterion (repeat as needed)")
    review.add_argument("--summary", default="", help="overall feedback for the learner (Markdown)")
    review.add_argument("--coaching-conversation", metavar="DATE",
                        help="date (YYYY-MM-DD) of the coaching conversation held with the learner")
    review.add_argument("--show", action="store_true",
                        help="show the evidence, the rubric and the review template; submit nothing")
    _forge_options(review)

    remind = command("remind", "comment on submissions waiting past the programme's service "
                     "level for a coach's review")
    remind.add_argument("--dry-run", action="store_true", help="list them; comment on none")
    _forge_options(remind)

    status = command("status", "where a learner stands on each module, and what to do next")
    status.add_argument("--learner", help="whose status (default: --as, or $MICROCRED_LOGIN)")
    status.add_argument("--format", choices=("text", "json"), default="text")
    _forge_options(status)

    issue = command("issue", "decide merged pull requests: record module results, issue badges "
                    "(and any award an earlier run left pending)")
    issue.add_argument("--pr", dest="numbers", type=int, action="append", default=[],
                       metavar="N", help="a merged pull request to decide (repeat as needed)")
    issue.add_argument("--event", type=Path, help="a push event payload ($GITHUB_EVENT_PATH): "
                       "decide the pull requests whose merge it carries")
    issue.add_argument("--all", dest="all_", action="store_true",
                       help="decide every merged pull request not yet in the ledger, and finish "
                       "any an earlier run left unfinished")
    issue.add_argument("--dry-run", action="store_true", help="decide and print; record nothing")
    issue.add_argument("--networks", action="store_true", help="gather the merged pull requests "
                       "of every network repository (numbers as `networks list` explains)")
    _ledger_options(issue)
    _forge_options(issue)

    verify = command("verify", "verify signed badges: signature, schema, dates and revocation")
    verify.add_argument("badges", nargs="+", type=Path, help="badge JSON files")
    verify.add_argument("--status-list", type=Path, action="append", default=[],
                        help="a local copy of a status list credential (default: the ledger's)")
    verify.add_argument("--did-document", type=Path, action="append", default=[],
                        help="a did:web issuer's DID document (did.json), never fetched")
    verify.add_argument("--issuer", default=None, metavar="DID",
                        help="accept only badges this issuer signed (default: inside a course, "
                             "the issuer its mkdocs.yml names)")
    verify.add_argument("--format", choices=("text", "json"), default="text")

    revoke = command("revoke", "revoke a badge: set its bit in the signed status list")
    revoke.add_argument("badge", help="badge id (urn:uuid:...) or path of its JSON file")
    revoke.add_argument("--reason", required=True, help="why, for the ledger (kept private)")
    _ledger_options(revoke)
    _forge_options(revoke)

    badge = sub.add_parser("badge", help="your own badge: get the signed file from the ledger",
                           description="your own badge: get the signed file from the ledger")
    badge_sub = badge.add_subparsers(dest="badge_command", metavar="ACTION", required=True)
    get = badge_sub.add_parser("get", help="write your signed badge for a credential to a file "
                               "(whether or not the site publishes it)",
                               description="write your signed badge for a credential to a file "
                               "(whether or not the site publishes it)")
    get.add_argument("--root", type=Path, help="course repository (default: found from here)")
    get.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")
    get.add_argument("credential", help="credential id")
    get.add_argument("--login", help="your GitHub login (default: $MICROCRED_LOGIN or git config "
                     "github.user)")
    get.add_argument("--version", dest="badge_version", metavar="VERSION",
                     help="the credential version (default: the newest you hold)")
    get.add_argument("--out", type=Path, help="file to write (default: "
                     "LOGIN-CREDENTIAL-vVERSION.json here)")
    get.add_argument("--ledger-branch", help="branch holding the ledger (default: "
                     "$MICROCRED_LEDGER_BRANCH or microcred-ledger)")
    _forge_options(get)

    cal = command("calendar", "what is due in a cohort, or for one learner: module windows, "
                  "deadlines, Learning Exchanges and coaching")
    cal.add_argument("--learner", metavar="LOGIN", help="one learner's calendar")
    cal.add_argument("--cohort", metavar="COHORT", help="a cohort's calendar")
    cal.add_argument("--as-of", metavar="DATE", help="as of this day, YYYY-MM-DD (default: today)")
    cal.add_argument("--format", choices=("text", "json"), default="text")

    log = command("log", "record a coaching meeting as a coach (a pull request into coaching/logs/, "
                  "or the ledger branch when the programme says so)")
    log.add_argument("participants", nargs="+", metavar="LOGIN", help="the leaders who took part")
    log.add_argument("--cohort", required=True, help="the cohort's id")
    log.add_argument("--date", required=True, help="the day of the meeting, YYYY-MM-DD")
    log.add_argument("--meeting", choices=("one-to-one", "network"), default="one-to-one")
    log.add_argument("--network", help="network meetings: which network met")
    log.add_argument("--module", help="the module the meeting worked on")
    log.add_argument("--problem", dest="problem_of_practice", help="the problem of practice")
    log.add_argument("--evidence", action="append", default=[], help="what was looked at (repeat)")
    log.add_argument("--agreement", action="append", default=[], dest="agreements",
                     help="what was agreed (repeat; at least one)")
    log.add_argument("--next-step", action="append", default=[], dest="next_steps",
                     help="who does what next (repeat)")
    log.add_argument("--notes", help="private notes: written only to --notes-dir, never to git")
    log.add_argument("--notes-dir", type=Path, help="a folder outside the repository for private "
                     "notes (default: $MICROCRED_NOTES_DIR)")
    log.add_argument("--base", default="main", help="the branch the pull request goes into")
    _forge_options(log)

    comm = command("community", "record a meeting of the improvement community you lead (a pull "
                   "request into coaching/communities/<you>/<cycle>.yml)")
    comm.add_argument("--cohort", required=True, help="your cohort's id")
    comm.add_argument("--cycle", required=True, help="the improvement cycle, e.g. cycle-1 (names "
                      "the record's file)")
    comm.add_argument("--date", required=True, help="the day of the meeting, YYYY-MM-DD")
    comm.add_argument("--staff", action="append", default=[], metavar="ROLE", required=True,
                      help="a role present, never a name, e.g. 'grade 4 teacher' (repeat)")
    comm.add_argument("--one-to-one", action="store_const", const="one-to-one", default="group",
                      dest="kind", help="a one-to-one with one member (default: a group meeting)")
    comm.add_argument("--summary", default="", help="what the meeting did, in a sentence or two")
    comm.add_argument("--focus", default="", help="the cycle's focus (needed to start a record)")
    comm.add_argument("--change-idea", default="", help="the change the community tries (needed "
                      "to start a record)")
    comm.add_argument("--member", action="append", default=[], metavar="ROLE", dest="members",
                      help="the community's members by role, for the record (repeat)")
    comm.add_argument("--base", default="main", help="the branch the pull request goes into")
    _forge_options(comm)

    progress = command("progress", "where every learner and module stands: for directors and coaches")
    progress.add_argument("--format", choices=("text", "json", "csv", "markdown"), default="text",
                          help="csv: one row per learner x module; markdown: group figures only")
    progress.add_argument("--inactive-weeks", type=int, default=4, metavar="N",
                          help="list learners with nothing of their own for N weeks (default 4)")
    progress.add_argument("--as-of", metavar="WHEN", help="measure waits and inactivity as of this "
                          "date or time (UTC; default now)")
    progress.add_argument("--html", type=Path, metavar="DIR", help="also write the staff report "
                          "with charts into DIR (outside the repository; never published)")
    progress.add_argument("--export", type=Path, metavar="DIR", help="write awards.csv (one row per "
                          "learner x credential) and badges/*.json for a registrar into DIR")
    progress.add_argument("--names", type=Path, metavar="FILE", help="login,name,email CSV for the "
                          "export, kept outside the repository (never committed)")
    progress.add_argument("--ledger-branch", help="branch holding the ledger (default: "
                          "$MICROCRED_LEDGER_BRANCH or microcred-ledger)")
    _forge_options(progress)

    demo = command("demo", "run the whole cycle on a throwaway copy with fictional learners")
    demo.add_argument("--out", type=Path, required=True, help="empty or absent folder to leave the "
                      "demo repository, its badges and its built site in")

    doctor = command("doctor", "check the GitHub set-up: protection, environments, secrets, Pages")
    doctor.add_argument("--forge", choices=("local", "github"), default="github",
                        help="which set-up to check: GitHub's (github, the default) or this "
                        "repository's (local)")

    _networks_parser(sub)

    schema = command("schema", "print the JSON Schema of a file format, or --write them all")
    schema.add_argument("kind", nargs="?", choices=KINDS + REPORTS)
    schema.add_argument("--write", type=Path, metavar="DIR", help="write every schema into DIR "
                        "as KIND.schema.json (for editors that cannot reach the site)")
    return parser


def _networks_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    text = "one private repository per peer network: sync, list, check, move, add, archive"
    networks = sub.add_parser("networks", help=text, description=text)
    actions = networks.add_subparsers(dest="networks_command", metavar="ACTION", required=True)
    for name, about in (
            ("sync", "create or update every network's repository and access from the roster"),
            ("list", "list the network repositories the course keeps a record of"),
            ("check", "check a network pull request by the course's rules at the network's pin"),
            ("move", "move a learner to another network: roster, access, evidence; lose nothing"),
            ("add", "add a network to a cohort mid-year and create its repository"),
            ("archive", "archive a cohort's networks: read-only, history and decisions kept")):
        p = actions.add_parser(name, help=about, description=about)
        p.add_argument("--root", type=Path, help="course repository (default: found from here)")
        p.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")
        p.add_argument("--branch", default="main", help="the course's default branch")
        p.add_argument("--as", dest="actor", help="who acts on the local forge (a login)")
        if name in ("sync", "move", "add"):
            p.add_argument("--at", default="", help="the course commit (branch, tag) whose rules "
                           "the networks follow (default: --branch)")
        if name in ("sync", "list", "archive"):
            p.add_argument("--forge", choices=("local", "github"), default="local",
                           help="where the network repositories and the registry are: beside "
                           "the course (local) or on GitHub (github: token, course repository "
                           "and API from the environment, as for the other commands)")
        if name == "sync":
            p.add_argument("--org", default="", help="the GitHub organisation for the network "
                           "repositories (default: the course repository's owner)")
        if name == "check":
            p.add_argument("network")
            p.add_argument("--pr", dest="number", type=int, help="the network's pull request")
            p.add_argument("--repo", type=Path, help="a clone of the network repository (with "
                           "--base, --head and --author; as in its workflow)")
            p.add_argument("--base")
            p.add_argument("--head")
            p.add_argument("--author")
        if name == "move":
            p.add_argument("login")
            p.add_argument("--to", required=True, help="the network to move to")
        if name == "add":
            p.add_argument("network")
            p.add_argument("--cohort", required=True)
            p.add_argument("--coach", required=True)
            p.add_argument("--backup-coach", default="")
            p.add_argument("--learner", dest="learners", action="append", default=[])
        if name == "archive":
            p.add_argument("cohort")


def _forge_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--forge", choices=("local", "github"), default="local", help=FORGE_HELP)
    p.add_argument("--as", dest="actor", help="who acts on the local forge (a login)")


def _ledger_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ledger-branch", help="branch holding the ledger (default: "
                   "$MICROCRED_LEDGER_BRANCH or microcred-ledger)")
    p.add_argument("--key-file", type=Path, help="issuer signing key file, outside the repository "
                   "(default: $MICROCRED_SIGNING_KEY)")
    p.add_argument("--dev-key", action="store_true",
                   help="sign with a throwaway development key (trials only; says so loudly)")


def _dispatch(args: argparse.Namespace) -> int:
    # Imported here so `microcred --help` stays fast and each command loads only what it uses.
    if args.command == "lint":
        from microcred.commands.lint import lint

        return lint(args.root, args.format)
    if args.command == "build":
        from microcred.commands.build import build

        return build(args.root, args.site_dir, args.strict, args.quiet, args.export)
    if args.command == "serve":
        from microcred.commands.build import serve

        return serve(args.root, args.dev_addr, args.open)
    if args.command == "init":
        from microcred.commands.init import init

        return init(args.root, args.directory, args.title, args.mode, args.site_url, args.wheel,
                    args.update, args.force)
    if args.command == "check":
        from microcred.commands.check import check

        return check(args.root, args.paths, args.base, args.head, args.all_, args.author,
                     args.format, args.names, args.event, args.report)
    if args.command == "submit":
        from microcred.commands.submit import submit

        return submit(args.root, args.module, args.credential, args.login, args.new_attempt,
                      args.open_pr, args.forge, args.base, args.anyway)
    if args.command == "hash-names":
        from microcred.commands.hash_names import hash_names

        return hash_names(args.names, args.salt)
    if args.command == "roster":
        from microcred.commands.roster import roster

        return roster(args.root, args.write)
    if args.command == "pr":
        return _dispatch_pr(args)
    if args.command == "release":
        from microcred.commands.release import release

        return release(args.root, args.credential, args.part, args.notes, args.tag_version)
    if args.command == "diff":
        from microcred.commands.diff import diff

        return diff(args.root, args.credential, args.old, args.new, args.format)
    if args.command == "badge":
        from microcred.commands.badge import badge_get

        return badge_get(args.root, args.forge, args.credential, args.login, args.badge_version,
                         args.out, args.ledger_branch)
    if args.command == "progress":
        from microcred.commands.progress import progress

        return progress(args.root, args.forge, args.actor, args.format, args.inactive_weeks,
                        args.as_of, args.ledger_branch, args.html, args.export, args.names)
    if args.command == "calendar":
        from microcred.commands.calendar import calendar

        return calendar(args.root, args.learner, args.cohort, args.as_of, args.format)
    if args.command == "log":
        from microcred.commands.log import log

        fields = {k: getattr(args, k) for k in ("cohort", "date", "meeting", "network", "participants",
                                                "module", "problem_of_practice", "evidence",
                                                "agreements", "next_steps")}
        return log(args.root, args.forge, args.actor, fields, args.notes, args.notes_dir, args.base)
    if args.command == "community":
        from microcred.coaching.community import Meeting, Opening
        from microcred.commands.community import community

        return community(args.root, args.forge, args.actor, args.cohort, args.cycle,
                         Opening(args.focus, args.change_idea, tuple(args.members)),
                         Meeting(args.date, tuple(args.staff), args.kind, args.summary), args.base)
    if args.command == "remind":
        from microcred.commands.remind import remind

        return remind(args.root, args.forge, args.actor, args.dry_run)
    if args.command == "status":
        from microcred.commands.status import status

        return status(args.root, args.forge, args.actor, args.learner, args.format)
    if args.command == "networks":
        from microcred.commands.networks import dispatch

        return dispatch(args)
    if args.command in ("review", "issue", "verify", "revoke", "demo", "doctor"):
        return _dispatch_badges(args)
    from microcred.commands.schema import schema

    return schema(args.root, args.kind, args.write)


def _dispatch_badges(args: argparse.Namespace) -> int:
    if args.command == "review":
        from microcred.commands.review import review

        return review(args.root, args.forge, args.actor, args.number, args.level, args.feedback,
                      args.summary, args.coaching_conversation, args.show, args.next_)
    if args.command == "issue":
        from microcred.commands.issue import issue

        return issue(args.root, args.forge, args.actor, args.numbers, args.event, args.all_,
                     args.dry_run, args.ledger_branch, args.key_file, args.dev_key,
                     args.networks)
    if args.command == "verify":
        from microcred.commands.verify import verify

        return verify(args.root, args.badges, args.status_list, args.did_document, args.format,
                      args.issuer)
    if args.command == "revoke":
        from microcred.commands.revoke import revoke

        return revoke(args.root, args.forge, args.actor, args.badge, args.reason,
                      args.ledger_branch, args.key_file, args.dev_key)
    if args.command == "demo":
        from microcred.commands.demo import demo

        return demo(args.out)
    from microcred.commands.doctor import doctor

    return doctor(args.root, args.forge)


def _dispatch_pr(args: argparse.Namespace) -> int:
    from microcred.commands import pr

    if args.pr_command == "list":
        return pr.pr_list(args.root, args.forge, args.actor, args.state, args.format)
    if args.pr_command == "show":
        return pr.pr_show(args.root, args.forge, args.actor, args.number, args.format)
    if args.pr_command == "open":
        return pr.pr_open(args.root, args.forge, args.actor, args.head, args.base, args.title)
    if args.pr_command == "comment":
        return pr.pr_comment(args.root, args.forge, args.actor, args.report, args.event)
    if args.pr_command == "merge":
        return pr.pr_merge(args.root, args.forge, args.actor, args.number, args.force)
    if args.pr_command == "close":
        return pr.pr_close(args.root, args.forge, args.actor, args.number)
    return pr.pr_check(args.root, args.forge, args.actor, args.number, args.format, args.names,
                       args.head)


def main(argv: Sequence[str] | None = None) -> int:
    """Run microcred with `argv`; return the exit code."""
    args = _parser().parse_args(argv)
    output.set_quiet(args.quiet)
    try:
        return _dispatch(args)
    except MicrocredError as exc:
        output.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        output.error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`microcred ... | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
