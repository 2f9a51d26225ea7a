"""``eolcare account``, ``eolcare team`` and ``eolcare sync``: team sync from the command line.

The same functions as the window (``eolcare.sync``). One passphrase for the
profile and the account: the commands that need the passphrase itself
(register, login, passphrase change) unlock the profile with it, so the two
cannot drift apart. Questions that matter (the fingerprint check, sharing the
laptop's records with a team, signing out with unsynced changes) are asked at
the terminal, or answered with ``--yes`` in scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eolcare.cli import passphrases, profile_commands
from eolcare.domain.errors import EolcareError
from eolcare.domain.jobs import Progress, run
from eolcare.sync.errors import SyncError

# The store and the sync client (SQLAlchemy, httpx, PyNaCl) are imported inside the
# commands: building eolcare's parser imports this module, and must stay fast.
if TYPE_CHECKING:
    from eolcare.store.database import Store
    from eolcare.sync import account, engine


class SyncUsageError(EolcareError):
    exit_code = 2


Handler = Callable[[argparse.Namespace], int]


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``account``, ``team`` and ``sync`` to the ``eolcare`` command's subparsers."""

    def group(name: str, help_: str) -> Any:
        p = sub.add_parser(name, help=help_, description=help_)
        return p.add_subparsers(dest=f"{name}_command", required=True, metavar="ACTION")

    def add(parent: Any, name: str, func: Handler, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, parents=[common], help=help_,
                                                       description=help_)
        p.set_defaults(func=func)
        return p

    acc = group("account", "your account on a team server")
    for name, func, help_ in (("register", cmd_register, "create an account on a team server"),
                              ("login", cmd_login,
                               "sign this profile in to an existing account (another laptop)")):
        p = add(acc, name, func, help_)
        p.add_argument("--server", required=True, help="e.g. https://sync.example.org")
        p.add_argument("--username", required=True)
        p.add_argument("--ca-bundle", type=Path, metavar="FILE",
                       help="trust the server's certificate through this CA bundle")
        p.add_argument("--fast-kdf-for-tests", action="store_true", help=argparse.SUPPRESS)
    acc.choices["login"].add_argument("--yes", action="store_true",
                                      help="share this laptop's records without asking")
    p = add(acc, "logout", cmd_logout,
            "sign out and remove the team's records from this laptop")
    p.add_argument("--yes", action="store_true", help="do not ask (scripts)")
    p = add(acc, "passphrase", profile_commands.cmd_passphrase,
            "change the one passphrase of this profile and its account "
            "(the same as 'eolcare passphrase')")
    p.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    p.add_argument("--fast-kdf-for-tests", action="store_true", help=argparse.SUPPRESS)

    team = group("team", "your team: create, invite, join, members")
    p = add(team, "create", cmd_team_create, "create a team (you become its admin)")
    p.add_argument("name")
    p.add_argument("--yes", action="store_true", help="share this laptop's records without asking")
    p = add(team, "invite", cmd_team_invite, "invite a coordinator (after a fingerprint check)")
    p.add_argument("username")
    p.add_argument("--role", choices=["admin", "member", "viewer"], default="member")
    p.add_argument("--yes", action="store_true",
                   help="the fingerprint was compared already (scripts)")
    p = add(team, "join", cmd_team_join, "accept an invitation (after a fingerprint check)")
    p.add_argument("invitation", nargs="?", help="its id (default: the only one)")
    p.add_argument("--yes", action="store_true", help="do not ask (scripts)")
    add(team, "members", cmd_team_members, "the team's members and their roles")
    p = add(team, "remove", cmd_team_remove, "remove a member (a new team key is made)")
    p.add_argument("who", help="a user name or account id")
    p.add_argument("--yes", action="store_true", help="do not ask (scripts)")
    p = add(team, "role", cmd_team_role, "change a member's role")
    p.add_argument("who")
    p.add_argument("role", choices=["admin", "member", "viewer"])
    add(team, "status", cmd_team_status, "the team, last sync, what waits and needs review")

    p = sub.add_parser("sync", parents=[common], help="send and receive the team's changes",
                       description="send and receive the team's changes")
    p.set_defaults(func=cmd_sync)


# --- helpers -------------------------------------------------------------------------


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        print(text())


def _open(args: argparse.Namespace) -> Store:
    from eolcare.cli.common import open_store

    return open_store(args)  # the default profile; a wrong passphrase asked again


def _open_with_passphrase(args: argparse.Namespace) -> tuple[Store, str]:
    """The profile opened with the passphrase typed now (the account needs the text)."""
    from eolcare.cli.common import choose_profile
    from eolcare.store import vault
    from eolcare.store.database import Store

    profile = choose_profile(args.profile)
    passphrase = passphrases.existing(args.passphrase_file)
    return Store(profile, vault.unlock(profile.vault_path, passphrase)), passphrase


def _confirm(args: argparse.Namespace, question: str) -> bool:
    if getattr(args, "yes", False):
        return True
    if not sys.stdin.isatty():
        raise SyncUsageError(f"{question} Answer with --yes when not running in a terminal.")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _policy(args: argparse.Namespace) -> account.KdfPolicy:
    from eolcare.sync import account

    return account.FAST_KDF_FOR_TESTS if getattr(args, "fast_kdf_for_tests", False) \
        else account.DEFAULT_KDF


def _share_question(count: int, team: str) -> str:
    return (f"{count} change(s) already made on this laptop will be shared with the team "
            f"{team!r} at the next sync, so every member will see those records. Go on?")


# --- account -------------------------------------------------------------------------


def cmd_register(args: argparse.Namespace) -> int:
    from eolcare.sync import account

    store, passphrase = _open_with_passphrase(args)
    with store:
        acc = account.register(store, args.server, args.username, passphrase,
                               ca_bundle=str(args.ca_bundle) if args.ca_bundle else None,
                               policy=_policy(args))
    print(f"Registered and signed in as {acc.username!r} at {acc.server_url}. Next: "
          "'eolcare team create NAME', or ask a team admin to invite you.")
    return 0


def cmd_login(args: argparse.Namespace) -> int:
    from eolcare.sync import account, teams

    store, passphrase = _open_with_passphrase(args)
    with store:
        found = account.login(store, args.server, args.username, passphrase,
                              ca_bundle=str(args.ca_bundle) if args.ca_bundle else None,
                              policy=_policy(args))
        print(f"Signed in as {args.username!r}.")
        if len(found) == 1:
            waiting = teams.records_to_share(store)
            if waiting and not _confirm(args, _share_question(waiting, found[0].name)):
                print("Not joined to the team; nothing was shared.")
                return 0
            teams.use_team(store, found[0])
            print(f"This profile now syncs with the team {found[0].name!r}. Run 'eolcare sync'.")
        elif found:
            print("Your account is in several teams; this profile syncs with one. "
                  "Use another profile per team.")
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    from eolcare.sync import account

    with _open(args) as store:
        warning = account.unsynced(store).warning()
        question = ("Signing out removes the team's records from this laptop. "
                    + (f"Warning: {warning} " if warning else "Everything has been synced. ")
                    + "Sign out?")
        if not _confirm(args, question):
            print("Still signed in; nothing was removed.")
            return 0
        account.sign_out(store)
    print("Signed out; the team's records were removed from this laptop.")
    return 0


# --- team ----------------------------------------------------------------------------


def cmd_team_create(args: argparse.Namespace) -> int:
    from eolcare.sync import teams

    with _open(args) as store:
        waiting = teams.records_to_share(store)
        if waiting and not _confirm(args, _share_question(waiting, args.name)):
            print("No team was created.")
            return 0
        made = teams.create(store, args.name)
    print(f"Team {made.name!r} created; you are its admin. Invite with "
          "'eolcare team invite USERNAME'.")
    return 0


def cmd_team_invite(args: argparse.Namespace) -> int:
    from eolcare.sync import teams

    with _open(args) as store:
        invitee = teams.prepare_invite(store, args.username)
        print(f"Fingerprint for you and {args.username}:\n\n    {invitee.fingerprint}\n")
        if not _confirm(args, f"Does {args.username} see exactly these numbers "
                              "(compare them by phone or in person)?"):
            print("Not invited.")
            return 0
        teams.invite(store, invitee, args.role)
    print(f"Invited {args.username} as {args.role}. They accept with 'eolcare team join'.")
    return 0


def cmd_team_join(args: argparse.Namespace) -> int:
    from eolcare.sync import teams

    with _open(args) as store:
        offers = teams.invitations(store)
        if args.invitation:
            offers = [o for o in offers if o.invitation.invitation_id.startswith(args.invitation)]
        if not offers:
            raise SyncUsageError("There is no invitation for your account.")
        if len(offers) > 1:
            raise SyncUsageError("There are several invitations; give the id of one: "
                                 + ", ".join(o.invitation.invitation_id for o in offers))
        offer = offers[0]
        print(f"Invitation to {offer.invitation.team_name!r} as {offer.invitation.role}.")
        print(f"Fingerprint for you and the admin who invited you:\n\n    "
              f"{offer.fingerprint}\n")
        if not _confirm(args, "Does the admin see exactly these numbers?"):
            print("Not joined.")
            return 0
        waiting = teams.records_to_share(store)
        if waiting and not _confirm(args, _share_question(waiting,
                                                          offer.invitation.team_name)):
            print("Not joined; nothing was shared.")
            return 0
        joined = teams.accept(store, offer)
    print(f"Joined {joined.name!r}. Run 'eolcare sync' to receive the team's records.")
    return 0


def cmd_team_members(args: argparse.Namespace) -> int:
    from eolcare.sync import teams

    with _open(args) as store:
        found = teams.members(store)
    rows = [{"account_id": m.account_id, "role": m.role, "has_current_key": m.has_current_key,
             "you": m.me, "fingerprint": m.fingerprint} for m in found]

    def text() -> str:
        return "\n".join(f"{m.account_id}  {m.role:<7} {'(you)' if m.me else m.fingerprint}"
                         + ("" if m.has_current_key else "  (waiting for the team key)")
                         for m in found)
    _emit(args, rows, text)
    return 0


def cmd_team_remove(args: argparse.Namespace) -> int:
    from eolcare.sync import teams

    with _open(args) as store:
        if not _confirm(args, f"Remove {args.who} from the team? Their sessions end now and "
                              "they cannot read anything written from now on."):
            print("Nobody was removed.")
            return 0
        epoch = teams.remove(store, args.who)
    print(f"Removed. The team now uses key {epoch}, shared with the remaining members.")
    return 0


def cmd_team_role(args: argparse.Namespace) -> int:
    from eolcare.sync import teams

    with _open(args) as store:
        teams.set_role(store, args.who, args.role)
    print(f"{args.who} is now {args.role}.")
    return 0


def cmd_team_status(args: argparse.Namespace) -> int:
    from eolcare.sync import teams

    with _open(args) as store:
        st = teams.status(store)
    data = {"server": st.server, "username": st.username, "team": st.team, "role": st.role,
            "epoch": st.epoch, "last_synced": st.last_synced, "removed": st.removed,
            "waiting": st.waiting, "needing_review": st.needing_review,
            "unreadable": st.unreadable}

    def text() -> str:
        if st.server is None:
            return "Not signed in to a team server ('eolcare account register' or 'login')."
        lines = [f"Server:          {st.server} (as {st.username})",
                 f"Team:            {st.team or '(none yet)'}"
                 + (f" ({st.role})" if st.role else ""),
                 f"Last synced:     {st.last_synced:%d %b %Y %H:%M}" if st.last_synced
                 else "Last synced:     never",
                 f"Changes waiting: {st.waiting}",
                 f"Needing review:  {st.needing_review}"]
        if st.unreadable:
            lines.append(f"Not opened:      {st.unreadable} change(s) (see the log)")
        if st.removed:
            lines.append(f"Removed from the team on {st.removed:%d %B %Y}.")
        return "\n".join(lines)
    _emit(args, data, text)
    return 0


# --- sync ----------------------------------------------------------------------------


def cmd_sync(args: argparse.Namespace) -> int:
    with _open(args) as store:
        summary = _run_sync(store, show=sys.stderr.isatty() and not args.json)
    data = summary.to_json()

    def text() -> str:
        lines = [f"Sent {summary.pushed}, received {summary.pulled} "
                 f"({summary.applied} new) in {summary.duration:.1f} s."]
        if summary.conflicts:
            lines.append(f"{summary.conflicts} record(s) need review: both values were kept.")
        if summary.duplicates:
            lines.append(f"{summary.duplicates} pair(s) of people share an NHS number: "
                         "flagged for review as possible duplicates.")
        if summary.unreadable:
            lines.append(f"{len(summary.unreadable)} change(s) could not be opened and were "
                         "skipped (ids: " + ", ".join(summary.unreadable[:5])
                         + (", ..." if len(summary.unreadable) > 5 else "") + ").")
        return "\n".join(lines)
    _emit(args, data, text)
    return 0


def _run_sync(store: Store, *, show: bool) -> engine.SyncSummary:
    from eolcare.sync import engine

    if not show:
        return run(engine.sync(store))
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    with Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
             transient=True) as bar:
        task = bar.add_task("syncing", total=None)

        def show_step(p: Progress) -> None:
            bar.update(task, completed=p.done, total=p.total or None, description=p.what)
        return run(engine.sync(store), on_progress=show_step)


__all__ = ["SyncError", "add_commands"]
