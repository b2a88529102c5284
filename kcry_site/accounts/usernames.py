"""Usernames a reader cannot tell apart: one skeleton for all of them.

`skeleton(name)` folds together the names that look the same on a page:

- compatibility forms and case (NFKC, then full case folding: `ÄLICE` → `älice`,
  `ＡＬＩＣＥ` → `alice`);
- Unicode confusables (UTS #39, from the data of the confusable_homoglyphs package):
  Cyrillic `а` → `a`, `m` → `rn`, `1` and `|` → `l`. Capital letters that look like
  another lower-case letter once folded (`I` like `l`, `O` like `0`) join those classes
  too, so `aIice` and `alice` meet;
- punctuation at either end (`bob.`, `_bob_` → `bob`).

The member model stores the skeleton in a unique column (User.username_skeleton), so two
look-alike names cannot both be taken, even by sign-ups at the same instant, and the
reserved names (KCRY_RESERVED_USERNAMES) are compared by skeleton as well.
"""

import functools
import hashlib
import string
import unicodedata

from confusable_homoglyphs.confusables import confusables_data
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 600
LOOKALIKE_MESSAGE = _(
    "This username looks the same as one that is already taken. Please choose one that "
    "readers can tell apart."
)
RESERVED_MESSAGE = _("This username is kept for the site itself. Please choose another.")

_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f")


def _preference(node):
    """Which member of a class stands for it: UTS #39's multi-letter prototypes first
    (`rn` for `m`), then a lower-case ASCII letter, a digit, anything ASCII, the rest."""
    if len(node) > 1:
        return (0, len(node), node)
    if node in string.ascii_lowercase:
        return (1, 0, node)
    if node in string.digits:
        return (2, 0, node)
    if node.isascii():
        return (3, 0, node)
    return (4, 0, node)


@functools.cache
def _table():
    """Each confusable character → the prototype of its class."""
    parent = {}

    def find(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(one, other):
        parent[find(one)] = find(other)

    for char, homoglyphs in confusables_data.items():
        char = char.translate(_DIRECTION_MARKS)
        for homoglyph in homoglyphs:
            union(char, homoglyph["c"].translate(_DIRECTION_MARKS))
    for upper in string.ascii_uppercase:
        union(upper, upper.lower())
    classes = {}
    for node in parent:
        classes.setdefault(find(node), []).append(node)
    table = {}
    for members in classes.values():
        prototype = min(members, key=_preference)
        for node in members:
            if len(node) == 1 and node != prototype:
                table[node] = prototype
    return table


def _fold(text):
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _strip_ends(text):
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start])[0] not in "LN":
        start += 1
    while end > start and unicodedata.category(text[end - 1])[0] not in "LNM":
        end -= 1
    return text[start:end]


def skeleton(name):
    """The form shared by every username that reads the same as `name`."""
    table = _table()
    text = _fold(name)
    for _round in range(4):
        mapped = "".join(table.get(char, char) for char in unicodedata.normalize("NFD", text))
        mapped = _fold(mapped)
        if mapped == text:
            break
        text = mapped
    text = _strip_ends(text) or text
    if len(text) > MAX_LENGTH:
        text = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    return text


def is_reserved(name):
    wanted = skeleton(name)
    return any(skeleton(reserved) == wanted for reserved in settings.KCRY_RESERVED_USERNAMES)
