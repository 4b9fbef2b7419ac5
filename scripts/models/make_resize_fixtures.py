"""Writes the LinearResize, AreaResize and Letterbox test fixtures: what OpenCV's cv2.resize makes of 8-bit RGB
pictures with INTER_LINEAR and with INTER_AREA, and what Ultralytics' LetterBox makes of one, so that the Java ports
can be checked byte for byte.

Run with Debian's packages (apt-get install python3-opencv python3-numpy):
    /usr/bin/python3 scripts/models/make_resize_fixtures.py common/src/test/resources/resize
Written with OpenCV 4.6.0 (Debian 12's python3-opencv 4.6.0+dfsg, baseline SSE2, no IPP) and numpy 1.24.

Sources (RGB PNG, lossless):
- noise.png: 120x80 uniform noise; every case that needs rounding of all kinds reads it, most of them a crop of it
  (the top-left corner, `crop` in cases.tsv), which the test takes with RgbImage.crop.
- gradient.png: 1000x750 linear ramps with different slopes per channel, for the large
  non-integer downscale and the 640 letterbox (noise of that size would not be small).
- line-h.png, line-v.png: 40x1 and 1x40 noise; dot.png: one pixel.
- photo.png: 162x108 of a JPEG photo as cv2.imread decodes it (jobs/src/test/resources/boards/normal/board-2018.jpg
  at x=40, y=225: two capacitors, a chip and traces, with the JPEG's ringing), for the NanoDet/PP-PicoDet ratios.

cases.tsv has one case a line: name, kind (resize, area or letterbox), source, crop width, crop height, then the
destination width and height (resize, area) or the model input width and height (letterbox), and the expected PNG,
`<name>.cv2.png`. What each family exercises in OpenCV 4.6's modules/imgproc/src/resize.cpp:
- down-*: non-integer downscale (1000x750 to 640x480 is letterbox-gradient-640's) (resizeGeneric_ with HResizeLinear and VResizeLinear<uchar, ...>).
- half-*: exactly 2x on both axes, which hal::resize sends to INTER_AREA's resizeAreaFast_; destination widths
  from 45 to 60 pixels give every remainder of the 16-pixel (48-byte) SIMD blocks of ResizeAreaFastVec_SIMD_8u.
- halfx-*, halfy-*: 2x on one axis only (stays generic linear).
- third-*, quarter-*: integer 3x and 4x (generic linear: is_area_fast only switches at 2x).
- up-*: upscale, whose first and last columns and rows fall outside the source (clamped offsets and weights).
- line-*, flat-*, dot-*: 1-pixel wide or high sources and destinations.
- rem-*: destination widths 33..48, so the row of width*3 bytes has every remainder mod 16 (the SSE2 lanes of
  VResizeLinearVec_32s8u).
- letterbox-*: Ultralytics' LetterBox(new_shape, auto=False, scaleup=True, center=True) as
  ultralytics/data/augment.py computes it: r = min(h_in / h, w_in / w), new_unpad = (round(w * r), round(h * r)),
  cv2.resize only if the size changes, then copyMakeBorder with 114 and the round(d - 0.1) / round(d + 0.1) split.
INTER_AREA (kind area, names area-<family>-...):
- area-down-*, area-mixed-*, area-onex-*: non-integer downscale (resizeArea_ with computeResizeAreaTab's float
  weights): factors below 2 (a source pixel split between two cells), 2.4 and 3.375 (the NanoDet demos' 768x576 to
  320x240 and 810x1080 to 240x320), about 7, different on each axis, one axis kept (scale 1, still the general path).
- area-half-*: 2x on both axes (resizeAreaFast_'s fast_mode, (a + b + c + d + 2) >> 2), even and odd widths.
- area-third-*, area-quarter-*, area-blocks-*: other integer factors, alike or not per axis (resizeAreaFast_
  without fast_mode: int block sum times 1.f / area, rounded half to even).
- area-col-*, area-row-*, area-dot-*, area-line-*: 1-pixel wide or high destinations and sources.
- area-up-*, area-upx-*, area-upy-*: an axis enlarged: hal::resize's linear passes with area_mode's source positions,
  which are not INTER_LINEAR's (exactly 2x repeats each pixel).
- area-photo-*, area-gradient-*: the photo crop by 3.375 and 2.4, and 768x576 of the gradient to 320x240.
"""
import os
import sys

import cv2
import numpy as np


def write_rgb(path, rgb):
    assert cv2.imwrite(path, np.ascontiguousarray(rgb[..., ::-1]), [cv2.IMWRITE_PNG_COMPRESSION, 9])


def gradient(w, h):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = x * 255 / (w - 1)
    g = (y * 255 / (h - 1)) * 0.7 + (x * 255 / (w - 1)) * 0.3
    b = (x + 2 * y) * 255 / (w + 2 * h - 3)
    img = np.stack([r, g, b], axis=-1)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def letterbox(img, new_w, new_h):
    """ultralytics/data/augment.py LetterBox.__call__ with auto=False, scale_fill=False, scaleup=True, center=True."""
    shape = img.shape[:2]
    r = min(new_h / shape[0], new_w / shape[1])
    new_unpad = int(round(shape[1] * r)), int(round(shape[0] * r))
    dw, dh = new_w - new_unpad[0], new_h - new_unpad[1]
    dw /= 2
    dh /= 2
    if shape[::-1] != new_unpad:
        img = cv2.resize(img, new_unpad, interpolation=cv2.INTER_LINEAR)
    top, bottom = int(round(dh - 0.1)), int(round(dh + 0.1))
    left, right = int(round(dw - 0.1)), int(round(dw + 0.1))
    return cv2.copyMakeBorder(img, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(114, 114, 114))


def cases():
    yield "down-64x43", "resize", "noise", 100, 67, 64, 43
    yield "down-213x128", "resize", "gradient", 333, 200, 213, 128
    yield "down-320x240", "resize", "gradient", 500, 375, 320, 240
    yield "down-71x43", "resize", "noise", 111, 67, 71, 43
    yield "down-37x23", "resize", "noise", 120, 80, 37, 23
    yield "half-48x32", "resize", "noise", 96, 64, 48, 32
    yield "half-50x30", "resize", "noise", 100, 60, 50, 30
    for w in range(45, 61):
        yield f"half-{w}x8", "resize", "noise", 2 * w, 16, w, 8
    yield "halfx-60x40", "resize", "noise", 120, 40, 60, 40
    yield "halfy-120x20", "resize", "noise", 120, 40, 120, 20
    yield "halfx-60x50", "resize", "noise", 120, 80, 60, 50
    yield "third-40x26", "resize", "noise", 120, 78, 40, 26
    yield "quarter-30x20", "resize", "noise", 120, 80, 30, 20
    yield "up-96x58", "resize", "noise", 15, 9, 96, 58
    yield "up-640x384", "resize", "gradient", 100, 60, 640, 384
    yield "up-47x31", "resize", "noise", 30, 20, 47, 31
    yield "line-h-25x1", "resize", "line-h", 40, 1, 25, 1
    yield "line-h-64x3", "resize", "line-h", 40, 1, 64, 3
    yield "line-v-1x25", "resize", "line-v", 1, 40, 1, 25
    yield "line-v-5x60", "resize", "line-v", 1, 40, 5, 60
    yield "flat-30x1", "resize", "noise", 120, 80, 30, 1
    yield "dot-3x3", "resize", "dot", 1, 1, 3, 3
    for w in range(33, 49):
        yield f"rem-{w}x12", "resize", "noise", 120, 80, w, 12
    yield "letterbox-noise-80", "letterbox", "noise", 75, 50, 80, 80
    yield "letterbox-noise-96x128", "letterbox", "noise", 120, 80, 96, 128
    yield "letterbox-gradient-640", "letterbox", "gradient", 1000, 750, 640, 640
    yield "letterbox-same-60x40", "letterbox", "noise", 60, 40, 60, 60
    yield from area_cases()


def area_cases():
    for name, source, cw, ch, w, h in [
        ("area-down-40x27", "noise", 100, 67, 40, 27),
        ("area-down-37x23", "noise", 120, 80, 37, 23),
        ("area-down-34x23", "noise", 53, 37, 34, 23),
        ("area-down-17x11", "noise", 120, 80, 17, 11),
        ("area-down-24x16", "noise", 81, 54, 24, 16),
        ("area-down-45x30", "noise", 108, 72, 45, 30),
        ("area-mixed-50x13", "noise", 120, 80, 50, 13),
        ("area-onex-40x40", "noise", 60, 40, 40, 40),
        ("area-half-24x16", "noise", 48, 32, 24, 16),
        ("area-half-53x8", "noise", 106, 16, 53, 8),
        ("area-third-40x26", "noise", 120, 78, 40, 26),
        ("area-quarter-30x20", "noise", 120, 80, 30, 20),
        ("area-blocks-60x20", "noise", 120, 80, 60, 20),
        ("area-blocks-20x40", "noise", 60, 40, 20, 40),
        ("area-col-1x20", "noise", 120, 80, 1, 20),
        ("area-row-30x1", "noise", 120, 80, 30, 1),
        ("area-dot-1x1", "noise", 120, 80, 1, 1),
        ("area-line-h-7x1", "line-h", 40, 1, 7, 1),
        ("area-line-h-20x1", "line-h", 40, 1, 20, 1),
        ("area-line-v-1x7", "line-v", 1, 40, 1, 7),
        ("area-up-47x31", "noise", 15, 9, 47, 31),
        ("area-up-30x18", "noise", 15, 9, 30, 18),
        ("area-upx-47x20", "noise", 30, 80, 47, 20),
        ("area-upy-37x31", "noise", 120, 20, 37, 31),
        ("area-dot-3x3", "dot", 1, 1, 3, 3),
        ("area-photo-48x32", "photo", 162, 108, 48, 32),
        ("area-photo-65x45", "photo", 156, 108, 65, 45),
        ("area-gradient-320x240", "gradient", 768, 576, 320, 240),
    ]:
        yield name, "area", source, cw, ch, w, h


def photo():
    """162x108 of a JPEG photo from the jobs module's test boards, as cv2.imread decodes it, in RGB."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "jobs", "src", "test", "resources",
                        "boards", "normal", "board-2018.jpg")
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    assert bgr is not None, path
    return np.ascontiguousarray(bgr[225:333, 40:202, ::-1])


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20240611)
    sources = {
        "noise": rng.integers(0, 256, (80, 120, 3), dtype=np.uint8),
        "gradient": gradient(1000, 750),
        "line-h": rng.integers(0, 256, (1, 40, 3), dtype=np.uint8),
        "line-v": rng.integers(0, 256, (40, 1, 3), dtype=np.uint8),
        "dot": np.array([[[200, 17, 90]]], dtype=np.uint8),
        "photo": photo(),
    }
    for name, rgb in sources.items():
        write_rgb(os.path.join(out, name + ".png"), rgb)
    rows = []
    for name, kind, source, cw, ch, w, h in cases():
        src = sources[source][:ch, :cw]
        assert src.shape[:2] == (ch, cw), name
        if kind == "resize":
            result = cv2.resize(src, (w, h), interpolation=cv2.INTER_LINEAR)
        elif kind == "area":
            result = cv2.resize(src, (w, h), interpolation=cv2.INTER_AREA)
        else:
            result = letterbox(src, w, h)
        assert result.shape == (h, w, 3), (name, result.shape)
        write_rgb(os.path.join(out, name + ".cv2.png"), result)
        rows.append("\t".join([name, kind, source, str(cw), str(ch), str(w), str(h)]))
    with open(os.path.join(out, "cases.tsv"), "w") as f:
        f.write("# name\tkind\tsource\tcrop_width\tcrop_height\twidth\theight (made by scripts/models/make_resize_fixtures.py)\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
