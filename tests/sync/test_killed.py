"""A laptop's sync process killed (SIGKILL) after decrypting and applying a page but
before committing it: restarted, it syncs again and ends with every record once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable

from sqlalchemy import func, select

from eolcare.store import inbox
from eolcare.store.tables import OperationRow
from eolcare.sync import teams
from tests.conftest import PASSPHRASE
from tests.sync.conftest import Laptop, op_ids, snapshot
from tests.sync.test_teams import add_person

Team = Callable[[int], list[Laptop]]

CHILD = textwrap.dedent("""
    import sys, time
    from eolcare.domain.jobs import run
    from eolcare.store import inbox
    from eolcare.store.database import open_profile
    from eolcare.sync import engine

    real = inbox.receive

    def receive(writer, feed, ops, cursor, **kw):
        received = real(writer, feed, ops, cursor, **kw)
        writer.session.flush()  # the page is written, not committed
        print("PAGE-APPLIED", len(ops), flush=True)
        time.sleep(600)  # killed here
        return received

    inbox.receive = receive
    store = open_profile(sys.argv[1], lambda: sys.argv[2], use_keyring=False)
    run(engine.sync(store, page=10))
""")


def test_a_sync_killed_before_committing_a_page_resumes_cleanly(team: Team) -> None:
    ann, ben = team(2)
    for i in range(25):
        add_person(ann, f"Killed Sync{i}")
    ann.sync()
    team_id = teams.my_team(ben.store).team_id
    with ben.store.reading() as s:
        before = (inbox.cursor(s, team_id), s.scalar(select(func.count(OperationRow.seq))))
    ben.store.close()  # the profile is the child's now
    child = subprocess.Popen([sys.executable, "-c", CHILD, ben.name, PASSPHRASE],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().decode()
        assert line.startswith("PAGE-APPLIED 10"), child.stderr.read().decode() if \
            child.stderr else line
        os.kill(child.pid, signal.SIGKILL)
        child.wait(20)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    ben.reopen()
    with ben.store.reading() as s:  # nothing of the killed page stayed
        assert (inbox.cursor(s, team_id),
                s.scalar(select(func.count(OperationRow.seq)))) == before
    summary = ben.sync()
    assert summary.applied == 25
    assert snapshot(ben.store) == snapshot(ann.store)
    assert op_ids(ben.store) == op_ids(ann.store)
