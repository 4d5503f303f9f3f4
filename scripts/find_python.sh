#!/bin/sh
# Print the first of python3.13, python3.12, python3.11, python3 that is Python 3.11 or newer.
# With none, say which versions the book supports and exit 1. Used by the Makefile.
for p in python3.13 python3.12 python3.11 python3; do
  command -v "$p" >/dev/null 2>&1 || continue
  v=$("$p" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue
  major=${v%%.*}; minor=${v#*.}
  case "$major.$minor" in *[!0-9.]*|.*|*.) continue ;; esac
  if [ "$major" -gt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -ge 11 ]; }; then
    echo "$p"
    exit 0
  fi
done
echo "The book needs Python 3.11, 3.12 or 3.13 (found none on PATH as python3.13, python3.12, python3.11 or python3)." >&2
echo "Install one, or name it: make book PYTHON=/path/to/python3.12" >&2
exit 1
