"""Write the small checkpoint fixtures that CheckpointReaderTest reads, and expected.json with their values.

Regenerate (from this directory, with Debian's python3-torch 1.13):
    /usr/bin/python3 make_loader_fixtures.py
Each file is a few KB. It also writes plain_p0.pkl .. plain_p5.pkl: one plain dict (a dataset split's shape)
pickled with each protocol, equal to PLAIN. expected.json maps file -> key -> {dtype, shape, values}, where values are the
tensor's elements in row-major order as floats (ints for int64), exactly as torch holds them.
"""
import json
import os
import pickle

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
PLAIN = {"train": [1, 2, 300000, -4], "val": [], "name": "koniq-10k", "pair": (7, 8.5), "big": 2**40}


def base_state():
    g = torch.Generator().manual_seed(1234)
    return {
        "visual.conv1.weight": torch.randn(4, 3, 2, 2, generator=g),
        "visual.ln_pre.bias": torch.randn(5, generator=g),
        "mlp.scale": torch.randn((), generator=g),
        "empty": torch.zeros(0, 3),
    }


def views_state():
    g = torch.Generator().manual_seed(99)
    m = torch.randn(6, 4, generator=g)
    shared = torch.arange(20, dtype=torch.float32)
    return {
        "every_other": torch.arange(10, dtype=torch.float32)[::2],
        "transposed": m.t(),
        "narrowed": m.narrow(0, 2, 3),
        "column": m[:, 1],
        "shared_a": shared[:8].view(2, 4),
        "shared_b": shared[10:],
    }


def expected(state):
    out = {}
    for k, v in state.items():
        vals = v.contiguous().reshape(-1)
        out[k] = {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape),
                  "values": [int(x) for x in vals.tolist()] if v.dtype == torch.int64
                  else [float(x) for x in vals.float().tolist()]}
    return out


def main():
    files = {
        "zip_f32.pth": ({"params": base_state()}, True),
        "zip_f16.pth": ({"params": {k: v.half() for k, v in base_state().items()}}, True),
        "zip_bf16.pth": ({"params": {k: v.bfloat16() for k, v in base_state().items()}}, True),
        "zip_i64_bare.pth": ({"ids": torch.arange(-3, 9).view(3, 4), "big": torch.tensor([2**40, -2**50])}, True),
        "zip_state_dict.pth": ({"state_dict": base_state(), "epoch": 3}, True),
        "zip_module_prefix.pth": ({"module." + k: v for k, v in base_state().items()}, True),
        "zip_views.pth": (views_state(), True),
        "legacy_f32.pth": ({"params": base_state()}, False),
        "legacy_views.pth": (views_state(), False),
    }
    exp = {}
    for name, (obj, new_zip) in files.items():
        torch.save(obj, os.path.join(HERE, name), _use_new_zipfile_serialization=new_zip)
        state = obj.get("params", obj.get("state_dict", obj))
        exp[name] = {k[len("module."):] if k.startswith("module.") else k: v
                     for k, v in expected(state).items()}
    for protocol in range(6):
        with open(os.path.join(HERE, "plain_p%d.pkl" % protocol), "wb") as f:
            pickle.dump(PLAIN, f, protocol=protocol)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(exp, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
