// Commissioning: start every GOV.UK Frontend component on the page (those with data-module),
// then the few enhancements of our own. build.mjs copies this file to static/build/app.js beside
// govuk-frontend.min.js.
import { initChoosers } from "./choosers.js";
import { initAll } from "./govuk-frontend.min.js";

initAll();
initChoosers();

// A table region (web/templatetags/layout.py) is a tab stop only while it actually scrolls, so a
// narrow table is not an extra, empty stop for keyboard users. Without JavaScript every region
// stays focusable, which is the safe default.
function updateTableRegions() {
  for (const region of document.querySelectorAll("[data-table-region]")) {
    if (region.scrollWidth > region.clientWidth) {
      region.setAttribute("tabindex", "0");
    } else {
      region.removeAttribute("tabindex");
    }
  }
}

updateTableRegions();
window.addEventListener("resize", updateTableRegions);
// A table in a <details> has no width until the details opens ("toggle" does not bubble).
document.addEventListener("toggle", updateTableRegions, true);
