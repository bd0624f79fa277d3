"""Drafts, scheduled posts and far-future dates, with "today" pinned by --today or SOURCE_DATE_EPOCH."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import POST_MD, FixtureSite

MakeSite = Callable[..., FixtureSite]
TODAY = "2026-01-20"


def post(week: int, date: str, *, draft: bool = False, body: str = "A quiet week.") -> str:
    return f"""\
        ---
        title: Week {week}
        week: {week}
        date: {date}
        summary: Week {week} summary.{chr(10) + "        draft: true" if draft else ""}
        picks:
          24gb:
            - category: General
              model: alpha
              quant: Q4_K_M
              why: Fast and small
        ---

        {body}
        """


def site_with_unpublished(make_site: MakeSite) -> FixtureSite:
    return make_site(
        {
            "content/posts/week-02.md": post(2, "2026-01-12", draft=True),
            "content/posts/week-03.md": post(3, "2026-02-02"),
        }
    )


def test_build_leaves_out_drafts_and_scheduled_posts_and_names_them(make_site: MakeSite) -> None:
    site = site_with_unpublished(make_site)
    result = site.run("build", "--today", TODAY)
    assert result.code == 0, result.err
    assert result.out.splitlines()[1] == (
        "Left out 1 draft (week-02) and 1 scheduled post (week-03, 2026-02-02); build with --drafts to include them"
    )
    assert "1 post," in result.out.splitlines()[0]
    posts = sorted(path.name for path in (site.root / "_site/posts").iterdir() if path.is_dir())
    assert posts == ["week-01"]
    home = (site.root / "_site/index.html").read_text()
    assert "Week 2" not in home and "Week 3" not in home


def test_check_names_them_too(make_site: MakeSite) -> None:
    result = site_with_unpublished(make_site).run("check", "--today", TODAY)
    assert result.out == (
        "Content is valid: 2 models, 1 post.\n"
        "Left out 1 draft (week-02) and 1 scheduled post (week-03, 2026-02-02); build with --drafts to include them\n"
    )


def test_drafts_option_builds_them_with_a_banner(make_site: MakeSite) -> None:
    site = site_with_unpublished(make_site)
    result = site.run("build", "--today", TODAY, "--drafts")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1] == (
        "Included 1 draft (week-02) and 1 scheduled post (week-03, 2026-02-02), each with a banner; "
        "a published build leaves them out"
    )
    draft = (site.root / "_site/posts/week-02/index.html").read_text()
    scheduled = (site.root / "_site/posts/week-03/index.html").read_text()
    published = (site.root / "_site/posts/week-01/index.html").read_text()
    assert '<p class="unpublished" role="note">Draft: not published</p>' in draft
    assert '<p class="unpublished" role="note">Scheduled for 2026-02-02</p>' in scheduled
    assert 'class="unpublished"' not in published
    # The home page shows the latest week's leaderboard, here the scheduled one, and says so.
    home = (site.root / "_site/index.html").read_text()
    assert '<p class="unpublished" role="note">Scheduled for 2026-02-02 (this page shows Week 3)</p>' in home


def test_a_post_dated_today_is_published(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-02.md": post(2, TODAY)})
    result = site.run("build", "--today", TODAY)
    assert result.out.count("\n") == 1, result.out
    page = (site.root / "_site/posts/week-02/index.html").read_text()
    assert 'class="unpublished"' not in page


def test_published_builds_never_show_the_banner(make_site: MakeSite) -> None:
    site = site_with_unpublished(make_site)
    assert site.run("build", "--today", TODAY).code == 0
    for page in (site.root / "_site").rglob("*.html"):
        assert 'class="unpublished"' not in page.read_text(), page


def test_a_far_future_date_is_refused_with_todays_date(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-02.md": post(2, "2027-01-12")})
    result = site.run("build", "--today", TODAY, "--drafts")
    assert result.code == 1
    assert result.err == (
        "content/posts/week-02.md:4:1: date 2027-01-12 is 357 days after today (2026-01-20); "
        "more than 60 days ahead (max_days_ahead in content/site.yaml) is likely a typo\n"
        "error: 1 problem found; nothing was written\n"
    )
    assert not (site.root / "_site").exists()


def test_the_limit_is_set_in_site_yaml(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-02.md": post(2, "2026-01-31")})
    site_yaml = site.root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "max_days_ahead: 10\n")
    result = site.run("check", "--today", TODAY)
    assert result.err.splitlines()[0] == (
        "content/posts/week-02.md:4:1: date 2026-01-31 is 11 days after today (2026-01-20); "
        "more than 10 days ahead (max_days_ahead in content/site.yaml) is likely a typo"
    )
    assert site.run("check", "--today", "2026-01-21").code == 0


def test_a_published_post_linking_to_a_left_out_post_is_an_error_at_the_link(make_site: MakeSite) -> None:
    linking = POST_MD.replace("Read about [Alpha](model:alpha).", "Next: [week 2](post:week-02).")
    site = make_site(
        {"content/posts/week-01.md": linking, "content/posts/week-02.md": post(2, "2026-01-12", draft=True)}
    )
    result = site.run("build", "--today", TODAY)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/posts/week-01.md:19:16: link 'post:week-02' points to a draft post, which this build leaves out; "
        "publish that post first or build with --drafts"
    )
    assert site.run("build", "--today", TODAY, "--drafts").code == 0


def test_source_date_epoch_sets_today_when_no_option_is_given(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/posts/week-02.md": post(2, "2026-01-12")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767916800")  # 2026-01-09T00:00:00Z
    assert site.run("check").out.splitlines()[1] == (
        "Left out 1 scheduled post (week-02, 2026-01-12); build with --drafts to include them"
    )
    assert site.run("check", "--today", "2026-01-12").out == "Content is valid: 2 models, 2 posts.\n"


def test_a_bad_today_is_refused(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        make_site().run("build", "--today", "2026-13-01")
    assert caught.value.code == 2
    assert "argument --today: '2026-13-01' is not a date (YYYY-MM-DD)" in capsys.readouterr().err
