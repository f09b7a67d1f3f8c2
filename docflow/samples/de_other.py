"""German documents that are none of the back-office kinds: recipes, meeting minutes,
operating instructions, press releases, newsletters and notices of a club."""

from __future__ import annotations

import random

from docflow.samples.common import Sample, below, chance, day, pick, pool, some
from docflow.samples.de_pools import any_date, full_name, long_date, place

_APPLE_CAKE = pool("""
    Zutaten für eine Springform (26 cm): 200 g Mehl, 125 g Butter, 100 g Zucker, 1 Ei, 1 Päckchen Vanillezucker, 1 TL Backpulver und eine Prise Salz.
    Für den Belag: 1 kg säuerliche Äpfel, etwa Boskoop, der Saft einer halben Zitrone, 50 g gehobelte Mandeln und 1 TL Zimt.
    Butter, Zucker und Ei schaumig rühren, Mehl und Backpulver unterheben und den Teig rasch zu einer Kugel verkneten.
    Den Teig in Folie gewickelt 30 Minuten kalt stellen; in der Zwischenzeit die Äpfel schälen, vierteln und mit Zitronensaft beträufeln.
    Den Backofen auf 180 °C Ober- und Unterhitze vorheizen und die Form einfetten.
    Zwei Drittel des Teigs in die Form drücken und dabei einen etwa 3 cm hohen Rand formen.
    Die Apfelviertel auf der Oberseite mehrmals einritzen und dicht an dicht auf den Boden setzen.
    Den restlichen Teig zu Streuseln zerbröseln und mit Mandeln und Zimt über die Äpfel geben.
    Den Kuchen etwa 50 Minuten backen, bis die Streusel goldbraun sind, und in der Form auskühlen lassen.
    Dazu passt leicht geschlagene Sahne. Der Kuchen hält sich abgedeckt zwei bis drei Tage.
""")
_LENTIL_SOUP = pool("""
    Zutaten für vier Portionen: 250 g Tellerlinsen, 1 Zwiebel, 2 Karotten, 1 Stange Lauch, 2 Kartoffeln, 1 Liter Gemüsebrühe, 2 Lorbeerblätter und 2 EL Essig.
    Die Linsen in einem Sieb abspülen; eingeweicht werden müssen Tellerlinsen nicht.
    Zwiebel, Karotten und Lauch putzen und in kleine Würfel beziehungsweise Ringe schneiden, die Kartoffeln schälen und würfeln.
    In einem großen Topf etwas Öl erhitzen und die Zwiebel darin glasig dünsten, dann das übrige Gemüse kurz mitbraten.
    Linsen, Brühe und Lorbeerblätter zugeben, aufkochen und alles bei mittlerer Hitze etwa 40 Minuten köcheln lassen.
    Nach Belieben zwei Wiener Würstchen in Scheiben schneiden und in den letzten zehn Minuten mit erhitzen.
    Die Suppe mit Salz, Pfeffer, einer Prise Zucker und dem Essig abschmecken.
    Mit frisch gehackter Petersilie bestreuen und mit einem kräftigen Bauernbrot servieren.
    Am nächsten Tag aufgewärmt schmeckt der Eintopf oft noch besser.
""")
_MINUTES = pool("""
    Teilnehmende: Vertreter aus Vertrieb, Entwicklung und Kundenservice; entschuldigt fehlt das Designteam. Protokoll: {author}.
    Tagesordnung: Planung für das nächste Quartal, Personalplanung, Rufbereitschaft und der geplante Büroumzug.
    TOP 1: Das Release der App verschiebt sich um eine Woche, damit die Verbesserungen zur Barrierefreiheit gleich mit ausgeliefert werden.
    TOP 2: Für die offene Stelle im Backend sind drei Vorstellungsgespräche terminiert; ein Angebot wartet auf Freigabe.
    TOP 3: {name} erstellt bis Freitag einen Entwurf für den neuen Bereitschaftsplan und verteilt ihn im Team.
    TOP 4: Rückmeldungen aus dem Kundenservice zeigen, dass die Exportfunktion schwer zu finden ist. Das Design prüft eine neue Platzierung.
    Risiken: Im August sind zwei Kollegen im Urlaub; die Datenbankmigration wird deshalb eventuell auf September verlegt.
    Umzug: Die Schreibtische sind beschriftet, die Netzwerkverkabelung ist für Samstag bestellt, jeder packt seine Schubladen bis Donnerstag.
    Verschiedenes: Die Weihnachtsfeier findet dieses Jahr im Brauhaus statt; Anmeldungen bitte bis Ende des Monats.
    Nächste Sitzung: gleiche Zeit in zwei Wochen, Raum {room}.
""")
_MANUAL = pool("""
    Packen Sie das Gerät aus und stellen Sie es auf eine ebene, stabile und trockene Fläche, mindestens 10 cm von der Wand entfernt.
    Entfernen Sie vor der ersten Benutzung alle Verpackungsteile und Schutzfolien. Bewahren Sie diese Anleitung für später auf.
    Füllen Sie den Wassertank bis zur Markierung MAX mit frischem, kaltem Wasser und setzen Sie ihn wieder ein.
    Drücken Sie die Ein/Aus-Taste. Das Gerät heizt auf und spült die Leitungen; dies dauert etwa 40 Sekunden.
    Mit dem Drehregler stellen Sie die Kaffeestärke in fünf Stufen ein; die gewählte Stufe erscheint im Display.
    Wenn im Display das Symbol für Entkalken leuchtet, verwenden Sie ausschließlich den empfohlenen Flüssigentkalker.
    Reinigen Sie die Brüheinheit einmal pro Woche unter fließendem Wasser. Verwenden Sie keine Spülmittel.
    Störung E3: Die Tresterschale ist voll oder nicht richtig eingesetzt. Leeren Sie sie und schieben Sie sie bis zum Anschlag ein.
    Ziehen Sie vor jeder Reinigung den Netzstecker und tauchen Sie das Gerät niemals in Wasser.
    Kinder ab 8 Jahren dürfen das Gerät nur unter Aufsicht benutzen. Halten Sie Verpackungsmaterial von Kindern fern.
""")
_PRESS = pool("""
    {city}, {date} - Die Stadtbibliothek {city} öffnet nach achtzehn Monaten Umbau am kommenden Samstag wieder ihre Türen.
    Auf drei Etagen stehen den Besucherinnen und Besuchern künftig mehr als 120.000 Medien, ein Lesecafé und ein Makerspace zur Verfügung.
    Neu ist der Bereich für Jugendliche mit Spielekonsolen, Sitzsäcken und einem Aufnahmestudio für Podcasts.
    "Wir wollen ein Ort sein, an dem man sich gerne aufhält, auch ohne etwas auszuleihen", sagt Bibliotheksleiterin {name}.
    Die Öffnungszeiten werden erweitert: Montag bis Samstag ist das Haus von 10 bis 20 Uhr geöffnet.
    Zur Eröffnung gibt es ein Programm mit Lesungen, Führungen durch das Magazin und Mitmachaktionen für Kinder.
    Der Umbau kostete rund 8,4 Millionen Euro und wurde zur Hälfte aus Mitteln des Landes gefördert.
    Pressekontakt: {author}, Amt für Kommunikation, Telefon 0800 123 456.
""")
_NEWSLETTER = pool("""
    Liebe Mitglieder, liebe Freundinnen und Freunde des Vereins, der Sommer war für uns ein ereignisreicher.
    Beim Stadtlauf im Juni sind 46 Vereinsmitglieder an den Start gegangen, so viele wie nie zuvor.
    Unser Sommerfest musste wegen eines Gewitters in die Halle verlegt werden, die Stimmung war trotzdem prächtig.
    Ab Oktober bieten wir dienstags einen neuen Kurs Rückenfit für Einsteiger an; Anmeldungen nimmt {name} entgegen.
    Die Sanierung der Umkleiden ist abgeschlossen. Ein herzlicher Dank geht an alle, die beim Streichen geholfen haben.
    Termine: Mitgliederversammlung am ersten Freitag im November um 19 Uhr im Vereinsheim.
    Wer Fotos vom Sommerfest hat, kann sie gerne an die Redaktion schicken; wir veröffentlichen eine Auswahl in der nächsten Ausgabe.
    Wir wünschen allen einen schönen Herbst und freuen uns auf viele Begegnungen auf dem Sportplatz.
""")
# (titles, lines, bullet, filename slug)
_KINDS = (
    (pool("Rezept: Gedeckter Apfelkuchen|Omas Apfelkuchen mit Streuseln|Apfelkuchen"), _APPLE_CAKE, "", "rezept"),
    (pool("Rezept: Linseneintopf|Linsensuppe wie bei Muttern|Schneller Linseneintopf"), _LENTIL_SOUP, "", "rezept"),
    (pool("Protokoll der Teambesprechung|Besprechungsprotokoll|Protokoll Jour fixe"), _MINUTES, "- ", "protokoll"),
    (pool("Bedienungsanleitung Kaffeevollautomat CM 500|Kurzanleitung Kaffeevollautomat"), _MANUAL, "", "anleitung"),
    (pool("Pressemitteilung|PRESSEMITTEILUNG: Stadtbibliothek öffnet wieder"), _PRESS, "", "pressemitteilung"),
    (pool("Vereinsnachrichten Herbst|Newsletter TSV Blau-Weiß|Rundbrief an die Mitglieder"), _NEWSLETTER, "", "newsletter"),
)  # fmt: skip


def other(rng: random.Random) -> Sample:
    titles, lines, bullet, slug = pick(rng, _KINDS)
    title = pick(rng, titles)
    when = day(rng)
    city = place(rng)[0]
    author = full_name(rng)
    values = {"city": city, "date": long_date(when), "author": author, "name": full_name(rng),
              "room": pick(rng, ("2.14", "Berlin", "Konferenzraum A", "Dachgeschoss"))}  # fmt: skip
    # Keep the lines in their written order: a recipe read backwards is no longer a recipe.
    body = "\n".join(bullet + line for line in some(rng, lines, len(lines) - 3, len(lines)))
    markdown = bullet and chance(rng, 0.6)
    byline = pick(
        rng,
        (f"Verfasst von {author}", f"Von {author}", f"{author}, {city}", f"Redaktion: {author}"),
    )
    dated = pick(
        rng, (any_date(rng, when), f"Stand: {any_date(rng, when)}", f"{city}, {long_date(when)}")
    )
    text = f"{'# ' if markdown else ''}{title}\n{dated}\n\n{body.format(**values)}\n\n{byline}\n"
    n = below(rng, 10000)
    stem = pick(
        rng, (f"{slug}_{when:%Y-%m-%d}", f"{slug}-{n:04d}", f"dokument_{n:04d}", f"scan_{n:04d}")
    )
    if markdown:
        return Sample("other", "de", stem, text, "text/markdown", ".md", title)
    return Sample("other", "de", stem, text, "text/plain", ".txt", title)
