"""The MLP playground page in AppTest: its controls in English and Chinese, the
result box beside the controls, the network / replay / evaluation tabs."""

import pytest
from conftest import exceptions, plotly_specs

pytestmark = pytest.mark.slow


def _figure(at, key: str) -> dict:
    import json

    for chart in at.get("plotly_chart"):
        if chart.key == key:
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no chart {key}")


def _block_keys(node) -> list[str]:
    """Keys of every widget and chart under ``node``, in page order."""
    keys = []
    for child in getattr(node, "children", {}).values():
        key = getattr(child, "key", None)
        if key and not hasattr(child, "children"):
            keys.append(key)
        keys += _block_keys(child)
    return keys


def _find_block(node, key: str):
    for child in getattr(node, "children", {}).values():
        if getattr(child, "key", None) == key:
            return child
        found = _find_block(child, key)
        if found is not None:
            return found
    return None


def test_english_controls_move_the_boundary_and_the_tabs_show_the_network(app_test):
    at = app_test("playground", lang="en")
    assert not exceptions(at), exceptions(at)
    first = [m.value for m in at.markdown if "accuracy" in m.value]
    assert first and "%" in first[0]
    assert any("ms per epoch" in c.value for c in at.caption)
    # network tab (the first): one heatmap per neuron, 2 + 8 + 8 + 1
    net = _figure(at, "pgfig_network")
    assert sum(tr["type"] == "heatmap" for tr in net["data"]) == 19
    at.selectbox(key="pg_dataset").set_value("xor").run()
    at.slider(key="pg_num_layers").set_value(1).run()
    at.number_input(key="pg_w1").set_value(3).run()
    at.button_group(key="pg_features").set_value(["x1", "x2", "x1x2"]).run()
    at.slider(key="pg_epochs").set_value(20).run()
    assert not exceptions(at), exceptions(at)
    assert [m.value for m in at.markdown if "accuracy" in m.value] != first
    net = _figure(at, "pgfig_network")
    assert sum(tr["type"] == "heatmap" for tr in net["data"]) == 3 + 3 + 1
    assert at.query_params["pg_features"] == "x1,x2,x1x2"
    at.selectbox(key="pg_neuron").set_value("1:2").run()
    assert "layer 1, neuron 3" in str(_figure(at, "pgfig_neuron")["layout"]["title"])
    # the replay: one figure, a frame per recorded epoch (0…20)
    assert [tab.label for tab in at.tabs] == ["Network", "Replay", "Evaluation"]
    at.session_state["pg_tab"] = "Replay"
    at.run()
    replay = _figure(at, "pgfig_replay")
    assert [f["name"] for f in replay["frames"]] == [str(e) for e in range(21)]
    at.session_state["pg_tab"] = "Evaluation"
    at.run()
    assert not exceptions(at), exceptions(at)
    confusion = _figure(at, "pgfig_confusion")
    assert confusion["data"][0]["type"] == "heatmap"
    assert any(b.key == "pgdl_keras" for b in at.get("download_button"))


def test_chinese_page_regression_multiclass_and_divergence(app_test):
    at = app_test("playground", lang="zh")
    assert at.title[0].value == "多层感知机游乐场"
    at.slider(key="pg_epochs").set_value(10).run()
    at.selectbox(key="pg_dataset").set_value("plane").run()
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="pg_output").value == "linear_mse"
    assert [m.value for m in at.markdown if "R²" in m.value and "训练集" in m.value]
    at.selectbox(key="pg_dataset").set_value("multiclass").run()
    at.slider(key="pg_classes").set_value(4).run()
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="pg_output").options == ["softmax + 分类交叉熵"]
    boundary = _figure(at, "pgfig_boundary_final")
    assert boundary["data"][0]["zmax"] == 3.5  # four class colours
    at.selectbox(key="pg_preset").set_value("too_fast").run()
    assert not exceptions(at), exceptions(at)
    warnings = [w.value for w in at.warning]
    assert any("发散" in w for w in warnings), warnings


def test_result_comes_before_the_controls_in_one_wrapping_row(app_test):
    """On a phone a wrapping row stacks its boxes in page order: the result box
    (``sticky_…``: it stays in view) first, then the controls that move it."""
    from streamlit.proto.Block_pb2 import Block

    at = app_test("playground")
    assert not exceptions(at), exceptions(at)
    rows = [
        block
        for block in at.main.children.values()
        if getattr(block, "type", "") == "flex_container"
        and any(
            getattr(c, "key", "") == "sticky_pg_result" for c in block.children.values()
        )
    ]
    assert len(rows) == 1
    flex = rows[0].proto.flex_container
    assert flex.direction == Block.FlexContainer.Direction.HORIZONTAL and flex.wrap
    result, controls = list(rows[0].children.values())
    assert result.key == "sticky_pg_result"
    assert _block_keys(result) == ["pgfig_boundary_final"]  # boundary, no control
    assert "Decision boundary" in result.markdown[0].value
    keys = _block_keys(controls)
    assert {"pg_dataset", "pg_lr", "pg_epochs", "pg_l1", "pg_l2", "pg_seed"} <= set(
        keys
    )
    assert {"pg_features", "pg_output", "pg_init", "pg_w1", "pg_w2"} <= set(keys)


def test_l2_formula_penalty_and_one_boundary_after_a_new_run(app_test):
    at = app_test("playground")
    at.slider(key="pg_epochs").set_value(20).run()
    at.select_slider(key="pg_l2").set_value(0.01).run()
    assert not exceptions(at), exceptions(at)
    latex = " ".join(element.value for element in at.latex)
    assert r"2\lambda w" in latex and r"\eta\,\lambda\,\theta" in latex
    captions = " ".join(c.value for c in at.caption)
    assert "λ·Σw² = 0.01 ×" in captions
    at.button(key="step_pg").click().run()  # TF Playground's step: +1 epoch
    assert at.slider(key="pg_epochs").value == 21
    assert at.query_params["pg_epochs"] == "21"
    assert any(c.value.startswith("21 epochs") for c in at.caption)
    at.button(key="regenerate_pg").click().run()  # new data: the next seed
    assert at.number_input(key="pg_seed").value == 1
    assert at.query_params["pg_seed"] == "1"
    at.slider(key="pg_noise").set_value(0.2).run()
    assert not exceptions(at), exceptions(at)
    result = _find_block(at.main, "sticky_pg_result")
    assert _block_keys(result) == ["pgfig_boundary_final"]
    names = [tr.get("type") for spec in plotly_specs(at) for tr in spec["data"]]
    assert "heatmap" in names
