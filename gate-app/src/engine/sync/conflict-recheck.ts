// process: engine
import type { ScanRepo } from '../store/scan-repo.js';

/**
 * "Re-send to learn a conflict", the one rule behind every path that learns a
 * seat's canonical admission (seat deltas, the live stream, an upload's reply).
 *
 * The server accepted this gate's admission of a seat as first, and now names
 * another device's admission as canonical: another gate's earlier offline scan
 * arrived after ours. Only the server can say which one lost, so this gate sends
 * its admission again (uploads are idempotent) and the reply carries the
 * conflict. Keyed on device id: gate names are not unique, and online staff
 * (device null) is another admitter too.
 *
 * Returns true when an admission was queued again. Call inside the transaction
 * that records the canonical admission.
 */
export function recheckLostAdmission(
  scans: Pick<ScanRepo, 'requeueAdmission'>,
  seatId: string,
  canonical: { deviceId: string | null },
  selfDeviceId: string | null,
): boolean {
  if (selfDeviceId !== null && canonical.deviceId === selfDeviceId) return false;
  return scans.requeueAdmission(seatId);
}
