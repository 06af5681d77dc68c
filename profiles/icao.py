"""ICAO Doc 9303 (part 3, section 6) transliteration of names for the DCC ``fnt``/``gnt``.

Output holds only ``A``-``Z`` and ``<``: spaces and hyphens become ``<``, apostrophes and other
punctuation are dropped, letters with diacritics follow the ICAO table (``Ä`` -> ``AE``,
``ß`` -> ``SS``) or lose the mark (``É`` -> ``E``), Cyrillic follows the ICAO table. Scripts
ICAO does not transliterate (Chinese, for instance) raise ``ValueError``: the passport
spelling must then come from the passport itself.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 80

_SPECIAL = {
    "Ä": "AE",
    "Å": "AA",
    "Æ": "AE",
    "Ö": "OE",
    "Ø": "OE",
    "Ü": "UE",
    "ß": "SS",
    "Þ": "TH",
    "Ð": "D",
    "Đ": "D",
    "Ħ": "H",
    "Ĳ": "IJ",
    "Ŀ": "L",
    "Ł": "L",
    "Œ": "OE",
    "Ŧ": "T",
    "Ŋ": "N",
}
_CYRILLIC = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Ґ": "G",
    "Д": "D",
    "Ђ": "D",
    "Е": "E",
    "Ё": "E",
    "Є": "IE",
    "Ж": "ZH",
    "З": "Z",
    "Ѕ": "DZ",
    "И": "I",
    "І": "I",
    "Ї": "I",
    "Й": "I",
    "Ј": "J",
    "К": "K",
    "Л": "L",
    "Љ": "LJ",
    "М": "M",
    "Н": "N",
    "Њ": "NJ",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "Ћ": "C",
    "У": "U",
    "Ў": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Џ": "DZ",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "IE",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "IU",
    "Я": "IA",
}
_FILLERS = frozenset(" -<\u00a0\u2010\u2011")
_DROPPED = frozenset("'’`.,")


def _letter(char: str) -> str:
    if "A" <= char <= "Z" or char in "<":
        return char
    if char in _SPECIAL:
        return _SPECIAL[char]
    if char in _CYRILLIC:
        return _CYRILLIC[char]
    base = unicodedata.normalize("NFKD", char)[0]
    if "A" <= base <= "Z":
        return base
    raise ValueError(f"ICAO 9303 has no transliteration for {char!r}")


def transliterate(name: str) -> str:
    """``"Mei-Hua"`` -> ``"MEI<HUA"``, ``"Müller"`` -> ``"MUELLER"``; at most 80 characters
    (ICAO allows truncation)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", name.strip()).upper():
        if char in _FILLERS:
            out.append("<")
        elif char not in _DROPPED:
            out.append(_letter(char))
    return "".join(out)[:MAX_LENGTH]
