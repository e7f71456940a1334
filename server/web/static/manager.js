// The manager's live view: counters, queues with today's service level, device health,
// and whether the server can store data.
"use strict";

(() => {
  const { config, t, api, el, duration, follow, dateTime, showConnection } = Rinda;
  const $ = (id) => document.getElementById(id);
  const lang = config.lang;
  const name = (texts) => (texts && (texts[lang] || texts.lv)) || "";
  let tickerLoaded = false;

  const printer = (state) => t(`manager.printer_${state}`, state);

  function percent(share) {
    return share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;
  }

  // The store's state: a fault is spelled out (what, which file, since when) for the
  // manager to act on; it also shows when the fault keeps the overview from loading.
  function showStorage(storage) {
    const node = $("storage-status");
    if (storage.status === "ok") {
      node.className = "storage ok";
      node.textContent = t("storage.ok");
      return;
    }
    node.className = "storage fault";
    node.replaceChildren(
      el("strong", { text: t("storage.fault") }),
      el("span", { text: `${t(`storage.problem_${storage.problem}`)}${storage.file ? ` (${storage.file})` : ""}`
        + (storage.since ? `, ${t("storage.since")} ${dateTime(storage.since)}` : "") }),
      storage.message ? el("span", { class: "detail", text: storage.message }) : null,
      el("span", { text: t("storage.tell_admin") }));
  }

  async function refresh() {
    let data;
    try {
      data = await api("GET", "/overview", undefined, { background: true });
      $("error-message").textContent = "";
    } catch (error) {
      if (error.code === "storage_unavailable") {
        showStorage({ status: "fault", problem: error.body.problem, file: error.body.file });
      } else {
        $("error-message").textContent = error.message;
      }
      return;
    }
    showStorage(data.storage);
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
        text: `${percent(service.service_level)} (${service.within_target}/${service.called}) · ${t("manager.target")} ${Math.round(service.target_wait_seconds / 60)} ${t("manager.minutes")}` }))));
    $("devices-table").replaceChildren(...data.devices.map((device) => el("tr", {
        class: ["paper_out", "offline"].includes(device.printer) ? "fault" : "" },
      el("td", { text: device.name }),
      el("td", { text: t(`manager.role_${device.role}`, device.role) }),
      el("td", { text: device.seconds_since_seen === null ? "—" : t("manager.ago").replace("{time}", duration(device.seconds_since_seen)) }),
      el("td", { text: device.printer && device.printer !== "none" ? `${printer(device.printer)}${device.detail ? " — " + device.detail : ""}` : "—" }))));
    const faults = data.printer_faults.map((fault) => el("li", {
      text: [dateTime(fault.at), fault.device, fault.ticket, fault.error ? printer(fault.error) : ""].filter(Boolean).join(" · ") }));
    $("faults-list").replaceChildren(...(faults.length ? faults : [el("li", { class: "muted", text: t("manager.no_faults") })]));
    showHubLink(data.hub_link);
    showCatalogue(data.catalogue);
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

  // The national catalogue version this centre runs, and whether a newer one waits.
  function showCatalogue(info) {
    $("catalogue-card").hidden = !info || !info.subscribed;
    if (!info || !info.subscribed) return;
    const fill = (key, values) =>
      Object.entries(values).reduce((text, [name, value]) => text.replace(`{${name}}`, value), t(key));
    $("catalogue-running").textContent = fill("catalogue.centre_running", { version: info.running_version });
    const detail = [];
    if (info.refused_version) {
      detail.push(fill("catalogue.centre_refused", { version: info.refused_version, error: info.refused_because }));
    } else if (info.newer_waiting) {
      detail.push(fill("catalogue.centre_newer", { version: info.latest_version }));
    }
    if (info.last_checked_at) {
      detail.push(fill("catalogue.centre_checked", { time: new Date(info.last_checked_at).toLocaleString() }));
    }
    if (info.last_error) detail.push(info.last_error);
    $("catalogue-running").className = info.newer_waiting ? "warn" : "";
    $("catalogue-detail").textContent = detail.join(" · ");
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

  follow(refresh, (live) => showConnection($("connection-status"), live));
  setInterval(refresh, 5000);
  refresh();
})();
