"""Makes the image fixtures of ConvTourIOTests and prints the values the tests expect.

Run once, by hand, from this folder: python3 make_image_fixtures.py (Pillow and NumPy). The tests
never run Python; they read the files written here and compare with the printed values, which
are pasted into ImageDecodeTests.swift and ImagePreprocessTests.swift.

Expected pixels are Pillow's `Image.open(path).convert("RGB")`; expected tensors are torchvision's
Resize / CenterCrop / ToTensor / Normalize, replayed with Pillow and NumPy (float32) below.
"""

import struct
import zlib

import numpy as np
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def fnv1a(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(path, width, height, depth, color, rows, extra=b""):
    """A PNG written by hand (Pillow cannot write 16-bit RGB): filter 0 on every row."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    data = b"".join(b"\x00" + r for r in rows)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra
    png += chunk(b"IDAT", zlib.compress(data, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(png)
    return png


def torchvision(path, resize, crop):
    """Resize(resize), CenterCrop(crop), ToTensor(), Normalize(MEAN, STD) on a PIL image."""
    img = Image.open(path).convert("RGB")
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(resize * long / short)
    size = (resize, new_long) if w <= h else (new_long, resize)
    a = np.asarray(img.resize(size, Image.BILINEAR), dtype=np.uint8)
    h, w = a.shape[:2]
    if crop > w or crop > h:  # torchvision pads with zeros, (crop - side) // 2 before
        pw, ph = max(crop - w, 0), max(crop - h, 0)
        a = np.pad(a, ((ph // 2, (ph + 1) // 2), (pw // 2, (pw + 1) // 2), (0, 0)))
        h, w = a.shape[:2]
    top, left = int(round((h - crop) / 2.0)), int(round((w - crop) / 2.0))
    a = a[top : top + crop, left : left + crop]
    t = a.astype(np.float32).transpose(2, 0, 1) / np.float32(255)
    return (t - MEAN[:, None, None]) / STD[:, None, None]


rng = np.random.default_rng(20261123)
yy, xx = np.mgrid[0:30, 0:40]
smooth = np.stack([xx * 6, yy * 8, (xx + yy) * 3], -1) + rng.integers(0, 40, (30, 40, 3))
rgb = np.clip(smooth, 0, 255).astype(np.uint8)
Image.fromarray(rgb).save("rgb-40x30.png")
Image.fromarray(rgb).save("png-named.jpg", format="PNG")
Image.fromarray(rgb).save("photo-40x30.jpg", quality=90)  # 4:2:0
Image.fromarray(rgb[:21, :33]).save("progressive-33x21.jpg", quality=80, progressive=True, subsampling=0)
Image.fromarray(rgb[:16, :24, 1]).save("gray-24x16.jpg", quality=85)
Image.new("CMYK", (8, 8), (10, 20, 30, 40)).save("cmyk-8x8.jpg")
Image.fromarray(rgb[:13, :17, 0]).save("gray-17x13.png")
rgba = np.dstack([rgb[:11, :23], rng.integers(0, 256, (11, 23), dtype=np.uint8)])
rgba[0, :6, 3] = 0  # colours under zero alpha must survive (PIL does not composite)
Image.fromarray(rgba).save("rgba-23x11.png")
pal = Image.fromarray(rgb[:14, :19]).convert("P", palette=Image.ADAPTIVE, colors=12)
pal.save("palette-19x14.png", transparency=2)
tall = rng.integers(0, 256, (50, 12, 3), dtype=np.uint8)
Image.fromarray(tall).save("tall-12x50.png")
gamma = chunk(b"gAMA", struct.pack(">I", 100000))
chrm = chunk(b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000))
raw_png("gamma-12x10.png", 12, 10, 8, 2, [rgb[i, :12].tobytes() for i in range(10)], gamma + chrm)
rgb16 = rng.integers(0, 65536, (7, 9, 3), dtype=np.uint16)
raw_png("rgb16-9x7.png", 9, 7, 16, 2, [rgb16[i].astype(">u2").tobytes() for i in range(7)])
gray16 = rng.integers(0, 600, (7, 9), dtype=np.uint16)  # PIL clips to 255
raw_png("gray16-9x7.png", 9, 7, 16, 0, [gray16[i].astype(">u2").tobytes() for i in range(7)])
rgba16 = rng.integers(0, 65536, (6, 8, 4), dtype=np.uint16)
rgba16[..., 3] = rng.integers(32768, 65536, (6, 8))
rgba16[0, :4, 3] = 65535
raw_png("rgba16-8x6.png", 8, 6, 16, 6, [rgba16[i].astype(">u2").tobytes() for i in range(6)])
open("rgba16-8x6.pil.rgb", "wb").write(np.asarray(Image.open("rgba16-8x6.png").convert("RGB")).tobytes())
ppm = rgb[:6, :10]
open("rgb-10x6.ppm", "wb").write(b"P6\n# made by make_image_fixtures.py\n10 6\n255\n" + ppm.tobytes() + b"trailing")
open("maxval100-7x5.ppm", "wb").write(
    b"P6 7 5 100\n" + rng.integers(0, 101, (5, 7, 3), dtype=np.uint8).tobytes())
open("maxval65535-7x5.ppm", "wb").write(
    b"P6\n7\n5\n65535\n" + rng.integers(0, 65536, (5, 7, 3)).astype(">u2").tobytes())

# Broken files.
png = open("rgb-40x30.png", "rb").read()
open("truncated.png", "wb").write(png[: len(png) // 2])
idat = png.index(b"IDAT") - 4  # the IDAT chunk: length, type, data, CRC
idat_end = idat + 12 + struct.unpack(">I", png[idat : idat + 4])[0]
bad = bytearray(png)
bad[idat_end - 1] ^= 0xFF  # the CRC
open("bad-crc.png", "wb").write(bytes(bad))
bad = bytearray(png)
bad[idat + 28] ^= 0xFF  # the compressed data (the CRC then fails too, but zlib fails first)
open("corrupt-data.png", "wb").write(bytes(bad))
jpg = open("photo-40x30.jpg", "rb").read()
open("truncated.jpg", "wb").write(jpg[: len(jpg) * 2 // 3])
sof = jpg.index(b"\xff\xc0")  # SOF0: marker, length (2), precision (1), height (2), width (2)
open("corrupt.jpg", "wb").write(jpg[: sof + 4] + b"\x07" + jpg[sof + 5 :])  # 7-bit samples
open("truncated.ppm", "wb").write(b"P6\n10 6\n255\n" + ppm.tobytes()[:100])
open("zero-size.ppm", "wb").write(b"P6\n0 6\n255\n")
open("huge.ppm", "wb").write(b"P6\n20000 10000\n255\n")
open("ascii.ppm", "wb").write(b"P3\n1 1\n255\n0 0 0\n")
open("bad-header.ppm", "wb").write(b"P6\nten 6\n255\n")
open("unknown.gif", "wb").write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
open("empty.png", "wb").write(b"")
huge_ihdr = struct.pack(">IIBBBBB", 20000, 10000, 8, 2, 0, 0, 0)
open("huge.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", huge_ihdr)
                             + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b""))
zero_ihdr = struct.pack(">IIBBBBB", 0, 5, 8, 2, 0, 0, 0)
open("zero-size.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", zero_ihdr)
                                  + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
open("huge.jpg", "wb").write(jpg[: sof + 5] + struct.pack(">HH", 10000, 20000) + jpg[sof + 9 :])

print("// decoded: name, width, height, FNV-1a of the pixels, pixel (0, 0)")
for name in ["rgb-40x30.png", "png-named.jpg", "gray-17x13.png", "rgba-23x11.png", "palette-19x14.png",
             "tall-12x50.png", "gamma-12x10.png", "rgb16-9x7.png", "gray16-9x7.png", "photo-40x30.jpg",
             "progressive-33x21.jpg", "gray-24x16.jpg", "rgb-10x6.ppm", "maxval100-7x5.ppm",
             "maxval65535-7x5.ppm"]:
    img = Image.open(name)
    mode = img.mode
    a = np.asarray(img.convert("RGB"))
    print(f'("{name}", {a.shape[1]}, {a.shape[0]}, 0x{fnv1a(a.tobytes()):016x}, '
          f'({a[0, 0, 0]}, {a[0, 0, 1]}, {a[0, 0, 2]})),  // PIL mode {mode}')

print("// resampled by Pillow: name, width, height, FNV-1a")
for name, size in [("rgb-40x30.png", (26, 20)), ("rgb-40x30.png", (341, 256)), ("rgb-40x30.png", (10, 8)),
                   ("rgb-40x30.png", (57, 13)), ("rgb-40x30.png", (40, 7)), ("rgb-40x30.png", (3, 30)),
                   ("tall-12x50.png", (8, 33)), ("tall-12x50.png", (256, 1066)), ("tall-12x50.png", (11, 20)),
                   ("gray-17x13.png", (31, 24)), ("photo-40x30.jpg", (341, 256))]:
    a = np.asarray(Image.open(name).convert("RGB").resize(size, Image.BILINEAR))
    print(f'("{name}", {size[0]}, {size[1]}, 0x{fnv1a(a.tobytes()):016x}),')

print("// preprocessed: name, resize, crop -> file of float32 values, little-endian")
for name, resize, crop, out in [("rgb-40x30.png", 20, 15, "rgb-40x30.r20c15.f32"),
                                ("rgb-40x30.png", 20, 16, "rgb-40x30.r20c16.f32"),
                                ("gray-17x13.png", 24, 20, "gray-17x13.r24c20.f32"),
                                ("rgb-40x30.png", 8, 12, "rgb-40x30.r8c12.f32"),
                                ("tall-12x50.png", 8, 8, "tall-12x50.r8c8.f32")]:
    torchvision(name, resize, crop).astype("<f4").tofile(out)
    print(out)
for name in ["photo-40x30.jpg", "tall-12x50.png"]:
    t = torchvision(name, 256, 224)
    samples = [(c, i, j, float(t[c, i, j])) for c, i, j in [(0, 0, 0), (1, 111, 57), (2, 223, 223), (0, 100, 200)]]
    print(f'("{name}", 0x{fnv1a(t.astype("<f4").tobytes()):016x}, {samples}),')
