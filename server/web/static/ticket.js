// The public ticket page: follows this one ticket live (its own event stream, which
// carries only this ticket's view) and stops once the ticket is finished.
"use strict";

(() => {
  const root = document.getElementById("ticket-live");
  if (!root || root.dataset.final === "true") return;
  const messages = JSON.parse(document.getElementById("messages")?.textContent || "{}");
  const $ = (id) => document.getElementById(id);
  const lang = encodeURIComponent(document.documentElement.lang);
  const source = new EventSource(`/t/${encodeURIComponent(root.dataset.ticket)}/events?lang=${lang}`);

  function show(view) {
    const waiting = view.status === "waiting";
    $("ticket-number").textContent = view.number;
    $("ticket-service").textContent = view.service;
    $("ticket-called").hidden = !view.called;
    $("ticket-counter").textContent = view.counter;
    $("ticket-waiting").hidden = !waiting;
    $("ticket-ahead-count").textContent = waiting ? String(view.people_ahead) : "";
    $("ticket-wait-text").textContent = view.wait;
    $("ticket-state").hidden = view.called || waiting;
    $("ticket-state").textContent = view.status_text;
    root.dataset.status = view.status;
    if (view.final) {
      source.close();
      root.dataset.final = "true";
      $("ticket-connection").textContent = "";
    }
  }

  source.addEventListener("ticket", (event) => show(JSON.parse(event.data)));
  source.onopen = () => { $("ticket-connection").textContent = messages["ticket_status.live"] || ""; };
  source.onerror = () => {
    if (root.dataset.final !== "true") $("ticket-connection").textContent = messages["ticket_status.reconnecting"] || "";
  };
})();
