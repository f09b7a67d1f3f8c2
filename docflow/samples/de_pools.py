"""German names, firms, places, banks and the way German documents write dates and money."""

from __future__ import annotations

import random
from datetime import date

from docflow.samples.common import Party, below, iban, pick, pool

FIRST_F = pool("""
    Anna|Sabine|Petra|Monika|Claudia|Birgit|Anja|Nicole|Julia|Katharina|Laura|Lena|Hannah|Sophie
    Marie|Lea|Emma|Mia|Franziska|Jana|Stefanie|Ute|Renate|Elif|Zeynep|Katarzyna|Ingrid|Heike
    Johanna|Charlotte|Greta|Ida|Carla|Melanie|Tanja|Susanne|Doris|Bettina
""")
FIRST_M = pool("""
    Thomas|Michael|Andreas|Stefan|Markus|Jürgen|Klaus|Wolfgang|Dieter|Uwe|Sven|Tobias|Florian
    Lukas|Leon|Finn|Jonas|Paul|Felix|Maximilian|Elias|Ben|Emil|Anton|Jakob|Moritz|Mehmet|Piotr
    Matthias|Christian|Frank|Rainer|Holger|Karl|Bernd|Jan|Niklas|Tim|Dragan|Giuseppe
""")
LAST = pool("""
    Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Schäfer|Koch|Bauer
    Richter|Klein|Wolf|Schröder|Neumann|Schwarz|Zimmermann|Braun|Krüger|Hofmann|Hartmann|Lange
    Schmitt|Werner|Schmitz|Krause|Meier|Lehmann|Schmid|Schulze|Maier|Köhler|Herrmann|König|Walter
    Huber|Kaiser|Fuchs|Peters|Scholz|Möller|Weiß|Jung|Hahn|Vogel|Friedrich|Keller|Günther|Frank
    Berger|Winkler|Roth|Beck|Lorenz|Baumann|Franke|Albrecht|Yilmaz|Kaya|Nowak|Kowalski|Öztürk
""")
COMPANIES = pool("""
    Müller Werkzeuge GmbH|Schneider & Söhne KG|Weber Elektrotechnik GmbH|Nordlicht Software AG
    Rheinland Logistik GmbH & Co. KG|Becker Bürobedarf GmbH|Alpenblick Hotelbetriebs GmbH
    Fischer Haustechnik GmbH|Zimmermann Druck & Medien GmbH|Hanse Consulting GmbH
    Schwarzwald Maschinenbau AG|Brandt Gebäudereinigung GmbH|Elbe Spedition GmbH
    Krüger IT-Service UG (haftungsbeschränkt)|Sonnenschein Catering GmbH|Lehmann Sanitär GmbH
    Isar Immobilienverwaltung GmbH|Ostsee Werbeagentur GmbH|Grünwerk Garten- und Landschaftsbau GmbH
    Main-Kinzig Metallbau GmbH|Datenwerk Systemhaus GmbH|Bäckerei Hoffmann e.K.|Kessler Optik e.K.
    Vogel Verpackungen GmbH|Lindner Messebau GmbH|Sauer Fahrzeugtechnik GmbH|Wendt & Partner mbB
""")
# (city, first postcode, area code, local court keeping the commercial register)
PLACES = (
    ("Berlin", 10115, "030", "Berlin-Charlottenburg"), ("Hamburg", 20095, "040", "Hamburg"),
    ("München", 80331, "089", "München"), ("Köln", 50667, "0221", "Köln"),
    ("Frankfurt am Main", 60311, "069", "Frankfurt am Main"), ("Stuttgart", 70173, "0711", "Stuttgart"),
    ("Düsseldorf", 40210, "0211", "Düsseldorf"), ("Leipzig", 4103, "0341", "Leipzig"),
    ("Dortmund", 44135, "0231", "Dortmund"), ("Bremen", 28195, "0421", "Bremen"),
    ("Dresden", 1067, "0351", "Dresden"), ("Hannover", 30159, "0511", "Hannover"),
    ("Nürnberg", 90402, "0911", "Nürnberg"), ("Freiburg im Breisgau", 79098, "0761", "Freiburg"),
    ("Münster", 48143, "0251", "Münster"), ("Augsburg", 86150, "0821", "Augsburg"),
    ("Mainz", 55116, "06131", "Mainz"), ("Kiel", 24103, "0431", "Kiel"),
    ("Regensburg", 93047, "0941", "Regensburg"), ("Heidelberg", 69117, "06221", "Mannheim"),
    ("Bonn", 53111, "0228", "Bonn"), ("Karlsruhe", 76133, "0721", "Mannheim"),
    ("Rostock", 18055, "0381", "Rostock"), ("Erfurt", 99084, "0361", "Jena"),
)  # fmt: skip
STREETS = pool("""
    Hauptstraße|Bahnhofstraße|Gartenstraße|Schulstraße|Bergstraße|Lindenstraße|Kirchstraße
    Goethestraße|Schillerstraße|Industriestraße|Am Markt|Friedrichstraße|Mozartstraße|Rosenweg
    Birkenweg|Ringstraße|Wiesenweg|Kastanienallee|Hafenstraße|Mühlenweg|Parkstraße|Lessingstraße
    Am Stadtpark|Gewerbestraße|Eichendorffstraße|Uhlandstraße|Im Gewerbegebiet|Talstraße
""")
# (bank, bank code, BIC)
BANKS = (
    ("Sparkasse KölnBonn", "37050198", "COLSDE33XXX"), ("Deutsche Bank", "10070000", "DEUTDEBBXXX"),
    ("Commerzbank", "20040000", "COBADEFFXXX"), ("Berliner Volksbank", "10090000", "BEVODEBBXXX"),
    ("Postbank", "10010010", "PBNKDEFFXXX"), ("GLS Bank", "43060967", "GENODEM1GLS"),
    ("Stadtsparkasse München", "70150000", "SSKMDEMMXXX"), ("Hamburger Sparkasse", "20050550", "HASPDEHHXXX"),
    ("Deutsche Kreditbank", "12030000", "BYLADEM1001"), ("ING", "50010517", "INGDDEFFXXX"),
)  # fmt: skip
MONTHS = pool("""
    Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember
""")
WEEKDAYS = pool("Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag")


def person(rng: random.Random) -> tuple[str, str, str]:
    """(first name, surname, 'Frau' or 'Herr')."""
    if rng.random() < 0.5:
        return pick(rng, FIRST_F), pick(rng, LAST), "Frau"
    return pick(rng, FIRST_M), pick(rng, LAST), "Herr"


def full_name(rng: random.Random) -> str:
    first, last, _ = person(rng)
    return f"{first} {last}"


def salutation(first: str, last: str, title: str) -> str:
    return f"Sehr geehrte Frau {last}," if title == "Frau" else f"Sehr geehrter Herr {last},"


def place(rng: random.Random) -> tuple[str, str, str, str]:
    """(city, postcode, area code, register court)."""
    city, first, area, court = pick(rng, PLACES)
    return city, f"{first + below(rng, 40):05d}", area, court


def court_of(city: str) -> str:
    """The local court keeping the commercial register of firms seated in `city`."""
    return next((court for name, _, _, court in PLACES if name == city), city)


def area_of(city: str) -> str:
    return next((area for name, _, area, _ in PLACES if name == city), "030")


def street(rng: random.Random) -> str:
    return f"{pick(rng, STREETS)} {1 + below(rng, 120)}{pick(rng, ('', '', '', 'a', 'b'))}"


def party(rng: random.Random, name: str) -> tuple[Party, str]:
    """A German party at a drawn address, and that address as a two-line block."""
    city, postcode, _, _ = place(rng)
    road = street(rng)
    return Party(name, road, postcode, city, "DE", vat_id(rng)), f"{road}\n{postcode} {city}"


def phone(rng: random.Random, area: str = "") -> str:
    return f"{area or pick(rng, PLACES)[2]} {below(rng, 900) + 100} {below(rng, 9000) + 1000}"


def vat_id(rng: random.Random) -> str:
    return f"DE{100000000 + below(rng, 900000000)}"


def tax_number(rng: random.Random) -> str:
    return f"{below(rng, 90) + 10}/{below(rng, 900) + 100}/{below(rng, 90000) + 10000}"


def bank_account(rng: random.Random) -> tuple[str, str, str]:
    """(bank, IBAN with valid check digits, BIC)."""
    bank, code, bic = pick(rng, BANKS)
    return bank, iban("DE", f"{code}{below(rng, 10**10):010d}"), bic


def long_date(d: date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def short_date(d: date) -> str:
    return f"{d:%d.%m.%Y}"


def any_date(rng: random.Random, d: date) -> str:
    return long_date(d) if rng.random() < 0.4 else short_date(d)


def euro(amount: float) -> str:
    """1234.5 as '1.234,50 €'."""
    return f"{amount:,.2f}".translate(_SWAP) + " €"


def amount(value: float) -> str:
    return f"{value:,.2f}".translate(_SWAP)


_SWAP = str.maketrans({",": ".", ".": ","})
