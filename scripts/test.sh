#!/usr/bin/env bash
# Runs every test: unit tests, Bevy system tests, and the screenshot tests of the real kiosk
# under Xvfb + lavapipe. Installs what is missing first. Usage: bash scripts/test.sh
source "$(dirname "$0")/lib.sh"

started=$(date +%s)
ensure_rust
ensure_packages "${BUILD_PACKAGES[@]}" "${RUN_PACKAGES[@]}" "${HEADLESS_PACKAGES[@]}" "${BROWSER_PACKAGES[@]}" \
  "${BROKER_PACKAGES[@]}" "${DATABASE_PACKAGES[@]}" "${MEDIA_PACKAGES[@]}" "${SYSTEM_PACKAGES[@]}"
ensure_seaweedfs

say "checking formatting"
cargo fmt --all -- --check

say "building (cache: $CARGO_TARGET_DIR)"
build_workspace

say "running tests"
set +e
cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$CARGO_TARGET_DIR/last-test.log"
status=${PIPESTATUS[0]}
set -e

# The demo must run from this very build: its build step may compile nothing now.
say "checking that the demo shares this build"
demo_build=$(bash scripts/demo.sh --build-only 2>&1)
if grep -E '^\s*Compiling ' <<<"$demo_build"; then
  echo "the demo's build step compiled the crates above after the test build: the two commands no longer share one build" >&2
  status=1
fi
if grep -E '^\s*Compiling ' "$CARGO_TARGET_DIR/last-test.log"; then
  echo "cargo test compiled the crates above after the build step: the test run and the build differ" >&2
  status=1
fi

passed=$(grep -Eo '[0-9]+ passed' "$CARGO_TARGET_DIR/last-test.log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$CARGO_TARGET_DIR/last-test.log" | awk '{s+=$1} END {print s+0}')
say "done in $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed"
exit "$status"
