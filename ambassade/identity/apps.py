from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "ambassade.identity"
    verbose_name = _("Single sign-on")
