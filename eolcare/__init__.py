"""eolcare: the end-of-life care coordinator's record, encrypted and offline-first."""

__version__ = "0.1.0"
