"""A cheap guess at a text's language from its most common short words.

Enough to label documents and to report per-language results; not a linguistic tool.
"""

from __future__ import annotations

_STOPWORDS = {
    "en": "the and of to in for is on that with this you are be by from your our at as we not or have it",
    "de": "der die das und ist nicht mit sie zu den von für auf dem ein eine im wir ihre sich des bei oder",
    "fr": "le la les et des est pour une dans que qui sur par pas vous au du avec nous votre ce sont aux",
    "es": "el la los las y de que en un una por con para es del se su al lo como más",
    "it": "il di che la per una sono con non del della nel questo gli alla le ed",
    "nl": "de het een en van is dat op te voor niet met zijn aan er ook als bij",
    "pt": "o os as de que em um uma para com não por do da dos das é se",
}
_WORDS: dict[str, list[str]] = {}
for _lang, _words in _STOPWORDS.items():
    for _word in _words.split():
        _WORDS.setdefault(_word, []).append(_lang)


def guess_language(text: str, sample_chars: int = 600) -> str | None:
    """ISO 639-1 code of the likeliest language, or None when too little text tells."""
    # Split on white space only: punctuation glued to a word costs that word, not the speed.
    found = [_WORDS[w] for w in text[:sample_chars].lower().split() if w in _WORDS]
    if len(found) < 3:
        return None
    # A word shared by several languages ("de", "la") counts for each, but less.
    scores: dict[str, float] = {}
    for langs in found:
        for lang in langs:
            scores[lang] = scores.get(lang, 0.0) + 1 / len(langs)
    return max(scores.items(), key=lambda item: item[1])[0]
