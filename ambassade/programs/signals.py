"""Events of the programs app that other apps react to.

``enrolment_left`` is sent inside the leaving transaction, with keyword arguments
``enrolment``, ``disconnect_accounts`` (the person asked to disconnect their networks)
and ``anonymise_history`` (their past posts should no longer name them). The Sharing
app receives it; receivers queue their own background work with ``on_commit``.
"""

from django.dispatch import Signal

enrolment_left = Signal()
