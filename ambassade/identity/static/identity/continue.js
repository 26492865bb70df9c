// After a form of ours, the provider is reached by a navigation rather than a redirect:
// the Content-Security-Policy's form-action 'self' would block a redirect to its site.
document.addEventListener("DOMContentLoaded", function () {
  var link = document.getElementById("provider-link");
  if (link) {
    window.location.replace(link.href);
  }
});
