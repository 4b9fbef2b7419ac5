"""Writes the demo dataset: held-out circuit boards (seeds never used in training) as JPEG, and their true boxes.

Run with Debian's Python:  /usr/bin/python3 scripts/models/make_demo_data.py jobs/demo
Writes DIR/images/board-NNN.jpg and DIR/labels.csv (file, class, x_min, y_min, x_max, y_max in pixels; a box covers
pixel columns x_min .. x_max - 1).
"""
import os
import sys

from boards import CLASSES, board

SEEDS = range(1, 31)


def main(out):
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    with open(os.path.join(out, "labels.csv"), "w") as labels:
        labels.write("file,class,x_min,y_min,x_max,y_max\n")
        for seed in SEEDS:
            img, boxes = board(seed)
            name = f"board-{seed:03d}.jpg"
            img.save(os.path.join(out, "images", name), quality=92)
            for c, x0, y0, x1, y1 in boxes:
                labels.write(f"{name},{CLASSES[c]},{x0},{y0},{x1 + 1},{y1 + 1}\n")


if __name__ == "__main__":
    main(sys.argv[1])
