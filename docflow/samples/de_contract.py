"""German contracts: residential leases (Mietvertrag), employment contracts (Arbeitsvertrag),
service agreements (Dienstleistungsvertrag), non-disclosure agreements and used-car sales.

Each kind has its own sections in their usual order, each in two or three wordings; a
contract keeps the essential sections, samples the others, and numbers them as § or 1.
"""

from __future__ import annotations

import random
from datetime import timedelta

from docflow.samples.common import Sample, ascii_slug, below, chance, day, pick, pool
from docflow.samples.de_pools import (
    COMPANIES,
    bank_account,
    euro,
    full_name,
    long_date,
    place,
    short_date,
    street,
)

# (titles, role of the first and second party, whether each is a firm, sections); a
# section is (heading, essential, wordings).
Section = tuple[str, bool, tuple[str, ...]]
_LEASE: tuple[Section, ...] = (
    (
        "Mietsache",
        True,
        (
            "Vermietet wird die Wohnung im {floor}. Obergeschoss des Hauses {site}, bestehend aus {rooms} Zimmern, Küche, Bad mit WC, Flur und Balkon. Die Wohnfläche beträgt ca. {area} m².",
            "Der Vermieter vermietet dem Mieter zu Wohnzwecken die Wohnung Nr. {unit} im Haus {site} mit einer Wohnfläche von etwa {area} m². Mitvermietet werden ein Kellerabteil und die Mitbenutzung des Trockenbodens.",
        ),
    ),
    (
        "Mietzeit",
        True,
        (
            "Das Mietverhältnis beginnt am {start} und läuft auf unbestimmte Zeit. Es kann von beiden Seiten unter Einhaltung der gesetzlichen Kündigungsfrist gekündigt werden.",
            "Das Mietverhältnis beginnt am {start}. Die Kündigung bedarf der Schriftform; für den Mieter beträgt die Kündigungsfrist drei Monate.",
        ),
    ),
    (
        "Miete und Betriebskosten",
        True,
        (
            "Die monatliche Grundmiete beträgt {rent}. Zusätzlich leistet der Mieter eine Vorauszahlung auf die Betriebskosten nach der Betriebskostenverordnung von {costs}, über die jährlich abgerechnet wird.",
            "Die Nettokaltmiete beträgt monatlich {rent}, die Vorauszahlung für Heizung, Warmwasser und sonstige Betriebskosten {costs}. Die Gesamtmiete beträgt somit {total}.",
        ),
    ),
    (
        "Zahlung der Miete",
        False,
        (
            "Die Miete ist monatlich im Voraus, spätestens am dritten Werktag des Monats, auf das Konto des Vermieters bei der {bank}, IBAN {iban}, zu zahlen.",
            "Die Miete ist bis zum dritten Werktag eines jeden Monats kostenfrei auf das Konto IBAN {iban} zu überweisen. Für die Rechtzeitigkeit kommt es auf den Eingang des Geldes an.",
        ),
    ),
    (
        "Mietsicherheit",
        False,
        (
            "Der Mieter leistet eine Kaution in Höhe von {deposit}. Er ist berechtigt, sie in drei gleichen monatlichen Teilbeträgen zu zahlen. Der Vermieter legt die Kaution getrennt von seinem Vermögen an.",
            "Als Sicherheit für seine Verpflichtungen zahlt der Mieter eine Kaution von {deposit}, die nach Beendigung des Mietverhältnisses und Abrechnung zuzüglich Zinsen zurückgezahlt wird.",
        ),
    ),
    (
        "Schönheitsreparaturen",
        False,
        (
            "Die Wohnung wird in renoviertem Zustand übergeben. Schönheitsreparaturen während der Mietzeit übernimmt der Mieter, soweit sie durch seinen Gebrauch erforderlich werden.",
        ),
    ),
    (
        "Tierhaltung",
        False,
        (
            "Kleintiere wie Fische oder Hamster darf der Mieter ohne Zustimmung halten. Für Hunde und Katzen ist die vorherige Zustimmung des Vermieters einzuholen, die nur aus wichtigem Grund verweigert werden darf.",
        ),
    ),
    (
        "Untervermietung",
        False,
        (
            "Eine Untervermietung oder sonstige Gebrauchsüberlassung an Dritte ist nur mit vorheriger schriftlicher Erlaubnis des Vermieters gestattet.",
        ),
    ),
    (
        "Hausordnung",
        False,
        (
            "Die beigefügte Hausordnung ist Bestandteil dieses Vertrages. Der Mieter verpflichtet sich zur Rücksichtnahme auf die übrigen Hausbewohner, insbesondere während der Ruhezeiten von 22 bis 6 Uhr.",
        ),
    ),
    (
        "Rückgabe der Mietsache",
        False,
        (
            "Bei Beendigung des Mietverhältnisses ist die Wohnung vollständig geräumt und mit allen Schlüsseln zurückzugeben. Über die Übergabe wird ein Protokoll erstellt.",
        ),
    ),
)
_JOB: tuple[Section, ...] = (
    (
        "Beginn und Tätigkeit",
        True,
        (
            "Das Arbeitsverhältnis beginnt am {start}. Der Arbeitnehmer wird als {job} eingestellt. Arbeitsort ist {city}; der Arbeitgeber kann ihm andere zumutbare Tätigkeiten zuweisen.",
            "Der Arbeitnehmer tritt am {start} als {job} in die Dienste des Arbeitgebers. Zu seinen Aufgaben gehören alle Tätigkeiten, die mit dieser Funktion üblicherweise verbunden sind.",
        ),
    ),
    (
        "Probezeit",
        False,
        (
            "Die ersten sechs Monate gelten als Probezeit. Während der Probezeit kann das Arbeitsverhältnis mit einer Frist von zwei Wochen gekündigt werden.",
            "Es wird eine Probezeit von {trial} Monaten vereinbart, in der beide Seiten mit einer Frist von zwei Wochen kündigen können.",
        ),
    ),
    (
        "Arbeitszeit",
        True,
        (
            "Die regelmäßige wöchentliche Arbeitszeit beträgt {hours} Stunden. Beginn und Ende der täglichen Arbeitszeit richten sich nach den betrieblichen Regelungen zur Gleitzeit.",
            "Die Arbeitszeit beträgt {hours} Stunden pro Woche, verteilt auf fünf Arbeitstage. Überstunden sind im Rahmen des gesetzlich Zulässigen zu leisten und werden durch Freizeit ausgeglichen.",
        ),
    ),
    (
        "Vergütung",
        True,
        (
            "Der Arbeitnehmer erhält ein monatliches Bruttogehalt von {salary}, zahlbar jeweils zum Monatsende auf ein vom Arbeitnehmer benanntes Konto.",
            "Die Vergütung beträgt {salary} brutto im Monat. Zusätzlich wird im November ein Weihnachtsgeld in Höhe eines halben Monatsgehalts gezahlt, auf das kein Rechtsanspruch für die Zukunft besteht.",
        ),
    ),
    (
        "Urlaub",
        True,
        (
            "Der Arbeitnehmer hat Anspruch auf einen jährlichen Erholungsurlaub von {leave} Arbeitstagen. Der Urlaub ist rechtzeitig zu beantragen und mit den Kollegen abzustimmen.",
            "Der Jahresurlaub beträgt {leave} Arbeitstage bei einer Fünf-Tage-Woche; im Eintrittsjahr besteht ein anteiliger Anspruch.",
        ),
    ),
    (
        "Arbeitsverhinderung und Krankheit",
        False,
        (
            "Der Arbeitnehmer ist verpflichtet, jede Arbeitsverhinderung und ihre voraussichtliche Dauer unverzüglich mitzuteilen. Bei Krankheit von mehr als drei Kalendertagen ist eine ärztliche Bescheinigung vorzulegen.",
        ),
    ),
    (
        "Verschwiegenheit",
        False,
        (
            "Der Arbeitnehmer verpflichtet sich, über alle Betriebs- und Geschäftsgeheimnisse während und nach Beendigung des Arbeitsverhältnisses Stillschweigen zu bewahren.",
        ),
    ),
    (
        "Nebentätigkeit",
        False,
        (
            "Jede entgeltliche Nebentätigkeit bedarf der vorherigen Zustimmung des Arbeitgebers, die nur versagt werden darf, wenn berechtigte betriebliche Interessen entgegenstehen.",
        ),
    ),
    (
        "Kündigung",
        True,
        (
            "Nach Ablauf der Probezeit gelten die gesetzlichen Kündigungsfristen. Die Kündigung bedarf der Schriftform. Das Arbeitsverhältnis endet spätestens mit Erreichen der Regelaltersgrenze.",
            "Das Arbeitsverhältnis kann nach der Probezeit von beiden Seiten mit einer Frist von drei Monaten zum Quartalsende gekündigt werden.",
        ),
    ),
    (
        "Ausschlussfristen",
        False,
        (
            "Ansprüche aus dem Arbeitsverhältnis verfallen, wenn sie nicht innerhalb von drei Monaten nach Fälligkeit schriftlich geltend gemacht werden. Dies gilt nicht für Ansprüche auf den gesetzlichen Mindestlohn.",
        ),
    ),
)
_SERVICE: tuple[Section, ...] = (
    (
        "Vertragsgegenstand",
        True,
        (
            "Der Auftragnehmer erbringt für den Auftraggeber Leistungen im Bereich {field} nach Maßgabe der als Anlage 1 beigefügten Leistungsbeschreibung.",
            "Gegenstand dieses Vertrages ist die Erbringung von Dienstleistungen im Bereich {field}. Ein bestimmter Erfolg ist nicht geschuldet.",
        ),
    ),
    (
        "Leistungsumfang und Mitwirkung",
        False,
        (
            "Der Auftragnehmer ist in der Gestaltung seiner Arbeitszeit und der Wahl des Arbeitsortes frei. Der Auftraggeber stellt die zur Leistungserbringung erforderlichen Informationen und Zugänge rechtzeitig zur Verfügung.",
            "Art und Umfang der einzelnen Leistungen werden in Einzelaufträgen festgelegt. Der Auftraggeber benennt einen Ansprechpartner, der zu Entscheidungen befugt ist.",
        ),
    ),
    (
        "Vergütung",
        True,
        (
            "Die Leistungen werden mit {rate} je Stunde zuzüglich der gesetzlichen Umsatzsteuer vergütet. Die Abrechnung erfolgt monatlich nach Aufwand gegen Vorlage eines Tätigkeitsnachweises.",
            "Für die Leistungen erhält der Auftragnehmer eine monatliche Pauschale von {fee} zuzüglich Umsatzsteuer, zahlbar innerhalb von 14 Tagen nach Rechnungsstellung.",
        ),
    ),
    (
        "Laufzeit und Kündigung",
        True,
        (
            "Der Vertrag tritt am {start} in Kraft und läuft zunächst zwölf Monate. Er verlängert sich jeweils um weitere zwölf Monate, wenn er nicht mit einer Frist von drei Monaten zum Laufzeitende gekündigt wird.",
            "Der Vertrag beginnt am {start} und wird auf unbestimmte Zeit geschlossen. Er kann von jeder Partei mit einer Frist von sechs Wochen zum Monatsende gekündigt werden. Das Recht zur außerordentlichen Kündigung bleibt unberührt.",
        ),
    ),
    (
        "Vertraulichkeit",
        False,
        (
            "Die Parteien verpflichten sich, alle im Rahmen der Zusammenarbeit bekannt gewordenen vertraulichen Informationen geheim zu halten und nur für die Zwecke dieses Vertrages zu verwenden.",
        ),
    ),
    (
        "Datenschutz",
        False,
        (
            "Soweit der Auftragnehmer personenbezogene Daten im Auftrag verarbeitet, schließen die Parteien eine gesonderte Vereinbarung zur Auftragsverarbeitung nach Art. 28 DSGVO.",
        ),
    ),
    (
        "Haftung",
        False,
        (
            "Der Auftragnehmer haftet unbeschränkt für Vorsatz und grobe Fahrlässigkeit. Bei leichter Fahrlässigkeit haftet er nur bei Verletzung wesentlicher Vertragspflichten und begrenzt auf den vorhersehbaren, vertragstypischen Schaden.",
        ),
    ),
    (
        "Nutzungsrechte",
        False,
        (
            "An den im Rahmen dieses Vertrages erstellten Arbeitsergebnissen räumt der Auftragnehmer dem Auftraggeber mit vollständiger Bezahlung ein einfaches, zeitlich unbeschränktes Nutzungsrecht ein.",
        ),
    ),
)
_NDA: tuple[Section, ...] = (
    (
        "Zweck",
        True,
        (
            "Die Parteien beabsichtigen, Gespräche über eine mögliche Zusammenarbeit im Bereich {field} zu führen. Zu diesem Zweck werden vertrauliche Informationen ausgetauscht.",
        ),
    ),
    (
        "Vertrauliche Informationen",
        True,
        (
            "Vertrauliche Informationen sind alle Informationen und Unterlagen, die als vertraulich gekennzeichnet oder ihrer Natur nach als vertraulich anzusehen sind, insbesondere Geschäftsgeheimnisse, Kalkulationen und technische Daten.",
            "Als vertraulich gelten sämtliche Informationen technischer oder kaufmännischer Art, die eine Partei der anderen schriftlich, mündlich oder elektronisch zugänglich macht.",
        ),
    ),
    (
        "Pflichten des Empfängers",
        True,
        (
            "Der Empfänger verpflichtet sich, die vertraulichen Informationen geheim zu halten, sie nur für den vereinbarten Zweck zu verwenden und nur solchen Mitarbeitern zugänglich zu machen, die sie für diesen Zweck benötigen.",
        ),
    ),
    (
        "Ausnahmen",
        False,
        (
            "Die Verpflichtung gilt nicht für Informationen, die allgemein bekannt sind, dem Empfänger bereits vorher bekannt waren oder die aufgrund gesetzlicher Vorschriften offengelegt werden müssen.",
        ),
    ),
    (
        "Laufzeit",
        True,
        (
            "Diese Vereinbarung tritt mit Unterzeichnung in Kraft. Die Geheimhaltungspflicht besteht für die Dauer von {years} Jahren über das Ende der Gespräche hinaus fort.",
        ),
    ),
    (
        "Rückgabe von Unterlagen",
        False,
        (
            "Auf Verlangen sind alle erhaltenen Unterlagen einschließlich Kopien unverzüglich zurückzugeben oder nachweislich zu vernichten.",
        ),
    ),
    (
        "Vertragsstrafe",
        False,
        (
            "Für jeden Fall der schuldhaften Zuwiderhandlung verpflichtet sich der Empfänger zur Zahlung einer angemessenen Vertragsstrafe, deren Höhe der Offenbarende nach billigem Ermessen bestimmt.",
        ),
    ),
)
_CAR: tuple[Section, ...] = (
    (
        "Kaufgegenstand",
        True,
        (
            "Der Verkäufer verkauft dem Käufer das gebrauchte Kraftfahrzeug {car}, Fahrzeug-Identifizierungsnummer {vin}, Erstzulassung {first_reg}, Kilometerstand laut Tacho {km} km.",
        ),
    ),
    (
        "Kaufpreis",
        True,
        (
            "Der Kaufpreis beträgt {price}. Er ist bei Übergabe des Fahrzeugs in bar oder durch Überweisung auf das Konto IBAN {iban} zu zahlen.",
            "Der Kaufpreis von {price} wird bei Übergabe fällig. Mit vollständiger Zahlung geht das Eigentum auf den Käufer über.",
        ),
    ),
    (
        "Gewährleistung",
        True,
        (
            "Das Fahrzeug wird unter Ausschluss jeder Gewährleistung verkauft, soweit der Verkäufer nicht nachstehend eine Garantie übernimmt. Der Ausschluss gilt nicht für Schäden aus der Verletzung von Leben, Körper oder Gesundheit.",
        ),
    ),
    (
        "Zusicherungen des Verkäufers",
        False,
        (
            "Der Verkäufer sichert zu, dass das Fahrzeug in der Zeit, in der es sein Eigentum war, keinen Unfallschaden erlitten hat und die Gesamtlaufleistung mit dem Tachostand übereinstimmt.",
        ),
    ),
    (
        "Übergabe",
        True,
        (
            "Die Übergabe erfolgt am {start} mit Zulassungsbescheinigung Teil I und II, zwei Schlüsseln und dem Serviceheft. Der Käufer meldet das Fahrzeug innerhalb von drei Tagen um.",
        ),
    ),
)
_KINDS = (
    (pool("Mietvertrag für Wohnraum|Wohnungsmietvertrag|Mietvertrag"), ("Vermieter", "Mieter"), (False, False), _LEASE),
    (pool("Arbeitsvertrag|Arbeitsvertrag (unbefristet)|Anstellungsvertrag"), ("Arbeitgeber", "Arbeitnehmer"), (True, False), _JOB),
    (pool("Dienstleistungsvertrag|Rahmenvertrag über Dienstleistungen|Beratervertrag"), ("Auftraggeber", "Auftragnehmer"), (True, True), _SERVICE),
    (pool("Geheimhaltungsvereinbarung|Vertraulichkeitsvereinbarung"), ("Offenbarende Partei", "Empfänger"), (True, True), _NDA),
    (pool("Kaufvertrag über ein gebrauchtes Kraftfahrzeug|Kfz-Kaufvertrag"), ("Verkäufer", "Käufer"), (False, False), _CAR),
)  # fmt: skip
_FINAL = (
    "Änderungen und Ergänzungen dieses Vertrages bedürfen der Schriftform. Dies gilt auch für die Aufhebung des Schriftformerfordernisses.",
    "Sollte eine Bestimmung dieses Vertrages unwirksam sein oder werden, bleibt die Wirksamkeit der übrigen Bestimmungen unberührt (salvatorische Klausel).",
    "Mündliche Nebenabreden bestehen nicht. Es gilt das Recht der Bundesrepublik Deutschland.",
    "Gerichtsstand für alle Streitigkeiten aus diesem Vertrag ist, soweit gesetzlich zulässig, {court}.",
    "Jede Partei erhält eine unterschriebene Ausfertigung dieses Vertrages.",
)
_FIELDS = pool("""
    IT-Betreuung und Wartung der Arbeitsplatzrechner|Buchhaltung und Lohnabrechnung
    Online-Marketing und Suchmaschinenoptimierung|Gebäudereinigung|Softwareentwicklung
    Übersetzung technischer Dokumentation|Veranstaltungstechnik
""")
_JOBS = pool(
    "Sachbearbeiterin Buchhaltung|Softwareentwickler|Vertriebsmitarbeiter im Außendienst|Lagerist|Projektmanagerin|Kaufmännische Assistenz"
)
_CARS = pool(
    "VW Golf 1.5 TSI|Opel Astra 1.2|BMW 318d Touring|Skoda Octavia Combi|Ford Fiesta 1.0 EcoBoost|Mercedes-Benz A 180"
)


def _values(rng: random.Random, city: str, court: str) -> dict[str, str]:
    start = day(rng)
    rent = 450 + below(rng, 1400)
    costs = 90 + below(rng, 260)
    bank, iban, _ = bank_account(rng)
    return {
        "start": long_date(start), "floor": str(1 + below(rng, 5)), "rooms": str(1 + below(rng, 4)),
        "area": str(28 + below(rng, 110)), "unit": str(1 + below(rng, 24)),
        "site": f"{street(rng)}, {city}", "rent": euro(rent), "costs": euro(costs),
        "total": euro(rent + costs), "deposit": euro(3 * rent), "bank": bank, "iban": iban,
        "job": pick(rng, _JOBS), "city": city, "trial": pick(rng, ("3", "6")),
        "hours": pick(rng, ("40", "38,5", "39", "30", "20")), "salary": euro(2400 + 50 * below(rng, 80)),
        "leave": pick(rng, ("26", "28", "30")), "field": pick(rng, _FIELDS),
        "rate": euro(65 + 5 * below(rng, 24)), "fee": euro(800 + 100 * below(rng, 40)),
        "years": pick(rng, ("zwei", "drei", "fünf")), "car": pick(rng, _CARS),
        "vin": "WVW" + "".join(pick(rng, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14)),
        "first_reg": f"{1 + below(rng, 12):02d}/{2012 + below(rng, 10)}", "km": f"{20 + below(rng, 180)}.{below(rng, 1000):03d}",
        "price": euro(3000 + 100 * below(rng, 200)), "court": court,
    }  # fmt: skip


def _party(rng: random.Random, firm: bool, role: str) -> str:
    city, postcode, _, _ = place(rng)
    if firm:
        name = f"{pick(rng, COMPANIES)}, vertreten durch {full_name(rng)}"
    else:
        name = f"{pick(rng, ('Frau', 'Herrn'))} {full_name(rng)}"
    sep = pick(rng, (", ", "\n"))
    label = pick(
        rng, (f"– nachfolgend „{role}“ genannt –", f"(im Folgenden „{role}“)", f"- {role} -")
    )
    return f"{name}{sep}{street(rng)}{sep}{postcode} {city}\n{label}"


def _signatures(rng: random.Random, roles: tuple[str, str]) -> list[str]:
    """The signature block, in one of the ways German contracts lay it out."""
    a, b = roles
    line = "_" * (18 + below(rng, 10))
    style = below(rng, 3)
    if style == 0:
        return [f"{line}{' ' * 8}{line}", f"({a}){' ' * (len(line) + 8 - len(a) - 2)}({b})"]
    if style == 1:
        return [f"Unterschrift {a}: {line}", "", f"Unterschrift {b}: {line}"]
    return [f"{line}", f"{a}", "", f"{line}", f"{b}"]


def contract(rng: random.Random) -> Sample:
    titles, roles, firms, sections = pick(rng, _KINDS)
    title = pick(rng, titles)
    city, _, _, court = place(rng)
    values = _values(rng, city, court)
    kept = [s for s in sections if s[0] and (s[1] or chance(rng, 0.55))]
    style = below(rng, 3)
    parts = [title.upper() if chance(rng, 0.4) else title, ""]
    parts.append(
        pick(rng, ("Zwischen", "zwischen", "Der folgende Vertrag wird geschlossen zwischen"))
    )
    parts += [_party(rng, firms[0], roles[0]), "und", _party(rng, firms[1], roles[1]), ""]
    if chance(rng, 0.5):
        parts += [
            pick(
                rng,
                (
                    "wird folgender Vertrag geschlossen:",
                    "Die Parteien vereinbaren Folgendes:",
                    "wird Folgendes vereinbart:",
                ),
            ),
            "",
        ]
    for i, (heading, _, wordings) in enumerate(kept, 1):
        number = ("§ {i} {h}", "{i}. {h}", "Artikel {i} - {h}")[style].format(i=i, h=heading)
        parts += [number, pick(rng, wordings).format(**values), ""]
    final = rng.sample(_FINAL, 2 + below(rng, 3))
    parts += [("§ {i} {h}", "{i}. {h}", "Artikel {i} - {h}")[style].format(i=len(kept) + 1, h="Schlussbestimmungen"),
              " ".join(final).format(**values), ""]  # fmt: skip
    signed = day(rng) - timedelta(below(rng, 30))
    parts += [
        f"{city}, den {pick(rng, (short_date(signed), long_date(signed)))}",
        "",
        *_signatures(rng, roles),
    ]
    text = "\n".join(parts) + "\n"
    stem = pick(rng, (f"{ascii_slug(title)}_{signed:%Y%m%d}", f"{ascii_slug(title)}_unterschrieben",
                      f"vertrag_{below(rng, 10000):04d}", f"scan_{below(rng, 10000):04d}"))  # fmt: skip
    return Sample("contract", "de", stem, text, "text/plain", ".txt", title)
