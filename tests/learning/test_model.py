"""A model is data: magic, JSON header, checksummed float16 weights. What DocFlow did not
write for these features is refused with the reason, and nothing is ever unpickled."""

from __future__ import annotations

import hashlib
import json
import pickle

import numpy as np
import pytest

from docflow.errors import ConfigError
from docflow.parse import CATEGORIES
from docflow.services.learning import features
from docflow.services.learning.features import document_text
from docflow.services.learning.model import FORMAT, MAGIC, LinearModel, ModelRefused
from tests.learning.common import CLEAR, generated

HEADER_AT = len(MAGIC) + 4


def split(blob: bytes) -> tuple[dict, bytes]:
    size = int.from_bytes(blob[len(MAGIC) : HEADER_AT], "big")
    return json.loads(blob[HEADER_AT : HEADER_AT + size]), blob[HEADER_AT + size :]


def rewritten(blob: bytes, *, resign: bool = False, **changes: object) -> bytes:
    """``blob`` with its header changed and re-encoded, the arrays kept; the checksum kept
    too (a tampered blob) or, ``resign``ed, recomputed (as a writer with a bug would)."""
    header, arrays = split(blob)
    return encoded({**header, **changes}, arrays, resign=resign)


def encoded(header: dict, arrays: bytes, *, resign: bool) -> bytes:
    if resign:
        rest = json.dumps({k: v for k, v in header.items() if k != "sha256"}, sort_keys=True)
        header = {**header, "sha256": hashlib.sha256(rest.encode() + arrays).hexdigest()}
    text = json.dumps(header, sort_keys=True).encode()
    return MAGIC + len(text).to_bytes(4, "big") + text + arrays


def tiny() -> LinearModel:
    """Weights small enough to flip every byte of the blob one at a time."""
    rng = np.random.default_rng(3)
    weights = rng.normal(size=(1 << 3, 2)).astype(np.float32)
    return LinearModel(("invoice", "other"), weights, np.array([0.5, -0.5], np.float32), 3,
                       {"invoice": 0.9, "other": 1.01})  # fmt: skip


def texts() -> list[str]:
    found = [document_text(*doc) for doc in CLEAR.values()]
    return found + [document_text(s.text, s.filename, s.content_type) for s in generated(2, seed=5)]


def test_a_round_trip_keeps_classes_thresholds_and_predictions(small):
    loaded = LinearModel.from_blob(small.to_blob())
    assert (loaded.classes, loaded.bits, loaded.thresholds) == (
        small.classes,
        small.bits,
        small.thresholds,
    )
    before, after = small.scores(texts()), loaded.scores(texts())
    # Weights are stored as float16: the same decisions, probabilities within rounding.
    assert (before.argmax(axis=1) == after.argmax(axis=1)).all()
    assert np.abs(before - after).max() < 5e-3
    # What was loaded is exactly what is stored: saving it again gives the same bytes.
    assert loaded.to_blob() == small.to_blob()
    np.testing.assert_array_equal(LinearModel.from_blob(loaded.to_blob()).scores(texts()), after)


def test_the_blob_is_data_not_a_pickle(small):
    blob = small.to_blob()
    header, arrays = split(blob)
    assert blob.startswith(MAGIC)
    assert header["features"] == features.VERSION and header["classes"] == list(CATEGORIES)
    assert header["weights"] == {"dtype": "float16", "shape": [1 << small.bits, len(CATEGORIES)]}
    assert len(arrays) == (1 << small.bits) * len(CATEGORIES) * 2 + 4 * len(CATEGORIES)
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(blob)


UNPICKLED: list[str] = []


def _ran(marker: str) -> None:
    UNPICKLED.append(marker)


class Payload:
    """Unpickling this calls _ran: what a hostile "model" file would do."""

    def __reduce__(self):
        return _ran, ("code ran",)


@pytest.mark.parametrize("prefix", [b"", MAGIC, MAGIC + (40).to_bytes(4, "big")])
def test_a_pickle_is_refused_and_never_unpickled(prefix):
    hostile = prefix + pickle.dumps(Payload())
    pickle.loads(pickle.dumps(Payload()))  # the payload does run code when unpickled ...
    assert UNPICKLED == ["code ran"]
    UNPICKLED.clear()
    with pytest.raises(ModelRefused, match="refused"):
        LinearModel.from_blob(hostile)
    assert UNPICKLED == []  # ... but loading a model never unpickles


def test_every_flipped_byte_of_the_magic_and_arrays_is_refused():
    blob = tiny().to_blob()
    header_end = len(blob) - len(split(blob)[1])
    for at in [*range(len(MAGIC)), *range(header_end, len(blob))]:
        flipped = bytearray(blob)
        flipped[at] ^= 0x01
        with pytest.raises(ModelRefused) as refused:
            LinearModel.from_blob(bytes(flipped))
        expected = "wrong magic" if at < len(MAGIC) else "does not match its checksum"
        assert expected in str(refused.value), at


def test_a_flipped_byte_of_the_checksum_or_the_header_size_is_refused():
    blob = tiny().to_blob()
    digest = split(blob)[0]["sha256"]
    start = blob.index(digest.encode())
    for at in [*range(len(MAGIC), HEADER_AT), *range(start, start + len(digest))]:
        flipped = bytearray(blob)
        flipped[at] ^= 0x01
        with pytest.raises(ModelRefused):
            LinearModel.from_blob(bytes(flipped))


@pytest.mark.parametrize(
    "changes",
    [{"thresholds": dict.fromkeys(("invoice", "other"), 0.0)}, {"classes": ["other", "invoice"]}],
)
def test_a_tampered_header_is_refused(changes):
    with pytest.raises(ModelRefused):
        LinearModel.from_blob(rewritten(tiny().to_blob(), **changes))


def test_a_truncated_blob_is_refused_wherever_it_is_cut(small):
    blob = small.to_blob()
    header_end = len(blob) - len(split(blob)[1])
    cuts = {0: "wrong magic", 10: "wrong magic", len(MAGIC) + 2: "impossible size",
            header_end - 7: "not JSON", header_end: "checksum", len(blob) // 2: "checksum",
            len(blob) - 1: "checksum"}  # fmt: skip
    for cut, reason in cuts.items():
        with pytest.raises(ModelRefused, match=reason):
            LinearModel.from_blob(blob[:cut])


def test_another_magic_format_or_feature_space_is_refused_with_the_reason(small):
    blob = small.to_blob()
    with pytest.raises(ModelRefused, match=r"^not a DocFlow model \(wrong magic bytes\)"):
        LinearModel.from_blob(b"DOCFLOW-LINEAR-MODEX\n" + blob[len(MAGIC) :])
    other_features = rewritten(blob, features=features.VERSION + 1)
    with pytest.raises(ModelRefused) as refused:
        LinearModel.from_blob(other_features)
    assert str(refused.value) == (
        f"model of format {FORMAT} / features {features.VERSION + 1}, this DocFlow reads {FORMAT} / "
        f"{features.VERSION}: retrain (docflow classifier train)"
    )
    with pytest.raises(ModelRefused, match=f"model of format {FORMAT + 1}"):
        LinearModel.from_blob(rewritten(blob, format=FORMAT + 1))
    # A header claiming another number of buckets (or classes) than its weights have.
    for changes in ({"bits": small.bits + 1}, {"classes": list(CATEGORIES[:-1])},
                    {"weights": {"dtype": "float32", "shape": [1 << small.bits, len(CATEGORIES)]}}):  # fmt: skip
        with pytest.raises(ModelRefused, match="model header is malformed"):
            LinearModel.from_blob(rewritten(blob, resign=True, **changes))
    header, arrays = split(blob)
    del header["bits"]
    with pytest.raises(ModelRefused, match="malformed"):
        LinearModel.from_blob(encoded(header, arrays, resign=True))


def test_a_refusal_is_a_configuration_error_the_cli_reports_in_one_line():
    assert issubclass(ModelRefused, ConfigError)
    with pytest.raises(ModelRefused) as refused:
        LinearModel.from_blob(b"")
    assert "\n" not in str(refused.value)
