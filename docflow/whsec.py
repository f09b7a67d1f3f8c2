"""The ``whsec_`` secret format of Standard Webhooks: ``whsec_`` + base64 of the HMAC key.

It sits at the bottom of the layers because settings validate DOCFLOW_WEBHOOK_SECRET with
it at start-up; the signing itself lives in :mod:`docflow.services.webhooks.signing`.
"""

from __future__ import annotations

import base64
import binascii
from secrets import token_bytes

from docflow.errors import InvalidArgument

SECRET_PREFIX = "whsec_"
_MIN_KEY_BYTES = 24
_MAX_KEY_BYTES = 64


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a ``whsec_`` secret; InvalidArgument when it is malformed."""
    if not secret.startswith(SECRET_PREFIX):
        raise InvalidArgument(f"webhook secret must start with {SECRET_PREFIX!r}")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        # The decoder's message can quote the offending characters.
        raise InvalidArgument(
            f"webhook secret is not valid base64 after {SECRET_PREFIX!r}"
        ) from None
    if not _MIN_KEY_BYTES <= len(key) <= _MAX_KEY_BYTES:
        raise InvalidArgument(
            f"webhook secret key must decode to {_MIN_KEY_BYTES}-{_MAX_KEY_BYTES} bytes, "
            f"got {len(key)}"
        )
    return key


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(token_bytes(32)).decode("ascii")
