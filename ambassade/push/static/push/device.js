// "This device": subscribe this browser to web push, or stop. The page works without this
// file (it then explains why the button is missing); the answer to a subscription is an
// ordinary page, since the script submits the page's own hidden form.
"use strict";
(() => {
  const fromBase64Url = (text) => {
    const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  const toBase64Url = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  document.addEventListener("DOMContentLoaded", async () => {
    const card = document.querySelector("[data-push]");
    if (!card) return;
    if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
      return; // The explanation stays.
    }
    const start = card.querySelector("[data-push-start]");
    const stop = card.querySelector("[data-push-stop]");
    const status = card.querySelector("[data-push-status]");
    const subscribeForm = card.querySelector("[data-push-subscribe-form]");
    const stopForm = card.querySelector("[data-push-stop-form]");
    let registration;
    try {
      registration = await navigator.serviceWorker.register(card.dataset.worker, { scope: "/" });
      registration = await navigator.serviceWorker.ready;
    } catch (error) {
      return;
    }
    card.querySelector("[data-push-unavailable]").hidden = true;
    const current = await registration.pushManager.getSubscription();
    start.hidden = Boolean(current);
    stop.hidden = !current;

    start.addEventListener("click", async () => {
      start.disabled = true;
      try {
        if ((await Notification.requestPermission()) !== "granted") {
          status.textContent = card.dataset.denied;
          return;
        }
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: fromBase64Url(card.dataset.publicKey),
        });
        subscribeForm.elements.endpoint.value = subscription.endpoint;
        subscribeForm.elements.p256dh.value = toBase64Url(subscription.getKey("p256dh"));
        subscribeForm.elements.auth.value = toBase64Url(subscription.getKey("auth"));
        subscribeForm.submit();
      } catch (error) {
        status.textContent = card.dataset.failed;
      } finally {
        start.disabled = false;
      }
    });

    stop.addEventListener("click", async () => {
      stop.disabled = true;
      const subscription = await registration.pushManager.getSubscription();
      if (subscription) {
        stopForm.elements.endpoint.value = subscription.endpoint;
        await subscription.unsubscribe().catch(() => undefined);
      }
      stopForm.submit();
    });
  });
})();
