"""Writes normal circuit boards for the calibration tests: seeds 2001-2120, never used in training or in the demo.

Run with Debian's Python:  /usr/bin/python3 scripts/models/make_calibration_boards.py jobs/src/test/resources/boards
Writes DIR/normal/board-NNNN.jpg, as make_demo_data.py writes the demo's normal boards (JPEG quality 92).
"""
import os
import sys

from boards import board

SEEDS = range(2001, 2121)


def main(out):
    os.makedirs(os.path.join(out, "normal"), exist_ok=True)
    for seed in SEEDS:
        img, _ = board(seed)
        img.save(os.path.join(out, "normal", f"board-{seed:04d}.jpg"), quality=92)


if __name__ == "__main__":
    main(sys.argv[1])
