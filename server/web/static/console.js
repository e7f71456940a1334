// The clerk console: one counter, its current visitor, its waiting list. Live.
"use strict";

(() => {
  const { config, t, api, el, duration, since, follow, showConnection, time: clock } = Rinda;
  const $ = (id) => document.getElementById(id);
  const counterId = config.counterId;
  const services = Object.fromEntries(config.services.map((s) => [s.id, s]));
  const counterInfo = config.counters.find((c) => c.id === counterId);
  let counter = null;     // live counter state from the server
  let current = null;     // the ticket the counter holds
  let waiting = [];       // waiting and parked tickets
  let bookings = [];      // today's bookings not yet checked in
  let queue = Promise.resolve();

  $("counter-name").textContent = counterInfo ? counterInfo.name : counterId;
  for (const select of [$("delivered-service"), $("transfer-service"), $("walk-service")]) {
    for (const service of config.services) {
      select.append(el("option", { value: service.id, text: service.name }));
    }
  }
  for (const other of config.counters) {
    if (other.id !== counterId) $("transfer-counter").append(el("option", { value: other.id, text: other.name }));
  }

  // Since when a visitor waits: the issue time; for a booked visitor the booked time,
  // or the check-in when later (core.model.Ticket.queued_since).
  const queuedSince = (ticket) =>
    ticket.appointment_at && Date.parse(ticket.appointment_at) > Date.parse(ticket.issued_at)
      ? ticket.appointment_at : ticket.issued_at;

  function showError(error) {
    $("error-message").textContent = error ? error.message : "";
  }

  // Actions run one after another, never dropped: a key pressed while the previous
  // action is still on its way waits for it. An action whose button has become
  // disabled meanwhile (e.g. "call next" pressed twice) is skipped, not sent.
  function act(work, buttonId) {
    queue = queue.then(async () => {
      if (buttonId && $(buttonId).disabled) return;
      document.body.setAttribute("aria-busy", "true");
      showError(null);
      try {
        await work();
      } catch (error) {
        showError(error);
      } finally {
        await refresh();
        document.body.removeAttribute("aria-busy");
      }
    });
    return queue;
  }

  async function refresh() {
    try {
      const background = { background: true };
      const counters = await api("GET", "/counters", undefined, background);
      counter = counters.find((c) => c.id === counterId) || null;
      current = counter && counter.current_ticket_id ? await api("GET", `/tickets/${counter.current_ticket_id}`, undefined, background) : null;
      waiting = await api("GET", `/counters/${counterId}/waiting`, undefined, background);
      bookings = await api("GET", `/counters/${counterId}/bookings`, undefined, background);
    } catch (error) {
      showError(error);
    }
    render();
  }

  function render() {
    const state = counter ? counter.status : "closed";
    $("counter-state").textContent = t(`counter.${state}`, state);
    $("counter-since").textContent = counter && counter.clerk ? `(${counter.clerk})` : "";
    $("current-empty").hidden = Boolean(current);
    $("current-ticket").hidden = !current;
    if (current) {
      $("current-number").textContent = current.number;
      $("current-service").textContent = services[current.service_id]?.name || current.service_id;
      $("current-status").textContent = t(`status.${current.status}`, current.status);
      $("current-language").textContent = t(`web.language_${current.language}`, current.language);
      $("current-priority").textContent = current.is_priority ? t("console.priority_yes") : t("console.priority_no");
    }
    renderTimes();
    const open = state === "open";
    const status = current ? current.status : null;
    const enable = {
      "open-button": state !== "open",
      "pause-button": state === "open",
      "close-button": state !== "closed" && !current,
      "call-next-button": open && !current,
      "recall-button": status === "called",
      "start-button": status === "called",
      "finish-button": status === "serving",
      "no-show-button": status === "called",
      "park-button": status === "called" || status === "serving",
      "transfer-button": status === "called" || status === "serving",
      "cancel-button": status === "called",
      "walk-direct-button": open && !current,
    };
    for (const [id, on] of Object.entries(enable)) $(id).disabled = !on;
    renderWaiting(open && !current);
    renderBookings();
  }

  function renderBookings() {
    const list = $("bookings-list");
    list.replaceChildren();
    for (const booking of bookings) {
      const arrived = el("button", { type: "button", class: "small", text: t("action.arrived"),
        "data-booking": booking.id,
        onclick: () => act(async () => {
          const answer = await api("POST", `/appointments/${booking.id}/check-in`, { language: config.lang });
          if (answer.outcome === "late") showError(new Error(t("console.booking_late")));
        }) });
      list.append(el("tr", {},
        el("td", { class: "number", text: clock(booking.starts_at) }),
        el("td", { text: booking.name }),
        el("td", { text: services[booking.service_id]?.name || booking.service_id }),
        el("td", {}, arrived)));
    }
    $("bookings-empty").hidden = bookings.length > 0;
  }

  function renderTimes() {
    if (!current) return;
    $("current-waited").textContent = duration((Date.parse(current.first_called_at || new Date().toISOString()) - Date.parse(queuedSince(current))) / 1000);
    $("current-in-service").textContent = duration(since(current.called_at));
  }

  function renderWaiting(canCall) {
    const list = $("waiting-list");
    const parked = $("parked-list");
    list.replaceChildren();
    parked.replaceChildren();
    const bySummary = new Map();
    const waitingOnly = waiting.filter((ticket) => ticket.status === "waiting");
    for (const ticket of waitingOnly) {
      const entry = bySummary.get(ticket.service_id) || { count: 0, longest: 0 };
      entry.count += 1;
      entry.longest = Math.max(entry.longest, since(queuedSince(ticket)));
      bySummary.set(ticket.service_id, entry);
      const call = el("button", { type: "button", class: "small", text: t("action.call"),
        "data-ticket": ticket.id, onclick: () => act(() => api("POST", `/tickets/${ticket.id}/call`, { counter_id: counterId })) });
      call.disabled = !canCall;
      list.append(el("tr", { class: ticket.is_priority ? "priority" : "" },
        el("td", { class: "number", text: ticket.number }),
        el("td", { text: services[ticket.service_id]?.name || ticket.service_id }),
        el("td", { class: "waited", "data-issued": queuedSince(ticket), text: duration(Math.max(0, since(queuedSince(ticket)))) }),
        el("td", { text: ticket.is_priority ? `★ ${t("console.priority")}`
          : ticket.appointment_at ? t("console.booked_at").replace("{time}", clock(ticket.appointment_at)) : "" }),
        el("td", {}, call)));
    }
    for (const ticket of waiting.filter((t2) => t2.status === "parked")) {
      const resume = el("button", { type: "button", class: "small", text: t("action.resume"),
        onclick: () => act(() => api("POST", `/tickets/${ticket.id}/resume`, { counter_id: counterId })) });
      resume.disabled = !canCall;
      parked.append(el("tr", {}, el("td", { class: "number", text: ticket.number }),
        el("td", { text: services[ticket.service_id]?.name || ticket.service_id }), el("td", {}, resume)));
    }
    $("waiting-empty").hidden = waitingOnly.length > 0;
    const summary = $("waiting-summary");
    summary.replaceChildren();
    for (const [serviceId, entry] of bySummary) {
      summary.append(el("li", { text: `${services[serviceId]?.name || serviceId}: ${entry.count} · ${t("console.longest")} ${duration(entry.longest)}` }));
    }
  }

  function hidePanels() {
    for (const id of ["finish-form", "transfer-form", "walk-form"]) $(id).hidden = true;
  }

  function showPanel(id, focusId) {
    hidePanels();
    $(id).hidden = false;
    $(focusId).focus();
  }

  const ticketAction = (action, body, buttonId) => act(() => api("POST", `/tickets/${current.id}/${action}`, body), buttonId);
  const counterAction = (action) => act(() => api("POST", `/counters/${counterId}/${action}`), `${action}-button`);

  $("open-button").onclick = () => counterAction("open");
  $("pause-button").onclick = () => counterAction("pause");
  $("close-button").onclick = () => counterAction("close");
  $("call-next-button").onclick = () => act(async () => {
    const ticket = await api("POST", `/counters/${counterId}/call-next`);
    if (ticket === null) showError(new Error(t("console.nobody_to_call")));
  }, "call-next-button");
  $("recall-button").onclick = () => ticketAction("recall", undefined, "recall-button");
  $("start-button").onclick = () => ticketAction("start", undefined, "start-button");
  $("no-show-button").onclick = () => ticketAction("no-show", undefined, "no-show-button");
  $("park-button").onclick = () => ticketAction("park", undefined, "park-button");
  $("cancel-button").onclick = () => ticketAction("cancel", undefined, "cancel-button");
  $("finish-button").onclick = () => {
    $("delivered-service").value = current.service_id;
    $("finish-note").value = "";
    showPanel("finish-form", "delivered-service");
  };
  $("transfer-button").onclick = () => showPanel("transfer-form", "transfer-service");
  $("walk-direct-button").onclick = () => showPanel("walk-form", "walk-service");
  for (const button of document.querySelectorAll(".cancel-panel")) button.onclick = hidePanels;

  $("finish-form").onsubmit = (event) => {
    event.preventDefault();
    const number = current.number;
    const note = $("finish-note").value.trim();
    hidePanels();
    ticketAction("finish", { delivered_service: $("delivered-service").value, note: note || null })
      .then(() => { $("last-served").textContent = `${t("console.last_served")}: ${number}${note ? " — " + note : ""}`; });
  };
  $("transfer-form").onsubmit = (event) => {
    event.preventDefault();
    const body = {};
    if ($("transfer-service").value) body.service_id = $("transfer-service").value;
    if ($("transfer-counter").value) body.counter_id = $("transfer-counter").value;
    hidePanels();
    ticketAction("transfer", body);
  };
  $("walk-form").onsubmit = (event) => {
    event.preventDefault();
    hidePanels();
    act(() => api("POST", `/counters/${counterId}/walk-direct`, { service_id: $("walk-service").value, language: config.lang }));
  };

  // Keyboard shortcuts (not while typing in a field).
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { hidePanels(); return; }
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    const button = document.querySelector(`button[data-key="${event.key.toLowerCase()}"]`);
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });

  setInterval(() => {
    renderTimes();
    for (const cell of document.querySelectorAll("td.waited")) cell.textContent = duration(Math.max(0, since(cell.dataset.issued)));
  }, 1000);

  follow(refresh, (live) => showConnection($("connection-status"), live));
  refresh();
})();
