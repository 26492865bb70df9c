"""Events of the core app that higher apps react to.

``organisation_created`` is sent inside the transaction that creates an organisation
and its first admin (people.actions.create_organisation), with keyword arguments
``organisation`` and ``actor``. Higher apps receive it to give the new organisation
their defaults (ambassador types, content and sharing settings), so a receiver that
fails rolls the whole organisation back and nothing half-made remains.
"""

from django.dispatch import Signal

organisation_created = Signal()
