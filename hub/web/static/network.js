// The network's live view: every centre the reader may see, its link and its hall now.
// Refreshed when the hub hears from a centre (the event stream) and every 10 s (so a
// centre that falls silent is shown as down). Text only ever goes in with textContent.
"use strict";

(() => {
  const { config, t, api, el, duration, dateTime, showConnection } = Rinda;
  const $ = (id) => document.getElementById(id);
  const query = config.municipality ? `?municipality=${encodeURIComponent(config.municipality)}` : "";

  const fill = (text, values) => Object.entries(values).reduce(
    (result, [name, value]) => result.replace(`{${name}}`, value), text);

  function percent(share) {
    return share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;
  }

  function linkCell(link) {
    const state = link.state === "catching_up"
      ? fill(t("network.link_catching_up"), { count: link.lag_events })
      : t(`network.link_${link.state}`, link.state);
    const cell = el("td", { class: `link link-${link.state}` }, el("strong", { text: state }));
    if (!["up", "catching_up"].includes(link.state)) {
      const last = link.last_event_at
        ? fill(t("network.last_event"), { time: dateTime(link.last_event_at) })
        : t("network.no_events");
      cell.append(el("br"), el("span", { class: "last-event", text: last }));
    }
    return cell;
  }

  function row(centre) {
    const name = el("td", {}, el("span", { class: "centre-name", text: centre.name }), el("br"),
      el("span", { class: "muted", text: centre.municipality }));
    if (centre.catalogue_version !== null && centre.catalogue_version !== undefined) {
      name.append(el("br"), el("span", { class: "muted catalogue-version",
        text: fill(t("catalogue.centre_running"), { version: centre.catalogue_version }) }));
    }
    const live = centre.live;
    if (!live) {
      return el("tr", { class: "down", "data-centre": centre.id }, name, linkCell(centre.link),
        el("td", { colspan: 6, class: "unknown", text: t("network.unknown") }));
    }
    return el("tr", { "data-centre": centre.id }, name, linkCell(centre.link),
      el("td", { class: "counters-open", text: String(live.counters_open) }),
      el("td", { class: "waiting", text: String(live.waiting) }),
      el("td", { class: "longest-wait", text: live.waiting ? duration(live.longest_wait_seconds) : "—" }),
      el("td", { class: "serving", text: String(live.serving) }),
      el("td", { class: "served-today", text: String(live.served_today) }),
      el("td", { class: `service-level${live.service_level_today !== null && live.service_level_today < 0.8 ? " warn" : ""}`,
        text: `${percent(live.service_level_today)} (${live.within_target_today}/${live.called_today})` }));
  }

  async function refresh() {
    let data;
    try {
      data = await api("GET", `/network/live${query}`, undefined, { background: true });
      $("error-message").textContent = "";
    } catch (error) {
      $("error-message").textContent = error.message;
      return;
    }
    const centres = data.centres;
    $("centres-body").replaceChildren(...(centres.length ? centres.map(row)
      : [el("tr", {}, el("td", { colspan: 8, text: t("network.no_centres") }))]));
    const linked = centres.filter((c) => c.live);
    $("network-summary").textContent = fill(t("network.summary"), {
      live: linked.length, total: centres.length,
      waiting: linked.reduce((sum, c) => sum + c.live.waiting, 0) });
  }

  // At most one refresh a second however busy the stream (hundreds of centres each
  // send a heartbeat every 30 s: a debounce that restarts on each event would starve).
  let timer = null;
  const changed = () => {
    if (timer !== null) return;
    timer = setTimeout(() => { timer = null; refresh(); }, 1000);
  };
  const open = () => {
    const source = new EventSource("/api/v1/network/stream");
    source.addEventListener("centre.link", changed);
    source.onopen = () => { showConnection($("connection-status"), true); changed(); };
    source.onerror = () => {
      showConnection($("connection-status"), false);
      if (source.readyState !== EventSource.CLOSED) return;
      // A 401 sends the page to sign-in (in `api`); any other refusal: try again.
      api("GET", "/session", undefined, { background: true })
        .then(() => setTimeout(open, 2000), () => setTimeout(open, 5000));
    };
  };
  open();
  setInterval(refresh, 10000);
  refresh();
})();
