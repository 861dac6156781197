"""Finding werkbonnen by a search term, ranked: the werkbon whose number it is (alone), then
werkbonnen whose number has its words, then those of the klanten (name, city, debiteurnummer)
and werkadressen (name, street, city, postcode) it finds, then those whose description has
them; newest first within each group (a klant's and a werkadres' by date, the others by
id). Every step reads an index (models/db/fulltext.py) and stops at the limit.

One letter is not enough to search a million werkbonnen by: a term shorter than two
characters finds the exact number and the werkbonnen of the klanten whose name has a word
starting with it (klanten by name, werkbonnen newest first), nothing else.
"""

from models.db import Compiled, fulltext
from models.werkbonnen.numbers import werkbon_number
from models.werkbonnen.tables import Werkbon

LIMIT = 200  # the most werkbonnen a search finds
KLANTEN = 20  # klanten (and werkadressen) whose werkbonnen a search looks through
SHORT = 2  # a term shorter than this searches klant names only

# The statements of a search, compiled once (models.db.Compiled): Peewee building and compiling
# them took longer than the database answering them, at every keystroke.
_MARKS = ("\x00number", -7_919_000_000_000_001, -7_919_000_000_000_002)
_NUMBERED = Compiled(lambda number: Werkbon.select(Werkbon.id).where(Werkbon.number == number),
                     _MARKS[:1])


def _newest_of(column) -> Compiled:
    """The ids of the werkbonnen of one klant or werkadres, newest first (the latest dates),
    up to a limit: the order of the (klant, due_date, id) and (werkadres, due_date) indexes
    walked backwards, so the walk stops at the limit. By id, SQLite read all of a klant's
    werkbonnen from that index and sorted them (0.16 ms for 500 of them). A werkbon without a
    date comes last on SQLite and first on PostgreSQL (where NULL sorts high)."""
    return Compiled(lambda owner, limit: Werkbon.select(Werkbon.id).where(column == owner)
                    .order_by(Werkbon.due_date.desc(), Werkbon.id.desc()).limit(limit),
                    _MARKS[1:])


# Every werkbon number is made by werkbon_number ("W-2026-000123"): its words are digits and
# these few letter words ("w"). A term without a digit is no number, and a word of letters that
# starts none of these is in no number: neither is looked up (on SQLite the vocabulary step
# past the last term of the numbers' index costs 0.1-0.4 ms, on PostgreSQL each is a statement).
_NUMBER_LETTERS = tuple(w for w in fulltext.words(werkbon_number(2026, 0)) if not w.isdigit())


def _in_numbers(q: str) -> bool:
    """Could `q`'s words all be words of some werkbon number (see above)?"""
    return all(word.isdigit() or any(letters.startswith(word) for letters in _NUMBER_LETTERS)
               for word in fulltext.words(q))


_OF_KLANT = _newest_of(Werkbon.klant)
_AT_WERKADRES = _newest_of(Werkbon.werkadres)


def ranked_ids(q: str, limit: int = LIMIT) -> list[int]:
    """Ids of the werkbonnen `q` finds, best first (see the module), at most `limit`."""
    q = q.strip()
    found: list[int] = []
    seen: set[int] = set()

    def add(ids) -> bool:
        for i in ids:
            if i not in seen:
                seen.add(i)
                found.append(i)
                if len(found) >= limit:
                    return True
        return False

    if not q:
        return []
    if any(c.isdigit() for c in q):
        exact = [i for (i,) in _NUMBERED.execute(q.upper())]
        if exact:  # a whole number is that werkbon (its words, w and 2026, are in every number)
            return exact
    short = len(q) < SHORT
    if not short and _in_numbers(q) and add(fulltext.matching_ids("werkbon", q, "number",
                                                                   limit)):
        return found
    klanten = fulltext.matching_ids("klant", q, "text", KLANTEN)
    if not short:
        klanten += fulltext.matching_ids("klant", q, "number", KLANTEN)
    for klant_id in sorted(set(klanten), key=klanten.index):
        if add(i for (i,) in _OF_KLANT.execute(klant_id, limit - len(found))):
            return found
    if short:
        return found
    for werkadres_id in fulltext.matching_ids("werkadres", q, "text", KLANTEN):
        if add(i for (i,) in _AT_WERKADRES.execute(werkadres_id, limit - len(found))):
            return found
    add(fulltext.matching_ids("werkbon", q, "text", limit))
    return found
