#!/usr/bin/env bash
# Extracts every digital corpus report into /tmp/out and scores it against the truth files.
out=${OUT:-/tmp/out}; mkdir -p $out; rm -f $out/*.json
for f in ../shared/corpus/*.pdf ../shared/corpus/real/*.pdf ../shared/corpus/*.txt ../shared/corpus/*.html; do
  case $f in *scan*) [ -n "$SCANS" ] || continue;; esac
  npx xxgk extract $f --out $out/$(basename $f).json 2>/dev/null
done
node ../shared/tools/score.mjs --truth ../shared/corpus --records $out --only-recorded
node ../shared/tools/score.mjs --truth ../shared/corpus/real --records $out --only-recorded | tail -2
