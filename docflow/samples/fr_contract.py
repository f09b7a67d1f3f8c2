"""French contracts: residential leases (contrat de bail, loi du 6 juillet 1989),
employment contracts (CDI, CDD), service agreements (contrat de prestation de services),
confidentiality agreements and used-car sales.

As for German, each kind has its articles in their usual order, in one to three
wordings; the essential ones are always there, the others sampled.
"""

from __future__ import annotations

import random
from datetime import timedelta

from docflow.samples.common import Sample, ascii_slug, below, chance, day, pick, pool
from docflow.samples.fr_pools import (
    COMPANIES,
    bank_account,
    euro,
    full_name,
    long_date,
    place,
    short_date,
    street,
)

Section = tuple[str, bool, tuple[str, ...]]
_LEASE: tuple[Section, ...] = (
    (
        "Objet du contrat",
        True,
        (
            "Le présent contrat a pour objet la location d'un logement à usage de résidence principale, soumis au titre Ier de la loi n° 89-462 du 6 juillet 1989.",
        ),
    ),
    (
        "Désignation des locaux",
        True,
        (
            "Le logement est situé {site}, au {floor}e étage. Il comprend {rooms} pièces principales, une cuisine, une salle d'eau et un WC, pour une surface habitable de {area} m². Une cave est rattachée au logement.",
            "Les locaux loués consistent en un appartement de type T{rooms} d'une surface habitable de {area} m², situé {site}, avec balcon et place de stationnement n° {unit}.",
        ),
    ),
    (
        "Durée du contrat",
        True,
        (
            "Le bail est consenti pour une durée de trois ans à compter du {start}. À défaut de congé, il est reconduit tacitement pour la même durée.",
            "Le présent bail prend effet le {start} pour une durée de trois années entières et consécutives.",
        ),
    ),
    (
        "Loyer et charges",
        True,
        (
            "Le loyer mensuel est fixé à {rent} hors charges. Il est payable d'avance le premier de chaque mois. Les charges récupérables font l'objet d'une provision mensuelle de {costs}, régularisée chaque année.",
            "Le montant du loyer est de {rent} par mois, auquel s'ajoute une provision sur charges de {costs}, soit un total mensuel de {total}.",
        ),
    ),
    (
        "Révision du loyer",
        False,
        (
            "Le loyer sera révisé chaque année à la date anniversaire du contrat en fonction de la variation de l'indice de référence des loyers publié par l'INSEE.",
        ),
    ),
    (
        "Dépôt de garantie",
        True,
        (
            "Le locataire verse ce jour un dépôt de garantie de {deposit}, correspondant à un mois de loyer hors charges. Il sera restitué dans un délai maximal de deux mois après la remise des clés.",
        ),
    ),
    (
        "Obligations du locataire",
        False,
        (
            "Le locataire s'engage à payer le loyer aux termes convenus, à user paisiblement des locaux, à répondre des dégradations survenues pendant la durée du contrat et à s'assurer contre les risques locatifs.",
            "Le locataire doit justifier chaque année d'une assurance habitation et ne peut sous-louer le logement sans l'accord écrit du bailleur.",
        ),
    ),
    (
        "Obligations du bailleur",
        False,
        (
            "Le bailleur est tenu de remettre au locataire un logement décent, d'assurer la jouissance paisible des lieux et d'entretenir les locaux en état de servir à l'usage prévu.",
        ),
    ),
    (
        "Clause résolutoire",
        False,
        (
            "Le bail sera résilié de plein droit deux mois après un commandement de payer demeuré infructueux, à défaut de paiement du loyer, des charges ou du dépôt de garantie.",
        ),
    ),
    (
        "État des lieux",
        False,
        (
            "Un état des lieux est établi contradictoirement lors de la remise et de la restitution des clés et annexé au présent contrat.",
        ),
    ),
)
_JOB: tuple[Section, ...] = (
    (
        "Engagement",
        True,
        (
            "La société engage {employee} à compter du {start} en qualité de {job}, statut {status}, sous réserve des résultats de la visite d'information et de prévention.",
            "Le salarié est engagé par contrat à durée {duration} à partir du {start} pour exercer les fonctions de {job}.",
        ),
    ),
    (
        "Période d'essai",
        False,
        (
            "Le présent contrat ne deviendra définitif qu'à l'issue d'une période d'essai de {trial} mois, pendant laquelle chacune des parties pourra le rompre en respectant le délai de prévenance légal.",
        ),
    ),
    (
        "Lieu de travail",
        False,
        (
            "Le salarié exercera ses fonctions à {city}. Il pourra être amené à effectuer des déplacements ponctuels en France.",
        ),
    ),
    (
        "Durée du travail",
        True,
        (
            "La durée hebdomadaire de travail est fixée à {hours} heures, réparties du lundi au vendredi selon l'horaire collectif en vigueur dans l'entreprise.",
            "Le salarié est soumis à un horaire de {hours} heures par semaine. Les heures supplémentaires ne peuvent être effectuées qu'à la demande de la hiérarchie.",
        ),
    ),
    (
        "Rémunération",
        True,
        (
            "En contrepartie de son travail, le salarié percevra une rémunération mensuelle brute de {salary}, versée sur douze mois.",
            "La rémunération brute annuelle est fixée à {annual}, payable en treize mensualités, la treizième étant versée en décembre.",
        ),
    ),
    (
        "Congés payés",
        True,
        (
            "Le salarié bénéficie des congés payés prévus par la loi et la convention collective, soit deux jours et demi ouvrables par mois de travail effectif.",
        ),
    ),
    (
        "Confidentialité",
        False,
        (
            "Le salarié s'engage à observer la plus entière discrétion sur les informations dont il aura connaissance dans l'exercice de ses fonctions, pendant et après l'exécution du contrat.",
        ),
    ),
    (
        "Convention collective",
        False,
        (
            "Le présent contrat est régi par la convention collective {agreement}, dont un exemplaire est tenu à la disposition du salarié.",
        ),
    ),
    (
        "Rupture du contrat",
        True,
        (
            "Après la période d'essai, le contrat pourra être rompu à l'initiative de l'une ou l'autre des parties dans les conditions prévues par le Code du travail et la convention collective.",
        ),
    ),
)
_SERVICE: tuple[Section, ...] = (
    (
        "Objet",
        True,
        (
            "Le présent contrat a pour objet de définir les conditions dans lesquelles le Prestataire réalise pour le Client des prestations de {field}.",
            "Le Client confie au Prestataire, qui l'accepte, une mission de {field}, telle que décrite dans le cahier des charges annexé.",
        ),
    ),
    (
        "Description des prestations",
        False,
        (
            "Les prestations comprennent l'analyse des besoins, la réalisation des travaux et un compte rendu mensuel. Toute prestation complémentaire fera l'objet d'un avenant.",
        ),
    ),
    (
        "Durée",
        True,
        (
            "Le contrat prend effet le {start} pour une durée d'un an. Il est renouvelable par tacite reconduction, sauf dénonciation par lettre recommandée trois mois avant son échéance.",
            "Le présent contrat est conclu pour une durée indéterminée à compter du {start}. Chaque partie peut y mettre fin moyennant un préavis de deux mois.",
        ),
    ),
    (
        "Prix et modalités de paiement",
        True,
        (
            "En contrepartie, le Client versera au Prestataire une rémunération forfaitaire mensuelle de {fee} HT. Les factures sont payables à trente jours.",
            "Les prestations sont facturées au taux journalier de {rate} HT, sur la base d'un relevé d'activité validé par le Client.",
        ),
    ),
    (
        "Obligations des parties",
        False,
        (
            "Le Prestataire est tenu d'une obligation de moyens. Le Client s'engage à fournir toutes les informations nécessaires à la bonne exécution de la mission.",
        ),
    ),
    (
        "Confidentialité",
        False,
        (
            "Chacune des parties s'engage à ne pas divulguer les informations confidentielles de l'autre partie dont elle aurait eu connaissance à l'occasion du contrat.",
        ),
    ),
    (
        "Responsabilité",
        False,
        (
            "La responsabilité du Prestataire est limitée aux dommages directs et ne pourra excéder le montant des sommes perçues au cours des douze derniers mois.",
        ),
    ),
    (
        "Protection des données",
        False,
        (
            "Les parties s'engagent à respecter le règlement général sur la protection des données (RGPD). Un accord de sous-traitance est annexé au présent contrat.",
        ),
    ),
    (
        "Résiliation",
        True,
        (
            "En cas de manquement grave de l'une des parties, l'autre pourra résilier le contrat de plein droit, quinze jours après une mise en demeure restée sans effet.",
        ),
    ),
)
_NDA: tuple[Section, ...] = (
    (
        "Objet",
        True,
        (
            "Le présent accord a pour objet de définir les conditions dans lesquelles les parties échangent des informations confidentielles dans le cadre d'un projet de {field}.",
        ),
    ),
    (
        "Définition",
        True,
        (
            "Sont considérées comme confidentielles toutes les informations techniques, commerciales ou financières communiquées par écrit ou oralement par une partie à l'autre.",
        ),
    ),
    (
        "Engagements",
        True,
        (
            "La partie réceptrice s'engage à garder les informations strictement confidentielles, à ne les utiliser que pour le projet et à ne les communiquer qu'aux membres de son personnel qui en ont besoin.",
        ),
    ),
    (
        "Exceptions",
        False,
        (
            "Ces obligations ne s'appliquent pas aux informations tombées dans le domaine public ou dont la divulgation est exigée par la loi.",
        ),
    ),
    (
        "Durée",
        True,
        (
            "Le présent accord entre en vigueur à sa signature et les obligations de confidentialité demeurent pendant {years} ans.",
        ),
    ),
    (
        "Restitution",
        False,
        (
            "À la fin des discussions, chaque partie restituera ou détruira l'ensemble des documents reçus.",
        ),
    ),
)
_CAR: tuple[Section, ...] = (
    (
        "Désignation du véhicule",
        True,
        (
            "Le Vendeur cède à l'Acquéreur le véhicule d'occasion {car}, numéro d'identification {vin}, première mise en circulation le {first_reg}, kilométrage au compteur {km} km.",
        ),
    ),
    (
        "Prix",
        True,
        (
            "La vente est consentie moyennant le prix de {price}, payé ce jour par virement sur le compte IBAN {iban}.",
            "Le prix de vente est fixé à {price}, réglé par chèque de banque remis lors de la signature.",
        ),
    ),
    (
        "État du véhicule",
        True,
        (
            "L'Acquéreur déclare connaître l'état du véhicule pour l'avoir essayé. Le contrôle technique, daté de moins de six mois, lui a été remis.",
        ),
    ),
    (
        "Garanties",
        False,
        (
            "Le Vendeur, non professionnel, garantit l'Acquéreur contre les vices cachés conformément aux articles 1641 et suivants du Code civil.",
        ),
    ),
    (
        "Livraison",
        True,
        (
            "Le véhicule est livré le {start} avec le certificat d'immatriculation barré, le certificat de cession et deux clés.",
        ),
    ),
)
_KINDS = (
    (pool("CONTRAT DE LOCATION|Contrat de bail d'habitation|Bail d'habitation - Logement vide"), ("le Bailleur", "le Locataire"), (False, False), _LEASE),
    (pool("CONTRAT DE TRAVAIL À DURÉE INDÉTERMINÉE|Contrat de travail|Contrat de travail à durée déterminée"), ("l'Employeur", "le Salarié"), (True, False), _JOB),
    (pool("CONTRAT DE PRESTATION DE SERVICES|Contrat de prestation de services|Contrat de sous-traitance"), ("le Client", "le Prestataire"), (True, True), _SERVICE),
    (pool("ACCORD DE CONFIDENTIALITÉ|Accord de non-divulgation"), ("la Partie divulgatrice", "la Partie réceptrice"), (True, True), _NDA),
    (pool("CONTRAT DE VENTE D'UN VÉHICULE D'OCCASION|Contrat de vente de véhicule"), ("le Vendeur", "l'Acquéreur"), (False, False), _CAR),
)  # fmt: skip
_FINAL = (
    "Le présent contrat est soumis au droit français.",
    "Tout litige relatif à son interprétation ou à son exécution relèvera de la compétence des tribunaux de {city}.",
    "Si l'une des clauses du présent contrat venait à être déclarée nulle, les autres stipulations conserveraient leur pleine validité.",
    "Toute modification du présent contrat devra faire l'objet d'un avenant écrit signé par les parties.",
    "Pour l'exécution des présentes, les parties font élection de domicile en leurs adresses respectives.",
)
_FIELDS = pool(
    "maintenance informatique|comptabilité et paie|référencement et marketing digital|nettoyage de locaux|développement logiciel|traduction technique|organisation d'événements"
)
_JOBS = pool(
    "assistante de direction|développeur web|technicien de maintenance|chargée de clientèle|comptable|responsable logistique"
)
_CARS = pool(
    "Renault Clio V TCe 90|Peugeot 308 BlueHDi 130|Citroën C3 PureTech 83|Dacia Sandero Stepway|Toyota Yaris Hybride|Volkswagen Polo 1.0 TSI"
)
_AGREEMENTS = pool(
    "Syntec|du commerce de détail et de gros à prédominance alimentaire|de la métallurgie|des bureaux d'études techniques|HCR"
)


def _values(rng: random.Random, city: str) -> dict[str, str]:
    start = day(rng)
    rent = 450 + 10 * below(rng, 140)
    costs = 30 + 5 * below(rng, 40)
    salary = 1900 + 50 * below(rng, 80)
    return {
        "start": long_date(start), "floor": str(1 + below(rng, 6)), "rooms": str(1 + below(rng, 4)),
        "area": str(22 + below(rng, 100)), "unit": str(1 + below(rng, 60)), "site": f"{street(rng)}, {city}",
        "rent": euro(rent), "costs": euro(costs), "total": euro(rent + costs), "deposit": euro(rent),
        "employee": full_name(rng), "job": pick(rng, _JOBS), "status": pick(rng, ("cadre", "employé", "agent de maîtrise")),
        "duration": pick(rng, ("indéterminée", "déterminée de douze mois")), "trial": pick(rng, ("2", "3", "4")),
        "city": city, "hours": pick(rng, ("35", "39", "24", "28")), "salary": euro(salary), "annual": euro(13 * salary),
        "agreement": pick(rng, _AGREEMENTS), "field": pick(rng, _FIELDS), "fee": euro(800 + 100 * below(rng, 40)),
        "rate": euro(350 + 25 * below(rng, 20)), "years": pick(rng, ("deux", "trois", "cinq")), "car": pick(rng, _CARS),
        "vin": "VF1" + "".join(pick(rng, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14)),
        "first_reg": short_date(start - timedelta(365 * (3 + below(rng, 9)))), "km": f"{20 + below(rng, 180)} {below(rng, 1000):03d}",
        "price": euro(3000 + 100 * below(rng, 200)), "iban": bank_account(rng)[1],
    }  # fmt: skip


def _party(rng: random.Random, firm: bool, role: str, first: bool) -> str:
    city, postcode, _ = place(rng)
    if firm:
        who = (f"La société {pick(rng, COMPANIES)}, dont le siège social est situé {street(rng)}, {postcode} {city}, "
               f"immatriculée au RCS de {city}, représentée par {full_name(rng)}, en sa qualité de gérant(e),")  # fmt: skip
    else:
        who = (f"{pick(rng, ('Madame', 'Monsieur'))} {full_name(rng)}, né(e) le {short_date(day(rng) - timedelta(365 * (25 + below(rng, 40))))}, "
               f"demeurant {street(rng)}, {postcode} {city},")  # fmt: skip
    return f"{who}\nci-après dénommé(e) « {role} »,\n{'d’une part,' if first else 'd’autre part.'}"


def _signatures(rng: random.Random, roles: tuple[str, str]) -> list[str]:
    """The signature block: each party's signature, preceded by « lu et approuvé »."""
    a, b = (role.split()[-1].capitalize() for role in roles)
    line = "_" * (18 + below(rng, 10))
    style = below(rng, 3)
    if style == 0:
        return [f"{a:<34}{b}", f"{'« Lu et approuvé »':<34}« Lu et approuvé »", f"{line:<34}{line}"]
    if style == 1:
        return [f"Pour {roles[0]} :", "(signature précédée de la mention « lu et approuvé »)", line, "",
                f"Pour {roles[1]} :", "(signature précédée de la mention « lu et approuvé »)", line]  # fmt: skip
    return [f"{a} : {line}", f"{b} : {line}", "Lu et approuvé, bon pour accord."]


def contract(rng: random.Random) -> Sample:
    titles, roles, firms, sections = pick(rng, _KINDS)
    title = pick(rng, titles)
    city, _, _ = place(rng)
    values = _values(rng, city)
    kept = [s for s in sections if s[1] or chance(rng, 0.55)]
    style = below(rng, 3)
    parts = [
        title,
        "",
        pick(rng, ("ENTRE LES SOUSSIGNÉS :", "Entre les soussignés", "ENTRE :")),
        "",
    ]
    parts += [
        _party(rng, firms[0], roles[0], True),
        "",
        "ET",
        "",
        _party(rng, firms[1], roles[1], False),
        "",
    ]
    parts += [
        pick(
            rng,
            (
                "IL A ÉTÉ CONVENU ET ARRÊTÉ CE QUI SUIT :",
                "Il a été convenu ce qui suit :",
                "Les parties sont convenues de ce qui suit :",
            ),
        ),
        "",
    ]
    headings = ("Article {i} - {h}", "ARTICLE {i} : {h}", "{i}. {h}")
    for i, (heading, _, wordings) in enumerate(kept, 1):
        parts += [
            headings[style].format(i=i, h=heading.upper() if style == 1 else heading),
            pick(rng, wordings).format(**values),
            "",
        ]
    parts += [headings[style].format(i=len(kept) + 1, h="DISPOSITIONS FINALES" if style == 1 else "Dispositions finales"),
              " ".join(rng.sample(_FINAL, 2 + below(rng, 3))).format(**values), ""]  # fmt: skip
    signed = day(rng)
    copies = pick(rng, (", en deux exemplaires originaux.", ", en deux exemplaires.", "."))
    parts += [
        f"Fait à {city}, le {pick(rng, (short_date(signed), long_date(signed)))}{copies}",
        "",
        *_signatures(rng, roles),
    ]
    text = "\n".join(parts) + "\n"
    stem = pick(rng, (f"{ascii_slug(title.lower().replace('contrat de ', ''))}_{signed:%Y%m%d}", f"contrat_{below(rng, 10000):04d}",
                      f"contrat_signe_{below(rng, 1000):03d}", f"scan_{below(rng, 10000):04d}"))  # fmt: skip
    return Sample("contract", "fr", stem, text, "text/plain", ".txt", title)
