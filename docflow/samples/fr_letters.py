"""French correspondence: letters (some sent recorded delivery) and e-mails about
complaints, cancellations, payment reminders, meetings, notices, quotes and job
applications, with the formal closings French letters end with."""

from __future__ import annotations

import random
from datetime import date, timedelta

from docflow.samples.common import Sample, ascii_slug, below, chance, day, pick, pool
from docflow.samples.fr_pools import (
    COMPANIES,
    any_date,
    euro,
    long_date,
    person,
    phone,
    place,
    short_date,
    street,
)

# scenario -> (subjects, openings, details, requests)
_SCENARIOS: dict[str, tuple[tuple[str, ...], ...]] = {
    "complaint": (
        pool(
            "Réclamation concernant la commande n° {ref}|Livraison incomplète du {date}|Réclamation - produit défectueux"
        ),
        pool("""
            je me permets de vous contacter au sujet de ma commande n° {ref}, livrée le {date} dans un état qui ne me donne pas satisfaction.
            par la présente, je souhaite vous faire part de mon mécontentement concernant la livraison reçue le {date}.
            malgré plusieurs relances téléphoniques, la commande n° {ref} n'est toujours pas complète.
        """),
        pool("""
            À l'ouverture du colis, j'ai constaté que deux articles étaient endommagés et inutilisables.
            Le délai de livraison annoncé de cinq jours ouvrés a été largement dépassé.
            Vous trouverez ci-joint les photos des dommages ainsi qu'une copie du bon de livraison.
            Votre service client m'avait promis un rappel qui n'a jamais eu lieu.
            Ce retard nous a contraints à reporter un rendez-vous avec l'un de nos clients.
            L'appareil reçu présente des traces d'usure alors qu'il s'agissait d'un produit neuf.
        """),
        pool("""
            Je vous demande donc de procéder au remplacement des articles ou à leur remboursement avant le {deadline}.
            Je vous remercie de bien vouloir me faire connaître rapidement la solution que vous proposez.
            À défaut de réponse avant le {deadline}, je me verrai contraint de saisir le médiateur de la consommation.
        """),
    ),
    "cancellation": (
        pool(
            "Résiliation de mon abonnement n° {ref}|Résiliation du contrat d'entretien n° {ref}|Demande de résiliation"
        ),
        pool("""
            par la présente, je vous informe de ma décision de résilier mon abonnement n° {ref} à compter de sa prochaine échéance.
            je vous prie de bien vouloir prendre acte de la résiliation du contrat d'entretien n° {ref}.
            je souhaite mettre fin à mon adhésion, conformément aux conditions générales de vente.
        """),
        pool("""
            Je vous remercie de me confirmer par écrit la date effective de cette résiliation.
            Je vous demande également de cesser tout prélèvement sur mon compte à partir de cette date.
            Ce choix est lié à mon déménagement dans une autre région.
            Je vous prie de ne plus m'adresser d'offres commerciales.
            Les sommes éventuellement versées d'avance devront m'être remboursées.
        """),
        pool("""
            Dans l'attente de votre confirmation avant le {deadline}, je reste à votre disposition.
            Je vous remercie de m'adresser un accusé de réception de ce courrier.
        """),
    ),
    "reminder": (
        pool(
            "Relance - facture n° {ref} impayée|Rappel : solde restant dû de {amount}|Mise en demeure de payer"
        ),
        pool("""
            sauf erreur de notre part, notre facture n° {ref} du {date}, d'un montant de {amount}, reste à ce jour impayée.
            nous constatons qu'à ce jour le règlement de {amount} ne nous est toujours pas parvenu.
            malgré notre précédente relance, nous n'avons pas reçu le paiement de la facture n° {ref}.
        """),
        pool("""
            L'échéance de paiement était fixée au {past}.
            Si votre règlement a été effectué entre-temps, nous vous prions de ne pas tenir compte de ce courrier.
            Vous trouverez ci-joint un duplicata de la facture.
            Notre service comptabilité reste à votre disposition pour toute question.
            Conformément à nos conditions générales, des pénalités de retard pourront être appliquées.
        """),
        pool("""
            Nous vous remercions de bien vouloir procéder au règlement avant le {deadline}.
            Nous vous prions de régulariser la situation sous huit jours.
        """),
    ),
    "meeting": (
        pool(
            "Demande de rendez-vous - projet {project}|Invitation à la réunion du {soon}|Proposition de rencontre"
        ),
        pool("""
            je souhaiterais convenir d'un rendez-vous afin de faire le point sur l'avancement du projet {project}.
            nous avons le plaisir de vous inviter à notre réunion du {soon} à {time}.
            suite à notre échange téléphonique, je vous propose de nous rencontrer prochainement.
        """),
        pool("""
            Je serais disponible le {soon} ou le {deadline}, à partir de {time}.
            La réunion se tiendra dans nos locaux de {city} ; une participation en visioconférence est également possible.
            L'ordre du jour portera sur le calendrier, le budget et la répartition des tâches.
            Merci de vous munir des derniers documents relatifs au projet.
            La rencontre devrait durer environ une heure et demie.
        """),
        pool("""
            Pourriez-vous m'indiquer la date qui vous conviendrait le mieux ?
            Je vous remercie de bien vouloir confirmer votre présence.
        """),
    ),
    "address": (
        pool("Changement d'adresse|Transfert de nos bureaux|Nouvelle adresse à compter du {soon}"),
        pool("""
            nous avons le plaisir de vous informer que nos bureaux seront transférés à compter du {soon}.
            nous vous informons que l'adresse de notre siège change à partir du {soon}.
        """),
        pool("""
            Notre nouvelle adresse sera la suivante : {address}.
            Nos numéros de téléphone et adresses électroniques restent inchangés.
            Le courrier envoyé à l'ancienne adresse nous sera réexpédié pendant six mois.
            Le jour du déménagement, notre standard sera difficilement joignable.
            Un parking est à la disposition de nos visiteurs dans les nouveaux locaux.
        """),
        pool("""
            Nous vous remercions de bien vouloir mettre à jour vos fichiers.
            Nous serons heureux de vous accueillir prochainement dans nos nouveaux locaux.
        """),
    ),
    "holidays": (
        pool(
            "Fermeture annuelle du {soon} au {deadline}|Congés d'été de nos services|Horaires pendant les fêtes"
        ),
        pool("""
            nous vous informons que notre entreprise sera fermée du {soon} au {deadline} inclus.
            comme chaque année, nos services prendront quelques jours de congés à partir du {soon}.
        """),
        pool("""
            Les commandes passées avant le {past} seront livrées avant la fermeture.
            Pendant cette période, les demandes urgentes pourront être adressées par courriel.
            Une permanence téléphonique sera assurée au {phone}.
            Nous serons de nouveau à votre service dès le {deadline}.
        """),
        pool("""
            Nous vous remercions de votre compréhension.
            Nous vous souhaitons d'excellentes vacances.
        """),
    ),
    "quote": (
        pool(
            "Demande de devis - {project}|Demande d'informations sur vos prestations|Consultation pour un contrat-cadre"
        ),
        pool("""
            nous avons pris connaissance de votre offre et souhaiterions recevoir un devis détaillé pour le projet {project}.
            dans le cadre d'un projet à venir, nous recherchons un partenaire fiable et aimerions connaître vos conditions.
        """),
        pool("""
            Le volume concerné est d'environ {count} unités par mois.
            Nous attachons une grande importance aux délais de livraison et à la qualité du suivi.
            Merci de préciser également vos conditions de paiement et de livraison.
            Nous pouvons vous transmettre un cahier des charges plus complet sur simple demande.
            Nous prendrons notre décision d'ici la fin du mois.
        """),
        pool("""
            Nous vous remercions de nous faire parvenir votre proposition avant le {deadline}.
            Je reste joignable par téléphone pour toute précision.
        """),
    ),
    "application": (
        pool(
            "Candidature au poste de {job}|Votre annonce du {date} - candidature|Candidature spontanée"
        ),
        pool("""
            votre annonce pour le poste de {job} a retenu toute mon attention et je me permets de vous adresser ma candidature.
            à la recherche d'un nouveau défi professionnel, je me permets de vous proposer mes services.
        """),
        pool("""
            J'exerce actuellement dans une PME de {city}, où je suis en charge de la relation client.
            Mon expérience m'a permis de développer un sens de l'organisation et une grande rigueur.
            Je suis reconnu(e) pour ma capacité à travailler en équipe et mon goût des responsabilités.
            Vous trouverez ci-joint mon curriculum vitae.
            Je serais disponible à partir du {deadline}.
        """),
        pool("""
            Je me tiens à votre disposition pour un entretien à votre convenance.
            Je serais ravi(e) de vous exposer plus en détail mes motivations lors d'un entretien.
        """),
    ),
}
_FORMAL = pool("""
    Je vous prie d'agréer, {civility}, l'expression de mes salutations distinguées.
    Veuillez agréer, {civility}, l'expression de nos sentiments les meilleurs.
    Dans l'attente de votre réponse, je vous prie de recevoir, {civility}, mes salutations distinguées.
    Nous vous prions de croire, {civility}, à l'assurance de notre considération distinguée.
""")
_MAIL_CLOSINGS = pool(
    "Cordialement,|Bien cordialement,|Bien à vous,|Belle journée,|Merci d'avance et bonne journée,"
)
_PROJECTS = pool(
    "réaménagement de l'agence|refonte du site internet|migration du logiciel de gestion|salon professionnel 2025|déménagement des bureaux"
)
_JOBS = pool(
    "assistant(e) administratif(ve)|chargé(e) de clientèle|comptable|responsable des achats"
)
_ROLES = pool(
    "Gérant|Service client|Direction administrative et financière|Service comptabilité|Chef de projet|Service des achats"
)
_NAMES = {"complaint": "reclamation", "cancellation": "resiliation", "reminder": "relance", "meeting": "rendez-vous",
          "address": "changement_adresse", "holidays": "fermeture", "quote": "demande_devis", "application": "candidature"}  # fmt: skip


def _values(rng: random.Random, city: str, when: date) -> dict[str, str]:
    past, soon = when - timedelta(5 + below(rng, 40)), when + timedelta(4 + below(rng, 14))
    return {
        "date": any_date(rng, past), "past": short_date(past), "soon": any_date(rng, soon),
        "deadline": short_date(soon + timedelta(7 + below(rng, 14))), "ref": f"{below(rng, 10**6):06d}",
        "amount": euro(50 + below(rng, 5000) + 0.5), "project": pick(rng, _PROJECTS),
        "time": f"{9 + below(rng, 8)} h {pick(rng, ('00', '30'))}", "city": city, "phone": phone(rng),
        "address": f"{street(rng)}, {place(rng)[1]} {city}", "count": str(10 * (2 + below(rng, 50))), "job": pick(rng, _JOBS),
    }  # fmt: skip


def _body(rng: random.Random, scenario: str, values: dict[str, str]) -> tuple[str, str]:
    subjects, openings, details, requests = _SCENARIOS[scenario]
    subject = pick(rng, subjects).format(**values)
    middle = rng.sample(details, min(len(details), 3 + below(rng, 3)))
    paragraphs = [pick(rng, openings), " ".join(middle[: len(middle) // 2 + 1])]
    if len(middle) > 2:
        paragraphs.append(" ".join(middle[len(middle) // 2 + 1 :]))
    paragraphs.append(pick(rng, requests))
    return subject, "\n\n".join(paragraphs).format(**values)


def _letter_head(rng: random.Random, sender: str, city: str, postcode: str, area: str, recipient: str,
                 when: date, subject: str, recorded: bool) -> str:  # fmt: skip
    to_city, to_postcode, _ = place(rng)
    return (
        f"{sender}\n{street(rng)}\n{postcode} {city}\nTél. : {phone(rng, area)}\n\n"
        f"{recipient}\n{street(rng)}\n{to_postcode} {to_city.upper()}\n\n"
        f"{pick(rng, ('À ', '', ''))}{city}, le {long_date(when)}\n\n"
        + ("Lettre recommandée avec accusé de réception\n" if recorded else "")
        + (
            f"Réf. : {pick(rng, ('', 'JD/', 'CM/'))}{below(rng, 10000):04d}\n"
            if chance(rng, 0.4)
            else ""
        )
        + f"Objet : {subject}\n\n"
    )


def correspondence(rng: random.Random) -> Sample:
    scenario = pick(rng, tuple(_SCENARIOS))
    city, postcode, area = place(rng)
    when = day(rng)
    values = _values(rng, city, when)
    subject, body = _body(rng, scenario, values)
    first, last, civility = person(rng)
    sender_first, sender_last, _ = person(rng)
    company = pick(rng, COMPANIES)
    private = scenario in ("cancellation", "application") or chance(rng, 0.15)
    signature = f"{sender_first} {sender_last}" + (
        "" if private else f"\n{pick(rng, _ROLES)}\n{company}"
    )
    if chance(rng, 0.4):
        greeting = pick(
            rng,
            (
                f"Bonjour {civility} {last},",
                "Bonjour,",
                f"Chère {first}," if civility == "Madame" else f"Cher {first},",
                f"{civility},",
            ),
        )
        domain = (
            pick(rng, ("orange.fr", "gmail.com", "free.fr"))
            if private
            else f"{ascii_slug(company)}.fr"
        )
        head = (
            f"De : {sender_first} {sender_last} <{ascii_slug(sender_first)}.{ascii_slug(sender_last)}@{domain}>\n"
            f"À : {first} {last} <{ascii_slug(first)[0]}.{ascii_slug(last)}@{ascii_slug(pick(rng, COMPANIES))}.fr>\n"
            f"Objet : {pick(rng, ('', '', 'RE : ', 'TR : '))}{subject}\nDate : {any_date(rng, when)} {8 + below(rng, 10)}:{below(rng, 60):02d}\n\n"
        )
        closing, kind = pick(rng, _MAIL_CLOSINGS), "courriel"
    else:
        formal = chance(rng, 0.6)
        dear = "Chère Madame," if civility == "Madame" else "Cher Monsieur,"
        greeting = f"{civility}," if formal else pick(rng, ("Madame, Monsieur,", dear))
        recipient = (
            f"{pick(rng, COMPANIES)}\nÀ l'attention de {civility} {first} {last}"
            if formal
            else pick(rng, COMPANIES)
        )
        recorded = scenario in ("cancellation", "reminder", "complaint") and chance(rng, 0.5)
        head = _letter_head(rng, f"{sender_first} {sender_last}" if private else company, city, postcode, area,
                            recipient, when, subject, recorded)  # fmt: skip
        closing = pick(rng, _FORMAL).format(civility=greeting.rstrip(","))
        kind = "lettre"
    attachments = (
        "\n\nPJ : "
        + pick(rng, ("copie de la facture", "photos", "curriculum vitae", "bon de livraison"))
        if chance(rng, 0.2)
        else ""
    )
    text = f"{head}{greeting}\n\n{body}\n\n{closing}\n\n{signature}{attachments}\n"
    stem = pick(rng, (f"{_NAMES[scenario]}_{below(rng, 10000):04d}", f"{kind}_{ascii_slug(last)}_{below(rng, 100):02d}",
                      f"{kind}-{when:%Y%m%d}", f"courrier_{below(rng, 10000):04d}"))  # fmt: skip
    return Sample("correspondence", "fr", stem, text, "text/plain", ".txt", subject)
