"""Makes the weights fixtures of Tests/ConvTourIOTests (run by hand, never by CI):

    /tmp/tv/bin/python Tests/ConvTourIOTests/Fixtures/Weights/make_weights_fixtures.py

It needs PyTorch, numpy and safetensors. The network is a shrunk VGG-16 with torchvision's names,
VGG16Architecture(size: 32, widths: [3, 4, 4, 5, 6], hidden: 7, classes: 5); its values are
k/64 for seeded integers k in -128..127, exact in float16, bfloat16 and float64, so that every
fixture holds the same numbers as expected.safetensors (float32). Every fixture it writes that
torch can load is loaded back with torch.load(weights_only=True) and compared with them.

  expected.safetensors         float32, torchvision's names: what every other fixture loads to
  zip.pth                      torch.save (zip), a module's state_dict (_metadata); two biases
                               share one storage
  legacy.pth                   the same, torch.save(..., _use_new_zipfile_serialization=False)
  legacy-f16.pth, zip-bf16.pth, zip-f64.pth   other element types
  py2.pth                      written opcode for opcode as 2017's torch.save under Python 2:
                               _rebuild_tensor, SHORT_BINSTRING strings, OrderedDict([[k, v], …])
  f16.safetensors, bf16.safetensors, f64.safetensors   other element types
  timm.safetensors             timm's names: pre_logits.fc1 [7, 6, 1, 1], pre_logits.fc2, head.fc
  reject-*.pth                 one problem each (the tests say which)
"""
import collections
import io
import os
import struct
import zipfile

import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
WIDTHS, HIDDEN, CLASSES = [3, 4, 4, 5, 6], 7, 5
MAGIC = 0x1950A86A20F9469CFC6C


def shapes():
    """torchvision's VGG-16 state_dict names and shapes for the shrunk network (size 32)."""
    result, index, channels = [], 0, 3
    for block, convs in enumerate([2, 2, 3, 3, 3]):
        for _ in range(convs):
            width = WIDTHS[block]
            result += [(f"features.{index}.weight", [width, channels, 3, 3]), (f"features.{index}.bias", [width])]
            channels, index = width, index + 2
        index += 1  # the max-pool
    for index, (n_out, n_in) in zip([0, 3, 6], [(HIDDEN, channels), (HIDDEN, HIDDEN), (CLASSES, HIDDEN)]):
        result += [(f"classifier.{index}.weight", [n_out, n_in]), (f"classifier.{index}.bias", [n_out])]
    return result


def state_dict(dtype=torch.float32):
    generator = torch.Generator().manual_seed(2017)
    result = collections.OrderedDict()
    for name, shape in shapes():
        result[name] = (torch.randint(-128, 128, shape, generator=generator).float() / 64).to(dtype)
    # Two biases in one storage, as views at offsets 0 and 3.
    both = torch.cat([result["features.0.bias"], result["features.2.bias"]])
    result["features.0.bias"], result["features.2.bias"] = both[:3], both[3:]
    # A module's state_dict carries _metadata (pickled by BUILD).
    result._metadata = collections.OrderedDict([("", {"version": 1}), ("features", {"version": 1})])
    return result


def path(name):
    return os.path.join(HERE, name)


def check(name, expected):
    loaded = torch.load(path(name), weights_only=True)
    assert list(loaded) == list(expected), name
    for key, value in expected.items():
        assert torch.equal(loaded[key].float(), value.float()), (name, key)


class Py2Pickler:
    """Protocol 2 pickles as Python 2's pickle module wrote them (memo from 0, str as
    SHORT_BINSTRING, APPEND for one item and APPENDS for more, SETITEM(S) likewise)."""

    def __init__(self):
        self.out, self.memo = io.BytesIO(), {}

    def put(self, key):
        index = len(self.memo)
        self.memo[key] = index
        self.out.write(b"q" + bytes([index]) if index < 256 else b"r" + struct.pack("<I", index))

    def get(self, key):
        index = self.memo[key]
        self.out.write(b"h" + bytes([index]) if index < 256 else b"j" + struct.pack("<I", index))

    def string(self, text, interned=False):
        if interned and ("s", text) in self.memo:
            return self.get(("s", text))
        data = text.encode()
        self.out.write((b"U" + bytes([len(data)]) if len(data) < 256 else b"T" + struct.pack("<i", len(data))) + data)
        self.put(("s", text) if interned else object())

    def integer(self, n):
        if 0 <= n < 256:
            self.out.write(b"K" + bytes([n]))
        elif 0 <= n < 65536:
            self.out.write(b"M" + struct.pack("<H", n))
        elif -(2**31) <= n < 2**31:
            self.out.write(b"J" + struct.pack("<i", n))
        else:
            data = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
            self.out.write(b"\x8a" + bytes([len(data)]) + data)

    def glob(self, module, name):
        if ("g", module, name) in self.memo:
            return self.get(("g", module, name))
        self.out.write(b"c" + f"{module}\n{name}\n".encode())
        self.put(("g", module, name))

    def tuple(self, items):
        if len(items) == 0:
            self.out.write(b")")
            return
        if len(items) > 3:
            self.out.write(b"(")
        for item in items:
            item()
        self.out.write(b"t" if len(items) > 3 else bytes([0x84 + len(items)]))
        self.put(object())

    def items(self, items, one, many):
        if len(items) == 1:
            items[0]()
            self.out.write(one)
        elif items:
            self.out.write(b"(")
            for item in items:
                item()
            self.out.write(many)

    def list(self, items):
        self.out.write(b"]")
        self.put(object())
        self.items(items, b"a", b"e")

    def dict(self, pairs):
        self.out.write(b"}")
        self.put(object())
        flat = [part for pair in pairs for part in pair]
        if len(pairs) == 1:
            for part in flat:
                part()
            self.out.write(b"s")
        elif pairs:
            self.out.write(b"(")
            for part in flat:
                part()
            self.out.write(b"u")

    def done(self):
        return b"\x80\x02" + self.out.getvalue() + b"."


def py2_file(tensors, storage_type="FloatStorage", view=False, key_list=None, counts=None, size_of=None):
    """A legacy file as 2017's torch.save under Python 2 wrote it: each tensor its own storage
    (keys like str(_cdata)), _rebuild_tensor(storage, 0, size, stride). The options break it:
    view (view_metadata), key_list (the list of keys), counts (each storage's element count) and
    size_of (a tensor's size tuple)."""
    keys = [str(94_000_000 + 160 * i) for i in range(len(tensors))]
    pickles = []
    for value in [MAGIC, 1001]:
        p = Py2Pickler()
        p.integer(value)
        pickles.append(p.done())
    p = Py2Pickler()
    p.dict([
        (lambda: p.string("protocol_version"), lambda: p.integer(1001)),
        (lambda: p.string("type_sizes"), lambda: p.dict([
            (lambda: p.string("int"), lambda: p.integer(4)),
            (lambda: p.string("long"), lambda: p.integer(8)),
            (lambda: p.string("short"), lambda: p.integer(2)),
        ])),
        (lambda: p.string("little_endian"), lambda: p.out.write(b"\x88")),
    ])
    pickles.append(p.done())
    p = Py2Pickler()

    def tensor(key, value, name):
        size = size_of(name) if size_of else tuple(value.shape)
        stride = tuple(value.stride())
        p.glob("torch._utils", "_rebuild_tensor")

        def storage():
            p.tuple([
                lambda: p.string("storage", interned=True), lambda: p.glob("torch", storage_type),
                lambda: p.string(key), lambda: p.string("cpu", interned=True), lambda: p.integer(value.numel()),
                # view_metadata: (view_key, offset, view_size) for a view of a larger storage.
                lambda: p.tuple([lambda: p.string(key + "1"), lambda: p.integer(0), lambda: p.integer(value.numel())])
                if view else p.out.write(b"N"),
            ])
            p.out.write(b"Q")

        p.tuple([storage, lambda: p.integer(0), lambda: p.tuple([lambda n=n: p.integer(n) for n in size]),
                 lambda: p.tuple([lambda n=n: p.integer(n) for n in stride])])
        p.out.write(b"R")
        p.put(object())

    p.glob("collections", "OrderedDict")
    pairs = [lambda k=k, n=n, v=v: p.list([lambda: p.string(n), lambda: tensor(k, v, n)])
             for k, (n, v) in zip(keys, tensors.items())]
    p.tuple([lambda: p.list(pairs)])
    p.out.write(b"R")
    p.put(object())
    pickles.append(p.done())
    p = Py2Pickler()
    listed = sorted(keys) if key_list is None else key_list(sorted(keys))
    p.list([lambda k=k: p.string(k) for k in listed])
    pickles.append(p.done())
    data = b""
    by_key = dict(zip(keys, tensors.values()))
    for key in listed:
        value = by_key.get(key, torch.zeros(1))
        count = counts(key, value.numel()) if counts else value.numel()
        data += struct.pack("<q", count) + value.contiguous().numpy().tobytes()
    return b"".join(pickles) + data


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def main():
    expected = state_dict()
    plain = collections.OrderedDict((k, v.clone()) for k, v in expected.items())
    save_file(plain, path("expected.safetensors"))
    torch.save(expected, path("zip.pth"))
    check("zip.pth", expected)
    torch.save(expected, path("legacy.pth"), _use_new_zipfile_serialization=False)
    check("legacy.pth", expected)
    for name, dtype, zipped in [("legacy-f16.pth", torch.float16, False), ("zip-bf16.pth", torch.bfloat16, True),
                                ("zip-f64.pth", torch.float64, True)]:
        torch.save(state_dict(dtype), path(name), _use_new_zipfile_serialization=zipped)
        check(name, expected)
    write("py2.pth", py2_file(plain))
    check("py2.pth", expected)
    for name, dtype in [("f16", torch.float16), ("bf16", torch.bfloat16), ("f64", torch.float64)]:
        save_file(collections.OrderedDict((k, v.to(dtype)) for k, v in plain.items()), path(f"{name}.safetensors"))
    timm = collections.OrderedDict()
    for key, value in plain.items():
        for old, new in [("classifier.0.", "pre_logits.fc1."), ("classifier.3.", "pre_logits.fc2."),
                         ("classifier.6.", "head.fc.")]:
            if key.startswith(old):
                key = new + key[len(old):]
                if value.dim() == 2 and new.startswith("pre_logits"):
                    value = value.reshape(*value.shape, 1, 1)
        timm[key] = value
    save_file(timm, path("timm.safetensors"))

    small = collections.OrderedDict([("a", torch.arange(6.0).reshape(2, 3)), ("b", torch.ones(2))])
    # Rejections. Each loads in torch unless said otherwise.
    write("reject-view.pth", py2_file(small, view=True))
    write("reject-count.pth", py2_file(small, counts=lambda key, n: n + 1 if n == 2 else n))
    write("reject-unnamed-key.pth", py2_file(small, key_list=lambda keys: keys + ["123"]))
    write("reject-missing-key.pth", py2_file(small, key_list=lambda keys: keys[:1]))
    write("reject-negative-size.pth", py2_file(small, size_of=lambda n: (-1, 3) if n == "a" else (2,)))
    write("reject-absurd-size.pth", py2_file(small, size_of=lambda n: (1 << 40, 1 << 40) if n == "a" else (2,)))
    write("reject-truncated.pth", py2_file(small)[:-5])
    torch.save(collections.OrderedDict([("a", torch.arange(6.0).reshape(2, 3).t())]), path("reject-noncontiguous.pth"),
               _use_new_zipfile_serialization=False)
    torch.save(collections.OrderedDict([("a", torch.arange(6))]), path("reject-long.pth"))
    torch.save({"a": torch.nn.Parameter(torch.ones(2))}, path("reject-parameter.pth"))
    torch.save(collections.OrderedDict([("a", 3)]), path("reject-not-tensor.pth"))
    # The zip with a storage's entry missing, and with one of the wrong size.
    for name, change in [("reject-zip-missing-entry.pth", lambda n, d: None if n.endswith("/data/1") else d),
                         ("reject-zip-entry-size.pth", lambda n, d: d[:-4] if n.endswith("/data/1") else d)]:
        buffer = io.BytesIO()
        torch.save(small, buffer)
        source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
        with zipfile.ZipFile(path(name), "w", zipfile.ZIP_STORED) as out:
            for info in source.infolist():
                data = change(info.filename, source.read(info))
                if data is not None:
                    out.writestr(info.filename.replace("reject", "x"), data)
    for name in os.listdir(HERE):
        if name.endswith((".pth", ".safetensors")):
            print(f"{name}: {os.path.getsize(path(name))} bytes")


if __name__ == "__main__":
    main()
