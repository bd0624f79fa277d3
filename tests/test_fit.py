"""The fit estimate against hand-computed cases, its check warnings, and hardware.yaml's errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, MakeSite

from site_builder.build import check
from site_builder.content import Content
from site_builder.figures import parse_count
from site_builder.fit import (
    KvShape,
    Setup,
    Weights,
    entries,
    estimate_weights,
    kv_cache_gb,
    kv_shape,
    need_gb,
    usable_ram_gb,
    usable_vram_gb,
    verdict,
)
from site_builder.project import Project
from site_builder.schema import Attention, Estimation, HardwareFile, ModelRecord
from site_builder.yaml_source import read_yaml

HARDWARE_YAML = """\
    devices:
      - id: card-24
        name: Card 24GB
        kind: gpu
        memory_gb: 24
        aliases: [RTX 3090 (24GB)]
      - id: mac-64
        name: Mac 64GB
        kind: apple
        memory_gb: 64
    estimation:
      formats:
        - names: [Q3_K_S]
          bits_per_weight: 3.5
          source: src
        - names: [INT8, 8-bit]
          bits_per_weight: 8.5
          source: src
      kv_cache_types:
        - name: f16
          bytes_per_value: 2
          source: src
      compute_buffer_gb: 1.0
      per_gpu_reserve_gb: 0.5
      multi_gpu_share: 0.9
      ram_reserve_gb: 4
      apple_gpu_share: 0.75
      apple_gpu_share_source: src
      flag_factor: 2
    """

SPARSE_YAML = """\
    name: Sparse 309B
    vendor: Sparse Co
    architecture: moe
    total_params: 309B
    active_params: 15B
    quantizations:
      - format: Q3_K_S
        hardware: RTX 3090 (24GB)
        vram: "~22 GB"
        origin: community-tested
        source: src
      - format: INT8
        hardware: RTX 3090 (24GB)
        origin: community-tested
        source: src
    """

DENSE_YAML = """\
    name: Dense 27B
    vendor: Dense Co
    architecture: dense
    total_params: 27B
    quantizations:
      - format: 8-bit
        hardware: RTX 3090 (24GB)
        origin: community-tested
        source: src
      - format: 4-bit
        hardware: RTX 3090 (24GB)
        vram: 14.1 GB
        origin: community-tested
        source: src
    attention:
      layers: 4
      kv_heads: 1
      head_dim: 2
      sliding_window: 128
      sliding_layers: 3
      source: src
    """


def estimation(**changes: object) -> Estimation:
    data = read_yaml(HARDWARE_YAML.replace("\n    ", "\n").strip()).data
    assert isinstance(data, dict)
    return HardwareFile.model_validate({**data, "estimation": {**data["estimation"], **changes}}).estimation


def fit_content(make_site: MakeSite) -> Content:
    site = make_site(
        {
            "content/hardware.yaml": HARDWARE_YAML,
            "content/models/sparse.yaml": SPARSE_YAML,
            "content/models/dense.yaml": DENSE_YAML,
        }
    )
    return check(Project.at(site.root))


# --- KV cache ---------------------------------------------------------------------------


def test_full_attention_kv_cache_by_hand() -> None:
    shape = kv_shape(Attention(layers=32, kv_heads=8, head_dim=128, source="src"))
    # 2 (K and V) x 8 heads x 128 x 32 layers = 65,536 values per token; x 8192 tokens x 2 bytes.
    assert shape == KvShape(65_536, 0, 0)
    assert kv_cache_gb(shape, 8192, 2.0) == 1.073741824


def test_sliding_window_layers_count_only_their_window() -> None:
    shape = kv_shape(Attention(layers=4, kv_heads=1, head_dim=2, sliding_window=128, sliding_layers=3, source="src"))
    assert shape == KvShape(4, 12, 128)
    # 1 full layer x 4 values x 1000 tokens + 3 windowed layers x 4 values x 128 tokens = 5536 values of 1 byte.
    assert kv_cache_gb(shape, 1000, 1.0) == 5536 / 1e9
    # Below the window every layer sees the whole context.
    assert kv_cache_gb(shape, 100, 1.0) == 1600 / 1e9


def test_latent_attention_counts_its_latent_size() -> None:
    shape = kv_shape(Attention(layers=2, latent_dim=576, kv_heads=128, head_dim=128, source="src"))
    assert shape == KvShape(1152, 0, 0)
    assert kv_cache_gb(shape, 10, 2.0) == 23_040 / 1e9


def test_without_heads_there_is_no_kv_estimate() -> None:
    assert kv_shape(Attention(layers=32, source="src")) is None


# --- Weights ----------------------------------------------------------------------------


def record(total: str | None) -> ModelRecord:
    return ModelRecord.model_validate(
        {"name": "M", "vendor": "V", "total_params": parse_count(total) if total else None}
    )


def test_weights_are_parameters_times_bits_over_eight() -> None:
    weights = estimate_weights(record("309B"), "Q3_K_S", None, estimation())
    assert weights == Weights(135.1875, "309B × 3.5 bits / 8", 3.5)


def test_a_real_file_size_wins_over_bits_per_weight() -> None:
    assert estimate_weights(record("309B"), "Q3_K_S", 120.0, estimation()) == Weights(120.0, "file size of the format")


def test_formats_without_a_cited_figure_are_not_estimated() -> None:
    assert estimate_weights(record("27B"), "QAT", None, estimation()) == (
        "format 'QAT' is not specific enough to estimate"
    )
    assert estimate_weights(record(None), "Q3_K_S", None, estimation()) == "the record gives no parameter count"


LLAMA_CPP_QUANTIZE_README = "https://github.com/ggml-org/llama.cpp/blob/master/tools/quantize/README.md"
PUBLISHED_Q4_K_M_SIZES_GB = {
    # llama.cpp's quantize README, "Memory/Disk Requirements" (Llama 3.1, Q4_K_M): LLAMA_CPP_QUANTIZE_README
    "8B": 4.9,
    "70B": 43.1,
    "405B": 249.1,
}


@pytest.mark.parametrize(("params", "published_gb"), PUBLISHED_Q4_K_M_SIZES_GB.items())
def test_estimate_is_within_ten_percent_of_published_gguf_sizes(params: str, published_gb: float) -> None:
    data = read_yaml((REPO / "content/hardware.yaml").read_text(encoding="utf-8")).data
    real = HardwareFile.model_validate(data).estimation
    weights = estimate_weights(record(params), "Q4_K_M", None, real)
    assert isinstance(weights, Weights)
    assert abs(weights.gb - published_gb) / published_gb <= 0.10


# --- Setups and verdicts ----------------------------------------------------------------


def test_usable_vram_pools_a_share_of_several_cards_minus_a_reserve_each() -> None:
    constants = estimation()
    assert usable_vram_gb(Setup(vram_gb=24), constants) == 23.5
    assert usable_vram_gb(Setup(vram_gb=24, gpus=2), constants) == pytest.approx(2 * 24 * 0.9 - 2 * 0.5)
    assert usable_ram_gb(Setup(vram_gb=24, ram_gb=32), constants) == 28


def test_verdicts_by_hand(make_site: MakeSite) -> None:
    content = fit_content(make_site)
    constants = estimation()
    found = {(entry.model.id, entry.format): entry for entry in entries(content.models.values(), constants)}
    dense_4bit = found[("dense", "4-bit")]  # reported 14.1 GB, no estimate
    assert verdict(dense_4bit, Setup(vram_gb=24), constants) == "fits"
    assert verdict(dense_4bit, Setup(vram_gb=12, ram_gb=32), constants) == "offload"
    assert verdict(dense_4bit, Setup(vram_gb=12, ram_gb=4), constants) == "no"

    dense_8bit = found[("dense", "8-bit")]  # 27B x 8.5 / 8 = 28.6875 GB + KV + 1 GB buffer
    need = need_gb(dense_8bit, Setup(vram_gb=24, context=1000, kv_bytes_per_value=1.0), constants)
    assert need is not None and need.estimated and need.kv_included
    assert need.gb == pytest.approx(28.6875 + 5536 / 1e9 + 1.0)
    assert verdict(dense_8bit, Setup(vram_gb=24, ram_gb=32), constants) == "offload"
    assert verdict(dense_8bit, Setup(vram_gb=32), constants) == "fits"

    # The flagged ~22 GB is not believed: 135.1875 + 1 GB decides, so 24 GB VRAM with 32 GB RAM is not enough.
    sparse_q3 = found[("sparse", "Q3_K_S")]
    assert sparse_q3.flag is not None
    assert verdict(sparse_q3, Setup(vram_gb=24, ram_gb=32), constants) == "no"
    assert verdict(sparse_q3, Setup(vram_gb=24, ram_gb=128), constants) == "offload"


# --- Check warnings and content errors --------------------------------------------------


def test_check_warns_at_an_implausible_figure(make_site: MakeSite) -> None:
    site = make_site({"content/hardware.yaml": HARDWARE_YAML, "content/models/sparse.yaml": SPARSE_YAML})
    result = site.run("check")
    assert result.code == 0
    assert result.err.splitlines() == [
        "content/models/sparse.yaml:9:5: warning: reported ~22 GB at Q3_K_S, but the weights alone are "
        "≈ 135 GB (309B × 3.5 bits / 8); likely experts held in system RAM"
    ]


def test_unknown_key_in_hardware_yaml_is_an_error_at_its_position(make_site: MakeSite) -> None:
    broken = HARDWARE_YAML.replace("        memory_gb: 24\n", "        memory_gb: 24\n        vram: 24\n", 1)
    site = make_site({"content/hardware.yaml": broken})
    result = site.run("check")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/hardware.yaml:6:5: unknown key 'vram'; allowed keys: id, name, kind, memory_gb, gpus, aliases"
    )


def test_unknown_source_in_hardware_yaml_is_an_error(make_site: MakeSite) -> None:
    broken = HARDWARE_YAML.replace("      apple_gpu_share_source: src", "      apple_gpu_share_source: apple-docs")
    site = make_site({"content/hardware.yaml": broken})
    result = site.run("check")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/hardware.yaml:28:3: unknown source 'apple-docs': not among the sources in content/site.yaml"
    )


def test_inconsistent_attention_figures_are_errors_at_their_position(make_site: MakeSite) -> None:
    broken = DENSE_YAML.replace("      sliding_window: 128\n", "").replace("sliding_layers: 3", "sliding_layers: 9")
    site = make_site({"content/hardware.yaml": HARDWARE_YAML, "content/models/dense.yaml": broken})
    result = site.run("check")
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        "content/models/dense.yaml:19:3: sliding_layers (9) is more than layers (4)",
        "content/models/dense.yaml:19:3: sliding_layers needs sliding_window, the window's size in tokens",
    ]


def test_site_without_hardware_yaml_has_no_fit_finder(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    out = tmp_path / "out"
    assert site.run("build", "--out", str(out)).code == 0
    assert not (out / "fit").exists()
    assert "Fit finder" not in (out / "index.html").read_text(encoding="utf-8")


# --- Rendered annotations ---------------------------------------------------------------

POST_WITH_ESTIMATE = """\
    ---
    title: Week 1 in review
    week: 1
    date: 2026-01-05
    summary: Dense leads.
    picks:
      24gb:
        - category: Quality
          model: dense
          quant: 8-bit
          why: Dense weights
        - category: Reasoning
          model: sparse
          quant: Q3_K_S
          why: Sparse weights
    ---

    Body.
    """


def test_rows_without_reported_vram_show_the_estimate_and_flags_link_to_their_reason(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(
        {
            "content/hardware.yaml": HARDWARE_YAML,
            "content/models/sparse.yaml": SPARSE_YAML,
            "content/models/dense.yaml": DENSE_YAML,
            "content/posts/week-01.md": POST_WITH_ESTIMATE,
        }
    )
    out = tmp_path / "out"
    assert site.run("build", "--out", str(out)).code == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    # 28.6875 + 1 GB buffer (+ KV at 8192 tokens), marked as an estimate that links to the method.
    estimate = (
        '<a class="origin origin-estimated" href="/board/fit/#method" title="{words}" aria-label="{words}">est.</a>'
        ' <span class="figure">≈ 29.7 GB</span>'
    ).format(words="est. (estimated by the fit finder; no source reports it)")
    assert estimate in home
    assert 'href="/board/fit/#fit-sparse-quantizations-0"' in home
    fit_page = (out / "fit/index.html").read_text(encoding="utf-8")
    assert 'id="fit-sparse-quantizations-0"' in fit_page
    data = json.loads((out / "fit/data.json").read_text(encoding="utf-8"))
    sparse = next(entry for entry in data["entries"] if entry["model"] == "Sparse 309B" and entry["format"] == "Q3_K_S")
    assert sparse["weights_gb"] == 135.1875
    assert sparse["offloaded"] == "MoE experts held in system RAM"
    hardware_page = (out / "hardware/card-24/index.html").read_text(encoding="utf-8")
    assert 'href="/board/fit/?vram=24&amp;gpus=1"' in hardware_page
    assert "Sparse 309B" in hardware_page
    model_page = (out / "models/sparse/index.html").read_text(encoding="utf-8")
    assert '<a class="fit-flag" href="/board/fit/#fit-sparse-quantizations-0"' in model_page
    # A week's own post page is its permanent record: no notes that follow today's records.
    post_page = (out / "posts/week-01/index.html").read_text(encoding="utf-8")
    assert "origin-estimated" not in post_page


def test_hardware_page_flags_an_implausible_reported_figure_and_names_each_rows_hardware(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(
        {
            "content/hardware.yaml": HARDWARE_YAML,
            "content/models/sparse.yaml": SPARSE_YAML,
            "content/models/dense.yaml": DENSE_YAML,
        }
    )
    out = tmp_path / "out"
    assert site.run("build", "--out", str(out)).code == 0
    page = (out / "hardware/card-24/index.html").read_text(encoding="utf-8")
    reported = page[page.index('id="reported"') : page.index('id="status"')]
    flag = (
        '<td class="num" data-label="VRAM used">~22 GB'
        ' <a class="fit-flag" href="/board/fit/#fit-sparse-quantizations-0"'
        ' title="reported ~22 GB at Q3_K_S, but the weights alone are ≈ 135 GB (309B × 3.5 bits / 8);'
        ' likely experts held in system RAM">⚠ implausible</a></td>'
    )
    assert flag in reported
    # The 4-bit row of the same record is plausible: its figure stands alone.
    assert '<td class="num" data-label="VRAM used">14.1 GB</td>' in reported
    verdicts = page[page.index('id="verdicts"') :]
    assert '<td data-label="Format">Q3_K_S<br><small class="fit-where">on RTX 3090 (24GB)</small></td>' in verdicts


def test_speed_against_vram_charts_flag_an_implausible_figure_in_the_svg_and_the_data_table(
    make_site: MakeSite, tmp_path: Path
) -> None:
    with_speed = SPARSE_YAML.replace('vram: "~22 GB"\n', 'vram: "~22 GB"\n        speed: 5-8 t/s\n')
    site = make_site(
        {
            "content/hardware.yaml": HARDWARE_YAML,
            "content/models/sparse.yaml": with_speed,
            "content/models/dense.yaml": DENSE_YAML,
            "content/posts/week-01.md": POST_WITH_ESTIMATE,
        }
    )
    out = tmp_path / "out"
    assert site.run("build", "--out", str(out)).code == 0
    flag = (
        '~22 GB <a class="fit-flag" href="/board/fit/#fit-sparse-quantizations-0"'
        ' title="reported ~22 GB at Q3_K_S, but the weights alone are ≈ 135 GB (309B × 3.5 bits / 8);'
        ' likely experts held in system RAM">⚠ implausible</a></td>'
    )
    note = "1 VRAM figure is implausible (drawn hollow and marked ⚠); the fit finder explains why.</desc>"
    for page in ("tiers/24gb/index.html", "models/sparse/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        figure = html[html.index('<figure class="chart"') : html.rindex("</figure>")]
        assert '<td data-label="VRAM used">' + flag in figure, page
        assert note in figure, page
        assert 'class="dot flagged"' in figure and "⚠ implausible: see the fit finder</text>" in figure, page


@pytest.mark.parametrize(("models", "every_record_said"), [(["sparse"], True), (["sparse", "dense"], False)])
def test_the_method_says_every_record_lacks_kv_figures_only_while_it_is_true(
    make_site: MakeSite, tmp_path: Path, models: list[str], every_record_said: bool
) -> None:
    """`dense` has an `attention` block; `sparse` has none."""
    records = {"sparse": SPARSE_YAML, "dense": DENSE_YAML}
    site = make_site(
        {"content/hardware.yaml": HARDWARE_YAML} | {f"content/models/{name}.yaml": records[name] for name in models}
    )
    out = tmp_path / "out"
    assert site.run("build", "--out", str(out)).code == 0
    method = (out / "fit/index.html").read_text(encoding="utf-8")
    assert "<em>KV cache not included</em>" in method
    assert ("which today is every record" in method) is every_record_said
