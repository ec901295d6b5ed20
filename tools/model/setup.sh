#!/usr/bin/env bash
# Sets up the learned `model` detector tier on this machine:
#  1. ONNX Runtime's shared library, from PyPI's `onnxruntime` wheel, into .scrim/ort/ (where
#     `scrim` looks for it; ORT_DYLIB_PATH overrides). Nothing is downloaded at run time.
#  2. Checks that the model files (models/scrim-ner/) are present.
# Needs python3 with pip. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/../.."

ORT_VERSION="${ORT_VERSION:-1.22.1}"
target=.scrim/ort
if ls "$target"/onnxruntime/capi/libonnxruntime.so* >/dev/null 2>&1; then
  echo "ONNX Runtime: already in $target"
else
  echo "ONNX Runtime $ORT_VERSION: installing from PyPI into $target"
  rm -rf "$target"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
    --target "$target" "onnxruntime==$ORT_VERSION"
fi
lib=$(ls "$target"/onnxruntime/capi/libonnxruntime.so* | head -n 1)
echo "ONNX Runtime library: $lib"

model=models/scrim-ner
for f in model.onnx tokenizer.json config.json; do
  if [ ! -f "$model/$f" ]; then
    echo "missing $model/$f: the model is committed with the repository; see tools/model/README.md to rebuild it" >&2
    exit 1
  fi
done
echo "Model: $model ($(du -h "$model/model.onnx" | cut -f1))"
echo "Ready: scrim redact IN -o OUT --tiers rules,model"
