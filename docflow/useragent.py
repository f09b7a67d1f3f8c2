"""The User-Agent DocFlow sends on every outgoing HTTP request (webhooks, billing)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    _VERSION = version("docflow")
except PackageNotFoundError:  # running from a source tree that was never installed
    _VERSION = "0"

USER_AGENT = f"DocFlow/{_VERSION}"
