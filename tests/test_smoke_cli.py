from conftest import MakeSite


def test_fixture_site_builds(make_site: MakeSite) -> None:
    site = make_site()
    result = site.run("build")
    assert result.code == 0, result.err
    html = (site.root / "_site/index.html").read_text()
    assert '<a href="/board/models/alpha/"><bdi>Alpha 7B</bdi></a>' in html
