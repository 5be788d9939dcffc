#!/usr/bin/env python3
"""Fixtures for the TIMIT feature tests: an independent implementation of python_speech_features.

The Java features (org.eprop.supervised.timit.SpeechFeatures) must equal what
python_speech_features 0.6 computes, because the original e-prop TIMIT code
(IGITUGraz/eligibility_propagation, timit_processing.py) calls
    mfcc(wav, 16000, winstep=0.01, winlen=0.025)
    fbank(wav, 16000, nfilt=40, winstep=0.01, winlen=0.025)
on the raw int16 samples and stores the 40 filter-bank energies plus the frame
energy (linear, no log) as its 41 "filter bank" features. This script writes
that algorithm out again with numpy alone (no python_speech_features, no scipy):
pre-emphasis, framing with zero padding, |rfft|^2 / NFFT, the triangular mel
filters on floor((NFFT + 1) * hz / rate) bins, log, an orthonormal DCT-II as an
explicit matrix, the sinusoidal lifter and c0 replaced by log(frame energy).

Usage (from the repository root):

    python3 supervised/src/test/python/make_timit_fixtures.py
        writes the fixtures under
        supervised/src/test/resources/org/eprop/supervised/timit/fixtures/:
        synthetic 16-bit RIFF signals (*.wav), their features (*.mfcc.txt,
        *.fbank41.txt: one frame per line), the filter-bank bin edges
        (filterbank-bins.txt) and a small z-scoring case (zscore-*.txt).
        The signals are deterministic: rerunning reproduces the same bytes.

    python3 supervised/src/test/python/make_timit_fixtures.py --wav IN.wav --out DIR
        writes DIR/IN.mfcc.txt and DIR/IN.fbank41.txt for any 16-bit mono RIFF
        file; the Java test of the NLTK sample runs this mode on real TIMIT
        utterances when python3 with numpy is available.

Needs python3 and numpy (tested with numpy 2.4).
"""

import argparse
import decimal
import math
import os
import sys
import wave

import numpy as np

SAMPLE_RATE = 16000
EPS = np.finfo(float).eps  # python_speech_features replaces zero energies by this before the log


# ---- python_speech_features' algorithm, written out independently ----------------------------

def round_half_up(x):
    return int(decimal.Decimal(x).quantize(decimal.Decimal('1'), rounding=decimal.ROUND_HALF_UP))


def preemphasis(signal, coeff):
    # y[0] = x[0], y[n] = x[n] - coeff * x[n-1]; the int16 input is promoted to float64 here
    signal = np.asarray(signal, dtype=np.float64)
    out = np.empty_like(signal)
    out[0] = signal[0]
    out[1:] = signal[1:] - coeff * signal[:-1]
    return out


def frames_of(signal, frame_len, frame_step):
    n = len(signal)
    if n <= frame_len:
        count = 1
    else:
        count = 1 + int(math.ceil((n - frame_len) / frame_step))
    padded = np.zeros((count - 1) * frame_step + frame_len)
    padded[:n] = signal
    out = np.empty((count, frame_len))
    for i in range(count):
        out[i] = padded[i * frame_step:i * frame_step + frame_len]
    return out  # the rectangular window: frames are used as they are


def power_spectrum(frames, nfft):
    return np.abs(np.fft.rfft(frames, nfft)) ** 2 / nfft


def hz_to_mel(hz):
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def mel_to_hz(mel):
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


def filter_bins(nfilt, nfft, rate, low_hz=0.0, high_hz=None):
    high_hz = rate / 2 if high_hz is None else high_hz
    mels = np.linspace(hz_to_mel(low_hz), hz_to_mel(high_hz), nfilt + 2)
    exact = (nfft + 1) * mel_to_hz(mels) / rate
    bins = np.floor(exact)
    # A value a hair from an integer could floor differently in another language's pow/log10;
    # the fixture is only trustworthy if every edge is clear of that (0 Hz maps to bin 0 exactly).
    frac = exact - bins
    near = np.minimum(frac, 1 - frac)
    if np.any((near > 0) & (near < 1e-9)):
        sys.exit('a filter edge lies within 1e-9 of a bin boundary; the fixture would be fragile')
    return bins.astype(int)


def filter_matrix(nfilt, nfft, rate):
    bins = filter_bins(nfilt, nfft, rate)
    fb = np.zeros((nfilt, nfft // 2 + 1))
    for j in range(nfilt):
        lo, mid, hi = bins[j], bins[j + 1], bins[j + 2]
        for i in range(lo, mid):
            fb[j, i] = (i - lo) / (mid - lo)
        for i in range(mid, hi):
            fb[j, i] = (hi - i) / (hi - mid)
    return fb


def filter_banks(signal, nfilt, rate=SAMPLE_RATE, winlen=0.025, winstep=0.01, nfft=512, preemph=0.97):
    frame_len = round_half_up(winlen * rate)
    frame_step = round_half_up(winstep * rate)
    pspec = power_spectrum(frames_of(preemphasis(signal, preemph), frame_len, frame_step), nfft)
    energy = pspec.sum(axis=1)
    energy = np.where(energy == 0, EPS, energy)
    feat = pspec @ filter_matrix(nfilt, nfft, rate).T
    feat = np.where(feat == 0, EPS, feat)
    return feat, energy


def dct2_ortho_matrix(n_in, n_out):
    k = np.arange(n_out)[:, None]
    n = np.arange(n_in)[None, :]
    m = np.cos(np.pi * k * (2 * n + 1) / (2 * n_in))
    scale = np.full((n_out, 1), math.sqrt(2.0 / n_in))
    scale[0, 0] = math.sqrt(1.0 / n_in)
    return scale * m


def mfcc(signal, numcep=13, nfilt=26, ceplifter=22, rate=SAMPLE_RATE):
    feat, energy = filter_banks(signal, nfilt, rate)
    cep = np.log(feat) @ dct2_ortho_matrix(nfilt, numcep).T
    lift = 1 + (ceplifter / 2.0) * np.sin(np.pi * np.arange(numcep) / ceplifter)
    cep = cep * lift
    cep[:, 0] = np.log(energy)
    return cep


def fbank41(signal, rate=SAMPLE_RATE):
    feat, energy = filter_banks(signal, 40, rate)
    return np.concatenate([feat, energy[:, None]], axis=1)


# ---- the original loader's deltas and z-scoring -----------------------------------------------

def with_deltas(v):
    def delta(x):
        d = np.zeros_like(x)
        d[1:-1] = x[2:] - x[:-2]
        return d
    d1 = delta(v)
    return np.concatenate([v, d1, delta(d1)], axis=1)


# ---- files ------------------------------------------------------------------------------------

def read_wav(path):
    with wave.open(path, 'rb') as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            sys.exit(f'{path}: expected 16-bit mono audio')
        return np.frombuffer(w.readframes(w.getnframes()), dtype='<i2').astype(np.int16)


def write_wav(path, samples):
    with wave.open(path, 'wb') as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(np.asarray(samples, dtype='<i2').tobytes())


def write_matrix(path, m, header):
    with open(path, 'w') as f:
        f.write(f'# {header}\n')
        for row in np.atleast_2d(m):
            f.write(' '.join(repr(float(x)) for x in row) + '\n')


def synthetic_signals():
    """Deterministic int16 test signals covering the edge cases of the framing."""
    rng = np.random.Generator(np.random.PCG64(20200713))
    n = 8123  # 50 frames, the last one zero-padded
    t = np.arange(n) / SAMPLE_RATE
    x = (3000 * np.sin(2 * np.pi * 200 * t)
         + 2000 * np.sin(2 * np.pi * 1000 * t + 0.3)
         + 1500 * np.sin(2 * np.pi * 3300 * t + 1.1)
         + 800 * np.sin(2 * np.pi * 7900 * t)  # close to Nyquist
         + 2500 * np.sin(2 * np.pi * (100 * t + 0.5 * (7400 / t[-1]) * t ** 2))  # chirp 100 -> 7500 Hz
         + 600 * rng.standard_normal(n))
    x *= 0.5 + 0.5 * np.sin(2 * np.pi * 1.7 * t) ** 2  # a slow envelope
    x[4000:5000] = 0  # exact silence: frames with zero energy take the eps branch
    x[6000:6050] = 40000  # clipped to full scale below
    x[6050:6100] = -40000
    mixed = np.clip(np.round(x), -32768, 32767).astype(np.int16)
    short = np.round(1000 * rng.standard_normal(250)).astype(np.int16)  # shorter than one window
    two = np.round(5000 * np.sin(2 * np.pi * 440 * np.arange(560) / SAMPLE_RATE)).astype(np.int16)
    return {'mixed': mixed, 'short': short, 'two-frames': two}


def make_fixtures(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    signals = synthetic_signals()
    for name, s in signals.items():
        write_wav(os.path.join(out_dir, name + '.wav'), s)
        write_matrix(os.path.join(out_dir, name + '.mfcc.txt'), mfcc(s),
                     f'{name}.wav: python_speech_features mfcc (13 ceps, c0 = log energy), frames x 13')
        write_matrix(os.path.join(out_dir, name + '.fbank41.txt'), fbank41(s),
                     f'{name}.wav: python_speech_features fbank(nfilt=40) and the frame energy, frames x 41')
    with open(os.path.join(out_dir, 'filterbank-bins.txt'), 'w') as f:
        f.write('# nfilt: the nfilt + 2 FFT bin edges of the mel filters (nfft 512, 16 kHz)\n')
        for nfilt in (26, 40):
            f.write(f'{nfilt}: ' + ' '.join(str(b) for b in filter_bins(nfilt, 512, SAMPLE_RATE)) + '\n')
    # z-scoring: the two longer signals are the training set, the short one is scored with their
    # statistics (population std, floored at 1e-10 as the original loader does)
    train = np.concatenate([with_deltas(fbank41(signals['mixed'])), with_deltas(fbank41(signals['two-frames']))])
    mean = train.mean(axis=0)
    std = np.maximum(train.std(axis=0), 1e-10)
    write_matrix(os.path.join(out_dir, 'zscore-mean.txt'), mean[None, :],
                 'mean of fbank41 + deltas + delta-deltas over mixed.wav and two-frames.wav (123 columns)')
    write_matrix(os.path.join(out_dir, 'zscore-std.txt'), std[None, :],
                 'population std of the same, floored at 1e-10')
    write_matrix(os.path.join(out_dir, 'zscore-short.txt'), (with_deltas(fbank41(signals['short'])) - mean) / std,
                 'short.wav: fbank41 + deltas + delta-deltas, z-scored with the statistics above')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, '..', 'resources', 'org', 'eprop', 'supervised', 'timit',
                                                'fixtures'))
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default=default_out, help='output directory (default: the test resources)')
    p.add_argument('--wav', nargs='*', help='compute the features of these 16-bit mono RIFF files instead')
    args = p.parse_args()
    if args.wav:
        os.makedirs(args.out, exist_ok=True)
        for path in args.wav:
            s = read_wav(path)
            base = os.path.join(args.out, os.path.splitext(os.path.basename(path))[0])
            write_matrix(base + '.mfcc.txt', mfcc(s), f'{path}: mfcc, frames x 13')
            write_matrix(base + '.fbank41.txt', fbank41(s), f'{path}: fbank(nfilt=40) + energy, frames x 41')
    else:
        make_fixtures(args.out)
        print('fixtures written to', args.out)


if __name__ == '__main__':
    main()
