"""French documents that are none of the back-office kinds: recipes, meeting minutes,
instructions for use, press releases, association newsletters and event programmes."""

from __future__ import annotations

import random

from docflow.samples.common import Sample, below, chance, day, pick, pool, some
from docflow.samples.fr_pools import any_date, full_name, long_date, place

_TART = pool("""
    Ingrédients pour six personnes : une pâte brisée, 6 pommes golden, 50 g de sucre, 30 g de beurre, un sachet de sucre vanillé et deux cuillerées de compote.
    Préchauffez le four à 180 °C (thermostat 6) et foncez un moule à tarte avec la pâte, en piquant le fond à la fourchette.
    Étalez la compote sur le fond de tarte pour apporter du moelleux.
    Épluchez les pommes, retirez le cœur et coupez-les en fines lamelles régulières.
    Disposez les lamelles en rosace en les faisant se chevaucher légèrement, du bord vers le centre.
    Saupoudrez de sucre et de sucre vanillé, puis parsemez de petits morceaux de beurre.
    Enfournez pour 35 à 40 minutes, jusqu'à ce que les pommes soient dorées et la pâte bien cuite.
    À la sortie du four, badigeonnez la tarte d'un peu de confiture d'abricot tiédie pour la faire briller.
    Servez tiède, avec une boule de glace à la vanille ou une cuillerée de crème fraîche.
""")
_QUICHE = pool("""
    Ingrédients : une pâte brisée, 200 g de lardons fumés, 3 œufs, 20 cl de crème fraîche épaisse, 20 cl de lait, sel, poivre et une pincée de muscade.
    Préchauffez le four à 200 °C et garnissez un moule à tarte avec la pâte.
    Faites revenir les lardons à sec dans une poêle pendant quelques minutes, puis égouttez-les sur du papier absorbant.
    Dans un saladier, battez les œufs avec la crème et le lait, puis assaisonnez avec le poivre et la muscade ; salez peu à cause des lardons.
    Répartissez les lardons sur le fond de tarte et versez l'appareil par-dessus.
    Faites cuire 30 à 35 minutes, jusqu'à ce que la quiche soit bien gonflée et dorée.
    Laissez reposer cinq minutes avant de démouler et servez avec une salade verte.
    La quiche se conserve deux jours au réfrigérateur et se réchauffe très bien au four.
""")
_MINUTES = pool("""
    Présents : les responsables des équipes commerciale, technique et support ; excusée : l'équipe design. Compte rendu rédigé par {author}.
    Ordre du jour : feuille de route du trimestre, recrutements, astreintes et déménagement des bureaux.
    Point 1 : la mise en production de l'application est décalée d'une semaine afin d'intégrer les corrections d'accessibilité.
    Point 2 : trois entretiens sont prévus pour le poste de développeur ; une proposition est en attente de validation.
    Point 3 : {name} prépare d'ici vendredi un projet de planning des astreintes et le partage avec l'équipe.
    Point 4 : les retours du support montrent que la fonction d'export est difficile à trouver ; le design étudiera un nouvel emplacement.
    Risques : deux personnes seront absentes en août, la migration de la base de données pourrait être reportée en septembre.
    Déménagement : les bureaux sont étiquetés, le câblage réseau est prévu samedi et chacun vide ses tiroirs avant jeudi soir.
    Divers : la fête de fin d'année aura lieu au restaurant du quartier ; inscriptions avant la fin du mois.
    Prochaine réunion : même heure dans deux semaines, salle {room}.
""")
_MANUAL = pool("""
    Déballez l'appareil et posez-le sur une surface plane, stable et sèche, à au moins 10 cm du mur.
    Avant la première utilisation, retirez tous les éléments d'emballage et les films de protection. Conservez cette notice.
    Remplissez le réservoir d'eau froide jusqu'au repère MAX, puis remettez-le en place.
    Appuyez sur la touche marche/arrêt : l'appareil chauffe et rince le circuit pendant environ 40 secondes.
    Le bouton rotatif permet de choisir l'intensité du café parmi cinq niveaux, indiqués sur l'écran.
    Lorsque le voyant de détartrage s'allume, utilisez uniquement le détartrant liquide recommandé.
    Nettoyez l'unité d'infusion une fois par semaine sous l'eau courante, sans produit vaisselle.
    Erreur E3 : le bac à marc est plein ou mal inséré. Videz-le et remettez-le en place jusqu'à la butée.
    Débranchez toujours l'appareil avant de le nettoyer et ne le plongez jamais dans l'eau.
    Cet appareil peut être utilisé par des enfants de plus de 8 ans sous la surveillance d'un adulte.
""")
_PRESS = pool("""
    {city}, le {date} - Après dix-huit mois de travaux, la médiathèque de {city} rouvre ses portes samedi prochain.
    Sur trois niveaux, le public dispose désormais de plus de 120 000 documents, d'un café littéraire et d'un atelier de fabrication numérique.
    Un nouvel espace dédié aux adolescents propose des consoles de jeux, des poufs et un studio d'enregistrement pour les podcasts.
    « Nous voulons être un lieu où l'on aime passer du temps, même sans emprunter de livre », explique la directrice, {name}.
    Les horaires sont élargis : la médiathèque sera ouverte du mardi au samedi de 10 h à 20 h.
    Pour l'inauguration, un programme de lectures, de visites des réserves et d'ateliers pour enfants est proposé tout le week-end.
    Les travaux ont coûté 8,4 millions d'euros, financés pour moitié par la région.
    Contact presse : {author}, service communication, 01 23 45 67 89.
""")
_NEWSLETTER = pool("""
    Chers adhérents, chers amis de l'association, l'été a été riche en événements pour notre club.
    Lors de la course de la ville en juin, 46 membres ont pris le départ, un record pour l'association.
    La fête d'été a dû se replier dans le gymnase à cause de l'orage, mais l'ambiance était au rendez-vous.
    À partir d'octobre, un nouveau cours de gym douce est proposé le mardi soir ; les inscriptions se font auprès de {name}.
    La rénovation des vestiaires est terminée. Un grand merci à tous les bénévoles venus donner un coup de pinceau.
    À noter : l'assemblée générale se tiendra le premier vendredi de novembre à 19 h au club-house.
    Vous avez des photos de la fête d'été ? Envoyez-les à la rédaction, nous en publierons une sélection dans le prochain numéro.
    Nous vous souhaitons un bel automne et nous réjouissons de vous retrouver sur le terrain.
""")
_PROGRAMME = pool("""
    Vendredi, 18 h : ouverture du festival sur la place du marché, avec la fanfare municipale.
    Vendredi, 21 h : projection en plein air du film choisi par les habitants ; pensez à apporter votre chaise.
    Samedi, 10 h : marché des producteurs locaux et atelier de cuisine pour les enfants.
    Samedi, 15 h : balade commentée dans la vieille ville, départ devant l'office de tourisme.
    Samedi, 20 h 30 : concert de musique traditionnelle suivi d'un bal ouvert à tous.
    Dimanche, 11 h : course des familles, inscription gratuite sur place.
    Dimanche, 16 h : remise des prix du concours de photographie et verre de l'amitié.
    Toutes les animations sont gratuites. En cas de pluie, les activités ont lieu à la salle des fêtes.
""")
# (titles, lines, bullet, filename slug)
_KINDS = (
    (pool("Recette : tarte aux pommes|La tarte aux pommes de ma grand-mère|Tarte fine aux pommes"), _TART, "", "recette"),
    (pool("Recette : quiche lorraine|Quiche lorraine traditionnelle"), _QUICHE, "", "recette"),
    (pool("Compte rendu de réunion|Compte rendu - réunion d'équipe|Réunion hebdomadaire : compte rendu"), _MINUTES, "- ", "compte-rendu"),
    (pool("Notice d'utilisation - machine à café CM 500|Mode d'emploi rapide"), _MANUAL, "", "notice"),
    (pool("Communiqué de presse|COMMUNIQUÉ DE PRESSE : réouverture de la médiathèque"), _PRESS, "", "communique"),
    (pool("La lettre du club - automne|Lettre d'information de l'association|Le petit journal des adhérents"), _NEWSLETTER, "", "lettre-info"),
    (pool("Programme de la fête de la ville|Festival d'été : le programme"), _PROGRAMME, "- ", "programme"),
)  # fmt: skip


def other(rng: random.Random) -> Sample:
    titles, lines, bullet, slug = pick(rng, _KINDS)
    title = pick(rng, titles)
    when = day(rng)
    city = place(rng)[0]
    author = full_name(rng)
    values = {"city": city, "date": long_date(when), "author": author, "name": full_name(rng),
              "room": pick(rng, ("B12", "Lumière", "du 3e étage", "de conférence"))}  # fmt: skip
    # Keep the lines in their written order: a recipe read backwards is no longer a recipe.
    body = "\n".join(bullet + line for line in some(rng, lines, len(lines) - 3, len(lines)))
    markdown = bullet and chance(rng, 0.6)
    byline = pick(
        rng, (f"Rédigé par {author}", f"Par {author}", f"{author}, {city}", f"Rédaction : {author}")
    )
    dated = pick(
        rng,
        (
            any_date(rng, when),
            f"Mis à jour le {any_date(rng, when)}",
            f"{city}, le {long_date(when)}",
        ),
    )
    text = f"{'# ' if markdown else ''}{title}\n{dated}\n\n{body.format(**values)}\n\n{byline}\n"
    n = below(rng, 10000)
    stem = pick(
        rng, (f"{slug}_{when:%Y-%m-%d}", f"{slug}-{n:04d}", f"document_{n:04d}", f"scan_{n:04d}")
    )
    if markdown:
        return Sample("other", "fr", stem, text, "text/markdown", ".md", title)
    return Sample("other", "fr", stem, text, "text/plain", ".txt", title)
