// Front-end build for Commissioning: `node frontend/build.mjs` from the repository root.
//
// GOV.UK Frontend is compiled from its Sass source (npm `govuk-frontend`) without GOV.UK
// branding: a system font stack instead of GDS Transport (no font files are shipped), no crown
// or crest images, and our own icons. Output goes to src/commissioning/static/build/ (gitignored):
//
//   app.css                   compiled from frontend/scss/app.scss (compressed)
//   govuk-frontend.min.js     GOV.UK Frontend's ES module, copied (with its source map)
//   app.js                    frontend/js/app.mjs: imports the module above and calls initAll()
//   choosers.js               frontend/js/choosers.mjs: the organisation and area choosers
//   proof-of-work.js          frontend/js/proof-of-work.mjs: the anonymous concerns' challenge
//   js-enabled.js             frontend/js/js-enabled.js: the js-enabled class, before first paint
//   accessible-autocomplete.min.js  GOV.UK's accessible autocomplete (npm `accessible-autocomplete`),
//                             loaded by choosers.js on the pages that need it; its stylesheet is
//                             compiled into app.css (app.scss)
//   assets/images/*           favicon.ico, favicon.svg, mask icon and PNG icons (frontend/icons.mjs)
//   assets/manifest.json      web app manifest pointing at those icons
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { iconIco, iconPng, iconSvg } from "./icons.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "src", "commissioning", "static", "build");
const GOVUK = join(ROOT, "node_modules", "govuk-frontend", "dist", "govuk");
const AUTOCOMPLETE = join(ROOT, "node_modules", "accessible-autocomplete", "dist");
const SCSS_ENTRY = join(ROOT, "frontend", "scss", "app.scss");

// What the compiled stylesheet must never contain (this is not a GOV.UK service).
const FORBIDDEN_IN_CSS = [
  ["GDS Transport", "the GDS Transport typeface"],
  ["govuk-crest", "the GOV.UK crest image"],
  ["govuk-crown", "the GOV.UK crown image"],
  ["/fonts/", "a font file"],
];

class BuildError extends Error {}

function fail(message) {
  throw new BuildError(message);
}

async function loadSass() {
  try {
    return await import("sass");
  } catch {
    return fail("the npm package `sass` is not installed: run `npm ci` first.");
  }
}

async function buildCss() {
  if (!existsSync(GOVUK)) fail("govuk-frontend is not installed: run `npm ci` first.");
  const sass = await loadSass();
  let result;
  try {
    result = sass.compile(SCSS_ENTRY, {
      style: "compressed",
      sourceMap: false,
      loadPaths: [join(ROOT, "node_modules")],
      importers: [new sass.NodePackageImporter(ROOT)],
      quietDeps: true,
    });
  } catch (error) {
    fail(`Sass could not compile ${relative(ROOT, SCSS_ENTRY)}:\n${error.message}`);
  }
  for (const [needle, what] of FORBIDDEN_IN_CSS) {
    if (result.css.includes(needle)) {
      fail(`app.css refers to ${what} (“${needle}”); check the settings in app.scss.`);
    }
  }
  return result.css;
}

function copyJavaScript() {
  for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
    const source = join(GOVUK, name);
    if (!existsSync(source)) fail(`${relative(ROOT, source)} is missing: run \`npm ci\` first.`);
    copyFileSync(source, join(OUT, name));
  }
  for (const name of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.js.map"]) {
    const source = join(AUTOCOMPLETE, name);
    if (!existsSync(source)) fail(`${relative(ROOT, source)} is missing: run \`npm ci\` first.`);
    copyFileSync(source, join(OUT, name));
  }
  copyFileSync(join(ROOT, "frontend", "js", "app.mjs"), join(OUT, "app.js"));
  copyFileSync(join(ROOT, "frontend", "js", "choosers.mjs"), join(OUT, "choosers.js"));
  copyFileSync(join(ROOT, "frontend", "js", "proof-of-work.mjs"), join(OUT, "proof-of-work.js"));
  copyFileSync(join(ROOT, "frontend", "js", "js-enabled.js"), join(OUT, "js-enabled.js"));
}

function writeIcons() {
  const images = join(OUT, "assets", "images");
  mkdirSync(images, { recursive: true });
  writeFileSync(join(images, "favicon.svg"), iconSvg());
  writeFileSync(join(images, "icon-mask.svg"), iconSvg({ monochrome: true }));
  writeFileSync(join(images, "favicon.ico"), iconIco([16, 32, 48]));
  const sizes = [180, 192, 512];
  for (const size of sizes) writeFileSync(join(images, `icon-${size}.png`), iconPng(size));
  const manifest = {
    name: "Commissioning",
    short_name: "Commissioning",
    start_url: "/",
    display: "browser",
    background_color: "#ffffff",
    theme_color: "#0b0c0c",
    icons: [
      { src: "images/favicon.svg", type: "image/svg+xml", sizes: "any", purpose: "any" },
      ...sizes.map((size) => ({
        src: `images/icon-${size}.png`,
        type: "image/png",
        sizes: `${size}x${size}`,
        purpose: "any",
      })),
    ],
  };
  writeFileSync(join(OUT, "assets", "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
}

async function main() {
  const started = Date.now();
  // Compile first, so a Sass error leaves the previous build in place.
  const css = await buildCss();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "app.css"), css + "\n");
  copyJavaScript();
  writeIcons();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `Front end built in ${seconds}s: ${relative(ROOT, OUT)}/ (app.css ${Math.round(css.length / 1024)} KiB)`,
  );
}

main().catch((error) => {
  if (error instanceof BuildError) {
    console.error(`Front-end build failed: ${error.message}`);
  } else {
    console.error("Front-end build failed unexpectedly:", error);
  }
  process.exit(1);
});
