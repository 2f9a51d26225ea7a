"""The program in real processes: pipes that close early, and a real terminal (a pty)
for passphrase prompts."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.conftest import CliRun

EOLCARE = str(Path(sys.executable).with_name("eolcare"))


def test_no_traceback_when_the_reader_closes_the_pipe(cli: CliRun, eolcare_home: Path,
                                                      passphrase_file: Path,
                                                      tmp_path: Path) -> None:
    code, _, err = cli("demo", "--people", "300", "--seed", "3", "--fast-kdf-for-tests")
    assert code == 0, err
    errors = tmp_path / "stderr.txt"
    # far more than a pipe buffer (64 KiB) of JSON, so eolcare is still writing when head exits
    pipeline = (f"'{EOLCARE}' list --all --json --profile demo --no-keyring "
                f"--passphrase-file '{passphrase_file}' 2>'{errors}' | head -1; "
                "echo \"status ${PIPESTATUS[0]}\"")
    result = subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True,
                            env={**os.environ, "EOLCARE_HOME": str(eolcare_home)},
                            timeout=120, check=False)
    assert result.stdout.splitlines()[0] == "["
    assert result.stdout.splitlines()[-1] == "status 1"  # stopped by the closed pipe
    assert errors.read_text() == ""  # no traceback, no "Exception ignored" at exit


class Terminal:
    """``eolcare`` run in a pseudo-terminal, so getpass and isatty see a real terminal."""

    def __init__(self, *args: str, home: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes eolcare
            os.environ["EOLCARE_HOME"] = str(home)
            os.execv(EOLCARE, [EOLCARE, *args])  # noqa: S606 (the installed program, no shell)
        self.seen = ""
        self.everything = ""

    def expect(self, text: str, timeout: float = 60) -> str:
        """Wait for ``text``; what came up to it is consumed (so a prompt is waited for anew)."""
        end = time.monotonic() + timeout
        while text not in self.seen:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} not seen; got {self.seen!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child has gone
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{text!r} not seen before the end; got {self.seen!r}")
                decoded = chunk.decode("utf-8", "replace")
                self.seen += decoded
                self.everything += decoded
        upto = self.seen.index(text) + len(text)
        consumed, self.seen = self.seen[:upto], self.seen[upto:]
        return consumed

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def exit_code(self) -> int:
        try:
            while os.read(self.fd, 4096):
                pass
        except OSError:
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def test_init_asks_again_for_a_passphrase_that_breaks_the_rules(eolcare_home: Path) -> None:
    t = Terminal("init", "--profile", "alex", "--name", "Alex", "--no-keyring",
                 "--fast-kdf-for-tests", home=eolcare_home)
    t.expect("New passphrase: ")
    t.type("short")  # too short: asked again at once, not after the second entry
    t.expect("at least 8 characters")
    t.expect("New passphrase: ")  # asked again
    t.type("a long enough passphrase")
    t.expect("New passphrase again: ")
    t.type("a long enough passphrase, not the same")
    t.expect("were not the same")
    t.expect("New passphrase: ")
    t.type("a long enough passphrase")
    t.expect("New passphrase again: ")
    t.type("a long enough passphrase")
    t.expect("Press Enter once you have written it down")
    t.type("")
    assert t.exit_code() == 0
    assert (eolcare_home / "profiles" / "alex").is_dir()


def test_a_wrong_passphrase_is_asked_for_again_three_times(profile: str,
                                                           eolcare_home: Path) -> None:
    t = Terminal("list", "--no-keyring", home=eolcare_home)
    t.expect("Passphrase: ")
    t.type("not the passphrase")
    t.expect("try again (2 more)")
    t.expect("Passphrase: ")  # typing earlier would be flushed by getpass
    t.type("still not the passphrase")
    t.expect("try again (1 more)")
    t.expect("Passphrase: ")
    t.type("a long test passphrase")
    t.expect("No one found.")
    assert t.exit_code() == 0

    t = Terminal("list", "--no-keyring", home=eolcare_home)
    for _ in range(3):
        t.expect("Passphrase: ")
        t.type("wrong wrong wrong")
    t.expect("not right for this profile")
    assert t.exit_code() == 4
    assert "Traceback" not in t.everything
