/**
 * Images in, as the original model sees them: {@link org.gammaiqa.image.ImageDecoder} turns JPEG, PNG, GIF,
 * BMP, TIFF and WebP bytes into the 8-bit RGB pixels of PIL's {@code Image.open(p).convert("RGB")} (no EXIF
 * rotation unless asked, alpha dropped, gray replicated, CMYK and 16-bit converted as Pillow 9.4 does) and
 * refuses decompression bombs from the header alone; {@link org.gammaiqa.image.ImageOps} holds the geometry of
 * the test protocol and of training augmentation (PIL-exact bicubic resize, short-side upscale, crop, flip).
 * Parity is measured against fixtures written by {@code src/test/resources/images/make_image_cases.py}.
 */
package org.gammaiqa.image;
