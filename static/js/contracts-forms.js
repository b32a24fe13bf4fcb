// Ledger forms send once: the button is disabled on the first submit (the server's token is the real guard).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("#repayment-form, #savings-form, #collection-form")) {
    return;
  }
  if (form.dataset.sent === "1") {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
  form.querySelectorAll("button[type=submit]").forEach((button) => {
    button.disabled = true;
  });
});
