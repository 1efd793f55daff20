"""The MLP playground: it learns, its export reproduces it, its page works."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import exceptions, plotly_specs

from dlcore import playground


def test_default_config_learns_the_circle():
    result = playground.train_playground(playground.PlaygroundConfig(epochs=30))
    assert result.status == "finished"
    assert result.metrics["val_accuracy"] >= 0.95
    surface = result.artifacts["surface"]
    assert surface.shape == (playground.GRID_SIZE, playground.GRID_SIZE)
    assert surface.min() >= 0.0 and surface.max() <= 1.0


def test_no_hidden_layer_cannot_learn_xor():
    linear = playground.PlaygroundConfig(dataset="xor", hidden_layers=(), epochs=40)
    deep = playground.PlaygroundConfig(dataset="xor", hidden_layers=(8, 8), epochs=40)
    linear_acc = playground.train_playground(linear).metrics["val_accuracy"]
    deep_acc = playground.train_playground(deep).metrics["val_accuracy"]
    assert linear_acc < 0.75 < 0.9 < deep_acc


def test_too_large_a_learning_rate_diverges_as_a_lesson():
    config = playground.PlaygroundConfig(
        optimizer="sgd", learning_rate=1e4, activation="linear", epochs=20
    )
    result = playground.train_playground(config)
    assert result.status in ("diverged", "finished")
    if result.status == "diverged":
        assert 1 <= result.diverged_epoch <= 20


@pytest.mark.slow
def test_exported_script_reproduces_the_final_metrics(tmp_path):
    config = playground.PlaygroundConfig(
        dataset="moons",
        hidden_layers=(6,),
        epochs=4,
        dropout=0.1,
        l2=0.001,
        optimizer="momentum",
    )
    expected = playground.train_playground(config).metrics
    script = tmp_path / "export.py"
    script.write_text(playground.code_playground(config))
    assert "dlcore" not in script.read_text()
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    final = eval(out.stdout.strip().splitlines()[-1].removeprefix("FINAL "))
    # Same data, weights, batches and math: equal up to float32 rounding.
    for name, value in expected.items():
        np.testing.assert_allclose(
            final[name], value, rtol=1e-4, atol=1e-5, err_msg=name
        )


def test_bad_config_is_rejected_with_a_message():
    with pytest.raises(ValueError, match="dataset must be one of"):
        playground.PlaygroundConfig(dataset="cifar")


@pytest.mark.slow
def test_page_trains_and_follows_its_controls(app_test):
    at = app_test("playground")
    assert not exceptions(at), exceptions(at)
    names = [trace.get("type") for spec in plotly_specs(at) for trace in spec["data"]]
    assert "heatmap" in names  # decision boundary drawn
    first = [m.value for m in at.metric]
    at.selectbox(key="pg_dataset").set_value("xor").run()
    at.select_slider(key="pg_lr").set_value(0.01).run()
    at.slider(key="pg_num_layers").set_value(1).run()
    assert not exceptions(at), exceptions(at)
    assert [m.value for m in at.metric] != first
    assert len(at.get("plotly_chart")) >= 2  # boundary + learning curves
    assert at.get("download_button")


@pytest.mark.slow
def test_page_in_chinese_and_divergence_message(app_test):
    at = app_test("playground", lang="zh")
    assert at.title[0].value == "多层感知机游乐场"
    at.selectbox(key="pg_preset").set_value("too_fast").run()
    assert not exceptions(at), exceptions(at)
    warnings = [w.value for w in at.warning]
    assert any("发散" in w for w in warnings), warnings
