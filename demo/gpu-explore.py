"""A PyTorch replica of the demo model's training (`gamma train` with `network.scratch`, `train.trainable: vision`),
to explore recipes on a GPU in minutes where the Java trainer on two cores takes hours (docs/DEMO.md, "Quality").
Research tool, not part of the build: distortions are ported from Distortion.java (JPEG through Pillow, not the
JDK's encoder), the model is the shared PyTorch reference (SPEC's gamma_ref.py) at the demo's widths, and the
loop is the trainer's (hflip, random 224 crop, MSE on the normalised MOS, Adam, cosine stepped per epoch).
Scoring one 224-pixel crop matches `gamma score` to 1e-6; the issue's measure on the skimage photographs came out
0.61 here against 0.63 through `gamma synth` + `gamma score`.

  gpu-explore.py prep DATA OUT.npz
      DATA holds one folder of reference images per set (scenes, leaves, photos, ...) and start.safetensors, a
      checkpoint of the demo architecture: its text tower scores every recipe, and recipes with init="start"
      continue from all of it (the s3* recipes below started from stage 2 of the recipe before patch 16, that
      is `demo/train-demo.sh` of commit bd0d3fc up to its stage-2 export). Writes every reference with its
      13 × 5 distortions (one set's images must share a size, else they are centre-cropped to the smallest).
  gpu-explore.py train NAME DATA/OUT.npz RESULTS_DIR SECONDS [SEED]
      runs recipe NAME of CONFIGS for at most SECONDS, measuring the held-out sets (photos, photos2, val,
      scenestest: SRCC of score against level 0–5 per reference and type, averaged) along the way;
      writes JSON lines to RESULTS_DIR/NAME.jsonl, or NAME-sSEED.jsonl with a SEED (default 1) for the initial
      weights and batch order: runs differ by seed as much as by recipe (docs/DEMO.md), so compare several.

Needs torch, numpy, Pillow and regex, and ../shared/reference (GAMMA_REF to point elsewhere).
"""
import io
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.environ.get("GAMMA_REF", os.path.join(HERE, "..", "..", "shared", "reference")))
import gamma_ref as G  # noqa: E402
from level_srcc import spearman  # noqa: E402  (demo/level_srcc.py: the measure's SRCC, ties at their mean rank)

TYPES = [  # name, mild, severe (Distortion.java)
    ("gaussian_blur", 0.6, 5), ("motion_blur", 3, 25), ("lens_blur", 1, 7), ("gaussian_noise", 5, 45),
    ("impulse_noise", 0.01, 0.2), ("jpeg", 40, 97), ("contrast", 0.25, 0.85), ("brighten", 1.3, 3.5),
    ("darken", 1.4, 4.5), ("desaturation", 0.35, 1), ("pixelate", 2, 14), ("quantization", 8, 85),
    ("chromatic_aberration", 1, 9)]
LEVELS = 5


def strength(mild, severe, level):
    return mild * (severe / mild) ** ((level - 1) / (LEVELS - 1))


def shift_avg(v, offsets):
    h, w = v.shape[:2]
    out = np.zeros_like(v)
    for dx, dy in offsets:
        ys = np.clip(np.arange(h) + dy, 0, h - 1)
        xs = np.clip(np.arange(w) + dx, 0, w - 1)
        out += v[ys][:, xs]
    return out / len(offsets)


def gauss1d(sigma):
    r = int(math.ceil(3 * sigma))
    k = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sigma * sigma))
    return k / k.sum()


def distort(img, name, s, rng):
    from PIL import Image
    v = img.astype(np.float32)
    h, w = v.shape[:2]
    if name == "gaussian_blur":
        k = gauss1d(s)
        r = len(k) // 2
        v = sum(k[i] * v[:, np.clip(np.arange(w) + i - r, 0, w - 1)] for i in range(len(k)))
        v = sum(k[i] * v[np.clip(np.arange(h) + i - r, 0, h - 1)] for i in range(len(k)))
    elif name == "motion_blur":
        a = rng.uniform(0, math.pi)
        taps = int(math.ceil(s))
        offs = []
        for i in range(taps):
            t = (i - (taps - 1) / 2) * s / taps
            offs.append((int(round(t * math.cos(a))), int(round(t * math.sin(a)))))
        v = shift_avg(v, offs)
    elif name == "lens_blur":
        r = int(math.ceil(s))
        v = shift_avg(v, [(dx, dy) for dy in range(-r, r + 1) for dx in range(-r, r + 1) if dx * dx + dy * dy <= s * s])
    elif name == "gaussian_noise":
        v = v + rng.normal(0, s, v.shape)
    elif name == "impulse_noise":
        m = rng.random((h, w)) < s
        val = np.where(rng.random((h, w)) < 0.5, 255.0, 0.0)
        v[m] = val[m][:, None]
    elif name == "jpeg":
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, "JPEG", quality=max(1, int(round(100 - s))), subsampling=2)
        return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")).copy()
    elif name == "contrast":
        v = v * (1 - s) + v.mean() * s
    elif name == "brighten":
        v = v * s + 20 * (s - 1)
    elif name == "darken":
        v = 255 * (np.maximum(0, v) / 255) ** s
    elif name == "desaturation":
        y = 0.299 * v[..., 0] + 0.587 * v[..., 1] + 0.114 * v[..., 2]
        v = v * (1 - s) + y[..., None] * s
    elif name == "pixelate":
        b = int(round(s))
        ys = np.minimum(h - 1, np.arange(h) // b * b + b // 2)
        xs = np.minimum(w - 1, np.arange(w) // b * b + b // 2)
        return img[ys][:, xs].copy()
    elif name == "quantization":
        v = np.floor(v / s) * s + s / 2
    elif name == "chromatic_aberration":
        a = rng.uniform(0, 2 * math.pi)
        dx, dy = int(round(s * math.cos(a))), int(round(s * math.sin(a)))
        out = img.copy()
        out[..., 0] = img[np.clip(np.arange(h) + dy, 0, h - 1)][:, np.clip(np.arange(w) + dx, 0, w - 1), 0]
        out[..., 2] = img[np.clip(np.arange(h) - dy, 0, h - 1)][:, np.clip(np.arange(w) - dx, 0, w - 1), 2]
        return out
    return np.clip(np.rint(v), 0, 255).astype(np.uint8)


def series(args):
    """The reference and its 13 × 5 distortions, with (type index or -1, level)."""
    path, seed = args
    from PIL import Image
    img = np.asarray(Image.open(path).convert("RGB")).copy()
    rng = np.random.default_rng(seed)
    out = [(img, -1, 0)]
    for t, (name, mild, severe) in enumerate(TYPES):
        for level in range(1, LEVELS + 1):
            out.append((distort(img, name, strength(mild, severe, level), rng), t, level))
    return out


def prep(data, dest):
    from multiprocessing import Pool
    sets = {}
    with Pool(os.cpu_count()) as pool:
        for s in sorted(os.listdir(data)):
            folder = os.path.join(data, s)
            if not os.path.isdir(folder):
                continue
            files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith((".png", ".jpg")))
            if not files:
                continue
            res = pool.map(series, [(f, i) for i, f in enumerate(files)])
            sizes = {r[0][0].shape for r in res}
            imgs, ref, typ, lev = [], [], [], []
            for i, r in enumerate(res):
                for im, t, level in r:
                    imgs.append(im)
                    ref.append(i)
                    typ.append(t)
                    lev.append(level)
            if len(sizes) == 1:
                arr = np.stack(imgs)
            else:  # different sizes: centre crop to the smallest
                hh = min(s_[0] for s_ in sizes)
                ww = min(s_[1] for s_ in sizes)
                arr = np.stack([im[(im.shape[0] - hh) // 2:(im.shape[0] - hh) // 2 + hh,
                                   (im.shape[1] - ww) // 2:(im.shape[1] - ww) // 2 + ww] for im in imgs])
            sets[s] = arr
            sets[s + "_ref"] = np.array(ref)
            sets[s + "_type"] = np.array(typ)
            sets[s + "_level"] = np.array(lev)
            print(s, arr.shape, flush=True)
    np.savez(dest, **sets)


# ---------------------------------------------------------------- model
def read_safetensors(path):
    """A safetensors file's float tensors, as float32."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        dt = {"F16": np.float16, "F32": np.float32}[v["dtype"]]
        data = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=dt).reshape(v["shape"])
        out[k] = torch.from_numpy(data.astype(np.float32))
    return out


class Visual(G.Visual):
    """The reference's vision tower, with its class token made on the input's device."""

    def forward(self, x):
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        x = torch.cat([self.class_embedding.expand(x.shape[0], 1, -1), x], dim=1)
        pos = nn.functional.interpolate(self.positional_embedding[None, None], size=(x.size(1), x.size(2)),
                                        mode="bicubic").squeeze(0).squeeze(0)
        x = self.ln_pre(x + pos)
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class Demo(nn.Module):
    def __init__(self, patch=32, vw=128, vl=4, tw=64, tl=2, ctx=40, emb=64, experts=3, moe=2):
        super().__init__()
        self.clip_model = nn.Module()
        cm = self.clip_model
        cm.visual = Visual(224, patch, vw, vl, emb, set(range(vl - moe, vl)), experts)
        mask = torch.full((ctx, ctx), float("-inf")).triu_(1)
        cm.transformer = G.Transformer(tw, tl, max(1, tw // 64), mask, set(range(tl - moe, tl)), experts)
        cm.token_embedding = nn.Embedding(258, tw)
        cm.positional_embedding = nn.Parameter(torch.zeros(ctx, tw))
        cm.ln_final = nn.LayerNorm(tw)
        cm.text_projection = nn.Parameter(torch.zeros(tw, emb))
        cm.logit_scale = nn.Parameter(torch.tensor(0.0))
        self.adapter = G.Adapter(emb)
        self.score_level = nn.Parameter(torch.tensor([0.2, 0.4, 0.6, 0.8, 1.0]))
        self.ctx = ctx
        self.register_buffer("mean", torch.tensor(G.MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(G.STD).view(1, 3, 1, 1))
        self.register_buffer("txt", torch.zeros(5, emb))

    def set_masks(self):
        for b in self.clip_model.transformer.resblocks:
            b.mask = b.mask.to(self.mean.device)

    def text_features(self):
        rows = torch.zeros(5, self.ctx, dtype=torch.long)
        for r, word in enumerate(G.LEVELS):
            ids = [256] + list(f"{word} image".encode()) + [257]
            rows[r, :len(ids)] = torch.tensor(ids)
        rows = rows.to(self.mean.device)
        cm = self.clip_model
        x = cm.token_embedding(rows) + cm.positional_embedding
        x = cm.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = cm.ln_final(x)
        t = x[torch.arange(5), rows.argmax(dim=-1)] @ cm.text_projection
        return t / t.norm(dim=-1, keepdim=True)

    def forward(self, pixels01):
        f = self.clip_model.visual((pixels01 - self.mean) / self.std)
        f = f + self.adapter(f)
        f = f / f.norm(dim=-1, keepdim=True)
        probs = (self.clip_model.logit_scale.exp() * f @ self.txt.t()).softmax(dim=-1)
        return (probs * self.score_level).sum(dim=-1)


def java_scratch_init(model, seed):
    """ModelGrowth.randomBackbone + growTower, in distribution (not bit for bit)."""
    g = torch.Generator().manual_seed(seed)
    vis = model.clip_model.visual
    with torch.no_grad():
        for name, p in vis.named_parameters():
            if ".mlp.experts." in name or ".mlp.gating." in name or name.endswith(".mlp.scale"):
                continue
            if "ln_" in name and name.endswith("weight"):
                p.fill_(1.0)
            elif name.endswith("bias"):
                p.zero_()
            elif name.endswith("positional_embedding"):
                p.copy_(0.01 * torch.randn(p.shape, generator=g))
            else:
                if p.dim() == 1 or name == "proj":
                    fan = p.shape[0]
                else:
                    fan = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(fan))
        for blk in vis.transformer.resblocks:
            mlp = blk.mlp
            if isinstance(mlp, G.MixtureOfExperts):
                for e in mlp.experts.values():
                    e.load_state_dict(mlp.useful_experts.state_dict())
                w = mlp.gating.layer1
                bound = 1 / math.sqrt(w.weight.shape[1])
                w.weight.uniform_(-bound, bound, generator=g)
                w.bias.uniform_(-bound, bound, generator=g)
                mlp.scale.zero_()
        for lin in (model.adapter.fc[0], model.adapter.fc[2]):
            bound = 1 / math.sqrt(lin.weight.shape[1])
            lin.weight.uniform_(-bound, bound, generator=g)
        model.score_level.copy_(torch.tensor([0.2, 0.4, 0.6, 0.8, 1.0]))


def build(init, dev, seed=7, patch=32, vw=128, vl=4, text_from=None):
    model = Demo(patch=patch, vw=vw, vl=vl)
    sd = read_safetensors(text_from)
    if init == "scratch":
        own = model.state_dict()
        for k, v in sd.items():
            if not k.startswith("clip_model.visual.") and k in own and own[k].shape == v.shape:
                own[k] = v
        model.load_state_dict(own)
        java_scratch_init(model, seed)
    else:
        missing, _ = model.load_state_dict(read_safetensors(init), strict=False)
        assert set(missing) <= {"mean", "std", "txt"}, missing
    model.to(dev)
    model.set_masks()
    with torch.no_grad():
        model.txt.copy_(model.text_features())
    return model


# ---------------------------------------------------------------- measure
@torch.no_grad()
def measure(model, arr, ref, typ, lev, crops=10, seed=0):
    """Mean over (reference, type) of SRCC(level 0..5, −score), and per type."""
    model.eval()
    n, h, w, _ = arr.shape
    g = torch.Generator().manual_seed(seed)
    oy = torch.randint(0, h - 224 + 1, (crops,), generator=g).tolist()
    ox = torch.randint(0, w - 224 + 1, (crops,), generator=g).tolist()
    scores = np.zeros(n)
    for s in range(0, n, 256):
        x = arr[s:s + 256]
        tot = 0
        for a, b in zip(oy, ox):
            c = x[:, a:a + 224, b:b + 224].permute(0, 3, 1, 2).float() / 255
            tot = tot + model(c)
        scores[s:s + len(x)] = (tot / crops).cpu().numpy()
    per = {}
    for r in np.unique(ref):
        base = np.where((ref == r) & (typ == -1))[0][0]
        for t in range(len(TYPES)):
            idx = np.where((ref == r) & (typ == t))[0]
            idx = torch.tensor(np.concatenate([[base], idx]))
            if bool((arr[idx[1:]].reshape(len(idx) - 1, -1) == arr[base].reshape(1, -1)).all()):
                continue
            per.setdefault(TYPES[t][0], []).append(spearman(lev[idx.numpy()].tolist(), (-scores[idx.numpy()]).tolist()))
    model.train()
    allv = [v for vs in per.values() for v in vs]
    return float(np.mean(allv)), {k: round(float(np.mean(v)), 3) for k, v in per.items()}


# ---------------------------------------------------------------- training
CONFIGS = {
    # the Java stage 3 of commit bd0d3fc (calibration): vision from stage 2, bs 16, lr 5e-5, 8 of 16 epochs, mean 3–8
    "s3": dict(init="start", lr=5e-5, bs=16, epochs=8, tmax=16, avg_from=3),
    "s3_bs64_2e4": dict(init="start", lr=2e-4, bs=64, epochs=24, tmax=24, avg_from=12),
    "s3_bs64_5e4": dict(init="start", lr=5e-4, bs=64, epochs=24, tmax=24, avg_from=12),
    "scr_bs64_3e4": dict(init="scratch", lr=3e-4, bs=64, epochs=24, tmax=24, avg_from=12),
    "scr_bs64_1e3": dict(init="scratch", lr=1e-3, bs=64, epochs=24, tmax=24, avg_from=12),
    "scr_p16_3e4": dict(init="scratch", patch=16, lr=3e-4, bs=64, epochs=12, tmax=12, avg_from=6),
    "s3_long": dict(init="start", lr=2e-4, bs=128, epochs=100, tmax=100, avg_from=50),
    "scr_long": dict(init="scratch", lr=5e-4, bs=128, epochs=100, tmax=100, avg_from=50),
    "scr_w256": dict(init="scratch", vw=256, lr=3e-4, bs=64, epochs=24, tmax=24, avg_from=12),
    # the committed recipe (demo/train-demo.yml): one epoch, no weight averaging (recipes without avg_from)
    "demo": dict(init="scratch", patch=16, lr=3e-4, bs=64, epochs=1, tmax=1),
}


def train(name, npz, outdir, deadline, seed=None):
    cfg = CONFIGS[name]
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(1 if seed is None else seed)
    d = np.load(npz)
    sets = cfg.get("train", ["scenes", "leaves"])
    X = torch.cat([torch.from_numpy(d[s]).to(dev) for s in sets])
    lev = np.concatenate([d[s + "_level"] for s in sets])
    y = torch.tensor(1 - lev / LEVELS, dtype=torch.float32, device=dev)
    evals = {s: (torch.from_numpy(d[s]).to(dev), d[s + "_ref"], d[s + "_type"], d[s + "_level"])
             for s in ("photos", "photos2", "val", "scenestest") if s in d}
    start = os.path.join(os.path.dirname(npz), "start.safetensors")

    def make_model():
        return build(start if cfg["init"] == "start" else "scratch", dev, patch=cfg.get("patch", 32),
                     vw=cfg.get("vw", 128), text_from=start)

    model = make_model()
    params = []
    for n, p in model.named_parameters():  # train.trainable: vision (the text tower stays frozen)
        p.requires_grad_(not n.startswith("clip_model.") or n.startswith("clip_model.visual."))
        if p.requires_grad:
            params.append(p)
    opt = torch.optim.Adam(params, lr=cfg["lr"])
    out = open(os.path.join(outdir, name + ("" if seed is None else f"-s{seed}") + ".jsonl"), "w")
    avg, navg = None, 0
    n = len(X)
    bs = cfg["bs"]
    ar = torch.arange(224, device=dev)
    t0 = time.time()

    def report(tag, m):
        rec = {"cfg": name, "seed": seed, "at": tag, "t": round(time.time() - t0, 1)}
        for s, ev in evals.items():
            rec[s], rec[s + "_types"] = measure(m, *ev)
        out.write(json.dumps(rec) + "\n")
        out.flush()
        print(json.dumps({k: v for k, v in rec.items() if not k.endswith("_types")}), flush=True)

    report("init", model)
    for ep in range(1, cfg["epochs"] + 1):
        lr = cfg["lr"] * (1 + math.cos(math.pi * (ep - 1) / cfg["tmax"])) / 2
        for gr in opt.param_groups:
            gr["lr"] = lr
        perm = torch.randperm(n, device=dev)
        losses = []
        for s in range(0, n - bs + 1, bs):
            idx = perm[s:s + bs]
            oy = torch.randint(0, 33, (bs,), device=dev)
            ox = torch.randint(0, 33, (bs,), device=dev)
            rows = (oy[:, None] + ar)[:, :, None]
            cols = (ox[:, None] + ar)[:, None, :]
            flip = torch.rand(bs, device=dev) < 0.5
            cols = torch.where(flip[:, None, None], cols.flip(-1), cols)
            x = X[idx[:, None, None], rows, cols].permute(0, 3, 1, 2).float() / 255
            loss = ((model(x) - y[idx]) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(loss.detach())
        if "avg_from" in cfg and ep >= cfg["avg_from"]:
            sd = {k: v.detach().clone() for k, v in model.state_dict().items()}
            avg = sd if avg is None else {k: avg[k] + sd[k] for k in avg}
            navg += 1
        loss = float(torch.stack(losses).mean())
        print(f"{name} epoch {ep} loss {loss:.4f} lr {lr:.2e} t {time.time() - t0:.0f}", flush=True)
        if ep in (1, 2, 3, 5, 8) or ep % 6 == 0 or ep == cfg["epochs"] or time.time() > deadline:
            report(f"ep{ep}", model)
        if time.time() > deadline:
            break
    if avg is not None:
        m2 = make_model()
        m2.load_state_dict({k: v / navg for k, v in avg.items()})
        report(f"avg{cfg['avg_from']}-{ep}", m2)


if __name__ == "__main__":
    if sys.argv[1] == "prep":
        prep(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3], sys.argv[4], time.time() + float(sys.argv[5]),
              int(sys.argv[6]) if len(sys.argv) > 6 else None)
