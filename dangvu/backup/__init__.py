"""Backup and restore: one archive holding a consistent copy of the database and the files the application keeps
under var/, with a manifest that restore verifies before touching anything (docs/operations.md)."""
