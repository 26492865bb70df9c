"""Lifecycle events other apps react to (programs pause enrolments, sharing revokes tokens...).

Sent by ``people.actions`` inside their transaction; receivers do their own writes in
the same transaction and queue background work with ``transaction.on_commit``.
"""

from typing import cast

from django.dispatch import Signal

# A person's employment ended (end date reached, HR action, or SCIM deactivation).
# Arguments: person, actor (an Actor or None for the scheduler).
person_departed = Signal()

# A person's job title, department, site or manager changed.
# Arguments: person, actor, before (dict of the changed fields' old values), after (new values).
person_position_changed = Signal()

# Asks the apps above which open invitations already give a person without an account
# their way in (the mail's link lets them choose a password), so that HR never sends a
# second mail to sign in. Arguments: person. Each receiver returns a list of names.
open_ways_in = Signal()


def ways_in(person: object) -> list[str]:
    """The names of the person's open invitations that lead to a password (see above)."""
    answers = open_ways_in.send(sender=None, person=person)
    return [name for _, names in answers for name in cast(list[str], names)]


# The landing page asks the apps above where the person stands. Arguments: person. Each
# receiver returns a list of ambassade.people.landing.Card.
landing = Signal()


# A new ambassador's first steps (charter accepted, a network connected, first share...):
# each app above answers for what it knows. Arguments: person. Each receiver returns a
# list of ambassade.people.first_steps.Step.
first_steps_asked = Signal()
