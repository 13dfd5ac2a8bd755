"""What is particular to one programme, read from the `programme:` block of a knowledge folder.

The code knows no programme: its name, status, office, institutions, the texts the advisor says
of its own (welcome, help, decline, small talk), the suggestions it offers when it has none
better, and what a follow-up may swap ("and call 3?", "and <another institution>?", "and grants?")
all come from here. A knowledge folder without a programme block gets NEUTRAL: texts that name
no programme, no office, and calls and institutions taken from the entries themselves.

NamedTuples rather than dataclasses, as in models.py: `dataclasses` would cost every start-up.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Literal, NamedTuple

from .months import MONTH_NAMES

#: Where a problem is (keys and list positions below `programme:`), and what it is.
Report = Callable[[tuple[str | int, ...], str], None]
State = Literal["open", "closed", "unknown"]

#: The small-talk kinds the advisor recognises (advisor.smalltalk); each may get a reply of its own.
SMALLTALK_KINDS = ("greeting", "thanks", "help", "goodbye", "sources", "identity")
#: Texts may hold these placeholders, filled in when they are said (unknown ones are reported).
PLACEHOLDERS = {
    "welcome": ("name", "advisor", "entries", "sources"),
    "decline": ("name", "advisor", "email", "contact", "closed", "suggestions"),
}
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
#: Things one counts or measures about an institution, whatever the programme: one replaces
#: another in a follow-up ("and citations?"). A programme adds its own (`follow_up_metrics`).
GENERIC_METRICS = ("thesis", "publication", "citation", "rank", "profile", "fellow")
NEUTRAL_DECLINE = (
    "I don't have a sourced answer to that. I can help with what my knowledge base covers. "
    "You could ask:\n{suggestions}"
)
NEUTRAL_SMALLTALK: Mapping[str, str] = {
    "greeting": "Hello! Ask me a question and I will answer it from my sourced knowledge base.",
    "thanks": "You're welcome. Ask me anything else.",
    "help": (
        "I answer questions from a curated knowledge base. Every answer names its sources and the "
        "year it describes. Type /topics in the chat to see what I know."
    ),
    "goodbye": "Goodbye.",
    "sources": (
        "Every answer I give ends with its sources: the title, the publisher, the call or year it "
        "describes, and the address. In the chat, /sources lists all of them."
    ),
    "identity": "I'm an advisor: a rule-based program (no AI model) that answers from a curated, sourced set of facts.",
}


class Institution(NamedTuple):
    """A place the programme's facts may be about; entries name it by `id`."""

    id: str
    name: str
    #: Other ways people write it; each reads as `id` (they join the synonym table).
    aliases: tuple[str, ...] = ()


class Call(NamedTuple):
    """One call for applications, numbered 1, 2, ...; the synonym table writes it as `call<number>`."""

    number: int
    opened: datetime.date | None = None
    closed: datetime.date | None = None
    #: More words that name this call in a follow-up ("and the last?"), beside first/1/1st/one.
    words: tuple[str, ...] = ()

    @property
    def token(self) -> str:
        return f"call{self.number}"


class Status(NamedTuple):
    """Whether the programme takes applications, and when it opened, closed and ended."""

    state: State = "unknown"
    opened: datetime.date | None = None
    closed: datetime.date | None = None
    ended: datetime.date | None = None
    #: Said wherever the status must show (the web page's note), e.g. "The programme has ended."
    note: str = ""


class Contact(NamedTuple):
    """The office that answers what the advisor cannot."""

    name: str = ""
    email: str = ""
    url: str = ""


class Programme(NamedTuple):
    """Everything programme-specific that the advisor says or matches on."""

    name: str = ""
    #: What the advisor calls itself ("Example Fellows advisor").
    advisor: str = "Advisor"
    #: One line on what the advisor answers about, for the web page and the command's help.
    description: str = "Sourced answers from a curated knowledge base."
    status: Status = Status()
    contact: Contact = Contact()
    institutions: tuple[Institution, ...] = ()
    calls: tuple[Call, ...] = ()
    #: Metric words a follow-up may swap, beside GENERIC_METRICS ("erc", "h2020").
    follow_up_metrics: tuple[str, ...] = ()
    #: The chat's first words (placeholders: {name} {advisor} {entries} {sources}).
    welcome: str = "{advisor}: sourced answers from a knowledge base ({entries} facts, {sources} sources)."
    #: What a decline says (placeholders: {suggestions}, one line each; {email} {contact} {closed} ...).
    decline: str = NEUTRAL_DECLINE
    #: Offered when a decline has no closer suggestion.
    suggestions: tuple[str, ...] = ()
    #: Replies to small talk, by kind (see SMALLTALK_KINDS).
    smalltalk: tuple[tuple[str, str], ...] = tuple(NEUTRAL_SMALLTALK.items())
    #: Whether a programme block was read (False: the neutral defaults).
    declared: bool = False

    @property
    def institution_ids(self) -> frozenset[str]:
        return frozenset(i.id for i in self.institutions)

    def institution_name(self, institution_id: str) -> str:
        """The name an institution goes by, or its id when the programme does not declare it."""
        for institution in self.institutions:
            if institution.id == institution_id:
                return institution.name
        return institution_id

    @property
    def call_tokens(self) -> dict[str, int]:
        """Token -> call number ("call2" -> 2), for the declared calls."""
        return _call_tokens(self.calls)

    def call_number(self, token: str) -> int | None:
        """The call a token names: a declared one; or, when none are declared, any `call<N>`."""
        if self.calls:
            return _call_tokens(self.calls).get(token)
        if token.startswith("call") and token[4:].isdigit() and token[4:5] != "0":
            return int(token[4:])
        return None

    def call_numbers(self) -> Callable[[str], int | None]:
        """call_number, for looking up many tokens: with calls declared, their table's own lookup
        (call_number finds the table again each time, hashing every call to do so)."""
        return _call_tokens(self.calls).get if self.calls else self.call_number

    @property
    def call_months(self) -> dict[tuple[int, int], frozenset[str]]:
        """(year, month) -> the tokens of the calls open in that month, from the calls' own dates: what
        "the round that opened in November 2017" or "the January round" may name."""
        found: dict[tuple[int, int], set[str]] = {}
        for call in self.calls:
            if call.opened is None or call.closed is None:
                continue
            year, month = call.opened.year, call.opened.month
            while (year, month) <= (call.closed.year, call.closed.month):
                found.setdefault((year, month), set()).add(call.token)
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return {key: frozenset(tokens) for key, tokens in found.items()}

    @property
    def call_words(self) -> dict[str, str]:
        """Words that name a call in a follow-up -> its token: "second", "2", "2nd", "two", and the
        calls' own `words` ("last"). Without declared calls, the ordinals of calls 1 to 10."""
        numbers = [call.number for call in self.calls] or list(range(1, len(_ORDINALS) + 1))
        words: dict[str, str] = {}
        for number in numbers:
            token = f"call{number}"
            if number <= len(_ORDINALS):
                words[_ORDINALS[number - 1]] = token
                words[_NUMBER_WORDS[number - 1]] = token
            words[str(number)] = token
            words[f"{number}{_suffix(number)}"] = token
        for call in self.calls:
            for word in call.words:
                words[word] = call.token
        # Grouped as people count ("first", "1", "1st", "one"), which is also how the old table read.
        return dict(sorted(words.items(), key=lambda item: int(item[1][4:])))

    @property
    def metrics(self) -> frozenset[str]:
        return frozenset((*GENERIC_METRICS, *self.follow_up_metrics))

    def smalltalk_reply(self, kind: str) -> str:
        return dict(self.smalltalk).get(kind) or NEUTRAL_SMALLTALK[kind]

    def partners_phrase(self) -> str:
        """ "one of the programme's five partners", by the number of institutions declared."""
        count = len(self.institutions)
        number = _NUMBER_WORDS[count - 1] if 0 < count <= len(_NUMBER_WORDS) else str(count)
        return f"one of the programme's {number} partners" if count > 1 else "the programme's institution"

    def closed_month(self) -> str:
        """When the programme closed, as "October 2018" ("" when unknown)."""
        closed = self.status.closed
        return f"{MONTH_NAMES[closed.month]} {closed.year}" if closed else ""

    def fill(self, text: str, **values: str | int) -> str:
        """`text` with its placeholders filled: the programme's own, then `values`."""
        known: dict[str, str] = {
            "name": self.name,
            "advisor": self.advisor,
            "email": self.contact.email,
            "contact": self.contact.email or self.contact.url or self.contact.name,
            "closed": self.closed_month(),
        }
        known.update({key: str(value) for key, value in values.items()})
        for name in placeholders(text):
            if name in known:
                text = text.replace("{" + name + "}", known[name])
        return text

    def decline_text(self, suggestions: Iterable[str]) -> str:
        return self.fill(self.decline, suggestions="\n".join(f"  - {s}" for s in suggestions))

    def welcome_text(self, *, entries: int, sources: int) -> str:
        return self.fill(self.welcome, entries=entries, sources=sources)


NEUTRAL = Programme()


@functools.lru_cache(maxsize=16)
def _call_tokens(calls: tuple[Call, ...]) -> dict[str, int]:
    # Asked for every word of every question: built once per list of calls.
    return {call.token: call.number for call in calls}


def _suffix(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


#: The fields of a programme block, what each must be, and whether it is required.
PROGRAMME_KEYS = frozenset(
    {
        "name",
        "advisor",
        "description",
        "status",
        "contact",
        "institutions",
        "calls",
        "follow_up_metrics",
        "welcome",
        "decline",
        "suggestions",
        "smalltalk",
    }
)
STATUS_KEYS = frozenset({"state", "opened", "closed", "ended", "note"})
CONTACT_KEYS = frozenset({"name", "email", "url"})
INSTITUTION_KEYS = frozenset({"id", "name", "aliases"})
CALL_KEYS = frozenset({"number", "opened", "closed", "words"})
STATES: tuple[State, ...] = ("open", "closed", "unknown")


@functools.lru_cache(maxsize=256)
def placeholders(text: str) -> tuple[str, ...]:
    """The names of the `{placeholders}` in `text` (lowercase letters and underscores).

    Found without a regular expression: this runs at every start, and compiling one costs more. Kept
    for each text: a programme's few templates are filled at every decline, and finding their
    placeholders again cost half of that."""
    names = []
    start = text.find("{")
    while start != -1:
        end = text.find("}", start)
        if end == -1:
            break
        name = text[start + 1 : end]
        if name and name.replace("_", "a").isalpha() and name.isascii() and name.islower():
            names.append(name)
        start = text.find("{", start + 1)
    return tuple(names)


def _is_word(text: str) -> bool:
    """One token as the normaliser writes it: lowercase ASCII letters and digits."""
    return text.isascii() and text.isalnum() and text == text.lower()


def read_programme(value: object, report: Report, check_url: Callable[[str], str | None]) -> Programme:
    """Validate a `programme:` block, reporting each problem by its path (`check_url` says what is wrong
    with an address); what is valid is kept, the rest falls back to the neutral default (the caller
    refuses the folder anyway when anything was reported)."""
    if not isinstance(value, dict):
        report((), "'programme' must be a mapping (name, status, contact, institutions, ...)")
        return NEUTRAL
    _unknown_keys(value, PROGRAMME_KEYS, (), "programme", report)
    name = _text(value, "name", (), report, required=True)
    texts: dict[str, str] = {}
    for key in ("description", "welcome", "decline"):
        text = _text(value, key, (), report)
        if text:
            _check_placeholders(text, key, (key,), report)
        texts[key] = text
    suggestions = NEUTRAL.suggestions
    if "suggestions" in value:
        raw = value["suggestions"]
        if not isinstance(raw, list) or not raw or not all(_is_text(s) for s in raw):
            report(("suggestions",), "'suggestions' must be a non-empty list of questions")
        else:
            suggestions = tuple(str(s).strip() for s in raw)
    return Programme(
        name=name,
        advisor=_text(value, "advisor", (), report) or (f"{name} advisor" if name else NEUTRAL.advisor),
        description=texts["description"] or NEUTRAL.description,
        status=_status(value["status"], report) if "status" in value else NEUTRAL.status,
        contact=_contact(value["contact"], report, check_url) if "contact" in value else NEUTRAL.contact,
        institutions=_institutions(value["institutions"], report) if "institutions" in value else (),
        calls=_calls(value["calls"], report) if "calls" in value else (),
        follow_up_metrics=(
            _words(value["follow_up_metrics"], ("follow_up_metrics",), report) if "follow_up_metrics" in value else ()
        ),
        welcome=texts["welcome"] or NEUTRAL.welcome,
        decline=texts["decline"] or NEUTRAL.decline,
        suggestions=suggestions,
        smalltalk=_smalltalk(value["smalltalk"], report) if "smalltalk" in value else NEUTRAL.smalltalk,
        declared=True,
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _unknown_keys(item: dict[object, object], allowed: frozenset[str], path: tuple[str | int, ...], what: str,
                  report: Report) -> None:  # fmt: skip
    for key in item:
        if key not in allowed:
            report((*path, str(key)), f"unknown field {key!r} in {what} (allowed: {', '.join(sorted(allowed))})")


def _text(item: dict[object, object], key: str, path: tuple[str | int, ...], report: Report, *,
          required: bool = False) -> str:  # fmt: skip
    if key not in item:
        if required:
            report(path, f"the programme block is missing the field {key!r}" if not path else f"missing {key!r}")
        return ""
    value = item[key]
    if not _is_text(value):
        report((*path, key), f"{key!r} must be a non-empty string (quote it if YAML reads it as something else)")
        return ""
    return str(value).strip()


def _date(item: dict[object, object], key: str, path: tuple[str | int, ...], report: Report) -> datetime.date | None:
    if key not in item:
        return None
    value = item[key]
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    report((*path, key), f"{key!r} must be a date written YYYY-MM-DD, not {value!r}")
    return None


def _check_placeholders(text: str, key: str, path: tuple[str | int, ...], report: Report) -> None:
    allowed = PLACEHOLDERS.get(key, ())
    for found in placeholders(text):
        if found not in allowed:
            hint = f" (allowed: {', '.join('{' + a + '}' for a in allowed)})" if allowed else ""
            report(path, f"unknown placeholder {{{found}}} in {key!r}{hint}")


def _status(value: object, report: Report) -> Status:
    path: tuple[str | int, ...] = ("status",)
    if not isinstance(value, dict):
        report(path, "'status' must be a mapping: state (open, closed or unknown), opened, closed, ended, note")
        return Status()
    _unknown_keys(value, STATUS_KEYS, path, "status", report)
    state = value.get("state", "unknown")
    if state not in STATES:
        report((*path, "state"), f"'state' must be one of {', '.join(STATES)}")
        state = "unknown"
    opened, closed, ended = (_date(value, key, path, report) for key in ("opened", "closed", "ended"))
    if opened and closed and closed < opened:
        report((*path, "closed"), "'closed' comes before 'opened'")
    if state == "closed" and closed is None:
        report(path, "a closed programme needs the date it closed ('closed')")
    note = _text(value, "note", path, report) if "note" in value else ""
    return Status(state=state, opened=opened, closed=closed, ended=ended, note=note)


def _contact(value: object, report: Report, check_url: Callable[[str], str | None]) -> Contact:
    path: tuple[str | int, ...] = ("contact",)
    if not isinstance(value, dict):
        report(path, "'contact' must be a mapping: name, email, url")
        return Contact()
    _unknown_keys(value, CONTACT_KEYS, path, "contact", report)
    name, email, url = (_text(value, key, path, report) for key in ("name", "email", "url"))
    local, at, domain = email.partition("@")
    if email and (not local or not at or "." not in domain.strip(".") or any(c.isspace() or c == "@" for c in domain)):
        report((*path, "email"), f"'email' is not an e-mail address: {email!r}")
    if url:
        wrong = check_url(url)
        if wrong is not None:
            report((*path, "url"), f"contact url {url!r} {wrong}")
    if not (email or url):
        report(path, "a contact needs an 'email' or a 'url'")
    return Contact(name=name, email=email, url=url)


def _words(value: object, path: tuple[str | int, ...], report: Report) -> tuple[str, ...]:
    """A list of single lowercase words (tokens as the normaliser writes them)."""
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        report(path, f"{path[-1]!r} must be a list of words")
        return ()
    words = tuple(str(v).strip() for v in value)
    for position, word in enumerate(words):
        if not _is_word(word):
            report((*path, position), f"{word!r} must be one word of lowercase letters and digits")
    return words


def _institutions(value: object, report: Report) -> tuple[Institution, ...]:
    path: tuple[str | int, ...] = ("institutions",)
    if not isinstance(value, list) or not value:
        report(path, "'institutions' must be a non-empty list of {id, name, aliases}")
        return ()
    found: list[Institution] = []
    ids: set[str] = set()
    alias_owner: dict[str, str] = {}
    for index, item in enumerate(value):
        where = (*path, index)
        if not isinstance(item, dict):
            report(where, "each institution must be a mapping: id, name, aliases")
            continue
        _unknown_keys(item, INSTITUTION_KEYS, where, "institution", report)
        ident = _text(item, "id", where, report, required=True)
        name = _text(item, "name", where, report, required=True)
        if ident and not _is_word(ident):
            report((*where, "id"), f"institution id {ident!r} must be one word of lowercase letters and digits")
            ident = ""
        elif ident in ids:
            report((*where, "id"), f"duplicate institution id {ident!r}")
            ident = ""
        aliases: tuple[str, ...] = ()
        if "aliases" in item:
            raw = item["aliases"]
            if not isinstance(raw, list) or not all(_is_text(a) for a in raw):
                report((*where, "aliases"), "'aliases' must be a list of names")
            else:
                aliases = tuple(str(a).strip() for a in raw)
                for position, alias in enumerate(aliases):
                    key = alias.casefold()
                    if key in alias_owner and alias_owner[key] != ident:
                        report((*where, "aliases", position), f"alias {alias!r} also names {alias_owner[key]!r}")
                    alias_owner[key] = ident
        if ident and name:
            ids.add(ident)
            found.append(Institution(ident, name, aliases))
    return tuple(found)


def _calls(value: object, report: Report) -> tuple[Call, ...]:
    path: tuple[str | int, ...] = ("calls",)
    if not isinstance(value, list) or not value:
        report(path, "'calls' must be a non-empty list of {number, opened, closed, words}")
        return ()
    found: list[Call] = []
    for index, item in enumerate(value):
        where = (*path, index)
        if not isinstance(item, dict):
            report(where, "each call must be a mapping: number, opened, closed, words")
            continue
        _unknown_keys(item, CALL_KEYS, where, "call", report)
        number = item.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            report((*where, "number") if "number" in item else where, "a call needs a 'number': 1, 2, ...")
            continue
        if any(call.number == number for call in found):
            report((*where, "number"), f"call {number} is listed twice")
            continue
        opened, closed = _date(item, "opened", where, report), _date(item, "closed", where, report)
        if opened and closed and closed < opened:
            report((*where, "closed"), "'closed' comes before 'opened'")
        words = _words(item["words"], (*where, "words"), report) if "words" in item else ()
        found.append(Call(number, opened, closed, words))
    return tuple(found)


def _smalltalk(value: object, report: Report) -> tuple[tuple[str, str], ...]:
    path: tuple[str | int, ...] = ("smalltalk",)
    if not isinstance(value, dict):
        report(path, f"'smalltalk' must map a kind ({', '.join(SMALLTALK_KINDS)}) to its reply")
        return tuple(NEUTRAL_SMALLTALK.items())
    replies = dict(NEUTRAL_SMALLTALK)
    for kind, reply in value.items():
        if kind not in SMALLTALK_KINDS:
            report((*path, str(kind)), f"unknown small-talk kind {kind!r} (allowed: {', '.join(SMALLTALK_KINDS)})")
        elif not _is_text(reply):
            report((*path, kind), f"the {kind} reply must be a non-empty string")
        else:
            replies[kind] = str(reply).strip()
    return tuple(replies.items())
