"""Signals other apps may listen to; catalog itself never does.

suggestion_decided: staff approved, merged or rejected a member's suggestion. Sent by
the services inside the deciding transaction, once per suggestion decided (duplicates
merged along with it included), with `suggestion` (as decided), `approved` (True when
the work is in the catalog now: approved or merged) and `by` (the staff member).
"""

from django.dispatch import Signal

suggestion_decided = Signal()
