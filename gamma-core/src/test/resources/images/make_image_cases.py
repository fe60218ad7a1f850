"""Writes the image-decoding and resize parity cases for org.gammaiqa.image tests.

Regenerate (from the repository root, with Pillow 9.4 + numpy, e.g. Debian's python3-pil):

    /usr/bin/python3 gamma-core/src/test/resources/images/make_image_cases.py

Every image is procedural (seeded), small and odd-sized (37x29) so chroma subsampling has
edge columns/rows. For each image `x.ext` the expected pixels of PIL's
`Image.open(x).convert("RGB")` go to `x.ext.rgb` (raw interleaved RGB); `cases.json` lists
them with their size. `resize/` holds PIL BICUBIC resizes of `png_rgb.png`, and `exif/`
holds 7x5 PNGs with each EXIF orientation 1..8 plus `ImageOps.exif_transpose` results.
"""
import io
import json
import os
import struct
import zlib

import numpy as np
import PIL
from PIL import Image, ImageOps

assert PIL.__version__ == "9.4.0", "fixtures are defined by Pillow 9.4.0, found " + PIL.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
W, H = 37, 29
rng = np.random.default_rng(20240611)


def pattern(w=W, h=H):
    """Smooth gradients, hard colour edges and a little noise: exercises DCT, chroma and filters."""
    y, x = np.mgrid[0:h, 0:w]
    r = (x * 255 // (w - 1))
    g = (y * 255 // (h - 1))
    b = ((x + y) % 7) * 36
    img = np.stack([r, g, b], axis=-1).astype(np.int32)
    img[h // 3: h // 2, w // 4: w // 2] = (250, 10, 20)  # red block with odd edges
    img[2 * h // 3:, 3 * w // 5:] = (10, 240, 30)
    img += rng.integers(-12, 13, size=img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


RGB = pattern()
ALPHA = (np.arange(W * H).reshape(H, W) * 7 % 256).astype(np.uint8)
cases = []


def save(name, im, **kw):
    path = os.path.join(HERE, name)
    im.save(path, **kw)
    record(name)


def record(name, lossy=False):
    path = os.path.join(HERE, name)
    with Image.open(path) as im:
        mode = im.mode
        rgb = im.convert("RGB")
    with open(path + ".rgb", "wb") as f:
        f.write(rgb.tobytes())
    cases.append({"file": name, "width": rgb.width, "height": rgb.height, "pilMode": mode,
                  "lossy": lossy})


def write_png16_rgb(name, arr16):
    """PIL cannot write 16-bit RGB; write the PNG by hand (filter 0, big-endian samples)."""
    h, w, _ = arr16.shape
    raw = b"".join(b"\x00" + arr16[yy].astype(">u2").tobytes() for yy in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(png)
    record(name)


rgb = Image.fromarray(RGB, "RGB")
rgba = Image.fromarray(np.dstack([RGB, ALPHA]), "RGBA")
gray = rgb.convert("L")
pal = rgb.quantize(colors=200)
pal16 = rgb.quantize(colors=16)

# JPEG (lossy: compared with the stated tolerance)
for sub, tag in ((0, "444"), (2, "420"), (1, "422")):
    save(f"jpeg_{tag}.jpg", rgb, quality=90, subsampling=sub)
    cases[-1]["lossy"] = True
save("jpeg_progressive_420.jpg", rgb, quality=85, subsampling=2, progressive=True)
cases[-1]["lossy"] = True
save("jpeg_gray.jpg", gray, quality=90)
cases[-1]["lossy"] = True
cmyk = np.dstack([255 - RGB, (np.arange(W * H).reshape(H, W) * 3 % 256).astype(np.uint8)])
save("jpeg_cmyk.jpg", Image.fromarray(cmyk, "CMYK"), quality=95)  # PIL writes Adobe APP14, inverted
cases[-1]["lossy"] = True

# PNG (lossless: exact)
save("png_rgb.png", rgb)
save("png_rgba.png", rgba)
save("png_gray.png", gray)
save("png_gray_alpha.png", Image.fromarray(np.dstack([np.asarray(gray), ALPHA]), "LA"))
save("png_palette.png", pal)
save("png_palette_trns.png", pal, transparency=3)
save("png_palette_4bit.png", pal16, bits=4)
save("png_rgb_trns.png", rgb, transparency=(10, 240, 30))
g16 = (np.arange(W * H).reshape(H, W) * 37 % 700).astype(np.uint16)  # spans <255 and >255
save("png_gray16.png", Image.fromarray(g16, "I;16"))
write_png16_rgb("png_rgb16.png", RGB.astype(np.uint16) * 257 + rng.integers(0, 257, size=RGB.shape).astype(np.uint16))

# BMP, GIF, TIFF (lossless)
save("bmp_rgb24.bmp", rgb)
save("bmp_rgba32.bmp", rgba)
save("bmp_pal8.bmp", pal)
save("gif_palette.gif", pal)
save("tiff_raw.tif", rgb)
save("tiff_lzw.tif", rgb, compression="tiff_lzw")
save("tiff_deflate.tif", rgb, compression="tiff_adobe_deflate")

# WebP
save("webp_lossless.webp", rgb, lossless=True)
save("webp_lossy.webp", rgb, quality=90)
cases[-1]["lossy"] = True

# EXIF orientation 6 on a JPEG: unchanged by default, rotated with the option.
exif = Image.Exif()
exif[0x0112] = 6
save("jpeg_exif6.jpg", rgb, quality=90, exif=exif.tobytes())
cases[-1]["lossy"] = True
with Image.open(os.path.join(HERE, "jpeg_exif6.jpg")) as im:
    t = ImageOps.exif_transpose(im).convert("RGB")
    with open(os.path.join(HERE, "jpeg_exif6.jpg.transposed.rgb"), "wb") as f:
        f.write(t.tobytes())

with open(os.path.join(HERE, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)

# EXIF orientations 1..8 on a tiny lossless PNG (eXIf chunk).
os.makedirs(os.path.join(HERE, "exif"), exist_ok=True)
small = Image.fromarray(pattern(7, 5), "RGB")
for o in range(1, 9):
    e = Image.Exif()
    e[0x0112] = o
    p = os.path.join(HERE, "exif", f"orientation{o}.png")
    small.save(p, exif=e.tobytes())
    with Image.open(p) as im:
        t = ImageOps.exif_transpose(im).convert("RGB")
        with open(p + ".transposed.rgb", "wb") as f:
            f.write(struct.pack(">II", t.width, t.height) + t.tobytes())

# BICUBIC resizes of png_rgb.png (37x29): up, down, mixed, and upscaleToMinSide(40) = 51x40.
os.makedirs(os.path.join(HERE, "resize"), exist_ok=True)
for w, h in ((61, 47), (19, 13), (51, 40), (80, 20), (5, 3)):
    out = rgb.resize((w, h), Image.BICUBIC)
    with open(os.path.join(HERE, "resize", f"png_rgb_{w}x{h}.rgb"), "wb") as f:
        f.write(out.tobytes())
