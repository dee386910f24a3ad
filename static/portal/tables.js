// Wide tables scroll inside their own region instead of making the page wider than the screen
// (GOV.UK Design System: tables on small screens). A region is labelled by the table's caption and
// can be reached with the keyboard only while it actually scrolls. Tables a template already wraps in
// .portal-table-scroll are left as they are.
const created = [];

for (const table of document.querySelectorAll("main table")) {
  if (table.closest(".portal-table-scroll")) continue;
  const region = document.createElement("div");
  region.className = "portal-table-scroll";
  table.parentNode.insertBefore(region, table);
  region.appendChild(table);
  created.push(region);
}

function label(region, n) {
  const caption = region.querySelector("caption");
  const text = caption ? caption.textContent.trim().replace(/\s+/g, " ") : "";
  return text || `Table ${n}`;
}

function update() {
  created.forEach((region, i) => {
    if (region.scrollWidth > region.clientWidth + 1) {
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", `${label(region, i + 1)} (scrolls sideways)`);
      region.tabIndex = 0;
    } else {
      region.removeAttribute("role");
      region.removeAttribute("aria-label");
      region.removeAttribute("tabindex");
    }
  });
}

update();
window.addEventListener("resize", update);
