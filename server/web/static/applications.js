// The back office: a department's applications inbox, one application, its status.
"use strict";

(() => {
  const { config, t, api, el, dateTime, day } = Rinda;
  const $ = (id) => document.getElementById(id);
  const NEXT = { received: ["forwarded", "in_progress", "rejected"], forwarded: ["in_progress", "answered", "rejected"],
    in_progress: ["answered", "rejected"], answered: [], rejected: [] };
  const departments = Object.fromEntries(config.departments.map((d) => [d.id, d.name]));
  let openId = null;

  for (const department of config.departments) {
    $("filter-department").append(el("option", { value: department.id, text: department.name }));
  }

  // Who made a change: "user:anna" is anna, "device:kiosk-1" a device, "system…" the server.
  function actor(code) {
    const [kind, ...rest] = code.split(":");
    const name = rest.join(":");
    if (kind === "user") return name;
    if (kind === "device") return `${t("inbox.actor_device")} ${name}`;
    if (kind === "system") return t("inbox.actor_system");
    return code;
  }

  function showError(error) {
    $("error-message").textContent = error ? error.message : "";
  }

  function query() {
    const params = new URLSearchParams();
    if ($("filter-department").value) params.set("department", $("filter-department").value);
    if ($("filter-status").value) params.set("status", $("filter-status").value);
    return params;
  }

  async function loadInbox() {
    const params = query();
    $("export-link").href = `/api/v1/applications.csv?${params}`;
    const search = $("filter-search").value.trim();
    if (search) params.set("q", search);
    let rows;
    try {
      rows = await api("GET", `/applications?${params}`);
      showError(null);
    } catch (error) {
      showError(error);
      return;
    }
    $("inbox-empty").hidden = rows.length > 0;
    $("inbox-table").replaceChildren(...rows.map((row) => el("tr", { class: row.overdue ? "overdue" : "" },
      el("td", { class: "number", text: row.registration_number }),
      el("td", { text: config.types[row.type_id] || row.type_id }),
      el("td", { text: departments[row.department_id] || row.department_id }),
      el("td", { text: t(`app_status.${row.status}`, row.status) }),
      el("td", { text: dateTime(row.lodged_at) }),
      el("td", { text: day(row.answer_deadline) + (row.overdue ? ` (${t("inbox.overdue")})` : "") }),
      el("td", {}, el("button", { type: "button", class: "small", text: t("inbox.open"),
        onclick: () => openApplication(row.id) })))));
  }

  async function openApplication(id) {
    let data;
    try {
      data = await api("GET", `/applications/${encodeURIComponent(id)}`);
    } catch (error) {
      showError(error);
      return;
    }
    openId = id;
    $("detail").hidden = false;
    $("detail-number").textContent = `${data.registration_number} — ${config.types[data.type_id] || data.type_id}`;
    $("detail-meta").textContent = `${departments[data.department_id] || data.department_id} · ${t(`app_status.${data.status}`)} · ${t("inbox.deadline")} ${day(data.answer_deadline)} · ${t(`web.language_${data.language}`, data.language)}${data.kiosk_reference ? " · " + data.kiosk_reference : ""}`;
    $("detail-purged").hidden = !data.purged;
    $("detail-fields").replaceChildren(...Object.entries(data.fields).flatMap(([name, value]) => [
      el("dt", { text: config.fields[name] || name }),
      el("dd", { text: name === "delivery" ? t(`apply.delivery.${value}`, value) : value })]));
    $("detail-history").replaceChildren(...data.history.map((step) => el("li", {
      text: `${dateTime(step.at)} · ${actor(step.actor)}${step.status ? " · " + t(`app_status.${step.status}`) : ""}${step.note ? " — " + step.note : ""}` })));
    const choices = NEXT[data.status] || [];
    $("status-choice").replaceChildren(...choices.map((s) => el("option", { value: s, text: t(`app_status.${s}`) })));
    $("status-form").hidden = choices.length === 0;
    $("detail").scrollIntoView();
  }

  $("filter-form").onsubmit = (event) => { event.preventDefault(); loadInbox(); };
  $("filter-department").onchange = loadInbox;
  $("filter-status").onchange = loadInbox;
  $("status-form").onsubmit = async (event) => {
    event.preventDefault();
    try {
      await api("POST", `/applications/${encodeURIComponent(openId)}/status`,
        { status: $("status-choice").value, note: $("status-note").value.trim() || null });
      $("status-note").value = "";
      showError(null);
    } catch (error) {
      showError(error);
    }
    await openApplication(openId);
    await loadInbox();
  };
  $("note-form").onsubmit = async (event) => {
    event.preventDefault();
    try {
      await api("POST", `/applications/${encodeURIComponent(openId)}/notes`, { note: $("note-text").value });
      $("note-text").value = "";
    } catch (error) {
      showError(error);
    }
    await openApplication(openId);
  };
  $("print-button").onclick = () => window.print();
  $("close-button").onclick = () => { $("detail").hidden = true; openId = null; };
  loadInbox();
})();
