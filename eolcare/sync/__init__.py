"""End-to-end encrypted sync: crypto, protocol messages, and (later) the client engine.

`crypto` and `protocol` are shared with the server, which checks login
signatures and stores sealed keys and ciphertext it cannot read.
"""
