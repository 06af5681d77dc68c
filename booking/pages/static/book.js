// Booking page (the SMART feed's deep link, /book?slot=ID; /book?site=CODE lists a site's
// sessions): show the slot, check eligibility with the person's ID and birth date, then
// book and show the reference. The person's data is only ever sent, never stored.
import {
  element, fetchJSON, formatClock, formatDate, fundingLabel, lang, onLanguage, problemMessage,
  sessionLabel, setupLanguageSwitch, t,
} from "./i18n.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const state = { slot: null, answer: null, refusal: null, booked: null, siteRows: null, message: null };

function slotWhen(slot) {
  return `${formatDate(slot.day)} ${sessionLabel(slot.session)} ${formatClock(slot.start)}–${formatClock(slot.end)}`;
}

function slotSite(slot) {
  return lang() === "en" ? slot.site_name_en : slot.site_name_zh;
}

function person() {
  return {
    id_type: $("id-type").value,
    id_value: $("id-value").value.trim(),
    birth_date: $("birth-date").value,
  };
}

function reasonText(reason) {
  const date = (reason.detail || "").match(/\d{4}-\d{2}-\d{2}/);
  const known = t(`reason.${reason.code}`);
  const text = known === `reason.${reason.code}` ? reason.detail : known;
  return reason.code === "too_soon" && date ? `${text} (${date[0]})` : text;
}

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

function render() {
  const { slot } = state;
  if (slot) {
    $("slot-card").hidden = false;
    $("slot-site").textContent = `${slotSite(slot)} (${slot.district})`;
    $("slot-when").textContent = slotWhen(slot);
    $("slot-vaccine").textContent = slot.vaccine_code;
    $("slot-funding").textContent = fundingLabel(slot.funding);
    $("slot-places").textContent = t("find.places", { available: slot.available, capacity: slot.capacity });
  }
  $("slot-message").hidden = !state.message;
  $("slot-message").textContent = state.message ? t(state.message) : "";
  const open = slot && !slot.closed && slot.available > 0 && !state.booked && !state.message;
  $("person-form").hidden = !open;
  renderEligibility(open);
  renderConfirmation();
  renderSiteSessions();
}

function renderEligibility(open) {
  const box = $("eligibility");
  const { answer, refusal } = state;
  box.hidden = !open || (!answer && !refusal);
  const reasons = answer ? answer.reasons : refusal || [];
  if (answer && answer.eligible) {
    $("eligibility-verdict").textContent = t("book.eligible", { dose: answer.dose_number });
    $("eligibility-verdict").className = "ok";
  } else {
    $("eligibility-verdict").textContent = t("book.notEligible");
    $("eligibility-verdict").className = "notice";
  }
  $("reasons").replaceChildren(
    ...reasons.map((r) => element("li", { text: reasonText(r), attrs: { "data-code": r.code } })),
  );
  $("confirm").hidden = !(answer && answer.eligible);
}

function renderConfirmation() {
  const { booked } = state;
  $("confirmation").hidden = !booked;
  if (!booked) return;
  $("reference").textContent = booked.reference;
  $("booked-site").textContent = slotSite(booked.slot);
  $("booked-when").textContent = slotWhen(booked.slot);
  $("booked-dose").textContent = String(booked.dose_number);
  $("booked-person").textContent = booked.person;
  // The reference only: the birth date is the second factor and never goes into a URL.
  $("manage").href = `/my-booking?ref=${encodeURIComponent(booked.reference)}`;
}

function renderSiteSessions() {
  const rows = state.siteRows;
  $("site-sessions").hidden = !rows;
  if (!rows) return;
  $("site-session-list").replaceChildren(...rows.map((row) => {
    const item = element("li", { className: "session", attrs: { "data-status": row.status } }, [
      element("span", { className: "when", text: `${formatDate(row.date)} ${sessionLabel(row.session)}` }),
      element("span", { className: "what", text: `${row.vaccine} · ${fundingLabel(row.funding)}` }),
    ]);
    const right = element("span", { className: "right" }, [
      element("span", { className: "places", text: t("find.places", { available: row.available, capacity: row.capacity }) }),
    ]);
    if (row.booking_url && row.status === "open") {
      right.append(element("a", { className: "button primary book", text: t("find.book"), attrs: { href: row.booking_url } }));
    } else {
      right.append(element("span", { className: `badge ${row.status}`, text: t(`status.${row.status}`) }));
    }
    item.append(right);
    return item;
  }));
  if (rows.length) {
    const first = rows[0];
    $("status").textContent = lang() === "en" && first.site_name_en ? first.site_name_en : first.site_name;
  }
}

async function loadSlot(id) {
  try {
    state.slot = await fetchJSON(`/booking/slots/${encodeURIComponent(id)}`);
    if (state.slot.closed) state.message = "book.closed";
    else if (state.slot.available <= 0) state.message = "book.full";
  } catch (problem) {
    if (problem.status === 404 || problem.status === 422) state.message = "book.notFound";
    else showError(problemMessage(problem));
  }
  render();
}

async function checkEligibility(event) {
  event.preventDefault();
  showError("");
  state.answer = null;
  state.refusal = null;
  try {
    state.answer = await fetchJSON(`/booking/eligibility?slot_id=${state.slot.id}`, { method: "POST", body: person() });
  } catch (problem) {
    if (problem.body.reasons) state.refusal = problem.body.reasons;
    else showError(problemMessage(problem));
  }
  render();
}

async function confirm() {
  showError("");
  const body = { ...person(), slot_id: state.slot.id };
  if ($("phone").value.trim()) body.phone = $("phone").value.trim();
  $("confirm").disabled = true;
  try {
    state.booked = await fetchJSON("/booking/appointments", { method: "POST", body });
    state.slot = state.booked.slot;
    state.answer = null;
  } catch (problem) {
    if (problem.code === "slot_full") state.message = "book.full";
    else if (problem.body.reasons) {
      state.answer = null;
      state.refusal = problem.body.reasons;
    } else showError(problemMessage(problem));
  } finally {
    $("confirm").disabled = false;
  }
  render();
}

async function loadSite(code) {
  try {
    state.siteRows = await fetchJSON(`/open-data/availability?site=${encodeURIComponent(code)}`);
    if (!state.siteRows.length) $("status").textContent = t("find.none");
  } catch (problem) {
    showError(problemMessage(problem));
  }
  render();
}

function start() {
  setupLanguageSwitch();
  onLanguage(render);
  $("person-form").addEventListener("submit", checkEligibility);
  $("confirm").addEventListener("click", confirm);
  if (params.get("slot")) loadSlot(params.get("slot"));
  else if (params.get("site")) loadSite(params.get("site"));
  else {
    state.message = "book.noSlot";
    render();
  }
}

start();
