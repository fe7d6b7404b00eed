"""Scenario files: the typed, validated source of truth for every model parameter.

A scenario is a TOML file loaded into :class:`Scenario`, a pydantic model. Every field carries a
type, a unit, a range and a default with its source or stated assumption (``json_schema_extra``
holds ``unit`` and ``source``); the model, the CLI, sweeps and the dashboard all read defaults
and ranges from here, never from a second copy. The defaults are the case of
``../shared/seed`` (five cities, nine themes, 104 + 52 weeks), so ``Scenario()`` *is* the case.

Unknown keys and out-of-range values are rejected; :class:`ScenarioError` carries a message that
names the field's dotted path. Types are strict (no string or boolean where a number is meant; a
whole number is accepted where a decimal is), ``nan`` and ``inf`` are refused, cross-field rules
are checked (``teams.min_size <= teams.max_size``, snapshot weeks within the horizon), and a
scenario whose estimated memory exceeds :data:`MAX_ESTIMATED_MEMORY` or whose cities together
exceed :data:`MAX_TOTAL_HEADCOUNT` employees is refused before anything is allocated.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.frames import get_frame
from sim.scenario_toml import TomlInputError, loads_value, read_toml_file

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"

#: Largest seed a run accepts: seeds are stored in int64 columns of every table (0..2**63-1).
MAX_SEED = 2**63 - 1
#: Longest run in weeks (``--weeks``, and the horizon's two parts together): a century.
MAX_WEEKS = 5200
#: Most employees over all cities together (ten times the ``large`` preset).
MAX_TOTAL_HEADCOUNT = 1_000_000
#: Largest estimated peak memory of one run (see :func:`estimate_size`), in bytes: 8 GiB.
MAX_ESTIMATED_MEMORY = 8 * 1024**3

# Memory model behind estimate_size, in bytes. Measured (ru_maxrss growth of MergerModel
# at 20,000 and 50,000 employees with 0.13 to 4 million ties): about 240 bytes per
# tie (four tie arrays, the weekly CSR view and the merge buffers) and under 1 KiB per
# employee; rounded up, so the estimate errs on the large side.
BYTES_PER_EMPLOYEE = 1024
BYTES_PER_TIE = 256
#: A candidate pair inside a unit: both slot indices, the draw that keeps it, the mask.
BYTES_PER_UNIT_PAIR = 40
#: One agent-table row and one edge-table row per snapshot week.
BYTES_PER_SNAPSHOT_ROW = 200
BYTES_PER_SNAPSHOT_EDGE = 40


class ScenarioError(ValueError):
    """A scenario, override or sweep value is invalid; the message names the field."""


def param(default: Any, *, unit: str, source: str, ge: float | None = None,
          le: float | None = None, gt: float | None = None, description: str = "") -> Any:
    """A pydantic field with a unit, a range and a source.

    Args:
        default: the default value.
        unit: the unit of measurement ("1" for dimensionless shares and indices).
        source: literature reference or the stated assumption behind the default.
        ge, le, gt: the allowed range.
        description: what the parameter means, in domain words.
    """
    return Field(default, ge=ge, le=le, gt=gt, description=description,
                 json_schema_extra={"unit": unit, "source": source})


class Section(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are validated on set.

    ``strict``: a number field takes a number only (no ``"60"``, no ``true``; an int is
    accepted where a float is meant); ``allow_inf_nan=False``: ``nan`` and ``inf`` are refused.
    NumPy scalars (from sweep designs) are unwrapped to Python numbers first.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False,
                              strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _plain_numbers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _plain(v) for k, v in data.items()}
        return data


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python number it holds; lists element-wise; others unchanged."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --------------------------------------------------------------------------- culture & cities

DEFAULT_TARGET = {"clan": 0.55, "adhocracy": 0.55, "market": 0.60, "hierarchy": 0.35}


class CultureSection(Section):
    frame: Literal["cvf", "hofstede-org", "opinion"] = Field(
        "cvf", description="culture frame: named dimensions of the value vector",
        json_schema_extra={"unit": "-", "source": "Cameron & Quinn (CVF); Hofstede et al. 1990"})
    target: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_TARGET),
        description="the culture management states for the new organisation, per dimension",
        json_schema_extra={"unit": "1 (0..1 per dimension)", "source": (
            "assumption: an 'entrepreneurial social service' (the case's title) stresses "
            "market/client results and adhocracy over hierarchy, keeping clan")})


class CitySpec(Section):
    name: str = Field(..., min_length=1, description="city (origin organisation) name")
    headcount: int = param(100, ge=1, le=500_000, unit="employees",
                           source="assumption: the case names five cities, not their sizes",
                           description="employees of this city's social service at the merger")
    mean: dict[str, float] = Field(
        ..., description="culture profile: mean value per dimension",
        json_schema_extra={"unit": "1 (0..1 per dimension)", "source": "assumption per scenario"})
    distribution: Literal["normal", "uniform"] = Field(
        "normal", description="normal: values around the mean with the spread, clipped to "
                              "[0, 1]; uniform: uniform on [0, 1] (Deffuant et al. 2000)",
        json_schema_extra={"unit": "-", "source": "-"})
    spread: float = param(0.10, ge=0.0, le=0.5, unit="1 (standard deviation)",
                          source="assumption: OCAI profiles within one organisation vary by about "
                                 "0.1 on a 0-1 scale",
                          description="standard deviation of individual values around the mean")
    tie_density: float = param(0.02, ge=0.0, le=1.0, unit="1 (probability)",
                               source="assumption: about 8 informal contacts per employee in a "
                                      "400-person service, beyond the own unit",
                               description="probability of an informal tie between any two "
                                           "employees of this city (on top of unit ties)")


def _default_cities() -> list[CitySpec]:
    profiles = {
        "A": (400, (0.45, 0.25, 0.30, 0.70)),
        "B": (250, (0.60, 0.30, 0.25, 0.55)),
        "C": (150, (0.35, 0.35, 0.45, 0.60)),
        "D": (120, (0.55, 0.20, 0.20, 0.75)),
        "E": (80, (0.65, 0.40, 0.30, 0.45)),
    }
    dims = ("clan", "adhocracy", "market", "hierarchy")
    return [CitySpec(name=name, headcount=n, mean=dict(zip(dims, m, strict=True)),
                     tie_density=min(1.0, 8.0 / n))
            for name, (n, m) in profiles.items()]


class RolesSection(Section):
    manager_share: float = param(0.06, ge=0.0, le=0.5, unit="1 (share of headcount)",
                                 source="assumption: one manager per ~16 staff",
                                 description="share of employees who are managers")
    team_lead_share: float = param(0.08, ge=0.0, le=0.5, unit="1 (share of headcount)",
                                   source="assumption: one team lead per unit of ~12",
                                   description="share of employees who are team leads")


class NetworkSection(Section):
    unit_size: int = param(12, ge=2, le=100_000, unit="employees",
                           source="assumption: a work unit of about 12",
                           description="size of a work unit within a city")
    unit_tie_probability: float = param(0.5, ge=0.0, le=1.0, unit="1 (probability)",
                                        source="assumption",
                                        description="probability of a tie between two members "
                                                    "of one unit")
    cross_city_degree: float = param(0.3, ge=0.0, le=50.0, unit="ties per employee",
                                     source="assumption: before the merger few staff know "
                                            "colleagues in other cities",
                                     description="mean number of ties to other cities per staff "
                                                 "member")
    manager_bridge_factor: float = param(5.0, ge=1.0, le=50.0, unit="x",
                                         source="assumption: managers met across cities in the "
                                                "merger preparation",
                                         description="multiplier on cross-city ties for managers")
    initial_weight: float = param(0.5, gt=0.0, le=1.0, unit="1",
                                  source="assumption", description="mean initial tie weight")
    weight_jitter: float = param(0.5, ge=0.0, le=1.0, unit="1",
                                 source="assumption: ties differ in strength",
                                 description="initial weights are uniform in initial_weight "
                                             "* [1 - jitter, 1 + jitter]")
    reinforcement: float = param(0.1, ge=0.0, le=1.0, unit="1 per meeting",
                                 source="assumption",
                                 description="share of the gap to weight 1 closed when a tie is "
                                             "used in a week")
    decay: float = param(0.01, ge=0.0, le=1.0, unit="1 per week",
                         source="assumption: an unused tie halves in about 70 weeks",
                         description="relative weight loss of a tie not used in a week")
    min_weight: float = param(0.05, ge=0.0, le=1.0, unit="1",
                              source="assumption",
                              description="ties weaker than this are dropped")
    closure_rate: float = param(0.01, ge=0.0, le=1.0, unit="1 per employee per week",
                                source="assumption (triadic closure; Granovetter 1973)",
                                description="weekly probability that an employee forms a tie "
                                            "with a contact of a contact")
    new_tie_weight: float = param(0.2, gt=0.0, le=1.0, unit="1", source="assumption",
                                  description="weight of a newly formed tie")
    hire_ties: int = param(4, ge=0, le=100, unit="ties",
                           source="assumption: a newcomer first knows part of the own unit",
                           description="ties a new hire forms with unit colleagues")


class HorizonSection(Section):
    intervention_weeks: int = param(104, ge=0, le=2000, unit="weeks",
                                    source="DESIGN: two years of intervention",
                                    description="weeks in which the strategy intervenes")
    followup_weeks: int = param(52, ge=0, le=2000, unit="weeks",
                                source="DESIGN: one year of follow-up measures durability",
                                description="weeks after the intervention, without it")

    @property
    def total_weeks(self) -> int:
        return self.intervention_weeks + self.followup_weeks


class InteractionSection(Section):
    contacts_per_week: int = param(3, ge=0, le=50, unit="meetings per employee per week",
                                   source="assumption: a few substantive conversations a week",
                                   description="contacts each employee seeks out in a week, "
                                               "sampled by tie weight")
    confidence_threshold: float = param(
        0.3, ge=0.0, le=1.0, unit="1 (normalised distance)",
        source="assumption; Deffuant et al. 2000 (consensus above 0.5 on one dimension)",
        description="two employees influence each other only if their normalised value "
                    "distance is below this")
    convergence_rate: float = param(
        0.001, ge=0.0, le=0.5, unit="1 per meeting",
        source="calibrated to the stated speed of culture change (docs/ODD.md 7.1): values "
               "are stable over years (Bardi & Goodwin 2011; Vecchione et al. 2016) and "
               "organisational practices differ stably between units (Hofstede et al. 1990), "
               "so within-unit spread must not melt away in months; Deffuant et al. 2000 use "
               "0.5 for opinions",
        description="share of the difference adopted per meeting, scaled by openness")
    noise_sd: float = param(0.003, ge=0.0, le=0.2, unit="1 per week (standard deviation)",
                            source="assumption: small cultural drift (Axelrod 1997 'cultural "
                                   "drift')",
                            description="weekly random drift of each value")
    openness_mean: float = param(0.5, ge=0.0, le=1.0, unit="1", source="assumption",
                                 description="mean openness to influence")
    openness_spread: float = param(0.15, ge=0.0, le=0.5, unit="1 (standard deviation)",
                                   source="assumption",
                                   description="spread of openness between employees")


class ContractSection(Section):
    neutral_level: float = param(0.5, ge=0.0, le=1.0, unit="1 (contract strength)",
                                 source="scale convention: the midpoint of the 0-1 contract "
                                        "scale is a neutral contract",
                                 description="contract strength at the reference fit and full "
                                             "pre-merger identification; engagement and the "
                                             "exit hazard are measured from it")
    identification_weight: float = param(
        0.4, ge=0.0, le=2.0, unit="contract per unit identification",
        source="assumption; direction from Riketta 2005 (organisational identification "
               "correlates -0.48 with intent to leave, k = 34) and from the merger as a breach "
               "of the old organisation's implicit promises (Rousseau 1995)",
        description="change of the fit-implied contract per unit of identification with the "
                    "merged organisation below (or above) the pre-merger identification")
    adjustment_rate: float = param(0.05, ge=0.0, le=1.0, unit="1 per week",
                                   source="assumption: contracts shift over months",
                                   description="share of the gap to the fit-implied contract "
                                               "closed per week")
    reference_fit: float = param(0.8, ge=0.0, le=1.0, unit="1",
                                 source="assumption: typical fit at the merger gives a neutral "
                                        "contract 0.5",
                                 description="fit score at which the contract is neutral "
                                             "(contract.neutral_level)")
    fit_sensitivity: float = param(2.5, ge=0.0, le=20.0, unit="contract per unit fit",
                                   source="assumption; fit correlates 0.51 with commitment "
                                          "(Kristof-Brown et al. 2005)",
                                   description="slope of the fit-implied contract in the fit "
                                               "score")
    weight_person_org: float = param(0.4, ge=0.0, le=1.0, unit="weight",
                                     source="case: personal vs organisational values",
                                     description="weight of person-organisation fit")
    weight_person_unit: float = param(0.6, ge=0.0, le=1.0, unit="weight",
                                      source="assumption: the unit is the everyday 'team' of "
                                             "those not in a theme team",
                                      description="weight of person-unit fit")
    weight_person_team: float = param(0.4, ge=0.0, le=1.0, unit="weight",
                                      source="case: personal vs team values",
                                      description="weight of person-team fit (team members)")
    weight_team_org: float = param(0.2, ge=0.0, le=1.0, unit="weight",
                                   source="case: team vs organisational values",
                                   description="weight of team-organisation fit (team members)")
    receptivity_max: float = param(
        2.0, ge=1.0, le=10.0, unit="x",
        source="assumption: a strong contract can at most double what people take up from "
               "organisation-led change (and a broken one can remove it)",
        description="upper bound of receptivity; receptivity = clip(1 + slope * (contract - "
                    "neutral), 0, receptivity_max)")
    receptivity_slope: float = param(
        1.0, ge=0.0, le=4.0, unit="x per unit contract",
        source="assumption; direction from Rousseau 1995 and the breach meta-analyses (Zhao et "
               "al. 2007: breach lowers trust and commitment; Bal et al. 2008)",
        description="how strongly the contract scales receptivity to organisation-led change "
                    "(training, coaching, team sessions, value work, peer support): "
                    "receptivity = clip(1 + slope * (contract - neutral), 0, 2)")


class EngagementSection(Section):
    base: float = param(0.5, ge=0.0, le=1.0, unit="1", source="assumption",
                        description="engagement of an employee with a neutral contract")
    contract_weight: float = param(0.6, ge=0.0, le=2.0, unit="1",
                                   source="assumption; fit correlates 0.44 with satisfaction "
                                          "(Kristof-Brown et al. 2005)",
                                   description="engagement gained per unit of contract above "
                                               "neutral")
    identification_weight: float = param(
        0.3, ge=0.0, le=2.0, unit="engagement per unit identification",
        source="assumption; Riketta 2005: identification correlates with job involvement and "
               "extra-role behaviour; the post-merger performance dip (Weber & Camerer 2003)",
        description="engagement change per unit of identification below (or above) the "
                    "pre-merger identification")
    adjustment_rate: float = param(0.1, ge=0.0, le=1.0, unit="1 per week",
                                   source="assumption",
                                   description="share of the gap to implied engagement closed "
                                               "per week")


class TurnoverSection(Section):
    enabled: bool = Field(True, description="employees leave and are replaced",
                          json_schema_extra={"unit": "-", "source": "-"})
    annual_exit_rate: float = param(0.088, ge=0.0, le=0.9, unit="1 per year",
                                    source="Personeelsmonitor Gemeenten 2021: outflow 8.8 %",
                                    description="expected yearly outflow over the merger's path "
                                                "(turnover.calibration_weeks)")
    contract_sensitivity: float = param(3.0, ge=0.0, le=20.0, unit="log hazard per unit contract",
                                        source="assumption, direction from Kristof-Brown et al. "
                                               "2005 (fit vs intent to quit r = -0.35)",
                                        description="hazard multiplies by exp(s * (neutral - "
                                                    "contract)), neutral = "
                                                    "contract.neutral_level")
    newcomer_exit_multiplier: float = param(1.44, ge=0.0, le=10.0, unit="x",
                                            source="Personeelsmonitor 2021: a third of hires "
                                                   "leave within 3 years (12.6 %/yr vs 8.8 %)",
                                            description="hazard multiplier for newcomers")
    newcomer_weeks: int = param(156, ge=0, le=1000, unit="weeks",
                                source="Personeelsmonitor 2021 (three years)",
                                description="how long an employee counts as a newcomer")
    vacancy_weeks: int = param(13, ge=0, le=200, unit="weeks",
                               source="assumption: about three months to fill a public post",
                               description="delay between a leaver and the hire")
    calibration_weeks: int = param(
        156, ge=0, le=2000, unit="weeks",
        source="assumption: the case's horizon (three years); the published yearly rate is "
               "matched on average over the merger's expected path, not at week 0 only",
        description="weeks of the expected contract path (merger dip and recovery) over which "
                    "the base exit hazard is calibrated to annual_exit_rate; 0 = week 0 only")
    calibration_contract_drift: float = param(
        0.015, ge=-0.2, le=0.2, unit="contract per year",
        source="calibrated: the mean rise of contracts under `none` in the case beyond the "
               "merger's identification path (units growing alike, hires selected on fit), "
               "chosen among 0, 0.015 and 0.025 on 8 seeds x 3 years; tests/validation "
               "checks the outflow it gives",
        description="drift of every contract per year assumed on the expected path used to "
                    "calibrate the exit hazard (the path itself holds every fit constant)")
    initial_mean_tenure_weeks: float = param(
        520.0, gt=0.0, le=5000.0, unit="weeks",
        source="assumption: an outflow of 8.8 %/yr (Personeelsmonitor Gemeenten 2021) means a "
               "mean stay of about 11 years; tenures at the merger are drawn exponential with "
               "a mean of 10 years",
        description="mean tenure of the employees at the merger (exponential distribution); "
                    "decides who counts as a newcomer at the start")


class MergerSection(Section):
    """The merger's own shock to identification (Marks & Mirvis 1986; van Knippenberg et al.
    2002) and its recovery as employees come to belong to the merged organisation."""

    enabled: bool = Field(True, description="the merger lowers employees' identification "
                                            "with the organisation (the post-merger dip)",
                          json_schema_extra={"unit": "-", "source": "Marks & Mirvis 1986; "
                                             "Weber & Camerer 2003"})
    pre_identification: float = param(
        0.7, ge=0.0, le=1.0, unit="1 (identification, 0..1)",
        source="assumption: public servants identify fairly strongly with their own "
               "municipality (about 3.5 on a 1-5 scale, as in the samples of van Knippenberg "
               "et al. 2002)",
        description="identification with the own organisation before the merger, and of a "
                    "hire with the organisation that hires them")
    identification_shock: float = param(
        0.5, ge=0.0, le=1.0, unit="1 (share of identification per unit dominance loss)",
        source="assumption; van Knippenberg, van Knippenberg, Monden & de Lima 2002: "
               "post-merger identification depends on how much of the own organisation "
               "continues; the dominated partner loses more",
        description="share of pre-merger identification lost at the merger, per unit of the "
                    "city's dominance loss (1 - its share of the merged headcount)")
    lasting_loss: float = param(
        0.2, ge=0.0, le=1.0, unit="1 (share of identification per unit dominance loss)",
        source="assumption: the merger syndrome subsides, the loss of continuity stays "
               "(Marks & Mirvis 1986; van Knippenberg et al. 2002); Weber & Camerer 2003 "
               "find only partial recovery",
        description="share of pre-merger identification still lost in the long run, per unit "
                    "dominance loss, by someone without ties to other cities; ties across "
                    "cities remove it (a common in-group, Gaertner et al. 1993)")
    recovery_rate: float = param(
        0.04, ge=0.0, le=1.0, unit="1 per week",
        source="assumption: half of the excess loss is regained in about 4 months; "
               "the merger syndrome lasts months to a year or two (Marks & Mirvis 1986)",
        description="share of the gap between identification and its implied level closed "
                    "per week")


class HiringSection(Section):
    market_mean: dict[str, float] = Field(
        default_factory=lambda: {"clan": 0.55, "adhocracy": 0.45, "market": 0.45,
                                 "hierarchy": 0.45},
        description="culture profile of the labour market, per dimension",
        json_schema_extra={"unit": "1 (0..1 per dimension)",
                           "source": "assumption: younger professionals, less hierarchical"})
    market_spread: float = param(0.15, ge=0.0, le=0.5, unit="1 (standard deviation)",
                                 source="assumption",
                                 description="spread of candidates' values")
    candidates_per_vacancy: int = param(3, ge=1, le=50, unit="candidates",
                                        source="Harrison & Carroll 1991 (selectivity); number "
                                               "assumed",
                                        description="candidates compared per vacancy; the best "
                                                    "fit with the target is hired (1 = none)")
    newcomer_openness_bonus: float = param(0.2, ge=0.0, le=1.0, unit="1",
                                           source="Harrison & Carroll 1991 (socialisation)",
                                           description="extra openness of a newcomer")
    socialisation_halflife_weeks: float = param(26.0, gt=0.0, le=1000.0, unit="weeks",
                                                source="assumption",
                                                description="half-life of the newcomer "
                                                            "openness bonus")


class TrainingSection(Section):
    cohort_size: int = param(20, ge=0, le=100_000, unit="trainees per week",
                             source="assumption: everyone trained once in about a year",
                             description="employees entering culture training each week")
    start_week: int = param(1, ge=1, le=2000, unit="week", source="assumption",
                            description="first week of the programme")
    days_per_trainee: float = param(4.0, ge=0.0, le=60.0, unit="days",
                                    source="assumption: a four-day culture programme",
                                    description="training days per trainee: sets both the cost "
                                                "and, through the dose-response curve, the "
                                                "effect")
    dose: float = param(0.5, ge=0.0, le=1.0, unit="1",
                        source="assumption: the programme addresses half the gap to the target",
                        description="share of the gap to the target that the content addresses")
    transfer_immediate: float = param(0.62, ge=0.0, le=1.0, unit="1",
                                      source="Saks & Belcourt 2006: 62 % apply at once",
                                      description="share of the dose applied at once")
    transfer_6_months: float = param(0.44, ge=0.0, le=1.0, unit="1",
                                     source="Saks & Belcourt 2006: 44 % after six months",
                                     description="share applied after 26 weeks")
    transfer_12_months: float = param(0.34, ge=0.0, le=1.0, unit="1",
                                      source="Saks & Belcourt 2006: 34 % after one year",
                                      description="share applied after 52 weeks")
    refresher: bool = Field(False, description="retrain employees once all have been trained",
                            json_schema_extra={"unit": "-", "source": "assumption"})
    reference_days: float = param(
        4.0, gt=0.0, le=60.0, unit="days",
        source="assumption: the programme length at which `dose` is stated",
        description="programme length at which the content addresses `dose` of the gap; other "
                    "lengths scale the effect by the dose-response curve")
    days_half_effect: float = param(
        2.0, gt=0.0, le=60.0, unit="days",
        source="assumption: diminishing returns to training length (Arthur et al. 2003 find "
               "effects grow with length, less than proportionally)",
        description="training days that give half of the maximal effect: effect(days) = dose "
                    "* (1 - 2^(-days/h)) / (1 - 2^(-reference_days/h))")
    peer_support: bool = Field(
        False, description="trainees of a cohort meet weekly after the course to practise "
                           "together (peer support, a transfer lever: Baldwin & Ford 1988)",
        json_schema_extra={"unit": "-", "source": "Baldwin & Ford 1988 (work environment: peer "
                                                  "support)"})
    peer_support_weeks: int = param(8, ge=0, le=104, unit="weeks",
                                    source="assumption: two months of follow-up meetings",
                                    description="weeks of peer meetings after the course")
    peer_support_hours: float = param(1.0, ge=0.0, le=20.0, unit="hours per trainee per week",
                                      source="assumption",
                                      description="time each trainee spends in peer meetings; "
                                                  "one meeting with a cohort peer per hour")
    transfer_projects: bool = Field(
        False, description="each cohort turns the course into a work-improvement project "
                           "(action learning) and presents it to central management, judged by "
                           "the teams' pitch rule; accepted projects are implemented like the "
                           "teams' proposals. Off in the case, whose training had no business "
                           "assignment; it lets training reach the improvement part of client "
                           "value in principle",
        json_schema_extra={"unit": "-", "source": "assumption; action learning (Revans 1980) "
                                                  "and transfer projects (Baldwin & Ford "
                                                  "1988: transfer design)"})
    project_hours: float = param(16.0, ge=0.0, le=400.0, unit="hours per trainee",
                                 source="assumption: two working days per trainee, the same "
                                        "order as the teams' hours_for_proposal",
                                 description="time each trainee spends on the cohort's "
                                             "transfer project (the project's work, judged "
                                             "against teams.hours_for_proposal)")
    peer_convergence_rate: float = param(0.08, ge=0.0, le=0.5, unit="1 per meeting",
                                         source="assumption: as a team session (joint practice "
                                                "on a shared task)",
                                         description="convergence rate in a peer meeting")
    contract_breach: float = param(0.02, ge=0.0, le=1.0, unit="1",
                                   source="assumption; Rousseau 1995: forced, irrelevant "
                                          "training reads as a breach",
                                   description="contract drop of a trainee in mandatory "
                                               "training")

    @model_validator(mode="after")
    def _transfer_decreases(self) -> TrainingSection:
        if not (self.transfer_immediate >= self.transfer_6_months >= self.transfer_12_months):
            raise ValueError("transfer must not rise over time: need transfer_immediate >= "
                             "transfer_6_months >= transfer_12_months")
        return self


class CostsSection(Section):
    trainee_day_eur: float = param(600.0, ge=0.0, le=100_000.0, unit="EUR per trainee-day",
                                   source="assumption: EUR 250 trainer, venue and materials plus "
                                          "8 h of wage cost at about EUR 45/h; A&O fonds: "
                                          "municipalities spend ~EUR 1,000 per employee-year",
                                   description="cost of one trainee-day")
    hire_eur: float = param(6000.0, ge=0.0, le=1_000_000.0, unit="EUR per hire",
                            source="assumption: recruitment and onboarding",
                            description="cost of filling a vacancy")
    team_hour_eur: float = param(45.0, ge=0.0, le=10_000.0, unit="EUR per person-hour",
                                 source="assumption: wage cost of a municipal professional",
                                 description="cost of an hour spent in team sessions")
    activity_eur: float = param(1500.0, ge=0.0, le=1_000_000.0, unit="EUR per person",
                                source="assumption: a trip abroad or benchmark visit",
                                description="cost per participant of an external activity")
    coaching_hour_eur: float = param(150.0, ge=0.0, le=10_000.0, unit="EUR per hour",
                                     source="assumption: external coach rate",
                                     description="cost of an hour of behaviour coaching")
    hours_per_day: float = param(8.0, gt=0.0, le=24.0, unit="hours per day",
                                 source="assumption: a working day",
                                 description="converts training days and activity days into "
                                             "person-hours for the time ledger")
    activity_days: float = param(2.0, ge=0.0, le=30.0, unit="days per participant",
                                 source="assumption: a two-day visit or benchmark trip",
                                 description="working time a participant spends on one external "
                                             "activity (its wage cost is booked as team hours)")


class BusinessSection(Section):
    """Client value: what the front line delivers, plus implemented improvements."""

    weight_engagement: float = param(0.4, ge=0.0, le=1.0, unit="weight", source="assumption",
                                     description="weight of engagement in client value")
    weight_alignment: float = param(0.4, ge=0.0, le=1.0, unit="weight", source="assumption",
                                    description="weight of the front line's alignment with the "
                                                "stated, client-oriented culture")
    weight_improvements: float = param(
        0.2, ge=0.0, le=1.0, unit="weight", source="assumption",
        description="weight of implemented improvements (accepted proposals, each valued by "
                    "the work that produced it)")
    improvements_for_full_value: float = param(
        9.0, gt=0.0, le=1000.0, unit="proposal-quality units",
        source="assumption: the case's nine teams, each with a proposal of full quality (so "
               "that the quality of the work, not the count of accepted proposals, sets the "
               "term: nine proposals at the pitch threshold reach half of it)",
        description="summed quality of implemented proposals at which their contribution "
                    "saturates")
    implementation_weeks: int = param(
        13, ge=0, le=520, unit="weeks",
        source="assumption: about a quarter to put an accepted proposal into practice",
        description="delay between acceptance and the improvement reaching clients")
    implementation_hours: float = param(
        200.0, ge=0.0, le=100_000.0, unit="hours per proposal",
        source="assumption: about five staff-weeks of work to put a proposal into practice "
               "(procedures, systems, instruction of colleagues)",
        description="working time an accepted proposal costs to implement, booked at the "
                    "hour rate when it is put into practice")


class DiffusionSection(Section):
    """Carriers of new values talk about them with colleagues: one rule for every strategy."""

    enabled: bool = Field(True, description="people who took part in an intervention (trainees, "
                                            "team members, coached people) carry it to "
                                            "colleagues, who may pull them back",
                          json_schema_extra={"unit": "-", "source": "case: members carried the "
                                             "new culture into the organisation; the same rule "
                                             "serves trainees (Rogers 2003, diffusion through "
                                             "contacts)"})
    carrier_weeks: int = param(8, ge=0, le=520, unit="weeks",
                               source="assumption: people talk about an experience for about "
                                      "two months",
                               description="weeks after taking part (a training course, a "
                                           "team's week, a coaching round) during which a "
                                           "person carries it")
    contacts: int = param(2, ge=0, le=50, unit="conversations per carrier per week",
                          source="assumption", description="colleagues (network contacts, "
                          "mostly the own unit) a carrier talks the new way of working over "
                          "with each week")
    weight: float = param(1.0, ge=0.0, le=5.0, unit="x convergence rate",
                          source="assumption", description="influence in such a conversation, "
                          "relative to everyday interaction (both sides move)")
    max_rate: float = param(0.5, ge=0.0, le=0.5, unit="1 per meeting",
                            source="Deffuant et al. 2000: 0.5 is the largest meaningful rate "
                                   "(both meet in the middle)",
                            description="cap on the carrier conversation's convergence rate")
    hours_per_contact: float = param(0.25, ge=0.0, le=8.0, unit="hours per conversation",
                                     source="assumption: a quarter of an hour",
                                     description="working time a carrier conversation takes "
                                                 "(booked for the carrier at the hour rate)")


class TeamsSection(Section):
    """The case's strategy: sponsor-led business themes and self-selected teams.

    Each component is a switch (``self_selection``, ``open_call``, ``sessions``,
    ``value_work``, ``external_activities``, ``pitch``, ``behaviour_support``), so that any
    combination can be run and ``assigned-teams`` differs from ``teams`` in one named factor.
    Every component that changes anyone books its time and money.
    """

    theme_count: int | None = param(
        None, ge=0, le=1000, unit="themes",
        source="case: management named nine central themes; unset means every theme the "
               "scenario lists (nine in the case)",
        description="how many of the listed themes get a sponsor and a team: the first N in "
                    "the order of `themes` (0: none); unset: all of them. At most the number "
                    "of themes listed")
    sponsor_rule: Literal["centrality", "random"] = Field(
        "centrality", description="how each theme's sponsor is chosen among managers (then team "
                                  "leads, then staff, if managers run out): highest tie strength "
                                  "(centrality) or at random",
        json_schema_extra={"unit": "-", "source": "case: management named a sponsor per theme"})
    # --- forming the teams
    self_selection: bool = Field(
        True, description="employees choose to join (the case); off: management assigns "
                          "members at random (the `assigned-teams` strategy)",
        json_schema_extra={"unit": "-", "source": "case: self-selection produced nine teams"})
    recruitment_weeks: int = param(6, ge=1, le=100, unit="weeks",
                                   source="assumption: the 'hunt' for supporters took weeks",
                                   description="length of the recruitment window")
    sponsor_invitations: int = param(8, ge=0, le=500, unit="invitations per week",
                                     source="assumption", description="contacts a sponsor "
                                     "invites per recruitment week (sponsor reach)")
    member_invitations: int = param(2, ge=0, le=100, unit="invitations per week",
                                    source="assumption", description="contacts each supporter "
                                    "invites per recruitment week")
    invitation_hours: float = param(0.5, ge=0.0, le=40.0, unit="hours per invitation",
                                    source="assumption: a half-hour conversation between "
                                           "inviter and invitee, or reading and weighing a "
                                           "call",
                                    description="working time one considered invitation or "
                                                "open call takes (booked as `recruitment` at "
                                                "the hour rate)")
    open_call: bool = Field(
        True, description="each sponsor also makes an open call across the whole organisation, "
                          "to which people respond by fit",
        json_schema_extra={"unit": "-", "source": "case: 'each sponsor began the hunt for "
                                                  "supporters from across the organisation'"})
    open_call_reach: int = param(12, ge=0, le=100_000, unit="employees per sponsor per week",
                                 source="assumption: an intranet call or a town-hall pitch read "
                                        "attentively by a dozen people a week",
                                 description="employees, anywhere in the organisation, who "
                                             "consider a sponsor's open call in a recruitment "
                                             "week")
    min_size: int = param(5, ge=1, le=1000, unit="members",
                          source="assumption: fewer cannot carry a theme",
                          description="teams below this size dissolve, at the end of "
                                      "recruitment or in any later week")
    max_size: int = param(15, ge=1, le=5000, unit="members",
                          source="assumption: a workable team",
                          description="a team stops recruiting at this size")
    assigned_size: int = param(
        14, ge=1, le=5000, unit="members",
        source="calibrated: the mean size self-selected teams reach in the case (127-135 "
               "members in nine teams, most at max_size), so that assigned-teams differs from "
               "teams in who joins, not in how many",
        description="members per team when management assigns them (assigned-teams, or "
                    "self_selection off), kept within min_size .. max_size")
    join_intercept: float = param(-1.0, ge=-20.0, le=20.0, unit="log-odds",
                                  source="assumption: about a quarter of the invited join",
                                  description="log-odds of joining for an average invitee")
    fit_step: float = param(0.1, gt=0.0, le=1.0, unit="1 (fit)",
                            source="assumption: the unit in which fit differences are counted",
                            description="fit differences in the choice rule count per this step")
    weight_theme_fit: float = param(1.0, ge=0.0, le=20.0, unit="log-odds per fit step",
                                    source="assumption; self-selection on fit (Schneider 1987)",
                                    description="effect of fit with the theme's profile")
    weight_sponsor_fit: float = param(0.5, ge=0.0, le=20.0, unit="log-odds per fit step",
                                      source="assumption", description="effect of fit with the "
                                      "sponsor's values")
    weight_openness: float = param(2.0, ge=0.0, le=20.0, unit="log-odds per unit openness",
                                   source="assumption", description="effect of openness above "
                                   "0.5")
    weight_social: float = param(2.0, ge=0.0, le=20.0, unit="log-odds per unit share",
                                 source="assumption (social proof)", description="effect of the "
                                 "share of one's contacts already in the team")
    weight_workload: float = param(1.5, ge=0.0, le=20.0, unit="log-odds per unit workload",
                                   source="case: 'sceptical about the amount of work'",
                                   description="effect of workload above 0.5")
    workload_mean: float = param(0.5, ge=0.0, le=1.0, unit="1", source="assumption",
                                 description="mean workload of staff")
    workload_spread: float = param(0.15, ge=0.0, le=0.5, unit="1 (standard deviation)",
                                   source="assumption", description="spread of workload "
                                   "between employees")
    lead_extra_workload: float = param(0.2, ge=0.0, le=1.0, unit="1",
                                       source="assumption: team leads and managers carry the "
                                              "line", description="extra workload of team "
                                       "leads and managers")
    assigned_breach: float = param(0.02, ge=0.0, le=1.0, unit="1 (contract)",
                                   source="assumption; Rousseau 1995: imposed change reads as a "
                                          "breach (as mandatory training)",
                                   description="contract drop of an employee assigned to a "
                                               "team without choosing it")
    autonomy_engagement: float = param(
        0.05, ge=0.0, le=1.0, unit="1 (engagement)",
        source="assumption; autonomy in chosen work raises motivation (Hackman & Oldham 1976; "
               "Deci & Ryan 2000)",
        description="engagement gain of a member who chose the theme, while the team works "
                    "(sessions held); nothing for assigned members or idle teams")
    # --- weekly sessions
    sessions: bool = Field(True, description="teams hold weekly work sessions",
                           json_schema_extra={"unit": "-", "source": "case: weekly work "
                                                                     "sessions"})
    session_hours: float = param(3.0, ge=0.0, le=40.0, unit="hours per member per week",
                                 source="case: weekly work sessions; half a morning assumed",
                                 description="time each member spends in team sessions: sets "
                                             "their cost, the number of working contacts and "
                                             "the work behind a proposal")
    session_meetings_per_hour: float = param(1.0, ge=0.0, le=10.0,
                                             unit="team colleagues per session hour",
                                             source="assumption: one working contact an hour",
                                             description="team colleagues a member works with, "
                                                         "per hour of session")
    session_convergence_rate: float = param(0.08, ge=0.0, le=0.5, unit="1 per meeting",
                                            source="assumption: joint work on a shared task "
                                                   "influences more than a chat",
                                            description="convergence rate in team sessions")
    # --- value work: the psychological contract made explicit
    value_work: bool = Field(True, description="teams examine their psychological contract "
                                               "(personal, team and organisational values)",
                             json_schema_extra={"unit": "-", "source": "case"})
    value_work_hours: float = param(1.0, ge=0.0, le=20.0, unit="hours per member per week",
                                    source="assumption: an hour of each week's session",
                                    description="time spent on value work")
    value_work_target_weight: float = param(
        0.5, ge=0.0, le=1.0, unit="1",
        source="case: 'the connection between personal, team and organisational values'; "
               "equal weight assumed",
        description="weight of the organisation's stated values in the norm a team agrees on "
                    "(the rest is the team's own norm)")
    value_work_rate: float = param(
        0.03, ge=0.0, le=0.5, unit="1 per value-work hour",
        source="assumption: explicit value dialogue moves members slowly toward what they agreed",
        description="share of the gap to the agreed norm closed per hour of value work, scaled "
                    "by receptivity")
    agreement_floor: float = param(0.7, ge=0.0, le=0.99, unit="1 (fit)",
                                   source="assumption: below this mean fit members barely "
                                          "share values",
                                   description="mean fit with the team norm at which value "
                                               "agreement counts 0 in cohesion")
    agreement_share: float = param(0.5, ge=0.0, le=1.0, unit="1", source="assumption",
                                   description="weight of value agreement (vs tie density) in "
                                               "cohesion")
    # --- external activities
    external_activities: bool = Field(True, description="trips, benchmarking, client interviews",
                                      json_schema_extra={"unit": "-", "source": "case"})
    activity_interval_weeks: int = param(26, ge=1, le=520, unit="weeks",
                                         source="assumption: two activities a year",
                                         description="weeks between a team's external "
                                                     "activities")
    activity_pull: float = param(0.1, ge=0.0, le=1.0, unit="1",
                                 source="assumption", description="share of the gap to the "
                                 "theme's profile closed by an external activity")
    # --- pitch
    pitch: bool = Field(True, description="teams pitch a proposal to central management",
                        json_schema_extra={"unit": "-", "source": "case"})
    pitch_week: int = param(12, ge=1, le=2000, unit="week",
                            source="assumption: about three months in",
                            description="week of the first pitch to central management")
    activity_work_share: float = param(
        0.25, ge=0.0, le=1.0, unit="share of a full proposal's work",
        source="assumption: one external activity (client interviews, a benchmark visit) is "
               "about two sessions' worth of the work behind a proposal",
        description="work behind a proposal that one external activity counts for, as a share "
                    "of hours_for_proposal")
    hours_for_proposal: float = param(
        24.0, gt=0.0, le=2000.0, unit="hours per member",
        source="assumption: about eight weekly sessions of work behind a full proposal",
        description="session hours per member (plus one activity's worth) that make a fully "
                    "worked-out proposal; a team with no work has nothing to pitch")
    pitch_threshold: float = param(0.5, ge=0.0, le=1.0, unit="1",
                                   source="assumption", description="proposal quality management "
                                   "accepts")
    pitch_noise_sd: float = param(0.08, ge=0.0, le=1.0, unit="1", source="assumption",
                                  description="noise in judged proposal quality")
    weight_work: float = param(0.4, ge=0.0, le=1.0, unit="weight", source="assumption",
                               description="weight of the work done (hours, activities) in "
                                           "quality")
    weight_alignment: float = param(0.3, ge=0.0, le=1.0, unit="weight", source="assumption",
                                    description="weight of the team norm's fit with its "
                                                "theme's needs in quality")
    weight_diversity: float = param(0.15, ge=0.0, le=1.0, unit="weight", source="assumption",
                                    description="weight of cross-city diversity in quality")
    weight_cohesion: float = param(0.15, ge=0.0, le=1.0, unit="weight", source="assumption",
                                   description="weight of cohesion in quality")
    rework_weeks: int = param(8, ge=1, le=520, unit="weeks", source="assumption",
                              description="a rejected team pitches again after this")
    pitch_hours: float = param(2.0, ge=0.0, le=100.0, unit="hours per member per pitch",
                               source="assumption: preparing and presenting a proposal",
                               description="member time one pitch takes (booked at the hour "
                                           "rate)")
    recognition: float = param(0.1, ge=0.0, le=1.0, unit="1 (contract)",
                               source="Rousseau 1995: recognition strengthens the contract",
                               description="contract gain of members when a pitch is accepted")
    rejection_breach: float = param(0.03, ge=0.0, le=1.0, unit="1 (contract)",
                                    source="assumption; Robinson & Rousseau 1994: unmet "
                                           "expectations read as breach",
                                    description="contract drop of members when a pitch is "
                                                "rejected")
    # --- behaviour support
    behaviour_support: bool = Field(True, description="coaching on each discovered behaviour "
                                                      "gap", json_schema_extra={"unit": "-",
                                                                                "source": "case"})
    support_interval_weeks: int = param(8, ge=1, le=520, unit="weeks",
                                        source="assumption", description="weeks between a "
                                        "team's behaviour discoveries")
    support_dose: float = param(0.5, ge=0.0, le=1.0, unit="1",
                                source="assumption: as the training dose",
                                description="share of the discovered gap the coaching addresses "
                                            "at the reference coaching time")
    support_transfer: float = param(
        0.8, ge=0.0, le=1.0, unit="1",
        source="assumption, between training's 0.62 (coaching no better than training) and 1.0 "
               "(Olivero, Bane & Kopelman 1997: coaching after training raised productivity "
               "88 % against 22.4 % for training alone, a ratio of 3.9, capped at full "
               "transfer); in the sensitivity analysis (experiments/sweeps/assumptions.toml)",
        description="share of the coached shift applied at once")
    coaching_hours: float = param(6.0, ge=0.0, le=1000.0, unit="coach hours per team per round",
                                  source="assumption", description="coach hours per support "
                                  "round (booked at the coach rate)")
    coachee_hours: float = param(1.0, ge=0.0, le=100.0, unit="hours per member per round",
                                 source="assumption: an hour of each member's time per round",
                                 description="member time per support round: booked at the "
                                             "hour rate and the dose of the coaching (the "
                                             "effect scales with it, as training's with days)")
    coachee_reference_hours: float = param(
        1.0, gt=0.0, le=100.0, unit="hours per member per round",
        source="assumption: the coachee time at which `support_dose` is stated",
        description="coachee hours at which the coaching addresses `support_dose` of the gap")
    coachee_hours_half_effect: float = param(
        0.5, gt=0.0, le=100.0, unit="hours",
        source="assumption: diminishing returns, as for training days",
        description="coachee hours that give half the maximal coaching effect")

    @model_validator(mode="after")
    def _sizes_ordered(self) -> TeamsSection:
        if self.min_size > self.max_size:
            raise ValueError(f"teams.min_size: {self.min_size} is above teams.max_size "
                             f"{self.max_size}, so every team would dissolve")
        return self


class ThemeSpec(Section):
    name: str = Field(..., min_length=1, description="business theme")
    profile: dict[str, float] = Field(
        ..., description="what the theme needs, per culture dimension",
        json_schema_extra={"unit": "1 (0..1 per dimension)", "source": "assumption per theme"})


def _default_themes() -> list[ThemeSpec]:
    # (clan, adhocracy, market, hierarchy): assumptions about what each theme asks for.
    profiles = {
        "work-first": (0.50, 0.55, 0.75, 0.30),
        "income-support": (0.50, 0.40, 0.55, 0.55),
        "care-and-participation": (0.75, 0.45, 0.40, 0.35),
        "employer-services": (0.45, 0.60, 0.75, 0.25),
        "client-journey": (0.65, 0.60, 0.60, 0.30),
        "debt-assistance": (0.70, 0.45, 0.45, 0.45),
        "digital-services": (0.45, 0.75, 0.55, 0.35),
        "quality-and-compliance": (0.45, 0.35, 0.50, 0.60),
        "regional-labour-market": (0.50, 0.65, 0.70, 0.30),
    }
    dims = ("clan", "adhocracy", "market", "hierarchy")
    return [ThemeSpec(name=n, profile=dict(zip(dims, p, strict=True)))
            for n, p in profiles.items()]


class OutputSection(Section):
    snapshot_weeks: list[Annotated[int, Field(ge=0)]] | None = Field(
        None, description="weeks at which agent snapshots are taken; default: 0, the end of the "
                          "intervention and the final week",
        json_schema_extra={"unit": "weeks", "source": "-"})


# --------------------------------------------------------------------------- the scenario


class Scenario(Section):
    """A complete scenario: the organisation, its culture, and every rule's parameters."""

    name: str = Field("case", min_length=1, description="scenario name")
    description: str = Field("", description="what the scenario represents")
    culture: CultureSection = Field(default_factory=CultureSection)
    cities: list[CitySpec] = Field(default_factory=_default_cities, min_length=1)
    roles: RolesSection = Field(default_factory=RolesSection)
    network: NetworkSection = Field(default_factory=NetworkSection)
    horizon: HorizonSection = Field(default_factory=HorizonSection)
    interaction: InteractionSection = Field(default_factory=InteractionSection)
    contract: ContractSection = Field(default_factory=ContractSection)
    engagement: EngagementSection = Field(default_factory=EngagementSection)
    turnover: TurnoverSection = Field(default_factory=TurnoverSection)
    hiring: HiringSection = Field(default_factory=HiringSection)
    merger: MergerSection = Field(default_factory=MergerSection)
    training: TrainingSection = Field(default_factory=TrainingSection)
    costs: CostsSection = Field(default_factory=CostsSection)
    business: BusinessSection = Field(default_factory=BusinessSection)
    themes: list[ThemeSpec] = Field(default_factory=_default_themes)
    teams: TeamsSection = Field(default_factory=TeamsSection)
    diffusion: DiffusionSection = Field(default_factory=DiffusionSection)
    output: OutputSection = Field(default_factory=OutputSection)

    @model_validator(mode="after")
    def _check_dimensions(self) -> Scenario:
        dims = get_frame(self.culture.frame).dimensions
        _check_profile("culture.target", self.culture.target, dims)
        _check_profile("hiring.market_mean", self.hiring.market_mean, dims)
        for i, city in enumerate(self.cities):
            _check_profile(f"cities.{i}.mean", city.mean, dims)
        for i, theme in enumerate(self.themes):
            _check_profile(f"themes.{i}.profile", theme.profile, dims)
        names = [c.name for c in self.cities]
        if len(set(names)) != len(names):
            raise ValueError("cities: city names must be unique")
        count = self.teams.theme_count
        if count is not None and count > len(self.themes):
            raise ValueError(f"teams.theme_count: {count} is more than the {len(self.themes)} "
                             "themes listed under themes")
        return self

    @model_validator(mode="after")
    def _check_horizon_and_size(self) -> Scenario:
        total = self.horizon.total_weeks
        if total > MAX_WEEKS:
            raise ValueError(f"horizon: intervention_weeks + followup_weeks = {total} is more "
                             f"than the limit of {MAX_WEEKS} weeks")
        late = [w for w in self.output.snapshot_weeks or [] if w > total]
        if late:
            raise ValueError(f"output.snapshot_weeks: week {late[0]} is beyond the horizon "
                             f"({total} weeks)")
        check_size(self)
        return self

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The culture frame's dimension names, in value-vector order."""
        return get_frame(self.culture.frame).dimensions

    @property
    def headcount(self) -> int:
        """Total employees at the merger."""
        return sum(c.headcount for c in self.cities)

    @property
    def active_themes(self) -> list[ThemeSpec]:
        """The themes that get a sponsor and a team: the first ``teams.theme_count``."""
        return self.themes[:self.teams.theme_count]


# --------------------------------------------------------------------------- size bound


@dataclass(frozen=True)
class SizeEstimate:
    """What a scenario allocates at the start of a run, estimated from its parameters."""

    employees: int
    ties: int  # expected informal ties at the merger
    unit_pairs: int  # candidate pairs inside units, drawn before unit_tie_probability
    snapshots: int  # agent and network snapshot weeks
    culprit: str  # the field behind the largest share of the memory

    @property
    def memory(self) -> int:
        """Estimated peak bytes of the run (beyond the libraries)."""
        return (self.employees * BYTES_PER_EMPLOYEE + self.ties * BYTES_PER_TIE
                + self.unit_pairs * BYTES_PER_UNIT_PAIR
                + self.snapshots * (self.employees * BYTES_PER_SNAPSHOT_ROW
                                    + self.ties * BYTES_PER_SNAPSHOT_EDGE))


def estimate_size(scenario: Scenario) -> SizeEstimate:
    """Employees, ties and memory of a run of ``scenario``, before anything is allocated.

    Ties per city: within units (units of ``network.unit_size``, at most the city's headcount,
    each pair tied with ``unit_tie_probability``), random ties (``tie_density`` of all pairs),
    and cross-city bridges (``cross_city_degree`` per employee, managers times
    ``manager_bridge_factor``). The model's builders draw these in the same way
    (:mod:`sim.network`).
    """
    net = scenario.network
    shares: dict[str, float] = {}
    ties = pairs = employees = 0.0
    for i, city in enumerate(scenario.cities):
        n = city.headcount
        size = min(net.unit_size, n)
        full, rest = divmod(n, size)
        city_pairs = full * size * (size - 1) / 2 + rest * (rest - 1) / 2
        random_ties = city.tie_density * n * (n - 1) / 2
        pairs += city_pairs
        ties += net.unit_tie_probability * city_pairs + random_ties
        employees += n
        shares[f"cities.{i}.headcount"] = n * (BYTES_PER_EMPLOYEE + 3 * BYTES_PER_SNAPSHOT_ROW)
        shares[f"cities.{i}.tie_density"] = random_ties * BYTES_PER_TIE
        shares["network.unit_size"] = shares.get("network.unit_size", 0.0) + city_pairs * (
            BYTES_PER_UNIT_PAIR + net.unit_tie_probability * BYTES_PER_TIE)
    if len(scenario.cities) > 1:
        bridge = 1.0 + scenario.roles.manager_share * (net.manager_bridge_factor - 1.0)
        cross = employees * net.cross_city_degree * bridge / 2
        ties += cross
        shares["network.cross_city_degree"] = cross * BYTES_PER_TIE
    snaps = scenario.output.snapshot_weeks
    snapshots = len(set(snaps)) if snaps else 3
    shares["output.snapshot_weeks"] = snapshots * (employees * BYTES_PER_SNAPSHOT_ROW
                                                   + ties * BYTES_PER_SNAPSHOT_EDGE)
    culprit = max(shares, key=lambda k: shares[k])
    return SizeEstimate(int(employees), int(ties), int(pairs), snapshots, culprit)


def _gib(n: float) -> str:
    return f"{n / 1024**3:,.1f} GiB"


def check_size(scenario: Scenario) -> None:
    """Refuse a scenario above MAX_TOTAL_HEADCOUNT employees or MAX_ESTIMATED_MEMORY bytes.

    Raises:
        ValueError: naming the field that contributes most, with the estimate.
    """
    total = scenario.headcount
    if total > MAX_TOTAL_HEADCOUNT:
        raise ValueError(f"cities: {total:,} employees in all is more than the limit of "
                         f"{MAX_TOTAL_HEADCOUNT:,} (about {_gib(total * BYTES_PER_EMPLOYEE)} "
                         "of memory for the employees alone)")
    size = estimate_size(scenario)
    if size.memory > MAX_ESTIMATED_MEMORY:
        raise ValueError(f"{size.culprit}: the scenario is too large: {size.employees:,} "
                         f"employees with about {size.ties:,} ties need an estimated "
                         f"{_gib(size.memory)} of memory, more than the limit of "
                         f"{_gib(MAX_ESTIMATED_MEMORY)}; lower the headcounts, tie_density, "
                         "network.unit_size or network.cross_city_degree")


def _check_profile(path: str, profile: Mapping[str, float], dims: tuple[str, ...]) -> None:
    missing = [d for d in dims if d not in profile]
    unknown = [k for k in profile if k not in dims]
    if unknown:
        raise ValueError(f"{path}: unknown dimension {unknown[0]!r} for this culture frame "
                         f"(dimensions: {', '.join(dims)})")
    if missing:
        raise ValueError(f"{path}: missing dimension {missing[0]!r}")
    for key, value in profile.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{path}.{key}: {value} is outside [0, 1]")


# --------------------------------------------------------------------------- errors


#: Problems listed in one message; the rest are counted ("and 4 more").
MAX_LISTED_PROBLEMS = 3

_EXPECTED = {"int_type": "expected a whole number", "float_type": "expected a number",
             "bool_type": "expected true or false", "string_type": "expected a text string",
             "list_type": "expected a list", "dict_type": "expected a table",
             "model_type": "expected a table", "literal_error": None}


def shorten(value: Any, limit: int = 60) -> str:
    """``repr(value)`` on one line, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _given(value: Any) -> str:
    """How a wrong value reads in a message: its kind and (short) content."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {shorten(value)}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return shorten(value)


def _problem(item: Any) -> str:
    kind, msg = item["type"], item["msg"]
    if kind == "extra_forbidden":
        return "unknown field (not part of the scenario schema)"
    if kind == "finite_number":
        return f"{shorten(item.get('input'))} is not a finite number"
    if kind in _EXPECTED and _EXPECTED[kind] is not None:
        return f"{_EXPECTED[kind]}, got {_given(item.get('input'))}"
    if kind == "missing":
        return "required field is missing"
    return msg.removeprefix("Value error, ")


def format_validation_error(err: ValidationError) -> str:
    """One line naming each problem's dotted field path and the reason (at most three)."""
    lines = []
    for item in err.errors()[:MAX_LISTED_PROBLEMS]:
        loc = ".".join(str(p) if len(str(p)) <= 60 else str(p)[:57] + "..."
                       for p in item["loc"])
        msg = _problem(item)
        named = bool(loc) and msg.startswith(loc) and msg[len(loc):len(loc) + 1] in (":", ".")
        lines.append(f"{loc}: {msg}" if loc and not named else msg)
    more = err.error_count() - MAX_LISTED_PROBLEMS
    if more > 0:
        lines.append(f"and {more} more")
    return one_line("; ".join(lines))


def one_line(text: str) -> str:
    """Control characters (newlines from keys or values in a file) escaped: one line."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def validate_scenario(data: Mapping[str, Any]) -> Scenario:
    """Validate a mapping (a parsed TOML file) into a :class:`Scenario`."""
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as err:
        raise ScenarioError(format_validation_error(err)) from None


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """Accept a file path or a preset name (a file in ``scenarios/`` without ``.toml``)."""
    path = Path(name_or_path)
    preset = SCENARIO_DIR / f"{name_or_path}.toml"
    for candidate in (path, preset):
        try:
            if candidate.is_file():
                return candidate
        except (OSError, ValueError):  # a name too long, a NUL byte: not a file
            continue
    raise ScenarioError(f"scenario: no file {str(name_or_path)!r} and no preset of that name "
                        f"(presets: {', '.join(list_presets())})")


def load_scenario(source: str | Path | Mapping[str, Any] | Scenario | None = None) -> Scenario:
    """Load a scenario from a TOML file, a preset name, a mapping, or pass one through.

    ``None`` gives the embedded defaults (the case).
    """
    if source is None:
        return Scenario()
    if isinstance(source, Scenario):
        return source
    if isinstance(source, Mapping):
        return validate_scenario(source)
    path = resolve_scenario_path(source)
    try:
        data = read_toml_file(path)
    except TomlInputError as err:
        raise ScenarioError(f"{path}: {err}") from None
    try:
        return validate_scenario(data)
    except ScenarioError as err:
        raise ScenarioError(f"{path.name}: {err}") from None


def list_presets() -> list[str]:
    """Names of the scenario files shipped in ``scenarios/``."""
    if not SCENARIO_DIR.is_dir():
        return []
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


# --------------------------------------------------------------------------- overrides


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``key=value`` from the command line; the value is read as a TOML value."""
    if "=" not in text:
        raise ScenarioError(f"--set {text!r}: expected key=value, e.g. interaction.noise_sd=0.01")
    key, raw = text.split("=", 1)
    key, raw = key.strip(), raw.strip()
    if not key:
        raise ScenarioError(f"--set {text!r}: the key is empty")
    try:
        value = loads_value(raw)
    except TomlInputError as err:
        if "nested" in str(err):
            raise ScenarioError(f"--set {key}: {shorten(raw)} is {err}") from None
        value = raw  # a bare word is a string, e.g. culture.frame=cvf
    return key, value


def _step_into(node: Any, part: str, path: str) -> tuple[Any, Any]:
    """Return (container, key) for one path part, resolving list items by index or name."""
    if isinstance(node, list):
        if part.isdigit():
            idx = int(part)
            if idx >= len(node):
                raise ScenarioError(f"{path}: index {idx} out of range ({len(node)} items)")
            return node, idx
        for idx, item in enumerate(node):
            if isinstance(item, dict) and item.get("name") == part:
                return node, idx
        raise ScenarioError(f"{path}: no item named {part!r}")
    if isinstance(node, dict):
        if part not in node:
            raise ScenarioError(f"{path}: unknown field {part!r}")
        return node, part
    raise ScenarioError(f"{path}: {part!r} cannot be set inside a value")


def apply_overrides(scenario: Scenario, overrides: Mapping[str, Any] | None) -> Scenario:
    """Return a new scenario with dotted-path overrides applied and validated as a whole.

    Paths follow the TOML structure: ``interaction.confidence_threshold``,
    ``cities.A.headcount`` (list items by name or by index), ``culture.target.market``.
    """
    if not overrides:
        return scenario
    data = scenario.model_dump(mode="python")
    for path, value in overrides.items():
        parts = path.replace("[", ".").replace("]", "").split(".")
        node: Any = data
        for part in parts[:-1]:
            container, key = _step_into(node, part, path)
            node = container[key]
        container, key = _step_into(node, parts[-1], path)
        container[key] = value
    return validate_scenario(data)


# --------------------------------------------------------------------------- introspection


@dataclass(frozen=True)
class ParameterInfo:
    """What a parameter is: for sliders, sweeps and the ODD's table."""

    path: str
    default: Any
    minimum: float | None
    maximum: float | None
    unit: str
    source: str
    description: str
    kind: str
    minimum_exclusive: bool = False


def _bounds(field: Any) -> tuple[float | None, float | None, bool]:
    """(minimum, maximum, whether the minimum itself is excluded)."""
    lo = hi = None
    exclusive = False
    for meta in field.metadata:
        if getattr(meta, "ge", None) is not None:
            lo = meta.ge
        if getattr(meta, "gt", None) is not None:
            lo, exclusive = meta.gt, True
        if getattr(meta, "le", None) is not None:
            hi = meta.le
    return lo, hi, exclusive


def describe_parameter(path: str, scenario: Scenario | None = None) -> ParameterInfo:
    """Describe the parameter at a dotted path; the default is read from ``scenario``.

    Raises:
        ScenarioError: the path names no parameter.
    """
    scenario = scenario or Scenario()
    parts = path.replace("[", ".").replace("]", "").split(".")
    model: Any = scenario
    for i, part in enumerate(parts):
        if isinstance(model, list):
            _, idx = _step_into([m.model_dump() for m in model], part, path)
            model = model[idx]
            continue
        if isinstance(model, dict):
            if part not in model:
                raise ScenarioError(f"{path}: unknown field {part!r}")
            return ParameterInfo(path, model[part], 0.0, 1.0, "1", "see parent field",
                                 f"{'.'.join(parts[:i])} dimension {part}", "float")
        fields = type(model).model_fields
        if part not in fields:
            raise ScenarioError(f"{path}: unknown field {part!r}")
        value = getattr(model, part)
        if i == len(parts) - 1:
            field = fields[part]
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            lo, hi, excl = _bounds(field)
            return ParameterInfo(path, value, lo, hi, str(extra.get("unit", "")),
                                 str(extra.get("source", "")), field.description or "",
                                 _kind(field, value), excl)
        model = value
    raise ScenarioError(f"{path}: not a parameter")


def iter_parameters(model: BaseModel | None = None, prefix: str = "") -> list[ParameterInfo]:
    """Every scalar parameter of the schema with its metadata (for the ODD and the docs)."""
    model = model or Scenario()
    out: list[ParameterInfo] = []
    for name, _field in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            out.extend(iter_parameters(value, path + "."))
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            out.extend(iter_parameters(value[0], path + ".0."))
        else:
            out.append(describe_parameter(path, model if prefix == "" else None)
                       if prefix == "" else _describe_field(model, name, path))
    return out


def _describe_field(model: BaseModel, name: str, path: str) -> ParameterInfo:
    field = type(model).model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    lo, hi, excl = _bounds(field)
    value = getattr(model, name)
    return ParameterInfo(path, value, lo, hi, str(extra.get("unit", "")),
                         str(extra.get("source", "")), field.description or "",
                         _kind(field, value), excl)


def _kind(field: Any, value: Any) -> str:
    """The value's type name; for an unset optional field, the type it takes when set.

    ``teams.theme_count`` is unset by default but is an ``int`` to sweeps and sliders.
    """
    if value is not None:
        return type(value).__name__
    args = [a for a in get_args(field.annotation) if a is not type(None)]
    return args[0].__name__ if len(args) == 1 and isinstance(args[0], type) else "NoneType"


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON: equal content, equal hash."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
