// My booking (/my-booking, /my-booking?ref=REFERENCE from the booking confirmation): the
// citizen comes back with the booking reference and birth date to see the appointment,
// cancel it, or move it to another open session of the same vaccine and funding at the
// same site. The birth date lives only in this page's memory, never in the URL or in
// storage: with the reference it is the key to the booking.
import {
  element, fetchJSON, formatClock, formatDate, fundingLabel, lang, onLanguage, problemMessage,
  sessionLabel, setupLanguageSwitch, t,
} from "./i18n.js";

const $ = (id) => document.getElementById(id);
const state = {
  key: null, // { reference, birth_date } of the appointment shown
  appointment: null,
  others: null, // the sessions it may move to, once asked for
  asking: false, // the cancel confirmation is open
  notice: null, // { key, slot }: what just happened, re-translated on a language switch
  problem: null,
  reasons: null,
  busy: false,
};

function slotSite(slot) {
  return lang() === "en" ? slot.site_name_en : slot.site_name_zh;
}

function slotWhen(slot) {
  return `${formatDate(slot.day)} ${sessionLabel(slot.session)} ${formatClock(slot.start)}–${formatClock(slot.end)}`;
}

function reasonText(reason) {
  const known = t(`reason.${reason.code}`);
  return known === `reason.${reason.code}` ? reason.detail : known;
}

function render() {
  $("error").hidden = !state.problem;
  $("error").textContent = state.problem ? problemMessage(state.problem) : "";
  const reasons = state.reasons || [];
  $("reasons").hidden = !reasons.length;
  $("reasons").replaceChildren(
    ...reasons.map((r) => element("li", { text: reasonText(r), attrs: { "data-code": r.code } })),
  );
  const { notice } = state;
  $("notice").hidden = !notice;
  $("notice").textContent = notice ? t(notice.key, { when: notice.slot ? slotWhen(notice.slot) : "" }) : "";
  renderAppointment();
  renderOthers();
  for (const button of document.querySelectorAll("main button")) button.disabled = state.busy;
}

function renderAppointment() {
  const shown = state.appointment;
  $("appointment").hidden = !shown;
  if (!shown) return;
  const { slot } = shown;
  $("shown-reference").textContent = shown.reference;
  const badge = $("appointment-status");
  badge.textContent = t(`appointment.${shown.status}`);
  badge.className = `badge ${shown.status}`;
  badge.dataset.status = shown.status;
  $("appointment-site").textContent = `${slotSite(slot)} (${slot.district})`;
  $("appointment-site").dataset.site = slot.site_code;
  $("appointment-date").textContent = formatDate(slot.day);
  $("appointment-date").dataset.day = slot.day;
  $("appointment-session").textContent = sessionLabel(slot.session);
  $("appointment-time").textContent = `${formatClock(slot.start)}–${formatClock(slot.end)}`;
  $("appointment-vaccine").textContent = `${slot.vaccine_code} · ${fundingLabel(slot.funding)}`;
  $("appointment-dose").textContent = String(shown.dose_number);
  $("appointment-person").textContent = shown.person;
  const open = shown.status === "booked";
  const note = shown.status === "cancelled" ? "my.cancelledNote" : open ? null : "my.doneNote";
  $("appointment-note").hidden = !note;
  $("appointment-note").textContent = note ? t(note) : "";
  $("manage-actions").hidden = !open || state.asking;
  $("cancel-confirm").hidden = !open || !state.asking;
}

function renderOthers() {
  const rows = state.others;
  $("other-sessions").hidden = !rows;
  if (!rows) return;
  $("no-others").hidden = rows.length > 0;
  $("other-list").hidden = !rows.length;
  $("other-list").replaceChildren(...rows.map((slot) => {
    const move = element("button", { className: "primary move", text: t("my.moveHere"), attrs: { type: "button" } });
    move.addEventListener("click", () => moveTo(slot));
    return element("li", { className: "session", attrs: { "data-slot": slot.id, "data-site": slot.site_code, "data-date": slot.day, "data-session": slot.session } }, [
      element("span", { className: "when", text: slotWhen(slot) }),
      element("span", { className: "what", text: t("find.places", { available: slot.available, capacity: slot.capacity }) }),
      element("span", { className: "right" }, [move]),
    ]);
  }));
}

// Every call keys on the reference and birth date the appointment was found with.
async function call(path, extra = {}) {
  return fetchJSON(`/booking/appointments/${path}`, { method: "POST", body: { ...state.key, ...extra } });
}

// One request at a time, its buttons disabled meanwhile (a double tap sends nothing twice);
// a refusal is worded from its problem code.
async function act(work) {
  state.busy = true;
  state.problem = null;
  state.reasons = null;
  state.notice = null;
  render();
  try {
    await work();
  } catch (problem) {
    state.problem = problem;
    if (problem.body.reasons) state.reasons = problem.body.reasons;
    await recover(problem);
  } finally {
    state.busy = false;
    render();
  }
}

// After a refusal, show what is true now: the appointment as it stands (cancelled
// elsewhere, say) and the sessions that are still open.
async function recover(problem) {
  if (!state.key) return;
  try {
    if (problem.code === "invalid_status") {
      state.appointment = await call("lookup");
      state.others = null;
      state.asking = false;
    } else if (state.others && ["slot_full", "slot_closed", "slot_not_found"].includes(problem.code)) {
      state.others = await otherSessions(state.appointment.slot);
    }
  } catch {
    // The refusal's own message is already on screen; a failed refresh adds nothing.
  }
}

async function lookup(event) {
  event.preventDefault();
  const key = { reference: $("reference").value.trim().toUpperCase(), birth_date: $("birth-date").value };
  state.key = null;
  state.appointment = null;
  state.others = null;
  state.asking = false;
  await act(async () => {
    state.appointment = await fetchJSON("/booking/appointments/lookup", { method: "POST", body: key });
    state.key = key;
  });
}

// Open sessions with places left at the same site, of the same vaccine and funding,
// other than this one, in the order of the day (the search's own order).
async function otherSessions(slot) {
  const query = new URLSearchParams({
    site: slot.site_code, vaccine: slot.vaccine_code, funding: slot.funding, limit: "500",
  });
  const found = await fetchJSON(`/booking/slots?${query}`);
  return found.filter((s) => s.id !== slot.id && !s.closed && s.available > 0);
}

function showOthers() {
  act(async () => {
    state.others = await otherSessions(state.appointment.slot);
  });
}

function moveTo(slot) {
  act(async () => {
    state.appointment = await call("reschedule", { slot_id: slot.id });
    state.others = null;
    state.notice = { key: "my.moved", slot: state.appointment.slot };
  });
}

function askCancel(asking) {
  state.asking = asking;
  state.notice = null;
  render();
}

function cancel() {
  act(async () => {
    state.asking = false;
    state.appointment = await call("cancel");
    state.others = null;
    state.notice = { key: "my.cancelled", slot: null };
  });
}

function start() {
  setupLanguageSwitch();
  onLanguage(render);
  $("lookup-form").addEventListener("submit", lookup);
  $("change").addEventListener("click", showOthers);
  $("cancel").addEventListener("click", () => askCancel(true));
  $("cancel-no").addEventListener("click", () => askCancel(false));
  $("cancel-yes").addEventListener("click", cancel);
  const reference = new URLSearchParams(location.search).get("ref");
  if (reference) {
    $("reference").value = reference.trim().toUpperCase().slice(0, 16);
    $("birth-date").focus();
  }
  render();
}

start();
