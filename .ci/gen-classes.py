#!/usr/bin/env python3
"""Writes the ImageNet class names (one per line, torchvision's order) as a Swift array."""
import json
import sys

source, target = sys.argv[1], sys.argv[2]
names = [line.rstrip("\n") for line in open(source, encoding="utf-8") if line.strip()]
assert len(names) == 1000, f"expected 1000 class names, found {len(names)}"
lines = [
    "// Generated from shared/data/imagenet_classes.txt: the 1000 ImageNet class names in the standard",
    "// index order (torchvision's). Regenerate with `make classes`.",
    "enum ImageNetClasses {",
    "  static let names: [String] = [",
    *(f"    {json.dumps(n, ensure_ascii=False)}," for n in names),
    "  ]",
    "}",
]
open(target, "w", encoding="utf-8").write("\n".join(lines) + "\n")
