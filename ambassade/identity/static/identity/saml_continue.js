// The identity provider's answer came from another site, so the browser held back our
// session cookie; posting it again from our own page brings the cookie along.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("saml-continue");
  if (form) {
    form.submit();
  }
});
