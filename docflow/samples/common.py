"""What every language's generators share: cheap random draws, phrase pools, the sample
and e-invoice data types, and the checksummed identifiers (IBAN, MRZ, SIREN) documents carry.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

T = TypeVar("T")


# random.randrange and random.choice cost ~0.5 us each (bit-exact rejection sampling);
# a document makes dozens of draws, where slight bias does not matter but speed does.
def below(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)


def pick(rng: random.Random, pool: Sequence[T]) -> T:
    return pool[int(rng.random() * len(pool))]


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def pool(block: str) -> tuple[str, ...]:
    """One item per line, or several per line separated by '|'."""
    return tuple(item.strip() for line in block.strip().splitlines() for item in line.split("|"))


def some(rng: random.Random, items: Sequence[T], low: int, high: int) -> list[T]:
    """Between ``low`` and ``high`` of ``items`` (at most all of them), in their given order."""
    k = min(len(items), low + below(rng, high - low + 1))
    return [items[i] for i in sorted(rng.sample(range(len(items)), k))]


EPOCH = date(2021, 1, 1).toordinal()
BIRTH_EPOCH = date(1950, 1, 1).toordinal()


def day(rng: random.Random) -> date:
    """A date between January 2021 and early 2025."""
    return date.fromordinal(EPOCH + below(rng, 1500))


def birthday(rng: random.Random) -> date:
    return date.fromordinal(BIRTH_EPOCH + below(rng, 20000))


def years_later(d: date, years: int) -> date:
    return d.replace(year=d.year + years, day=min(d.day, 28))


def slug(name: str) -> str:
    """The first word of `name`, lowercased and reduced to letters and digits, for filenames."""
    return "".join(filter(str.isalnum, name.split()[0].lower()))


def ascii_slug(name: str) -> str:
    """`name` as a lowercase ASCII word (umlauts spelled out), for filenames and mailboxes."""
    return "".join(filter(str.isalnum, to_ascii(name.split()[0]).lower()))


_GERMAN = str.maketrans({"Ä": "AE", "Ö": "OE", "Ü": "UE", "ä": "ae", "ö": "oe", "ü": "ue",
                         "ß": "ss", "Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae"})  # fmt: skip


def to_ascii(text: str) -> str:
    """`text` in ASCII letters: German umlauts spelled out, other accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_GERMAN))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def money(amount: float, language: str) -> str:
    """1234.5 as '1,234.50' (en), '1.234,50' (de) or '1 234,50' (fr)."""
    text = f"{amount:,.2f}"
    if language == "de":
        return text.translate(_DE_DIGITS)
    if language == "fr":
        return text.translate(_FR_DIGITS)
    return text


_DE_DIGITS = str.maketrans({",": ".", ".": ","})
_FR_DIGITS = str.maketrans({",": " ", ".": ","})


def number(value: float, language: str) -> str:
    """A quantity: 3 as '3', 2.5 as '2.5' or '2,5'."""
    text = f"{value:g}"
    return text if language == "en" else text.replace(".", ",")


# --- the structured sample ------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """A seller or buyer of an invoice, as an e-invoice names it."""

    name: str
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    vat_id: str = ""


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    quantity: float
    unit_price: float
    vat_rate: float  # percent
    unit: str = "C62"  # UN/ECE recommendation 20: C62 one, HUR hour, DAY day, MON month

    @property
    def net(self) -> float:
        return round(self.quantity * self.unit_price, 2)


@dataclass(frozen=True)
class Invoice:
    """The fields an e-invoice (UBL, CII, Factur-X) is made of."""

    number: str
    issued: date
    due: date
    currency: str
    seller: Party
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    iban: str
    bic: str = ""
    terms: str = ""
    order: str = ""
    # Column headings of the line table, in the document's language.
    columns: tuple[str, str, str, str] = ("Description", "Qty", "Unit price", "Amount")

    @property
    def net(self) -> float:
        return round(sum(line.net for line in self.lines), 2)

    @property
    def taxes(self) -> tuple[tuple[float, float, float], ...]:
        """(rate, taxable amount, tax) per VAT rate, highest rate first."""
        bases: dict[float, float] = {}
        for line in self.lines:
            bases[line.vat_rate] = bases.get(line.vat_rate, 0.0) + line.net
        return tuple(
            (rate, round(base, 2), round(base * rate / 100, 2))
            for rate, base in sorted(bases.items(), reverse=True)
        )

    @property
    def tax(self) -> float:
        return round(sum(tax for _, _, tax in self.taxes), 2)

    @property
    def total(self) -> float:
        return round(self.net + self.tax, 2)


@dataclass(frozen=True)
class Sample:
    """A generated document: its text and what renderers need beyond it."""

    category: str
    language: str
    stem: str  # the file name without its extension
    text: str
    content_type: str = "text/plain"  # of the text as generated: text/plain, markdown or csv
    extension: str = ".txt"
    title: str = ""
    invoice: Invoice | None = None
    # Where the invoice's line table is in ``text`` (start, end), for renderers with tables.
    table: tuple[int, int] = (0, 0)

    @property
    def filename(self) -> str:
        return self.stem + self.extension

    @property
    def heading(self) -> str:
        """The title, else the first non-empty line of the text."""
        if self.title:
            return self.title
        for line in self.text.splitlines():
            if line.strip():
                return line.strip().lstrip("# ")
        return self.stem


def split_name(filename: str) -> tuple[str, str]:
    """('scan_0042', '.txt') of 'scan_0042.txt'."""
    stem, dot, ext = filename.rpartition(".")
    return (stem, dot + ext) if dot else (filename, "")


# --- identifiers with check digits ----------------------------------------------------------


def _mod97(digits: str) -> int:
    return int("".join(str(int(c, 36)) for c in digits)) % 97


def iban(country: str, bban: str) -> str:
    """An IBAN with valid check digits, printed in groups of four."""
    check = 98 - _mod97(bban + country + "00")
    raw = f"{country}{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def luhn_complete(digits: str) -> str:
    """`digits` with a Luhn check digit appended (SIREN, SIRET)."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


def mrz_check(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1; A-Z count 10-35, '<' 0."""
    total = 0
    for i, c in enumerate(field):
        value = 0 if c == "<" else int(c, 36)
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def mrz_name(surname: str, given: str, width: int) -> str:
    name = f"{to_ascii(surname)}<<{to_ascii(given.replace(',', ''))}".upper()
    name = "".join(c if c.isalnum() else "<" for c in name)
    return f"{name:<<{width}.{width}}"


def mrz_td1(
    code: str, state: str, doc: str, born: date, sex: str, expires: date, nation: str, name: str
) -> str:
    """The three 30-character lines of an ID card (TD1), with valid check digits."""
    doc = f"{doc:<<9.9}"
    line1 = f"{code:<<2}{state:<<3}{doc}{mrz_check(doc)}{'<' * 15}"
    birth, expiry = f"{born:%y%m%d}", f"{expires:%y%m%d}"
    upper = f"{birth}{mrz_check(birth)}{sex}{expiry}{mrz_check(expiry)}{nation:<<3}{'<' * 11}"
    composite = line1[5:30] + upper[0:7] + upper[8:15] + upper[18:29]
    return f"{line1}\n{upper}{mrz_check(composite)}\n{name}"


def mrz_td3(
    code: str, state: str, doc: str, born: date, sex: str, expires: date, nation: str, name: str
) -> str:
    """The two 44-character lines of a passport (TD3), with valid check digits."""
    doc = f"{doc:<<9.9}"
    birth, expiry = f"{born:%y%m%d}", f"{expires:%y%m%d}"
    personal = "<" * 14
    lower = (
        f"{doc}{mrz_check(doc)}{nation:<<3}{birth}{mrz_check(birth)}{sex}{expiry}"
        f"{mrz_check(expiry)}{personal}{mrz_check(personal)}"
    )
    composite = lower[0:10] + lower[13:20] + lower[21:43]
    return f"{code:<<2}{state:<<3}{name}\n{lower}{mrz_check(composite)}"


_ALNUM = "CFGHJKLMNPRTVWXYZ0123456789"


def document_number(rng: random.Random, first: str, length: int = 9) -> str:
    """An ID document number: a letter from `first`, then letters and digits."""
    return pick(rng, first) + "".join(pick(rng, _ALNUM) for _ in range(length - 1))
