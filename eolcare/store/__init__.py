"""The local store: SQLAlchemy on SQLCipher, migrations, search, the vault.

Every change to the record goes through :mod:`eolcare.store.writes` as an
operation, so history, the sync outbox and the audit trail can never miss one.
"""
