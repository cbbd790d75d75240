// Waits until the gate engine's local API answers (usage: node wait-for-gate.mjs URL SECONDS),
// so that the kiosk browser never opens on an error page. Exit 1 when it does not answer in time.
const [url = 'http://127.0.0.1:7000/status', seconds = '120'] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;
for (;;) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (res.ok) process.exit(0);
  } catch {
    // not listening yet
  }
  if (Date.now() > deadline) {
    console.error(`gate engine at ${url} did not answer within ${seconds} s`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}
