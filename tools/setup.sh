#!/usr/bin/env bash
# Installs the Debian 12 packages gtxsim needs, only those that are missing.
# Used by the README's two commands and by .ci/run; safe to run again.
set -eu
pkgs=(
  meson ninja-build pkg-config gcc
  libsdl2-dev libsdl2-ttf-dev libcjson-dev check libsubunit-dev
  fonts-dejavu-core libfontconfig-dev libpng-dev
  gcc-arm-none-eabi libnewlib-arm-none-eabi binutils
  python3-numpy python3-scipy python3-can python3-canmatrix python3-serial
  xvfb xauth xdotool imagemagick clang
  python3-matplotlib parallel slurm-wlm munge
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
