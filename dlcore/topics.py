"""The curriculum: one registry of topics, in teaching order.

Everything that lists pages or training tasks is derived from :data:`TOPICS`:
the navigation and the home page's map (``ui/shell.py``), the teacher presets
(``ui/classroom.py``), the cache keys (a task's ``version`` invalidates only
that task's cached results, :func:`task_version`), ``bench/``'s task list and
the contract tests (``tests/test_contract.py``).

Adding a page = the topic's own files (``dlcore/<slug>…``, ``dlcore/figures/
<slug>.py``, ``dlcore/i18n/<slug>.py``, ``pages/<slug>.py``, ``tests/test_
<slug>*.py``) plus one :class:`Topic` line here. See the README, "Adding a page".

Tasks, configs, presets and exports are named by import path
(``"dlcore.playground:train_playground"``) and resolved on first use, so the
navigation can be drawn without importing TensorFlow.

>>> [t.slug for t in TOPICS][:3]
['home', 'playground', 'activations']
>>> topic("playground").tasks[0].name
'playground.mlp'
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping
from typing import Any

#: Navigation sections in order: id -> i18n key of the section title.
SECTIONS: dict[str, str] = {
    "start": "nav.section.start",
    "basics": "nav.section.basics",
    "nets": "nav.section.nets",
}


def resolve(path: str) -> Any:
    """The object named by ``"package.module:attribute"``.

    >>> resolve("dlcore.topics:resolve") is resolve
    True
    """
    module, _, attribute = path.partition(":")
    if not attribute:
        raise ValueError(f"expected 'module:attribute', got {path!r}")
    value: Any = importlib.import_module(module)
    for part in attribute.split("."):
        value = getattr(value, part)
    return value


@dataclasses.dataclass(frozen=True)
class Task:
    """One training task of a topic (a module-level function the server runs).

    Attributes:
        name: Stable id, ``"<slug>.<task>"``: pinned runs, bench rows.
        train: Import path of ``train(config, *, on_progress, should_stop)``,
            which returns a :class:`dlcore.train.TaskResult`.
        config: Import path of its frozen, validated config dataclass; the
            defaults are the page's defaults.
        export: Import path of ``export(config) -> str``, the standalone Keras
            script that reproduces the run with ``model.fit``.
        tab: The page tab (id) whose controls show this task; ``None`` if the
            page has no tabs.
        smoke: Import path of a small config instance (seconds to train) that
            the contract tests train and export; default: the default config.
        controls: Import path of ``controls(config) -> {control key: value}``,
            the page controls that show ``config`` (for presets and links).
            Default: ``{"<prefix>_<field>": value}`` for every config field.
        version: Bump when the training code changes: only this task's cached
            results are invalidated.
        metric: The headline metric (bench, compare-runs tables).
        estimate: Import path of ``estimate(config) -> float``, the run's
            seconds on 2 CPU cores (:mod:`dlcore.budget`); a run over the
            class budget is not started. ``None``: only the wall cap applies.
    """

    name: str
    train: str
    config: str
    export: str | None = None
    version: int = 1
    metric: str | None = None
    controls: str | None = None
    smoke: str | None = None
    tab: str | None = None
    estimate: str | None = None

    @property
    def train_fn(self) -> Callable[..., Any]:
        return resolve(self.train)

    @property
    def config_type(self) -> type:
        return resolve(self.config)

    @property
    def export_fn(self) -> Callable[[Any], str] | None:
        return resolve(self.export) if self.export else None

    def default_config(self) -> Any:
        return self.config_type()

    def control_values(self, config: Any, prefix: str) -> dict[str, Any]:
        """The page control values that show ``config``."""
        if self.controls:
            return dict(resolve(self.controls)(config))
        return {
            f"{prefix}_{field.name}": getattr(config, field.name)
            for field in dataclasses.fields(config)
        }


@dataclasses.dataclass(frozen=True)
class Preset:
    """A teacher preset: a validated config and/or page control values.

    Attributes:
        name: Stable id; its label is the catalogue key ``<slug>.preset.<name>``.
        config: A task config instance (validated by its own constructor);
            its fields set that task's controls.
        controls: Other control values by control key (validated by the same
            rules as URL values when applied).
        tab: The tab to open (a tab id of the page).
    """

    name: str
    config: Any = None
    controls: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    tab: str | None = None


@dataclasses.dataclass(frozen=True)
class Topic:
    """One page of the curriculum.

    Attributes:
        slug: URL path (``/<slug>``), page file ``pages/<slug>.py``, catalogue
            prefix (``nav.<slug>``, ``home.about.<slug>``).
        section: A key of :data:`SECTIONS`.
        prefix: Prefix of the page's control keys (URL parameter names):
            ``<prefix>_<name>``, ``<prefix>_tab``, ``<prefix>_preset``.
        icon: A Material Symbols name (``":material/<icon>:"``).
        tasks: Its training tasks.
        presets: Import path of a sequence of :class:`Preset` (or ``None``).
    """

    slug: str
    section: str
    icon: str
    prefix: str
    tasks: tuple[Task, ...] = ()
    presets: str | None = None

    @property
    def title_key(self) -> str:
        return f"nav.{self.slug}"

    @property
    def about_key(self) -> str:
        return f"home.about.{self.slug}"

    def load_presets(self) -> tuple[Preset, ...]:
        return tuple(resolve(self.presets)) if self.presets else ()

    def preset_values(self, preset: Preset) -> dict[str, Any]:
        """Control values of ``preset``: its config's, its controls, its tab.

        Raises:
            ValueError: the preset's config belongs to none of the tasks.
        """
        values: dict[str, Any] = {}
        if preset.config is not None:
            task = next(
                (t for t in self.tasks if isinstance(preset.config, t.config_type)),
                None,
            )
            if task is None:
                raise ValueError(
                    f"preset {preset.name!r}: {type(preset.config).__name__} is "
                    f"not the config of a {self.slug} task"
                )
            values.update(task.control_values(preset.config, self.prefix))
        values.update(preset.controls)
        if preset.tab is not None:
            values[f"{self.prefix}_tab"] = preset.tab
        return values


def _task(
    slug: str,
    name: str,
    module: str,
    train: str,
    config: str,
    export: str | None,
    *,
    version: int = 1,
    metric: str | None = None,
    controls: str | None = None,
    smoke: str | None = None,
    tab: str | None = None,
    estimate: str | None = None,
) -> Task:
    return Task(
        name=f"{slug}.{name}",
        train=f"{module}:{train}",
        config=f"{module}:{config}",
        export=f"{module}:{export}" if export else None,
        version=version,
        metric=metric,
        controls=f"{module}:{controls}" if controls else None,
        smoke=f"{module}:{smoke}" if smoke else None,
        tab=tab,
        estimate=(
            estimate if not estimate or ":" in estimate else f"dlcore.budget:{estimate}"
        ),
    )


#: Every topic, in teaching order. Pages whose file does not exist yet are
#: left out of the navigation (no placeholder pages).
TOPICS: tuple[Topic, ...] = (
    Topic("home", "start", "school", "home", presets="dlcore.linreg:PRESETS"),
    Topic(
        "playground",
        "start",
        "hub",
        "pg",
        tasks=(
            _task(
                "playground",
                "mlp",
                "dlcore.playground",
                "train_playground",
                "PlaygroundConfig",
                "code_playground",
                version=3,  # features, outputs, per-layer widths, replay
                metric="val_accuracy",
                controls="control_values",
                estimate="dlcore.playground:estimate_playground",
                smoke="SMOKE",
            ),
        ),
        presets="dlcore.playground:PRESETS",
    ),
    Topic(
        "activations",
        "basics",
        "show_chart",
        "act",
        tasks=(
            _task(
                "activations",
                "gradient_lab",
                "dlcore.activations",
                "train_gradient_lab",
                "GradientLabConfig",
                "code_gradient_lab",
                version=2,  # float64 gradient norms, underflow marked
                metric="val_accuracy",
                controls="control_values",
                smoke="SMOKE",
                tab="lab",
                estimate="activations_gradient_lab",
            ),
        ),
        presets="dlcore.activations:PRESETS",
    ),
    Topic(
        "losses",
        "basics",
        "functions",
        "loss",
        tasks=(
            _task(
                "losses",
                "outlier_lab",
                "dlcore.losses",
                "train_outlier_lab",
                "OutlierLabConfig",
                "code_outlier_lab",
                tab="outliers",
                controls="outlier_controls",
                estimate="losses_outlier_lab",
            ),
            _task(
                "losses",
                "pairing",
                "dlcore.losses",
                "train_loss_pairing",
                "LossPairingConfig",
                "code_loss_pairing",
                tab="guide",
                controls="pairing_controls",
                estimate="losses_pairing",
            ),
        ),
        presets="dlcore.losses:PRESETS",
    ),
    Topic(
        "optimizers",
        "basics",
        "trending_down",
        "opt",
        tasks=(
            _task(
                "optimizers",
                "race",
                "dlcore.optimizers",
                "train_race",
                "RaceConfig",
                "code_race",
                tab="race",
                controls="race_control_values",
                estimate="optimizers_race",
            ),
        ),
        presets="dlcore.optimizers:PRESETS",
    ),
    Topic(
        "cnn",
        "nets",
        "grid_on",
        "cnn",
        tasks=(
            _task(
                "cnn",
                "train",
                "dlcore.cnn",
                "train_cnn",
                "CNNConfig",
                "code_cnn",
                metric="test_accuracy",
                controls="control_values",
                tab="train",
                estimate="cnn_train",
            ),
            _task(
                "cnn",
                "transfer",
                "dlcore.cnn",
                "train_transfer",
                "TransferConfig",
                "code_transfer",
                version=2,  # one epoch of num_steps batches per target run
                controls="transfer_control_values",
                smoke="SMOKE_TRANSFER",
                tab="transfer",
                estimate="cnn_transfer",
            ),
            _task(
                "cnn",
                "photos",
                "dlcore.cnn.pretrained",
                "train_photo_transfer",
                "PhotoTransferConfig",
                "code_photo_transfer",
                metric="fine_accuracy",
                controls="photo_control_values",
                smoke="SMOKE_TRANSFER",
                tab="photos",
                estimate="dlcore.cnn.pretrained:estimate_photo_transfer",
            ),
        ),
        presets="dlcore.cnn:PRESETS",
    ),
    Topic(
        "rnn",
        "nets",
        "timeline",
        "rnn",
        tasks=(
            _task(
                "rnn",
                "memory",
                "dlcore.rnn",
                "train_memory",
                "MemoryConfig",
                "code_memory",
                metric="lstm_val_mse",
                controls="memory_control_values",
                smoke="SMOKE_MEMORY",
                tab="memory",
                estimate="dlcore.rnn.tasks:estimate_memory",
            ),
            _task(
                "rnn",
                "sentiment",
                "dlcore.rnn",
                "train_sentiment",
                "SentimentConfig",
                "code_sentiment",
                metric="lstm_test_accuracy",
                controls="sentiment_control_values",
                smoke="SMOKE_SENTIMENT",
                tab="text",
                estimate="dlcore.rnn.tasks:estimate_sentiment",
            ),
        ),
        presets="dlcore.rnn:PRESETS",
    ),
    Topic(
        "generalization",
        "basics",
        "balance",
        "gen",
        tasks=(
            _task(
                "generalization",
                "sweep",
                "dlcore.generalization",
                "train_sweep",
                "SweepConfig",
                "code_sweep",
                metric="w256/val_loss",
                controls="sweep_controls",
                smoke="SMOKE_SWEEP",
                tab="overfit",
                estimate="dlcore.generalization:estimate_sweep",
            ),
            _task(
                "generalization",
                "regularize",
                "dlcore.generalization",
                "train_regularize",
                "RegularizeConfig",
                "code_regularize",
                metric="val_accuracy",
                controls="regularize_controls",
                smoke="SMOKE_REGULARIZE",
                tab="regularize",
                estimate="dlcore.generalization:estimate_regularize",
            ),
            _task(
                "generalization",
                "residual",
                "dlcore.generalization",
                "train_residual",
                "ResidualConfig",
                "code_residual",
                metric="residual/val_accuracy",
                controls="residual_controls",
                smoke="SMOKE_RESIDUAL",
                tab="deep",
                estimate="dlcore.generalization:estimate_residual",
            ),
        ),
        presets="dlcore.generalization:PRESETS",
    ),
    Topic(
        "transformer",
        "nets",
        "view_timeline",
        "tr",
        tasks=(
            _task(
                "transformer",
                "sequence",
                "dlcore.transformer",
                "train_sequence",
                "SequenceConfig",
                "code_sequence",
                metric="transformer_val_accuracy",
                controls="sequence_control_values",
                smoke="SMOKE_SEQUENCE",
                tab="train",
                estimate="dlcore.transformer.tasks:estimate_sequence",
            ),
            _task(
                "transformer",
                "char",
                "dlcore.transformer",
                "train_char",
                "CharConfig",
                "code_char",
                metric="val_accuracy",
                controls="char_control_values",
                smoke="SMOKE_CHAR",
                tab="char",
                estimate="dlcore.transformer.tasks:estimate_char",
            ),
        ),
        presets="dlcore.transformer:PRESETS",
    ),
    Topic(
        "gan",
        "nets",
        "compare",
        "gan",
        tasks=(
            _task(
                "gan",
                "lab",
                "dlcore.gan",
                "train_gan_2d",
                "Gan2DConfig",
                "code_gan_2d",
                metric="js",
                controls="lab_control_values",
                smoke="SMOKE_2D",
                tab="lab",
                estimate="dlcore.gan.tasks:estimate_gan_2d",
            ),
            _task(
                "gan",
                "digits",
                "dlcore.gan",
                "train_digits_gan",
                "DigitsGanConfig",
                "code_digits_gan",
                metric="d_real_accuracy",
                controls="digits_control_values",
                smoke="SMOKE_DIGITS",
                tab="digits",
                estimate="dlcore.gan.tasks:estimate_digits_gan",
            ),
        ),
        presets="dlcore.gan:PRESETS",
    ),
)


def topic(slug: str) -> Topic:
    """The topic with this slug; ``KeyError`` if there is none."""
    for entry in TOPICS:
        if entry.slug == slug:
            return entry
    raise KeyError(slug)


def all_tasks() -> list[Task]:
    return [task for entry in TOPICS for task in entry.tasks]


def task_named(name: str) -> Task:
    for task in all_tasks():
        if task.name == name:
            return task
    raise KeyError(name)


def task_for(fn: Callable[..., Any]) -> Task | None:
    """The registered task whose train function is ``fn`` (``None`` if none).

    Only tasks whose import path ends in ``fn``'s name are resolved, so this
    imports at most the topic that ``fn`` comes from.
    """
    name = getattr(fn, "__name__", "")
    for task in all_tasks():
        short = task.train.rpartition(":")[2].rpartition(".")[2]
        if short == name and task.train_fn is fn:
            return task
    return None


def task_version(fn: Callable[..., Any]) -> int:
    """The cache version of a train function (0 for unregistered functions)."""
    task = task_for(fn)
    return task.version if task else 0
