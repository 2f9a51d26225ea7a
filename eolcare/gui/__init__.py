"""The desktop window (PySide6): arrives with its own issue; the only layer that may import Qt."""
