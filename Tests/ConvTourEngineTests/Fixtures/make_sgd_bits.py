# Makes the expected values of FastSGDTests: torch.optim.SGD(lr=0.01, momentum=0.9, weight_decay=5e-4),
# three steps on 16 seeded values, as float32 bit patterns. Run by hand with PyTorch (not in CI).
import torch
torch.manual_seed(0)
w = torch.randn(16); gs = [torch.randn(16) for _ in range(3)]
p = torch.nn.Parameter(w.clone()); opt = torch.optim.SGD([p], lr=0.01, momentum=0.9, weight_decay=5e-4)
for g in gs:
    p.grad = g.clone(); opt.step()
bits = lambda t: ", ".join(f"0x{int(x):08X}" for x in t.view(torch.int32).tolist() if True) if False else ", ".join(f"0x{x & 0xFFFFFFFF:08X}" for x in t.contiguous().view(torch.int32).tolist())
print("w:", bits(w)); [print(f"g{k}:", bits(g)) for k, g in enumerate(gs)]; print("out:", bits(p.detach()))
print(torch.__version__)
