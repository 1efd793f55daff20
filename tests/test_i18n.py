"""The catalogue is complete in both languages and formats consistently."""

import string

import pytest

from dlcore.i18n import CATALOG, normalize_lang, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_string_has_both_languages_with_the_same_placeholders(key):
    english, chinese = CATALOG[key]
    assert english.strip() and chinese.strip(), key
    assert _fields(english) == _fields(chinese), key


def test_chinese_uses_d2l_terms():
    assert t("nav.activations", "zh") == "激活函数"
    assert t("nav.losses", "zh") == "损失函数"
    assert t("nav.optimizers", "zh") == "优化器"
    assert t("nav.cnn", "zh") == "卷积神经网络"


def test_unknown_key_is_visible_not_fatal():
    assert t("no.such.key", "zh") == "no.such.key"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-CN", "zh"),
        ("zh_TW", "zh"),
        ("en-US", "en"),
        ("fr", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_lang(tag, expected):
    assert normalize_lang(tag) == expected
