// Verifier page: posts the QR text or picture to POST /verifier/verify and shows the
// verdict large, with only the minimal data the result discloses. No data is stored;
// the access token stays in this tab's sessionStorage.
"use strict";

const VERDICTS = {
  valid: ["有效", "VALID"],
  invalid: ["無效", "NOT VALID"],
  rules_failed: ["不符規定", "DOES NOT MEET THE RULES"],
  cannot_verify: ["無法驗證", "CANNOT BE VERIFIED"],
};
const LABELS = {
  name: ["姓名", "Name"], born: ["出生日期", "Date of birth"], type: ["證明類別", "Type"],
  dose: ["劑次", "Dose"], date: ["接種日期", "Vaccinated on"], product: ["疫苗", "Vaccine"],
  country: ["國家", "Country"], disease: ["疾病", "Disease"], test_type: ["檢驗方式", "Test type"],
  sampled_at: ["採檢時間", "Sampled at"], result: ["檢驗結果", "Result"],
  first_positive: ["首次陽性", "First positive"], valid_from: ["效期起", "Valid from"],
  valid_until: ["效期至", "Valid until"], expires_at: ["證明到期", "Certificate expires"],
};
const TYPES = { vaccination: "疫苗接種 Vaccination", test: "檢驗 Test", recovery: "康復 Recovery" };

function row(list, key, value) {
  if (value === null || value === undefined || value === "") return;
  const [zh, en] = LABELS[key] || [key, ""];
  const dt = document.createElement("dt");
  dt.textContent = `${zh} ${en}`;
  const dd = document.createElement("dd");
  dd.textContent = value;
  list.append(dt, dd);
}

function show(result) {
  const [zh, en] = VERDICTS[result.verdict] || [result.verdict, ""];
  const verdict = document.getElementById("verdict");
  verdict.className = `verdict ${result.verdict}`;
  verdict.textContent = zh;
  const small = document.createElement("small");
  small.textContent = en;
  verdict.append(small);
  const holder = document.getElementById("holder");
  holder.replaceChildren();
  if (result.holder) {
    const h = result.holder;
    const name = [h.family_name, h.given_name].filter(Boolean).join("");
    const latin = [h.family_name_transliterated, h.given_name_transliterated].filter(Boolean).join(", ");
    row(holder, "name", [name, latin].filter(Boolean).join(" / "));
    row(holder, "born", h.date_of_birth);
    row(holder, "type", TYPES[result.certificate_type] || result.certificate_type);
    for (const [key, value] of Object.entries(result.facts || {})) row(holder, key, value);
    row(holder, "expires_at", result.expires_at);
  }
  const steps = document.getElementById("steps");
  steps.replaceChildren();
  for (const step of result.steps) {
    const item = document.createElement("li");
    const mark = step.ok === true ? "✔" : step.ok === false ? "✘" : "–";
    item.textContent = `${mark} ${step.step}: ${step.code}${step.message ? " — " + step.message : ""}`;
    if (step.ok === false) item.className = "fail";
    steps.append(item);
  }
  document.getElementById("result").hidden = false;
}

async function submit(event) {
  event.preventDefault();
  const error = document.getElementById("error");
  error.hidden = true;
  const token = document.getElementById("token").value.trim();
  sessionStorage.setItem("vaxx-verifier-token", token);
  const file = document.getElementById("image").files[0];
  const policy = document.getElementById("policy").value;
  const init = { method: "POST", headers: { Authorization: `Bearer ${token}` } };
  if (file) {
    const form = new FormData();
    form.append("image", file);
    if (policy) form.append("policy", policy);
    init.body = form;
  } else {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify({ qr: document.getElementById("qr").value.trim(), policy: policy || null });
  }
  try {
    const response = await fetch("/verifier/verify", init);
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || body.title || response.statusText);
    show(body);
  } catch (failure) {
    document.getElementById("result").hidden = true;
    error.textContent = `錯誤 Error: ${failure.message}`;
    error.hidden = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("token").value = sessionStorage.getItem("vaxx-verifier-token") || "";
  document.getElementById("check-form").addEventListener("submit", submit);
});
