"""Single sign-on: the protocols' endpoints under /sso/, the console's pages under
/console/identity/."""

from ambassade.identity import console_urls, oidc_urls, saml_urls

app_name = "identity"

urlpatterns = [*oidc_urls.urlpatterns, *saml_urls.urlpatterns, *console_urls.urlpatterns]
