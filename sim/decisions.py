"""Decisions made by people instead of the model's rules, and their record.

A participatory class (students play sponsors and employees) and a replayed class session
need the same thing from the model: at each of the team strategy's decision points, use a
person's choice where one was made and the model's own rule everywhere else, and write down
which was which. :class:`DecisionBook` is that hook. The model consults it only when one is
given, so a run without a book draws exactly the random numbers it always drew: the rule's
draws are still made for a played role and then replaced, which keeps every other
component's stream, and so everyone else's behaviour, the same as in the rule-only run.

Decision points (weeks of the intervention):

- ``invite`` (recruitment weeks): a played sponsor or supporter invites a contact into their
  own team. A played inviter's rule-drawn invitations are dropped; at most as many choices
  count as the rule would have drawn (``teams.sponsor_invitations`` or
  ``member_invitations``). The invitations the rule makes are logged too (source ``rule``).
- ``call`` (recruitment weeks): a played sponsor makes the week's open call across the
  organisation (``value`` 1, the rule's choice when the scenario has open calls) or not (0).
  The call's reach is drawn for every calling sponsor whatever they choose, so no other draw
  moves; a sponsor who makes none drops their share of it.
- ``respond``: a played invitee accepts or declines one team's invitation of that week.
- ``pitch``: a team due to pitch prepares its proposal from a short menu
  (:data:`PITCH_PLANS`): pitch the work as it is (the rule's choice), hold the pitch back a
  week for another week of work, or hold client interviews first (one more external activity,
  booked, that counts as work behind the proposal). Every option acts through the model's own
  rules (:func:`sim.rules.teams.work_done`, :func:`sim.rules.teams.pitch_quality`); the
  judges' noise is drawn whatever the team chooses, so no other draw moves.
- ``verdict``: central management (the teacher) accepts or rejects a team's pitch.
- ``gap``: a team chooses which value dimension its behaviour support works on.
- ``play``: an employee's invitations that week are a person's, not the rule's (a class
  session marks the students who invited someone that week; whoever did not gets the rule's
  invitations).

People are named by their employee id (``Employee.unique_id``, stable across the run; slots
are reused after leavers), teams by their index in the scenario's active themes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from sim.model import MergerModel

Kind = Literal["invite", "respond", "pitch", "verdict", "gap", "play", "call"]

PITCH_AS_IS, PITCH_HOLD, PITCH_INTERVIEWS = 0, 1, 2
PITCH_PLANS: tuple[str, ...] = ("as it is", "one more week of work", "client interviews first")
"""The pitch menu, by value (``pitch`` decisions); the rule pitches as it is."""


@dataclass(frozen=True)
class Decision:
    """One choice by a person: who (employee id, or team index for ``verdict`` and ``gap``),
    what, in which week. ``target`` is the invitee's id (``invite``), the inviting team
    (``respond``) or unused; ``value`` is accept/decline, accept/reject, or a dimension."""

    week: int
    kind: Kind
    actor: int
    target: int = -1
    value: int = 1


@dataclass
class LogEntry:
    """What happened at one decision point: the choice in force and where it came from."""

    week: int
    kind: Kind
    actor: int
    target: int
    value: int
    source: Literal["player", "rule", "refused"]
    note: str = ""
    rule: int = -1  # what the model's rule chose at this point (-1: not one choice)
    score: float = float("nan")  # a pitch's judged quality (``verdict`` entries)


@dataclass
class DecisionBook:
    """People's decisions for one run, consulted by the team strategy, and the log of every
    decision point it was asked about.

    Args:
        decisions: the choices people made.
        played: employee ids whose invitations are theirs to make (students' roles): the
            rule's invitations from them are dropped, whether or not they chose in time.
    """

    decisions: list[Decision] = field(default_factory=list)
    played: frozenset[int] = frozenset()
    log: list[LogEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_week: dict[tuple[int, str], list[Decision]] = defaultdict(list)
        for d in self.decisions:
            self._by_week[(d.week, d.kind)].append(d)
        self.played = frozenset(int(p) for p in self.played)

    def _of(self, week: int, kind: Kind) -> list[Decision]:
        return self._by_week.get((week, kind), [])

    def add(self, decisions: list[Decision]) -> None:
        """More decisions (a class session adds each week's before the week is run)."""
        for d in decisions:
            self.decisions.append(d)
            self._by_week[(d.week, d.kind)].append(d)

    def played_in(self, week: int) -> frozenset[int]:
        """Employee ids whose invitations are a person's in ``week``."""
        weekly = {d.actor for d in self._of(week, "play")}
        return self.played | weekly if weekly else self.played

    # ------------------------------------------------------------------ recruitment

    def invitations(self, model: MergerModel, src: np.ndarray, invitee: np.ndarray,
                    per_inviter: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """Replace played inviters' rule-drawn invitations with their own choices.

        ``src`` and ``invitee`` are the rule's draws (slots). ``per_inviter`` maps an
        inviter's slot to how many invitations the rule gives them this week.
        Returns the (inviter slot, invitee slot) pairs in force.
        """
        uid = model.uid
        played = self.played_in(model.week)
        if played:
            keep = ~np.isin(uid[src], list(played))
            src, invitee = src[keep], invitee[keep]
        for a, b in zip(uid[src].tolist(), uid[invitee].tolist(), strict=True):
            self.log.append(LogEntry(model.week, "invite", a, b, 1, "rule"))
        adj = model.contacts()
        extra_src, extra_inv = [], []
        used: dict[int, int] = defaultdict(int)
        for d in self._of(model.week, "invite"):
            inviter, guest = model.slot_of(d.actor), model.slot_of(d.target)
            problem = ""
            if inviter < 0 or guest < 0:
                problem = "not an employee of the organisation this week"
            elif inviter not in per_inviter:
                problem = "the inviter is not in a team that recruits this week"
            elif used[inviter] >= per_inviter[inviter]:
                problem = "more invitations than the rule allows this week"
            elif guest not in adj.indices[adj.indptr[inviter]:adj.indptr[inviter + 1]]:
                problem = "the invitee is not one of the inviter's contacts"
            if problem:
                self.log.append(LogEntry(d.week, "invite", d.actor, d.target, 1, "refused",
                                         problem))
                continue
            used[inviter] += 1
            extra_src.append(inviter)
            extra_inv.append(guest)
            self.log.append(LogEntry(d.week, "invite", d.actor, d.target, 1, "player"))
        if extra_src:
            src = np.concatenate([src, np.asarray(extra_src, dtype=src.dtype)])
            invitee = np.concatenate([invitee, np.asarray(extra_inv, dtype=invitee.dtype)])
        return src, invitee

    def responses(self, model: MergerModel, invitee: np.ndarray, team: np.ndarray,
                  accept: np.ndarray) -> np.ndarray:
        """Played invitees' answers in place of the rule's; every answer is logged."""
        accept = accept.copy()
        chosen = {(d.actor, d.target): bool(d.value) for d in self._of(model.week, "respond")}
        ids = model.uid[invitee]
        for i, (person, t) in enumerate(zip(ids.tolist(), team.tolist(), strict=True)):
            rule = int(accept[i])
            if (person, t) in chosen:
                accept[i] = chosen.pop((person, t))
                source = "player"
            else:
                source = "rule"
            self.log.append(LogEntry(model.week, "respond", person, t, int(accept[i]), source,
                                     rule=rule))
        for (person, t), value in chosen.items():
            self.log.append(LogEntry(model.week, "respond", person, t, int(value), "refused",
                                     "no invitation from that team this week"))
        return accept

    def open_calls(self, model: MergerModel, teams: np.ndarray) -> np.ndarray:
        """Which of the calling ``teams`` make their open call this week: their sponsor's
        choice where one was made, the rule's (yes) elsewhere."""
        from sim.strategies.base import part  # here: the strategies import this module
        from sim.strategies.teams import Teams

        teams_part = part(model.strategy, Teams)  # teams alone or in a combined strategy
        assert teams_part is not None, "open calls come from a team strategy"
        sponsors = teams_part.sponsor
        chosen = {d.actor: bool(d.value) for d in self._of(model.week, "call")}
        keep = np.ones(teams.size, dtype=bool)
        for i, team in enumerate(teams.tolist()):
            uid = int(model.uid[sponsors[team]])
            if uid in chosen:
                keep[i] = chosen.pop(uid)
                self.log.append(LogEntry(model.week, "call", uid, team, int(keep[i]), "player",
                                         rule=1))
            else:
                self.log.append(LogEntry(model.week, "call", uid, team, 1, "rule", rule=1))
        for uid, value in chosen.items():
            self.log.append(LogEntry(model.week, "call", uid, -1, int(value), "refused",
                                     "not a sponsor whose team recruits this week"))
        return keep

    # ------------------------------------------------------------------ pitch and support

    def pitch(self, model: MergerModel, team: int) -> int:
        """How a team due to pitch prepares its proposal (:data:`PITCH_PLANS`), if it chose."""
        for d in self._of(model.week, "pitch"):
            if d.actor == team:
                if 0 <= d.value < len(PITCH_PLANS):
                    self.log.append(LogEntry(model.week, "pitch", team, -1, d.value, "player",
                                             rule=PITCH_AS_IS))
                    return int(d.value)
                self.log.append(LogEntry(model.week, "pitch", team, -1, d.value, "refused",
                                         f"plan outside 0 .. {len(PITCH_PLANS) - 1}"))
        self.log.append(LogEntry(model.week, "pitch", team, -1, PITCH_AS_IS, "rule",
                                 rule=PITCH_AS_IS))
        return PITCH_AS_IS

    def verdict(self, model: MergerModel, team: int, accepted: bool,
                quality: float = float("nan")) -> bool:
        """Central management's verdict on a team's pitch (of judged ``quality``), if one
        was given; ``accepted`` is the rule's (quality against the threshold)."""
        for d in self._of(model.week, "verdict"):
            if d.actor == team:
                self.log.append(LogEntry(model.week, "verdict", team, -1, int(bool(d.value)),
                                         "player", rule=int(accepted), score=quality))
                return bool(d.value)
        self.log.append(LogEntry(model.week, "verdict", team, -1, int(accepted), "rule",
                                 rule=int(accepted), score=quality))
        return accepted

    def gap(self, model: MergerModel, team: int, dim: int) -> int:
        """The dimension a team's behaviour support works on, if the team chose one."""
        dims = model.values.shape[1]
        for d in self._of(model.week, "gap"):
            if d.actor == team:
                if 0 <= d.value < dims:
                    self.log.append(LogEntry(model.week, "gap", team, -1, d.value, "player",
                                             rule=dim))
                    return int(d.value)
                self.log.append(LogEntry(model.week, "gap", team, -1, d.value, "refused",
                                         f"dimension outside 0 .. {dims - 1}"))
        self.log.append(LogEntry(model.week, "gap", team, -1, dim, "rule", rule=dim))
        return dim

    # ------------------------------------------------------------------ record

    def player_decisions(self) -> list[Decision]:
        """The choices that took effect, in the order they did, and the weekly ``play``
        marks: replaying them (with the same static played roles) reproduces the run."""
        plays = [d for d in self.decisions if d.kind == "play"]
        return plays + [Decision(e.week, e.kind, e.actor, e.target, e.value)
                        for e in self.log if e.source == "player"]
