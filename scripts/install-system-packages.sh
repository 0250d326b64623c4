#!/usr/bin/env bash
# Debian packages the tests and `detector synth` need: the Apertium engine
# with its English language pairs, WordNet for the spinner's synonyms, and
# Chromium, in which the tests open the HTML reports.
set -euo pipefail

packages=(
  apertium apertium-eng-spa apertium-eng-cat apertium-en-gl apertium-eo-en
  wordnet-base wordnet-sense-index
  chromium
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
