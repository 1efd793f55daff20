"""Datasets: shapes, seeded splits, and a fast, clear failure offline."""

import time

import numpy as np
import pytest

from dlcore import datasets


@pytest.mark.parametrize("name", sorted(datasets.TOY_GENERATORS))
def test_toy_sets_are_seeded_and_balanced(name):
    a = datasets.load(name, num_samples=200, noise=0.1, seed=1)
    b = datasets.load(name, num_samples=200, noise=0.1, seed=1)
    c = datasets.load(name, num_samples=200, noise=0.1, seed=2)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert not np.array_equal(a.x_train, c.x_train)
    assert a.x_train.shape == (160, 2) and a.x_val.shape == (40, 2)
    assert a.x_train.dtype == np.float32 and a.y_train.dtype == np.int32
    labels = np.concatenate([a.y_train, a.y_val])
    assert abs(labels.mean() - 0.5) < 0.1  # both classes present, roughly balanced


def test_xor_labels_follow_the_quadrants_without_noise():
    ds = datasets.load("xor", num_samples=300, noise=0.0)
    np.testing.assert_array_equal(ds.y_train, ds.x_train[:, 0] * ds.x_train[:, 1] > 0)


def test_digits_ship_offline():
    ds = datasets.load("digits", seed=0)
    assert ds.input_shape == (8, 8, 1) and ds.num_classes == 10
    assert len(ds.x_train) + len(ds.x_val) == 1797
    assert ds.x_train.min() >= 0.0 and ds.x_train.max() <= 1.0
    assert set(np.unique(ds.y_train)) == set(range(10))


def test_mnist_offline_fails_fast_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # no cached copy
    monkeypatch.setattr(
        datasets, "_DOWNLOAD_HOST", "https://127.0.0.1:9"
    )  # closed port
    datasets._keras_image_arrays.cache_clear()
    start = time.perf_counter()
    with pytest.raises(datasets.DatasetUnavailable, match="digits"):
        datasets.load("mnist")
    assert time.perf_counter() - start < 5


def test_bad_arguments_say_what_is_expected():
    with pytest.raises(ValueError, match="expected one of"):
        datasets.load("cifar")
    with pytest.raises(ValueError, match="noise"):
        datasets.load("xor", noise=3.0)
