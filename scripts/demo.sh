#!/usr/bin/env bash
# Runs the kiosk demo: the camera if one is connected, otherwise the synthetic fitting-room
# scene. With a display it opens a portrait window; without one it runs on a virtual display
# and writes what the screen shows to out/demo/latest.png every 3 seconds.
# Usage: bash scripts/demo.sh [--build-only] [extra kiosk arguments]
source "$(dirname "$0")/lib.sh"

ensure_rust
ensure_packages "${BUILD_PACKAGES[@]}" "${RUN_PACKAGES[@]}"

say "building (the same build as the tests; first build ~14 min on 2 cores; cache: $CARGO_TARGET_DIR)"
build_workspace
[ "${1:-}" = "--build-only" ] && exit 0
kiosk="$CARGO_TARGET_DIR/debug/kiosk"
# As the systemd unit runs it (README: Running for weeks).
export MALLOC_ARENA_MAX=2
args=(--config assets/kiosk.example.toml --camera device-or-synthetic --diagnostics --set catalog.bundled=assets/catalog "$@")

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  say "starting the kiosk in a window (touch or click to start a session; F3: diagnostics)"
  exec "$kiosk" --windowed "${args[@]}"
fi

ensure_packages "${HEADLESS_PACKAGES[@]}"
mkdir -p out/demo
say "no display: running on a virtual 1080x1920 screen (software rendering)"
say "look at $ROOT/out/demo/latest.png: it is rewritten every 3 s; a touch is simulated at 8 s and a scan of the Oxford shirt at 12 s. Ctrl-C stops."
exec xvfb-run -a -s "-screen 0 1080x1920x24" "$kiosk" --windowed \
  --set display.windowed_width=1080 --set display.windowed_height=1920 \
  --screenshot-every 3 --screenshot-dir out/demo --at 8:touch --at 12:scan=4006381000031 "${args[@]}"
