"""Signals other apps may listen to (the inbox does).

member_followed: `follower` started following `followed`. Sent by
services.follow_set inside its transaction, only when the follow is new.
"""

from django.dispatch import Signal

member_followed = Signal()
