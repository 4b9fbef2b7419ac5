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


DEFECTS = ["scratch", "burn", "missing_part"]


def _clear(box, boxes, margin=8):
    return all(box[2] + margin < b[1] or b[3] + margin < box[0] or box[3] + margin < b[2] or b[4] + margin < box[1]
               for b in boxes)


def defective_board(seed, size=None):
    """A board with one to two injected defects.

    Returns (PIL image, part boxes as board() gives them, [(defect, x_min, y_min, x_max, y_max), ...]); a defect box
    covers pixel columns x_min .. x_max - 1 and never overlaps a part.
    """
    import math

    img, boxes = board(seed, size)
    rng = random.Random(seed * 7919 + 17)
    w, h = img.size
    d = ImageDraw.Draw(img)
    scale = min(w, h) / 360
    defects = []
    for _ in range(rng.randint(1, 2)):
        kind = rng.choice(DEFECTS)
        for _attempt in range(50):
            if kind == "scratch":
                length = rng.randint(50, 110) * scale
                angle = math.radians(rng.choice([1, -1]) * rng.uniform(20, 70))
                x0, y0 = rng.uniform(5, w - 5), rng.uniform(5, h - 5)
                x1, y1 = x0 + length * math.cos(angle), y0 + length * math.sin(angle)
                if not (3 < x1 < w - 3 and 3 < y1 < h - 3):
                    continue
                box = (int(min(x0, x1)) - 2, int(min(y0, y1)) - 2, int(max(x0, x1)) + 3, int(max(y0, y1)) + 3)
                if not _clear(box, boxes):
                    continue
                # a scratch through the solder mask shows the bright copper under it
                d.line([(x0, y0), (x1, y1)], fill=(rng.randint(225, 245), rng.randint(190, 210), rng.randint(130, 150)),
                       width=rng.randint(2, 3))
            elif kind == "burn":
                r = rng.randint(9, 18) * scale
                cx, cy = rng.uniform(r + 4, w - r - 4), rng.uniform(r + 4, h - r - 4)
                box = (int(cx - r * 1.3), int(cy - r * 1.3), int(cx + r * 1.3) + 1, int(cy + r * 1.3) + 1)
                if not _clear(box, boxes):
                    continue
                # a halo of discoloured, yellowed solder mask around a charred core
                for scale_, colour in ((1.0, (rng.randint(140, 165), rng.randint(110, 130), rng.randint(35, 55))),
                                       (0.55, (rng.randint(15, 30), rng.randint(10, 20), rng.randint(5, 12)))):
                    for _ in range(4):
                        ox, oy = rng.uniform(-0.3, 0.3) * r * scale_, rng.uniform(-0.3, 0.3) * r * scale_
                        rr = r * scale_ * rng.uniform(0.6, 0.95)
                        d.ellipse([cx + ox - rr, cy + oy - rr, cx + ox + rr, cy + oy + rr], fill=colour)
            else:  # missing_part: a chip footprint with its pads bare and no chip on it
                bw, bh = int(rng.randint(34, 60) * scale), int(rng.randint(26, 44) * scale)
                x0, y0 = rng.randint(4, w - bw - 5), rng.randint(4, h - bh - 5)
                box = (x0, y0, x0 + bw + 1, y0 + bh + 1)
                if not _clear(box, boxes):
                    continue
                pad = (rng.randint(215, 235), rng.randint(170, 190), rng.randint(90, 110))
                d.rectangle([x0 + 3, y0 + 5, x0 + bw - 3, y0 + bh - 5], fill=pad)
                for i in range(max(2, bw // 7)):
                    px = x0 + 3 + i * (bw - 6) / max(1, bw // 7 - 1)
                    d.rectangle([px - 1.5, y0, px + 1.5, y0 + 4], fill=(200, 200, 205))
                    d.rectangle([px - 1.5, y0 + bh - 4, px + 1.5, y0 + bh], fill=(200, 200, 205))
            defects.append((kind,) + box)
            boxes = boxes + [(-1,) + box]
            break
    parts = [b for b in boxes if b[0] >= 0]
    return img, parts, defects
