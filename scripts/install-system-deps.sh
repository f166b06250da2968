#!/usr/bin/env bash
# Debian packages the test suite needs and pip cannot provide:
#   ffmpeg   -> ffprobe, to check rendered videos independently of the renderer's own ffmpeg
#              (the renderer itself uses the ffmpeg binary of the imageio-ffmpeg wheel).
#   chromium -> the headless browser the web-app tests drive with Playwright (executable_path);
#              Debian's build, so no browser download from Playwright's CDN is needed.
# Idempotent: installs only what is missing. Needs root (or sudo) and Debian's package registry.
set -euo pipefail

missing=()
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-system-deps: need root to apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "install-system-deps: installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
