"""Per-stem effects: level, pan, convolution reverb, sidechain ducking, and the loop fold / end fade.

The reverb convolves with a synthetic impulse response (seeded decaying noise, darker as it decays,
early reflections, a pre-delay, length set by the room) in the frequency domain with torch, block by
block, and spreads it to stereo. Ducking is computed from the kick notes of the score, not from
audio, so it is exact and deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from .events import stable_seed

REFERENCE_DBFS = -20.0  # every dry stem is levelled to this gated RMS before its gain_db
_GATE_BLOCK_S = 0.1


def gated_rms_db(parts: list[np.ndarray], sample_rate: int) -> float:
    """RMS level of a stem (given as consecutive (2, k) pieces) over its audible part, in dBFS: 100 ms
    blocks, quieter ones left out (below -70 dBFS or 20 dB under the mean), much as loudness gating
    does. -inf for silence."""
    block = max(int(_GATE_BLOCK_S * sample_rate), 1)
    powers = []
    for x in parts:
        nb = x.shape[-1] // block
        body = x[:, : nb * block].reshape(x.shape[0], nb, block)
        powers.append(np.einsum("cbk,cbk->b", body, body, dtype=np.float64) / (block * x.shape[0]))
        if x.shape[-1] > nb * block:
            powers.append(np.array([float(np.mean(np.square(x[:, nb * block :], dtype=np.float64)))]))
    power = np.concatenate(powers) if powers else np.zeros(0)
    power = power[power > 1e-7]
    if power.size == 0:
        return float("-inf")
    power = power[power > power.mean() * 0.01]
    return float(10.0 * np.log10(power.mean()))


def pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power (left, right) gains, unity for both at the centre."""
    angle = (float(np.clip(pan, -1.0, 1.0)) + 1.0) * np.pi / 4.0
    return float(np.sqrt(2.0) * np.cos(angle)), float(np.sqrt(2.0) * np.sin(angle))


def room_rt60(bpm: float) -> float:
    """Reverb time in seconds for a tempo: slow music gets a longer hall, fast music a tighter room."""
    return float(np.clip(150.0 / max(bpm, 1.0), 1.0, 2.6))


@lru_cache(maxsize=8)
def impulse_response(rt60: float, sample_rate: int) -> np.ndarray:
    """A mono impulse response (m,): pre-delay, early reflections, a diffuse tail whose highs decay
    faster than its lows, band-limited to 150 Hz..9 kHz, with unit energy."""
    rng = np.random.default_rng(stable_seed("reverb", int(rt60 * 1000), sample_rate))
    m = 1 << int(np.ceil(np.log2(0.8 * rt60 * sample_rate)))
    m = min(m, 1 << 17)
    t = np.arange(m, dtype=np.float64) / sample_rate
    predelay = 0.018
    spec = np.fft.rfft(rng.standard_normal(m))
    freqs = np.fft.rfftfreq(m, 1.0 / sample_rate)
    tail = np.zeros(m)
    # three bands with their own decay: this is what makes a tail sound like a room, not like hiss
    for lo, hi, scale in ((0.0, 500.0, 1.15), (500.0, 3000.0, 1.0), (3000.0, np.inf, 0.55)):
        band = np.fft.irfft(spec * ((freqs >= lo) & (freqs < hi)), n=m)
        tail += band * np.exp(-6.91 * np.maximum(t - predelay, 0.0) / (rt60 * scale))
    tail[t < predelay] = 0.0
    onset = (t >= predelay) & (t < predelay + 0.01)
    tail[onset] *= (t[onset] - predelay) / 0.01
    for _ in range(8):
        idx = int((predelay * 0.5 + rng.uniform(0.004, 0.045)) * sample_rate)
        tail[idx] += rng.uniform(0.3, 1.0) * rng.choice([-1.0, 1.0]) * np.sqrt(m) * 0.02
    shaped = np.fft.rfft(tail)
    shaped *= (freqs > 150.0) / (1.0 + (freqs / 9000.0) ** 4)
    ir = np.fft.irfft(shaped, n=m)
    ir[-256:] *= np.linspace(1.0, 0.0, 256)
    ir /= np.sqrt(np.sum(ir**2))
    out = ir.astype(np.float32)
    out.setflags(write=False)
    return out


_SIDE_DELAY_S = 0.017
_SIDE_GAIN = 0.8


def add_wrapped(out: np.ndarray, x: np.ndarray, offset: int, loop: bool, subtract: bool = False) -> None:
    """out (c, n) += x (c, k) placed at sample `offset`. With `loop`, what falls past n folds back onto
    the start, as the loop playing on repeat would sound; otherwise it is cut."""
    n = out.shape[-1]
    op = np.subtract if subtract else np.add
    pos, src = offset, 0
    while src < x.shape[-1] and n > 0:
        if pos >= n:
            if not loop:
                return
            pos -= n
            continue
        take = min(n - pos, x.shape[-1] - src)
        dst = out[..., pos : pos + take]
        op(dst, x[..., src : src + take], out=dst)
        pos, src = pos + take, src + take


def fade_out(out: np.ndarray, sample_rate: int, fade_s: float = 0.02) -> None:
    """Fade the last `fade_s` of `out` (c, n) out with a half cosine so the very last sample is zero."""
    f = min(int(fade_s * sample_rate), out.shape[-1])
    if f > 0:
        out[:, -f:] *= (0.5 + 0.5 * np.cos(np.linspace(0.0, np.pi, f))).astype(np.float32)


_BATCH_BLOCKS = 8  # FFT blocks per torch call: enough to amortise the call, small enough to stay cheap


@lru_cache(maxsize=8)
def _ir_spectrum(rt60: float, sample_rate: int) -> torch.Tensor:
    """The room's impulse response (m,) transformed at the block FFT size 4m, once per room."""
    ir = impulse_response(rt60, sample_rate)
    return torch.fft.rfft(torch.from_numpy(np.array(ir)), n=4 * ir.shape[-1])


@dataclass(frozen=True)
class Send:
    """A reverb send: (left + right) * scale of the dry stem `main` followed by its `tail`; the wet
    signal is added into `out`."""

    out: np.ndarray
    main: np.ndarray
    tail: np.ndarray
    scale: float

    def read(self, start: int, dst: np.ndarray) -> None:
        """Fill `dst` with the send from sample `start` on (zeros past its end)."""
        n, k = self.main.shape[-1], dst.shape[-1]
        pos = 0
        for src, base in ((self.main, 0), (self.tail, n)):
            lo, hi = max(start + pos - base, 0), min(start + k - base, src.shape[-1])
            if hi > lo:
                np.add(src[0, lo:hi], src[1, lo:hi], out=dst[pos : pos + hi - lo])
                pos += hi - lo
        dst[pos:] = 0.0
        dst *= np.float32(self.scale)

    @property
    def length(self) -> int:
        return self.main.shape[-1] + self.tail.shape[-1]


def add_reverb(sends: list[Send], rt60: float, sample_rate: int, loop: bool) -> None:
    """Convolve each send with the impulse response of a room of `rt60` seconds and add it, spread
    to stereo, into its stem.

    Overlap-add in blocks three times as long as the impulse response (FFT size 4m): small FFTs, a third
    less work than blocks of m, and the blocks of all stems go through torch a batch at a time; silent
    blocks are skipped. Width comes from mid/side: the side is the wet signal delayed by 17 ms
    (uncorrelated with it in a diffuse tail), so left and right differ while their sum stays exactly
    the mono wet signal.
    """
    if not sends:
        return
    h = _ir_spectrum(rt60, sample_rate)
    fft_n = 2 * (h.shape[-1] - 1)
    m = fft_n // 4
    hop = 3 * m
    delay = int(_SIDE_DELAY_S * sample_rate)
    # each stem's blocks last to first: a block's wet lands at or after its own start, so it never
    # reaches a block still to be read; in a loop, what passes the end waits in `spill` until the end
    jobs = [(i, b * hop) for i, send in enumerate(sends) for b in reversed(range(-(-send.length // hop)))]
    spills = [
        np.zeros((2, send.length + m + delay - send.out.shape[-1] if loop else 0), np.float32)
        for send in sends
    ]
    rows = min(len(jobs), _BATCH_BLOCKS)
    padded = np.zeros((rows, fft_n), dtype=np.float32)
    spec = torch.empty((rows, fft_n // 2 + 1), dtype=torch.complex64)
    wet = torch.empty((rows, fft_n), dtype=torch.float32)
    batch: list[tuple[int, int]] = []

    def flush() -> None:
        count = len(batch)
        torch.fft.rfft(torch.from_numpy(padded[:count]), out=spec[:count])
        spec[:count] *= h
        torch.fft.irfft(spec[:count], n=fft_n, out=wet[:count])
        blocks = wet[:count].numpy()
        for row, (i, start) in enumerate(batch):
            out, spill = sends[i].out, spills[i]
            block = blocks[row : row + 1, : min(hop + m, sends[i].length + m - start)]
            _spill_add(out, spill, block, start)  # the mid, into both channels
            block *= np.float32(_SIDE_GAIN)
            _spill_add(out[:1], spill[:1], block, start + delay)
            _spill_add(out[1:], spill[1:], block, start + delay, subtract=True)
        batch.clear()

    for i, start in jobs:
        row = padded[len(batch), :hop]
        sends[i].read(start, row)
        if row.any():  # a silent block adds nothing
            batch.append((i, start))
            if len(batch) == rows:
                flush()
    if batch:
        flush()
    for send, spill in zip(sends, spills, strict=True):
        if spill.shape[-1]:
            add_wrapped(send.out, spill, send.out.shape[-1], loop=True)


def _spill_add(
    out: np.ndarray, spill: np.ndarray, x: np.ndarray, offset: int, subtract: bool = False
) -> None:
    """Add x at `offset` into out; what passes out's end goes on into `spill` (cut at its end)."""
    n = out.shape[-1]
    add_wrapped(out, x, offset, loop=False, subtract=subtract)
    if offset + x.shape[-1] > n and spill.shape[-1]:
        skip = max(n - offset, 0)
        add_wrapped(spill, x[..., skip:], offset + skip - n, loop=False, subtract=subtract)


def duck_envelope(
    kicks: np.ndarray, n: int, sample_rate: int, depth: float, release_s: float, loop: bool
) -> np.ndarray:
    """Gain curve (n,) that dips by `depth` (0..1) at each kick sample and recovers over `release_s`.

    Overlapping dips take the deeper of the two, so the curve never jumps up. With `loop`, kicks near
    the end also duck the start (the curve is periodic in n).
    """
    reduction = np.zeros(n, dtype=np.float32)
    kicks = np.unique(kicks[(kicks >= 0) & (kicks < n)]) if n > 0 else kicks[:0]
    if kicks.size == 0 or depth <= 0:
        return np.ones(n, dtype=np.float32)
    attack = max(int(0.004 * sample_rate), 1)
    length = attack + int(release_s * sample_rate * 2.0)
    t = np.arange(length, dtype=np.float32)
    shape = np.minimum(t / attack, 1.0) * np.exp(
        -np.maximum(t - attack, 0.0) / (release_s * sample_rate / 3.0)
    )
    ramp = min(64, length)
    shape[length - ramp :] *= np.linspace(1.0, 0.0, ramp, dtype=np.float32)
    # in a loop, kicks of earlier passes still ring into this one
    passes = -(-length // n) if loop else 0
    origins = np.concatenate([kicks - j * n for j in range(passes, -1, -1)])
    for k in origins:
        lo, hi = max(int(k), 0), min(int(k) + length, n)
        if hi > lo:
            seg = reduction[lo:hi]
            np.maximum(seg, shape[lo - int(k) : hi - int(k)], out=seg)
    reduction *= np.float32(-depth)
    reduction += np.float32(1.0)
    return reduction
