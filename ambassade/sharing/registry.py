"""Instances of the registered networks, configured for one organisation.

``config`` carries:

- ``allowed_hosts``: the public hosts the organisation allows on other ports (never an
  intranet address: only the operator opens those, see core/outbound.py);
- ``client_id`` / ``client_secret``: the organisation's ``NetworkApp`` (LinkedIn, X),
  edited by admins on the console's sharing settings page;
- ``app_for(instance, redirect_uri) -> dict``: for a network that registers itself on
  each server (Mastodon's ``register_app``), the registration stored in ``InstanceApp``
  (secret encrypted), registering and storing it the first time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404

from ambassade.content.selectors import allowed_hosts
from ambassade.core.models import Organisation
from ambassade.sharing import crypto
from ambassade.sharing.models import InstanceApp, NetworkApp
from ambassade.sharing.networks.base import REGISTRY, Network


def _app_for(network: Network) -> Callable[[str, str], dict[str, str]]:
    def app_for(instance: str, redirect_uri: str) -> dict[str, str]:
        found = InstanceApp.objects.filter(
            network=network.code, instance=instance, redirect_uri=redirect_uri
        ).first()
        if found is not None:
            return {**crypto.decrypt(found.secrets), "client_id": found.client_id}
        app: dict[str, str] = dict(network.register_app(instance, redirect_uri))  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                InstanceApp.objects.create(
                    network=network.code,
                    instance=instance,
                    redirect_uri=redirect_uri,
                    client_id=str(app.get("client_id", "")),
                    secrets=crypto.encrypt({k: str(v) for k, v in app.items()}),
                )
        except IntegrityError:  # another process registered at the same time: use theirs
            return app_for(instance, redirect_uri)
        return app

    return app_for


def forget_instance_app(code: str, instance: str) -> None:
    """When an instance forgot our app (401 invalid_client): register again next time."""
    InstanceApp.objects.filter(network=code, instance=instance).delete()


def network_for(organisation: Organisation, code: str) -> Network:
    network_class = REGISTRY.get(code)
    if network_class is None:
        raise Http404
    config: dict[str, Any] = {"allowed_hosts": allowed_hosts(organisation)}
    app = NetworkApp.objects.filter(organisation=organisation, network=code).first()
    if app is not None:
        config.update(app.config())
    network = network_class(config)
    if hasattr(network, "register_app"):
        network.config["app_for"] = _app_for(network)
    return network


def registered() -> list[type[Network]]:
    return sorted(REGISTRY.values(), key=lambda network: network.name)


def display_name(code: str) -> str:
    """A network's name as people write it ("LinkedIn", "WhatsApp"), API or share link."""
    network = REGISTRY.get(code)
    if network is not None:
        return str(network.name)
    from ambassade.sharing.share_links import share_networks

    names = {link.code: str(link.name) for link in share_networks()}
    return names.get(code, code)
