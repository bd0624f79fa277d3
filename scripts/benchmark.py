"""Build the real site and a generated large one several times; print min/median/max seconds."""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from site_builder.build import Project, build

REPO = Path(__file__).resolve().parent.parent
# The generated site is made from the frozen Week 6 example, so it does not change with the real weeks.
EXAMPLE = REPO / "tests/fixtures/site/content"


def generated_site(root: Path, models: int, weeks: int) -> Project:
    """A site shaped like the frozen example one, with `models` records and `weeks` posts."""
    for part in ("templates", "static"):
        shutil.copytree(REPO / part, root / part)
    content = root / "content"
    (content / "models").mkdir(parents=True)
    (content / "posts").mkdir()
    shutil.copy(EXAMPLE / "site.yaml", content / "site.yaml")
    record = (EXAMPLE / "models/mimo-v2-flash.yaml").read_text(encoding="utf-8")
    for index in range(models):
        (content / "models" / f"model-{index:04d}.yaml").write_text(record, encoding="utf-8")
    post = (EXAMPLE / "posts/week-06.md").read_text(encoding="utf-8")
    for week in range(1, weeks + 1):
        text = post.replace("week: 6", f"week: {week}")
        for name in ("mimo-v2-flash", "glm-4.7-flash", "qwen3.5-35b-a3b", "qwen3.5-27b", "gemma-3-27b-qat"):
            text = text.replace(f"model: {name}", f"model: model-{week % models:04d}")
        for name in ("llama-4-scout", "glm-5", "llama-4-maverick"):
            text = text.replace(f"model: {name}", f"model: model-{(week + 1) % models:04d}")
        text = text.replace("quant: 4-bit", "quant: Q3_K_S").replace("quant: not stated", "quant: Q3_K_S")
        text = text.replace("quant: 8-bit", "quant: INT8").replace("quant: QAT", "quant: IQ3_XS")
        text = text.replace("](model:", "](https://example.org/")
        (content / "posts" / f"week-{week:03d}.md").write_text(text, encoding="utf-8")
    return Project.at(root)


def timed(project: Project, out: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        build(project, out)
        times.append(time.perf_counter() - started)
    return times


def report(name: str, times: list[float]) -> None:
    print(f"{name:<28} min {min(times):.3f} s   median {statistics.median(times):.3f} s   max {max(times):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--models", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        report("real content", timed(Project.at(REPO), work / "real-out", args.runs))
        big = generated_site(work / "big", args.models, args.weeks)
        report(f"{args.models} models, {args.weeks} weeks", timed(big, work / "big-out", args.runs))


if __name__ == "__main__":
    main()
