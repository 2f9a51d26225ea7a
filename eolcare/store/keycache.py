"""Cache the database key in the OS keyring, so an unlocked laptop need not ask again.

Only a secure backend is used (Secret Service, macOS Keychain, Windows
Credential Locker and the like): never the ``fail`` or ``null`` backend, and
never a keyrings.alt one, which keeps secrets in a plain or home-made
encrypted file. Every call runs in a daemon thread and is given up after
``timeout`` seconds, because a locked Secret Service can hang; "not available"
is an answer, never an exception, and the app then asks for the passphrase.
Logs name backends and outcomes, never keys.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

import keyring
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import PasswordDeleteError

SERVICE = "eolcare"

_log = logging.getLogger("eolcare.store.keycache")
_T = TypeVar("_T")

# fail/null store nothing; keyrings.alt keeps secrets in a file of its own
# (plain text, or encrypted under a password it prompts for on a terminal).
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class _NoSecureBackendError(Exception):
    """Raised inside the worker thread when only insecure backends are present."""


def secure_backend_available(timeout: float = 3.0) -> bool:
    """Whether a secure keyring answers within ``timeout`` seconds."""
    return _attempt("probe", lambda backend: True, timeout, otherwise=False)


def store_key(profile_id: str, key: bytes, timeout: float = 3.0) -> bool:
    """Keep ``key`` for the profile; False when no secure keyring took it in time."""
    secret = base64.b64encode(key).decode("ascii")

    def store(backend: KeyringBackend) -> bool:
        backend.set_password(SERVICE, profile_id, secret)
        return True

    return _attempt("store", store, timeout, otherwise=False)


def load_key(profile_id: str, timeout: float = 3.0) -> bytes | None:
    """The cached key, or None when there is none or the keyring is not available."""
    secret = _attempt(
        "load", lambda backend: backend.get_password(SERVICE, profile_id), timeout, otherwise=None
    )
    if secret is None:
        return None
    try:
        return base64.b64decode(secret, validate=True)
    except binascii.Error:
        _log.warning("keyring entry is not base64; ignored")
        return None


def forget_key(profile_id: str, timeout: float = 3.0) -> None:
    """Remove the cached key, if any (when a profile is locked, or its passphrase changes)."""

    def forget(backend: KeyringBackend) -> None:
        with contextlib.suppress(PasswordDeleteError):  # nothing was cached
            backend.delete_password(SERVICE, profile_id)

    _attempt("forget", forget, timeout, otherwise=None)


def _attempt(
    action: str, operation: Callable[[KeyringBackend], _T], timeout: float, otherwise: _T
) -> _T:
    """Run ``operation`` on the secure backend in a daemon thread; ``otherwise`` on any failure.

    A daemon thread (not an executor's worker) so that a call that never
    returns cannot keep the app from exiting.
    """

    def run() -> _T:
        backend = _secure_backend()
        if backend is None:
            raise _NoSecureBackendError
        return operation(backend)

    future = _in_daemon_thread(run)
    try:
        result = future.result(timeout)
    except TimeoutError:
        _log.warning("keyring %s gave no answer within %.1f s; not using it", action, timeout)
    except _NoSecureBackendError:
        _log.info("keyring %s skipped: no secure backend", action)
    except Exception as exc:
        _log.warning("keyring %s failed: %s", action, type(exc).__name__)
    else:
        _log.debug("keyring %s done", action)
        return result
    return otherwise


def _in_daemon_thread(function: Callable[[], _T]) -> Future[_T]:
    future: Future[_T] = Future()

    def run() -> None:
        future.set_running_or_notify_cancel()
        try:
            future.set_result(function())
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=run, name="eolcare-keyring", daemon=True).start()
    return future


def _secure_backend() -> KeyringBackend | None:
    """The keyring backend to use, or None.

    From a chainer, pick its first secure member rather than the chainer
    itself, which would fall through to an insecure member on failure.
    """
    current = keyring.get_keyring()
    candidates = current.backends if isinstance(current, ChainerBackend) else [current]
    for backend in candidates:
        if _is_secure(backend):
            _log.debug("keyring backend: %s", _name(backend))
            return backend
    _log.info("no secure keyring backend; found %s", _name(current))
    return None


def _is_secure(backend: KeyringBackend) -> bool:
    if type(backend).__module__.startswith(_INSECURE_MODULES):
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend says it is unusable by raising from ``priority``
        return False


def _name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"
