"""Writes the demo dataset: held-out circuit boards (seeds never used in training) as JPEG, and their true boxes.

Run with Debian's Python:  /usr/bin/python3 scripts/models/make_demo_data.py jobs/demo
Writes DIR/images/board-NNN.jpg (normal boards 1-30, boards with injected defects 101-120), DIR/labels.csv (file,
class, x_min, y_min, x_max, y_max: the parts, in pixels; a box covers pixel columns x_min .. x_max - 1) and
DIR/defects.csv (file, defect, x_min, y_min, x_max, y_max: the injected defects).
"""
import os
import sys

from boards import CLASSES, board, defective_board

SEEDS = range(1, 31)
DEFECT_SEEDS = range(101, 121)


def main(out):
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    with open(os.path.join(out, "labels.csv"), "w") as labels, open(os.path.join(out, "defects.csv"), "w") as defects:
        labels.write("file,class,x_min,y_min,x_max,y_max\n")
        defects.write("file,defect,x_min,y_min,x_max,y_max\n")
        for seed in list(SEEDS) + list(DEFECT_SEEDS):
            if seed in DEFECT_SEEDS:
                img, boxes, damage = defective_board(seed)
            else:
                (img, boxes), damage = board(seed), []
            name = f"board-{seed:03d}.jpg"
            img.save(os.path.join(out, "images", name), quality=92)
            for c, x0, y0, x1, y1 in boxes:
                labels.write(f"{name},{CLASSES[c]},{x0},{y0},{x1 + 1},{y1 + 1}\n")
            for kind, x0, y0, x1, y1 in damage:
                defects.write(f"{name},{kind},{x0},{y0},{x1},{y1}\n")


if __name__ == "__main__":
    main(sys.argv[1])
