"""Writes the ByteTracker and KalmanFilterXYAH test fixtures: what Ultralytics' ByteTrack makes of a scripted sequence of
detections, so that the Java port (common/src/main/java/dev/inspection/track/) can be checked to 1e-6.

Run with Debian's packages (apt-get install python3-numpy python3-scipy):
    /usr/bin/python3 scripts/models/make_track_fixtures.py common/src/test/resources/track
Written with numpy 1.24.2 and scipy 1.10.1 (Debian 12).

This is a transcription, written for this project, of what these Ultralytics files compute (read at the commits
named; Ultralytics 8.3.x):
- ultralytics/trackers/byte_tracker.py (4815390fda2c6661c9db5742cd1963d0b69f2ef0): STrack and BYTETracker.update;
- ultralytics/trackers/basetrack.py (01bb4c79e55d4f698fe1aaae89cfb4474ab36ff5): track states, ids counted from 1;
- ultralytics/trackers/utils/kalman_filter.py (7cf059dd14850c1331f918e248de407042d0d7b0): KalmanFilterXYAH;
- ultralytics/trackers/utils/matching.py (c4f18dfd93ee1616fd74fd18f77868128ec30e12): linear_assignment,
  iou_distance, fuse_score; ultralytics/utils/metrics.py bbox_ioa(iou=True, eps=1e-7);
- ultralytics/cfg/trackers/bytetrack.yaml: the defaults.
linear_assignment's default path is lap.lapjv(cost, extend_cost=True, cost_limit=thresh) (lapx is a requirement that
Ultralytics installs); lapjv with a cost limit solves the square (rows + cols) problem whose extra cells cost
cost_limit / 2 (dummy-dummy cells 0). lap is not packaged in Debian, so that extended problem is solved here with
scipy's linear_sum_assignment, which gives the same optimum when it is unique (the sequence has no ties).

Ultralytics keeps detection boxes as float32 (Boxes.xywh, STrack._tlwh): the measurement conversions below are done
in float32 as there, the Kalman filter in float64.

Files written:
- kalman.tsv: a KalmanFilterXYAH sequence (initiate, predict, update, ...): the operation, its measurement (x, y, a, h;
  empty for predict) and the resulting mean (8) and covariance (64, row-major).
- bytetrack.tsv: `settings` (track_high_thresh, track_low_thresh, new_track_thresh, track_buffer, match_thresh,
  fuse_score, frame_rate), then per frame its `det` lines (frame, class, score, x1, y1, x2, y2, float32 values
  written exactly), then its `out` lines in BYTETracker.update's output order (frame, track id, x1, y1, x2, y2, score,
  class, detection index, the track's Kalman mean (8) and covariance (64)), and `end` (frame).
"""
import math
import os
import sys

import numpy as np
from scipy.optimize import linear_sum_assignment

TRACKED, LOST, REMOVED = 1, 2, 3


class Kalman:
    """KalmanFilterXYAH: state (x, y, a, h, vx, vy, va, vh), constant velocity, dt = 1."""

    def __init__(self):
        self.F = np.eye(8)
        for i in range(4):
            self.F[i, 4 + i] = 1.0
        self.H = np.eye(4, 8)
        self.wp = 1.0 / 20
        self.wv = 1.0 / 160

    def initiate(self, z):
        mean = np.r_[z, np.zeros_like(z)]
        h = z[3]
        std = [2 * self.wp * h, 2 * self.wp * h, 1e-2, 2 * self.wp * h,
               10 * self.wv * h, 10 * self.wv * h, 1e-5, 10 * self.wv * h]
        return mean, np.diag(np.square(std))

    def predict(self, mean, cov):
        h = mean[3]
        std = [self.wp * h, self.wp * h, 1e-2, self.wp * h, self.wv * h, self.wv * h, 1e-5, self.wv * h]
        q = np.diag(np.square(std))
        return np.dot(mean, self.F.T), np.linalg.multi_dot((self.F, cov, self.F.T)) + q

    def project(self, mean, cov):
        h = mean[3]
        r = np.diag(np.square([self.wp * h, self.wp * h, 1e-1, self.wp * h]))
        return np.dot(self.H, mean), np.linalg.multi_dot((self.H, cov, self.H.T)) + r

    def update(self, mean, cov, z):
        import scipy.linalg

        pm, pc = self.project(mean, cov)
        c, low = scipy.linalg.cho_factor(pc, lower=True, check_finite=False)
        gain = scipy.linalg.cho_solve((c, low), np.dot(cov, self.H.T).T, check_finite=False).T
        new_mean = mean + np.dot(z - pm, gain.T)
        new_cov = cov - np.linalg.multi_dot((gain, pc, gain.T))
        return new_mean, new_cov


KF = Kalman()


def xyxy_to_tlwh32(b):
    """Boxes.xywh (torch, float32) then xywh2ltwh, as STrack.__init__ stores _tlwh."""
    b = np.asarray(b, dtype=np.float32)
    two = np.float32(2)
    cx, cy = (b[0] + b[2]) / two, (b[1] + b[3]) / two
    w, h = b[2] - b[0], b[3] - b[1]
    return np.array([cx - w / two, cy - h / two, w, h], dtype=np.float32)


def tlwh_to_xyah(tlwh):
    r = np.asarray(tlwh).copy()
    r[:2] += r[2:] / 2
    r[2] /= r[3]
    return r


class Track:
    count = 0

    def __init__(self, xyxy, score, cls, idx):
        self.tlwh0 = xyxy_to_tlwh32(xyxy)
        self.mean = self.cov = None
        self.activated = False
        self.state = 0
        self.score, self.cls, self.idx = score, cls, idx
        self.tracklet_len = 0
        self.track_id = 0
        self.frame_id = self.start_frame = 0

    @property
    def tlwh(self):
        if self.mean is None:
            return self.tlwh0.copy()
        r = self.mean[:4].copy()
        r[2] *= r[3]
        r[:2] -= r[2:] / 2
        return r

    @property
    def xyxy(self):
        r = self.tlwh.copy()
        r[2:] += r[:2]
        return r

    def activate(self, frame_id):
        Track.count += 1
        self.track_id = Track.count
        self.mean, self.cov = KF.initiate(tlwh_to_xyah(self.tlwh0))
        self.tracklet_len = 0
        self.state = TRACKED
        if frame_id == 1:
            self.activated = True
        self.frame_id = self.start_frame = frame_id

    def take(self, det, frame_id):
        self.mean, self.cov = KF.update(self.mean, self.cov, tlwh_to_xyah(det.tlwh))
        self.state = TRACKED
        self.activated = True
        self.frame_id = frame_id
        self.score, self.cls, self.idx = det.score, det.cls, det.idx

    def update(self, det, frame_id):
        self.tracklet_len += 1
        self.take(det, frame_id)

    def re_activate(self, det, frame_id):
        self.take(det, frame_id)
        self.tracklet_len = 0


def iou_distance(a, b):
    ious = np.zeros((len(a), len(b)), dtype=np.float32)
    if len(a) and len(b):
        b1 = np.ascontiguousarray([t.xyxy for t in a], dtype=np.float32)
        b2 = np.ascontiguousarray([t.xyxy for t in b], dtype=np.float32)
        inter = (np.minimum(b1[:, None, 2], b2[:, 2]) - np.maximum(b1[:, None, 0], b2[:, 0])).clip(0) * (
            np.minimum(b1[:, None, 3], b2[:, 3]) - np.maximum(b1[:, None, 1], b2[:, 1])).clip(0)
        area2 = (b2[:, 2] - b2[:, 0]) * (b2[:, 3] - b2[:, 1])
        area1 = (b1[:, 2] - b1[:, 0]) * (b1[:, 3] - b1[:, 1])
        ious = inter / (area2 + area1[:, None] - inter + 1e-7)
    return 1 - ious


def fuse_score(cost, dets):
    if cost.size == 0:
        return cost
    scores = np.array([d.score for d in dets])
    return 1 - (1 - cost) * np.expand_dims(scores, axis=0).repeat(cost.shape[0], axis=0)


def linear_assignment(cost, thresh):
    """lap.lapjv(cost, extend_cost=True, cost_limit=thresh), solved on the extended square matrix."""
    rows, cols = cost.shape
    if cost.size == 0:
        return [], list(range(rows)), list(range(cols))
    n = rows + cols
    ext = np.full((n, n), thresh / 2.0)
    ext[rows:, cols:] = 0
    ext[:rows, :cols] = cost
    r, c = linear_sum_assignment(ext)
    x = np.full(rows, -1)
    y = np.full(cols, -1)
    for i, j in zip(r, c):
        if i < rows and j < cols:
            x[i], y[j] = j, i
    matches = [[i, int(x[i])] for i in range(rows) if x[i] >= 0]
    return matches, [int(i) for i in np.where(x < 0)[0]], [int(j) for j in np.where(y < 0)[0]]


def joint(a, b):
    seen = {t.track_id for t in a}
    res = list(a)
    for t in b:
        if t.track_id not in seen:
            seen.add(t.track_id)
            res.append(t)
    return res


def sub(a, b):
    ids = {t.track_id for t in b}
    return [t for t in a if t.track_id not in ids]


def remove_duplicates(a, b):
    pdist = iou_distance(a, b)
    dupa, dupb = [], []
    for p, q in zip(*np.where(pdist < 0.15)):
        if a[p].frame_id - a[p].start_frame > b[q].frame_id - b[q].start_frame:
            dupb.append(q)
        else:
            dupa.append(p)
    return [t for i, t in enumerate(a) if i not in dupa], [t for i, t in enumerate(b) if i not in dupb]


class ByteTracker:
    def __init__(self, high=0.25, low=0.1, new=0.25, buffer=30, match=0.8, fuse=True, frame_rate=30):
        self.high, self.low, self.new, self.match, self.fuse = high, low, new, match, fuse
        self.tracked, self.lost, self.removed = [], [], []
        self.frame_id = 0
        self.max_time_lost = int(frame_rate / 30.0 * buffer)
        Track.count = 0

    def dists(self, tracks, dets):
        d = iou_distance(tracks, dets)
        return fuse_score(d, dets) if self.fuse else d

    def update(self, boxes, scores, classes):
        self.frame_id += 1
        activated, refind, lost, removed = [], [], [], []
        scores = np.asarray(scores, dtype=np.float32)
        all_dets = [Track(b, s, c, i) for i, (b, s, c) in enumerate(zip(boxes, scores, classes))]
        keep = scores >= self.high
        second = (scores > self.low) & (scores < self.high)
        dets = [d for d, k in zip(all_dets, keep) if k]
        dets_second = [d for d, k in zip(all_dets, second) if k]

        unconfirmed = [t for t in self.tracked if not t.activated]
        tracked = [t for t in self.tracked if t.activated]
        pool = joint(tracked, self.lost)
        for t in pool:  # STrack.multi_predict
            m = t.mean.copy()
            if t.state != TRACKED:
                m[7] = 0
            t.mean, t.cov = KF.predict(m, t.cov)

        matches, u_track, u_det = linear_assignment(self.dists(pool, dets), self.match)
        for it, idet in matches:
            t = pool[it]
            if t.state == TRACKED:
                t.update(dets[idet], self.frame_id)
                activated.append(t)
            else:
                t.re_activate(dets[idet], self.frame_id)
                refind.append(t)

        r_tracked = [pool[i] for i in u_track if pool[i].state == TRACKED]
        matches, u_track, _ = linear_assignment(iou_distance(r_tracked, dets_second), 0.5)
        for it, idet in matches:
            t = r_tracked[it]
            t.update(dets_second[idet], self.frame_id)  # r_tracked holds Tracked tracks only
            activated.append(t)
        for it in u_track:
            t = r_tracked[it]
            if t.state != LOST:
                t.state = LOST
                lost.append(t)

        dets = [dets[i] for i in u_det]
        matches, u_unconfirmed, u_det = linear_assignment(self.dists(unconfirmed, dets), 0.7)
        for it, idet in matches:
            unconfirmed[it].update(dets[idet], self.frame_id)
            activated.append(unconfirmed[it])
        for it in u_unconfirmed:
            unconfirmed[it].state = REMOVED
            removed.append(unconfirmed[it])

        for i in u_det:
            t = dets[i]
            if t.score < self.new:
                continue
            t.activate(self.frame_id)
            activated.append(t)

        for t in self.lost:
            if self.frame_id - t.frame_id > self.max_time_lost:
                t.state = REMOVED
                removed.append(t)

        self.tracked = [t for t in self.tracked if t.state == TRACKED]
        self.tracked = joint(self.tracked, activated)
        self.tracked = joint(self.tracked, refind)
        self.lost = sub(self.lost, self.tracked)
        self.lost.extend(lost)
        # Before this frame's removed tracks join self.removed, as in Ultralytics: a lost track removed on this frame
        # stays in self.lost (and can be found again) one frame more.
        self.lost = sub(self.lost, self.removed)
        self.tracked, self.lost = remove_duplicates(self.tracked, self.lost)
        self.removed.extend(removed)
        if len(self.removed) > 1000:
            self.removed = self.removed[-999:]
        return [t for t in self.tracked if t.activated]


def scene():
    """Frames of (class, score, x1, y1, x2, y2): see the module's test for what each object exercises."""
    frames = []
    for f in range(1, 27):
        dets = []
        j = lambda k: 0.7 * math.sin(1.3 * f + k)  # small deterministic jitter
        # A: class 0, 60x120, moving right 9 px a frame; missing on frames 8-10; class 3 on frames 14-15.
        if not 8 <= f <= 10:
            x = 100 + 9 * (f - 1) + j(0)
            y = 100 + 2 * (f - 1) + j(1)
            dets.append((3 if f in (14, 15) else 0, 0.9 - 0.01 * (f % 3), x, y, x + 60 + j(2), y + 120 + j(3)))
        # B: class 1, 50x100, moving left 8 px a frame; low scores (0.15, 0.18) on frames 5-6.
        x = 420 - 8 * (f - 1) + j(4)
        y = 160 + j(5)
        score = {5: 0.15, 6: 0.18}.get(f, 0.8 + 0.02 * (f % 2))
        dets.append((1, score, x, y, x + 50 + j(6), y + 100 + j(7)))
        # C: one high detection on frame 3 only: born unconfirmed, removed on frame 4.
        if f == 3:
            dets.append((2, 0.7, 600, 400, 640, 440))
        # A lone low-score box (no track to keep alive: nothing is born from it) and one below track_low_thresh.
        if f == 4:
            dets.append((2, 0.2, 700, 50, 730, 90))
            dets.append((2, 0.05, 20, 400, 60, 450))
        # D: class 0 on frames 12-13: confirmed, lost, removed on frame 19 (19 - 13 > 5 at frame_rate 5); back on
        # frame 20, where Ultralytics still holds it among the lost tracks: found again, then dropped on frame 21.
        if f in (12, 13, 20):
            dets.append((0, 0.6, 300 + 3 * f, 420, 350 + 3 * f, 470))
        # F (class 5, from frame 1) and E (class 4, from frame 2): two boxes of one object, IoU about 0.93, to frame
        # 9; on frame 10 only E's box: E matches it, F is lost, and remove_duplicate_stracks drops E (tracked 10 - 2
        # frames, not more than F's 9 - 1); on frame 11 F takes E's box.
        if 2 <= f <= 11:
            dets.append((4, 0.85, 600, 300, 660, 380))
        if 1 <= f <= 9:
            dets.append((5, 0.8, 602, 301, 661, 382))
        if f == 22:
            dets = []  # an empty frame: every track is lost, then found again
        frames.append(dets)
    return frames


def fmt(v):
    return repr(float(v))


def write_kalman(path):
    rng = np.random.default_rng(13)
    lines = ["# op\tmeasurement (x y a h; empty for predict)\tmean (8)\tcovariance (64, row-major)"]
    mean = cov = None
    ops = ["initiate", "predict", "update", "predict", "update", "predict", "predict", "update", "predict", "update"]
    step = 0
    for op in ops:
        z = None
        if op == "predict":
            mean, cov = KF.predict(mean, cov)
        else:
            step += 1
            box = [200 + 7 * step + rng.normal(0, 1), 150 - 3 * step + rng.normal(0, 1), 80 + step, 160 + 2 * step]
            z = tlwh_to_xyah(xyxy_to_tlwh32([box[0], box[1], box[0] + box[2], box[1] + box[3]]))
            z = np.asarray(z, dtype=np.float32)
            if op == "initiate":
                mean, cov = KF.initiate(z)
            else:
                mean, cov = KF.update(mean, cov, z)
        zs = " ".join(fmt(v) for v in z) if z is not None else ""
        lines.append("\t".join([op, zs, " ".join(fmt(v) for v in mean), " ".join(fmt(v) for v in cov.ravel())]))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_bytetrack(path, frame_rate=5):
    tracker = ByteTracker(frame_rate=frame_rate)
    lines = [
        "# settings: track_high_thresh track_low_thresh new_track_thresh track_buffer match_thresh fuse_score frame_rate",
        "# det: frame class score x1 y1 x2 y2 (float32 values)",
        "# out: frame track_id x1 y1 x2 y2 score class detection_index mean(8) covariance(64)",
        "settings\t0.25\t0.1\t0.25\t30\t0.8\ttrue\t%d" % frame_rate,
    ]
    for f, dets in enumerate(scene(), start=1):
        boxes = [np.array(d[2:], dtype=np.float32) for d in dets]
        scores = [np.float32(d[1]) for d in dets]
        classes = [d[0] for d in dets]
        for b, s, c in zip(boxes, scores, classes):
            lines.append("\t".join(["det", str(f), str(c), fmt(s)] + [fmt(v) for v in b]))
        for t in tracker.update(boxes, scores, classes):
            box = np.asarray(t.xyxy, dtype=np.float32)  # BYTETracker.update returns float32
            lines.append("\t".join(
                ["out", str(f), str(t.track_id)] + [fmt(v) for v in box]
                + [fmt(t.score), str(t.cls), str(t.idx), " ".join(fmt(v) for v in t.mean),
                   " ".join(fmt(v) for v in t.cov.ravel())]))
        lines.append("end\t%d" % f)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "common/src/test/resources/track"
    os.makedirs(out, exist_ok=True)
    write_kalman(os.path.join(out, "kalman.tsv"))
    write_bytetrack(os.path.join(out, "bytetrack.tsv"))
