"""Text normalisation for search: case-, accent- and spacing-insensitive matching."""

import unicodedata


def compact(text: str) -> str:
    """Fold `text` to a form where spelling variants meet.

    Case is folded, accents dropped ("D'Amour" = "damour"), and everything that is
    not a letter or digit removed, so "Kim Ji-Eun", "kim jieun" and "KIM JI EUN"
    all become "kimjieun". Hangul syllables survive intact: decomposition (NFKD)
    is undone by NFC after the combining marks are dropped, so a fragment such as
    "헤어지면" is still a substring of "그때헤어지면돼".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    recomposed = unicodedata.normalize("NFC", without_marks)
    return "".join(ch for ch in recomposed if ch.isalnum())
