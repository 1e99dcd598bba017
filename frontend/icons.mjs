// The Commissioning icon: an open ring (the commissioning cycle: assess need, plan, procure,
// deliver, review) with a yellow dot where the cycle restarts, on a black square.
//
// This is not a GOV.UK service, so it must not use the GOV.UK crown favicons. The icon is drawn
// here from one geometry, as SVG (favicon.svg, mask icon) and as anti-aliased PNGs (apple-touch
// and manifest icons, and favicon.ico, which embeds PNGs) with nothing but node:zlib.
import { deflateSync } from "node:zlib";

const BACKGROUND = [0x0b, 0x0c, 0x0c];
const RING = [0xff, 0xff, 0xff];
const DOT = [0xff, 0xdd, 0x00];

// Geometry on a 32 x 32 grid.
const CENTRE = 16;
const RING_RADIUS = 9;
const RING_WIDTH = 4.5;
const GAP_DEGREES = 70; // the opening on the right-hand side, centred on 0 degrees
const DOT_RADIUS = 3;
const DOT_CENTRE = [CENTRE + RING_RADIUS, CENTRE];

function polar(degrees) {
  const radians = (degrees * Math.PI) / 180;
  return [CENTRE + RING_RADIUS * Math.cos(radians), CENTRE - RING_RADIUS * Math.sin(radians)];
}

/** The icon as SVG; `monochrome` gives the single-colour mask icon (Safari pinned tabs). */
export function iconSvg({ monochrome = false } = {}) {
  const hex = (rgb) => `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  const [startX, startY] = polar(GAP_DEGREES / 2);
  const [endX, endY] = polar(-GAP_DEGREES / 2);
  const ring = `M${startX.toFixed(2)} ${startY.toFixed(2)}A${RING_RADIUS} ${RING_RADIUS} 0 1 0 ${endX.toFixed(2)} ${endY.toFixed(2)}`;
  const background = monochrome ? "" : `<rect width="32" height="32" fill="${hex(BACKGROUND)}"/>`;
  const ringColour = monochrome ? "#000" : hex(RING);
  const dotColour = monochrome ? "#000" : hex(DOT);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${background}` +
    `<path d="${ring}" fill="none" stroke="${ringColour}" stroke-width="${RING_WIDTH}" stroke-linecap="round"/>` +
    `<circle cx="${DOT_CENTRE[0]}" cy="${DOT_CENTRE[1]}" r="${DOT_RADIUS}" fill="${dotColour}"/></svg>\n`
  );
}

/** Colour of the point (x, y) on the 32 x 32 grid. */
function colourAt(x, y) {
  const dx = x - CENTRE;
  const dy = CENTRE - y;
  if (Math.hypot(x - DOT_CENTRE[0], y - DOT_CENTRE[1]) <= DOT_RADIUS) return DOT;
  const angle = (Math.atan2(dy, dx) * 180) / Math.PI;
  const onRing = Math.abs(Math.hypot(dx, dy) - RING_RADIUS) <= RING_WIDTH / 2;
  if (onRing && Math.abs(angle) >= GAP_DEGREES / 2) return RING;
  // Round caps at both ends of the ring.
  for (const sign of [1, -1]) {
    const [capX, capY] = polar((sign * GAP_DEGREES) / 2);
    if (Math.hypot(x - capX, y - capY) <= RING_WIDTH / 2) return RING;
  }
  return BACKGROUND;
}

/** RGB pixels of the icon at `size` x `size`, 4 x 4 supersampled. */
function render(size) {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 3);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) * 32) / size;
          const y = ((py + (sy + 0.5) / samples) * 32) / size;
          const colour = colourAt(x, y);
          for (let c = 0; c < 3; c++) sum[c] += colour[c];
        }
      }
      for (let c = 0; c < 3; c++) {
        pixels[(py * size + px) * 3 + c] = Math.round(sum[c] / (samples * samples));
      }
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** The icon as a PNG file (8-bit RGB, no interlace) of `size` x `size` pixels. */
export function iconPng(size) {
  const pixels = render(size);
  const rows = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 3 + 1)] = 0; // filter: none
    pixels.copy(rows, y * (size * 3 + 1) + 1, y * size * 3, (y + 1) * size * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** favicon.ico holding PNG images of the given sizes (PNG-in-ICO, read by every browser). */
export function iconIco(sizes = [16, 32, 48]) {
  const images = sizes.map((size) => iconPng(size));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map((image, index) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(sizes[index] % 256, 0);
    entry.writeUInt8(sizes[index] % 256, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(image.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += image.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images]);
}
