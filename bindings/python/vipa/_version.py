"""The package version; the C library's major.minor must match it (see _lib.py)."""
__version__ = "0.5.1"
