"""What the seed writes: one document's file name, MIME type and bytes, for a mix.

``text`` is the fast English plain-text mix the benchmarks of the pipeline itself use
(100,000 documents in seconds). ``mixed`` is what a back office receives: English,
German and French; text PDFs, a few scans, Word and OpenDocument files, emails (some
carrying an invoice PDF, which becomes a document of its own), e-invoices, Latin-1
letters, HTML. The others are one kind each, for the per-format benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from docflow import samples
from docflow.errors import InvalidArgument
from docflow.samples import render

File = tuple[str, str, bytes]
LANGUAGE_WEIGHTS = {"en": 0.5, "de": 0.3, "fr": 0.2}
# Rendering a scan costs ~85 ms and reading it back ~2.5 s of OCR: a demo keeps them few.
MIXED_SCAN_SHARE = 0.03
SINGLE_KINDS = {"pdf": "pdf", "scan": "scan-pdf", "image": "scan-image", "docx": "docx",
                "odt": "odt", "html": "html", "eml": "email", "ubl": "ubl", "latin1": "latin1"}  # fmt: skip
MIXES = ("text", "mixed", *SINGLE_KINDS)


def _language(rng: random.Random) -> str:
    return rng.choices(tuple(LANGUAGE_WEIGHTS), weights=tuple(LANGUAGE_WEIGHTS.values()))[0]


def text_file(rng: random.Random) -> File:
    filename, content_type, text = samples.generate(rng, samples.pick_category(rng))
    return filename, content_type, text.encode("utf-8")


def mixed_file(rng: random.Random) -> File:
    sample = samples.sample(rng, samples.pick_category(rng), _language(rng))
    kind = render.pick_kind(rng, sample)
    if kind.startswith("scan") and rng.random() > MIXED_SCAN_SHARE / 0.15:
        kind = "pdf"
    if sample.category == "invoice" and kind == "email":
        made = render.cover_email(rng, sample, render.render(rng, sample, "pdf"))
    else:
        made = render.render(rng, sample, kind)
    return made.filename, made.content_type, made.data


def single_kind(kind: str) -> Callable[[random.Random], File]:
    def make(rng: random.Random) -> File:
        category = "invoice" if kind == "ubl" else samples.pick_category(rng)
        sample = samples.sample(rng, category, _language(rng))
        if kind == "email" and category == "invoice":
            made = render.cover_email(rng, sample, render.render(rng, sample, "pdf"))
        else:
            made = render.render(rng, sample, kind)
        return made.filename, made.content_type, made.data

    return make


def maker(mix: str) -> Callable[[random.Random], File]:
    """The file maker of ``mix`` (one of :data:`MIXES`)."""
    if mix == "text":
        return text_file
    if mix == "mixed":
        return mixed_file
    if mix in SINGLE_KINDS:
        return single_kind(SINGLE_KINDS[mix])
    raise InvalidArgument(f"unknown mix {mix!r}; use one of {', '.join(MIXES)}")
