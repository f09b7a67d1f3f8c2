import base64
import time
from datetime import UTC, datetime

import pytest
import standardwebhooks
import svix.webhooks
from hypothesis import given
from hypothesis import strategies as st

from docflow.errors import InvalidArgument, WebhookVerificationError
from docflow.events import new_message_id
from docflow.services.webhooks.signing import (
    TOLERANCE_SECONDS,
    build_headers,
    mask_secret,
    sign,
    signature_header,
    verify,
)
from docflow.whsec import SECRET_PREFIX, generate_secret, secret_key

# The Standard Webhooks reference vector.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TS = 1614265330
BODY = b'{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def headers(signature: str = SIGNATURE, **overrides: str) -> dict[str, str]:
    values = {"webhook-id": MSG_ID, "webhook-timestamp": str(TS), "webhook-signature": signature}
    values.update({name.replace("_", "-"): value for name, value in overrides.items()})
    return values


def verification_error(body: bytes, hdrs: dict[str, str], secrets, now: float = TS) -> str:
    with pytest.raises(WebhookVerificationError) as info:
        verify(body, hdrs, secrets, now=now)
    message = str(info.value)
    for secret in [secrets] if isinstance(secrets, str) else secrets:
        assert secret not in message
        assert secret[len(SECRET_PREFIX) :] not in message
    return message


def test_reference_vector_signs_and_verifies():
    assert sign(SECRET, MSG_ID, TS, BODY) == SIGNATURE
    verify(BODY, headers(), SECRET, now=TS)


@given(
    msg_id=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s),
    timestamp=st.integers(min_value=0, max_value=10**11),
    body=st.binary(max_size=512),
)
def test_round_trip(msg_id, timestamp, body):
    secret = generate_secret()
    verify(body, build_headers(msg_id, timestamp, body, [secret]), secret, now=timestamp)


def test_tampered_body_is_refused():
    assert "no signature matches" in verification_error(BODY + b" ", headers(), SECRET)


def test_wrong_secret_is_refused():
    other = generate_secret()
    assert "no signature matches" in verification_error(BODY, headers(), other)


@pytest.mark.parametrize(
    ("offset", "words"), [(TOLERANCE_SECONDS + 1, "too old"), (-TOLERANCE_SECONDS - 1, "too new")]
)
def test_timestamps_outside_tolerance_are_refused(offset, words):
    message = verification_error(BODY, headers(), SECRET, now=TS + offset)
    assert words in message and "1s beyond" in message


@pytest.mark.parametrize("offset", [TOLERANCE_SECONDS, -TOLERANCE_SECONDS])
def test_timestamps_at_the_tolerance_edge_pass(offset):
    verify(BODY, headers(), SECRET, now=TS + offset)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header_is_named(missing):
    hdrs = headers()
    del hdrs[missing]
    assert f"missing {missing}" in verification_error(BODY, hdrs, SECRET)


@pytest.mark.parametrize(
    ("hdrs", "words"),
    [
        (headers(webhook_timestamp="abc"), "not a whole number"),
        (headers(webhook_timestamp="-5"), "not a whole number"),
        (headers("v2,xxx"), "no v1 signature"),
        (headers("v1,"), "malformed"),
        (headers("v1,!!not-base64!!"), "malformed"),
        (headers("v1,c2hvcnQ="), "malformed"),
        (headers("garbage"), "malformed"),
        (headers(""), "missing webhook-signature"),
    ],
)
def test_malformed_headers_are_refused(hdrs, words):
    assert words in verification_error(BODY, hdrs, SECRET)


def test_header_names_are_case_insensitive():
    hdrs = {"Webhook-Id": MSG_ID, "WEBHOOK-TIMESTAMP": str(TS), "Webhook-Signature": SIGNATURE}
    verify(BODY, hdrs, SECRET, now=TS)


def test_legacy_signature_header_is_accepted_alone():
    hdrs = headers()
    hdrs["X-Webhook-Signature"] = hdrs.pop("webhook-signature")
    verify(BODY, hdrs, SECRET, now=TS)


def test_other_versions_next_to_v1_are_skipped():
    verify(BODY, headers(f"v1a,abc {SIGNATURE}"), SECRET, now=TS)


def test_rotation_header_verifies_with_either_secret():
    new, old = generate_secret(), generate_secret()
    hdrs = build_headers(MSG_ID, TS, BODY, [new, old])
    assert hdrs["webhook-signature"] == hdrs["X-Webhook-Signature"]
    assert hdrs["webhook-signature"] == signature_header([new, old], MSG_ID, TS, BODY)
    assert len(hdrs["webhook-signature"].split()) == 2
    verify(BODY, hdrs, new, now=TS)
    verify(BODY, hdrs, old, now=TS)
    verify(BODY, hdrs, [generate_secret(), old], now=TS)
    verification_error(BODY, hdrs, generate_secret())


def test_build_headers_carries_the_standard_headers():
    hdrs = build_headers(MSG_ID, TS, BODY, [SECRET])
    assert hdrs["content-type"] == "application/json"
    assert hdrs["webhook-id"] == MSG_ID
    assert hdrs["webhook-timestamp"] == str(TS)
    assert hdrs["webhook-signature"] == SIGNATURE


def test_signing_needs_a_secret():
    with pytest.raises(InvalidArgument):
        signature_header([], MSG_ID, TS, BODY)


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must start with"),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!", "not valid base64"),
        ("whsec_" + base64.b64encode(b"k" * 23).decode(), "24-64 bytes, got 23"),
        ("whsec_" + base64.b64encode(b"k" * 65).decode(), "24-64 bytes, got 65"),
    ],
)
def test_malformed_secret_is_refused_without_echoing_it(secret, words):
    with pytest.raises(InvalidArgument) as info:
        secret_key(secret)
    message = str(info.value)
    assert words in message
    assert secret not in message and secret.removeprefix(SECRET_PREFIX) not in message


def test_generated_secrets_are_valid_and_distinct():
    secret = generate_secret()
    assert secret.startswith(SECRET_PREFIX)
    assert len(secret_key(secret)) == 32
    assert secret != generate_secret()


@pytest.mark.parametrize(
    "secret", [SECRET, generate_secret(), "whsec_short", "plain-value-123456789"]
)
def test_mask_reveals_at_most_the_prefix_and_last_four(secret):
    masked = mask_secret(secret)
    shown = "whsec_****" if secret.startswith(SECRET_PREFIX) else "****"
    assert masked.startswith(shown)
    assert masked.removeprefix(shown) in ("", secret[-4:])


def test_mask_of_none():
    assert mask_secret(None) == "(none)"


def test_message_ids_look_like_svix_ids():
    ids = {new_message_id() for _ in range(100)}
    assert len(ids) == 100
    for msg_id in ids:
        assert msg_id.startswith("msg_") and len(msg_id) == 31 and msg_id[4:].isalnum()


# The Standard Webhooks reference library and Svix's (a wrapper with its own API) are the
# oracle: whatever secret and body they sign with, verify() accepts, and the reverse.
def _secret_forms() -> list[tuple[str, str | bytes, bytes]]:
    key = bytes(range(1, 33))  # 32 bytes: base64 ends in "=", so "unpadded" differs
    short, long_ = b"k" * 16, bytes(range(80))
    padded = base64.b64encode(key).decode()
    return [
        ("whsec_ padded", f"whsec_{padded}", key),
        ("whsec_ unpadded", f"whsec_{padded.rstrip('=')}", key),
        ("no prefix", padded, key),
        ("no prefix unpadded", padded.rstrip("="), key),
        ("trailing newline", f"whsec_{padded}\n", key),
        ("unpadded trailing newline", f"{padded.rstrip('=')}\r\n", key),
        ("16-byte key", "whsec_" + base64.b64encode(short).decode(), short),
        ("80-byte key", "whsec_" + base64.b64encode(long_).decode(), long_),
        ("raw key bytes", key, key),
    ]


SECRET_FORMS = _secret_forms()
BODIES = [pytest.param('{"type":"x","data":{"n":"é"}}', id="str"),
          pytest.param('{"type":"x","data":{"n":"é"}}'.encode(), id="bytes")]  # fmt: skip
ORACLES = [pytest.param(standardwebhooks.Webhook, id="standardwebhooks"),
           pytest.param(svix.webhooks.Webhook, id="svix")]  # fmt: skip


def _as_text(body: str | bytes) -> str:
    return body if isinstance(body, str) else body.decode()


@pytest.mark.parametrize("oracle", ORACLES)
@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize(("form", "secret", "key"), SECRET_FORMS, ids=[f[0] for f in SECRET_FORMS])
def test_reference_signatures_verify(oracle, body, form, secret, key):
    now = int(time.time())
    signature = oracle(secret).sign(MSG_ID, datetime.fromtimestamp(now, UTC), _as_text(body))
    verify(body, headers(signature, webhook_timestamp=str(now)), secret)
    # Every form of the secret names the same key.
    verify(body, headers(signature, webhook_timestamp=str(now)), key)


@pytest.mark.parametrize("oracle", ORACLES)
@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize(("form", "secret", "key"), SECRET_FORMS, ids=[f[0] for f in SECRET_FORMS])
def test_our_signatures_verify_with_the_reference(oracle, body, form, secret, key):
    now = int(time.time())
    encoded = body.encode() if isinstance(body, str) else body
    hdrs = build_headers(MSG_ID, now, encoded, [secret])
    assert sign(secret, MSG_ID, now, body) == hdrs["webhook-signature"]
    oracle(secret).verify(body, hdrs)
    oracle(key).verify(body, hdrs)


@pytest.mark.parametrize(
    "malformed",
    ["v1,!!not-base64!!", "v1,c2hvcnQ=", "v1,", "v1", "garbage", "v1,AAAA=BBBB"],
)
@pytest.mark.parametrize("first", [True, False], ids=["malformed-first", "malformed-last"])
def test_a_malformed_entry_beside_a_valid_signature_is_skipped(malformed, first):
    now = int(time.time())
    valid = standardwebhooks.Webhook(SECRET).sign(
        MSG_ID, datetime.fromtimestamp(now, UTC), BODY.decode()
    )
    entries = [malformed, valid] if first else [valid, malformed]
    verify(BODY, headers(" ".join(entries), webhook_timestamp=str(now)), SECRET)


def test_unpadded_signature_entry_is_read():
    verify(BODY, headers(SIGNATURE.rstrip("=")), SECRET, now=TS)


def test_only_malformed_entries_are_still_refused():
    message = verification_error(BODY, headers("v1,!!bad!! garbage v1,c2hvcnQ="), SECRET)
    assert "malformed" in message


@pytest.mark.parametrize("body", [BODY.decode(), BODY], ids=["str", "bytes"])
def test_what_the_reference_refuses_stays_refused(body):
    now = int(time.time())
    other = "whsec_" + base64.b64encode(b"o" * 32).decode().rstrip("=")
    cases = [
        # A signature made with another secret.
        (headers(sign(other, MSG_ID, now, body), webhook_timestamp=str(now)), now),
        # A valid signature, but stale or from the future.
        (headers(sign(SECRET, MSG_ID, now - 301, body), webhook_timestamp=str(now - 301)), now),
        (headers(sign(SECRET, MSG_ID, now + 301, body), webhook_timestamp=str(now + 301)), now),
        # The body signed is not the body received.
        (headers(sign(SECRET, MSG_ID, now, body + body[:1]), webhook_timestamp=str(now)), now),
    ]
    for hdrs, at in cases:
        with pytest.raises(standardwebhooks.WebhookVerificationError):
            standardwebhooks.Webhook(SECRET).verify(body, hdrs)
        verification_error(body if isinstance(body, bytes) else body.encode(), hdrs, SECRET, at)
        with pytest.raises(WebhookVerificationError):
            verify(body, hdrs, SECRET, now=at)


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        ("whsec_", "empty"),
        ("", "empty"),
        (b"", "empty"),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!", "not base64"),
        ("whsec_A", "not base64"),
    ],
)
def test_unusable_secret_is_refused_without_echoing_it(secret, words):
    with pytest.raises(InvalidArgument) as info:
        verify(BODY, headers(), secret, now=TS)
    message = str(info.value)
    assert words in message and "\n" not in message
    if isinstance(secret, str) and secret.removeprefix(SECRET_PREFIX):
        assert secret.removeprefix(SECRET_PREFIX) not in message
