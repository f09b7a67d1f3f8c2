"""English letters, emails and documents that are none of the back-office kinds (output for
a seed unchanged, draw for draw)."""

from __future__ import annotations

import random

from docflow.samples.common import Sample, below, day, pick, pool, slug, split_name
from docflow.samples.en_pools import COMPANIES, address, long_date, person

_SUBJECTS = pool("""
    Change of registered address|Your enquiry of last week|Complaint about delayed delivery
    Follow-up to our meeting on Tuesday|Request for references|Application for the analyst position
    Renewal of your membership|Apology for the service interruption|Invitation to our open day
""")
_PARAGRAPHS = pool("""
    I am writing to let you know that our office will move to a new address from the first of next month. Please update your records accordingly; our telephone numbers remain the same.
    Thank you for your letter and for taking the time to explain the situation in such detail. I have passed your comments to the team concerned and asked them to look into the matter.
    I was disappointed to learn that the delivery you were promised did not arrive. Please accept my sincere apologies for the inconvenience this has caused you and your colleagues.
    Following our conversation on the telephone, I would be grateful if you could send me the documents we discussed at your earliest convenience, so that we can proceed without delay.
    It was a pleasure to meet you at the conference. As promised, I enclose a copy of the presentation and a short summary of the points we agreed to explore further.
    We are pleased to confirm your appointment on the date requested. Should you need to reschedule, please reply to this letter or call our front desk.
    Unfortunately we are unable to help with your request at this time, but we will keep your details on file and contact you if our circumstances change.
    I would like to take this opportunity to thank you for your continued support over the past year. It has been a pleasure working with you and your team.
    Please do not hesitate to contact me if you have any questions or would like to discuss this further. I look forward to hearing from you.
    With reference to your email of last Friday, I can confirm that we have received your application and that it is currently being reviewed by the panel.
    We would be delighted if you could join us for our open day. Refreshments will be served, and there will be an opportunity to meet the whole team.
    I should be grateful if you would acknowledge receipt of this letter and let me know who will be handling the matter on your side.
    Regarding the invoice you sent last month, our accounts team has a question about two of the items. Could you send us the delivery notes so that we can check them?
    As discussed, we would like to extend the agreement for another year on the same terms. Our legal team will be in touch with a draft in the coming weeks.
""")  # noqa: E501
_CLOSINGS = pool("Yours sincerely,|Yours faithfully,|Kind regards,|Best regards,|Best wishes,")
_ROLES = pool("Customer Relations Manager|Head of Operations|Office Manager|HR Advisor|Director")
_LETTER_NAMES = pool("{kind}-to-{to}.txt|{kind}_{n:04d}.txt|re-{subject}-{n:04d}.txt")


def correspondence(rng: random.Random) -> Sample:
    sender, recipient = person(rng), person(rng)
    company = pick(rng, COMPANIES)
    subject = pick(rng, _SUBJECTS)
    first_name, surname = recipient.split(" ", 1)
    if rng.random() < 0.4:
        kind = "email"
        head = (
            f"From: {sender} <{slug(sender)}@{slug(company)}.example>\n"
            f"To: {recipient} <{slug(first_name)}@example.org>\nSubject: Re: {subject}\n"
            f"Date: {day(rng):%a, %d %b %Y} 09:{below(rng, 60):02d}\n\nHello {first_name},\n\n"
        )
    else:
        kind = "letter"
        head = (
            f"{company}\n{address(rng)}\n\n{long_date(day(rng))}\n\n{recipient}\n{address(rng)}\n\n"
            f"Dear {pick(rng, ('Mr', 'Ms', 'Dr'))} {surname},\n\nRe: {subject}\n\n"
        )
    body = "\n\n".join(rng.sample(_PARAGRAPHS, 7 + below(rng, 5)))
    text = f"{head}{body}\n\n{pick(rng, _CLOSINGS)}\n\n{sender}\n{pick(rng, _ROLES)}, {company}\n"
    filename = pick(rng, _LETTER_NAMES).format(
        kind=kind, n=below(rng, 10000), to=slug(surname.split()[-1]), subject=slug(subject)
    )
    stem, ext = split_name(filename)
    return Sample("correspondence", "en", stem, text, "text/plain", ext, subject)


# --- other ---

_MEETING_NOTES = pool("""
    Attendees: product, engineering and support leads; apologies from the design team, who are at the user research day. Minutes taken by the product lead.
    Agenda: roadmap for the next quarter, hiring plan, on-call rota and the office move. Item four was postponed because the facilities manager could not attend.
    Decision: the mobile release slips by one week so that the accessibility fixes can ship together with the new onboarding flow rather than in a follow-up.
    Action: Priya drafts the on-call rota and shares it before Friday; Marco benchmarks the new search index against last month's numbers and reports back.
    Discussion: feedback from the support team shows that the export feature is hard to find in the menu. Design will try moving it next to the share button.
    Risks: two engineers are away in August, so the database migration window may need to move to September. We agreed to decide at the next meeting.
    Hiring: three interviews are booked for the backend role and one offer is pending approval. The frontend role stays open until the end of the month.
    Office move: desks are labelled, network cabling is booked for Saturday and everyone packs their own drawers by Thursday evening. Next meeting same time next week.
""")  # noqa: E501
_RECIPE = pool("""
    Preheat the oven to 180°C (160°C fan, gas mark 4) and line a 900 g loaf tin with greaseproof paper, leaving some overhang so the cake is easy to lift out.
    Ingredients: 225 g softened butter, 225 g caster sugar, 4 large eggs, 225 g self-raising flour, the finely grated zest of two lemons and a pinch of salt.
    For the drizzle: the juice of one and a half lemons and 85 g icing sugar. Some cooks add a spoonful of granulated sugar for a crunchier top.
    Beat the butter and sugar together until pale and fluffy, then add the eggs one at a time, beating well after each. Add a spoonful of flour if the mixture curdles.
    Fold in the flour and the lemon zest until just combined; overmixing makes the crumb tough. Spoon into the tin and level the top with the back of the spoon.
    Bake for 45 to 50 minutes, until golden and risen. A skewer pushed into the centre should come out clean; if not, give it another five minutes.
    While the cake is still warm, prick it all over with a fork, mix the lemon juice with the icing sugar and spoon it evenly over the top so it soaks in.
    Leave to cool in the tin before lifting out. Keeps for three days in an airtight tin. Serves ten. Variation: use two limes instead of one lemon and add poppy seeds.
""")  # noqa: E501
_MANUAL = pool("""
    Unpack the purifier and place it upright on a flat, stable surface at least 30 cm from walls and furniture. Remove all plastic wrapping from the filter first.
    Connect the power adapter to the socket at the back and to the mains. The ring light glows white for a few seconds while the unit runs its start-up check.
    Press the fan button to cycle through the speeds: night, low, medium, high and turbo. Night mode dims the display and keeps the fan below 25 dB.
    Hold the fan button for three seconds to switch on automatic mode, shown by a blue light. The unit then adjusts the fan speed to the measured air quality.
    The filter indicator turns orange after about 2,000 hours of use. Open the filter door, pull out the old filter by its tab and slide in a new one.
    Clean the pre-filter every two weeks with a soft brush or a vacuum cleaner. Do not wash the main filter with water; it cannot be dried out properly.
    Troubleshooting: if the unit does not start, check the adapter and try another socket. If the display shows E2, the filter door is open; close it until it clicks.
    Keep the unit away from water, heaters and direct sunlight, and do not cover the air outlet. Unplug it before cleaning or moving it to another room.
""")  # noqa: E501
# (title, filename slug, extension, lines): none of them is something a back office files.
_OTHER_KINDS = (
    ("Meeting notes", "meeting-notes", ".md", _MEETING_NOTES),
    ("Recipe: lemon drizzle cake", "recipe", ".txt", _RECIPE),
    ("Quick start guide: AirPure 300 purifier", "manual", ".txt", _MANUAL),
)
_OTHER_NAMES = pool("{slug}-{when:%Y-%m-%d}{ext}|{slug}_{n:04d}{ext}|scan_{n:04d}{ext}")


def other(rng: random.Random) -> Sample:
    title, slug, ext, lines = pick(rng, _OTHER_KINDS)
    when = day(rng)
    bullet = "- " if ext == ".md" else ""
    # Keep the lines in their written order: a recipe read backwards is no longer a recipe.
    picked = sorted(rng.sample(range(len(lines)), 7 + below(rng, 2)))
    body = "\n".join(bullet + lines[i] for i in picked)
    text = f"{title}\n{long_date(when)}\n\n{body}\n\nWritten by {person(rng)}.\n"
    filename = pick(rng, _OTHER_NAMES).format(slug=slug, when=when, n=below(rng, 10000), ext=ext)
    stem, ext = split_name(filename)
    content_type = "text/markdown" if bullet else "text/plain"
    return Sample("other", "en", stem, text, content_type, ext, title)
