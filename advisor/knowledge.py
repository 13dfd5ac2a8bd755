"""Locate, read and validate a knowledge folder of YAML files into a KnowledgeBase.

Every file is read with PyYAML's safe loader (the C one when present). All
problems in all files are collected before anything is raised, each with its
file and line, so that a curator sees the whole list at once.
"""

from __future__ import annotations

import gc
import os
import zlib
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from itertools import compress, count
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, get_args

from . import schema
from .errors import KnowledgeError, KnowledgeNotFoundError, Problem
from .models import Entry, EntryKind, KnowledgeBase, Source
from .programme import NEUTRAL, Programme, read_programme
from .safe_files import RefusedFileError, describe_size, read_regular_file
from .schema import Field
from .yaml_values import MAX_NESTING, YamlList, YamlMap

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import yaml


def safe_loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader, the C one when present. PyYAML is imported only when needed:
    a knowledge base served from its index cache never pays for it."""
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def one_line(error: Exception) -> str:
    """An error's message on one line (PyYAML's span several)."""
    return "; ".join(line.strip() for line in str(error).splitlines() if line.strip())


def load_document(text: str) -> object:
    """One YAML document, as yaml.safe_load reads it, except that repeated keys and aliases are errors.

    PyYAML lets a repeated key silently replace the first (a second top-level `entries:`
    drops the whole first block), and an alias stands for its anchor's value wherever it
    is used, so a few kilobytes can expand to millions of values: neither has a use in a
    knowledge file. Raises yaml.MarkedYAMLError (with the line) for either.

    Built straight from the parser's events (libyaml's when present), which is also faster
    than composing a node tree first: this runs on every start. Its lists and mappings are
    YamlList and YamlMap, which know the lines they came from.
    """
    return _parse(text)[0]


def _parse(text: str) -> tuple[object, int]:
    """The document (see load_document) and the line where it starts."""
    import yaml

    loader: Any = safe_loader()(text)  # PyYAML's parser methods are untyped
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None, 0
        loader.get_event()  # document start
        builder = _Builder(loader)
        first = loader.get_event()
        value = builder.build(first, 0)
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            found = loader.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", None, "but found another document", found.start_mark
            )
        return value, first.start_mark.line + 1
    finally:
        loader.dispose()


_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = _TAG + "str", _TAG + "seq", _TAG + "map", _TAG + "merge"


class _Builder:
    """Python values from a parser's events: text, numbers, booleans, dates, lists and mappings,
    each list and mapping with the lines it came from (see YamlList, YamlMap).

    Written for speed (it sees every scalar of every file at every start): one type test per
    event, scalars without an anchor read without a call to `build`, and plain scalars resolved
    as PyYAML's resolver would, with the resolvers for each first character looked up once.
    """

    def __init__(self, loader: Any) -> None:
        import yaml

        self.yaml = yaml
        self.loader = loader
        self.anchors: dict[str, int] = {}
        implicit: dict[str | None, list[tuple[str, Any]]] = loader.yaml_implicit_resolvers
        wildcard = implicit.get(None, [])
        self.wildcard = wildcard
        self.resolvers = {first: [*found, *wildcard] for first, found in implicit.items() if first is not None}

    def error(self, message: str, mark: Any) -> Exception:
        return self.yaml.constructor.ConstructorError(None, None, message, mark)

    def build(self, event: Any, depth: int) -> object:
        yaml = self.yaml
        kind = type(event)
        if event.anchor is not None and kind is not yaml.AliasEvent:
            self.anchors[event.anchor] = event.start_mark.line + 1
        if kind is yaml.ScalarEvent:
            return self.scalar(event)
        if kind is yaml.SequenceStartEvent:
            self.check_collection(event, _SEQ, depth)
            return self.sequence(event.start_mark.line + 1, depth + 1)
        if kind is yaml.MappingStartEvent:
            self.check_collection(event, _MAP, depth)
            return self.mapping(event.start_mark.line + 1, depth + 1)
        if kind is yaml.AliasEvent:
            anchored = self.anchors.get(event.anchor)
            where = f" anchored at line {anchored}" if anchored else ""
            raise self.error(
                f"an alias repeats the value{where}: aliases are not allowed in knowledge files (write the value out)",
                event.start_mark,
            )
        raise self.error(f"unexpected {kind.__name__}", event.start_mark)

    def sequence(self, line: int, depth: int) -> YamlList:
        items = YamlList()
        items.line = line
        lines: list[int] = []
        items.item_lines = lines
        add, add_line, text_of, build = items.append, lines.append, self.scalar, self.build
        get_event, end, scalar = self.loader.get_event, self.yaml.SequenceEndEvent, self.yaml.ScalarEvent
        while type(event := get_event()) is not end:
            add_line(event.start_mark.line + 1)
            add(text_of(event) if type(event) is scalar and event.anchor is None else build(event, depth))
        return items

    def mapping(self, line: int, depth: int) -> YamlMap:
        result = YamlMap()
        result.line = line
        lines: dict[object, int] = {}
        result.key_lines = lines
        text_of, build = self.scalar, self.build
        get_event, end, scalar = self.loader.get_event, self.yaml.MappingEndEvent, self.yaml.ScalarEvent
        while type(event := get_event()) is not end:
            mark = event.start_mark
            if type(event) is not scalar:
                if type(event) is self.yaml.AliasEvent:
                    build(event, depth)  # raises the alias error
                raise self.error("a key must be text or a number", mark)
            key = build(event, depth) if event.anchor is not None else text_of(event)
            if key in result:
                raise self.error(f"duplicate key {key!r} (first at line {lines[key]})", mark)
            lines[key] = mark.line + 1
            event = get_event()
            result[key] = text_of(event) if type(event) is scalar and event.anchor is None else build(event, depth)
        return result

    def scalar(self, event: Any) -> object:
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            if not event.implicit[0]:  # quoted, or a block scalar: text
                return value
            # A plain scalar: `12`, `true`, `~`, `2017-01-31` are not text.
            tag = _STR
            for candidate, pattern in self.resolvers.get(value[:1], self.wildcard):
                if pattern.match(value):
                    tag = candidate
                    break
        if tag == _STR:
            return value
        if tag == _MERGE:
            raise self.error("merge keys (<<) are not allowed in knowledge files", event.start_mark)
        # Numbers, booleans, null, dates: PyYAML's safe constructor knows their spellings (and
        # refuses any other tag, such as !!python/object).
        node = self.yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        return self.loader.construct_object(node)

    def check_collection(self, event: Any, standard: str, depth: int) -> None:
        if depth >= MAX_NESTING:
            raise self.error(f"nested more than {MAX_NESTING} levels deep", event.start_mark)
        if event.tag not in (None, "!", standard):
            raise self.error(f"could not determine a constructor for the tag {event.tag!r}", event.start_mark)


FILE_KEYS = frozenset({"sources", "synonyms", "topic", "entries", "programme"})
# The fields of entries and sources are in schema.ENTRY_FIELDS and schema.SOURCE_FIELDS; these are
# the values their "choice" fields allow (see Allowed).
ENTRY_KINDS: tuple[EntryKind, ...] = get_args(EntryKind)
#: The eligibility rules (advisor.eligibility_rules reads them, when a question needs them): not a file
#: of entries, but part of the folder's fingerprint, so that the index cache notices an edit.
ELIGIBILITY_RULES_FILE = "eligibility-rules.yaml"

YamlPath = tuple[object, ...]  # keys and list positions


def default_knowledge_dir() -> Traversable:
    """The knowledge folder shipped in the wheel, or `knowledge/` of a source checkout."""
    # A plain path beside this module, not importlib.resources: the wheel installs
    # unpacked, and importing importlib.resources costs a fifth of our start-up time.
    packaged = Path(__file__).resolve().parent / "knowledge"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "knowledge"
    if checkout.is_dir():
        return checkout
    raise KnowledgeNotFoundError("advisor", "no knowledge base found; pass --knowledge PATH")


#: Limits of a knowledge folder. Past them it is no knowledge folder (`--knowledge /usr`), or a file
#: is no knowledge file (a link to /dev/zero), and we say so instead of reading for minutes.
MAX_FILE_BYTES = 16 << 20
MAX_TOTAL_BYTES = 64 << 20
MAX_LISTED = 20_000
MAX_DEPTH = 8


class _Walk:
    """What a walk of a knowledge folder has seen so far, against MAX_LISTED."""

    def __init__(self, root: Traversable, skipped_links: list[str] | None) -> None:
        self.root = root
        self.listed = 0
        self.skipped_links = skipped_links

    def count(self, entries: int) -> None:
        self.listed += entries
        if self.listed > MAX_LISTED:
            raise KnowledgeNotFoundError(
                str(self.root), f"more than {MAX_LISTED:,} files and folders: not a knowledge folder"
            )


def iter_yaml_files(
    folder: Traversable, prefix: str = "", *, skipped_links: list[str] | None = None
) -> Iterator[tuple[str, Traversable]]:
    """Yield (relative name, file) for every *.yaml/*.yml below `folder`, in sorted order.

    Hidden names are skipped. A symbolic link to a folder is never followed (it could lead
    out of the tree, or back into it in a loop); its name is added to `skipped_links`.

    Raises:
        KnowledgeNotFoundError: more than MAX_LISTED names, or folders nested deeper than MAX_DEPTH.
    """
    yield from _walk(folder, prefix, _Walk(folder, skipped_links), 0)


def _walk(folder: Traversable, prefix: str, walk: _Walk, depth: int) -> Iterator[tuple[str, Traversable]]:
    if depth > MAX_DEPTH:
        raise KnowledgeNotFoundError(str(walk.root), f"folders nested more than {MAX_DEPTH} deep at {prefix}")
    if isinstance(folder, Path):
        with os.scandir(folder) as listing:
            found = sorted(listing, key=lambda e: e.name)
        walk.count(len(found))
        for item in found:
            name = f"{prefix}{item.name}"
            if item.name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                yield from _walk(Path(item.path), name + "/", walk, depth + 1)
            elif item.is_symlink() and os.path.isdir(item.path):
                if walk.skipped_links is not None:
                    walk.skipped_links.append(name)
            elif item.name.endswith((".yaml", ".yml")):
                yield name, Path(item.path)
        return
    children = sorted(folder.iterdir(), key=lambda c: c.name)
    walk.count(len(children))
    for child in children:
        name = f"{prefix}{child.name}"
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child, name + "/", walk, depth + 1)
        elif child.name.endswith((".yaml", ".yml")):
            yield name, child


def read_knowledge_file(file: Traversable) -> bytes:
    """The bytes of one knowledge file: a regular file of at most MAX_FILE_BYTES (a FIFO, a device
    or a link to one is refused at once, never read)."""
    if isinstance(file, Path):
        return read_regular_file(file, MAX_FILE_BYTES)
    data = file.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise RefusedFileError(str(file), f"larger than the limit of {describe_size(MAX_FILE_BYTES)}")
    return data


class _FileProblems:
    """Problems of one file, kept by YAML path until the file is read, then given their lines."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.document: object = None
        self.first_line = 1
        self.located: list[Problem] = []
        self.by_path: list[tuple[YamlPath, str]] = []

    def add(self, path: YamlPath, message: str) -> None:
        self.by_path.append((path, message))

    def resolve(self) -> list[Problem]:
        problems = list(self.located)
        for path, message in self.by_path:
            problems.append(Problem(self.name, self.line_of(path), message))
        return problems

    def line_of(self, path: YamlPath) -> int | None:
        """1-based line of the value at `path` (of its key, in a mapping), or of its nearest existing parent."""
        node = self.document
        if node is None:
            return None
        line = node.line if isinstance(node, (YamlMap, YamlList)) else self.first_line
        for step in path:
            if isinstance(node, YamlMap) and step in node.key_lines:
                line, node = node.key_lines[step], node[step]
            elif isinstance(node, YamlList) and isinstance(step, int) and 0 <= step < len(node):
                line, node = node.item_lines[step], node[step]
            else:
                break
        return line


class _Fingerprint:
    """CRC-32 and size of every file, in order: enough to notice any edit, and zlib
    imports in a fraction of the time hashlib's OpenSSL binding takes at start-up."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def update(self, name: str, data: bytes) -> None:
        self._parts.append(f"{name}:{len(data)}:{zlib.crc32(data):08x}")

    def hexdigest(self) -> str:
        return f"{zlib.crc32(chr(10).join(self._parts).encode()):08x}-{len(self._parts)}-" + ",".join(
            p.rsplit(":", 1)[1] for p in self._parts
        )


def fingerprint_of(folder: str | os.PathLike[str] | Traversable | None = None) -> str:
    """A fingerprint of every knowledge file's name and bytes: changes when any file changes."""
    root = resolve_knowledge_dir(folder)
    digest = _Fingerprint()
    for name, file in iter_yaml_files(root):
        digest.update(name, read_knowledge_file(file))
    return digest.hexdigest()


def resolve_knowledge_dir(folder: str | os.PathLike[str] | Traversable | None) -> Traversable:
    """The folder to read: `folder` if given (it must exist), else the default one."""
    if folder is None:
        return default_knowledge_dir()
    if isinstance(folder, (str, os.PathLike)):
        if not os.fspath(folder).strip():
            raise KnowledgeNotFoundError("--knowledge", "an empty path; name a folder of YAML files")
        path = Path(folder)
        if not path.exists():
            raise KnowledgeNotFoundError(str(path), "no such folder")
        if not path.is_dir():
            raise KnowledgeNotFoundError(str(path), "not a folder; point --knowledge at a folder of YAML files")
        return path
    return folder


#: A knowledge file as read: its document and the line where that starts (see load_document).
Parsed = tuple[object, int]
#: Where a start with a current index cache finds the files' documents without parsing them: given
#: the folder's fingerprint, the documents by file name, or None (no cache, or one for other bytes).
CachedDocuments = Callable[[str], dict[str, Parsed] | None]


def load_knowledge(
    folder: str | os.PathLike[str] | Traversable | None = None, *, cached: CachedDocuments | None = None
) -> KnowledgeBase:
    """Load and validate a knowledge folder.

    Args:
        folder: a folder of YAML files; the bundled knowledge base when omitted.
        cached: the index cache's copy of the parsed files (advisor.index_cache.read_cache), used
            instead of parsing them when it is for these very bytes. Validation is the same.

    Returns:
        The validated KnowledgeBase.

    Raises:
        KnowledgeNotFoundError: the folder does not exist or holds no YAML file.
        KnowledgeError: one or more problems, each naming its file and line.

    >>> kb = load_knowledge()
    >>> len(kb.entries) > 0
    True
    """
    return load_knowledge_documents(folder, cached=cached)[0]


def load_knowledge_documents(
    folder: str | os.PathLike[str] | Traversable | None = None, *, cached: CachedDocuments | None = None
) -> tuple[KnowledgeBase, dict[str, Parsed]]:
    """load_knowledge, and the document each file read as (what the index cache stores)."""
    root = resolve_knowledge_dir(folder)
    location = str(root)
    files: list[tuple[str, str]] = []
    problems: list[Problem] = []
    digest = _Fingerprint()
    try:
        found = list(iter_yaml_files(root))
    except OSError as exc:
        raise KnowledgeNotFoundError(location, f"cannot list folder: {exc.strerror or exc}") from None
    if not found:
        raise KnowledgeNotFoundError(location, "no .yaml files in this folder")
    total = 0
    for name, file in found:
        try:
            data = read_knowledge_file(file)
        except OSError as exc:
            problems.append(Problem(name, None, f"cannot read file: {exc.strerror or exc}"))
            continue
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            limit = describe_size(MAX_TOTAL_BYTES)
            raise KnowledgeNotFoundError(location, f"more than {limit} of YAML files: not a knowledge folder")
        digest.update(name, data)
        if name == ELIGIBILITY_RULES_FILE:
            continue
        try:
            files.append((name, data.decode("utf-8")))
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, None, f"not UTF-8 text (byte {exc.start})"))
    fingerprint = digest.hexdigest()
    # Parsing makes many small objects and no cycles: the cyclic collector would only walk them
    # again and again (a tenth of the load time), so it waits until the knowledge base is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        documents = cached(fingerprint) if cached is not None and not problems else None
        if documents is not None and list(documents) == [name for name, _ in files]:
            try:
                return _build(documents, [], location=location, fingerprint=fingerprint), documents
            except KnowledgeError:
                pass  # a cache written by other code, say: the YAML decides, and says what is wrong
        parsed = _parse_all(files)
        kb = _build(parsed, problems, location=location, fingerprint=fingerprint)
        return kb, {name: read for name, read in parsed.items() if not isinstance(read, Problem)}
    finally:
        if collecting:
            gc.enable()


def _parse_all(files: Sequence[tuple[str, str]]) -> dict[str, Parsed | Problem]:
    """Each file's document, or the problem (with its line) that stopped PyYAML reading it."""
    import yaml

    parsed: dict[str, Parsed | Problem] = {}
    for name, text in files:
        try:
            parsed[name] = _parse(text)
        except yaml.YAMLError as exc:
            parsed[name] = yaml_problem(name, exc)
    return parsed


def yaml_problem(name: str, error: yaml.YAMLError) -> Problem:
    """The problem of file `name` that PyYAML's `error` reports, with its line where it has one."""
    import yaml

    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        return Problem(name, None if mark is None else mark.line + 1, f"YAML error: {error.problem or error}")
    return Problem(name, None, f"YAML error: {one_line(error)}")


def parse_knowledge_texts(files: Sequence[tuple[str, str]]) -> KnowledgeBase:
    """Build a KnowledgeBase from in-memory (name, YAML text) pairs; for tests and tools."""
    return _build(_parse_all(files), [], location="<memory>", fingerprint="")


def _build(
    documents: Mapping[str, Parsed | Problem], problems: list[Problem], *, location: str, fingerprint: str
) -> KnowledgeBase:
    raw_sources: list[_Raw] = []
    raw_entries: list[_Raw] = []
    synonyms: dict[str, list[str]] = {}
    reports: list[_FileProblems] = []
    programme_block: tuple[_FileProblems, object] | None = None

    for name, read in documents.items():
        report = _FileProblems(name)
        reports.append(report)
        if isinstance(read, Problem):
            report.located.append(read)
            continue
        document, report.first_line = read
        report.document = document
        if document is None:
            report.add((), "file is empty")
            continue
        if not isinstance(document, YamlMap):
            report.add((), "top level must be a mapping with keys: entries, programme, sources, synonyms, topic")
            continue
        for key in document:
            if key not in FILE_KEYS:
                report.add((key,), f"unknown top-level key {key!r} (allowed: {', '.join(sorted(FILE_KEYS))})")
        topic = document.get("topic")
        if "topic" in document and not _is_text(topic):
            report.add(("topic",), "'topic' must be a non-empty string")
        if "sources" in document:
            _collect(document, "sources", "each source must be a mapping", report, {}, raw_sources)
        if "synonyms" in document:
            _read_synonyms(document["synonyms"], report, synonyms)
        if "programme" in document:
            if programme_block is None:
                programme_block = (report, document["programme"])
            else:
                report.add(("programme",), f"a second programme block (the first is in {programme_block[0].name})")
        if "entries" in document:
            if isinstance(document["entries"], list) and not _is_text(topic):
                report.add(("entries",), "a file with entries needs a 'topic' string")
            inherited = {"topic": topic if _is_text(topic) else "general"}
            _collect(document, "entries", "each entry must be a mapping", report, inherited, raw_entries)

    # Sources first: entries refer to them. Each record is its fields' values, then where it came from.
    programme = NEUTRAL
    if programme_block is not None:
        programme = _read_programme(*programme_block, synonyms)
        synonyms = _with_institution_aliases(programme, synonyms)
    # An entry's institution and call must be among those the programme declares (any, when it declares none).
    allowed = Allowed(
        kinds=ENTRY_KINDS,
        institutions=tuple(sorted(programme.institution_ids)) or None,
        calls=tuple(call.number for call in programme.calls) or None,
    )
    sources: dict[str, Source] = {}
    for values, raw in _read_records(raw_sources, schema.SOURCE_FIELDS, "source", _Context({}, frozenset(), allowed)):
        source = Source._make((*values, raw.report.name, raw.line))
        sources[source.id] = source
    entry_ids = frozenset(raw.item.get("id") for raw in raw_entries if isinstance(raw.item.get("id"), str))
    context = _Context(sources, entry_ids, allowed)
    entries = [
        Entry._make((*values, raw.report.name, raw.line, _question_lines(raw.item, values[_QUESTIONS])))
        for values, raw in _read_records(raw_entries, schema.ENTRY_FIELDS, "entry", context)
    ]
    if not raw_entries and not any(r.located or r.by_path for r in reports) and not problems:
        problems.append(Problem(location, None, "the knowledge base has no entries"))
    for report in reports:
        problems.extend(report.resolve())
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(
        entries=tuple(entries),
        sources=tuple(sources.values()),
        synonyms=tuple((canonical, tuple(variants)) for canonical, variants in synonyms.items()),
        location=location,
        fingerprint=fingerprint,
        programme=programme,
    )


def _read_programme(report: _FileProblems, block: object, synonyms: dict[str, list[str]]) -> Programme:
    """The programme block, validated; an institution with aliases must not also have synonyms."""
    programme = read_programme(block, lambda path, message: report.add(("programme", *path), message), url_problem)
    for index, institution in enumerate(programme.institutions):
        if institution.aliases and institution.id in synonyms:
            report.add(
                ("programme", "institutions", index, "aliases"),
                f"institution {institution.id!r} has aliases here and synonyms in another file: keep one list",
            )
    return programme


def _with_institution_aliases(programme: Programme, synonyms: dict[str, list[str]]) -> dict[str, list[str]]:
    """The synonym table with each institution's aliases read as its id ("Example Institute" -> "exi")."""
    aliases = {i.id: list(i.aliases) for i in programme.institutions if i.aliases and i.id not in synonyms}
    return {**aliases, **synonyms} if aliases else synonyms


class _Raw(NamedTuple):
    """One record (a mapping under `entries` or `sources`) as read, before validation."""

    report: _FileProblems
    path: YamlPath
    item: YamlMap
    line: int  # 1-based
    inherited: dict[str, object]  # the file's values that fields marked `inherited` take when absent


def _collect(
    document: YamlMap, key: str, not_mapping: str, report: _FileProblems, inherited: dict[str, object], into: list[_Raw]
) -> None:
    items = document[key]
    if not isinstance(items, YamlList):
        report.add((key,), f"'{key}' must be a list")
        return
    for index, item in enumerate(items):
        if isinstance(item, YamlMap):
            into.append(_Raw(report, (key, index), item, items.item_lines[index], inherited))
        else:
            report.add((key, index), not_mapping)


#: Where an entry's questions are among its fields' values.
_QUESTIONS = [field.name for field in schema.ENTRY_FIELDS].index("questions")


def _question_lines(item: YamlMap, read: object) -> tuple[int, ...]:
    """The line of each of an entry's questions; `read` is the questions as read (one per line of a block)."""
    questions = item["questions"]
    if isinstance(questions, YamlList):
        return tuple(questions.item_lines)
    if isinstance(questions, str):
        # A block starts on the line after its key ("questions: |-"); blank lines hold no question.
        first = item.key_lines["questions"] + 1
        if isinstance(read, tuple) and len(read) == questions.count("\n") + 1:
            return tuple(range(first, first + len(read)))  # no blank line: the usual case, and the quickest
        return tuple(compress(count(first), map(str.strip, questions.split("\n"))))
    return ()


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _read_synonyms(value: object, report: _FileProblems, into: dict[str, list[str]]) -> None:
    if not isinstance(value, dict):
        report.add(("synonyms",), "'synonyms' must map a canonical word to a list of variants")
        return
    for canonical, variants in value.items():
        if not _is_text(canonical) or " " in str(canonical).strip():
            report.add(("synonyms", canonical), f"canonical word {canonical!r} must be one word")
            continue
        if not isinstance(variants, list) or not all(_is_text(v) for v in variants):
            report.add(("synonyms", canonical), f"variants of {canonical!r} must be a list of strings")
            continue
        if canonical in into:
            report.add(("synonyms", canonical), f"synonym {canonical!r} is defined twice")
            continue
        into[str(canonical)] = [str(v) for v in variants]


def url_problem(url: str) -> str | None:
    """What is wrong with `url` as a source's address (None if nothing): the whole of it, not a prefix.

    An address is shown to users and may be opened by them: it must be one http(s) URL with
    a host, and hold no spaces, line breaks, control or bidirectional-formatting characters
    (which could hide a second address, or show one address while being another).
    """
    # str.isprintable() is False for every control, format (bidi), separator and unassigned
    # character except the ASCII space, which no URL holds either.
    if not url.isprintable() or " " in url:
        return "must not contain spaces, line breaks, control or formatting characters"
    # Read by hand rather than with urllib.parse, whose import (with ipaddress) would cost every
    # start a few per cent: scheme "://" [user@] host [:port] [/path | ?query | #fragment].
    scheme, separator, rest = url.partition("://")
    if not separator or scheme.lower() not in ("http", "https"):
        return "must start with http:// or https://"
    authority = rest
    for end in "/?#":
        authority = authority.partition(end)[0]
    host_port = authority.rpartition("@")[2]
    if host_port.startswith("["):  # an IPv6 address: [::1]:8080
        host, bracket, port = host_port[1:].partition("]")
        if not bracket or (port and not port.startswith(":")):
            return "is not a valid URL"
        port = port[1:]
    else:
        host, _, port = host_port.partition(":")
    if port and not (port.isdigit() and port.isascii() and int(port) <= 65535):
        return "is not a valid URL"
    if not host:
        return "has no host name"
    return None


class Allowed(NamedTuple):
    """The values that "choice" fields allow, by the name a Field's `choices` gives."""

    kinds: tuple[str, ...]
    #: None: the programme declares none, so any institution id (a string) is allowed
    institutions: tuple[str, ...] | None
    #: None: the programme declares none, so any call number (1, 2, ...) is allowed
    calls: tuple[int, ...] | None


#: What a choice allows when the programme declares no values for it, and how a wrong value is told so.
_ANY_CHOICE: dict[str, tuple[Callable[[object], bool], str]] = {
    "institutions": (lambda value: _is_text(value), "an institution id"),
    "calls": (lambda value: type(value) is int and value >= 1, "a call number (1, 2, ...)"),
}


class _Context(NamedTuple):
    """What validating a record needs beyond the record: the valid sources, every entry id, the choices."""

    sources: dict[str, Source]
    entry_ids: frozenset[object]
    allowed: Allowed


#: What a reader returns for a wrong value: the field's `invalid` message is then reported.
_WRONG = object()
#: What a reader returns when it has reported the problems itself (an unknown id in a list).
_REPORTED = object()
_ABSENT = object()


def _read_records(
    raw: list[_Raw], fields: tuple[Field, ...], what: str, context: _Context
) -> Iterator[tuple[list[Any], _Raw]]:
    """The values (one per field, in order) of each record that is valid, with the record.

    Every problem is reported: unknown and missing fields, wrong values, a value a `unique`
    field already had (naming both places).
    """
    names = frozenset(field.name for field in fields)
    readers = [(field, READERS[field.kind]) for field in fields]
    seen: dict[str, dict[object, tuple[str, int]]] = {field.name: {} for field in fields if field.unique}
    for record in raw:
        item, report, path = record.item, record.report, record.path
        ok = names.issuperset(item)
        if not ok:
            allowed = ", ".join(sorted(names))
            for key in item:
                if key not in names:
                    report.add((*path, key), f"unknown field {key!r} in {what} (allowed: {allowed})")
        values: list[Any] = []
        for field, reader in readers:
            value = item.get(field.name, _ABSENT)
            if value is _ABSENT:
                if field.inherited:
                    value = record.inherited[field.name]
                elif field.required:
                    report.add(path, f"{what} is missing the field {field.name!r}")
                    ok = False
                    continue
                else:
                    values.append(field.default)
                    continue
            read = reader(value, field, context, record)
            if read is _WRONG or read is _REPORTED:
                if read is _WRONG:
                    report.add((*path, field.name), _invalid(field, context))
                ok = False
                continue
            if field.unique:
                here = (report.name, record.line)
                first = seen[field.name].setdefault(read, here)
                if first != here:
                    places = " and ".join(f"{name}:{line}" for name, line in (first, here))
                    report.add((*path, field.name), f"duplicate {what} {field.name} {read!r}, defined at {places}")
                    ok = False
            values.append(read)
        if ok:
            yield values, record


def _invalid(field: Field, context: _Context) -> str:
    """What a wrong value of `field` is told: "'call' must be 1, 2 or 3"."""
    if not field.choices:
        return field.invalid
    allowed = getattr(context.allowed, field.choices)
    if allowed is None:
        return field.invalid.format(choices=_ANY_CHOICE[field.choices][1])
    shown = [str(value) for value in allowed]
    one_of = ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else "".join(shown) or "absent"
    return field.invalid.format(choices=one_of)


Reader = Callable[[object, Field, _Context, _Raw], Any]


def _read_label(value: object, field: Field, context: _Context, record: _Raw) -> object:
    return value if _is_text(value) else _WRONG


def _read_text(value: object, field: Field, context: _Context, record: _Raw) -> object:
    return value.strip() if isinstance(value, str) and value.strip() else _WRONG


def _read_url(value: object, field: Field, context: _Context, record: _Raw) -> object:
    if not _is_text(value):
        return _WRONG
    url = str(value).strip()
    wrong = url_problem(url)
    if wrong is None:
        return url
    record.report.add((*record.path, field.name), f"source url {url!r} {wrong}")
    return _REPORTED


def _read_flag(value: object, field: Field, context: _Context, record: _Raw) -> object:
    return value if isinstance(value, bool) else _WRONG


def _read_choice(value: object, field: Field, context: _Context, record: _Raw) -> object:
    if value is None and field.default is None:
        return None
    allowed = getattr(context.allowed, field.choices)
    if allowed is None:
        return value if _ANY_CHOICE[field.choices][0](value) else _WRONG
    # `True` equals 1 in Python, but `call: true` is no call: the type must match too.
    return value if any(type(value) is type(choice) and value == choice for choice in allowed) else _WRONG


def _string_list(value: object, *, allow_numbers: bool = False) -> tuple[str, ...] | None:
    """The list's strings, stripped; None unless `value` is a list of non-empty strings (or numbers)."""
    if not isinstance(value, list):
        return None
    strings = []
    for v in value:
        if isinstance(v, str):
            v = v.strip()
            if not v:
                return None
        elif not (allow_numbers and isinstance(v, (int, float)) and not isinstance(v, bool)):
            return None
        strings.append(str(v))
    return tuple(strings)


def _block_lines(value: str) -> tuple[str, ...] | object:
    """A block, one string per line ("questions: |-", "keywords: |-"): one YAML scalar instead of one
    per line, which makes a large knowledge base markedly quicker to parse at every start."""
    return tuple(filter(None, map(str.strip, value.split("\n")))) or _WRONG


def _read_texts(value: object, field: Field, context: _Context, record: _Raw) -> object:
    if isinstance(value, str):
        return _block_lines(value)
    return _string_list(value) or _WRONG


def _read_words(value: object, field: Field, context: _Context, record: _Raw) -> object:
    if isinstance(value, str):
        return _block_lines(value)
    # YAML reads `2017` or `6.3` as numbers; as keywords they are just words.
    words = _string_list(value, allow_numbers=True)
    return _WRONG if words is None else words


def _read_ids(
    value: object, field: Field, record: _Raw, known: Container[object], unknown: str, *, empty_ok: bool
) -> tuple[str, ...] | object:
    ids = _string_list(value)
    if ids is None or not (ids or empty_ok):
        return _WRONG
    missing = [(position, other) for position, other in enumerate(ids) if other not in known]
    for position, other in missing:
        record.report.add((*record.path, field.name, position), f"unknown {unknown} {other!r}")
    return _REPORTED if missing else ids


def _read_source_ids(value: object, field: Field, context: _Context, record: _Raw) -> object:
    ids = _read_ids(value, field, record, context.sources, "source id", empty_ok=False)
    return tuple(context.sources[i] for i in ids) if isinstance(ids, tuple) else ids


def _read_entry_ids(value: object, field: Field, context: _Context, record: _Raw) -> object:
    return _read_ids(value, field, record, context.entry_ids, "related entry", empty_ok=True)


#: How each kind of field (schema.Field.kind) is read: the value, or _WRONG, or _REPORTED.
READERS: dict[str, Reader] = {
    "label": _read_label,
    "text": _read_text,
    "url": _read_url,
    "flag": _read_flag,
    "choice": _read_choice,
    "texts": _read_texts,
    "words": _read_words,
    "source_ids": _read_source_ids,
    "entry_ids": _read_entry_ids,
}
