"""One catalogue for every user-visible string, in English and Chinese.

Each topic keeps its strings in its own module of this package (``core``,
``home``, ``activations``, …) as ``STRINGS = {key: (english, chinese)}``. They
are merged here, so a page, a figure builder and a test all read the same
catalogue. Chinese terms follow 动手学深度学习 (d2l-zh) usage.

>>> from dlcore.i18n import t
>>> t("lang.name", "zh")
'中文'
>>> t("common.epoch_of", "en", epoch=3, epochs=10)
'Epoch 3 / 10'
"""

from __future__ import annotations

import importlib
import pkgutil

LANGS: tuple[str, ...] = ("en", "zh")

CATALOG: dict[str, tuple[str, str]] = {}
for _module in pkgutil.iter_modules(__path__):
    _strings = importlib.import_module(f"{__name__}.{_module.name}").STRINGS
    _clash = CATALOG.keys() & _strings.keys()
    if _clash:
        raise RuntimeError(f"duplicate i18n keys in {_module.name}: {sorted(_clash)}")
    CATALOG.update(_strings)


def normalize_lang(value: object) -> str | None:
    """Map a language tag (``"zh-CN"``, ``"en_US"``, ``"zh"``) to ``"en"``/``"zh"``.

    Returns ``None`` for anything else, so callers can tell "unknown" apart.

    >>> normalize_lang("zh-Hans-CN"), normalize_lang("EN"), normalize_lang("fr")
    ('zh', 'en', None)
    """
    if not isinstance(value, str):
        return None
    head = value.strip().lower().replace("_", "-").split("-")[0]
    return head if head in LANGS else None


def t(key: str, lang: str = "en", **kwargs: object) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}`` from kwargs.

    Plurals: when ``count`` is 1 and the catalogue has ``<key>.one``, that
    entry is used ("1 test image" / "{count} test images"; Chinese has one
    form, so both entries may say the same).

    An unknown key is returned as is (visible in the UI and caught by tests)
    rather than raising, so a missing string never crashes a lesson.

    >>> CATALOG["doc.images"] = ("{count} images", "{count} 张图像")
    >>> CATALOG["doc.images.one"] = ("{count} image", "{count} 张图像")
    >>> t("doc.images", "en", count=1), t("doc.images", "en", count=3)
    ('1 image', '3 images')
    >>> del CATALOG["doc.images"], CATALOG["doc.images.one"]
    """
    if kwargs.get("count") == 1 and f"{key}.one" in CATALOG:
        key = f"{key}.one"
    pair = CATALOG.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "zh" else pair[0]
    return text.format(**kwargs) if kwargs else text
