"""The JSON form of what knowledge files read as (the index cache's documents): exact both ways, strict on input."""

from __future__ import annotations

import datetime
import json
import math

import pytest

from advisor.knowledge import load_document
from advisor.yaml_values import MAX_NESTING, NotDecodable, NotEncodable, YamlList, YamlMap, decode, encode

EVERY_KIND = """\
text: plain words
quoted: "12"
block: |-
  one
  two
number: 12
negative: -3
real: 2.5
infinite: .inf
minus_infinite: -.inf
not_a_number: .nan
yes: true
nothing: ~
day: 2018-10-31
moment: 2018-10-31 12:30:00
zoned: 2018-10-31T12:30:00+01:00
2017: a number as a key
2018-01-10: a date as a key
list: [1, "two", [3, {four: 4}], {}, []]
nested:
  - id: a
    questions: [What?, Why?]
"""


def _through_json(value: object) -> object:
    return decode(json.loads(json.dumps(encode(value), allow_nan=False)))


def _same(left: object, right: object) -> bool:
    """Equal, of the same types, with the same lines, all the way down (nan equal to nan)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, YamlMap) and isinstance(right, YamlMap):
        return (left.line, left.key_lines, list(left)) == (right.line, right.key_lines, list(right)) and all(
            _same(left[k], right[k]) for k in left
        )
    if isinstance(left, YamlList) and isinstance(right, YamlList):
        same_items = len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
        return (left.line, left.item_lines) == (right.line, right.item_lines) and same_items
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    return left == right


def test_every_kind_of_value_comes_back_exactly() -> None:
    document = load_document(EVERY_KIND)
    assert isinstance(document, YamlMap)
    assert type(document["moment"]) is datetime.datetime and type(document["day"]) is datetime.date
    assert _same(_through_json(document), document)


def test_the_shipped_files_come_back_exactly() -> None:
    from advisor.knowledge import default_knowledge_dir, iter_yaml_files

    for _, file in iter_yaml_files(default_knowledge_dir()):
        document = load_document(file.read_text(encoding="utf-8"))
        assert _same(_through_json(document), document)


def test_what_no_knowledge_file_reads_as_is_not_encoded() -> None:
    for value in (b"bytes", {1, 2}, {"a plain": "dict"}, ["a plain list"], (1, 2), object()):
        with pytest.raises(NotEncodable):
            encode(value)


@pytest.mark.parametrize(
    "data",
    [
        [],
        ["x"],
        ["m", 1, ["a"], [1], []],  # a key without a value
        ["m", 1, ["a", "a"], [1, 2], ["x", "y"]],  # a key twice
        ["m", 1, [["l", 1, [], []]], [1], ["x"]],  # a list as a key
        ["m", 0, ["a"], [1], ["x"]],  # line 0
        ["m", 1, ["a"], ["1"], ["x"]],  # a line as text
        ["m", "1", ["a"], [1], ["x"]],
        ["l", 1, [1, 2], ["only one"]],
        ["l", 1, [True], ["x"]],  # a boolean is no line number
        ["l", 1, [1], "x"],
        ["d", "2018-13-45"],
        ["d", 20181031],
        ["f", "1e999"],
        ["f", "12"],
        ["s", "an unknown tag"],
        {"a": "mapping"},
    ],
)
def test_json_that_encode_cannot_have_written_is_refused(data: object) -> None:
    with pytest.raises(NotDecodable):
        decode(data)


def test_nesting_is_bounded() -> None:
    data: object = "leaf"
    for _ in range(MAX_NESTING + 1):
        data = ["l", 1, [1], [data]]
    with pytest.raises(NotDecodable, match="nested"):
        decode(data)
