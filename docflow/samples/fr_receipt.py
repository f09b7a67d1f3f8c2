"""French receipts: tickets de caisse of supermarkets, chemists, bakeries and petrol
stations with their card slip, restaurant bills (addition), taxi notes and rent
receipts (quittance de loyer)."""

from __future__ import annotations

import random

from docflow.samples.common import Sample, ascii_slug, below, chance, day, luhn_complete, pick, pool
from docflow.samples.fr_pools import (
    FIRST_F,
    FIRST_M,
    amount,
    bank_account,
    euro,
    full_name,
    long_date,
    person,
    phone,
    place,
    short_date,
    siret,
    street,
)


def _goods(block: str) -> tuple[tuple[str, float, int], ...]:
    """'NAME 1,29 1' lines as (name, price, VAT code): 1 is 5,5 %, 2 is 10 %, 3 is 20 %."""
    out = []
    for item in pool(block):
        rest, _, code = item.rpartition(" ")
        name, _, price = rest.rpartition(" ")
        out.append((name, float(price.replace(",", ".")), int(code)))
    return tuple(out)


_MARKET = _goods("""
    LAIT DEMI-ECREME 1L 1,05 1|BEURRE DOUX 250G 2,35 1|BAGUETTE TRADITION 1,20 1|COMTE AOP 200G 3,95 1
    PATES PENNE 500G 0,99 1|TOMATES CERISES 250G 1,89 1|OEUFS PLEIN AIR X12 3,49 1|YAOURT NATURE X4 1,29 1
    JUS D'ORANGE 1L 1,99 1|CAFE MOULU 250G 3,15 1|RIZ BASMATI 1KG 2,45 1|POMMES DE TERRE 2,5KG 2,99 1
    OIGNONS JAUNES 1KG 1,39 1|FILET DE POULET 400G 5,79 1|SAUMON FUME 4 TR 4,99 1|CHOCOLAT NOIR 70% 1,85 1
    EAU MINERALE 6X1,5L 2,70 1|BIERE BLONDE 6X25CL 4,20 3|VIN ROUGE BORDEAUX 75CL 5,90 3
    LIQUIDE VAISSELLE 1,65 3|ESSUIE-TOUT X3 2,55 3|DENTIFRICE 75ML 1,90 3|BOUGIES CHAUFFE-PLAT 2,49 3
    PILES AA X8 6,20 3|SALADE FEUILLE DE CHENE 1,15 1|CAMEMBERT 250G 1,79 1|CONFITURE FRAISE 1,99 1
    PIZZA SURGELEE 2,85 1|CREME FRAICHE 20CL 1,05 1|SANDWICH JAMBON BEURRE 3,20 2|FLEURS BOUQUET 7,99 2
""")
_CHEMIST = _goods("""
    DOLIPRANE 1000MG 2,18 2|SERUM PHYSIOLOGIQUE X30 3,20 2|CREME SOLAIRE SPF50 12,90 3
    PANSEMENTS X20 3,40 3|GEL HYDROALCOOLIQUE 2,95 3|SHAMPOING DOUX 4,50 3|BROSSE A DENTS 2,90 3
    VITAMINE C X20 5,60 1|SPRAY NASAL 4,80 2|THERMOMETRE DIGITAL 8,90 3|PASTILLES GORGE 4,35 2
    CREME HYDRATANTE 9,80 3|LAIT BEBE 2EME AGE 16,50 1|COTON DEMAQUILLANT 1,95 3
""")
_BAKERY = _goods("""
    BAGUETTE 1,10 1|CROISSANT 1,20 1|PAIN AU CHOCOLAT 1,35 1|PAIN DE CAMPAGNE 3,60 1
    TARTE AUX POMMES PART 2,90 1|ECLAIR CAFE 2,70 1|FORMULE SANDWICH 8,50 2|CAFE 1,80 2
    CHAUSSON AUX POMMES 1,60 1|FLAN PATISSIER 2,80 1|QUICHE LORRAINE 3,90 2|JUS DE POMME 2,20 2
""")
_STATION = _goods("""
    CAFE DISTRIBUTEUR 1,90 3|BARRE CHOCOLATEE 1,50 1|LAVE-GLACE 5L 6,90 3|JOURNAL 1,50 1
    LAVAGE ROULEAUX 12,00 3|EAU 50CL 1,60 1|SANDWICH TRIANGLE 3,90 2
""")
_FUELS = (("SP95-E10", 1.719, 1.949), ("SP98", 1.829, 2.059), ("GAZOLE", 1.629, 1.879))
_SHOPS = (
    (pool("CARREFOUR MARKET|MONOPRIX|FRANPRIX|E.LECLERC|INTERMARCHE SUPER|AUCHAN|SUPER U|LIDL"), _MARKET, 12, 32),
    (pool("PHARMACIE DU MARCHE|PHARMACIE CENTRALE|GRANDE PHARMACIE DE LA GARE"), _CHEMIST, 2, 7),
    (pool("BOULANGERIE PATISSERIE DUPONT|MAISON MOREAU BOULANGER|AU PETRIN D'OR"), _BAKERY, 2, 7),
    (pool("STATION TOTALENERGIES|ESSO EXPRESS|AVIA STATION|STATION INTERMARCHE"), _STATION, 0, 3),
)  # fmt: skip
_RATES = {1: 5.5, 2: 10.0, 3: 20.0}
_FOOTERS = pool("""
    Merci de votre visite et à bientôt !|Merci pour votre fidélité, à très bientôt.
    Échange ou remboursement sous 30 jours sur présentation de ce ticket.|Conservez ce ticket, il vous sera demandé pour tout échange.
    Votre carte de fidélité vous a fait gagner {points} € sur votre cagnotte.|Nos magasins sont ouverts du lundi au samedi de 8 h 30 à 21 h.
    Le ticket de caisse dématérialisé est disponible dans votre espace client.|Vous avez été servi par {cashier}.
    Donnez votre avis sur notre site et tentez de gagner un bon d'achat.
""")


def _clock(rng: random.Random) -> str:
    return f"{7 + below(rng, 14):02d}:{below(rng, 60):02d}:{below(rng, 60):02d}"


def _items(rng: random.Random, goods: tuple[tuple[str, float, int], ...], low: int, high: int) -> tuple[list[str], dict[int, float]]:  # fmt: skip
    lines, gross = [], {1: 0.0, 2: 0.0, 3: 0.0}
    for name, price, code in rng.choices(goods, k=low + below(rng, high - low + 1)):
        qty = 1 + below(rng, 3) if chance(rng, 0.12) else 1
        if qty > 1:
            lines.append(f"  {qty} x {amount(price)} €")
        lines.append(f"{name:<30}{amount(price * qty):>8}  {code}")
        gross[code] += price * qty
    return lines, gross


_TAX_HEADS = (("Code", "Taux", "HT", "TVA", "TTC"), ("TVA", "Taux", "Base HT", "Montant", "TTC"),
              ("", "Taux", "Total HT", "TVA", "Total"), ("Cat.", "TVA%", "HT", "TVA", "TTC"))  # fmt: skip


def _tax_table(rng: random.Random, gross: dict[int, float]) -> str:
    a, b, c, d, e = pick(rng, _TAX_HEADS)
    rows = [f"{a:<5}{b:>7}{c:>10}{d:>9}{e:>10}"]
    for code, total in gross.items():
        if total:
            net = total / (1 + _RATES[code] / 100)
            rows.append(
                f"{code:<5}{amount(_RATES[code]) + '%':>7}{amount(net):>10}{amount(total - net):>9}{amount(total):>10}"
            )
    return "\n".join(rows)


def _payment(rng: random.Random, total: float, shop: str, city: str, when: str) -> str:
    if chance(rng, 0.3):
        given = float(int(total // 5 + 1) * 5)
        return f"{'ESPECES':<28}{amount(given):>10} €\n{'RENDU':<28}{amount(given - total):>10} €"
    card = pick(rng, ("CB SANS CONTACT", "CB", "CARTE BANCAIRE", "VISA", "MASTERCARD"))
    return (
        f"{card:<28}{amount(total):>10} €\n\n{pick(rng, ('CARTE BANCAIRE', 'CB', 'TICKET CB'))}\n"
        f"{pick(rng, ('SANS CONTACT', 'CONTACT', 'SANS CONTACT'))}\nA00000000{pick(rng, ('42', '31', '41'))}1010\n"
        f"LE {when}\n{shop}\n{city.upper()}\n{below(rng, 10**7):07d}\n"
        f"************{below(rng, 10000):04d}\nMONTANT = {amount(total)} EUR\nDEBIT\n"
        f"{pick(rng, ('TICKET CLIENT A CONSERVER', 'TICKET CLIENT', 'A CONSERVER'))}"
    )


def _till(rng: random.Random) -> Sample:
    names, goods, low, high = pick(rng, _SHOPS)
    shop = pick(rng, names)
    city, postcode, area = place(rng)
    when, clock = day(rng), _clock(rng)
    lines, gross = _items(rng, goods, low, high)
    if goods is _STATION:
        fuel, lo, hi = pick(rng, _FUELS)
        litres, price = round(15 + rng.random() * 45, 2), round(lo + rng.random() * (hi - lo), 3)
        lines[:0] = [
            f"POMPE {1 + below(rng, 12)} {fuel}",
            f"  {amount(litres)} L x {price:.3f}".replace(".", ",")
            + f" €/L{amount(litres * price):>10}  3",
        ]
        gross[3] += litres * price
    total = sum(gross.values())
    cashier = pick(rng, FIRST_F + FIRST_M)
    ticket, till = below(rng, 10000), 1 + below(rng, 12)
    siren = luhn_complete(f"{below(rng, 10**8):08d}")
    stamp = (
        f"{short_date(when)} {clock}  Caisse {till:02d}  Ticket {ticket:04d}  Hôte(sse) : {cashier}"
    )
    top, bottom = (stamp, "") if chance(rng, 0.5) else ("", stamp)
    footer = " ".join(rng.sample(_FOOTERS, 2 + below(rng, 2))).format(
        points=amount(rng.random() * 5), cashier=cashier
    )
    text = (
        f"{shop}\n{street(rng)}\n{postcode} {city.upper()}\nTél. : {phone(rng, area)}\nSIRET {siret(rng, siren)}\n"
        f"{top}\n\n" + "\n".join(lines) + f"\n{'-' * 42}\n{sum(1 for line in lines if not line.startswith(' '))} ARTICLE(S)\n"
        f"{pick(rng, ('TOTAL', 'TOTAL TTC', 'A PAYER', 'MONTANT DU')):<28}{amount(total):>10} €\n{'=' * 42}\n"
        f"{_payment(rng, total, shop, city, f'{when:%d/%m/%y} A {clock}')}\n\n{_tax_table(rng, gross)}\n{bottom}\n\n{footer}\n"
    )  # fmt: skip
    stem = pick(rng, (f"ticket_{when:%Y%m%d}_{ticket:04d}", f"{ascii_slug(shop)}_{when:%Y-%m-%d}",
                      f"IMG_{below(rng, 10000):04d}", f"ticket-caisse-{ticket:04d}"))  # fmt: skip
    return Sample("receipt", "fr", stem, text, "text/plain", ".txt", f"Ticket de caisse {shop}")


_DISHES = _goods("""
    Kir vin blanc 4,50 2|Pression 25cl 3,80 2|Carafe de vin rouge 50cl 14,00 2|Eau minérale 75cl 5,50 2
    Entrecôte frites 22,50 2|Blanquette de veau 18,90 2|Salade de chèvre chaud 14,50 2|Soupe à l'oignon 8,90 2
    Menu du jour 16,90 2|Croque-monsieur 11,50 2|Tarte Tatin 7,50 2|Crème brûlée 7,90 2
    Café gourmand 8,50 2|Expresso 2,20 2|Moules marinières 17,50 2|Confit de canard 21,00 2
""")


def _restaurant(rng: random.Random) -> Sample:
    name = pick(
        rng,
        (
            "Brasserie du Commerce",
            "Le Bistrot d'Antoine",
            "Café de la Gare",
            "Restaurant Le Lyonnais",
            "La Table de Margaux",
        ),
    )
    city, postcode, area = place(rng)
    when, clock = day(rng), _clock(rng)
    total, lines = 0.0, []
    for dish, price, _ in rng.sample(_DISHES, 4 + below(rng, 7)):
        qty = 1 + below(rng, 3)
        total += qty * price
        lines.append(f"{qty} {dish:<32}{amount(price):>7}{amount(qty * price):>9}")
    covers = 1 + below(rng, 6)
    net = total / 1.1
    text = (
        f"{name}\n{street(rng)}\n{postcode} {city}\nTél. {phone(rng, area)}\n\n"
        f"{pick(rng, ('Table', 'Table n°'))} {1 + below(rng, 40)} - {covers} couvert(s) - Serveur : {pick(rng, FIRST_F + FIRST_M)}\n"
        f"{pick(rng, ('Addition', 'NOTE', 'Ticket'))} n° {below(rng, 100000)}   {short_date(when)} {clock[:5]}\n\n"
        + "\n".join(lines)
        + f"\n{'-' * 50}\n{'TOTAL TTC':<40}{amount(total):>10}\n"
        f"dont TVA 10 % : {amount(total - net)} €  (HT {amount(net)} €)\n"
        f"{pick(rng, ('Réglé par CB', 'Réglé en espèces', 'Paiement : carte bancaire', 'Titre-restaurant + CB'))}\n"
        f"{pick(rng, ('Service compris', 'Prix nets, service compris', 'Service compris 15 %'))}\n\n"
        f"{pick(rng, ('Merci de votre visite !', 'À bientôt dans notre établissement.', 'Toute l’équipe vous remercie.'))}\n"
        f"SIRET {siret(rng, luhn_complete(f'{below(rng, 10**8):08d}'))} - Note justificative pour frais professionnels\n"
    )  # fmt: skip
    stem = pick(
        rng,
        (
            f"addition_{when:%Y%m%d}",
            f"note_restaurant_{below(rng, 10000):04d}",
            f"IMG_{below(rng, 10000):04d}",
        ),
    )
    return Sample("receipt", "fr", stem, text, "text/plain", ".txt", f"Addition {name}")


def _taxi(rng: random.Random) -> Sample:
    city, _, _ = place(rng)
    when, clock = day(rng), _clock(rng)
    fare = round(12 + rng.random() * 60, 2)
    text = (
        f"{pick(rng, ('NOTE DE TAXI', 'Reçu taxi', 'TAXI - NOTE'))}\n\n"
        f"Taxi n° {below(rng, 2000) + 1} - Licence de stationnement {city}\n"
        f"Immatriculation : {pick(rng, 'ABCDEFGH')}{pick(rng, 'ABCDEFGH')}-{below(rng, 900) + 100}-{pick(rng, 'KLMNPRST')}{pick(rng, 'KLMNPRST')}\n"
        f"Date : {short_date(when)}   Heure de début : {clock[:5]}\n"
        f"Départ : {pick(rng, ('Gare SNCF', 'Aéroport', 'Hôtel de Ville', 'CHU'))}\nArrivée : {street(rng)}, {city}\n"
        f"Tarif appliqué : {pick(rng, ('A', 'B', 'C', 'D'))}   Distance : {2 + below(rng, 40)} km\n"
        f"Prix TTC : {euro(fare)} dont TVA 10 % : {euro(fare - fare / 1.1)}\n"
        f"Supplément bagages : {pick(rng, ('néant', '2,00 €'))}\n\n"
        f"Nom du client : {full_name(rng)}\nChauffeur : {full_name(rng)}\n"
        "Réclamations : service des taxis de la préfecture de police.\n"
        "Ce reçu est délivré obligatoirement pour toute course d'un montant supérieur à 25 €.\n"
    )  # fmt: skip
    return Sample(
        "receipt",
        "fr",
        f"recu_taxi_{when:%Y%m%d}_{below(rng, 100):02d}",
        text,
        "text/plain",
        ".txt",
        "Note de taxi",
    )


def _rent(rng: random.Random) -> Sample:
    """A rent receipt: the landlord acknowledges the rent and charges of one month."""
    first, last, title = person(rng)
    landlord = full_name(rng)
    city, postcode, _ = place(rng)
    when = day(rng)
    rent, charges = 450 + 10 * below(rng, 120), 40 + 5 * below(rng, 30)
    month = long_date(when).split(" ", 1)[1]
    text = (
        f"QUITTANCE DE LOYER\n\nQuittance pour la période de {month}\n\n"
        f"Bailleur : {landlord}\n{street(rng)}, {postcode} {city}\n\n"
        f"Locataire : {title} {first} {last}\nAdresse du logement loué : {street(rng)}, {postcode} {city}\n\n"
        f"Je soussigné(e) {landlord}, propriétaire du logement désigné ci-dessus, déclare avoir reçu de "
        f"{title} {first} {last} la somme de {euro(rent + charges)} au titre du loyer et des charges "
        f"pour la période de {month}, et lui en donne quittance, sous réserve de tous mes droits.\n\n"
        f"Détail du règlement :\nLoyer : {euro(rent)}\nProvision pour charges : {euro(charges)}\n"
        f"Total : {euro(rent + charges)}\nDate du paiement : {short_date(when)}\n"
        f"Mode de paiement : {pick(rng, ('virement', 'prélèvement', 'chèque'))}"
        f"{' sur le compte ' + bank_account(rng)[1] if chance(rng, 0.4) else ''}\n\n"
        f"Fait à {city}, le {long_date(when)}\n\nSignature du bailleur : {landlord}\n\n"
        "Cette quittance annule tous les reçus qui auraient pu être établis précédemment "
        "en cas de paiement partiel du montant du présent terme.\n"
    )
    return Sample(
        "receipt",
        "fr",
        f"quittance_loyer_{when:%Y_%m}",
        text,
        "text/plain",
        ".txt",
        "Quittance de loyer",
    )


def receipt(rng: random.Random) -> Sample:
    r = rng.random()
    if r < 0.12:
        return _restaurant(rng)
    if r < 0.18:
        return _taxi(rng)
    if r < 0.26:
        return _rent(rng)
    return _till(rng)
