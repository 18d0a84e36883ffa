#!/usr/bin/env bash
# Copies the front-end files the pages use from node_modules (installed by `npm ci` from
# package-lock.json) into build/vendor/, which staticfiles serves as /static/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/vendor
rm -rf "$out"
mkdir -p "$out"/bootstrap/css "$out"/bootstrap/js "$out"/bootstrap-icons "$out"/htmx "$out"/chart.js
nm=node_modules
cp $nm/bootstrap/dist/css/bootstrap.min.css{,.map} "$out"/bootstrap/css/
cp $nm/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$out"/bootstrap/js/
cp -r $nm/bootstrap-icons/font/bootstrap-icons.min.css $nm/bootstrap-icons/font/fonts "$out"/bootstrap-icons/
cp $nm/htmx.org/dist/htmx.min.js "$out"/htmx/
cp $nm/chart.js/dist/chart.umd.min.js{,.map} "$out"/chart.js/
