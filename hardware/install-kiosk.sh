#!/usr/bin/env bash
# Sets up a Debian 12 machine as a smart-mirror kiosk: the kiosk user, cage, the kiosk binary,
# its provisioned config, the camera udev rule and the systemd unit with the watchdog.
#
#   sudo bash hardware/install-kiosk.sh BUNDLE_DIR KIOSK_BINARY
#
# BUNDLE_DIR is one kiosk's bundle from `provision` (it holds kiosk.toml); KIOSK_BINARY is a
# release build (`cargo build --release -p kiosk`). Safe to run again (e.g. to update).
set -euo pipefail

bundle=${1:?usage: install-kiosk.sh BUNDLE_DIR KIOSK_BINARY}
binary=${2:?usage: install-kiosk.sh BUNDLE_DIR KIOSK_BINARY}
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
[ -f "$bundle/kiosk.toml" ] || { echo "$bundle/kiosk.toml is missing: pass a bundle made by provision" >&2; exit 1; }

echo "==> packages: cage (Wayland kiosk compositor), Mesa drivers, fonts"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cage mesa-vulkan-drivers libgl1-mesa-dri fonts-dejavu-core

echo "==> the kiosk user (no password, no shell login; video/input/render for camera, touch, GPU)"
id kiosk >/dev/null 2>&1 || useradd --system --create-home --shell /usr/sbin/nologin kiosk
usermod -a -G video,input,render kiosk

echo "==> program, profiles and config"
install -D -m 0755 "$binary" /opt/smart-mirror/bin/kiosk
install -d -m 0755 /opt/smart-mirror/hardware/profiles
install -m 0644 "$here"/profiles/*.toml /opt/smart-mirror/hardware/profiles/
# The config holds the kiosk's broker password and relay key: readable by the kiosk user only.
install -D -m 0640 -o root -g kiosk "$bundle/kiosk.toml" /etc/smart-mirror/kiosk.toml
# With the chain's CA, the bundle has a TLS client certificate instead of a broker password.
if [ -f "$bundle/client.key" ]; then
  install -m 0640 -o root -g kiosk "$bundle/client.key" /etc/smart-mirror/client.key
  install -m 0644 "$bundle/client.crt" "$bundle/ca.crt" /etc/smart-mirror/
fi

echo "==> camera udev rule and the service"
install -m 0644 "$here/udev/70-smart-mirror-camera.rules" /etc/udev/rules.d/
udevadm control --reload && udevadm trigger --subsystem-match=video4linux
install -m 0644 "$here/systemd/smart-mirror-kiosk.service" /etc/systemd/system/
systemd-analyze verify /etc/systemd/system/smart-mirror-kiosk.service

echo "==> power cuts: persistent journal; the outbox and caches fsync on their own"
install -d -m 2755 -g systemd-journal /var/log/journal

systemctl daemon-reload
systemctl set-default graphical.target
systemctl enable smart-mirror-kiosk.service
systemctl restart smart-mirror-kiosk.service
echo "==> done: journalctl -u smart-mirror-kiosk -f"
