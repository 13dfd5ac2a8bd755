"""The values a knowledge file reads as, and their plain-JSON form for the index cache.

A knowledge file reads as text, numbers, booleans, null, dates, and lists and mappings
that know the lines they came from (YamlList, YamlMap: problems are reported with their
line). `advisor index` stores each file's value in the index cache in the form `encode`
gives, so that a start with a current cache reads JSON instead of importing PyYAML and
parsing every file: a third of a one-question run. `decode` turns it back into exactly
the value the YAML gives (tests/test_index_cache.py compares them), and refuses anything
`encode` cannot have written.

The JSON form: text, finite numbers, booleans and null as themselves; everything else a
tagged list (so an untagged list never occurs):

    ["m", line, [key, ...], [key line, ...], [value, ...]]   a mapping
    ["l", line, [item line, ...], [item, ...]]                 a list
    ["d", "2018-10-31"]   a date        ["t", "2018-10-31T12:00:00"]   a date and time
    ["f", "inf"]          a number JSON cannot hold (inf, -inf, nan)
"""

from __future__ import annotations

import datetime
import math

#: Deeper nesting than this is no knowledge file (ours nest four levels).
MAX_NESTING = 32


class YamlMap(dict[object, object]):
    """A mapping read from a knowledge file, with the line it starts on and the line of each key."""

    __slots__ = ("key_lines", "line")
    line: int
    key_lines: dict[object, int]


class YamlList(list[object]):
    """A list read from a knowledge file, with the line it starts on and the line of each item."""

    __slots__ = ("item_lines", "line")
    line: int
    item_lines: list[int]


class NotEncodable(ValueError):
    """A value of a kind that a knowledge file cannot read as."""


class NotDecodable(ValueError):
    """JSON that `encode` cannot have written: a damaged or hand-made cache."""


def encode(value: object) -> object:
    """`value` (as a knowledge file reads) in plain JSON values; raises NotEncodable for anything else."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value
    if kind is float:
        number: float = value  # type: ignore[assignment]  # tested just above
        return number if math.isfinite(number) else ["f", repr(number)]
    if kind is YamlMap:
        mapping: YamlMap = value  # type: ignore[assignment]
        keys = list(mapping)
        return ["m", mapping.line, [encode(k) for k in keys], [mapping.key_lines[k] for k in keys],
                [encode(v) for v in mapping.values()]]  # fmt: skip
    if kind is YamlList:
        items: YamlList = value  # type: ignore[assignment]
        return ["l", items.line, list(items.item_lines), [encode(v) for v in items]]
    if kind is datetime.datetime:
        return ["t", value.isoformat()]  # type: ignore[attr-defined]
    if kind is datetime.date:
        return ["d", value.isoformat()]  # type: ignore[attr-defined]
    raise NotEncodable(f"a knowledge file cannot read as a {kind.__name__}")


def decode(data: object, depth: int = 0) -> object:
    """The value `encode` turned into `data`; raises NotDecodable for anything `encode` cannot give."""
    kind = type(data)
    if kind is str or kind is bool or kind is int or kind is float or data is None:
        return data
    if kind is not list or not data:
        raise NotDecodable(f"not an encoded value: {kind.__name__}")
    tagged: list[object] = data  # type: ignore[assignment]  # tested just above
    if depth >= MAX_NESTING:
        raise NotDecodable(f"nested more than {MAX_NESTING} levels deep")
    tag = tagged[0]
    if tag == "m" and len(tagged) == 5:
        return _mapping(tagged, depth + 1)
    if tag == "l" and len(tagged) == 4:
        return _sequence(tagged, depth + 1)
    if len(tagged) == 2 and type(tagged[1]) is str:
        text: str = tagged[1]
        try:
            if tag == "d":
                return datetime.date.fromisoformat(text)
            if tag == "t":
                return datetime.datetime.fromisoformat(text)
            if tag == "f" and text in ("inf", "-inf", "nan"):
                return float(text)
        except ValueError:
            pass
    raise NotDecodable(f"not an encoded value: a list tagged {tag!r}")


def _lines(value: object, count: int) -> list[int]:
    if type(value) is not list or len(value) != count or not all(type(n) is int and n > 0 for n in value):
        raise NotDecodable("line numbers that do not fit the values")
    return value


def _mapping(data: list[object], depth: int) -> YamlMap:
    _, line, keys, key_lines, values = data
    if type(keys) is not list or type(values) is not list or len(keys) != len(values):
        raise NotDecodable("a mapping's keys do not fit its values")
    result = YamlMap()
    result.line = _lines([line], 1)[0]
    decoded_keys = [k if type(k) is str else decode(k, depth) for k in keys]
    if any(type(k) in (YamlMap, YamlList) for k in decoded_keys) or len(set(decoded_keys)) != len(keys):
        raise NotDecodable("a mapping's keys are not distinct text, numbers or dates")
    result.key_lines = dict(zip(decoded_keys, _lines(key_lines, len(keys)), strict=True))
    result.update(zip(decoded_keys, [v if type(v) is str else decode(v, depth) for v in values], strict=True))
    return result


def _sequence(data: list[object], depth: int) -> YamlList:
    _, line, item_lines, items = data
    if type(items) is not list:
        raise NotDecodable("a list's items are not a list")
    result = YamlList(v if type(v) is str else decode(v, depth) for v in items)
    result.line = _lines([line], 1)[0]
    result.item_lines = _lines(item_lines, len(items))
    return result
