// Commissioning: start every GOV.UK Frontend component on the page (those with data-module),
// then the few enhancements of our own. build.mjs copies this file to static/build/app.js beside
// govuk-frontend.min.js.
import { initChoosers } from "./choosers.js";
import { initAll } from "./govuk-frontend.min.js";

initAll();
initChoosers();

// A table region (kernel/templatetags/layout.py) is a named, focusable group only while it actually
// scrolls: a table that fits is neither an extra tab stop nor an extra group to hear. Without
// JavaScript every region keeps its role, name and tab stop, which is the safe default.
function updateTableRegions() {
  for (const region of document.querySelectorAll("[data-table-region]")) {
    const caption = region.querySelector("caption");
    if (region.scrollWidth > region.clientWidth && caption?.id) {
      region.setAttribute("role", "group");
      region.setAttribute("aria-labelledby", caption.id);
      region.setAttribute("tabindex", "0");
    } else {
      region.removeAttribute("role");
      region.removeAttribute("aria-labelledby");
      region.removeAttribute("tabindex");
    }
  }
}

updateTableRegions();
window.addEventListener("resize", updateTableRegions);
// A table in a <details> has no width until the details opens ("toggle" does not bubble).
document.addEventListener("toggle", updateTableRegions, true);
