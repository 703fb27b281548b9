"""Stems -> master: loudness to a target, a gentle bus compressor and a true-peak lookahead limiter.

Every gain change is ONE gain curve, computed from the summed mix and applied identically to every
stem; the delivered mix is the sum of the delivered stems, so they null against it. Nothing here is a
per-sample nonlinearity: the master only ever multiplies by a smooth gain. Stems can partly cancel
in the mix, so one can peak above it: the limiter also keeps every delivered stem's samples under
STEM_PEAK_DBFS, or a stem written as fixed-point audio would clip and no longer null.

The curve is worked out on sub-blocks of a few hundred microseconds (30 samples at 44.1 kHz): the
detectors, the limiter's lookahead and release, and the loudness of each candidate gain, which is
predicted from the K-weighted energy of the mix per sub-block. Only the final curve is drawn at the
sample rate, by linear interpolation between sub-block points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pyloudnorm
from scipy import signal

from .brief import SAMPLE_RATE

LOUDNESS_FLOOR = -70.0  # BS.1770's absolute gate: quieter than this reads as silence
PEAK_FLOOR = -120.0
MAX_MAKEUP_DB = 40.0  # near-silence is lifted this much at most
CEILING_MARGIN_DB = 0.25  # the limiter aims this far under the ceiling
STEM_PEAK_DBFS = -0.3  # no delivered stem's sample peak goes above this
STEM_MARGIN_DB = 0.05  # the limiter aims this far under it (the compressor moves between points)
LOOKAHEAD_S = 0.003
RELEASE_DB_PER_S = 25.0
COMP_RATIO, COMP_KNEE_DB, COMP_MAX_DB = 2.0, 6.0, 6.0
COMP_ABOVE_TARGET_DB = 2.0  # threshold, as 50 ms RMS, relative to the loudness target
COMP_DETECT_S, COMP_RELEASE_S = 0.05, 0.15

# True peak: 4x oversampling as BS.1770-4 Annex 2 describes, through the interpolating lowpass that
# scipy's resample_poly designs (Kaiser-windowed sinc, 81 taps): it reads content near Nyquist more
# faithfully than the Annex's short example filter, and agrees with resample_poly-based meters.
_TP_FILTER = signal.firwin(81, 0.25, window=("kaiser", 5.0)) * 4.0
# phase p of the output at input sample n is sum_k h[4k + p] x[n - k]; stored reversed, for windows
_TP_PHASES = np.stack(
    [np.append(_TP_FILTER[p::4], np.zeros(21 - _TP_FILTER[p::4].size))[::-1] for p in range(4)]
)
_TP_PHASES = _TP_PHASES.astype(np.float32)
# phase 0 is the samples themselves (a sinc is zero at every other sample), times the filter's centre
_TP_CENTRE = float(_TP_FILTER[40])
_TP_TAPS = _TP_PHASES.shape[1]
# no interpolated value can exceed the largest |sample| it is made of by more than this factor
_TP_BOUND = float(np.abs(_TP_PHASES).sum(axis=1).max())


@dataclass
class Mastered:
    """The delivered master: the mix, the stems that sum to it, and what the master did."""

    mix: np.ndarray  # (2, n) float32, exactly the sum of `stems`
    stems: dict[str, np.ndarray]  # same keys as the input, each (2, n) float32
    loudness_lufs: float  # integrated, BS.1770-4 (LOUDNESS_FLOOR for silence)
    true_peak_dbtp: float  # 4x oversampled (PEAK_FLOOR for silence)
    gain_db: float  # makeup gain before the compressor and limiter
    max_gain_reduction_db: float  # deepest dip of compressor and limiter together (>= 0)


def integrated_loudness(x: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    """Integrated loudness of (channels, n) audio in LUFS, by pyloudnorm (ITU-R BS.1770-4).

    Audio shorter than one 400 ms gating block is measured zero-padded to it; silence gives -inf.
    """
    data = np.asarray(x, dtype=np.float64)
    data = data.T if data.ndim == 2 else data
    block = int(0.4 * sample_rate) + 1
    if data.shape[0] < block:
        data = np.concatenate([data, np.zeros((block - data.shape[0], *data.shape[1:]))])
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(data))


def _db(x: float, floor: float) -> float:
    return float(20.0 * np.log10(x)) if x > 10.0 ** (floor / 20.0) else floor


def _sub_len(sample_rate: int) -> int:
    """Sub-block length: the largest divisor of the 100 ms gating hop up to 32 samples."""
    hop = round(0.1 * sample_rate)
    return max(d for d in range(1, 33) if hop % d == 0)


def _sub_peaks(x: np.ndarray, size: int) -> np.ndarray:
    """Largest |sample| of each sub-block over all channels (the last one may be short)."""
    mag = np.abs(x[0]) if x.shape[0] == 1 else np.maximum(np.abs(x[0]), np.abs(x[1]))
    for ch in range(2, x.shape[0]):
        np.maximum(mag, np.abs(x[ch]), out=mag)
    full = mag.shape[-1] // size
    cols = mag[: full * size].reshape(full, size)
    peaks = cols[:, 0].astype(np.float64)
    for k in range(1, size):  # column by column: far faster than numpy's short-axis reduction
        np.maximum(peaks, cols[:, k], out=peaks)
    if mag.shape[-1] > full * size:
        peaks = np.append(peaks, float(mag[full * size :].max()))
    return peaks


def _sub_energy(x: np.ndarray, size: int) -> np.ndarray:
    """Sum of squares of each sub-block over all channels (the last one may be short)."""
    full = x.shape[-1] // size
    body = x[:, : full * size].reshape(x.shape[0], full, size)
    energy = np.einsum("cbk,cbk->b", body, body, dtype=np.float64)
    if x.shape[-1] > full * size:
        energy = np.append(energy, float(np.sum(np.square(x[:, full * size :], dtype=np.float64))))
    return energy


def _interpolator(size: int) -> np.ndarray:
    """Matrix (size + taps, 3 * (size + 1)) taking one sub-block's samples, with the filter's context
    either side, to its values between samples (phases 1-3): one dense product, no sliding window."""
    mat = np.zeros((size + _TP_TAPS, 3 * (size + 1)), dtype=np.float32)
    for p in range(1, 4):
        for i in range(size + 1):
            mat[i : i + _TP_TAPS, (p - 1) * (size + 1) + i] = _TP_PHASES[p]
    return mat


def _subblock_true_peaks(x: np.ndarray, idx: np.ndarray, size: int, loop: bool) -> np.ndarray:
    """4x-oversampled true peak of each sub-block in `idx` (linear), its own samples included."""
    n = x.shape[-1]
    before = _TP_TAPS // 2
    span = np.arange(size + _TP_TAPS)
    mat = _interpolator(size)
    out = np.empty(idx.size, dtype=np.float32)
    for lo in range(0, idx.size, 4096):
        pos = idx[lo : lo + 4096, None] * size + (span - before)
        if loop:
            segs = x.take(pos % n, axis=1)  # (ch, k, size + taps)
        else:
            segs = x.take(np.clip(pos, 0, n - 1), axis=1)
            if pos[0, 0] < 0 or pos[-1, -1] >= n:
                segs *= (pos >= 0) & (pos < n)
        interp = segs.reshape(-1, segs.shape[-1]) @ mat
        peak = np.maximum(interp.max(axis=1), -interp.min(axis=1)).reshape(segs.shape[0], -1).max(axis=0)
        own = segs[:, :, before : before + size]
        own = np.maximum(own.max(axis=(0, 2)), -own.min(axis=(0, 2)))
        out[lo : lo + 4096] = np.maximum(peak, own * np.float32(_TP_CENTRE))
    return out


def _reach(size: int) -> int:
    """How many sub-blocks either side the interpolation filter reaches into."""
    return -(-(_TP_TAPS // 2) // size)


class _PeakMap:
    """Per-sub-block true peaks of one signal, computed only where they can matter, then kept."""

    def __init__(self, x: np.ndarray, size: int, loop: bool, sample: np.ndarray | None = None) -> None:
        self.x, self.size, self.loop = x, size, loop
        sample = _sub_peaks(x, size) if sample is None else sample
        reach = _reach(size)
        wrap = np.arange(-reach, sample.size + reach) % max(sample.size, 1)
        ext = sample[wrap] if loop else np.pad(sample, reach)
        neighbours = np.stack([ext[i : i + sample.size] for i in range(2 * reach + 1)]).max(axis=0)
        self.bound = neighbours * _TP_BOUND  # no true peak of sub-block j exceeds bound[j]
        self.peak = np.zeros(sample.size, dtype=np.float64)
        self.known = np.zeros(sample.size, dtype=bool)

    def resolve(self, mask: np.ndarray) -> None:
        """Compute the exact true peak of every sub-block in `mask` not yet known."""
        todo = np.flatnonzero(mask & ~self.known)
        if todo.size:
            self.peak[todo] = _subblock_true_peaks(self.x, todo, self.size, self.loop)
            self.known[todo] = True

    def above(self, gain: np.ndarray, level: float) -> np.ndarray:
        """Exact true peaks of the sub-blocks that, at `gain`, might exceed `level`; 0 elsewhere."""
        self.resolve(self.bound * gain > level)
        return np.where(self.known, self.peak, 0.0)


def true_peak_dbtp(x: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    """True peak of (channels, n) audio in dBTP: 4x oversampling (BS.1770-4 Annex 2), reading the
    same as the maximum of scipy's resample_poly(x, 4, 1).

    Exact, but only the stretches that can hold the maximum are oversampled. PEAK_FLOOR for silence.
    """
    x = np.atleast_2d(np.asarray(x, dtype=np.float32))
    if x.shape[-1] == 0:
        return PEAK_FLOOR
    peaks = _PeakMap(x, _sub_len(sample_rate), loop=False)
    # the true peak is at least the largest sample, so only sub-blocks bounded above it can hold it
    peaks.resolve(peaks.bound >= peaks.bound.max() / _TP_BOUND)
    return _db(float(peaks.peak.max()), PEAK_FLOOR)


def null_residual_db(mix: np.ndarray, stems: dict[str, np.ndarray]) -> float:
    """RMS of (mix - sum of stems) relative to the RMS of the mix, in dB (-200 when they null exactly)."""
    total = np.zeros(mix.shape, dtype=np.float64)
    for stem in stems.values():
        total += stem
    residual = float(np.sqrt(np.mean((mix - total) ** 2))) if mix.size else 0.0
    level = float(np.sqrt(np.mean(np.square(mix, dtype=np.float64)))) if mix.size else 0.0
    if residual == 0.0:
        return -200.0
    return float(max(20.0 * np.log10(residual / max(level, 1e-30)), -200.0))


def _gated_loudness(energy: np.ndarray, size: int, n: int, sample_rate: int) -> float:
    """BS.1770-4 integrated loudness from per-sub-block K-weighted energies, gated as pyloudnorm does:
    400 ms blocks every 100 ms, absolute gate -70 LUFS, relative gate -10 LU."""
    per_hop = round(0.1 * sample_rate) // size
    window = 4 * per_hop * size  # samples in a 400 ms block
    count = int(np.round((n / sample_rate - 0.4) / 0.1)) + 1
    if count < 1:
        z = np.array([energy.sum() / window])
    else:
        hops = np.zeros((count + 3) * per_hop)
        take = min(hops.size, energy.size)
        hops[:take] = energy[:take]
        hop_energy = hops.reshape(-1, per_hop).sum(axis=1)
        z = (
            hop_energy[:count]
            + hop_energy[1 : count + 1]
            + hop_energy[2 : count + 2]
            + hop_energy[3 : count + 3]
        )
        z = z / window
    with np.errstate(divide="ignore"):
        level = -0.691 + 10.0 * np.log10(z)
    gated = z[level >= -70.0]
    if gated.size == 0:
        return float("-inf")
    relative = -0.691 + 10.0 * np.log10(gated.mean()) - 10.0
    kept = z[(level > relative) & (level > -70.0)]
    return float(-0.691 + 10.0 * np.log10(kept.mean())) if kept.size else float("-inf")


def _circular(fn, x: np.ndarray, loop: bool, pad: int) -> np.ndarray:
    """Run a sub-block process that looks `pad` sub-blocks back or ahead so that it wraps around a
    loop (enough copies either side, keep the middle one) or sees silence around a one-shot."""
    if loop:
        k = max(1, -(-pad // max(x.size, 1)))
        return fn(np.tile(x, 2 * k + 1))[k * x.size : (k + 1) * x.size]
    return fn(np.concatenate([np.zeros(pad), x, np.zeros(pad)]))[pad : pad + x.size]


def _one_pole(x: np.ndarray, tau_s: float, rate: float) -> np.ndarray:
    a = float(np.exp(-1.0 / max(tau_s * rate, 1e-9)))
    return signal.lfilter([1.0 - a], [1.0, -a], x, zi=[a * x[0]] if x.size else None)[0] if x.size else x


def _compressor_db(power: np.ndarray, pre_db: float, target: float, rate: float, loop: bool) -> np.ndarray:
    """Gain (dB, <= 0) of a gentle soft-knee RMS compressor, per sub-block."""

    def run(p: np.ndarray) -> np.ndarray:
        level = 10.0 * np.log10(_one_pole(p, COMP_DETECT_S, rate) + 1e-20) + pre_db
        over = level - (target + COMP_ABOVE_TARGET_DB)
        slope, k = 1.0 - 1.0 / COMP_RATIO, COMP_KNEE_DB
        gr = np.where(
            over > k / 2, slope * over, np.where(over > -k / 2, slope * (over + k / 2) ** 2 / (2 * k), 0.0)
        )
        return -_one_pole(np.minimum(gr, COMP_MAX_DB), COMP_RELEASE_S, rate)

    pad = int(COMP_RELEASE_S * rate * 8)
    if loop:
        return _circular(run, power, True, pad)
    return run(np.concatenate([power, np.full(pad, power[-1] if power.size else 0.0)]))[: power.size]


def _limiter_db(required_db: np.ndarray, rate: float, loop: bool) -> np.ndarray:
    """Gain (dB, <= 0) that keeps every sub-block under its required reduction, with lookahead.

    A sub-block's samples take gains interpolated from its own point and its neighbours', so each
    point must cover its neighbours' needs; then hold over the lookahead, release at a fixed rate, and
    average over the lookahead: the average of values that each cover a sub-block covers it too.
    """
    look = max(round(LOOKAHEAD_S * rate), 1)
    step = RELEASE_DB_PER_S / rate

    def run(req: np.ndarray) -> np.ndarray:
        need = np.maximum(np.maximum(req, np.roll(req, 1)), np.roll(req, -1))
        hold = need.copy()
        for shift in range(1, look + 1):
            np.maximum(hold[:-shift], need[shift:], out=hold[:-shift])
        ramp = np.arange(hold.size) * step
        released = np.maximum.accumulate(hold + ramp) - ramp
        csum = np.concatenate([np.zeros(look + 1), np.cumsum(released)])
        return -(csum[look + 1 :] - csum[: -look - 1]) / (look + 1)

    # a loop must also carry a release still running from its previous pass (40 dB at most)
    return _circular(run, required_db, loop, look + 2 + (int(40.0 / step) if loop else 0))


class _GainCurve:
    """Per-sample linear gain, float32, interpolated between sub-block points (at each sub-block's
    first sample) and drawn a chunk at a time, never all n samples at once. A loop interpolates its
    last sub-block towards the first point, so it wraps."""

    def __init__(self, points_db: np.ndarray, n: int, size: int, loop: bool) -> None:
        self.g = (10.0 ** (points_db / 20.0)).astype(np.float32)
        self.step = np.append(self.g[1:], self.g[0] if loop else self.g[-1]) - self.g
        self.ramp = (np.arange(size, dtype=np.float32) / np.float32(size))[None, :]
        self.n, self.size, self.loop = n, size, loop

    def samples(self, lo: int, hi: int) -> np.ndarray:
        """The gain of samples lo..hi (lo at a sub-block's start)."""
        a, b = lo // self.size, -(-hi // self.size)
        curve = np.multiply(self.step[a:b, None], self.ramp)
        curve += self.g[a:b, None]
        flat = curve.reshape(-1)[: hi - lo]
        g, n = self.g, self.n
        last = n - (g.size - 1) * self.size
        if self.loop and 0 < last < self.size and hi == n:  # a short last sub-block still ends on g[0]
            rise = (g[0] - g[-1]) * np.arange(last, dtype=np.float32) / np.float32(last)
            flat[n - last - lo :] = g[-1] + rise
        return flat

    def over(self, before: _GainCurve, lo: int, hi: int) -> np.ndarray:
        """The gain of samples lo..hi that takes audio already carrying `before` to this curve."""
        return self.samples(lo, hi) / before.samples(lo, hi)


def _delivered_true_peak(
    delivered: np.ndarray,
    sample_peaks: np.ndarray,
    raw: _PeakMap,
    points_db: np.ndarray,
    size: int,
    loop: bool,
) -> float:
    """Exact true peak (dBTP) of the delivered mix, which is the raw mix times the gain curve.

    A sub-block's delivered true peak is at most g_max * (its raw true peak, or the raw bound) plus
    the L1 bound times the gain's spread over the filter's reach (from the neighbouring gain points).
    Only sub-blocks whose bound reaches the largest delivered sample are oversampled again.
    """
    g = 10.0 ** (points_db / 20.0)
    r = _reach(size)
    edge = g[np.arange(-r, g.size + r + 1) % g.size] if loop else np.pad(g, (r, r + 1), mode="edge")
    reach = np.stack([edge[i : i + g.size] for i in range(2 * r + 2)])  # points j-r .. j+1+r
    g_max, g_min = reach.max(axis=0), reach.min(axis=0)
    base = np.where(raw.known, raw.peak, raw.bound)
    bound = (g_max * base + (g_max - g_min) * raw.bound) * (1.0 + 1e-5)
    best = float(sample_peaks.max())
    todo = np.flatnonzero(bound >= best)
    if todo.size:
        best = max(best, float(_subblock_true_peaks(delivered, todo, size, loop).max()))
    return _db(best, PEAK_FLOOR)


def _stem_peak_bound(stem_db: np.ndarray, points_db: np.ndarray, loop: bool) -> float:
    """Bound (dBFS) on the largest delivered sample of any stem: a sub-block's gain runs between its
    own point and the next, so it is at most the larger of the two."""
    nxt = np.append(points_db[1:], points_db[0] if loop else points_db[-1])
    return float((stem_db + np.maximum(points_db, nxt)).max()) + 1e-4


def _analyse(stems: list[np.ndarray], n: int, size: int, sample_rate: int, chunk_subs: int = 2048):
    """One pass over the stems, chunk by chunk while each chunk is in cache: their sum (the mix),
    and per sub-block its peak sample, mean power and K-weighted energy (pyloudnorm's BS.1770-4
    K-weighting filters, run as one 4th-order filter carried across chunks), and the largest sample
    of any stem."""
    stages = pyloudnorm.Meter(sample_rate)._filters.values()
    sos = np.array([np.concatenate([st.b * st.passband_gain, st.a]) for st in stages])
    b, a = signal.sos2tf(sos)
    state = np.zeros((2, max(len(a), len(b)) - 1))
    mix = np.zeros((2, n), dtype=np.float32)
    nsub = -(-n // size)
    peaks, power, energy, stem_peaks = np.empty(nsub), np.empty(nsub), np.empty(nsub), np.zeros(nsub)
    step = chunk_subs * size
    loudest = np.empty((2, min(step, n)), dtype=np.float32)  # |sample| of the loudest stem, per sample
    scratch = np.empty_like(loudest)
    for j, lo in enumerate(range(0, n, step)):
        acc = mix[:, lo : lo + step]
        top, tmp = loudest[:, : acc.shape[-1]], scratch[:, : acc.shape[-1]]
        top[:] = 0.0
        for stem in stems:
            acc += stem[:, lo : lo + step]
            np.maximum(top, np.abs(stem[:, lo : lo + step], out=tmp), out=top)
        subs = slice(j * chunk_subs, j * chunk_subs + -(-acc.shape[-1] // size))
        weighted, state = signal.lfilter(b, a, acc, axis=-1, zi=state)
        peaks[subs] = _sub_peaks(acc, size)
        stem_peaks[subs] = _sub_peaks(top, size)
        power[subs] = _sub_energy(acc, size) / (2 * size)
        energy[subs] = _sub_energy(weighted, size)
    return mix, peaks, power, energy, stem_peaks


def _apply(
    stems: list[np.ndarray],
    gain: Callable[[int, int], np.ndarray],
    size: int,
    outs: list[np.ndarray],
    mix: np.ndarray,
) -> np.ndarray:
    """outs[i] = stems[i] * gain and mix = their sum, chunk by chunk (one pass over each stem; an out
    may be its stem, for in-place work); gain(lo, hi) gives the gain of samples lo..hi. Returns the
    mix's peak per sub-block."""
    n = mix.shape[-1]
    peaks = np.empty(-(-n // size))
    step = 2048 * size
    for j, lo in enumerate(range(0, n, step)):
        g = gain(lo, min(lo + step, n))
        acc = mix[:, lo : lo + step]
        acc[:] = 0.0
        for stem, dst in zip(stems, outs, strict=True):
            acc += np.multiply(stem[:, lo : lo + step], g, out=dst[:, lo : lo + step])
        peaks[j * 2048 : j * 2048 + -(-acc.shape[-1] // size)] = _sub_peaks(acc, size)
    return peaks


def master(
    stems: dict[str, np.ndarray],
    *,
    sample_rate: int = SAMPLE_RATE,
    target_lufs: float = -14.0,
    ceiling_dbtp: float = -1.0,
    loop: bool = False,
    in_place: bool = False,
) -> Mastered:
    """Master the stems: makeup gain to `target_lufs`, a gentle bus compressor, and a 4x-oversampled
    true-peak lookahead limiter under `ceiling_dbtp`, iterated until the loudness lands on target.

    One gain curve, computed from the summed mix, is applied to every stem; the returned mix is the
    sum of the returned stems. With `loop`, every detector runs circularly, so the gain at the end of
    the loop leads smoothly into its start. Silence stays silence; near-silence is lifted at most
    MAX_MAKEUP_DB. With `in_place`, the given float32 stem arrays are scaled where they are and
    returned, which saves a copy of every stem when the caller has no further use for them.
    """
    names = list(stems)
    inputs = [np.asarray(stems[k], dtype=np.float32) for k in names]
    n = inputs[0].shape[-1] if inputs else 0
    size = _sub_len(sample_rate)
    mix, sample, power, energy, stem_peaks = _analyse(inputs, n, size, sample_rate)
    if not np.isfinite(sample).all() or not np.isfinite(stem_peaks).all():
        inputs = [np.nan_to_num(s, nan=0.0, posinf=0.0, neginf=0.0) for s in inputs]
        mix, sample, power, energy, stem_peaks = _analyse(inputs, n, size, sample_rate)
    if n == 0 or sample.max() == 0.0:  # silence, or stems that cancel exactly: only keep them unclipped
        trim = min(0.0, STEM_PEAK_DBFS - _db(float(stem_peaks.max(initial=0.0)), PEAK_FLOOR))
        outs = inputs if in_place else [np.empty_like(s) for s in inputs]
        flat = np.float32(10.0 ** (trim / 20.0))
        _apply(inputs, lambda lo, hi: flat, size, outs, mix)
        return Mastered(mix, dict(zip(names, outs, strict=True)), LOUDNESS_FLOOR, PEAK_FLOOR, trim, -trim)
    rate = sample_rate / size
    peaks = _PeakMap(mix, size, loop, sample)

    def loudness_at(points_db: np.ndarray) -> float:
        g = 10.0 ** (points_db / 20.0)
        g2 = (g**2 + np.append(g[1:], g[0] if loop else g[-1]) ** 2) / 2  # sub-block mean of the ramp
        return _gated_loudness(energy * g2, size, n, sample_rate)

    raw = _gated_loudness(energy, size, n, sample_rate)
    if not np.isfinite(raw):
        raw = 10.0 * np.log10(max(energy.sum() / n, 1e-30)) - 0.691
    makeup = float(min(target_lufs - raw, MAX_MAKEUP_DB))
    ceiling = 10.0 ** ((ceiling_dbtp - CEILING_MARGIN_DB) / 20.0)
    stem_aim_db = STEM_PEAK_DBFS - STEM_MARGIN_DB
    with np.errstate(divide="ignore"):
        stem_db = 20.0 * np.log10(stem_peaks)
    outs = inputs if in_place else [np.empty_like(s) for s in inputs]
    delivered = np.empty_like(mix)
    applied_gain: _GainCurve | None = None
    history: list[tuple[float, float]] = []
    for _ in range(3):  # tighten the limiter's aim if the delivered true peak still overshoots
        for _ in range(12):
            comp = _compressor_db(power, makeup, target_lufs, rate, loop)
            before = makeup + comp
            tp = peaks.above(10.0 ** (before / 20.0), ceiling)
            with np.errstate(divide="ignore"):
                required = np.maximum(
                    20.0 * np.log10(np.maximum(tp, 1e-30)) + before - 20 * np.log10(ceiling), 0
                )
            np.maximum(required, stem_db + before - stem_aim_db, out=required)
            points = before + _limiter_db(required, rate, loop)
            level, applied = loudness_at(points), makeup
            history.append((makeup, level))
            error = target_lufs - level
            if abs(error) < 0.02 or (error > 0 and makeup >= MAX_MAKEUP_DB):
                break
            slope = 1.0
            if len(history) > 1 and history[-1][0] != history[-2][0]:
                slope = (history[-1][1] - history[-2][1]) / (history[-1][0] - history[-2][0])
            makeup = float(min(makeup + error / float(np.clip(slope, 0.1, 1.0)), MAX_MAKEUP_DB))
        gain = _GainCurve(points, n, size, loop)
        if in_place and applied_gain is not None:  # the stems already carry the last try's gain
            out_peaks = _apply(outs, partial(gain.over, applied_gain), size, outs, delivered)
        else:
            out_peaks = _apply(inputs, gain.samples, size, outs, delivered)
        applied_gain = gain
        peak = _delivered_true_peak(delivered, out_peaks, peaks, points, size, loop)
        stem_peak = _stem_peak_bound(stem_db, points, loop)
        if peak <= ceiling_dbtp - 0.05 and stem_peak <= STEM_PEAK_DBFS:
            break
        if peak > ceiling_dbtp - 0.05:
            ceiling *= 10.0 ** (-(peak - (ceiling_dbtp - CEILING_MARGIN_DB)) / 20.0)
        if stem_peak > STEM_PEAK_DBFS:
            stem_aim_db -= stem_peak - (STEM_PEAK_DBFS - STEM_MARGIN_DB)
        history.clear()
    return Mastered(
        mix=delivered,
        stems=dict(zip(names, outs, strict=True)),
        loudness_lufs=max(level, LOUDNESS_FLOOR),
        true_peak_dbtp=peak,
        gain_db=applied,
        max_gain_reduction_db=float(max(0.0, applied - points.min())),
    )
