from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "ambassade.identity"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        # The sign-in page asks through the accounts registry (accounts sits below us).
        from allauth.account.signals import user_logged_in

        from ambassade.accounts import sign_in_routes
        from ambassade.identity import sign_in

        sign_in_routes.register(sign_in.route)
        sign_in_routes.register_password_rule(sign_in.password_refusal)
        sign_in_routes.register_logout_redirect(sign_in.provider_logout)
        sign_in_routes.register_offer(sign_in.offered)
        user_logged_in.connect(sign_in.audit_break_glass, dispatch_uid="identity_break_glass")

        # Key rotation (rotate_sharing_keys) re-encrypts the connections' secrets too.
        from ambassade.sharing.crypto import register_encrypted_field

        register_encrypted_field("identity.Connection", "oidc_client_secret")
        register_encrypted_field("identity.Connection", "saml_sp_private_key")
