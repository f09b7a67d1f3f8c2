"""French names, firms, places, banks, company identifiers (SIREN, SIRET, TVA) and the way
French documents write dates and money."""

from __future__ import annotations

import random
from datetime import date

from docflow.samples.common import Party, below, iban, luhn_complete, pick, pool

FIRST_F = pool("""
    Marie|Camille|Léa|Chloé|Manon|Emma|Inès|Jade|Louise|Sophie|Isabelle|Nathalie|Sandrine|Céline
    Aurélie|Élodie|Juliette|Margaux|Anaïs|Hélène|Fatima|Nadia|Aïcha|Claire|Valérie|Sylvie|Pauline
    Océane|Lucie|Agathe|Brigitte|Martine|Monique|Élise|Zoé|Amandine
""")
FIRST_M = pool("""
    Jean|Pierre|Michel|Philippe|Alain|Nicolas|Julien|Thomas|Antoine|Hugo|Lucas|Louis|Gabriel
    Arthur|Raphaël|Mathieu|Sébastien|François|Olivier|Laurent|Karim|Youssef|Mamadou|Éric|Benoît
    Guillaume|Maxime|Romain|Théo|Bernard|Patrick|Christophe|Frédéric|Yann|Loïc|Cédric
""")
LAST = pool("""
    Martin|Bernard|Thomas|Petit|Robert|Richard|Durand|Dubois|Moreau|Laurent|Simon|Michel|Lefebvre
    Leroy|Roux|David|Bertrand|Morel|Fournier|Girard|Bonnet|Dupont|Lambert|Fontaine|Rousseau|Vincent
    Muller|Lefèvre|Faure|André|Mercier|Blanc|Guérin|Boyer|Garnier|Chevalier|François|Legrand|Gauthier
    Garcia|Perrin|Robin|Clément|Morin|Nicolas|Henry|Roussel|Mathieu|Gautier|Masson|Marchand|Duval
    Denis|Dumont|Lemaire|Noël|Meyer|Dufour|Meunier|Brun|Blanchard|Giraud|Joly|Rivière|Lucas|Brunet
    Gaillard|Barbier|Arnaud|Martinez|Gérard|Roche|Renard|Schmitt|Benali|Haddad|Nguyen|Le Gall
""")
COMPANIES = pool("""
    Boulangerie Dupont SARL|Transports Moreau SAS|Cabinet Lefèvre Expertise Comptable
    Menuiserie Bernard EURL|Groupe Rivière Bâtiment SA|Solutions Numériques Garnier SAS
    Imprimerie du Rhône SARL|Laboratoires Fontaine SA|Électricité Générale Morel SARL
    Agence Lumière Communication SAS|Garage Rousseau & Fils SARL|Provence Logistique SAS
    Traiteur Les Saveurs de Lyon SARL|Nettoyage Pro Île-de-France SAS|Fournitures Marchand SARL
    Informatique Girard Services SAS|Cabinet Perrin & Associés|Bretagne Emballages SA
    Hôtel du Parc SARL|Plomberie Chevalier EURL|Alpes Ingénierie SAS|Studio Mercier Architecture
    Atelier Vincent Design SAS|Librairie Faure SARL|Conseil Blanchard & Roche SAS
""")
# (city, postcode, area code of its phone numbers)
PLACES = (
    ("Paris", "75008", "01"), ("Paris", "75011", "01"), ("Lyon", "69002", "04"), ("Lyon", "69007", "04"),
    ("Marseille", "13006", "04"), ("Toulouse", "31000", "05"), ("Nice", "06000", "04"),
    ("Nantes", "44000", "02"), ("Strasbourg", "67000", "03"), ("Montpellier", "34000", "04"),
    ("Bordeaux", "33000", "05"), ("Lille", "59000", "03"), ("Rennes", "35000", "02"),
    ("Reims", "51100", "03"), ("Grenoble", "38000", "04"), ("Dijon", "21000", "03"),
    ("Angers", "49000", "02"), ("Nîmes", "30000", "04"), ("Clermont-Ferrand", "63000", "04"),
    ("Aix-en-Provence", "13100", "04"), ("Brest", "29200", "02"), ("Tours", "37000", "02"),
    ("Limoges", "87000", "05"), ("Annecy", "74000", "04"), ("Metz", "57000", "03"),
)  # fmt: skip
STREETS = pool("""
    rue de la République|rue Victor Hugo|avenue Jean Jaurès|boulevard Gambetta|rue Pasteur
    place de la Mairie|rue du Général de Gaulle|rue des Lilas|allée des Tilleuls|chemin des Vignes
    avenue de la Gare|rue Nationale|quai Saint-Antoine|rue de la Paix|impasse des Roses
    boulevard Voltaire|rue Saint-Michel|avenue Foch|rue du Moulin|cours Mirabeau|rue des Écoles
""")
# (bank, bank code, BIC)
BANKS = (
    ("BNP Paribas", "30004", "BNPAFRPPXXX"), ("Société Générale", "30003", "SOGEFRPPXXX"),
    ("Crédit Agricole", "17806", "AGRIFRPP878"), ("LCL", "30002", "CRLYFRPPXXX"),
    ("Crédit Mutuel", "10278", "CMCIFR2AXXX"), ("La Banque Postale", "20041", "PSSTFRPPXXX"),
    ("CIC", "30066", "CMCIFRPPXXX"), ("Caisse d'Épargne", "11315", "CEPAFRPP131"),
)  # fmt: skip
NAF = pool("6201Z|4791A|1071C|4941A|7022Z|4321A|5610A|6920Z|4399C|7311Z|8121Z|4690Z")
MONTHS = pool(
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)


def person(rng: random.Random) -> tuple[str, str, str]:
    """(first name, surname, 'Madame' or 'Monsieur')."""
    if rng.random() < 0.5:
        return pick(rng, FIRST_F), pick(rng, LAST), "Madame"
    return pick(rng, FIRST_M), pick(rng, LAST), "Monsieur"


def full_name(rng: random.Random) -> str:
    first, last, _ = person(rng)
    return f"{first} {last}"


def place(rng: random.Random) -> tuple[str, str, str]:
    """(city, postcode, area code)."""
    return pick(rng, PLACES)


def street(rng: random.Random) -> str:
    number = f"{1 + below(rng, 140)}{pick(rng, ('', '', '', '', ' bis', ' ter'))}"
    return (
        f"{number}, {pick(rng, STREETS)}"
        if rng.random() < 0.3
        else f"{number} {pick(rng, STREETS)}"
    )


def party(rng: random.Random, name: str) -> tuple[Party, str, str]:
    """A French party at a drawn address, that address as a two-line block, and its SIREN."""
    city, postcode, _ = place(rng)
    road = street(rng)
    siren = luhn_complete(f"{below(rng, 10**8):08d}")
    found = Party(name, road, postcode, city, "FR", vat_number(siren))
    return found, f"{road}\n{postcode} {city.upper()}", siren


def phone(rng: random.Random, area: str = "") -> str:
    digits = f"{below(rng, 10**8):08d}"
    return f"{area or pick(rng, PLACES)[2]} " + " ".join(digits[i : i + 2] for i in range(0, 8, 2))


def vat_number(siren: str) -> str:
    """The intra-EU VAT number of a SIREN: FR, a two-digit key, the SIREN."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def siret(rng: random.Random, siren: str) -> str:
    raw = luhn_complete(siren + f"{below(rng, 10**4):04d}")
    return f"{raw[:3]} {raw[3:6]} {raw[6:9]} {raw[9:]}"


def spaced(siren: str) -> str:
    return f"{siren[:3]} {siren[3:6]} {siren[6:]}"


def bank_account(rng: random.Random) -> tuple[str, str, str]:
    """(bank, IBAN with a valid RIB key and check digits, BIC)."""
    bank, code, bic = pick(rng, BANKS)
    branch, account = f"{below(rng, 10**5):05d}", f"{below(rng, 10**11):011d}"
    key = 97 - (89 * int(code) + 15 * int(branch) + 3 * int(account)) % 97
    return bank, iban("FR", f"{code}{branch}{account}{key:02d}"), bic


def long_date(d: date) -> str:
    return f"{'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]} {d.year}"


def short_date(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def any_date(rng: random.Random, d: date) -> str:
    return long_date(d) if rng.random() < 0.5 else short_date(d)


def euro(value: float) -> str:
    """1234.5 as '1 234,50 €'."""
    return f"{value:,.2f}".translate(_SWAP) + " €"


def amount(value: float) -> str:
    return f"{value:,.2f}".translate(_SWAP)


_SWAP = str.maketrans({",": " ", ".": ","})
