"""Lifecycle events other apps react to (programs pause enrolments, sharing revokes tokens...).

Sent by ``people.actions`` inside their transaction; receivers do their own writes in
the same transaction and queue background work with ``transaction.on_commit``.
"""

from django.dispatch import Signal

# A person's employment ended (end date reached, HR action, or SCIM deactivation).
# Arguments: person, actor (an Actor or None for the scheduler).
person_departed = Signal()

# A person's job title, department, site or manager changed.
# Arguments: person, actor, before (dict of the changed fields' old values), after (new values).
person_position_changed = Signal()
