// The manager's live view: counters, queues with today's service level, device health.
"use strict";

(() => {
  const { config, t, api, el, duration, follow } = Rinda;
  const $ = (id) => document.getElementById(id);
  const lang = config.lang;
  const name = (texts) => (texts && (texts[lang] || texts.lv)) || "";
  let tickerLoaded = false;

  const printer = (state) => t(`manager.printer_${state}`, state);

  function percent(share) {
    return share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;
  }

  async function refresh() {
    let data;
    try {
      data = await api("GET", "/overview");
      $("error-message").textContent = "";
    } catch (error) {
      $("error-message").textContent = error.message;
      return;
    }
    $("counters-table").replaceChildren(...data.counters.map((counter) => el("tr", { class: `state-${counter.status}` },
      el("td", { text: `${counter.label} · ${name(counter.name)}` }),
      el("td", { text: t(`counter.${counter.status}`, counter.status) }),
      el("td", { text: counter.clerk_name || "—", title: counter.clerk || "" }),
      el("td", { text: counter.current ? `${counter.current.number} (${t("status." + counter.current.status, counter.current.status)})` : "—" }),
      el("td", { text: duration(counter.seconds_in_state) }))));
    $("queues-table").replaceChildren(...data.services.map((service) => el("tr", {},
      el("td", { text: name(service.name) }),
      el("td", { text: String(service.waiting) }),
      el("td", { text: duration(service.longest_wait_seconds) }),
      el("td", { text: service.estimated_wait_seconds === null ? "—" : `~${Math.round(service.estimated_wait_seconds / 60)} ${t("manager.minutes")}` }),
      el("td", { class: service.service_level !== null && service.service_level < 0.8 ? "warn" : "",
        text: `${percent(service.service_level)} (${service.within_target}/${service.called}) · ${t("manager.target")} ${Math.round(service.target_wait_seconds / 60)} min` }))));
    $("devices-table").replaceChildren(...data.devices.map((device) => el("tr", {
        class: ["paper_out", "offline"].includes(device.printer) ? "fault" : "" },
      el("td", { text: device.name }),
      el("td", { text: t(`manager.role_${device.role}`, device.role) }),
      el("td", { text: device.seconds_since_seen === null ? "—" : `${duration(device.seconds_since_seen)} ${t("manager.ago")}` }),
      el("td", { text: device.printer && device.printer !== "none" ? `${printer(device.printer)}${device.detail ? " — " + device.detail : ""}` : "—" }))));
    const faults = data.printer_faults.map((fault) => el("li", {
      text: `${new Date(fault.at).toLocaleTimeString()} ${fault.device || ""} ${fault.ticket || ""} ${printer(fault.error || "")}` }));
    $("faults-list").replaceChildren(...(faults.length ? faults : [el("li", { class: "muted", text: t("manager.no_faults") })]));
    showHubLink(data.hub_link);
    if (!tickerLoaded) {
      $("ticker-text").value = data.ticker || "";
      tickerLoaded = true;
    }
  }

  // The link to the network hub (absent when no hub is configured).
  function showHubLink(link) {
    $("hub-link-card").hidden = !link;
    if (!link) return;
    const trouble = ["retrying", "refused", "diverged", "stopped"].includes(link.state);
    $("hub-link-state").textContent = t(`manager.hub_state_${link.state}`, link.state);
    $("hub-link-state").className = trouble ? "warn" : "";
    const oldest = link.lag_events ? ` (${t("manager.hub_oldest")}: ${duration(link.lag_seconds)})` : "";
    $("hub-link-lag").textContent = `${t("manager.hub_lag")}: ${link.lag_events}${oldest}`;
    const contact = link.last_contact_at ? new Date(link.last_contact_at).toLocaleString() : "—";
    const detail = [`${t("manager.hub_last_contact")}: ${contact}`];
    if (link.last_error) detail.push(link.last_error);
    if (trouble) detail.push(t("manager.hub_works_offline"));
    $("hub-link-detail").textContent = detail.join(" · ");
  }

  $("ticker-form").onsubmit = async (event) => {
    event.preventDefault();
    try {
      await api("PUT", "/display/ticker", { text: $("ticker-text").value });
      $("ticker-result").textContent = t("admin.done", "Saved.");
    } catch (error) {
      $("ticker-result").textContent = error.message;
    }
  };

  follow(refresh, (live) => {
    $("connection-status").textContent = live ? "●" : `● ${t("console.offline", "offline")}`;
    $("connection-status").className = live ? "connection live" : "connection lost";
  });
  setInterval(refresh, 5000);
  refresh();
})();
