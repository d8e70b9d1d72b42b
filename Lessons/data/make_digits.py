#!/usr/bin/env python3
"""Writes Lessons/data/digits/: scikit-learn's `load_digits` (the 1,797 8x8 handwritten digits of
the UCI collection) in MNIST's raw layout, so that ConvTour reads it as it reads MNIST:

    train-images-idx3-ubyte  t10k-images-idx3-ubyte   IDX 0x00000803: count, 8, 8, then bytes
    train-labels-idx1-ubyte  t10k-labels-idx1-ubyte   IDX 0x00000801: count, then bytes

The stored values are scikit-learn's, 0 to 16 (each the number of set pixels in a 4x4 block of
the original 32x32 bitmaps); ConvTour reads each as the pixel (v * 255 + 8) // 16. The split is
fixed and seeded: numpy.random.default_rng(0).permutation(1797); its first 360 indices, sorted,
are the test images, the other 1,437, sorted, the training images.

Run by hand (never by CI) with a Python that has scikit-learn and numpy:
    /tmp/tv/bin/python Lessons/data/make_digits.py
"""
import hashlib
import os
import struct

import numpy as np
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "digits")
TEST = 360


def idx(path, magic, array):
    with open(path, "wb") as f:
        f.write(struct.pack(">I", magic))
        for size in array.shape:
            f.write(struct.pack(">I", size))
        f.write(array.astype(np.uint8).tobytes())


def main():
    digits = load_digits()
    images = digits.images  # (1797, 8, 8) float64, values 0..16
    labels = digits.target  # (1797,) int
    assert images.shape == (1797, 8, 8) and images.min() == 0 and images.max() == 16
    assert np.all(images == np.round(images))
    order = np.random.default_rng(0).permutation(len(labels))
    test = np.sort(order[:TEST])
    train = np.sort(order[TEST:])
    os.makedirs(OUT, exist_ok=True)
    idx(os.path.join(OUT, "train-images-idx3-ubyte"), 0x803, images[train])
    idx(os.path.join(OUT, "train-labels-idx1-ubyte"), 0x801, labels[train])
    idx(os.path.join(OUT, "t10k-images-idx3-ubyte"), 0x803, images[test])
    idx(os.path.join(OUT, "t10k-labels-idx1-ubyte"), 0x801, labels[test])
    for name in sorted(os.listdir(OUT)):
        with open(os.path.join(OUT, name), "rb") as f:
            print(name, hashlib.sha256(f.read()).hexdigest())
    print("train", len(train), "test", len(test), "first test index", test[0], "label", labels[test[0]])
    print("class counts train", np.bincount(labels[train]).tolist(), "test", np.bincount(labels[test]).tolist())


if __name__ == "__main__":
    main()
