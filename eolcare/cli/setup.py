"""Profiles and passphrases: init, demo, profiles (list, default), passphrase."""

from __future__ import annotations

import argparse
import sys

from eolcare.cli import passphrases, render
from eolcare.cli.common import (
    UsageError,
    choose_profile,
    default_profile,
    emit,
    preload_store,
    set_default_profile,
)
from eolcare.domain.errors import ProfileExistsError


def _kdf(args: argparse.Namespace) -> object:
    from eolcare.store import vault
    return vault.KDF_FAST_FOR_TESTS if args.fast_kdf_for_tests else vault.KDF_DEFAULT


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise UsageError("Give your name with --name when not running in a terminal.")
    return input(prompt)


def _recovery_notice(name: str, recovery: str) -> None:
    print(f"Profile {name!r} created.\n")
    print("Your recovery key (write it down or print it, and keep it somewhere safe):\n")
    print(f"    {recovery}\n")
    print("It unlocks this profile if the passphrase is forgotten. It is shown only now.")


def _refuse_existing(name: str, what: str) -> None:
    from eolcare.store.profiles import list_profiles

    if any(p.name == name for p in list_profiles()):
        raise ProfileExistsError(
            f"A profile called {name!r} already exists on this computer, so {what}. "
            f"Use it with --profile {name}, or choose another name with --profile NAME.")


def cmd_init(args: argparse.Namespace) -> int:
    name = args.profile or "default"
    _refuse_existing(name, "nothing was created")
    preload_store()
    author = args.name or _ask("Your name (shown on every change you make): ")
    passphrase = passphrases.new(args.passphrase_file)
    from eolcare.store.database import create_profile

    profile, recovery = create_profile(name, author, passphrase, _kdf(args))  # type: ignore[arg-type]
    _recovery_notice(profile.name, recovery)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    name = args.profile or "demo"
    _refuse_existing(name, f"no new demo caseload of {args.people:,} people was made")
    preload_store()
    passphrase = passphrases.new(args.passphrase_file)
    from eolcare.store import caseload, demo
    from eolcare.store.database import Store, create_profile, unlock_with_passphrase
    from eolcare.store.profiles import remove_unfinished

    profile, recovery = create_profile(name, args.name or "Demo Coordinator", passphrase,
                                       _kdf(args))  # type: ignore[arg-type]
    _recovery_notice(profile.name, recovery)
    try:
        key = unlock_with_passphrase(profile, passphrase, use_keyring=False)
        with Store(profile, key) as store:
            summary = demo.generate(store, args.people, seed=args.seed, progress=_progress)
            with store.reading() as s:
                first = caseload.list_people(s, limit=15)
    except BaseException:
        remove_unfinished(profile)  # half a demo caseload helps nobody
        raise
    finally:
        if sys.stderr.isatty():
            print(file=sys.stderr)
    print(f"Demo caseload: {summary.people:,} people ({summary.died} died), "
          f"{summary.services} services, {summary.volunteers} volunteers, "
          f"{summary.rows:,} records in {summary.seconds:.1f} s. All synthetic.\n")
    print(f"A preview: the first {len(first)} in name order ('eolcare list --profile {name}' "
          "shows them all).\n")
    print(render.people(first))
    print(f"\nNext: eolcare show --profile {name} NAME, eolcare reviews --profile {name}, "
          "eolcare --help")
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  creating the demo caseload: {done:,} / {total:,} people", end="",
              file=sys.stderr)


def cmd_profiles(args: argparse.Namespace) -> int:
    if args.action == "default":
        return _set_default(args)
    from eolcare.store.profiles import list_profiles

    found = list_profiles()
    default = default_profile()
    rows = [[p.name + (" (default)" if p.name == default else ""), p.author, p.created]
            for p in found]
    note = ""
    if len(found) > 1 and default not in {p.name for p in found}:
        note = ("\n\nCommands need --profile NAME, or a default: "
                "eolcare profiles default NAME")
    emit(args, [{"name": p.name, "author": p.author, "created": p.created,
                 "path": str(p.path), "default": p.name == default} for p in found],
         lambda: render.table(["Profile", "Coordinator", "Created"], rows) + note
         if found else "No profiles yet. Create one with 'eolcare init'.")
    return 0


def _set_default(args: argparse.Namespace) -> int:
    if not args.name:
        raise UsageError("Say which profile: eolcare profiles default NAME "
                         "('-' for no default).")
    if args.name == "-":
        set_default_profile(None)
        print("No default profile: with several profiles, commands need --profile NAME.")
        return 0
    profile = choose_profile(args.name)  # says so when there is no such profile
    set_default_profile(profile.name)
    print(f"{profile.name!r} is now the default profile; --profile NAME chooses another.")
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    from eolcare.store import vault

    profile = choose_profile(args.profile)
    if args.recovery_key_file:
        recovery = passphrases.read_file(args.recovery_key_file)
        new = passphrases.new(args.new_passphrase_file)
        vault.reset_passphrase(profile.vault_path, recovery, new)
    else:
        old = passphrases.existing(args.passphrase_file, "current passphrase")
        new = passphrases.new(args.new_passphrase_file)
        vault.change_passphrase(profile.vault_path, old, new)
    print("Passphrase changed. Your records were not touched; the recovery key still works.")
    return 0
