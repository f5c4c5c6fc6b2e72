#!/usr/bin/env bash
# Render a workbook as a person will see it on paper: FILE.xlsx -> FILE.pdf -> FILE-N.png pages.
# Needs LibreOffice (Debian: libreoffice-calc-nogui), poppler-utils (pdftoppm) and fonts-noto-cjk.
# Usage: scripts/render.sh FILE.xlsx [OUTDIR] [DPI]    (default OUTDIR: beside FILE; DPI: 60)
# Prints the PDF's path and its page count; PNG pages are OUTDIR/NAME-1.png, NAME-2.png, ...
set -euo pipefail
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 FILE.xlsx [OUTDIR] [DPI]" >&2; exit 2
fi
file=$(readlink -f "$1")
out=$(readlink -f "${2:-$(dirname "$file")}")
dpi=${3:-60}
name=$(basename "${file%.*}")
for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "$tool not found (apt install libreoffice-calc-nogui poppler-utils fonts-noto-cjk)" >&2; exit 1; }
done
mkdir -p "$out"
# A private LibreOffice profile, so a render never collides with a running office or another render.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out" "$file" >/dev/null 2>&1
pdf="$out/$name.pdf"
[ -f "$pdf" ] || { echo "LibreOffice could not convert $file" >&2; exit 1; }
rm -f "$out/$name"-*.png
pdftoppm -r "$dpi" -png "$pdf" "$out/$name"
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
echo "$pdf ${pages:-?} pages"
