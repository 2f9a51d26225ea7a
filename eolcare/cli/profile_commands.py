"""The profile's life from the command line: create, finish, fill with a demo, remove,
change its passphrase, back up and restore.

Creation is all or nothing: a profile counts as created once its recovery key
has been printed; one left unfinished by a kill is named as such on the next
run, with the way to finish or remove it. Removal, passphrase changes and
restores hold the profile's lock, so none happens while another program has
the profile open. SIGTERM stops a command the way Ctrl-C does.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from eolcare.cli import passphrases
from eolcare.cli.args import whole_number
from eolcare.cli.common import choose_profile, default_profile, set_default_profile
from eolcare.domain.errors import (
    CorruptDatabaseError,
    EolcareError,
    NotFoundError,
    ProfileExistsError,
    ProfileNotFoundError,
    StoreError,
    VaultCorruptError,
    VaultMissingError,
)

# The store (SQLAlchemy, SQLCipher, crypto) is imported inside the commands that use it:
# building eolcare's parser imports this module, and must stay fast.
if TYPE_CHECKING:
    from eolcare.store import backup, lifecycle, vault
    from eolcare.store.database import Store
    from eolcare.store.profiles import Profile

Command = Callable[[argparse.Namespace], int]


class ProfileCommandError(EolcareError):
    """A command given in a way that cannot work (exit code 2, like a usage error)."""

    exit_code = 2


# -- hooks for main ------------------------------------------------------------------


def stop_on_sigterm() -> None:
    """SIGTERM (a logout, ``kill``, a service stop) stops a command the way Ctrl-C does.

    Python's default for SIGTERM ends the process at once, skipping the
    clean-up that a KeyboardInterrupt runs (rolling back, removing an
    unfinished demo profile, releasing the lock).
    """

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def hint(error: EolcareError, args: argparse.Namespace) -> str | None:
    """The command that is the way out of ``error``, to print after its message."""
    from eolcare.store.profiles import NEW, ProfileUnfinishedError

    if isinstance(error, ProfileUnfinishedError):
        name = error.profile.name
        if error.profile.state == NEW:
            return (f"Finish it with 'eolcare init --profile {name} --finish', or remove it "
                    f"with 'eolcare profiles remove {name}'.")
        return f"Remove it with 'eolcare profiles remove {name}', then create it again."
    if isinstance(error, ProfileNotFoundError):
        return {
            "missing": f"Create it with 'eolcare init --profile {error.name}'; "
                       "'eolcare profiles' lists the profiles there are.",
            "none": "Create one with 'eolcare init' (or 'eolcare demo' for a demo caseload).",
            "several": "Choose one with --profile NAME, or make one the default with "
                       "'eolcare profiles default NAME'.",
        }.get(error.reason)
    if isinstance(error, NotFoundError) and getattr(args, "person", None) is not None:
        return "'eolcare search WORDS' finds people by name, NHS number, address or notes."
    vault = sys.modules.get("eolcare.store.vault")  # not loaded: no error of its can be here
    damaged = (CorruptDatabaseError, VaultCorruptError, VaultMissingError,
               *((vault.VaultMismatchError,) if vault else ()))
    if isinstance(error, damaged) and getattr(args, "command", None) != "restore":
        chosen = getattr(args, "profile", None)
        where = f" --profile {chosen}" if chosen else ""
        return f"To see this profile's backups and restore one: eolcare restore{where}"
    return None


def warn_if_incomplete(store: Store) -> None:
    from eolcare.store.profiles import incomplete_note

    note = incomplete_note(store.profile)
    if note:
        print(f"eolcare: {note}", file=sys.stderr)


# -- creating ------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from eolcare.store import lifecycle
    from eolcare.store.profiles import ProfileUnfinishedError, find_profile

    name = args.profile or "default"
    if args.finish:
        return _finish(find_profile(name, unfinished=True), args)
    author = args.name or _ask("Your name (shown on every change you make): ")
    try:
        new = lifecycle.begin_profile(name, author, passphrases.new(args.passphrase_file),
                                      _kdf(args))
    except ProfileUnfinishedError as e:
        if _offer_unfinished(e.profile, args):
            return cmd_init(args)
        raise
    with new.store as store:
        _show_recovery_key(store, new.recovery_key)
    return 0


def _finish(profile: Profile, args: argparse.Namespace) -> int:
    from eolcare.store import lifecycle

    passphrase = passphrases.existing(args.passphrase_file)
    new = lifecycle.finish_profile(profile, passphrase)
    with new.store as store:
        _show_recovery_key(store, new.recovery_key, replaced=True)
    return 0


def _show_recovery_key(store: Store, recovery: str, *, replaced: bool = False) -> None:
    """Print the recovery key; the profile counts as created once it has been shown."""
    from eolcare.store import lifecycle

    name = store.profile.name
    print(f"Profile {name!r} {'finished' if replaced else 'created'}.\n")
    if replaced:
        print("Its first recovery key was never shown, so it has been replaced by this one.\n")
    print("Your recovery key (write it down or print it, and keep it somewhere safe):\n")
    print(f"    {recovery}\n")
    print("It unlocks this profile if the passphrase is forgotten. It is shown only now.",
          flush=True)
    if sys.stdin.isatty():
        input("Press Enter once you have written it down. ")
    lifecycle.confirm_recovery_key_shown(store)


def _offer_unfinished(profile: Profile, args: argparse.Namespace) -> bool:
    """At a terminal, offer to finish or remove an unfinished profile; True to try again."""
    from eolcare.store import lifecycle
    from eolcare.store.profiles import NEW, ProfileUnfinishedError

    if not sys.stdin.isatty():
        return False
    print(f"eolcare: {ProfileUnfinishedError(profile)}", file=sys.stderr)
    can_finish = profile.state == NEW and args.command == "init"
    choices = "[f]inish, [r]emove, or leave it [Enter]" if can_finish else \
        "[r]emove it, or leave it [Enter]"
    answer = input(f"{choices}? ").strip().lower()
    if answer.startswith("f") and can_finish:
        args.finish = True
        return True
    if answer.startswith("r"):
        lifecycle.remove_profile(profile)
        print(f"Profile {profile.name!r} removed.")
        return True
    return False


def cmd_demo(args: argparse.Namespace) -> int:
    from eolcare import demo
    from eolcare.cli import render
    from eolcare.cli.progress import run_with_progress
    from eolcare.store import caseload, lifecycle
    from eolcare.store.profiles import ProfileUnfinishedError, incomplete_note, list_profiles

    name = args.profile or "demo"
    existing = next((p for p in list_profiles() if p.name == name and p.finished), None)
    if existing is not None:
        # tools/demo --people 2000 run a second time lands here: say why nothing happens
        note = incomplete_note(existing)
        raise ProfileExistsError(
            f"A profile called {name!r} already exists, so no new demo caseload of "
            f"{args.people:,} people was made. Use it (eolcare list --profile {name}), make "
            f"another beside it (--profile {name}2), or remove it first: "
            f"eolcare profiles remove {name}" + (f"\n{note}" if note else ""))
    passphrase = passphrases.new(args.passphrase_file)
    try:
        new = lifecycle.begin_profile(name, args.name or "Demo Coordinator", passphrase,
                                      _kdf(args))
    except ProfileUnfinishedError as e:
        if _offer_unfinished(e.profile, args):
            return cmd_demo(args)
        raise
    store = new.store
    try:
        _show_recovery_key(store, new.recovery_key)
        lifecycle.mark_incomplete(store, "demo")
        summary = run_with_progress(demo.generate(store, args.people, seed=args.seed),
                                    "Creating the demo caseload")
        lifecycle.mark_complete(store)
        with store.reading() as s:
            first = caseload.list_people(s, limit=15)
    except BaseException:
        # half a demo caseload helps nobody; removed while still locked, so no other
        # program can have opened it meanwhile
        lifecycle.remove_open_profile(store)
        print(f"eolcare: the demo profile {name!r} was not finished and has been removed.",
              file=sys.stderr)
        raise
    store.close()
    print(f"Demo caseload: {summary.people:,} people ({summary.died} died), "
          f"{summary.services} services, {summary.volunteers} volunteers, "
          f"{summary.rows:,} records in {summary.seconds:.1f} s. All synthetic.\n")
    print(f"A preview: the first {len(first)} in name order ('eolcare list --profile {name}' "
          "shows them all).\n")
    print(render.people(first))
    print(f"\nNext: eolcare show --profile {name} NAME, eolcare reviews --profile {name}, "
          "eolcare --help")
    return 0


def _kdf(args: argparse.Namespace) -> vault.VaultKdf:
    from eolcare.store import vault

    return vault.KDF_FAST_FOR_TESTS if args.fast_kdf_for_tests else vault.KDF_DEFAULT


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise ProfileCommandError("Give your name with --name when not running in a terminal.")
    return input(prompt)


# -- listing and removing ----------------------------------------------------------------


def _state(profile: Profile) -> str:
    from eolcare.store.profiles import NEW

    if profile.state == NEW:
        return "unfinished (recovery key not shown)"
    if not profile.finished:
        return "unfinished (nothing in it)"
    if profile.incomplete:
        return f"incomplete {profile.incomplete}"
    return "ready"


def cmd_profiles(args: argparse.Namespace) -> int:
    from eolcare.cli.tables import table
    from eolcare.store.profiles import list_profiles

    if args.action == "remove":
        return _remove(args)
    if args.action == "default":
        return _set_default(args)
    if args.target:
        raise ProfileCommandError("Did you mean 'eolcare profiles remove NAME' or "
                                  "'eolcare profiles default NAME'?")
    found = list_profiles()
    default = default_profile()
    note = ""
    if len(found) > 1 and default not in {p.name for p in found}:
        note = ("\n\nWith several profiles, commands need --profile NAME, or set a default: "
                "eolcare profiles default NAME")
    _emit(args, [{"name": p.name, "author": p.author, "created": p.created, "path": str(p.path),
                  "state": p.state, "incomplete": p.incomplete, "default": p.name == default}
                 for p in found],
          lambda: table(["Profile", "Coordinator", "Created", "State"],
                               [[p.name + (" (default)" if p.name == default else ""),
                                 p.author, p.created, _state(p)] for p in found]) + note
          if found else "No profiles yet. Create one with 'eolcare init'.")
    return 0


def _set_default(args: argparse.Namespace) -> int:
    """``profiles default NAME``: the profile commands use without --profile ('-': none)."""
    if not args.target:
        current = default_profile()
        print(f"The default profile is {current!r}." if current else
              "No default profile is set: eolcare profiles default NAME sets one.")
        return 0
    if args.target == "-":
        set_default_profile(None)
        print("No default profile now: with several profiles, commands need --profile NAME.")
        return 0
    profile = choose_profile(args.target)  # says so when there is no such profile
    set_default_profile(profile.name)
    print(f"{profile.name!r} is now the default profile; --profile NAME chooses another.")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from eolcare.store import lifecycle
    from eolcare.store.database import Store
    from eolcare.store.profiles import find_profile

    name = args.target or args.profile
    if not name:
        raise ProfileCommandError("Name the profile to remove: eolcare profiles remove NAME.")
    profile = find_profile(name, unfinished=True)
    if not profile.finished:
        print(f"Profile {name!r} was never finished: nothing was ever saved in it.")
        _confirm(args, f"Remove profile {name!r}?")
        lifecycle.remove_profile(profile)
    elif args.no_unlock:
        print(f"Profile {name!r} will be removed without unlocking it, so eolcare cannot say "
              "what in it has not been synced. Its backups are removed with it.")
        _confirm(args, f"Type the profile's name ({name}) to remove it for good: ", name)
        lifecycle.remove_profile(profile)
    else:
        store = Store(profile, _key(profile, args))
        try:
            facts = lifecycle.removal_facts(store)
            print(_removal_warning(name, facts))
            _confirm(args, f"Type the profile's name ({name}) to remove it for good: ", name)
        except BaseException:
            store.close()
            raise
        lifecycle.remove_open_profile(store)
    print(f"Profile {name!r} removed from this computer.")
    return 0


def _removal_warning(name: str, facts: lifecycle.Removal) -> str:
    lines = [f"Profile {name!r} holds {facts.people:,} people's records."]
    if facts.unsynced_changes:
        never = " (this profile has never synced)" if facts.never_synced else ""
        lines.append(f"{facts.unsynced_changes:,} changes made on this computer have not been "
                     f"synced to a team server{never}: they exist only in this profile.")
    else:
        lines.append("Every change made on this computer has been synced.")
    lines.append(f"Its {facts.backups} backup(s) are removed with it.")
    return "\n".join(lines)


def _confirm(args: argparse.Namespace, prompt: str, expected: str | None = None) -> None:
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise ProfileCommandError("Nothing was changed: confirm with --yes when not running in "
                                  "a terminal.")
    answer = input(prompt).strip()
    if (answer != expected) if expected is not None else not answer.lower().startswith("y"):
        raise ProfileCommandError("Not confirmed; nothing was changed.")


def _key(profile: Profile, args: argparse.Namespace) -> bytes:
    """The profile's key: from the keyring, the recovery key file, or the passphrase."""
    from eolcare.cli.common import unlock
    from eolcare.store.database import key_from_keyring, unlock_with_recovery_key

    use_keyring = not args.no_keyring
    key = key_from_keyring(profile) if use_keyring else None
    if key is not None:
        return key
    if getattr(args, "recovery_key_file", None):
        return unlock_with_recovery_key(profile, passphrases.read_file(args.recovery_key_file))
    return unlock(args, profile, use_keyring=use_keyring)  # at a terminal: three tries


# -- passphrase -------------------------------------------------------------------------


def cmd_passphrase(args: argparse.Namespace) -> int:
    """Change the one passphrase: the profile's and, when signed in, the team account's.

    ``eolcare account passphrase`` is the same command. With
    ``--recovery-key-file`` (a forgotten passphrase) the account changes too:
    its keys are kept in the profile, so the server's part needs no old text.
    """
    from eolcare.store import vault
    from eolcare.store.database import Store, unlock_with_recovery_key
    from eolcare.sync import account

    profile = choose_profile(args.profile)
    old: str | None = None
    recovery: str | None = None
    if getattr(args, "recovery_key_file", None):
        recovery = passphrases.read_file(args.recovery_key_file)
        key = unlock_with_recovery_key(profile, recovery)
    else:
        old = passphrases.existing(args.passphrase_file, "current passphrase")
        key = vault.unlock(profile.vault_path, old, profile_id=profile.id)
    new = passphrases.new(args.new_passphrase_file)
    policy = (account.FAST_KDF_FOR_TESTS if getattr(args, "fast_kdf_for_tests", False)
              else account.DEFAULT_KDF)
    with Store(profile, key) as store:  # holds the lock: refused while open elsewhere
        both = account.change_passphrase(store, old, new, recovery_key=recovery,
                                         policy=policy)
    print("Passphrase changed for this profile" + (" and your team account" if both else "")
          + ". Your records were not touched; the recovery key still works.")
    return 0


# -- backups ----------------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    from eolcare.store import backup
    from eolcare.store.database import Store

    profile = choose_profile(args.profile)
    with Store(profile, _key(profile, args)) as store:
        warn_if_incomplete(store)
        made = store.backup_now()
    kept = backup.list_backups(profile)
    _emit(args, {"made": backup.describe_all([made])[0], "backups": backup.describe_all(kept)},
          lambda: f"Backup made and checked: {made.people:,} people, {_size(made.size)}.\n\n"
                  + _backup_table(kept))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from eolcare.store import backup

    profile = choose_profile(args.profile)
    kept = backup.list_backups(profile)
    if not kept:
        raise StoreError("This profile has no backups yet, so there is nothing to restore. "
                         "eolcare makes one when a changed profile is closed.")
    if args.json:  # for scripts: the list only; restoring is done by a person
        _emit(args, backup.describe_all(kept), lambda: "")
        return 0
    key = _key_or_restored_key_file(profile, args)
    print(f"Backups of profile {profile.name!r}, newest first:\n")
    print(_backup_table(kept))
    chosen = _choose_backup(kept, args)
    print(f"\nRestoring backup {kept.index(chosen) + 1} (made {_when(chosen)}, "
          f"{chosen.people:,} people) replaces the profile's database; changes made after it "
          "are not in it. The current database is kept aside, not deleted.")
    _confirm(args, "Restore it? [y/N] ")
    aside = backup.restore(profile, key, chosen)
    print(f"Restored. The database it replaced is kept in {aside}.")
    return 0


def _key_or_restored_key_file(profile: Profile, args: argparse.Namespace) -> bytes:
    from eolcare.store import backup
    from eolcare.store.vault import VaultMismatchError

    try:
        return _key(profile, args)
    except (VaultMissingError, VaultCorruptError, VaultMismatchError) as e:
        print(f"eolcare: {e}", file=sys.stderr)
        print("The backups folder keeps a copy of the key file; it opens with the passphrase "
              "in use when it was copied, or with the recovery key.", file=sys.stderr)
        _confirm(args, "Put the copy of the key file back? [y/N] ")
        if not backup.restore_key_file(profile):
            raise
        return _key(profile, args)


def _choose_backup(kept: list[backup.Backup], args: argparse.Namespace) -> backup.Backup:
    """``--backup N``; else, at a terminal, asked (Enter: the newest); else the newest."""
    number = args.backup
    if number is None:
        number = 1
        if sys.stdin.isatty() and not args.yes:
            typed = input("\nWhich backup [1]? ").strip()
            number = int(typed) if typed.isdigit() else 1 if not typed else 0
    if not 1 <= number <= len(kept):
        raise ProfileCommandError(f"Choose a backup from 1 to {len(kept)}.")
    return kept[number - 1]


def _backup_table(kept: list[backup.Backup]) -> str:
    from eolcare.cli.tables import table

    return table(["#", "Made", "Why", "People", "Size"],
                        [[str(i), _when(b), b.reason, f"{b.people:,}", _size(b.size)]
                         for i, b in enumerate(kept, 1)])


def _when(b: backup.Backup) -> str:
    return b.made.astimezone().strftime("%a %d %b %Y %H:%M")


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        print(text())


# -- the parser --------------------------------------------------------------------------


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add init, demo, profiles, passphrase, backup and restore to ``eolcare``'s parser."""

    def add(name: str, func: Command, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, parents=[common], help=help_,
                                                    description=help_)
        p.set_defaults(func=func)
        return p

    for name, func, help_ in (
        ("init", cmd_init, "create a profile (asks for a new passphrase)"),
        ("demo", cmd_demo, "create a profile with a synthetic demo caseload"),
    ):
        p = add(name, func, help_)
        p.add_argument("--name", help="your name, shown on every change you make")
        p.add_argument("--fast-kdf-for-tests", action="store_true", help=argparse.SUPPRESS)
        p.set_defaults(finish=False, yes=False)
    sub.choices["init"].add_argument(
        "--finish", action="store_true",
        help="finish a profile whose creation was interrupted (shows a new recovery key)")
    demo_parser = sub.choices["demo"]
    demo_parser.add_argument("--people", type=whole_number(1, 20_000, " people"), default=60,
                             help="how many people (1 to 20,000, default 60)")
    demo_parser.add_argument("--seed", type=whole_number(0, 2**63 - 1),
                             help="make the same caseload every time")

    p = add("profiles", cmd_profiles,
            "list the profiles on this computer, remove one (profiles remove NAME), or "
            "choose the default (profiles default NAME)")
    p.add_argument("action", nargs="?", choices=["list", "remove", "default"], default="list")
    p.add_argument("target", nargs="?", metavar="NAME",
                   help="the profile to remove, or to use by default ('-' for none)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--no-unlock", action="store_true",
                   help="remove without unlocking (passphrase and recovery key both lost)")

    p = add("passphrase", cmd_passphrase,
            "change the profile's passphrase (and its team account's, when signed in)")
    p.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    p.add_argument("--fast-kdf-for-tests", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--recovery-key-file", type=Path, metavar="FILE",
                   help="forgot the passphrase: use the recovery key in FILE")

    add("backup", cmd_backup, "back up the profile now (checked), and list its backups")
    p = add("restore", cmd_restore,
            "list the profile's backups and restore one (the current file is kept aside)")
    p.add_argument("--backup", type=whole_number(1, 10_000), metavar="N",
                   help="the backup to restore (1 = newest)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--recovery-key-file", type=Path, metavar="FILE",
                   help="unlock with the recovery key in FILE")
