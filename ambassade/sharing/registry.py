"""Instances of the registered networks, configured for one organisation.

A network that needs an organisation's app (LinkedIn, X) finds its ``client_id`` and
``client_secret`` in ``config``, read from ``NetworkApp``; every network finds the
organisation's allowed intranet hosts in ``config["allowed_hosts"]`` (SSRF guard).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from ambassade.content.selectors import allowed_hosts
from ambassade.core.models import Organisation
from ambassade.sharing.models import NetworkApp
from ambassade.sharing.networks.base import REGISTRY, Network


def network_for(organisation: Organisation, code: str) -> Network:
    network_class = REGISTRY.get(code)
    if network_class is None:
        raise Http404
    config: dict[str, Any] = {"allowed_hosts": allowed_hosts(organisation)}
    app = NetworkApp.objects.filter(organisation=organisation, network=code).first()
    if app is not None:
        config.update(app.config())
    return network_class(config)


def registered() -> list[type[Network]]:
    return sorted(REGISTRY.values(), key=lambda network: network.name)
