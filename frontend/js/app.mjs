// Commissioning: start every GOV.UK Frontend component on the page (those with data-module).
// build.mjs copies this file to static/build/app.js beside govuk-frontend.min.js.
import { initAll } from "./govuk-frontend.min.js";

initAll();
