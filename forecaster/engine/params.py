"""The one parameter table, and the scenario value it describes.

Every parameter the model knows is one ``ParamSpec`` row in ``PARAMS``. That row
drives validation (files, command line, window), the command-line options, the
slider panel with its tooltips, and the README's parameter table. Adding a
parameter means one row here plus its math in ``projection``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

Number = int | float


Field = tuple[str | int, ...]


def field_text(field: Field) -> str:
    """A field's path as files and the command line write it: ``shocks[0].depth_pct``."""
    text = ""
    for part in field:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class ScenarioError(ValueError):
    """A scenario, or a value in it, is not acceptable.

    ``field`` is the path of the field at fault, as data (like pydantic's ``loc``):
    ``("parameters", "horizon_year")``, ``("shocks", 0, "depth_pct")``, ``("name",)``,
    or ``()`` when no one field is. ``problem`` is what is wrong with it, and
    ``related`` the other parameters that problem names by key, so a window can name
    every one of them by its label. ``str(error)`` is ``"<field>: <problem>"``, the
    message files and the command line print.
    """

    def __init__(
        self, message: str, field: Field = (), problem: str = "", related: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.field = tuple(field)
        self.problem = problem or message
        self.related = related

    @classmethod
    def at(cls, field: Field, problem: str, related: tuple[str, ...] = ()) -> ScenarioError:
        return cls(f"{field_text(field)}: {problem}", field, problem, related)


@dataclass(frozen=True, kw_only=True)
class ParamSpec:
    key: str
    label: str
    unit: str
    minimum: Number
    maximum: Number
    step: Number
    default: Number
    help: str
    group: str
    kind: Literal["int", "float"] = "float"
    # Page Up/Down in the window, and the move the sensitivity table makes.
    page_step: Number = 0
    # Sensitivity ignores settings that are not levers of the economy.
    lever: bool = True

    @property
    def decimals(self) -> int:
        if self.kind == "int":
            return 0
        text = f"{self.step:g}"
        return len(text.split(".")[1]) if "." in text else 0

    @property
    def big_step(self) -> Number:
        return self.page_step or self.step * 10

    def describe_range(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{fmt_number(self.minimum)} to {fmt_number(self.maximum)}{unit}"


GROUPS = (
    "Growth",
    "Sanction shocks",
    "Debt terms",
    "Currency",
    "Uncertainty",
    "Target & horizon",
)

PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        key="base_year",
        label="Base year",
        unit="",
        minimum=1992,
        maximum=2049,
        step=1,
        default=2013,
        help="Last year with actual turnover; projections start the year after.",
        group="Growth",
        kind="int",
        page_step=5,
        lever=False,
    ),
    ParamSpec(
        key="base_turnover_musd",
        label="Base-year turnover",
        unit="$M",
        minimum=0.1,
        maximum=5000,
        step=0.1,
        default=112.7,
        help="Actual Russia-DPRK trade turnover in the base year, in millions of US dollars.",
        group="Growth",
        page_step=10,
    ),
    ParamSpec(
        key="growth_pct",
        label="Annual growth",
        unit="%/yr",
        minimum=-50,
        maximum=100,
        step=0.1,
        default=36.6,
        help=(
            "Organic yearly growth of trade before shocks, currency and debt effects. "
            "36.6%/yr is what $1B by 2020 needed from 2013."
        ),
        group="Growth",
        page_step=5,
    ),
    ParamSpec(
        key="volatility_pct",
        label="Growth volatility",
        unit="%",
        minimum=0,
        maximum=80,
        step=0.5,
        default=30,
        help=(
            "Yearly standard deviation of log growth. 30% is about the swing seen in "
            "2011-2020 with the sanction year 2018 set aside."
        ),
        group="Uncertainty",
        page_step=5,
    ),
    ParamSpec(
        key="draws",
        label="Monte Carlo draws",
        unit="",
        minimum=100,
        maximum=200_000,
        step=100,
        default=10_000,
        help="Number of simulated paths behind the uncertainty bands and the odds.",
        group="Uncertainty",
        kind="int",
        page_step=10_000,
        lever=False,
    ),
    ParamSpec(
        key="seed",
        label="Random seed",
        unit="",
        minimum=0,
        maximum=2**31 - 1,
        step=1,
        default=20140605,
        help="Fixes the random draws, so the same scenario always gives the same bands.",
        group="Uncertainty",
        kind="int",
        page_step=1000,
        lever=False,
    ),
    ParamSpec(
        key="debt_total_busd",
        label="Soviet-era debt",
        unit="$B",
        minimum=0,
        maximum=50,
        step=0.01,
        default=10.96,
        help="North Korea's debt to Russia before the 2012 agreement, in billions of dollars.",
        group="Debt terms",
        page_step=1,
    ),
    ParamSpec(
        key="debt_writeoff_pct",
        label="Written off",
        unit="%",
        minimum=0,
        maximum=100,
        step=1,
        default=90,
        help="Share of the debt that Russia wrote off.",
        group="Debt terms",
        page_step=10,
    ),
    ParamSpec(
        key="debt_term_years",
        label="Repayment term",
        unit="years",
        minimum=1,
        maximum=40,
        step=1,
        default=20,
        help=(
            "Years over which the remainder is repaid in equal semi-annual payments. "
            "Reported as 20 years (RIA; Reuters, 2014-04-19); Reuters on 2014-06-05 said "
            "20 to 40 years."
        ),
        group="Debt terms",
        kind="int",
        page_step=5,
    ),
    ParamSpec(
        key="debt_first_year",
        label="First repayment year",
        unit="",
        minimum=1992,
        maximum=2050,
        step=1,
        default=2014,
        help="Calendar year of the first of the semi-annual payments.",
        group="Debt terms",
        kind="int",
        page_step=5,
        lever=False,
    ),
    ParamSpec(
        key="debt_interest_pct",
        label="Interest on remainder",
        unit="%/yr",
        minimum=0,
        maximum=20,
        step=0.1,
        default=0,
        help=(
            "Annual interest on the outstanding remainder; above 0 the payments "
            "form a semi-annual annuity."
        ),
        group="Debt terms",
        page_step=1,
    ),
    ParamSpec(
        key="debt_compliance_pct",
        label="Payments made",
        unit="%",
        minimum=0,
        maximum=100,
        step=1,
        default=100,
        help="Share of each scheduled payment that is actually paid.",
        group="Debt terms",
        page_step=10,
    ),
    ParamSpec(
        key="debt_reinvest_pct",
        label="Reinvested as trade",
        unit="%",
        minimum=0,
        maximum=100,
        step=1,
        default=100,
        help="Share of paid repayments spent on joint projects in the DPRK and so counted as trade.",
        group="Debt terms",
        page_step=10,
    ),
    ParamSpec(
        key="ruble_share_pct",
        label="Settled in rubles",
        unit="%",
        minimum=0,
        maximum=100,
        step=1,
        default=0,
        help="Share of trade priced and settled in rubles.",
        group="Currency",
        page_step=10,
    ),
    ParamSpec(
        key="ruble_depreciation_pct",
        label="Ruble depreciation",
        unit="%/yr",
        minimum=-30,
        maximum=60,
        step=0.5,
        default=0,
        help=(
            "Yearly fall of the ruble against the dollar; ruble-settled trade shrinks "
            "in dollars by this much each year. Negative means the ruble rises."
        ),
        group="Currency",
        page_step=5,
    ),
    ParamSpec(
        key="target_turnover_musd",
        label="Target turnover",
        unit="$M",
        minimum=1,
        maximum=100_000,
        step=1,
        default=1000,
        help="The turnover goal, in millions of dollars a year.",
        group="Target & horizon",
        page_step=100,
        lever=False,
    ),
    ParamSpec(
        key="target_year",
        label="Target year",
        unit="",
        minimum=1993,
        maximum=2050,
        step=1,
        default=2020,
        help="Year by which the target should be reached.",
        group="Target & horizon",
        kind="int",
        page_step=5,
        lever=False,
    ),
    ParamSpec(
        key="horizon_year",
        label="Horizon",
        unit="",
        minimum=1993,
        maximum=2050,
        step=1,
        default=2030,
        help="Last projected year.",
        group="Target & horizon",
        kind="int",
        page_step=5,
        lever=False,
    ),
)

SPECS: dict[str, ParamSpec] = {p.key: p for p in PARAMS}
DEFAULTS: dict[str, Number] = {p.key: p.default for p in PARAMS}

SHOCK_START_RANGE = (1992, 2050)
SHOCK_DEPTH_RANGE = (0.0, 100.0)
SHOCK_HALF_LIFE_RANGE = (0.1, 50.0)
MAX_SHOCKS = 20
MAX_LABEL_CHARS = 200
MAX_NAME_CHARS = 200
MAX_NOTES_CHARS = 20_000


@dataclass(frozen=True)
class Shock:
    """A sanction shock: cuts ``depth_pct`` of trade in ``start_year``, then heals.

    The cut halves every ``half_life_years``; ``None`` means it never heals.
    """

    start_year: int
    depth_pct: float
    half_life_years: float | None = None
    label: str = ""


@dataclass(frozen=True)
class Scenario:
    """Everything a projection depends on: a name, notes, parameters and shocks."""

    name: str = "Untitled"
    notes: str = ""
    params: Mapping[str, Number] = field(default_factory=lambda: dict(DEFAULTS))
    shocks: tuple[Shock, ...] = ()

    def __post_init__(self) -> None:
        # A frozen mapping: nobody can edit a scenario behind the document's back.
        object.__setattr__(self, "params", _FrozenParams(self.params))
        object.__setattr__(self, "shocks", tuple(self.shocks))

    def __getitem__(self, key: str) -> Number:
        return self.params[key]

    def with_params(self, **changes: Number) -> Scenario:
        merged = dict(self.params)
        merged.update(changes)
        return replace(self, params=merged)

    def with_shocks(self, shocks: tuple[Shock, ...] | list[Shock]) -> Scenario:
        return replace(self, shocks=tuple(shocks))

    def validated(self) -> Scenario:
        """Return a scenario with normalised numbers, or raise ScenarioError."""
        name = validate_text(self.name, ("name",), MAX_NAME_CHARS, allow_newlines=False)
        notes = validate_text(self.notes, ("notes",), MAX_NOTES_CHARS, allow_newlines=True)
        params = validate_params(self.params)
        if len(self.shocks) > MAX_SHOCKS:
            raise ScenarioError.at(
                ("shocks",), f"{len(self.shocks)} shocks, at most {MAX_SHOCKS} allowed"
            )
        shocks = tuple(validate_shock(s, ("shocks", i)) for i, s in enumerate(self.shocks))
        check_total_cut_at_base(shocks, int(params["base_year"]))
        return replace(self, name=name, notes=notes, params=params, shocks=shocks)


def check_total_cut_at_base(shocks: tuple[Shock, ...], base_year: int) -> None:
    """Refuse a 100% cut still in force in the base year.

    The base year's turnover is an actual figure above zero, and a shock that started by
    then is already inside it: the projection divides by the cut left in the base year.
    A permanent 100% shock from before, or any 100% shock starting in the base year,
    leaves nothing to divide by, and 99.9% against 100% would jump from one hundredfold
    to zero. No limit makes sense there, so the scenario is refused and the shock named.
    """
    for i, s in enumerate(shocks):
        if s.depth_pct < 100 or s.start_year > base_year:
            continue
        if s.half_life_years is None or s.start_year == base_year:
            name = f" ({s.label})" if s.label else ""
            raise ScenarioError.at(
                ("shocks", i, "depth_pct"),
                f"a 100% cut{name} from {s.start_year} is still total "
                f"in the base year {base_year}, whose turnover is an actual figure above zero; "
                f"make the cut less than 100% or the base year earlier than {s.start_year}",
            )


class _FrozenParams(dict[str, Number]):
    def _readonly(self, *args: object, **kwargs: object) -> None:
        raise TypeError("scenario parameters are read-only; use Scenario.with_params")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]
    __ior__ = _readonly  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


def fmt_number(value: Number) -> str:
    """Whole numbers in full (2147483647, not 2.14748e+09), others as %g."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def short_repr(value: object) -> str:
    """A value for an error message: one short line, even for hostile input."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return "a huge number"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_value(spec: ParamSpec, value: object, field: Field | None = None) -> Number:
    """One parameter value, checked against its spec row and normalised."""
    field = field or (spec.key,)
    if spec.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ScenarioError.at(
                field,
                f"{short_repr(value)} is not a whole number (allowed {spec.describe_range()})",
            )
        number: Number = int(value)
    else:
        if not is_number(value):
            raise ScenarioError.at(
                field, f"{short_repr(value)} is not a number (allowed {spec.describe_range()})"
            )
        number = _as_float(value)
        if not math.isfinite(number):
            raise ScenarioError.at(
                field,
                f"{short_repr(value)} is not a finite number (allowed {spec.describe_range()})",
            )
    if not spec.minimum <= number <= spec.maximum:
        raise ScenarioError.at(
            field, f"{short_repr(number)} is out of range (allowed {spec.describe_range()})"
        )
    return number


def validate_params(
    params: Mapping[str, object], where: Field = ("parameters",)
) -> dict[str, Number]:
    """Check every parameter and the rules that tie them together."""
    unknown = sorted(set(params) - set(SPECS))
    if unknown:
        raise ScenarioError.at(
            (*where, unknown[0]), f"unknown parameter (known: {', '.join(SPECS)})"
        )
    out: dict[str, Number] = {}
    for spec in PARAMS:
        if spec.key not in params:
            raise ScenarioError.at((*where, spec.key), f"missing (allowed {spec.describe_range()})")
        out[spec.key] = check_value(spec, params[spec.key], (*where, spec.key))
    base, horizon, target = out["base_year"], out["horizon_year"], out["target_year"]
    if horizon <= base:
        raise ScenarioError.at(
            (*where, "horizon_year"), f"{horizon} must be after base_year {base}", ("base_year",)
        )
    if not base < target <= horizon:
        raise ScenarioError.at(
            (*where, "target_year"),
            f"{target} must be after base_year {base} and no later than horizon_year {horizon}",
            ("base_year", "horizon_year"),
        )
    return out


def validate_shock(shock: object, where: Field = ("shock",)) -> Shock:
    if not isinstance(shock, Shock):
        raise ScenarioError.at(where, f"{short_repr(shock)} is not a shock")
    lo, hi = SHOCK_START_RANGE
    if isinstance(shock.start_year, bool) or not isinstance(shock.start_year, int):
        raise ScenarioError.at(
            (*where, "start_year"),
            f"{short_repr(shock.start_year)} is not a whole number (allowed {lo} to {hi})",
        )
    if not lo <= shock.start_year <= hi:
        raise ScenarioError.at(
            (*where, "start_year"),
            f"{short_repr(shock.start_year)} is out of range (allowed {lo} to {hi})",
        )
    depth = _finite(shock.depth_pct, (*where, "depth_pct"), SHOCK_DEPTH_RANGE, "%")
    half_life = shock.half_life_years
    if half_life is not None:
        half_life = _finite(
            half_life,
            (*where, "half_life_years"),
            SHOCK_HALF_LIFE_RANGE,
            "years, or null for permanent",
        )
    label = validate_text(shock.label, (*where, "label"), MAX_LABEL_CHARS, allow_newlines=False)
    return Shock(shock.start_year, depth, half_life, label)


def validate_text(value: object, where: Field, limit: int, allow_newlines: bool) -> str:
    """Names, notes and labels: text of bounded length with no control characters."""
    if not isinstance(value, str):
        raise ScenarioError.at(where, f"{short_repr(value)} is not text")
    if len(value) > limit:
        raise ScenarioError.at(where, f"{len(value)} characters, at most {limit} allowed")
    allowed = "\n\t" if allow_newlines else ""
    for ch in value:
        code = ord(ch)
        if (code < 32 and ch not in allowed) or 127 <= code < 160:
            raise ScenarioError.at(where, f"contains the control character U+{code:04X}")
        if 0xD800 <= code <= 0xDFFF:
            raise ScenarioError.at(where, f"contains an unpaired surrogate U+{code:04X}")
    return value


def _finite(value: object, where: Field, bounds: tuple[float, float], unit: str) -> float:
    lo, hi = bounds
    if not is_number(value) or not math.isfinite(_as_float(value)):
        raise ScenarioError.at(
            where, f"{short_repr(value)} is not a finite number (allowed {lo:g} to {hi:g} {unit})"
        )
    number = _as_float(value)
    if not lo <= number <= hi:
        raise ScenarioError.at(
            where, f"{number:g} is out of range (allowed {lo:g} to {hi:g} {unit})"
        )
    return number


def _as_float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:  # an integer too large for a float
        return math.inf


def clamp_to_spec(spec: ParamSpec, value: float) -> Number:
    value = min(max(value, spec.minimum), spec.maximum)
    return int(round(value)) if spec.kind == "int" else float(value)


def parameter_table_markdown() -> str:
    """The README's parameter table, generated from the spec table (a test keeps them equal)."""
    lines = [
        "| key | label | unit | min | max | step | default | group | meaning |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in PARAMS:
        lines.append(
            f"| `{p.key}` | {p.label} | {p.unit or '—'} | {fmt_number(p.minimum)} | "
            f"{fmt_number(p.maximum)} | {p.step:g} | {fmt_number(p.default)} | {p.group} | {p.help} |"
        )
    return "\n".join(lines)
