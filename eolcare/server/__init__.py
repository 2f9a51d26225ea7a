"""The sync server: accounts, teams and an append-only log of ciphertext.

It never sees a name, an NHS number or a note; see docs/server.md.
"""
