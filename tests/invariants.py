"""What a built site must show for ANY valid content: the checks run on the real content/.

The expectations come from the content's meaning, read here straight from the YAML (not through
site_builder's merge), so a mistake in the merge cannot hide itself. Nothing here names a week,
a model or a count: the editor adds a week every week and these must still hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from html_reader import Page, Table, html_files, is_off_site, parse_html, squash, target_file
from ruamel.yaml import YAML

LEADERBOARD_COLUMNS = ("Best for", "Model", "Quantization", "VRAM used", "Speed")
NO_FIGURE = "—"
MARKERS = {"vendor-reported": "vendor", "community-tested": "community", "measured": "measured"}
"""The word a leaderboard shows beside a figure whose record row names its origin."""
REPORTED, PUBLISHED = "reported", "published"
"""Beside a figure whose record names no origin (or that the week's post gives); beside a frozen figure
that today's record no longer gives."""


def marker(row: dict[str, Any] | None) -> str:
    """The marker of a figure taken from a record row (a quantization, benchmark or memory need)."""
    return MARKERS.get(str((row or {}).get("origin")), REPORTED)


@dataclass(frozen=True)
class Figure:
    """A leaderboard figure as a cell must show it: the figure, then one of the markers it may carry."""

    text: str
    markers: frozenset[str]

    def matches(self, shown: str) -> bool:
        if self.text == NO_FIGURE:
            return shown == NO_FIGURE
        return any(shown == f"{self.text} {word}" for word in self.markers)

    def starts(self, shown: str) -> bool:
        """The cell starts with the marked figure (the fit finder may add a flag or a note after it)."""
        return self.matches(shown) or any(shown.startswith(f"{self.text} {word} ") for word in self.markers)


def figure(text: str | None, *markers: str) -> Figure:
    return Figure(text or NO_FIGURE, frozenset(markers))


@dataclass(frozen=True)
class Post:
    slug: str
    """The file name without `.md`: the post's id in URLs."""
    front: dict[str, Any]
    body: str


@dataclass(frozen=True)
class ContentFacts:
    """A content folder as plain YAML data."""

    site: dict[str, Any]
    models: dict[str, dict[str, Any]]
    posts: dict[str, Post]
    locks: dict[str, dict[str, Any]]
    """Frozen weeks (content/frozen/<post>.yaml): a published week shows these figures, not the records'."""

    @property
    def tiers(self) -> list[dict[str, Any]]:
        return sorted(self.site["tiers"], key=lambda tier: (tier["order"], tier["id"]))

    @property
    def latest(self) -> Post:
        return max(self.posts.values(), key=lambda post: post.front["week"])

    def prefix(self, base_url: str | None = None) -> str:
        """The URL path every internal link starts with."""
        path = urlsplit(base_url or self.site["base_url"]).path
        return path if path.endswith("/") else path + "/"


def read_content(content: Path) -> ContentFacts:
    yaml = YAML(typ="safe")
    site = yaml.load((content / "site.yaml").read_text(encoding="utf-8"))
    models = {path.stem: yaml.load(path.read_text(encoding="utf-8")) for path in (content / "models").glob("*.yaml")}
    posts = {}
    for path in (content / "posts").glob("*.md"):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        posts[path.stem] = Post(path.stem, yaml.load(front), body)
    locks = {path.stem: yaml.load(path.read_text(encoding="utf-8")) for path in (content / "frozen").glob("*.yaml")}
    return ContentFacts(site, models, posts, locks)


def expected_quantization(record: dict[str, Any], quant: str, tier_id: str) -> dict[str, Any] | None:
    """The record's row a pick means: the row of that format tagged with the pick's tier, or, when no
    row is tagged with it, the only untagged row of that format."""
    rows = [row for row in record.get("quantizations", []) if row["format"] == quant]
    tagged = [row for row in rows if row.get("tier") == tier_id]
    untagged = [row for row in rows if row.get("tier") is None]
    candidates = tagged or untagged
    return candidates[0] if len(candidates) == 1 else None


def shown_quantization(quant: str | None, note: str | None) -> str:
    """The quantization cell: the label, then where it comes from in brackets when the post says."""
    shown = quant or NO_FIGURE
    return f"{shown} ({squash(note)})" if note else shown


def expected_frozen_cells(row: dict[str, Any]) -> dict[str, str | Figure]:
    """The leaderboard cells of a frozen week's row: exactly what its lock file holds. A figure from a record
    is marked as the record marks it, or as published when the record has changed since."""
    from_record = (*MARKERS.values(), REPORTED, PUBLISHED)
    return {
        "Best for": squash(row["category"]),
        "Model": squash(row["name"]),
        "Quantization": shown_quantization(row.get("quant"), row.get("quant_note")),
        "VRAM used": figure(row.get("vram"), *from_record),
        "Speed": figure(row.get("speed"), *((REPORTED,) if row.get("speed_from") == "post" else from_record)),
    }


def expected_pick_cells(facts: ContentFacts, pick: dict[str, Any], tier_id: str) -> dict[str, str | Figure]:
    """The leaderboard cells a pick of a week without a lock must show, by column heading: a speed the
    post gives is marked "reported"; a record's figure carries the record row's marker."""
    record = facts.models[pick["model"]]
    row = expected_quantization(record, pick["quant"], tier_id) if "quant" in pick else None
    speed = figure(pick["speed"], REPORTED) if pick.get("speed") else figure((row or {}).get("speed"), marker(row))
    return {
        "Best for": squash(pick["category"]),
        "Model": squash(record["name"]),
        "Quantization": shown_quantization(pick.get("quant"), pick.get("quant_note")),
        "VRAM used": figure((row or {}).get("vram"), marker(row)),
        "Speed": speed,
    }


# --- the invariants ------------------------------------------------------------------------------


def pages(out: Path) -> dict[Path, Page]:
    return {path: parse_html(path.read_text(encoding="utf-8")) for path in html_files(out)}


def tier_table(page: Page, tier: dict[str, Any], post: Post) -> Table:
    captions = [t for t in page.tables if t.caption.startswith(f"{tier['label']}:")]
    assert len(captions) == 1, f"one table for {tier['label']!r} expected; captions: {[t.caption for t in page.tables]}"
    table = captions[0]
    assert f"Week {post.front['week']}" in table.caption, f"{table.caption!r} is not Week {post.front['week']}"
    return table


def assert_picks_in_tier_tables(page: Page, facts: ContentFacts, post: Post, tier_ids: list[str] | None = None) -> None:
    """Every pick of `post` is a row of its tier's table on `page`, in order, with the record's figures."""
    prefix = facts.prefix()
    for tier in facts.tiers:
        picks = (post.front.get("picks") or {}).get(tier["id"]) or []
        if not picks or (tier_ids is not None and tier["id"] not in tier_ids):
            continue
        table = tier_table(page, tier, post)
        heading = table.head[-1]
        columns = {name: heading.index(name) for name in LEADERBOARD_COLUMNS}
        frozen = (facts.locks.get(post.slug) or {}).get("tiers", {}).get(tier["id"])
        expectations = (
            [expected_frozen_cells(row) for row in frozen]
            if frozen is not None
            else [expected_pick_cells(facts, pick, tier["id"]) for pick in picks]
        )
        assert len(table.rows) == len(picks), f"{table.caption}: {len(table.rows)} rows for {len(picks)} picks"
        for pick, row, links, expected in zip(picks, table.rows, table.row_links, expectations, strict=True):
            shown = {name: row[index] for name, index in columns.items()}
            where = f"{table.caption}: pick {pick['model']}"
            assert shown.pop("Model").startswith(str(expected.pop("Model"))), (where, row)
            vram, vram_expected = shown.pop("VRAM used"), expected.pop("VRAM used")
            speed, speed_expected = shown.pop("Speed"), expected.pop("Speed")
            assert shown == expected, f"{where} shows {shown}, means {expected}"
            assert isinstance(speed_expected, Figure) and speed_expected.matches(speed), (
                f"{where} shows speed {speed!r}, means {speed_expected}"
            )
            assert isinstance(vram_expected, Figure)
            assert_vram_cell(vram, vram_expected, where)
            assert f"{prefix}models/{pick['model']}/" in links, f"{table.caption}: {pick['model']} is not linked"


def assert_vram_cell(shown: str, expected: Figure, where: str) -> None:
    """The reported figure and its marker come first; the fit finder may add a flag, a "fits" note, or an
    estimate marked "est."."""
    if expected.starts(shown) or (expected.text == NO_FIGURE and shown.startswith(NO_FIGURE + " ")):
        return
    assert expected.text == NO_FIGURE and shown.startswith("est. ≈ "), f"{where} shows VRAM {shown!r}, means {expected}"


def assert_wait_list(page: Page, facts: ContentFacts, post: Post) -> None:
    """The post's wait list, in order, by model name."""
    waiting = post.front.get("wait_list") or []
    if not waiting:
        return
    label = facts.site["wait_list"]["label"]
    tables = [t for t in page.tables if t.caption.startswith(f"{label}:")]
    assert len(tables) == 1, [t.caption for t in page.tables]
    names = [row[0] for row in tables[0].rows]
    assert len(names) == len(waiting)
    for pick, name in zip(waiting, names, strict=True):
        assert name.startswith(squash(facts.models[pick["model"]]["name"])), (name, pick["model"])


def expected_move(previous_models: list[str], model: str, index: int) -> str:
    """The words a screen reader hears for a row: where the model stood last week in the same table."""
    if model not in previous_models:
        return "new this week"
    before = previous_models.index(model)
    places = abs(before - index)
    unit = "place" if places == 1 else "places"
    if before == index:
        return "same place as last week"
    return f"moved {'up' if before > index else 'down'} {places} {unit}"


def assert_changes_marked(page: Page, facts: ContentFacts, post: Post, previous: Post) -> None:
    """Each row of `post`'s tier tables says how it moved since `previous`; each table names what was dropped."""
    dropped_lines = [p.text for p in page.find("p") if p.text.startswith("Dropped since last week:")]
    for tier in facts.tiers:
        now = [pick["model"] for pick in (post.front.get("picks") or {}).get(tier["id"]) or []]
        if not now:
            continue
        before = [pick["model"] for pick in (previous.front.get("picks") or {}).get(tier["id"]) or []]
        table = tier_table(page, tier, post)
        column = table.head[-1].index("Since last week")
        for index, (model, row) in enumerate(zip(now, table.rows, strict=True)):
            assert expected_move(before, model, index) in row[column], (table.caption, model, row[column])
        for gone in set(before) - set(now):
            name = squash(facts.models[gone]["name"])
            assert any(name in line for line in dropped_lines), f"{gone} is not named as dropped: {dropped_lines}"


def assert_latest_week_on_home_page(out: Path, facts: ContentFacts) -> None:
    """The home page shows the latest week by number: its tables, its wait list, a link to its post."""
    home = parse_html((out / "index.html").read_text(encoding="utf-8"))
    latest = facts.latest
    assert_picks_in_tier_tables(home, facts, latest)
    assert_wait_list(home, facts, latest)
    links = [a.attrs.get("href") for a in home.find("a")]
    assert f"{facts.prefix()}posts/{latest.slug}/" in links, "the home page does not link the latest post"


def assert_every_week_is_published(out: Path, facts: ContentFacts) -> None:
    """Each post has its page, showing its own picks; the tier pages show the latest week's."""
    prefix = facts.prefix()
    archive = parse_html((out / "posts/index.html").read_text(encoding="utf-8"))
    archive_links = [a.attrs.get("href") for a in archive.find("a")]
    for post in facts.posts.values():
        page = parse_html((out / "posts" / post.slug / "index.html").read_text(encoding="utf-8"))
        assert [h1.text for h1 in page.find("h1")] == [squash(post.front["title"])], post.slug
        assert f"{prefix}posts/{post.slug}/" in archive_links, f"the archive does not list {post.slug}"
        if post is facts.latest:
            assert_picks_in_tier_tables(page, facts, post)
            assert_wait_list(page, facts, post)
    for tier in facts.tiers:
        page = parse_html((out / "tiers" / tier["id"] / "index.html").read_text(encoding="utf-8"))
        assert_picks_in_tier_tables(page, facts, facts.latest, [tier["id"]])


def assert_every_model_has_a_page(out: Path, facts: ContentFacts) -> None:
    prefix = facts.prefix()
    index = parse_html((out / "models/index.html").read_text(encoding="utf-8"))
    index_links = [a.attrs.get("href") for a in index.find("a")]
    for model_id, record in facts.models.items():
        page_file = out / "models" / model_id / "index.html"
        assert page_file.is_file(), f"no page for model {model_id}"
        page = parse_html(page_file.read_text(encoding="utf-8"))
        assert [h1.text for h1 in page.find("h1")] == [squash(record["name"])], model_id
        assert f"{prefix}models/{model_id}/" in index_links, f"the model index does not list {model_id}"


def assert_links_resolve(out: Path, prefix: str) -> set[Path]:
    """Every internal href/src resolves to a built file (and #fragment to an id); returns the pages
    reached by following links from the home page."""
    built = pages(out)
    for path, page in built.items():
        for element, attribute, url in page.urls():
            if is_off_site(url):
                continue
            if url.startswith("#"):
                target, fragment = path, url[1:]
            else:
                assert url.startswith(prefix), f"{path}: <{element.tag} {attribute}={url!r}> is not under {prefix}"
                target, fragment = target_file(out, url, prefix)
            assert target.is_file(), f"{path}: {url!r} -> missing {target}"
            if fragment:
                assert fragment in built[target].ids, f"{path}: {url!r} -> no id {fragment!r} in {target}"
    reached: set[Path] = set()
    queue = [out / "index.html"]
    while queue:
        path = queue.pop()
        if path in reached:
            continue
        reached.add(path)
        for _, _, url in built[path].urls():
            if url.startswith(prefix) and not is_off_site(url):
                target, _ = target_file(out, url, prefix)
                if target.suffix == ".html":
                    queue.append(target)
    return reached


def assert_site_shows_its_content(out: Path, content: Path) -> None:
    """All the invariants, for a site built from `content` into `out` with the content's base URL."""
    facts = read_content(content)
    assert_latest_week_on_home_page(out, facts)
    assert_every_week_is_published(out, facts)
    assert_every_model_has_a_page(out, facts)
    reached = assert_links_resolve(out, facts.prefix())
    unreachable = set(html_files(out)) - reached - {out / "404.html"}
    assert not unreachable, f"pages no link leads to: {sorted(map(str, unreachable))}"
