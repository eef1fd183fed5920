#!/usr/bin/env bash
# Debian packages the training needs (no pip, no model hub). Run as root on Debian bookworm.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends \
  python3 python3-numpy python3-torch python3-onnx python3-sklearn \
  man-db groff-base bsdextrautils manpages manpages-dev
# Node packages (transformers.js, onnxruntime-node) come from the project's npm install:
#   ONNXRUNTIME_NODE_INSTALL=skip npm ci
