"""Times the PyTorch reference's score() as released, for a side-by-side comparison with `gamma bench`.

usage: reference_bench.py CHECKPOINT VOCAB THREADS CROPS IMAGE...
Loads the checkpoint into ../shared/reference/gamma_ref.py's model, then for each image takes CROPS
random 224x224 crops in one batch and calls score() (which recomputes the prompt features on every
call, as the original does). Prints one JSON line: load time and per-image seconds after one warm-up, and the
BLAS library torch's matrix products ran on (Debian's torch takes the system's libblas.so.3: the reference
BLAS of package libblas3 is about 20 times slower than OpenBLAS, so the ratio means little without OpenBLAS).
"""
import json
import os
import sys
import time

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.environ.get("GAMMA_SHARED", os.path.join(here, "..", "..", "shared")), "reference"))
import gamma_ref as G  # noqa: E402
from make_fixture import load_pixels  # noqa: E402


def config_of(sd):
    """The reference's config dict from a state dict's shapes (layers shared by both towers)."""
    layers = 1 + max(int(k.split(".")[4]) for k in sd if k.startswith("clip_model.visual.transformer.resblocks."))
    moe = {int(k.split(".")[4]) for k in sd if k.startswith("clip_model.visual.transformer.resblocks.") and ".mlp.experts." in k}
    experts = 1 + max(int(k.split(".")[7].split("_")[1]) for k in sd if ".visual." in k and ".mlp.experts." in k)
    conv = sd["clip_model.visual.conv1.weight"]
    grid = int(round((sd["clip_model.visual.positional_embedding"].shape[0] - 1) ** 0.5))
    return dict(resolution=conv.shape[2] * grid, patch=conv.shape[2], vision_width=conv.shape[0],
                text_width=sd["clip_model.token_embedding.weight"].shape[1], layers=layers, moe_layers=len(moe),
                experts=experts, embed_dim=sd["clip_model.visual.proj"].shape[1],
                context=sd["clip_model.positional_embedding"].shape[0], vocab=sd["clip_model.token_embedding.weight"].shape[0])


def blas_library():
    """The BLAS library this process loaded (Debian's torch uses whichever libblas.so.3 the system provides)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
    return ", ".join(sorted(paths)) or "none found"


def main():
    ckpt, vocab, threads, crops, images = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
    torch.set_num_threads(threads)
    start = time.perf_counter()
    sd = {k: v.float() for k, v in torch.load(ckpt, map_location="cpu")["params"].items()}
    model = G.Gamma(config_of(sd))
    model.load_state_dict(sd, strict=True)
    model.eval()
    load = time.perf_counter() - start
    tokens = G.Tokenizer(vocab).tokenize(G.GENERIC_PROMPTS)
    g = torch.Generator().manual_seed(0)
    times = []
    with torch.no_grad():
        for i, path in enumerate([images[0]] + images):  # the first image twice: warm-up
            pixels = load_pixels(path)
            h, w = pixels.shape[2], pixels.shape[3]
            tops = torch.randint(0, h - 224 + 1, (crops,), generator=g)
            lefts = torch.randint(0, w - 224 + 1, (crops,), generator=g)
            t0 = time.perf_counter()
            batch = torch.cat([pixels[:, :, t:t + 224, l:l + 224] for t, l in zip(tops.tolist(), lefts.tolist())])
            model.score(batch, tokens).mean()
            if i > 0:
                times.append(time.perf_counter() - t0)
    print(json.dumps({"load_s": load, "images": len(times), "seconds_per_image": sum(times) / len(times),
                      "threads": threads, "crops": crops, "torch": torch.__version__, "blas": blas_library()}))


if __name__ == "__main__":
    main()
