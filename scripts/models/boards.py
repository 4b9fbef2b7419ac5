"""Synthetic circuit-board images with known part boxes: the demo and test dataset.

Every board is drawn from a seed, so the same seed always gives the same image and boxes.
Classes (ids in this order): chip, capacitor, resistor.
"""
import random

from PIL import Image, ImageDraw

CLASSES = ["chip", "capacitor", "resistor"]
SIZES = [(480, 360), (400, 400), (512, 384), (360, 480), (640, 360), (448, 336)]


def _board(rng, w, h):
    base = (rng.randint(10, 40), rng.randint(90, 140), rng.randint(40, 80))
    img = Image.new("RGB", (w, h), base)
    d = ImageDraw.Draw(img)
    copper = (rng.randint(170, 210), rng.randint(140, 170), rng.randint(60, 90))
    for _ in range(rng.randint(6, 14)):  # traces: axis-aligned polylines
        x, y = rng.randrange(w), rng.randrange(h)
        pts = [(x, y)]
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.5:
                x = rng.randrange(w)
            else:
                y = rng.randrange(h)
            pts.append((x, y))
        d.line(pts, fill=copper, width=rng.randint(2, 4))
    for _ in range(rng.randint(5, 15)):  # vias
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randint(2, 4)
        d.ellipse([x - r, y - r, x + r, y + r], fill=copper, outline=(30, 30, 30))
    for _ in range(rng.randint(2, 6)):  # silkscreen marks
        x, y = rng.randrange(w), rng.randrange(h)
        d.rectangle([x, y, x + rng.randint(6, 20), y + 2], fill=(230, 230, 230))
    return img, d


def _chip(d, rng, x0, y0, x1, y1):
    pin = (200, 200, 205)
    n = max(2, (x1 - x0) // 7)
    for i in range(n):
        px = x0 + 3 + i * (x1 - x0 - 6) / max(1, n - 1)
        d.rectangle([px - 1.5, y0, px + 1.5, y1], fill=pin)
    d.rectangle([x0, y0 + 4, x1, y1 - 4], fill=(rng.randint(15, 40),) * 3)
    d.ellipse([x0 + 3, y0 + 7, x0 + 7, y0 + 11], fill=(90, 90, 90))


def _capacitor(d, rng, x0, y0, x1, y1):
    body = rng.choice([(30, 60, 160), (200, 200, 210), (20, 20, 25)])
    d.ellipse([x0, y0, x1, y1], fill=body, outline=(235, 235, 235), width=2)
    cw = (x1 - x0) * 0.22
    d.pieslice([x0 + 2, y0 + 2, x1 - 2, y1 - 2], 200, 340, fill=(225, 225, 225))
    d.ellipse([x0 + cw * 1.6, y0 + cw * 1.6, x1 - cw * 1.6, y1 - cw * 1.6], outline=(120, 120, 120))


def _resistor(d, rng, x0, y0, x1, y1):
    vertical = (y1 - y0) > (x1 - x0)
    d.rounded_rectangle([x0, y0, x1, y1], radius=3, fill=(215, 190, 140))
    bands = [(150, 20, 20), (20, 20, 20), (200, 120, 20), (200, 170, 30), (60, 60, 180)]
    for i in range(3):
        c = rng.choice(bands)
        if vertical:
            yy = y0 + (i + 1) * (y1 - y0) / 5
            d.rectangle([x0, yy - 1.5, x1, yy + 1.5], fill=c)
        else:
            xx = x0 + (i + 1) * (x1 - x0) / 5
            d.rectangle([xx - 1.5, y0, xx + 1.5, y1], fill=c)


def _size(rng, cls, scale):
    if cls == 0:
        w, h = rng.randint(34, 72), rng.randint(26, 52)
        if rng.random() < 0.4:
            w, h = h, w
    elif cls == 1:
        w = h = rng.randint(22, 46)
    else:
        w, h = rng.randint(30, 52), rng.randint(11, 16)
        if rng.random() < 0.5:
            w, h = h, w
    return int(w * scale), int(h * scale)


def board(seed, size=None):
    """Returns (PIL image, [(class_id, x_min, y_min, x_max, y_max), ...]) for one seed."""
    rng = random.Random(seed)
    w, h = size or rng.choice(SIZES)
    img, d = _board(rng, w, h)
    scale = min(w, h) / 360
    boxes = []
    for _ in range(rng.randint(1, 7)):
        cls = rng.randrange(3)
        bw, bh = _size(rng, cls, scale)
        for _attempt in range(30):
            x0, y0 = rng.randint(2, w - bw - 3), rng.randint(2, h - bh - 3)
            box = (x0, y0, x0 + bw, y0 + bh)
            if all(box[2] + 6 < b[1] or b[3] + 6 < box[0] or box[3] + 6 < b[2] or b[4] + 6 < box[1] for b in boxes):
                (_chip, _capacitor, _resistor)[cls](d, rng, *box)
                boxes.append((cls,) + box)
                break
    return img, boxes
