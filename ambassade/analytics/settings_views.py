"""The analytics settings page: currency and small groups, media rates, brand accounts.

One page, several small forms; each POST says which one it is (``form``). The working
group reads the page; marketing and admins change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.analytics import actions
from ambassade.analytics.forms import (
    BrandAccountForm,
    FollowersForm,
    RateForm,
    SettingsForm,
)
from ambassade.analytics.models import BrandAccount
from ambassade.analytics.value import Rate, known_networks, rate, rates_for, settings_for
from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors
from ambassade.sharing.registry import display_name


@dataclass
class RateRow:
    code: str
    name: str
    rate: Rate
    form: forms.Form  # bound when its POST failed: the row opens to show the errors


@dataclass
class AccountRow:
    account: BrandAccount
    name: str
    form: forms.Form


def _back(anchor: str) -> HttpResponse:
    return redirect(reverse("analytics:settings") + f"#{anchor}")


def _account(actor: Actor, value: str | None) -> BrandAccount:
    try:
        return BrandAccount.objects.get(organisation=actor.organisation, pk=int(value or ""))
    except (ValueError, BrandAccount.DoesNotExist):
        raise Http404 from None


@require("analytics.view")
def settings_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    kind = request.POST.get("form", "") if request.method == "POST" else ""
    if request.method == "POST" and not allowed(actor, "analytics.settings"):
        raise PermissionDenied
    bound: dict[str, forms.Form] = {}  # the form that failed, shown again with its errors
    if kind == "settings":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                actions.update_settings(actor, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Settings saved."))
                return _back("rules")
        bound["settings"] = form
    elif kind == "rate":
        network = request.POST.get("network", "")
        rate_form = RateForm(request.POST, prefix=network)
        if rate_form.is_valid():
            try:
                actions.set_media_rate(actor, network, **rate_form.cleaned_data)
            except ValidationError as error:
                if "network" in error.message_dict:
                    raise Http404 from None  # not a row of the table: a forged request
                add_action_errors(rate_form, error)
            else:
                messages.success(
                    request, _("Rates of %(network)s saved.") % {"network": display_name(network)}
                )
                return _back("rates")
        bound[f"rate:{network}"] = rate_form
    elif kind == "reset":
        network = request.POST.get("network", "")
        try:
            actions.reset_media_rate(actor, network)
        except ValidationError:
            raise Http404 from None
        messages.success(
            request,
            _("%(network)s is back to the default rates.") % {"network": display_name(network)},
        )
        return _back("rates")
    elif kind == "add_account":
        account_form = BrandAccountForm(request.POST)
        if account_form.is_valid():
            try:
                actions.add_brand_account(actor, **account_form.cleaned_data)
            except ValidationError as error:
                add_action_errors(account_form, error)
            else:
                messages.success(request, _("Account added."))
                return _back("accounts")
        bound["add_account"] = account_form
    elif kind == "change_account":
        account = _account(actor, request.POST.get("account"))
        followers_form = FollowersForm(request.POST, prefix=f"account-{account.pk}")
        if followers_form.is_valid():
            try:
                actions.change_brand_account(actor, account, **followers_form.cleaned_data)
            except ValidationError as error:
                add_action_errors(followers_form, error)
            else:
                messages.success(
                    request, _("Followers of %(handle)s saved.") % {"handle": account.handle}
                )
                return _back("accounts")
        bound[f"account:{account.pk}"] = followers_form
    elif kind == "remove_account":
        account = _account(actor, request.POST.get("account"))
        if request.POST.get("confirm") != "remove":
            messages.error(
                request,
                _("Tick the box to confirm the removal of %(handle)s.")
                % {"handle": account.handle},
            )
            return _back("accounts")
        actions.remove_brand_account(actor, account)
        messages.success(request, _("%(handle)s removed.") % {"handle": account.handle})
        return _back("accounts")
    elif request.method == "POST":
        raise Http404
    return render(request, "analytics/settings.html", _context(actor, bound))


def _context(actor: Actor, bound: dict[str, forms.Form]) -> dict[str, Any]:
    options = settings_for(actor.organisation)
    rates = rates_for(actor.organisation)
    rate_rows = []
    for code in known_networks():
        current = rate(rates, code)
        form = bound.get(f"rate:{code}") or RateForm(
            prefix=code,
            initial={
                "cost_per_click": current.cost_per_click,
                "cost_per_mille": current.cost_per_mille,
            },
        )
        rate_rows.append(RateRow(code, display_name(code), current, form))
    accounts = BrandAccount.objects.filter(organisation=actor.organisation)
    account_rows = []
    for account in accounts:
        form = bound.get(f"account:{account.pk}") or FollowersForm(
            prefix=f"account-{account.pk}",
            initial={"followers": account.followers, "measured_on": timezone.localdate()},
        )
        account_rows.append(AccountRow(account, display_name(account.network), form))
    return {
        "options": options,
        "settings_form": bound.get("settings")
        or SettingsForm(initial={"currency": options.currency, "small_group": options.small_group}),
        "rate_rows": rate_rows,
        "account_rows": account_rows,
        "add_account_form": bound.get("add_account")
        or BrandAccountForm(initial={"measured_on": timezone.localdate()}),
        "can_edit": allowed(actor, "analytics.settings"),
    }
