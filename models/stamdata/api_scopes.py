"""What an API token may do: the scope vocabulary, read and written by people (Instellingen, the
CLI, the README) and checked on every API request. Pure: no database.

A scope is `<resource>:<lezen|schrijven>`, `*:lezen`, `*:schrijven`, or `*` (everything the
token's user may do: what every token made before scopes existed has). `schrijven` includes
`lezen` of the same resource (a client that changes a werkbon reads it first). Every API route
declares the resource it belongs to (views/api/access.py `needs`); GET reads, the other methods
write, unless a route says otherwise (POST /schedule/preview only reads).

A new resource is one line in RESOURCES (and its routes' `needs`).
"""

from collections.abc import Iterable

# scope name: what the token may then read or change, in Dutch (the form's rows, the messages)
RESOURCES = {
    "klanten": "klanten",
    "medewerkers": "medewerkers",
    "contracten": "contracten (met SLA-beleid en het schemavoorbeeld)",
    "werkbonnen": "werkbonnen en storingen",
    "werkadressen": "werkadressen",
    "objecten": "objecten",
    "termijnen": "factuurtermijnen (Te factureren)",
}
# the noun alone, for the refusal ("Dit token mag geen contracten wijzigen.")
NOUNS = {"klanten": "klanten", "medewerkers": "medewerkers", "contracten": "contracten",
         "werkbonnen": "werkbonnen", "werkadressen": "werkadressen", "objecten": "objecten",
         "termijnen": "factuurtermijnen"}
ACTIONS = ("lezen", "schrijven")
VERBS = {"lezen": "lezen", "schrijven": "wijzigen"}
EVERYTHING = "*"
ALL_READ, ALL_WRITE = "*:lezen", "*:schrijven"
MAX_SCOPES = 40


def vocabulary() -> list[str]:
    """Every scope there is, in the order the form and the README list them."""
    return [EVERYTHING, ALL_READ, ALL_WRITE] + [f"{r}:{a}" for r in RESOURCES for a in ACTIONS]


def parse(values: Iterable[str] | str) -> tuple[frozenset[str], str | None]:
    """(scopes, error) from what a person gave: a list, or text separated by spaces or commas.
    An unknown scope is an error that names it; none at all is an error too."""
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    found = []
    for value in values:
        value = value.strip()
        if value and value not in found:
            found.append(value)
    known = set(vocabulary())
    unknown = [v for v in found if v not in known]
    if unknown:
        return frozenset(), (f"Onbekende scope: {', '.join(unknown[:3])[:120]}. Kies uit "
                             "bijvoorbeeld werkbonnen:lezen, contracten:schrijven, *:lezen of *.")
    if not found:
        return frozenset(), "Kies minstens één recht (scope)."
    if len(found) > MAX_SCOPES:
        return frozenset(), "Te veel scopes."
    return frozenset(found), None


def text(scopes: Iterable[str]) -> str:
    """The stored form: the scopes in vocabulary order, separated by spaces."""
    chosen = set(scopes)
    return " ".join(s for s in vocabulary() if s in chosen)


def from_text(stored: str) -> frozenset[str]:
    return frozenset(stored.split())


def allows(scopes: frozenset[str], resource: str, action: str) -> bool:
    if EVERYTHING in scopes or f"*:{action}" in scopes or f"{resource}:{action}" in scopes:
        return True
    return action == "lezen" and (ALL_WRITE in scopes or f"{resource}:schrijven" in scopes)


def refusal(resource: str, action: str) -> str:
    """The 403's message when a token lacks the scope."""
    return (f"Dit token mag geen {NOUNS.get(resource, resource)} {VERBS[action]} "
            f"(daarvoor is de scope {resource}:{action} nodig).")


def klant_refusal(klant_name: str, resource: str, action: str) -> str:
    """The 403's message when a token restricted to one klant asks for more."""
    return (f"Dit token is beperkt tot klant {klant_name} en mag hier geen "
            f"{NOUNS.get(resource, resource)} {VERBS[action]}.")


def describe(scopes: Iterable[str]) -> str:
    """In Dutch, for lists: "alles", "alles lezen", "contracten lezen, werkbonnen schrijven"."""
    chosen = set(scopes)
    if EVERYTHING in chosen:
        return "alles"
    parts = []
    if ALL_WRITE in chosen:
        parts.append("alles lezen en wijzigen")
    elif ALL_READ in chosen:
        parts.append("alles lezen")
    for resource in RESOURCES:
        if ALL_WRITE in chosen:
            break
        if f"{resource}:schrijven" in chosen:
            parts.append(f"{NOUNS[resource]} lezen en wijzigen")
        elif f"{resource}:lezen" in chosen and ALL_READ not in chosen:
            parts.append(f"{NOUNS[resource]} lezen")
    return ", ".join(parts)
