"""Machine-readable zones (ICAO 9303): the lines of capitals padded with ``<`` at the foot
of passports, ID cards and visas, the same in every country and language.

A zone whose check digits hold is near-certain evidence of an identity document, where
words are not (an OCR'd card is a few names and numbers, often in a language no keyword
list knows). Check digits are what make it evidence: text that merely looks like a zone,
a specification that quotes one with a typo, fails them. OCR misreads a digit or a
filler now and then, so two of a line's three checks are enough; dates must be dates.
"""

from __future__ import annotations

import re

_WEIGHTS = (7, 3, 1)
# What OCR makes of the filler '<' (RapidOCR reads it as a hiragana "ku" at times).
_FILLER_LOOKALIKES = "く«‹＜"
_AS_FILLER = str.maketrans(dict.fromkeys(_FILLER_LOOKALIKES, "<"))
# OCR splits a zone line into words: the spaces go, anything else stays and must fit.
_SPACES = re.compile(r"\s+")
# TD2/TD3 (passports, visas) second line: number, check, nationality, birth date, check,
# sex, expiry date, check. The nationality allows digits: OCR reads O as 0.
_NUMBER_LINE = re.compile(r"([A-Z0-9<]{9})(\d)[A-Z0-9<]{3}(\d{6})(\d)[MFX<](\d{6})(\d)")
# TD1 (ID cards) second line: birth date, check, sex, expiry date, check, nationality.
_CARD_LINE = re.compile(r"(\d{6})(\d)[MFX<](\d{6})(\d)[A-Z0-9<]{3}")


def check_digit(field: str) -> str:
    """ICAO 9303's check digit: digits count as themselves, A-Z as 10-35, '<' as 0,
    weighted 7, 3, 1 in turn, modulo 10."""
    total = 0
    for position, char in enumerate(field):
        value = int(char) if char.isdigit() else ord(char) - 55 if "A" <= char <= "Z" else 0
        total += value * _WEIGHTS[position % 3]
    return str(total % 10)


def has_zone(text: str) -> bool:
    """Whether ``text`` holds a machine-readable zone whose check digits hold."""
    if "<" not in text and not any(c in text for c in _FILLER_LOOKALIKES):
        return False
    for line in text.translate(_AS_FILLER).splitlines():
        compact = _SPACES.sub("", line)
        if len(compact) < 28 or "<" not in compact:
            continue
        if _valid_number_line(compact) or _valid_card_line(compact):
            return True
    return False


def _valid_number_line(line: str) -> bool:
    for found in _NUMBER_LINE.finditer(line):
        number, number_check, birth, birth_check, expiry, expiry_check = found.groups()
        checks = (check_digit(number) == number_check, check_digit(birth) == birth_check,
                  check_digit(expiry) == expiry_check)  # fmt: skip
        if sum(checks) >= 2 and _is_date(birth) and _is_date(expiry):
            return True
    return False


def _valid_card_line(line: str) -> bool:
    for found in _CARD_LINE.finditer(line):
        birth, birth_check, expiry, expiry_check = found.groups()
        if (check_digit(birth) == birth_check and check_digit(expiry) == expiry_check
                and _is_date(birth) and _is_date(expiry)):  # fmt: skip
            return True
    return False


def _is_date(yymmdd: str) -> bool:
    return 1 <= int(yymmdd[2:4]) <= 12 and 1 <= int(yymmdd[4:6]) <= 31
