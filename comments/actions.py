"""The viewer's own bits of a comment: its action links and the "me too" form.

A thread page's comment list is the same for everyone who reads like the viewer (staff or
not) but for one strip in each comment's footer: the "me too" form (the viewer's CSRF
token, their pressed state, the page to come back to), Reply, Edit (only their own
comment, within the edit window), Delete (their own) or Flag (someone else's). So the list
is rendered once and kept (comments.selectors.thread_panel) with a placeholder where each
strip goes,

    <!--kcry-actions:PK:AUTHOR_PK:PUBLIC:EDIT_DEADLINE-->

(AUTHOR_PK 0 for a departed author, PUBLIC 1 or 0, EDIT_DEADLINE a POSIX timestamp), and
each request fills the placeholders with `Actions.strip`: plain string formatting, with
the URLs, labels and token worked out once per request, not once per comment. Escaped
user text never contains "<!--", so no comment can forge a placeholder.

The replies page, which is not cached, renders the same strips directly through the
{% comment_actions %} tag, so there is one source of this markup.
"""

import re
from urllib.parse import quote

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from .services import edit_deadline

SLOT = re.compile(r"<!--kcry-actions:(\d+):(\d+):([01]):([0-9.]+)-->")
# Stands for the comment's pk while the per-request URL patterns are made.
_PK = 987654321


def placeholder(comment):
    """The placeholder standing for `comment`'s strip in a shared rendering."""
    return (
        f"<!--kcry-actions:{comment.pk}:{comment.author_id or 0}:"
        f"{int(comment.is_public)}:{edit_deadline(comment).timestamp()!r}-->"
    )


def split(html):
    """Shared HTML as [text, slot, text, slot, …, text] (slots as tuples of strings), so
    that filling it is a join."""
    parts = SLOT.split(html)
    # re.split puts the four groups of each slot after the text before it.
    out = []
    for index in range(0, len(parts) - 1, 5):
        out.append(parts[index])
        out.append(":".join(parts[index + 1 : index + 5]))
    out.append(parts[-1])
    return out


def slot_pks(pieces):
    return [int(pieces[index].split(":", 1)[0]) for index in range(1, len(pieces), 2)]


def _pattern(name):
    prefix, suffix = reverse(name, args=[_PK]).split(str(_PK))
    return escape(prefix), escape(suffix)


class Actions:
    """The viewer's strips for one request.

    `here` is the page to come back to after a "me too" or a flag; `marked` the pks of
    the comments the viewer marked "me too" (comments.threads.viewer_marks)."""

    def __init__(self, request, here, marked):
        user = request.user
        self.member_pk = user.pk if user.is_authenticated else None
        self.marked = marked
        self.now = timezone.now().timestamp()
        self.urls = {
            name: _pattern(f"comments:{name}")
            for name in ("metoo", "reply", "edit", "delete", "flag")
        }
        self.reply = escape(gettext("Reply"))
        self.edit = escape(gettext("Edit"))
        self.delete = escape(gettext("Delete"))
        self.flag = escape(gettext("Flag"))
        self.flag_next = escape("?next=" + quote(here, safe="/"))
        if self.member_pk is not None:
            token = escape(get_token(request))
            self.metoo_start = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            self.metoo_next = f'<input type="hidden" name="next" value="{escape(here)}">'
            self.metoo_pressed = escape(gettext("Me too ✓ (take back)"))
            self.metoo_press = escape(gettext("Me too, I cried"))

    def url(self, name, pk):
        prefix, suffix = self.urls[name]
        return f"{prefix}{pk}{suffix}"

    def strip(self, pk, author_pk, is_public, deadline, marked=None):
        """The HTML of one comment's strip (`marked` None: look it up in self.marked)."""
        mine = self.member_pk is not None and author_pk == self.member_pk
        out = []
        if self.member_pk is not None and not mine and is_public:
            if marked is None:
                marked = pk in self.marked
            out.append(
                f'<form class="inline-form" method="post" action="{self.url("metoo", pk)}">'
                f"{self.metoo_start}"
                f'<input type="hidden" name="mark" value="{"0" if marked else "1"}">'
                f"{self.metoo_next}"
                f'<button type="submit" class="link-button" aria-pressed='
                f'"{"true" if marked else "false"}">'
                f"{self.metoo_pressed if marked else self.metoo_press}</button></form>"
            )
        if is_public:
            out.append(
                f'<a href="{self.url("reply", pk)}" data-comment-action="reply">{self.reply}</a>'
            )
        if mine and is_public and self.now <= deadline:
            out.append(
                f'<a href="{self.url("edit", pk)}" data-comment-action="edit">{self.edit}</a>'
            )
        if mine:
            out.append(f'<a href="{self.url("delete", pk)}">{self.delete}</a>')
        elif is_public:
            out.append(
                f'<a href="{self.url("flag", pk)}{self.flag_next}" rel="nofollow" '
                f'data-comment-action="flag">{self.flag}</a>'
            )
        return "\n    ".join(out)

    def slot(self, text):
        pk, author_pk, is_public, deadline = text.split(":")
        return self.strip(int(pk), int(author_pk), is_public == "1", float(deadline))

    def fill(self, pieces):
        """The shared pieces (split()) with each slot replaced by the viewer's strip."""
        out = pieces[:]
        for index in range(1, len(out), 2):
            out[index] = self.slot(out[index])
        return "".join(out)

    def comment(self, comment, marked):
        """The strip of a comment loaded here (the replies page)."""
        return self.strip(
            comment.pk,
            comment.author_id or 0,
            comment.is_public,
            edit_deadline(comment).timestamp(),
            marked=marked,
        )
