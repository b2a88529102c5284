"""Signals other apps may listen to; comments itself never does.

comment_moderated: staff hid a comment or showed it again. Sent by the services
(so admin actions send it too) once per comment that changed, inside the moderating
transaction, with `comment` (as stored now), `action` ("hidden" or "restored") and
`by` (the moderator). A receiver that writes rows (an inbox entry for the author)
commits or rolls back with the moderation; one with outside effects (e-mail) should
defer them with transaction.on_commit.


comment_posted: a new comment or reply was stored. Sent by services.comment_post inside
its transaction, once per new comment (never for a resubmitted form), with `comment` and
`created` (always True). The inbox tells the parent's author of a reply; the site
(kcry_site/receivers.py) counts a comment's tear moment as its author's "I cried here"
mark. A receiver's rows commit or roll back with the comment.

metoo_marked: `member` marked `comment` "me too". Sent by services.metoo_toggle inside
its transaction, only when a mark is added (not when taken back or already there).
"""

from django.dispatch import Signal

comment_moderated = Signal()
comment_posted = Signal()
metoo_marked = Signal()
