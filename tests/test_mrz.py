"""Machine-readable zones as evidence of an identity document: check digits decide, and
what OCR does to a zone (spaces, a misread filler or digit) does not hide it."""

from __future__ import annotations

import pytest

from docflow.services.mrz import check_digit, has_zone

# ICAO Doc 9303's own specimens (part 4: passport, TD3; part 5: ID card, TD1).
PASSPORT = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
ID_CARD = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)


def test_check_digits_are_icao_9303s():
    assert [check_digit(f) for f in ("L898902C3", "740812", "120415", "D23145890")] == list("6297")
    assert check_digit("<<<") == "0"


@pytest.mark.parametrize("zone", [PASSPORT, ID_CARD], ids=["passport", "id-card"])
def test_a_zone_with_valid_check_digits_is_found_among_other_words(zone):
    assert has_zone(f"REPUBLIC OF UTOPIA\nPASSPORT / PASS / PASSEPORT\n\n{zone}\n")


def test_what_ocr_does_to_a_zone_does_not_hide_it():
    spaced = PASSPORT.replace("UTO7408122F", "UT0 7408122 F")  # words split, O read as 0
    assert has_zone(spaced)
    assert has_zone(ID_CARD.replace("<", "く"))  # RapidOCR's reading of the filler
    # One of a passport line's three checks may fail (a misread digit) ...
    assert has_zone(PASSPORT.replace("L898902C36", "L898902C86"))


def test_lookalikes_are_not_zones():
    # ... but not two of them, and an ID card line needs both of its checks.
    assert not has_zone(PASSPORT.replace("L898902C36", "L898902C86").replace("1204159", "1204158"))
    assert not has_zone(ID_CARD.replace("7408122F", "7408123F"))
    assert not has_zone(PASSPORT.replace("7408122F1204159", "7413122F1204159"))  # month 13
    assert not has_zone("if a < b and b << c then 1234567890123456789012345678 < d")
    assert not has_zone("Invoice 2026-17\nTotal 1,190.00 EUR\nIBAN DE89 3704 0044 0532 0130 00")
    assert not has_zone("")
