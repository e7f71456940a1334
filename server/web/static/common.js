// Shared helpers of the Rinda web pages. Text from the server or from people is
// only ever put into the page with textContent, never as HTML.
//
// Times are shown in the centre's time zone (<html data-timezone>) and in the
// format of the page's language, never the browser's: a clerk's laptop set to
// another zone or language must not show other times than the hall display.
"use strict";

const Rinda = (() => {
  const config = JSON.parse(document.getElementById("config")?.textContent || "{}");
  const messages = JSON.parse(document.getElementById("messages")?.textContent || "{}");
  const LOCALES = { lv: "lv-LV", ru: "ru-RU", en: "en-GB" };
  const locale = LOCALES[document.documentElement.lang] || LOCALES.lv;
  const timeZone = document.documentElement.dataset.timezone || "Europe/Riga";
  const formats = {
    datetime: new Intl.DateTimeFormat(locale, { timeZone, year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
    time: new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
    // A calendar date ("2026-12-24") is no instant: it is shown as it is, in no zone.
    date: new Intl.DateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit" }),
  };

  function t(key, fallback) {
    return messages[key] ?? fallback ?? key;
  }

  // An instant (ISO 8601 with offset) as date and time at the centre: "23.11.2026 10:05".
  function dateTime(iso) {
    return iso ? formats.datetime.format(new Date(iso)) : "—";
  }

  // An instant as the time of day at the centre: "10:05".
  function time(iso) {
    return iso ? formats.time.format(new Date(iso)) : "—";
  }

  // A calendar date "YYYY-MM-DD" in the page language's format: "24.12.2026".
  function day(isoDate) {
    return isoDate ? formats.date.format(new Date(`${isoDate}T00:00:00Z`)) : "—";
  }

  // Server-rendered <time datetime="…" data-format="date|time|datetime"> elements.
  function formatTimes(root = document) {
    const by = { date: day, time, datetime: dateTime };
    for (const node of root.querySelectorAll("time[data-format]")) {
      node.textContent = (by[node.dataset.format] || dateTime)(node.dateTime);
    }
  }

  // A live-connection indicator: the dot is decoration, the words carry the state.
  function showConnection(node, live) {
    node.textContent = live ? `● ${t("console.live", "Live")}` : `● ${t("console.offline", "Offline")}`;
    node.className = live ? "connection live" : "connection lost";
  }

  class ApiError extends Error {
    constructor(status, code, message, fields, body) {
      super(message);
      this.status = status;
      this.code = code;
      this.fields = fields || {};
      this.body = body || {};
    }
  }

  // Once the session has ended (signed out elsewhere, idle time, user disabled ...)
  // the page cannot do anything more: go to the sign-in page and come back here after.
  function signInAgain() {
    location.assign("/login?error=ended&next=" + encodeURIComponent(location.pathname + location.search));
  }

  // `background: true` marks a request the page makes on its own (a refresh, a poll):
  // it does not keep the session alive, so an unattended page is signed out in time.
  async function api(method, path, body, { background = false } = {}) {
    const options = {
      method,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": config.csrf || "", "Accept": "application/json" },
    };
    if (background) options.headers["X-Rinda-Background"] = "1";
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch("/api/v1" + path, options);
    } catch (error) {
      throw new ApiError(0, "unreachable", t("console.offline", "The server cannot be reached."));
    }
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({}));
    if (response.status === 401) signInAgain();
    if (!response.ok) {
      throw new ApiError(response.status, data.code || "error", data.message || response.statusText, data.fields, data);
    }
    return data;
  }

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    const total = Math.max(0, Math.round(seconds));
    const minutes = Math.floor(total / 60);
    const hours = Math.floor(minutes / 60);
    const rest = String(total % 60).padStart(2, "0");
    if (hours) return `${hours}:${String(minutes % 60).padStart(2, "0")}:${rest}`;
    return `${minutes}:${rest}`;
  }

  function since(iso) {
    return iso ? (Date.now() - Date.parse(iso)) / 1000 : null;
  }

  // Follow the server's event stream; the browser reconnects and resumes by itself
  // (EventSource sends Last-Event-ID). `onChange` is called, debounced, after events.
  // The server ends the stream when the session ends; the browser's reconnection is
  // then refused and it gives up (CLOSED): asking for the session tells which it was.
  function follow(onChange, onStatus) {
    const types = ["ticket.issued", "ticket.called", "ticket.recalled", "ticket.started",
      "ticket.finished", "ticket.no_show", "ticket.reactivated", "ticket.parked",
      "ticket.resumed", "ticket.transferred", "ticket.cancelled", "ticket.expired",
      "ticket.walk_direct", "ticket.printed", "ticket.print_failed", "counter.opened",
      "counter.paused", "counter.closed", "device.status", "display.ticker"];
    let timer = null;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(onChange, 120);
    };
    const open = () => {
      const source = new EventSource("/api/v1/events");
      for (const type of types) source.addEventListener(type, changed);
      source.onopen = () => { onStatus(true); changed(); };
      source.onerror = () => {
        onStatus(false);
        if (source.readyState !== EventSource.CLOSED) return;
        // A 401 sends the page to sign-in (in `api`); any other refusal: try again.
        api("GET", "/session", undefined, { background: true })
          .then(() => setTimeout(open, 2000), () => setTimeout(open, 5000));
      };
    };
    open();
  }

  formatTimes();
  return { config, messages, t, api, ApiError, el, duration, since, follow, dateTime, time, day,
    formatTimes, showConnection };
})();
