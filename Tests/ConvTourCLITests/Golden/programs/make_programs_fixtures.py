"""Makes PyTorch's numbers for the documents' programs (run by hand, never by CI):

    /tmp/tv/bin/python Tests/ConvTourCLITests/Golden/programs/make_programs_fixtures.py [CONVTOUR]

It needs PyTorch, numpy, Pillow and safetensors, and a built convtour (default
.build/debug/convtour). ProgramsTests compares ConvTour's lessons with what it writes:

  textbook-convnet-step.safetensors   001 §12.4's program on the lesson textbook-convnet-program's
      image and weights (taken from `convtour trace textbook-convnet-program --format json`, run
      where there is no CIFAR-10, so the image is the shipped digit): the listing's ConvNet class,
      Normalize((0.5,)*3, (0.5,)*3), unsqueeze(0), loss = torch.norm(output - torch.ones(10))**2,
      loss.backward(), torch.optim.SGD(lr=0.01).step() — in float32, as the listing runs. Tensors:
      x (the normalised image), output, loss, grad.NAME and new.NAME for every parameter. The
      metadata gives, per tensor, float32's own error: max |float32 − float64| of the same program
      run by PyTorch in float64 ("error.NAME"), and the float64 run's largest magnitude ("scale.NAME").
      The image is also made here from the digits' IDX file with Pillow's bilinear resize and
      checked equal to ConvTour's, bit for bit.
  ffnn-listing.json   001 §11.5's listing, its indentation repaired, run as printed: what its
      three print calls print, and the numbers (float32) — y_pred, loss, hidden1.weight.grad.
"""
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
from contextlib import redirect_stdout

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../.."))
PARAMETERS = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
              "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]


class ConvNet(nn.Module):
    """The listing's class, as printed (l. 1224–1244)."""

    def __init__(self):
        super(ConvNet, self).__init__()
        # conv2d takes # input channels, # output channels, kernel size
        self.conv1 = nn.Conv2d(3, 3, 5)
        self.pool1 = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(3, 16, 5)
        self.pool2 = nn.AvgPool2d(2, 2)
        self.fc1 = nn.Linear(16*5*5, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool1(x)
        x = F.relu(self.conv2(x))
        x = self.pool2(x)
        x = x.view(-1, 16*5*5)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x


def lesson_tensors(convtour):
    """The declared tensors of textbook-convnet-program, run where there is no ./data."""
    env = dict(os.environ, CONVTOUR_CIFAR10="")
    with tempfile.TemporaryDirectory() as empty:
        out = subprocess.run([os.path.abspath(convtour), "trace", "textbook-convnet-program", "--format", "json"],
                             cwd=empty, env=env, check=True, capture_output=True).stdout
    steps = json.loads(out)["steps"]
    return {t["name"]: np.array(t["values"]).reshape(t["shape"]) for t in steps[0]["writes"]}


def digit_image():
    """The shipped digits' first training image as ToTensor() of Pillow's 32×32 bilinear resize."""
    with open(os.path.join(ROOT, "Lessons/data/digits/train-images-idx3-ubyte"), "rb") as f:
        data = f.read()
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    assert magic == 2051 and (rows, cols) == (8, 8)
    values = np.frombuffer(data[16:16 + 64], dtype=np.uint8)
    pixels = ((values.astype(np.int64) * 255 + 8) // 16).astype(np.uint8).reshape(8, 8)
    grey = np.asarray(Image.fromarray(pixels, "L").convert("RGB").resize((32, 32), Image.BILINEAR))
    return torch.from_numpy(grey.transpose(2, 0, 1).copy()).float() / 255


def run(raw, weights, dtype):
    torch.manual_seed(0)
    net = ConvNet().to(dtype)
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.copy_(torch.from_numpy(weights[name]).to(dtype))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    x = ((raw.to(dtype) - 0.5) / 0.5)  # transforms.Normalize((0.5,)*3, (0.5,)*3)
    image = x.unsqueeze(0)
    output = net(image)
    loss = torch.norm(output - torch.ones(output.shape[1], dtype=dtype))**2
    loss.backward()
    grads = {name: p.grad.detach().clone() for name, p in net.named_parameters()}
    optimizer.step()
    optimizer.zero_grad()
    result = {"x": x, "output": output.detach(), "loss": loss.detach()}
    for name, p in net.named_parameters():
        result["grad." + name] = grads[name]
        result["new." + name] = p.detach().clone()
    return result


def convnet_step(convtour):
    tensors = lesson_tensors(convtour)
    raw = torch.from_numpy(tensors["image_raw"].astype(np.float32))
    assert torch.equal(raw, digit_image()), "ConvTour's image is not Pillow's"
    weights = {name: tensors[name.replace(".", "_")].astype(np.float32) for name in PARAMETERS}
    for name, w in weights.items():
        assert np.array_equal(w.astype(np.float64), tensors[name.replace(".", "_")]), name + " is not float32"
    single, double = run(raw, weights, torch.float32), run(raw, weights, torch.float64)
    metadata = {}
    for name, t in single.items():
        metadata["error." + name] = repr(float((t.double() - double[name]).abs().max()))
        metadata["scale." + name] = repr(float(double[name].abs().max()))
    out = {name: t.contiguous().reshape(t.shape if t.dim() else [1]) for name, t in single.items()}
    save_file(out, os.path.join(HERE, "textbook-convnet-step.safetensors"), metadata=metadata)
    print("loss", float(single["loss"]), "float64", float(double["loss"]))


LISTING = '''
# import necessary packages
import numpy as np
import torch
import torch.nn as nn

# define the neural network
class Net(nn.Module):
    def __init__(self, input_size=2, hidden_dim1=2, hidden_dim2=3,
                 hidden_dim3=2):
        super(Net, self).__init__()

        self.hidden1 = nn.Linear(input_size, hidden_dim1, bias=False)
        self.hidden1.weight = nn.Parameter(torch.tensor([[-2., 1.], [3., -1.]]))

        self.hidden2 = nn.Linear(hidden_dim1, hidden_dim2, bias=False)
        self.hidden2.weight = nn.Parameter(torch.tensor([[0., 1.], [2., -1.], [1., 2.]]))

        self.hidden3 = nn.Linear(hidden_dim2, hidden_dim3, bias=False)
        self.hidden3.weight = nn.Parameter(torch.tensor([[-1., 2., 1.], [3., 0., 0.]]))

        self.activation = nn.ReLU()

    # single step of forward propagation
    def forward(self, x):
        h1 = self.hidden1(x)
        h1 = self.activation(h1)
        h2 = self.hidden2(h1)
        h2 = self.activation(h2)
        h3 = self.hidden3(h2)
        return h3

net = Net()

# forward propagation with sample input
x = torch.tensor([3., 1.])
y_pred = net.forward(x)
print('Predicted value:', y_pred)

# backpropagation with sample input
loss = nn.functional.cross_entropy(y_pred.unsqueeze(0), torch.LongTensor([1]))
loss.backward()
print(loss)
print(net.hidden1.weight.grad)
'''


def ffnn_listing():
    """001 §11.5's listing (l. 697–745), the constructor's body indented as the class needs."""
    scope = {}
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(compile(LISTING, "listing-11.5", "exec"), scope)
    result = {
        "printed": printed.getvalue().splitlines(),
        "y_pred": scope["y_pred"].detach().tolist(),
        "loss": float(scope["loss"].detach()),
        "hidden1.weight.grad": scope["net"].hidden1.weight.grad.flatten().tolist(),
        "torch": torch.__version__,
    }
    with open(os.path.join(HERE, "ffnn-listing.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print("\n".join(result["printed"]))


if __name__ == "__main__":
    convnet_step(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/convtour"))
    ffnn_listing()
