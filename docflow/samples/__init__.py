"""Realistic generated documents in English, German and French, for `docflow seed`, the
benchmarks and the default classifier's training set.

A document is assembled from pre-built phrase pools with a caller-supplied
``random.Random``: no templating engine and a few dozen cheap calls per document,
so a hundred thousand documents take seconds and a seed reproduces the same set.
Texts are 1-3 KB, about 1.9 KB on average over :data:`CATEGORY_WEIGHTS`.

:func:`generate` gives a document's text; :func:`sample` the same document with the
structure renderers need (an invoice's fields), and :func:`docflow.samples.render.render`
turns a sample into a real file: PDF, a scan, Word, OpenDocument, email, HTML, or a UBL,
CII or Factur-X e-invoice (the module is ``samples.render``; its function is not
re-exported here, where it would hide the module).

Layout: :mod:`.common` (draws, data types, check digits); per language a module of pools
(``en_pools``, ``de_pools``, ``fr_pools``) and the generators: English in ``en_trade``,
``en_legal``, ``en_letters`` (the original ones, output unchanged), German and French one
module per category (``de_invoice``, ``de_receipt``, ``de_contract``, ``de_identity``,
``de_letters``, ``de_other``, and the same ``fr_*``); :mod:`.render` and its helpers
``render_*``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import accumulate

from docflow.errors import InvalidArgument
from docflow.samples import (
    de_contract,
    de_identity,
    de_invoice,
    de_letters,
    de_other,
    de_receipt,
    en_legal,
    en_letters,
    en_trade,
    fr_contract,
    fr_identity,
    fr_invoice,
    fr_letters,
    fr_other,
    fr_receipt,
)
from docflow.samples.common import Invoice, InvoiceLine, Party, Sample
from docflow.samples.render import KINDS, Rendered
from docflow.settings import CATEGORIES

__all__ = [
    "CATEGORY_WEIGHTS",
    "KINDS",
    "LANGUAGES",
    "Invoice",
    "InvoiceLine",
    "Party",
    "Rendered",
    "Sample",
    "generate",
    "pick_category",
    "sample",
]

# The default mix of a back-office inbox: mostly invoices and receipts.
CATEGORY_WEIGHTS: dict[str, float] = {
    "invoice": 0.30,
    "receipt": 0.25,
    "contract": 0.10,
    "identity_document": 0.10,
    "correspondence": 0.15,
    "other": 0.10,
}
LANGUAGES = ("en", "de", "fr")
_CATEGORY_NAMES = tuple(CATEGORY_WEIGHTS)
_CUM_WEIGHTS = tuple(accumulate(CATEGORY_WEIGHTS.values()))

Generator = Callable[[random.Random], Sample]
_GENERATORS: dict[str, dict[str, Generator]] = {
    "en": {
        "invoice": en_trade.invoice,
        "receipt": en_trade.receipt,
        "contract": en_legal.contract,
        "identity_document": en_legal.identity_document,
        "correspondence": en_letters.correspondence,
        "other": en_letters.other,
    },
    "de": {
        "invoice": de_invoice.invoice,
        "receipt": de_receipt.receipt,
        "contract": de_contract.contract,
        "identity_document": de_identity.identity_document,
        "correspondence": de_letters.correspondence,
        "other": de_other.other,
    },
    "fr": {
        "invoice": fr_invoice.invoice,
        "receipt": fr_receipt.receipt,
        "contract": fr_contract.contract,
        "identity_document": fr_identity.identity_document,
        "correspondence": fr_letters.correspondence,
        "other": fr_other.other,
    },
}


def sample(rng: random.Random, category: str, language: str = "en") -> Sample:
    """A realistic document of `category` in `language`, with what renderers need."""
    try:
        by_category = _GENERATORS[language]
    except KeyError:
        raise InvalidArgument(
            f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}"
        ) from None
    try:
        make = by_category[category]
    except KeyError:
        raise InvalidArgument(
            f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}"
        ) from None
    return make(rng)


def generate(rng: random.Random, category: str, language: str = "en") -> tuple[str, str, str]:
    """(filename, content_type, text) of a realistic document of `category`, text ~1-3 KB."""
    made = sample(rng, category, language)
    return made.filename, made.content_type, made.text


def pick_category(rng: random.Random) -> str:
    """A category drawn from :data:`CATEGORY_WEIGHTS`."""
    return rng.choices(_CATEGORY_NAMES, cum_weights=_CUM_WEIGHTS)[0]
