"""Questions content asks the apps above it, without importing them.

``shares_asked``: where a person already shared items. Arguments: person. Each receiver
returns a dict {item id: [network display names]} (sharing answers it).
"""

from django.dispatch import Signal

shares_asked = Signal()
