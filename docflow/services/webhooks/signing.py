"""Standard Webhooks v1 signatures (https://www.standardwebhooks.com).

A signature is ``v1,`` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), where the key
is the base64 part of a ``whsec_`` secret. A header may carry several signatures, one per
secret, so receivers keep verifying while a secret is rotated.

Receivers hold secrets DocFlow did not make, so :func:`sign` and :func:`verify` read a secret
as the reference libraries (``standardwebhooks``, ``svix``) do rather than as strictly as
:func:`docflow.whsec.secret_key` checks the ones DocFlow issues.

Error messages name headers and problems but never a secret or an expected signature:
they end up in logs and HTTP responses.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Mapping, Sequence
from datetime import datetime

from docflow.errors import InvalidArgument, WebhookVerificationError
from docflow.useragent import USER_AGENT
from docflow.whsec import SECRET_PREFIX
from docflow.whsec import secret_key as secret_key  # the strict check of issued secrets

TOLERANCE_SECONDS = 300

_TIMESTAMP = re.compile(r"[0-9]{1,15}")


def mask_secret(secret: str | None) -> str:
    """A secret as it may appear in logs and listings: the prefix and at most its last 4 chars."""
    if secret is None:
        return "(none)"
    prefix = SECRET_PREFIX if secret.startswith(SECRET_PREFIX) else ""
    rest = secret[len(prefix) :]
    # A short value's last 4 characters would be a large share of it.
    tail = rest[-4:] if len(rest) >= 16 else ""
    return f"{prefix}****{tail}"


Secret = str | bytes


def signing_key(secret: Secret) -> bytes:
    """The HMAC key of a secret: bytes are the key itself; text is base64 of it, with or
    without ``whsec_`` and padding, whitespace ignored (a secret read from a file ends in a
    newline). Any non-empty key is allowed, as in the reference libraries."""
    if isinstance(secret, bytes):
        key = secret
    else:
        text = "".join(secret.split()).removeprefix(SECRET_PREFIX).rstrip("=")
        try:
            key = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError):
            # The decoder's message can quote the offending characters.
            raise InvalidArgument(
                f"webhook secret is not base64 (after an optional {SECRET_PREFIX!r}): "
                "copy it again as the sender showed it"
            ) from None
    if not key:
        raise InvalidArgument("webhook secret is empty: pass the endpoint's whsec_... secret")
    return key


def _digest(key: bytes, msg_id: str, timestamp: int, body: bytes) -> bytes:
    return hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()


def _body_bytes(body: bytes | str) -> bytes:
    # Text is signed as UTF-8, as the reference libraries do: frameworks often hand it over decoded.
    return body.encode() if isinstance(body, str) else body


def sign(secret: Secret, msg_id: str, timestamp: int, body: bytes | str) -> str:
    digest = _digest(signing_key(secret), msg_id, timestamp, _body_bytes(body))
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_header(secrets: Sequence[Secret], msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,...`` per secret, space-separated: the newest secret first during rotation."""
    if not secrets:
        raise InvalidArgument("at least one webhook secret is needed to sign")
    return " ".join(sign(secret, msg_id, timestamp, body) for secret in secrets)


def build_headers(
    msg_id: str, timestamp: int, body: bytes, secrets: Sequence[Secret]
) -> dict[str, str]:
    signature = signature_header(secrets, msg_id, timestamp, body)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
        # For receivers written against DocFlow's earlier, single-header scheme.
        "X-Webhook-Signature": signature,
    }


def _header(headers: Mapping[str, str], *names: str) -> str:
    for name in names:
        if headers.get(name, "").strip():
            return headers[name].strip()
    raise WebhookVerificationError(f"missing {names[0]} header")


def _signatures(header: str) -> list[bytes]:
    """The v1 signatures in the header. Entries of other versions, and malformed ones, are
    skipped as the specification says, so one bad entry cannot hide a good one beside it."""
    found = []
    malformed = False
    for entry in header.split():
        version, comma, value = entry.partition(",")
        if version != "v1" and comma:
            continue
        try:
            decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        except (binascii.Error, ValueError):
            decoded = b""
        if not comma or len(decoded) != hashlib.sha256().digest_size:
            malformed = True
            continue
        found.append(decoded)
    if found:
        return found
    if malformed:
        raise WebhookVerificationError(
            "malformed webhook-signature header: no entry is 'v1,' + base64 of a SHA-256 HMAC"
        )
    raise WebhookVerificationError("webhook-signature header has no v1 signature")


def verify(
    body: bytes | str,
    headers: Mapping[str, str],
    secrets: Secret | Sequence[Secret],
    *,
    now: float | None = None,
    tolerance_seconds: int = TOLERANCE_SECONDS,
) -> None:
    """Raise WebhookVerificationError unless ``body`` carries a fresh, valid signature.

    ``secrets`` is one secret or several (during a rotation), each as :func:`signing_key`
    reads it; a text body is taken as UTF-8."""
    many = [secrets] if isinstance(secrets, str | bytes) else secrets
    keys = [signing_key(s) for s in many]
    if not keys:
        raise InvalidArgument("at least one webhook secret is needed to verify")
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = _header(lowered, "webhook-id")
    raw_timestamp = _header(lowered, "webhook-timestamp")
    header = _header(lowered, "webhook-signature", "x-webhook-signature")

    if not _TIMESTAMP.fullmatch(raw_timestamp):
        raise WebhookVerificationError("webhook-timestamp header is not a whole number of seconds")
    timestamp = int(raw_timestamp)
    age = (time.time() if now is None else now) - timestamp
    if age > tolerance_seconds:
        raise WebhookVerificationError(
            f"webhook-timestamp is too old: {age:.0f}s in the past, "
            f"{age - tolerance_seconds:.0f}s beyond the {tolerance_seconds}s tolerance"
        )
    if -age > tolerance_seconds:
        raise WebhookVerificationError(
            f"webhook-timestamp is too new: {-age:.0f}s in the future, "
            f"{-age - tolerance_seconds:.0f}s beyond the {tolerance_seconds}s tolerance"
        )

    received = _signatures(header)
    data = _body_bytes(body)
    matched = False
    # No early exit, so timing does not tell which secret or entry matched.
    for key in keys:
        expected = _digest(key, msg_id, timestamp, data)
        for signature in received:
            matched |= hmac.compare_digest(expected, signature)
    if not matched:
        raise WebhookVerificationError("no signature matches the webhook-signature header")


def signing_secrets(
    secret: str | None,
    previous: str | None,
    previous_expires_at: datetime | None,
    global_secret: str | None,
    now: datetime,
) -> list[str]:
    """The secrets an endpoint's deliveries are signed with right now, newest first."""
    if not secret:
        return [global_secret] if global_secret else []
    if previous and previous_expires_at is not None and previous_expires_at > now:
        return [secret, previous]
    return [secret]
