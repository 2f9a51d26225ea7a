"""Sync errors a coordinator sees: plain sentences saying what to do next.

None of them carries a name, an NHS number or a note; ids at most.
"""

from __future__ import annotations

from datetime import datetime

from eolcare.domain.errors import EolcareError

_KEPT = "Your changes are kept on this laptop and will be sent at the next sync."


class SyncError(EolcareError):
    """Sync could not finish; nothing on the laptop was lost."""

    exit_code = 6


class OfflineError(SyncError):
    def __init__(self, server: str) -> None:
        super().__init__(
            f"The team server ({server}) cannot be reached: this laptop may be offline or "
            f"the server may be down. {_KEPT}")


class ServerError(SyncError):
    def __init__(self, server: str, status: int) -> None:
        super().__init__(
            f"The team server ({server}) had a problem (HTTP {status}). {_KEPT} "
            "If this goes on, tell whoever runs the server.")


class TlsError(SyncError):
    def __init__(self, server: str) -> None:
        super().__init__(
            f"The team server's certificate ({server}) could not be verified, so nothing was "
            "sent. Check the server address, or give its CA bundle with --ca-bundle. "
            f"{_KEPT}")


class OpenerStoppedError(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "The sync stopped: the part of eolcare that opens the team's changes ended "
            "unexpectedly (the computer may be short of memory). What arrived before is "
            f"kept; sync again to go on. {_KEPT}")


class PlainHttpError(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "The server address must start with https:// (plain http:// is allowed only "
            "for a server on this computer).")


class SignInError(SyncError):
    """The server did not accept this account's credentials."""


class RateLimitedError(SyncError):
    def __init__(self, seconds: str) -> None:
        super().__init__(f"The team server asks to wait {seconds} seconds before trying again.")


class NotSignedInError(SyncError):
    def __init__(self) -> None:
        super().__init__("This profile is not signed in to a team server yet: register or "
                         "sign in first.")


class NoTeamError(SyncError):
    def __init__(self) -> None:
        super().__init__("This profile is not in a team yet: create one or accept an "
                         "invitation first.")


class RemovedError(SyncError):
    def __init__(self, team: str, when: datetime) -> None:
        super().__init__(
            f"You were removed from the team {team!r} on {when:%d %B %Y}; nothing more is "
            "sent or received. Your own unsynced edits are kept on this laptop and can be "
            "exported in a handover pack.")


class WeakKdfError(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "The server offered key-derivation settings weaker than eolcare accepts, so the "
            "passphrase was not used. Tell whoever runs the server; nothing was sent.")


class KeyNotSharedError(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "The team's key changed and no admin has shared the new one with you yet. "
            f"{_KEPT} Ask a team admin to open eolcare and sync.")


class DigestMismatchError(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "After syncing, the team's log on this laptop still differs from the server's. "
            "Nothing was lost or overwritten; sync again later, and tell the server's "
            "administrator if it persists.")


class TeamError(SyncError):
    """A team action was refused (plain sentence from the server or the client)."""


class RefusedError(TeamError):
    """The server refused a request; ``status`` is its HTTP status."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"The team server refused: {detail.rstrip('.')}.")
        self.status = status
        self.detail = detail
