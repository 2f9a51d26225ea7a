"""Tests of the sync server, each run on SQLite and on PostgreSQL."""
