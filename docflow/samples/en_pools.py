"""English names, companies and places, shared by the English generators (:mod:`.en`)."""

from __future__ import annotations

import random
from datetime import date

from docflow.samples.common import Party, below, pick, pool

FIRST = pool("""
    James|Olivia|Liam|Emma|Noah|Ava|Lucas|Mia|Ethan|Sofia|Mateo|Chloe|Leon|Hannah|Oskar|Amelia|Luca
    Freya|Elias|Zoe|Jonas|Isla|Arjun|Priya|Tomasz|Agnieszka|Jean|Camille|Pieter|Sanne|Marco|Giulia
    Jakob|Lena|Samuel|Aisha|René|José|Björn|Inès
""")
LAST = pool("""
    Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Müller|Schmidt|Schneider|Fischer|Weber
    Dubois|Martin|Bernard|Rossi|Russo|Ferrari|Kowalski|Nowak|Jansen|de Vries|Patel|Khan|Nguyen
    O'Brien|Murphy|Andersson|Nielsen|García|Fernández|López
""")
COMPANIES = pool("""
    Acme Industrial Supplies Ltd|Northwind Logistics GmbH|Blue Harbor Consulting LLC
    Globex Software BV|Initech Facilities Ltd|Umbrella Office Furniture SARL
    Hooli Cloud Services Inc.|Stark Engineering Ltd|Wayne Office Solutions plc
    Vandelay Imports Ltd|Soylent Catering Co.|Tyrell Data Systems AG|Cyberdyne Print & Design
    Pied Piper Media Ltd|Wonka Wholesale Confectionery|Gringotts Asset Partners LLP
    Oceanic Freight Forwarding BV|Massive Dynamic Labs GmbH|Dunder Paper Company
    Brightline Energy SE
""")
PLACES = tuple(
    tuple(place.split(","))
    for place in pool("""
        London,EC1A 1BB,United Kingdom|Manchester,M1 2AB,United Kingdom
        Bristol,BS1 4DJ,United Kingdom
        Berlin,10115,Germany|Munich,80331,Germany|Amsterdam,1012 AB,Netherlands
        Rotterdam,3011 AA,Netherlands|Paris,75002,France|Lyon,69002,France|Dublin,D02 X285,Ireland
        Milan,20121,Italy|Kraków,31-008,Poland
    """)
)
COUNTRY_CODES = {"United Kingdom": "GB", "Germany": "DE", "Netherlands": "NL", "France": "FR",
                 "Ireland": "IE", "Italy": "IT", "Poland": "PL"}  # fmt: skip
STREETS = pool("""
    Market Street|High Street|Station Road|Church Lane|Mill Road|King Street|Victoria Road
    Hauptstraße|Keizersgracht|Rue de Rivoli|Via Roma|Quay Street|Park Avenue|Harbour Way
""")
MONTHS = pool(
    "January|February|March|April|May|June|July|August|September|October|November|December"
)


def person(rng: random.Random) -> str:
    return f"{pick(rng, FIRST)} {pick(rng, LAST)}"


def address(rng: random.Random, sep: str = "\n") -> str:
    city, postcode, country = pick(rng, PLACES)
    return f"{below(rng, 240) + 1} {pick(rng, STREETS)}{sep}{postcode} {city}{sep}{country}"


def party(rng: random.Random, name: str) -> tuple[Party, str]:
    """The party at an address drawn as :func:`address` draws it, and that address's text."""
    city, postcode, country = pick(rng, PLACES)
    street = f"{below(rng, 240) + 1} {pick(rng, STREETS)}"
    found = Party(name, street, postcode, city, COUNTRY_CODES[country])
    return found, f"{street}\n{postcode} {city}\n{country}"


def long_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
