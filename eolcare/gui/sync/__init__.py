"""Team sync in the window: status, background sync, conflict review, team screens.

Standalone widgets the main window wires in; all network and database work
runs on :mod:`eolcare.gui.worker` (sync on the writer thread, status and
look-ups on the reader pool), so the window never waits.
"""
