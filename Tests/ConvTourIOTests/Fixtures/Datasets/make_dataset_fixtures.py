#!/usr/bin/env python3
"""Writes the dataset fixtures of ConvTourIOTests (DatasetTests, DatasetRejectionTests) and
expected.json, the values the Swift tests compare. Run by hand (never by CI) with a Python that
has numpy and Pillow (torchvision is not needed: each good fixture is read back here as
torchvision reads it, with pickle.load(f, encoding="latin1"), numpy and PIL):

    /tmp/tv/bin/python Tests/ConvTourIOTests/Fixtures/Datasets/make_dataset_fixtures.py

Good fixtures:
  mnist/MNIST/raw/                  the four IDX files, plain; images 4 rows x 3 columns
  fashion/FashionMNIST/raw/         the four as .gz only
  cifar-py2/cifar-10-batches-py/    written opcode for opcode as Python 2's cPickle wrote the real
                                    files (protocol 2, BINSTRING, memo from 1); data_batch_1's
                                    pixels are all below 128 (so its data is valid UTF-8)
  cifar-py3/cifar-10-batches-py/    pickle.dump(protocol=2) by Python 3 and numpy 2 (BINUNICODE,
                                    numpy._core.multiarray, _codecs.encode)
  cifar-bin/cifar-10-batches-bin/   the binary version
  images/                           an image folder: two classes, PNGs of several sizes and modes,
                                    a nested folder, a JPEG, and files that are ignored
  pair/X.npy, pair/Y.npy            float32 [7, 1, 4, 4] and int64 [7]
Rejections: reject-* (one problem each; DatasetRejectionTests names them).
"""
import gzip
import io
import json
import os
import pickle
import pickletools
import shutil
import struct

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20)
expected = {}


def fnv(data):
    """FNV-1a, 64 bits, of bytes (the Swift tests compute the same)."""
    h = 0xCBF29CE484222325
    for b in bytes(data):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def fresh(*parts):
    path = os.path.join(HERE, *parts)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


# ---- MNIST IDX ---------------------------------------------------------------------------

def idx(magic, array):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", s) for s in array.shape) + \
        array.astype(np.uint8).tobytes()


def read_idx(path):
    """torchvision's read_sn3_pascalvincent_tensor, for unsigned bytes."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    nd, ty = magic % 256, magic // 256
    assert ty == 8 and nd in (1, 3)
    s = [int.from_bytes(data[4 * (i + 1):4 * (i + 2)], "big") for i in range(nd)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 * (nd + 1)).reshape(*s)


def mnist_files(folder, train_x, train_y, test_x, test_y, gz=False):
    files = {
        "train-images-idx3-ubyte": idx(0x803, train_x), "train-labels-idx1-ubyte": idx(0x801, train_y),
        "t10k-images-idx3-ubyte": idx(0x803, test_x), "t10k-labels-idx1-ubyte": idx(0x801, test_y),
    }
    for name, data in files.items():
        if gz:
            write(os.path.join(folder, name + ".gz"), gzip.compress(data, mtime=0))
        else:
            write(os.path.join(folder, name), data)
    return files


def split_expectation(images_chw, labels):
    """What the Swift Dataset holds: uint8 [N, C, H, W] and the labels."""
    images_chw = np.ascontiguousarray(images_chw, dtype=np.uint8)
    return {"count": int(len(labels)), "labels": [int(v) for v in labels], "fnv": fnv(images_chw.tobytes()),
            "first": [int(v) for v in images_chw.reshape(-1)[:8]]}


def to_tensor_normalise(chw_uint8, mean, std):
    """ToTensor then Normalize, in float32 as torch computes them."""
    x = chw_uint8.astype(np.float32) / np.float32(255)
    m = np.array(mean, dtype=np.float32).reshape(-1, 1, 1)
    s = np.array(std, dtype=np.float32).reshape(-1, 1, 1)
    return ((x - m) / s).astype(np.float32)


def prepared_expectation(pils, input_chw, mean, std):
    """PIL: convert to the input's mode first, then resize((W, H), BILINEAR); then ToTensor and
    Normalize."""
    c, h, w = input_chw
    out = []
    for im in pils:
        im = im.convert("L" if c == 1 else "RGB")
        if im.size != (w, h):
            im = im.resize((w, h), Image.BILINEAR)
        a = np.asarray(im, dtype=np.uint8)
        a = a[None] if c == 1 else a.transpose(2, 0, 1)
        out.append(to_tensor_normalise(a, mean, std))
    t = np.stack(out).astype("<f4")
    return {"input": list(input_chw), "mean": mean, "std": std, "fnv": fnv(t.tobytes()),
            "first": [float(v) for v in t.reshape(-1)[:6]], "sum": float(t.astype(np.float64).sum())}


def make_mnist():
    folder = fresh("mnist", "MNIST", "raw")
    train_x = rng.integers(0, 256, (5, 4, 3), dtype=np.uint8)
    train_y = np.array([3, 0, 9, 1, 3], dtype=np.uint8)
    test_x = rng.integers(0, 256, (3, 4, 3), dtype=np.uint8)
    test_y = np.array([7, 2, 5], dtype=np.uint8)
    mnist_files(folder, train_x, train_y, test_x, test_y)
    x, y = read_idx(os.path.join(folder, "train-images-idx3-ubyte")), read_idx(os.path.join(folder, "train-labels-idx1-ubyte"))
    assert (x == train_x).all() and (y == train_y).all()
    pils = [Image.fromarray(a, mode="L") for a in x]
    expected["mnist"] = {
        "train": split_expectation(x[:, None], y), "test": split_expectation(test_x[:, None], test_y),
        # grey to RGB, and larger: MNIST for a 3-channel network
        "prepared": prepared_expectation(pils, (3, 6, 5), [0.5, 0.4, 0.3], [0.2, 0.25, 0.5]),
    }
    folder = fresh("fashion", "FashionMNIST", "raw")
    fx = rng.integers(0, 256, (4, 5, 5), dtype=np.uint8)
    fy = np.array([9, 0, 4, 4], dtype=np.uint8)
    tx = rng.integers(0, 256, (2, 5, 5), dtype=np.uint8)
    ty = np.array([1, 8], dtype=np.uint8)
    mnist_files(folder, fx, fy, tx, ty, gz=True)
    assert (read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz")) == fx).all()
    expected["fashion"] = {"train": split_expectation(fx[:, None], fy), "test": split_expectation(tx[:, None], ty)}
    return train_x, train_y, test_x, test_y


def make_mnist_rejections(good):
    train_x, train_y, test_x, test_y = good

    def variant(name, gz=False, **replace):
        folder = fresh(name, "MNIST", "raw")
        files = mnist_files(folder, train_x, train_y, test_x, test_y, gz=gz)
        for file, data in replace.items():
            file = file.replace("_", "-")
            target = os.path.join(folder, file + (".gz" if gz else ""))
            if data is None:
                os.remove(target)
            else:
                write(target, data(files[file]) if callable(data) else data)

    variant("reject-idx-magic", train_images_idx3_ubyte=lambda d: struct.pack(">I", 0x801) + d[4:])
    variant("reject-idx-magic-other", t10k_images_idx3_ubyte=lambda d: struct.pack(">I", 0xD03) + d[4:])
    variant("reject-idx-truncated", train_images_idx3_ubyte=lambda d: d[:-7])
    variant("reject-idx-header", train_labels_idx1_ubyte=lambda d: d[:6])
    variant("reject-idx-trailing", t10k_labels_idx1_ubyte=lambda d: d + b"\0\0")
    variant("reject-idx-count", t10k_labels_idx1_ubyte=idx(0x801, np.array([7, 2], dtype=np.uint8)))
    variant("reject-idx-label-range", train_labels_idx1_ubyte=idx(0x801, np.array([3, 0, 10, 1, 3], dtype=np.uint8)))
    variant("reject-idx-size-mismatch", t10k_images_idx3_ubyte=idx(0x803, rng.integers(0, 256, (3, 3, 4), dtype=np.uint8)))
    variant("reject-idx-missing", t10k_labels_idx1_ubyte=None)
    # gzip: cut short, corrupted, and absurd (a header declaring 2 billion 28x28 images); a size
    # too large to count
    variant("reject-idx-gz-truncated", gz=True, train_images_idx3_ubyte=lambda d: gzip.compress(d, mtime=0)[:-12])
    corrupt = bytearray(gzip.compress(idx(0x803, train_x), mtime=0))
    corrupt[-9] ^= 0xFF  # the CRC
    variant("reject-idx-gz-corrupt", gz=True, train_images_idx3_ubyte=bytes(corrupt))
    variant("reject-idx-gz-absurd", gz=True,
            train_images_idx3_ubyte=gzip.compress(struct.pack(">IIII", 0x803, 0x7FFFFFFF, 28, 28), mtime=0))
    variant("reject-idx-uncountable",
            train_images_idx3_ubyte=struct.pack(">IIII", 0x803, 0xFFFFFFFF, 0xFFFF, 0xFFFF))


# ---- CIFAR-10 python: Python 2's cPickle, opcode for opcode -------------------------------

class CPickle2:
    """Protocol 2 as Python 2.7's cPickle writes it: PROTO 2; memo indices from 1 (BINPUT, then
    LONG_BINPUT past 255) for every dict, list, tuple, global, reduced object and str longer than
    one character; str as SHORT_BINSTRING/BINSTRING; ints as BININT1/BININT2/BININT; lists and
    dicts filled by APPENDS/SETITEMS in batches of 1000 (APPEND/SETITEM for a batch of one)."""

    def __init__(self):
        self.out = bytearray(b"\x80\x02")
        self.memo = 1

    def put(self):
        self.out += (b"q" + bytes([self.memo])) if self.memo < 256 else (b"r" + struct.pack("<I", self.memo))
        self.memo += 1

    def str(self, s):
        data = s.encode("latin1") if isinstance(s, str) else bytes(s)
        self.out += (b"U" + bytes([len(data)])) if len(data) < 256 else (b"T" + struct.pack("<i", len(data)))
        self.out += data
        if len(data) >= 2:
            self.put()

    def int(self, n):
        if 0 <= n < 256:
            self.out += b"K" + bytes([n])
        elif 0 <= n < 65536:
            self.out += b"M" + struct.pack("<H", n)
        else:
            self.out += b"J" + struct.pack("<i", n)

    def glob(self, module, name):
        self.out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"
        self.put()

    def tuple(self, items):
        if len(items) <= 3:
            for item in items:
                self.save(item)
            self.out += bytes([0x84 + len(items)]) if items else b")"
            if items:
                self.put()
        else:
            self.out += b"("
            for item in items:
                self.save(item)
            self.out += b"t"
            self.put()

    def list(self, items):
        self.out += b"]"
        self.put()
        for start in range(0, len(items), 1000):
            batch = items[start:start + 1000]
            if len(batch) == 1:
                self.save(batch[0])
                self.out += b"a"
            else:
                self.out += b"("
                for item in batch:
                    self.save(item)
                self.out += b"e"

    def dict(self, pairs):
        self.out += b"}"
        self.put()
        for start in range(0, len(pairs), 1000):
            batch = pairs[start:start + 1000]
            if len(batch) == 1:
                self.save(batch[0][0])
                self.save(batch[0][1])
                self.out += b"s"
            else:
                self.out += b"("
                for key, value in batch:
                    self.save(key)
                    self.save(value)
                self.out += b"u"

    def save(self, value):
        if isinstance(value, Raw):
            value.write(self)
        elif value is None:
            self.out += b"N"
        elif value is False:
            self.out += b"\x89"
        elif value is True:
            self.out += b"\x88"
        elif isinstance(value, int):
            self.int(value)
        elif isinstance(value, (str, bytes)):
            self.str(value)
        elif isinstance(value, tuple):
            self.tuple(value)
        elif isinstance(value, list):
            self.list(value)
        elif isinstance(value, dict):
            self.dict(list(value.items()))
        else:
            raise TypeError(value)

    def done(self):
        return bytes(self.out + b".")


class Raw:
    def __init__(self, write):
        self.write = write


def py2_array(array, module="numpy.core.multiarray", dtype_args=("u1", 0, 1),
              dtype_state=(3, "|", None, None, None, -1, -1, 0), shape=None):
    """numpy's ndarray.__reduce__ as Python 2 numpy pickled CIFAR-10's data."""
    def write(p):
        p.glob(module, "_reconstruct")
        p.tuple((Raw(lambda p: p.glob("numpy", "ndarray")), (0,), "b"))
        p.out += b"R"
        p.put()

        def dtype(p):
            p.glob("numpy", "dtype")
            p.tuple(dtype_args)
            p.out += b"R"
            p.put()
            p.tuple(dtype_state)
            p.out += b"b"
        p.tuple((1, shape or array.shape, Raw(dtype), False, array.tobytes()))
        p.out += b"b"
    return Raw(write)


def py2_batch(label, data, labels, filenames, keys=None, **array_options):
    pairs = [("batch_label", label), ("labels", labels), ("data", py2_array(data, **array_options)),
             ("filenames", filenames)]
    if keys is not None:
        pairs = keys(pairs)
    p = CPickle2()
    p.save(dict(pairs))
    return p.done()


def py2_meta(names, num_vis=3072):
    p = CPickle2()
    p.save({"num_cases_per_batch": 10000, "label_names": names, "num_vis": num_vis})
    return p.done()


CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
BATCH_SIZES = [2, 1, 2, 1, 2, 3]  # data_batch_1..5, test_batch


def cifar_content():
    batches = []
    for k, n in enumerate(BATCH_SIZES):
        high = 128 if k == 0 else 256  # data_batch_1 is ASCII, so valid UTF-8
        data = rng.integers(0, high, (n, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, n)]
        names = ["image_%d_%d.png" % (k, i) for i in range(n)]
        label = "training batch %d of 5" % (k + 1) if k < 5 else "testing batch 1 of 1"
        batches.append((label, data, labels, names))
    return batches


BATCH_NAMES = ["data_batch_%d" % k for k in range(1, 6)] + ["test_batch"]


def torchvision_cifar(folder):
    """torchvision.datasets.CIFAR10's reading, without the md5 checks."""
    out = {}
    for name in BATCH_NAMES:
        with open(os.path.join(folder, name), "rb") as f:
            entry = pickle.load(f, encoding="latin1")
        out[name] = (entry["data"].reshape(-1, 3, 32, 32), entry["labels"])
    with open(os.path.join(folder, "batches.meta"), "rb") as f:
        classes = pickle.load(f, encoding="latin1")["label_names"]
    return out, classes


def cifar_expectation(read, classes):
    train_x = np.concatenate([read[n][0] for n in BATCH_NAMES[:5]])
    train_y = sum((list(read[n][1]) for n in BATCH_NAMES[:5]), [])
    test_x, test_y = read["test_batch"]
    return {"classes": list(classes), "train": split_expectation(train_x, train_y),
            "test": split_expectation(test_x, test_y)}


def make_cifar():
    batches = cifar_content()
    # Python 2 cPickle
    folder = fresh("cifar-py2", "cifar-10-batches-py")
    for name, (label, data, labels, names) in zip(BATCH_NAMES, batches):
        write(os.path.join(folder, name), py2_batch(label, data, labels, names))
    write(os.path.join(folder, "batches.meta"), py2_meta(CLASSES))
    read, classes = torchvision_cifar(folder)
    for (label, data, labels, _), name in zip(batches, BATCH_NAMES):
        assert (read[name][0].reshape(-1, 3072) == data).all() and read[name][1] == labels
    expected["cifar"] = cifar_expectation(read, classes)
    x = read["data_batch_1"][0]
    pils = [Image.fromarray(a.transpose(1, 2, 0), mode="RGB") for a in x]
    expected["cifar"]["prepared"] = prepared_expectation(pils, (3, 20, 12), [0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
    expected["cifar"]["prepared_grey"] = prepared_expectation(pils, (1, 32, 32), [0.1307], [0.3081])
    dis = io.StringIO()
    with open(os.path.join(folder, "data_batch_2"), "rb") as f:
        pickletools.dis(f, out=dis)
    assert "BINSTRING" in dis.getvalue() and "BINUNICODE" not in dis.getvalue() and "BINPUT     1" in dis.getvalue()

    # Python 3 and numpy 2, as pickle.dump(protocol=2) writes them
    folder = fresh("cifar-py3", "cifar-10-batches-py")
    for name, (label, data, labels, names) in zip(BATCH_NAMES, batches):
        with open(os.path.join(folder, name), "wb") as f:
            pickle.dump({"batch_label": label, "labels": labels, "data": data, "filenames": names}, f, protocol=2)
    with open(os.path.join(folder, "batches.meta"), "wb") as f:
        pickle.dump({"num_cases_per_batch": 10000, "label_names": CLASSES, "num_vis": 3072}, f, protocol=2)
    dis = io.StringIO()
    with open(os.path.join(folder, "data_batch_2"), "rb") as f:
        pickletools.dis(f, out=dis)
    text = dis.getvalue()
    assert "numpy._core.multiarray" in text and "_codecs encode" in text and "BINUNICODE" in text, text[:2000]
    read3, classes3 = torchvision_cifar(folder)
    assert cifar_expectation(read3, classes3) == cifar_expectation(read, classes)

    # binary
    folder = fresh("cifar-bin", "cifar-10-batches-bin")
    for name, (label, data, labels, names) in zip(BATCH_NAMES, batches):
        records = b"".join(bytes([labels[i]]) + data[i].tobytes() for i in range(len(labels)))
        write(os.path.join(folder, name + ".bin"), records)
    write(os.path.join(folder, "batches.meta.txt"), ("\n".join(CLASSES) + "\n\n").encode())
    return batches


def make_cifar_rejections(batches):
    def variant(name, layout="py", replace=None, meta=None):
        folder = fresh(name, "cifar-10-batches-" + layout)
        for batch_name, (label, data, labels, names) in zip(BATCH_NAMES, batches):
            if layout == "py":
                content = py2_batch(label, data, labels, names)
                path = os.path.join(folder, batch_name)
            else:
                content = b"".join(bytes([labels[i]]) + data[i].tobytes() for i in range(len(labels)))
                path = os.path.join(folder, batch_name + ".bin")
            if replace and batch_name in replace:
                content = replace[batch_name](content, (label, data, labels, names))
            if content is not None:
                write(path, content)
        if layout == "py":
            write(os.path.join(folder, "batches.meta"), meta or py2_meta(CLASSES))
        else:
            write(os.path.join(folder, "batches.meta.txt"), meta or ("\n".join(CLASSES) + "\n").encode())

    def evil(_, b):
        # A pickle that calls os.system: refused at its GLOBAL, before anything else.
        return b"\x80\x02cos\nsystem\nq\x01U\x04trueq\x02\x85q\x03Rq\x04."
    variant("reject-cifar-global", replace={"data_batch_3": evil})
    variant("reject-cifar-key", replace={"data_batch_1": lambda _, b: py2_batch(
        *b, keys=lambda pairs: pairs + [("coarse_labels", b[2])])})
    variant("reject-cifar-missing-key", replace={"test_batch": lambda _, b: py2_batch(
        *b, keys=lambda pairs: [p for p in pairs if p[0] != "labels"])})
    variant("reject-cifar-dtype", replace={"data_batch_2": lambda _, b: py2_batch(
        *b, dtype_args=("f8", 0, 1))})
    variant("reject-cifar-module", replace={"data_batch_2": lambda _, b: py2_batch(
        *b, module="numpy.core.records")})
    variant("reject-cifar-shape", replace={"data_batch_1": lambda _, b: py2_batch(
        *b, shape=(6, 1024))})
    variant("reject-cifar-count", replace={"data_batch_5": lambda _, b: py2_batch(
        b[0], b[1], b[2] + [4], b[3] + ["extra.png"])})
    variant("reject-cifar-label-range", replace={"test_batch": lambda _, b: py2_batch(
        b[0], b[1], [0, 10, 1], b[3])})
    variant("reject-cifar-truncated", replace={"data_batch_4": lambda c, b: c[:len(c) // 2]})
    variant("reject-cifar-trailing", replace={"data_batch_4": lambda c, b: c + b"\0"})
    variant("reject-cifar-protocol", replace={"data_batch_1": lambda c, b: pickle.dumps(
        {"batch_label": b[0], "labels": b[2], "data": b[1], "filenames": b[3]}, protocol=4)})
    variant("reject-cifar-missing", replace={"data_batch_3": lambda c, b: None})
    variant("reject-cifar-meta", meta=py2_meta(CLASSES[:9]))
    variant("reject-cifarbin-truncated", layout="bin", replace={"data_batch_2": lambda c, b: c[:-5]})
    variant("reject-cifarbin-label", layout="bin", replace={"test_batch": lambda c, b: bytes([10]) + c[1:]})
    variant("reject-cifarbin-meta", layout="bin", meta=b"cat\ndog\nbird\n")


# ---- image folder ------------------------------------------------------------------------

def torchvision_image_folder(root):
    """torchvision's find_classes and make_dataset, and its pil_loader."""
    classes = sorted(entry.name for entry in os.scandir(root) if entry.is_dir())
    extensions = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")
    samples = []
    for index, name in enumerate(classes):
        for folder, _, files in sorted(os.walk(os.path.join(root, name), followlinks=True)):
            for file in sorted(files):
                if file.lower().endswith(extensions):
                    samples.append((os.path.join(folder, file), index))
    return classes, samples


def make_images():
    root = fresh("images")
    os.makedirs(os.path.join(root, "cat", "more"))
    os.makedirs(os.path.join(root, "dog"))
    def png(path, mode, size):
        shape = (size[1], size[0]) + (() if mode == "L" else (len(mode),))
        Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode=mode).save(os.path.join(root, path))
    png("cat/b.png", "RGB", (6, 4))
    png("cat/a.PNG", "L", (5, 5))
    png("cat/more/c.png", "RGBA", (3, 7))
    png("dog/z.png", "RGB", (5, 5))
    png("dog/y.png", "RGB", (8, 2))
    Image.fromarray(np.full((4, 4, 3), 200, dtype=np.uint8)).save(os.path.join(root, "dog/x.jpg"), quality=95)
    write(os.path.join(root, "dog", "notes.txt"), b"not an image: ignored\n")
    write(os.path.join(root, "README"), b"a file beside the classes: ignored\n")
    classes, samples = torchvision_image_folder(root)
    pils = [Image.open(p).convert("RGB") for p, _ in samples]
    expected["images"] = {
        "classes": classes,
        "files": [os.path.relpath(p, root) for p, _ in samples],
        "labels": [label for _, label in samples],
        "sizes": [[im.width, im.height] for im in pils],
        "fnv": [fnv(np.asarray(im).tobytes()) for im in pils],
        "prepared": prepared_expectation(pils, (3, 5, 5), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
        "prepared_grey": prepared_expectation(pils, (1, 4, 6), [0.5], [0.25]),
    }
    fresh("reject-folder-none")
    write(os.path.join(HERE, "reject-folder-none", "image.png"), open(os.path.join(root, "dog/z.png"), "rb").read())
    bad = fresh("reject-folder-empty-class")
    os.makedirs(os.path.join(bad, "cat"))
    os.makedirs(os.path.join(bad, "dog"))
    shutil.copy(os.path.join(root, "cat/b.png"), os.path.join(bad, "cat/b.png"))
    write(os.path.join(bad, "dog", "notes.txt"), b"no image here\n")
    bad = fresh("reject-folder-bad-image")
    os.makedirs(os.path.join(bad, "cat"))
    write(os.path.join(bad, "cat", "fake.png"), b"this is not a PNG\n")
    bad = fresh("reject-folder-bmp")
    os.makedirs(os.path.join(bad, "cat"))
    Image.fromarray(np.zeros((2, 2, 3), dtype=np.uint8)).save(os.path.join(bad, "cat", "a.bmp"))


# ---- .npy pair ---------------------------------------------------------------------------

def make_pair():
    root = fresh("pair")
    x = rng.standard_normal((7, 1, 4, 4)).astype("<f4")
    y = np.array([0, 2, 1, 2, 0, 3, 1], dtype="<i8")
    np.save(os.path.join(root, "X.npy"), x)
    np.save(os.path.join(root, "Y.npy"), y)
    assert (np.load(os.path.join(root, "X.npy")) == x).all()
    expected["pair"] = {"labels": [int(v) for v in y], "fnv": fnv(x.tobytes())}
    bad = fresh("reject-pair")
    np.save(os.path.join(bad, "Y-count.npy"), y[:6])
    np.save(os.path.join(bad, "Y-float.npy"), y.astype("<f8"))
    np.save(os.path.join(bad, "Y-negative.npy"), np.array([0, 2, 1, -1, 0, 3, 1], dtype="<i8"))
    np.save(os.path.join(bad, "Y-2d.npy"), y.reshape(7, 1))
    np.save(os.path.join(bad, "X-3d.npy"), x.reshape(7, 4, 4))
    np.save(os.path.join(bad, "X-channels.npy"), np.zeros((7, 2, 4, 4), dtype="<f4"))
    data = open(os.path.join(root, "X.npy"), "rb").read()
    write(os.path.join(bad, "X-truncated.npy"), data[:-9])


def main():
    for name in os.listdir(HERE):
        if os.path.isdir(os.path.join(HERE, name)):
            shutil.rmtree(os.path.join(HERE, name))
    good = make_mnist()
    make_mnist_rejections(good)
    batches = make_cifar()
    make_cifar_rejections(batches)
    make_images()
    make_pair()
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print("fixtures written to", HERE)


if __name__ == "__main__":
    main()
