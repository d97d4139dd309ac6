"""Scoring speed with a generated bank of 10,000 questions: fit time, per-answer p50/p99, peak memory.

Run: .venv/bin/python bench/bench_scoring.py [--questions 10000] [--answers 3000]

Peak memory is the process's peak resident set size (resource.getrusage ru_maxrss), reported
whole and above the baseline measured after imports, before the bank is generated.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviews.scoring import Engine, KeyPointSpec, QuestionSpec  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def make_vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 11))) for _ in range(size)]


FUNCTION = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "by",
    "on",
    "this",
    "are",
    "be",
    "which",
]


def sentence(rng: random.Random, vocab: list[str], n: int) -> str:
    out = []
    for _ in range(n):
        # Zipf-like word choice so a few words are common and most are rare, as in real text.
        out.append(
            rng.choice(FUNCTION)
            if rng.random() < 0.4
            else vocab[int(rng.paretovariate(1.1)) % len(vocab)]
            if rng.random() < 0.5
            else rng.choice(vocab)
        )  # noqa: E501
    return " ".join(out).capitalize() + "."


def make_bank(n: int, rng: random.Random, vocab: list[str]) -> list[QuestionSpec]:
    bank = []
    for i in range(n):
        refs = tuple(
            " ".join(sentence(rng, vocab, rng.randint(12, 25)) for _ in range(rng.randint(4, 8)))
            for _ in range(rng.choice((1, 1, 2)))
        )
        kps = tuple(
            KeyPointSpec(
                sentence(rng, vocab, 8),
                tuple(" ".join(rng.sample(vocab, rng.randint(1, 3))) for _ in range(4)),
            )
            for _ in range(rng.randint(3, 7))
        )
        bank.append(QuestionSpec(f"q{i}", sentence(rng, vocab, rng.randint(10, 30)), refs, kps))
    return bank


def make_answer(rng: random.Random, q: QuestionSpec, vocab: list[str]) -> str:
    kind = rng.random()
    if kind < 0.3:  # a paraphrase: reference words shuffled within sentences, some typos
        ws = q.references[0].split()
        rng.shuffle(ws)
        return " ".join(w[:-1] if rng.random() < 0.05 else w for w in ws[: rng.randint(20, 150)])
    if kind < 0.6:  # partly right
        ws = q.references[0].split()
        return " ".join(ws[: len(ws) // 3]) + " " + sentence(rng, vocab, rng.randint(10, 60))
    return " ".join(sentence(rng, vocab, rng.randint(8, 25)) for _ in range(rng.randint(1, 8)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=3_000)
    args = parser.parse_args()

    rng = random.Random(0)
    baseline = peak_rss_mb()
    vocab = make_vocabulary(rng)
    bank = make_bank(args.questions, rng, vocab)
    words = sum(len(r.split()) for q in bank for r in (q.prompt, *q.references))
    print(f"bank: {len(bank)} questions, {words:,} words of prompts and references")

    t0 = time.perf_counter()
    engine = Engine.fit(bank)
    fit_s = time.perf_counter() - t0
    print(f"fit: {fit_s:.2f} s")

    pairs = [(make_answer(rng, q, vocab), q) for q in rng.choices(bank, k=args.answers)]
    latencies = []
    for answer, q in pairs:  # each question mostly seen for the first time: includes preparing it
        t = time.perf_counter()
        engine.score(answer, q)
        latencies.append(time.perf_counter() - t)
    latencies.sort()
    ms = [v * 1000 for v in latencies]

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p / 100 * len(ms)))]

    print(
        f"score: {len(ms)} answers, p50 {pct(50):.3f} ms, p99 {pct(99):.3f} ms, "
        f"max {ms[-1]:.3f} ms (cold questions, {sum(len(a.split()) for a, _ in pairs) // len(pairs)}"
        " words per answer on average)"
    )
    warm = []
    for answer, q in pairs[:1000]:
        t = time.perf_counter()
        engine.score(answer, q)
        warm.append((time.perf_counter() - t) * 1000)
    warm.sort()
    print(f"score, warm cache: p50 {warm[len(warm) // 2]:.3f} ms, p99 {warm[int(0.99 * len(warm))]:.3f} ms")
    peak = peak_rss_mb()
    print(
        f"peak memory (ru_maxrss, whole process incl. interpreter, numpy, sklearn, the bank's "
        f"QuestionSpecs): {peak:.0f} MB; above the post-import baseline of {baseline:.0f} MB: "
        f"{peak - baseline:.0f} MB"
    )


if __name__ == "__main__":
    main()
