"""Locate, read and validate a knowledge folder of YAML files into a KnowledgeBase.

Every file is read with PyYAML's safe loader (the C one when present). All
problems in all files are collected before anything is raised, each with its
file and line, so that a curator sees the whole list at once.
"""

from __future__ import annotations

import gc
import os
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import KnowledgeError, KnowledgeNotFoundError, Problem
from .models import Entry, EntryKind, KnowledgeBase, Source
from .programme import NEUTRAL, Programme, read_programme
from .safe_files import RefusedFileError, describe_size, read_regular_file

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
    than composing a node tree first: this runs on every start.
    """
    import yaml

    loader: Any = safe_loader()(text)  # PyYAML's parser methods are untyped
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # document start
        builder = _Builder(loader)
        value = builder.build(loader.get_event(), 0)
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            found = loader.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", None, "but found another document", found.start_mark
            )
        return value
    finally:
        loader.dispose()


#: Deeper nesting than this is no knowledge file (ours nest four levels).
MAX_NESTING = 32
_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = _TAG + "str", _TAG + "seq", _TAG + "map", _TAG + "merge"


class _Builder:
    """Python values from a parser's events: text, numbers, booleans, dates, lists and mappings.

    Written for speed (it sees every scalar of every file at every start): one type test per
    event, and plain scalars resolved as PyYAML's resolver would, without a call per scalar.
    """

    def __init__(self, loader: Any) -> None:
        import yaml

        self.yaml = yaml
        self.loader = loader
        self.anchors: dict[str, int] = {}
        self.implicit: dict[str | None, list[tuple[str, Any]]] = loader.yaml_implicit_resolvers
        self.wildcard = self.implicit.get(None, [])

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
            items = []
            get_event, end = self.loader.get_event, yaml.SequenceEndEvent
            while type(item := get_event()) is not end:
                items.append(self.build(item, depth + 1))
            return items
        if kind is yaml.MappingStartEvent:
            self.check_collection(event, _MAP, depth)
            return self.mapping(depth)
        if kind is yaml.AliasEvent:
            anchored = self.anchors.get(event.anchor)
            where = f" anchored at line {anchored}" if anchored else ""
            raise self.error(
                f"an alias repeats the value{where}: aliases are not allowed in knowledge files (write the value out)",
                event.start_mark,
            )
        raise self.error(f"unexpected {kind.__name__}", event.start_mark)

    def mapping(self, depth: int) -> dict[object, object]:
        result: dict[object, object] = {}
        lines: dict[object, int] = {}
        get_event, end, scalar = self.loader.get_event, self.yaml.MappingEndEvent, self.yaml.ScalarEvent
        while type(event := get_event()) is not end:
            mark = event.start_mark
            if type(event) is not scalar:
                if type(event) is self.yaml.AliasEvent:
                    self.build(event, depth + 1)  # raises the alias error
                raise self.error("a key must be text or a number", mark)
            key = self.build(event, depth + 1)
            if key in result:
                raise self.error(f"duplicate key {key!r} (first at line {lines[key]})", mark)
            lines[key] = mark.line + 1
            result[key] = self.build(get_event(), depth + 1)
        return result

    def scalar(self, event: Any) -> object:
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            tag = _STR
            if event.implicit[0]:  # a plain scalar: `12`, `true`, `~`, `2017-01-31` are not text
                for candidate, pattern in self.implicit.get(value[:1], []) + self.wildcard:
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
SOURCE_REQUIRED = ("id", "title", "url", "publisher", "describes")
SOURCE_KEYS = frozenset({*SOURCE_REQUIRED, "third_party"})
ENTRY_REQUIRED = ("id", "questions", "answer", "sources")
ENTRY_KEYS = frozenset({*ENTRY_REQUIRED, "keywords", "related", "kind", "institution", "call", "topic"})
ENTRY_KINDS: tuple[EntryKind, ...] = ("answer", "gap")
#: The eligibility rules (advisor.eligibility_rules reads them, when a question needs them): not a file
#: of entries, but part of the folder's fingerprint, so that the index cache notices an edit.
ELIGIBILITY_RULES_FILE = "eligibility-rules.yaml"

YamlPath = tuple[str | int, ...]


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
    """Problems of one file, kept by YAML path until we look up their lines."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.located: list[Problem] = []
        self.by_path: list[tuple[YamlPath, str]] = []

    def add(self, path: YamlPath, message: str) -> None:
        self.by_path.append((path, message))

    def resolve(self) -> list[Problem]:
        if not self.by_path:
            return list(self.located)
        import yaml

        root = None
        try:
            # compose() builds nodes only (no objects), so it is as safe as safe_load.
            root = yaml.compose(self.text, Loader=safe_loader())
        except yaml.YAMLError:
            root = None
        problems = list(self.located)
        for path, message in self.by_path:
            problems.append(Problem(self.name, _line_of(root, path), message))
        return problems


def _line_of(root: yaml.Node | None, path: YamlPath) -> int | None:
    """1-based line of the node at `path`, or of its nearest existing parent."""
    import yaml

    node = root
    line = None if node is None else node.start_mark.line + 1
    for step in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if getattr(key, "value", None) == step:
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
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


def load_knowledge(folder: str | os.PathLike[str] | Traversable | None = None) -> KnowledgeBase:
    """Load and validate a knowledge folder.

    Args:
        folder: a folder of YAML files; the bundled knowledge base when omitted.

    Returns:
        The validated KnowledgeBase.

    Raises:
        KnowledgeNotFoundError: the folder does not exist or holds no YAML file.
        KnowledgeError: one or more problems, each naming its file and line.

    >>> kb = load_knowledge()
    >>> len(kb.entries) > 0
    True
    """
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
    # Parsing makes many small objects and no cycles: the cyclic collector would only walk them
    # again and again (a tenth of the load time), so it waits until the knowledge base is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(files, problems, location=location, fingerprint=digest.hexdigest())
    finally:
        if collecting:
            gc.enable()


def parse_knowledge_texts(files: Sequence[tuple[str, str]]) -> KnowledgeBase:
    """Build a KnowledgeBase from in-memory (name, YAML text) pairs; for tests and tools."""
    return _build(list(files), [], location="<memory>", fingerprint="")


def _build(files: list[tuple[str, str]], problems: list[Problem], *, location: str, fingerprint: str) -> KnowledgeBase:
    import yaml

    raw_sources: list[tuple[_FileProblems, int, dict[str, Any]]] = []
    raw_entries: list[tuple[_FileProblems, int, dict[str, Any], str]] = []
    synonyms: dict[str, list[str]] = {}
    reports: list[_FileProblems] = []
    programme_block: tuple[_FileProblems, object] | None = None

    for name, text in files:
        report = _FileProblems(name, text)
        reports.append(report)
        try:
            document = load_document(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = None if mark is None else mark.line + 1
            report.located.append(Problem(name, line, f"YAML error: {exc.problem or exc}"))
            continue
        except yaml.YAMLError as exc:
            report.located.append(Problem(name, None, f"YAML error: {one_line(exc)}"))
            continue
        if document is None:
            report.add((), "file is empty")
            continue
        if not isinstance(document, dict):
            report.add((), "top level must be a mapping with keys: entries, programme, sources, synonyms, topic")
            continue
        for key in document:
            if key not in FILE_KEYS:
                report.add((key,), f"unknown top-level key {key!r} (allowed: {', '.join(sorted(FILE_KEYS))})")
        topic = document.get("topic")
        if "topic" in document and not _is_text(topic):
            report.add(("topic",), "'topic' must be a non-empty string")
        if "sources" in document:
            items = document["sources"]
            if not isinstance(items, list):
                report.add(("sources",), "'sources' must be a list")
            else:
                for index, item in enumerate(items):
                    if isinstance(item, dict):
                        raw_sources.append((report, index, item))
                    else:
                        report.add(("sources", index), "each source must be a mapping")
        if "synonyms" in document:
            _read_synonyms(document["synonyms"], report, synonyms)
        if "programme" in document:
            if programme_block is None:
                programme_block = (report, document["programme"])
            else:
                report.add(("programme",), f"a second programme block (the first is in {programme_block[0].name})")
        if "entries" in document:
            items = document["entries"]
            if not isinstance(items, list):
                report.add(("entries",), "'entries' must be a list")
            else:
                if not _is_text(topic):
                    report.add(("entries",), "a file with entries needs a 'topic' string")
                for index, item in enumerate(items):
                    if isinstance(item, dict):
                        raw_entries.append((report, index, item, str(topic) if _is_text(topic) else "general"))
                    else:
                        report.add(("entries", index), "each entry must be a mapping")

    programme = NEUTRAL
    if programme_block is not None:
        programme = _read_programme(*programme_block, synonyms)
        synonyms = _with_institution_aliases(programme, synonyms)
    sources = _validate_sources(raw_sources)
    entries = _validate_entries(raw_entries, sources, programme)
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


def _one_of(choices: list[str]) -> str:
    """ "1, 2 or 3" """
    return choices[0] if len(choices) == 1 else f"{', '.join(choices[:-1])} or {choices[-1]}"


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


def _check_keys(
    item: dict[str, Any],
    report: _FileProblems,
    path: YamlPath,
    allowed: frozenset[str],
    required: Sequence[str],
    what: str,
) -> bool:
    ok = True
    for key in item:
        if key not in allowed:
            report.add((*path, key), f"unknown field {key!r} in {what} (allowed: {', '.join(sorted(allowed))})")
            ok = False
    for key in required:
        if key not in item:
            report.add(path, f"{what} is missing the field {key!r}")
            ok = False
    return ok


def _validate_sources(raw: list[tuple[_FileProblems, int, dict[str, Any]]]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for report, index, item in raw:
        path: YamlPath = ("sources", index)
        ok = _check_keys(item, report, path, SOURCE_KEYS, SOURCE_REQUIRED, "source")
        for key in SOURCE_REQUIRED:
            if key in item and not _is_text(item[key]):
                report.add((*path, key), f"source field {key!r} must be a non-empty string")
                ok = False
        if "third_party" in item and not isinstance(item["third_party"], bool):
            report.add((*path, "third_party"), "'third_party' must be true or false")
            ok = False
        if not ok:
            continue
        source_id = item["id"]
        if source_id in sources:
            report.add((*path, "id"), f"duplicate source id {source_id!r}")
            continue
        url = item["url"].strip()
        wrong = url_problem(url)
        if wrong is not None:
            report.add((*path, "url"), f"source url {url!r} {wrong}")
            continue
        sources[source_id] = Source(
            id=source_id,
            title=item["title"].strip(),
            url=url,
            publisher=item["publisher"].strip(),
            describes=str(item["describes"]).strip(),
            third_party=bool(item.get("third_party", False)),
        )
    return sources


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


def _string_list(value: object, *, allow_numbers: bool = False) -> list[str] | None:
    def ok(v: object) -> bool:
        number = allow_numbers and isinstance(v, (int, float)) and not isinstance(v, bool)
        return number or _is_text(v)

    if isinstance(value, list) and all(ok(v) for v in value):
        return [str(v).strip() for v in value]
    return None


def _validate_entries(
    raw: list[tuple[_FileProblems, int, dict[str, Any], str]], sources: dict[str, Source], programme: Programme
) -> list[Entry]:
    """The valid entries; `institution` and `call` must be among those the programme declares (any
    institution id and call number, when it declares none)."""
    institutions = sorted(programme.institution_ids)
    calls = [call.number for call in programme.calls]
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    all_ids = {item.get("id") for _, _, item, _ in raw if isinstance(item.get("id"), str)}
    for report, index, item, topic in raw:
        path: YamlPath = ("entries", index)
        ok = _check_keys(item, report, path, ENTRY_KEYS, ENTRY_REQUIRED, "entry")
        entry_id = item.get("id")
        if "id" in item and not _is_text(entry_id):
            report.add((*path, "id"), "entry 'id' must be a non-empty string")
            ok = False
        elif isinstance(entry_id, str) and entry_id in seen:
            report.add((*path, "id"), f"duplicate entry id {entry_id!r} (first defined in {seen[entry_id]})")
            ok = False
        elif isinstance(entry_id, str):
            seen[entry_id] = report.name
        questions = _string_list(item.get("questions"))
        if "questions" in item and not questions:
            report.add((*path, "questions"), "'questions' must be a non-empty list of strings")
            ok = False
        if "answer" in item and not _is_text(item["answer"]):
            report.add((*path, "answer"), "'answer' must be a non-empty string")
            ok = False
        source_ids = _string_list(item.get("sources"))
        if "sources" in item:
            if not source_ids:
                report.add((*path, "sources"), "an entry needs at least one source id")
                ok = False
            else:
                for position, source_id in enumerate(source_ids):
                    if source_id not in sources:
                        report.add((*path, "sources", position), f"unknown source id {source_id!r}")
                        ok = False
        # YAML reads `2017` or `6.3` as numbers; as keywords they are just words.
        keywords = _string_list(item.get("keywords", []), allow_numbers=True)
        if keywords is None:
            report.add((*path, "keywords"), "'keywords' must be a list of strings")
            ok = False
        related = _string_list(item.get("related", []))
        if related is None:
            report.add((*path, "related"), "'related' must be a list of entry ids")
            ok = False
        else:
            for position, other in enumerate(related):
                if other not in all_ids:
                    report.add((*path, "related", position), f"unknown related entry {other!r}")
                    ok = False
        kind = item.get("kind", "answer")
        if kind not in ENTRY_KINDS:
            report.add((*path, "kind"), f"'kind' must be one of {', '.join(ENTRY_KINDS)}")
            ok = False
        institution = item.get("institution")
        if institution is not None and (
            not _is_text(institution) or (institutions and institution not in institutions)
        ):
            allowed = f"one of {', '.join(institutions)}" if institutions else "an institution id"
            report.add((*path, "institution"), f"'institution' must be {allowed} (see the programme's institutions)")
            ok = False
        call = item.get("call")
        if call is not None and (
            isinstance(call, bool) or not isinstance(call, int) or call < 1 or (calls and call not in calls)
        ):
            allowed = _one_of([str(c) for c in calls]) if calls else "a call number (1, 2, ...)"
            report.add((*path, "call"), f"'call' must be {allowed} (see the programme's calls)")
            ok = False
        entry_topic = item.get("topic", topic)
        if not _is_text(entry_topic):
            report.add((*path, "topic"), "'topic' must be a non-empty string")
            ok = False
        if not ok or questions is None or source_ids is None:
            continue
        entries.append(
            Entry(
                id=str(entry_id),
                topic=str(entry_topic),
                questions=tuple(questions),
                answer=str(item["answer"]).strip(),
                sources=tuple(sources[s] for s in source_ids),
                keywords=tuple(keywords or ()),
                related=tuple(related or ()),
                kind=kind,
                institution=institution,
                call=call,
                file=report.name,
                line=None,
            )
        )
    return entries
