#!/bin/sh
# Turns a Debian 12 machine into a gate appliance: the headless gate engine as a
# systemd service and Debian's chromium in kiosk mode under cage on tty1.
# Run as root from a release checked out at /opt/ticketgate (see installers/linux/README.md).
set -eu
ROOT=/opt/ticketgate
HERE="$ROOT/installers/linux/appliance"
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -f "$HERE/ticketgate-gate.service" ] || { echo "expected the release at $ROOT" >&2; exit 1; }

apt-get install -y --no-install-recommends nodejs npm chromium cage fonts-dejavu-core
getent group plugdev >/dev/null || groupadd --system plugdev
id ticketgate-gate >/dev/null 2>&1 || useradd --system --home-dir /var/lib/ticketgate-gate --shell /usr/sbin/nologin --groups dialout,plugdev ticketgate-gate
# The screen's user: video/render/input for the compositor, audio for the verdict sounds.
id ticketgate-kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/ticketgate-kiosk --shell /usr/sbin/nologin --groups video,render,input,audio ticketgate-kiosk

# Build once here: the units run the bundled engine, never TypeScript.
(cd "$ROOT" && npm ci && npx tsx gate-app/scripts/build-app.ts)

install -d -m 0755 /etc/ticketgate /etc/chromium/policies/managed
[ -f /etc/ticketgate/gate.env ] || install -m 0640 -g ticketgate-gate "$HERE/gate.env.example" /etc/ticketgate/gate.env
[ -f /etc/ticketgate/gate-hardware.json ] || install -m 0644 "$HERE/gate-hardware.json" /etc/ticketgate/gate-hardware.json
install -m 0644 "$HERE/chromium-policy.json" /etc/chromium/policies/managed/ticketgate-kiosk.json
sh "$ROOT/installers/linux/after-install.sh"
install -m 0644 "$HERE/ticketgate-gate.service" "$HERE/ticketgate-kiosk.service" /etc/systemd/system/
systemctl daemon-reload
systemctl enable ticketgate-gate.service ticketgate-kiosk.service
systemctl set-default graphical.target
echo "Edit /etc/ticketgate/gate.env (server, gate name, zone, supervisor PIN), then: systemctl start ticketgate-gate ticketgate-kiosk"
