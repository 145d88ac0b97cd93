// Small behaviours shared by every page; no inline scripts anywhere.
document.addEventListener("change", function (event) {
  if (event.target.classList.contains("autosubmit")) event.target.form.submit();
});
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-place]");
  if (!button) return;
  const place = JSON.parse(button.dataset.place);
  const form = button.closest("form");
  for (const [name, value] of Object.entries(place)) {
    const input = form.querySelector(`[name="${name}"]`);
    if (input && (value !== null && value !== "")) input.value = value;
  }
  const box = button.closest(".suggestions");
  if (box) box.innerHTML = "";
});
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
// Inline formsets: "add a row" clones the empty form of the formset.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-add-form]");
  if (!button) return;
  const prefix = button.dataset.addForm;
  const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  const template = document.getElementById(prefix + "-empty");
  const html = template.innerHTML.replace(/__prefix__/g, total.value);
  document.getElementById(prefix + "-rows").insertAdjacentHTML("beforeend", html);
  total.value = Number(total.value) + 1;
  button.dispatchEvent(new Event("change", { bubbles: true }));
});
// Error pages: "go back" returns to the previous page when there is one, else follows its link home.
document.addEventListener("click", function (event) {
  const link = event.target.closest("[data-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
