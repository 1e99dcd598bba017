// The proof-of-work of the anonymous concerns forms (docs/concerns.md): before the form is sent,
// find a number whose SHA-256 with the server's challenge starts with the given number of zero
// bits. No third party is involved. Without JavaScript the form is sent as it is and the server
// applies a stricter limit instead.
function leadingZeroBits(bytes) {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

async function solve(challenge, difficulty) {
  const encoder = new TextEncoder();
  for (let counter = 0; ; counter += 1) {
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${challenge}:${counter}`));
    if (leadingZeroBits(new Uint8Array(digest)) >= difficulty) return String(counter);
  }
}

for (const form of document.querySelectorAll("form[data-proof-of-work]")) {
  form.addEventListener("submit", async (event) => {
    const solution = form.querySelector("input[name=solution]");
    if (!solution || solution.value || !window.crypto || !crypto.subtle) return;
    event.preventDefault();
    const status = form.querySelector("[data-proof-of-work-status]");
    if (status) status.textContent = "Checking this is not an automated message. This takes a few seconds.";
    const challenge = form.querySelector("input[name=challenge]").value;
    solution.value = await solve(challenge, Number(form.dataset.proofOfWork));
    if (status) status.textContent = "";
    HTMLFormElement.prototype.submit.call(form);
  });
}
