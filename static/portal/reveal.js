// Conditional reveal for GOV.UK radios without the aria-expanded that govuk-frontend puts on radio
// inputs (axe-core reports it as an attribute a radio may not have). Each radio with aria-controls
// shows its panel while checked; without JavaScript every panel stays visible.
for (const group of document.querySelectorAll("[data-portal-reveal]")) {
  const radios = group.querySelectorAll("input[type=radio]");
  const sync = () => {
    for (const radio of radios) {
      const panel = document.getElementById(radio.getAttribute("aria-controls") || "");
      if (panel) panel.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
    }
  };
  for (const radio of radios) radio.addEventListener("change", sync);
  sync();
}
