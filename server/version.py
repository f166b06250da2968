"""The distribution's version, read from its metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["VERSION"]

try:
    VERSION = version("adforge")
except PackageNotFoundError:  # running from a checkout that was never installed
    VERSION = "0.0.0+checkout"
