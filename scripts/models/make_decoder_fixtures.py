"""Writes the ImageDecoder test fixtures and what OpenCV's cv2.imread makes of each, as Ultralytics reads photos.

Run with Debian's packages (apt-get install python3-opencv python3-pil webp libimage-exiftool-perl
libheif-examples):
    /usr/bin/python3 scripts/models/make_decoder_fixtures.py common/src/test/resources/images
Written with OpenCV 4.6.0, Pillow 9.4.0, libjpeg-turbo 2.1.5, cwebp 1.2.4, exiftool 12.57, heif-enc 1.15.1
(Debian 12).

Each `NAME` has `NAME.cv2.png`: cv2.imread(NAME) (IMREAD_COLOR: 8-bit, EXIF orientation applied, embedded ICC
profiles ignored), written losslessly; ImageDecoderTest compares its decode with it.
- icc-p3.jpg: a JFIF (YCbCr 4:2:0) JPEG with an embedded Display P3 ICC profile (made here: P3 primaries, gamma
  2.2). ImageIO converts such pixels to sRGB; OpenCV keeps the samples as stored.
- cmyk-adobe.jpg: a 4-channel JPEG with an Adobe APP14 marker, transform 0 (CMYK), stored inverted as Adobe
  software writes it (Pillow writes CMYK that way). No ICC profile.
- ycck-adobe.jpg: the same picture as YCCK (APP14 transform 2): the Y, Cb, Cr channels hold the YCbCr of the
  inverted C, M, Y that libjpeg turns back into CMYK; Pillow cannot write YCCK, so the marker's transform byte is
  set to 2 after Pillow wrote the channels.
- rgb16.png: a 16-bit RGB PNG whose samples have low bytes that rounding (v / 257) and truncation (v >> 8) tell
  apart.
- orient6.tif: a 4x2 RGB TIFF with Orientation 6 (rotate 90 degrees clockwise to display): OpenCV 4.6 rotates it.
- cmyk.tif: a CMYK TIFF (Pillow: not inverted, as TIFF stores ink); OpenCV reads 8-bit TIFFs through libtiff's RGBA
  interface, R = (255 - K) * (255 - C) / 255.
- rgba.tif: RGBA with unassociated alpha (ExtraSamples 2), alpha 0 on the left half, 128 on the right: libtiff's RGBA
  interface premultiplies, so OpenCV's RGB is (v * a + 127) / 255 there.
- lossless.webp, lossy.webp: WebP from cwebp (`cwebp -lossless -exact`: RGB kept under alpha 0; `cwebp -q 90` of a
  smooth picture, the gradients without the patches). The lossless one is RGBA with alpha 0 on its left half.
- orient6.webp: the 4x2 corners as lossless WebP with an EXIF chunk, Orientation 6 (exiftool, which adds the VP8X
  header). No reference: OpenCV 4.6 ignores a WebP's EXIF; recent OpenCV reads it (grfmt_webp.cpp, WebPDemuxGetChunk
  "EXIF") and rotates, and so does ImageDecoder.
- photo.heic: a HEIC from heif-enc; cv2 cannot read it (no reference): the decoder must say so.

The JPEGs that libjpeg-turbo decodes through Leptonica (`jpeg` alone writes just these, with OpenCV and Pillow):
    /usr/bin/python3 scripts/models/make_decoder_fixtures.py common/src/test/resources/images jpeg
all of textured(): gradients, stripes of opposite chroma a few pixels wide (chroma upsampling decides their edges)
and seeded noise, so every 8x8 block has AC coefficients.
- s420.jpg, s422.jpg, s444.jpg: JFIF baseline, chroma 4:2:0, 4:2:2 and 4:4:4 (Pillow, quality 90).
- progressive.jpg: progressive 4:2:0 (OpenCV's IMWRITE_JPEG_PROGRESSIVE).
- gray.jpg: one component (Pillow, mode L).
- restart.jpg: 4:2:0 with a restart marker every 2 MCUs (OpenCV's IMWRITE_JPEG_RST_INTERVAL).
- odd.jpg: 4:2:0, 101 x 67: partial MCUs on the right and bottom edges, and an odd chroma width.
"""
import os
import struct
import subprocess
import sys
import tempfile

import cv2
import numpy as np
from PIL import Image


def picture(w=48, h=32):
    """RGB: smooth gradients (what JPEG keeps well) and four saturated patches."""
    img = picture_smooth(w, h)
    img[2:10, 2:14] = (230, 20, 30)
    img[2:10, 34:46] = (20, 200, 40)
    img[22:30, 2:14] = (30, 40, 220)
    img[22:30, 34:46] = (250, 240, 20)
    return img


def picture_smooth(w=48, h=32):
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([x * 255 // (w - 1), y * 255 // (h - 1), (x + y) * 255 // (w + h - 2)], axis=-1).astype(np.uint8)


def textured(w=96, h=64, seed=7):
    """RGB with texture: gradients, 3-pixel stripes of opposite chroma, and noise."""
    y, x = np.mgrid[0:h, 0:w]
    rgb = picture_smooth(w, h).astype(np.int32)
    stripes = ((x + y // 2) // 3) % 2 == 0
    rgb[stripes] += (60, -40, -20)
    rgb[~stripes] += (-30, 30, 50)
    rgb += np.random.default_rng(seed).integers(-24, 25, size=rgb.shape)
    return np.clip(rgb, 0, 255).astype(np.uint8)


def jpeg_fixtures(out):
    rgb = textured()
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    for name, subsampling in (("s420.jpg", 2), ("s422.jpg", 1), ("s444.jpg", 0)):
        Image.fromarray(rgb).save(os.path.join(out, name), quality=90, subsampling=subsampling)
    Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)).save(os.path.join(out, "gray.jpg"), quality=90)
    ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 90, cv2.IMWRITE_JPEG_PROGRESSIVE, 1])
    write(out, "progressive.jpg", jpeg.tobytes())
    ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 90, cv2.IMWRITE_JPEG_RST_INTERVAL, 2])
    assert b"\xff\xdd" in jpeg.tobytes(), "a DRI marker"
    write(out, "restart.jpg", jpeg.tobytes())
    Image.fromarray(textured(101, 67, seed=11)).save(os.path.join(out, "odd.jpg"), quality=90, subsampling=2)
    for name in ("s420.jpg", "s422.jpg", "s444.jpg", "gray.jpg", "progressive.jpg", "restart.jpg", "odd.jpg"):
        reference(out, name)


def s15f16(v):
    return struct.pack(">i", int(round(v * 65536)))


def display_p3_profile():
    """A v2 matrix/TRC display profile with Display P3's D50-adapted primaries and a 2.2 gamma."""

    def xyz(x, y, z):
        return b"XYZ " + b"\0" * 4 + s15f16(x) + s15f16(y) + s15f16(z)

    desc_text = b"Display P3 (test)\0"
    desc = (b"desc" + b"\0" * 4 + struct.pack(">I", len(desc_text)) + desc_text
            + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67)
    curve = b"curv" + b"\0" * 4 + struct.pack(">IH", 1, int(2.2 * 256)) + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"cprt", b"text" + b"\0" * 4 + b"No copyright, test data\0"),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)),
        (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        while len(body) % 4:
            body += b"\0"
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 4 + struct.pack(">I", 0) + b"\0" * 8
              + b"\0" * 8 + struct.pack(">I", 0) + s15f16(0.9642) + s15f16(1.0) + s15f16(0.8249) + b"\0" * 4
              + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def with_icc(jpeg, profile):
    """Inserts the profile as one APP2 ICC_PROFILE segment after the JFIF APP0 segment."""
    assert jpeg[:4] == b"\xff\xd8\xff\xe0"
    app0_end = 4 + struct.unpack(">H", jpeg[4:6])[0]
    payload = b"ICC_PROFILE\0" + bytes([1, 1]) + profile
    segment = b"\xff\xe2" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:app0_end] + segment + jpeg[app0_end:]


def set_adobe_transform(jpeg, transform):
    i = 2
    while True:
        marker, length = jpeg[i + 1], struct.unpack(">H", jpeg[i + 2:i + 4])[0]
        if marker == 0xEE and jpeg[i + 4:i + 9] == b"Adobe":
            return jpeg[:i + 4 + 11] + bytes([transform]) + jpeg[i + 4 + 12:]
        assert marker != 0xDA, "no Adobe segment"
        i += 2 + length


def ink(rgb):
    """Naive RGB -> CMYK ink amounts (0 = no ink): K from the brightest channel, C, M, Y scaled under it."""
    rgb = rgb.astype(np.float64)
    k_level = rgb.max(axis=-1, keepdims=True)  # 255 - black ink
    cmy = np.where(k_level > 0, (k_level - rgb) * 255.0 / np.maximum(k_level, 1), 0)
    return np.concatenate([cmy, 255 - k_level], axis=-1).round().astype(np.uint8)


def rgb_to_ycc(rgb):
    r, g, b = [rgb[..., i].astype(np.float64) for i in range(3)]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = -0.168736 * r - 0.331264 * g + 0.5 * b + 128
    cr = 0.5 * r - 0.418688 * g - 0.081312 * b + 128
    return np.clip(np.stack([y, cb, cr], axis=-1).round(), 0, 255).astype(np.uint8)


def write(out, name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def reference(out, name):
    decoded = cv2.imread(os.path.join(out, name), cv2.IMREAD_COLOR)
    assert decoded is not None, name
    assert cv2.imwrite(os.path.join(out, name + ".cv2.png"), decoded)


def main(out):
    os.makedirs(out, exist_ok=True)
    rgb = picture()
    bgr = np.ascontiguousarray(rgb[..., ::-1])

    ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 90])
    write(out, "icc-p3.jpg", with_icc(jpeg.tobytes(), display_p3_profile()))
    reference(out, "icc-p3.jpg")

    cmyk_ink = ink(rgb)
    with tempfile.TemporaryDirectory() as tmp:
        # Pillow stores 255 - value for CMYK JPEGs (Adobe's inverted convention): give it the ink amounts.
        Image.fromarray(cmyk_ink, "CMYK").save(os.path.join(tmp, "cmyk.jpg"), quality=92)
        with open(os.path.join(tmp, "cmyk.jpg"), "rb") as f:
            write(out, "cmyk-adobe.jpg", f.read())
        # YCCK: stored Y, Cb, Cr = YCbCr of the ink amounts (libjpeg: C = 255 - R(Y, Cb, Cr)); K stored inverted.
        stored = np.concatenate([rgb_to_ycc(cmyk_ink[..., :3]), 255 - cmyk_ink[..., 3:]], axis=-1)
        Image.fromarray(255 - stored, "CMYK").save(os.path.join(tmp, "ycck.jpg"), quality=92)
        with open(os.path.join(tmp, "ycck.jpg"), "rb") as f:
            write(out, "ycck-adobe.jpg", set_adobe_transform(f.read(), 2))
    reference(out, "cmyk-adobe.jpg")
    reference(out, "ycck-adobe.jpg")

    # 16-bit: v = 257 * level + low, with low bytes from 0 to 255 (0x80FF: 128 truncated, 129 rounded).
    h, w = 8, 12
    level = rgb[:h, :w].astype(np.uint16)
    low = (np.arange(h * w * 3, dtype=np.uint16).reshape(h, w, 3) * 37) % 256
    rgb16 = np.minimum(level * 256 + low, 65535).astype(np.uint16)
    assert cv2.imwrite(os.path.join(out, "rgb16.png"), np.ascontiguousarray(rgb16[..., ::-1]))
    reference(out, "rgb16.png")

    corners = np.zeros((2, 4, 3), np.uint8)
    corners[0, 0], corners[0, 3], corners[1, 0], corners[1, 3] = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)
    Image.fromarray(corners).save(os.path.join(out, "orient6.tif"), tiffinfo={274: 6})
    reference(out, "orient6.tif")

    Image.fromarray(ink(rgb[:8, :12]), "CMYK").save(os.path.join(out, "cmyk.tif"))
    reference(out, "cmyk.tif")
    rgba = np.concatenate([rgb[:8, :12], np.full((8, 12, 1), 128, np.uint8)], axis=-1)
    rgba[:, :6, 3] = 0
    Image.fromarray(rgba, "RGBA").save(os.path.join(out, "rgba.tif"))
    reference(out, "rgba.tif")

    with tempfile.TemporaryDirectory() as tmp:
        rgba = np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, np.uint8)], axis=-1)
        rgba[:, : rgb.shape[1] // 2, 3] = 0
        Image.fromarray(rgba, "RGBA").save(os.path.join(tmp, "rgba.png"))
        Image.fromarray(picture_smooth()).save(os.path.join(tmp, "rgb.png"))
        subprocess.run(["cwebp", "-quiet", "-lossless", "-exact", os.path.join(tmp, "rgba.png"),
                        "-o", os.path.join(out, "lossless.webp")], check=True)
        subprocess.run(["cwebp", "-quiet", "-q", "90", os.path.join(tmp, "rgb.png"),
                        "-o", os.path.join(out, "lossy.webp")], check=True)
        Image.fromarray(corners).save(os.path.join(tmp, "corners.png"))
        subprocess.run(["cwebp", "-quiet", "-lossless", "-exact", os.path.join(tmp, "corners.png"),
                        "-o", os.path.join(out, "orient6.webp")], check=True)
        subprocess.run(["exiftool", "-q", "-overwrite_original", "-n", "-Orientation=6",
                        os.path.join(out, "orient6.webp")], check=True)
        big = cv2.resize(rgb, (64, 64), interpolation=cv2.INTER_NEAREST)
        Image.fromarray(big).save(os.path.join(tmp, "big.png"))
        subprocess.run(["heif-enc", "-q", "30", os.path.join(tmp, "big.png"), "-o", os.path.join(out, "photo.heic")],
                       check=True, stdout=subprocess.DEVNULL)
    reference(out, "lossless.webp")
    reference(out, "lossy.webp")
    assert cv2.imread(os.path.join(out, "photo.heic")) is None


if __name__ == "__main__":
    if sys.argv[2:] == ["jpeg"]:
        os.makedirs(sys.argv[1], exist_ok=True)
        jpeg_fixtures(sys.argv[1])
    else:
        main(sys.argv[1])
        jpeg_fixtures(sys.argv[1])
