"""The coordinator's record: entities, coded values, validation and clocks.

Pure Python: no Qt, no SQLAlchemy, no I/O. Everything here can be used and
tested without a database or a screen.
"""
