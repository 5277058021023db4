"""JSON that remembers where each object and each key was written, for messages naming a line.

The standard library's pure-Python scanner is used with one change: objects become
``Located`` dicts that know the line and column of their opening brace and of every key.
A key written twice is an error (the standard parser silently keeps the last one).
"""

from __future__ import annotations

import json
from json import decoder, scanner

_WHITESPACE = decoder.WHITESPACE.match


def position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of character ``index`` of ``text``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


class Located(dict):
    """A JSON object, with ``where`` (line, column) of its brace and ``keys_at[key]``."""

    where: tuple[int, int] = (0, 0)
    keys_at: dict[str, tuple[int, int]]

    def line_of(self, key: str | None = None) -> int:
        """The line of ``key`` if it was written, else of the object itself."""
        return self.keys_at.get(key, self.where)[0] if key is not None else self.where[0]


def _skip(text: str, index: int) -> int:
    return _WHITESPACE(text, index).end()


def _parse_object(text_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
    """json.decoder.JSONObject's grammar, recording positions in a Located dict."""
    text, end = text_and_end
    found = Located()
    found.where = position(text, end - 1)
    found.keys_at = {}
    end = _skip(text, end)
    if text[end:end + 1] == "}":
        return found, end + 1
    while True:
        if text[end:end + 1] != '"':
            raise json.JSONDecodeError("expecting a field name in double quotes", text, end)
        key_at = end
        key, end = decoder.scanstring(text, end + 1, strict)
        if key in found:
            raise json.JSONDecodeError(f"the field '{key}' is written twice", text, key_at)
        end = _skip(text, end)
        if text[end:end + 1] != ":":
            raise json.JSONDecodeError("expecting ':' after the field name", text, end)
        end = _skip(text, end + 1)
        try:
            value, end = scan_once(text, end)
        except StopIteration as error:
            raise json.JSONDecodeError("expecting a value", text, error.value) from None
        found[key] = value
        found.keys_at[key] = position(text, key_at)
        end = _skip(text, end)
        separator = text[end:end + 1]
        end += 1
        if separator == "}":
            return found, end
        if separator != ",":
            raise json.JSONDecodeError("expecting ',' or '}' after a value", text, end - 1)
        end = _skip(text, end)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def loads(text: str):
    """Parse ``text`` like json.loads, objects as Located dicts; NaN and Infinity refused.

    Raises json.JSONDecodeError (with lineno and colno) or ValueError for NaN/Infinity.
    """
    parser = json.JSONDecoder(parse_constant=_refuse_constant)
    parser.parse_object = _parse_object
    parser.scan_once = scanner.py_make_scanner(parser)
    return parser.decode(text)
