"""A participatory class session: students play sponsors and employees of the merger.

The session is the server-side state behind a class (issue "Participatory class"): a room
code, the students who joined and the roles they hold, the choices they make for the coming
simulated week, and the teacher's controls. It is transport-free (a web page or a test
drives it through the same methods) and trusts nothing it is given: every message is checked
here and refused with one line that says what was wrong, and a refused message changes
nothing.

How a week works:

1. The week is *open*: students choose for it. Sponsors and supporters invite contacts into
   their team, and a sponsor decides whether to make the week's open call (the rule makes
   one); employees see the invitations that will reach them this week and accept or
   decline; the teacher gives verdicts on the pitches due. What will reach whom is known in
   advance by :meth:`ClassSession.preview`: the week is run on a copy of the model with the
   choices made so far (the rule's random draws are the same in the copy and in the real
   week, because choices never change how many numbers a component draws).
   Once the teams work, a team due to pitch chooses how to prepare its proposal (the menu of
   :mod:`sim.presentation.live.proposal`), and a team due for behaviour support chooses which of its
   discovered gaps the coaching works on.
2. The week has a deadline (``week_seconds`` after it opened, if set) and ends when the
   teacher advances, or, with ``auto_advance`` (the teacher's setting, off by default), at
   the deadline itself (:meth:`ClassSession.tick`, called as the pages poll): the choices
   become decisions of that week (:mod:`sim.decisions`) and the
   model runs the week. Where a student did not choose, the model's rule did, and the log and
   the student's page say so. A choice after the deadline or for a closed week is refused
   ("too late"). The teacher can also run to the next week with a choice to make, or to the
   end.

Everyone not played by a student is simulated by the model's own rules, so a class of 5 or of
40 works. The session's file (:meth:`ClassSession.session`) replays the class's run byte for
byte (``merger-sim replay``).
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from sim.decisions import PITCH_PLANS, Decision, DecisionBook, LogEntry
from sim.model import MergerModel
from sim.presentation.live.proposal import gap_menu, pitch_menu
from sim.presentation.live.teams import team_strategy
from sim.presentation.live.texts import (
    ERRORS,
    PLANS,
    dimension_text,
    lang_of,
    note_text,
    phrase,
    theme_text,
)
from sim.replay import Session, session_from_run
from sim.rules.distance import fit
from sim.scenario import Scenario, load_scenario

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Room codes avoid letters and digits that look alike (I/1, O/0)."""

CODE_LENGTH = 5
MAX_NICKNAME = 24
MAX_PLAYERS = 60
"""A class, not a crowd: the server's session cap is of the same order."""

Role = Literal["sponsor", "employee"]


class SessionError(ValueError):
    """A refused request: one line for the student's or teacher's page, in its language.

    ``key`` names the text in :data:`sim.presentation.live.texts.ERRORS`; ``fields`` fill it in.
    ``str()`` is the English line; :meth:`text` gives it in a page's language."""

    def __init__(self, key: str, **fields: Any) -> None:
        self.key, self.fields = key, fields
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return ERRORS[self.key][lang_of(lang)].format(**self.fields)


@dataclass
class Player:
    """A student in the session. ``token`` is their secret: it names the player in every
    request, so no one can act for another without it."""

    token: str
    nickname: str
    role: Role | None = None
    uid: int = -1  # the employee they play
    team: int = -1  # a sponsor's team
    left: bool = False
    seen: float = 0.0  # when their page last asked (the session's clock)


@dataclass
class WeekChoices:
    """The choices made so far for the open week, by kind."""

    invites: dict[int, list[int]] = field(default_factory=dict)  # inviter uid -> invitee uids
    responses: dict[tuple[int, int], bool] = field(default_factory=dict)  # (uid, team) -> yes
    verdicts: dict[int, bool] = field(default_factory=dict)  # team -> accept
    pitches: dict[int, int] = field(default_factory=dict)  # team -> plan (PITCH_PLANS)
    gaps: dict[int, int] = field(default_factory=dict)  # team -> value dimension
    calls: dict[int, bool] = field(default_factory=dict)  # sponsor uid -> open call or not
    chosen: set[int] = field(default_factory=set)  # uids of students who chose this week


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_nickname(raw: Any) -> str:
    """A nickname as shown to the class, or a refusal naming the rule it breaks."""
    if not isinstance(raw, str):
        raise SessionError("nickname_type")
    name = unicodedata.normalize("NFC", raw).strip()
    if not 1 <= len(name) <= MAX_NICKNAME:
        raise SessionError("nickname_length", n=MAX_NICKNAME)
    if any(not (c.isprintable() and unicodedata.category(c)[0] in "LNPSZ") for c in name):
        raise SessionError("nickname_chars")
    return name


def members_per_city(model: MergerModel) -> np.ndarray:
    """Members of each team per city (teams by rows, cities by columns)."""
    strategy = team_strategy(model)
    counts = np.zeros((strategy.n_teams, len(model.city_names)), dtype=int)
    members = np.flatnonzero(model.active & (model.team >= 0))
    np.add.at(counts, (model.team[members], model.city[members]), 1)
    return counts


def _whole(value: Any, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SessionError("whole", field=field_name)
    return value


class ClassSession:
    """One class's run of the case's team strategy with students in some of the roles.

    ``strategy`` is ``teams`` (the case) or any strategy with a team part, such as
    ``teams+training``: the class plays the team part, the other parts run by their rules.
    """

    def __init__(self, scenario: Scenario | str = "classroom", seed: int = 0,
                 code: str | None = None, max_players: int = MAX_PLAYERS,
                 week_seconds: float | None = None, away_seconds: float | None = None,
                 clock: Callable[[], float] = time.monotonic, auto_advance: bool = False,
                 scenario_name: str = "", strategy: str = "teams") -> None:
        self.code = code or new_code()
        self.max_players = max_players
        self.strategy = strategy
        self._set_run(scenario, seed, scenario_name)
        self.players: dict[str, Player] = {}
        self.phase: Literal["lobby", "running", "ended"] = "lobby"
        self.choices = WeekChoices()
        self._preview: tuple[int, list[LogEntry]] | None = None
        self.week_seconds = week_seconds
        self.auto_advance = auto_advance  # at the deadline the week closes by itself
        self.away_seconds = away_seconds  # a page silent this long counts as having left
        self.lock = threading.RLock()  # a server works on the session one request at a time
        self.clock = clock
        self.opened = clock()
        self.composition: np.ndarray | None = None  # members per team and city, recruited

    def _set_run(self, scenario: Scenario | str, seed: int, name: str = "") -> None:
        self.config = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.scenario_name = name or (scenario if isinstance(scenario, str)
                                      else self.config.name)
        self.seed = int(seed)
        self.book = DecisionBook()
        self.model = MergerModel(self.config, self.strategy, seed=self.seed,
                                 decisions=self.book)
        team_strategy(self.model)  # refuses a strategy without theme teams to play

    def configure(self, scenario: Scenario, seed: int, name: str = "") -> None:
        """The teacher picks another scenario or seed before the class starts (the caller
        checks both: a shipped preset, a seed in range). Students who joined keep their
        place; roles are handed out at the start."""
        if self.phase != "lobby":
            raise SessionError("started")
        self._set_run(scenario, seed, name)
        self._preview = None

    # ------------------------------------------------------------------ joining

    def join(self, code: Any, nickname: Any) -> str:
        """A student joins with the room code and a nickname; returns their token."""
        if not isinstance(code, str) or code.strip().upper() != self.code:
            raise SessionError("room_code")
        name = clean_nickname(nickname)
        if self.phase == "ended":
            raise SessionError("ended")
        if any(p.nickname.casefold() == name.casefold() for p in self.players.values()):
            raise SessionError("taken", name=name)
        if len(self.players) >= self.max_players:
            raise SessionError("full", n=self.max_players)
        token = secrets.token_urlsafe(16)
        self.players[token] = Player(token, name, seen=self.clock())
        if self.phase == "running":
            self._assign([self.players[token]])
        return token

    def player(self, token: Any) -> Player:
        """The player a token names, or a refusal (a forged or stale token)."""
        found = self.players.get(token) if isinstance(token, str) else None
        if found is None:
            raise SessionError("not_in_class")
        found.seen = self.clock()
        return found

    def away(self, player: Player) -> bool:
        """Whether the student left, or their page has been silent for ``away_seconds``."""
        return player.left or (self.away_seconds is not None
                               and self.clock() - player.seen > self.away_seconds)

    def leave(self, token: Any) -> None:
        """A student leaves: from the next week on the model's rule plays their role."""
        self.player(token).left = True

    def rejoin(self, token: Any) -> Player:
        """A student who reloads the page gets their role back."""
        player = self.player(token)
        player.left = False
        return player

    # ------------------------------------------------------------------ roles

    def start(self) -> None:
        """The teacher starts: management appoints the sponsors (week 1, by the rule), then
        students get roles: the first as sponsors, the others as employees."""
        if self.phase != "lobby":
            raise SessionError("started")
        self.phase = "running"
        self.model.step()
        self.opened = self.clock()
        self._assign(list(self.players.values()))

    def _assign(self, players: list[Player]) -> None:
        strategy = team_strategy(self.model)
        taken = {p.uid for p in self.players.values() if p.role}
        rng = np.random.default_rng([self.seed, len(taken)])
        for player in players:
            free_teams = [t for t in range(strategy.n_teams)
                          if int(self.model.uid[strategy.sponsor[t]]) not in taken
                          and strategy.sponsor[t] >= 0]
            if free_teams:
                team = free_teams[0]
                player.role, player.team = "sponsor", team
                player.uid = int(self.model.uid[strategy.sponsor[team]])
            else:
                # employees the sponsors know first: they are the ones invitations reach
                known = set()
                for sponsor in strategy.sponsor[strategy.sponsor >= 0]:
                    known.update(self._contacts(int(self.model.uid[sponsor])).tolist())
                free = np.flatnonzero(self.model.active & (self.model.team < 0))
                free_ids = [int(self.model.uid[c]) for c in free
                            if int(self.model.uid[c]) not in taken]
                candidates = [u for u in free_ids if u in known] or free_ids
                if not candidates:
                    raise SessionError("no_role")
                player.role = "employee"
                player.uid = int(rng.choice(candidates))
            taken.add(player.uid)

    def played_uids(self) -> list[int]:
        """The employees students play now (not left, not away)."""
        return sorted(p.uid for p in self.players.values() if p.role and not self.away(p))

    # ------------------------------------------------------------------ the open week

    @property
    def open_week(self) -> int:
        return self.model.week + 1

    def _check_open(self, week: Any) -> int:
        if self.phase != "running":
            raise SessionError("not_running")
        week = _whole(week, "week")
        if week != self.open_week:
            raise SessionError("week_closed", week=week, open=self.open_week)
        if self.seconds_left() == 0:
            raise SessionError("deadline", week=week)
        return week

    def seconds_left(self) -> float | None:
        """Seconds until the open week's deadline (None: no deadline, or no week open)."""
        if self.week_seconds is None or self.phase != "running" or self.at_horizon():
            return None
        return max(0.0, round(self.opened + self.week_seconds - self.clock(), 1))

    def _team_of(self, player: Player) -> int:
        slot = self.model.slot_of(player.uid)
        return int(self.model.team[slot]) if slot >= 0 else -1

    def _contacts(self, uid: int) -> np.ndarray:
        slot = self.model.slot_of(uid)
        adj = self.model.contacts()
        return self.model.uid[adj.indices[adj.indptr[slot]:adj.indptr[slot + 1]]]

    def choose(self, token: Any, message: Any) -> str:
        """A student's choice for the open week. ``message`` is untrusted:
        ``{"week": w, "kind": "invite", "target": uid}`` (a team member invites a contact) or
        ``{"week": w, "kind": "respond", "team": t, "accept": bool}``. Returns a short
        confirmation; raises :class:`SessionError` and changes nothing when refused."""
        player = self.player(token)
        if not isinstance(message, Mapping):
            raise SessionError("message")
        unknown = set(message) - {"week", "kind", "target", "team", "accept", "plan", "dim",
                                  "call"}
        if unknown:
            raise SessionError("unknown_field", field=str(sorted(map(str, unknown))[0])[:40])
        self._check_open(message.get("week"))
        if player.left:
            raise SessionError("left")
        kind = message.get("kind")
        if kind == "invite":
            done = self._invite(player, message.get("target"))
        elif kind == "respond":
            done = self._respond(player, message.get("team"), message.get("accept"))
        elif kind == "pitch":
            done = self._pitch(player, message.get("plan"))
        elif kind == "gap":
            done = self._gap(player, message.get("dim"))
        elif kind == "call":
            done = self._call(player, message.get("call"))
        else:
            raise SessionError("kind")
        self.choices.chosen.add(player.uid)
        return done

    def _due(self, kind: str, team: int) -> bool:
        return team >= 0 and any(e.kind == kind and e.actor == team for e in self.preview())

    def _pitch(self, player: Player, plan: Any) -> str:
        plan = _whole(plan, "plan")
        team = self._team_of(player)
        if not self._due("pitch", team):
            raise SessionError("no_pitch")
        if not 0 <= plan < len(PITCH_PLANS):
            raise SessionError("plan", n=len(PITCH_PLANS) - 1)
        self.choices.pitches[team] = plan
        self.choices.verdicts.pop(team, None)  # another proposal: the teacher judges anew
        self._preview = None
        return PITCH_PLANS[plan]

    def _gap(self, player: Player, dim: Any) -> str:
        dim = _whole(dim, "dim")
        team = self._team_of(player)
        if not self._due("gap", team):
            raise SessionError("no_gap")
        if not 0 <= dim < len(self.model.dimensions):
            raise SessionError("dim", n=len(self.model.dimensions) - 1)
        self.choices.gaps[team] = dim
        return self.model.dimensions[dim]

    def calls_open(self, player: Player) -> bool:
        """Whether the player is a sponsor who may make an open call this week: the scenario
        has open calls and their team recruits."""
        spec = self.config.teams
        return (player.role == "sponsor" and spec.open_call and spec.open_call_reach > 0
                and self._team_of(player) >= 0 and self.open_week <= spec.recruitment_weeks)

    def _call(self, player: Player, call: Any) -> str:
        if not isinstance(call, bool):
            raise SessionError("call")
        if not self.calls_open(player):
            raise SessionError("no_call")
        self.choices.calls[player.uid] = call
        self._preview = None
        return "open call" if call else "no open call"

    def _invite(self, player: Player, target: Any) -> str:
        target = _whole(target, "target")
        slot = self.model.slot_of(player.uid)
        team = int(self.model.team[slot]) if slot >= 0 else -1
        spec = self.config.teams
        if team < 0 or self.open_week > spec.recruitment_weeks:
            raise SessionError("cannot_invite")
        if target not in set(self._contacts(player.uid).tolist()):
            raise SessionError("not_contact")
        allowed = (spec.sponsor_invitations if player.role == "sponsor"
                   else spec.member_invitations)
        mine = self.choices.invites.setdefault(player.uid, [])
        if target in mine:
            return "already invited"
        if len(mine) >= allowed:
            raise SessionError("invite_limit", n=allowed)
        mine.append(target)
        self._preview = None
        return "invited"

    def _respond(self, player: Player, team: Any, accept: Any) -> str:
        team = _whole(team, "team")
        if not isinstance(accept, bool):
            raise SessionError("accept")
        offers = {e.target for e in self.preview() if e.kind == "respond"
                  and e.actor == player.uid}
        if team not in offers:
            raise SessionError("no_offer")
        self.choices.responses[(player.uid, team)] = accept
        return "accepted" if accept else "declined"

    def verdict(self, team: Any, accept: Any) -> str:
        """The teacher, as central management, accepts or rejects a pitch due this week."""
        team = _whole(team, "team")
        if not isinstance(accept, bool):
            raise SessionError("accept")
        due = {e.actor for e in self.preview() if e.kind == "verdict"}
        if team not in due:
            raise SessionError("no_pitch_from")
        self.choices.verdicts[team] = accept
        return "accepted" if accept else "rejected"

    def _decisions(self) -> list[Decision]:
        week = self.open_week
        # whoever invited someone this week made their invitations; the rule makes the
        # others' (a student who did not choose in time, or left, gets the rule's)
        out = [Decision(week, "play", uid) for uid, guests in sorted(self.choices.invites.items())
               if guests]
        for inviter, guests in sorted(self.choices.invites.items()):
            out += [Decision(week, "invite", inviter, g) for g in guests]
        out += [Decision(week, "respond", uid, team, int(yes))
                for (uid, team), yes in sorted(self.choices.responses.items())]
        out += [Decision(week, "pitch", team, -1, plan)
                for team, plan in sorted(self.choices.pitches.items())]
        out += [Decision(week, "verdict", team, -1, int(yes))
                for team, yes in sorted(self.choices.verdicts.items())]
        out += [Decision(week, "gap", team, -1, dim)
                for team, dim in sorted(self.choices.gaps.items())]
        out += [Decision(week, "call", uid, -1, int(yes))
                for uid, yes in sorted(self.choices.calls.items())]
        return out

    def preview(self) -> list[LogEntry]:
        """The open week's decision points as they stand: the week run on a copy."""
        week = self.open_week
        if self._preview is not None and self._preview[0] == week:
            return self._preview[1]
        trial = copy.deepcopy(self.model)
        trial.decisions.add(self._decisions())
        before = len(trial.decisions.log)
        trial.step()
        entries = [e for e in trial.decisions.log[before:] if e.week == week]
        self._preview = (week, entries)
        return entries

    def advance(self) -> int:
        """The teacher closes the open week: the choices take effect and the week runs."""
        if self.phase != "running":
            raise SessionError("not_running")
        if self.model.week >= self.config.horizon.total_weeks:
            raise SessionError("horizon")
        self.book.add(self._decisions())
        self.model.step()
        if self.model.week == min(self.config.teams.recruitment_weeks,
                                  self.config.horizon.total_weeks):
            self.composition = members_per_city(self.model)
        self.choices = WeekChoices()
        self._preview = None
        self.opened = self.clock()
        return self.model.week

    def at_horizon(self) -> bool:
        return self.model.week >= self.config.horizon.total_weeks

    def has_choices(self) -> bool:
        """Whether students have something to decide in the open week."""
        if self.open_week <= self.config.teams.recruitment_weeks:
            return True
        return any(e.kind in ("pitch", "gap") for e in self.preview())

    def tick(self) -> bool:
        """Close the open week by itself when its deadline has passed and the teacher chose
        automatic advance: on to the next week with a choice (as the teacher's "next week
        with a choice"), within the intervention; after it, the teacher runs to the end.
        The pages call this as they poll; returns whether the session moved on."""
        if not (self.auto_advance and self.phase == "running" and self.seconds_left() == 0):
            return False
        end = min(self.config.horizon.intervention_weeks, self.config.horizon.total_weeks)
        if self.model.week >= end:
            return False
        self.advance_to_choice()
        return True

    def advance_to_choice(self) -> int:
        """Advance at least one week, then on until a week with a choice for the students
        (a pitch or behaviour support due), or the end of the intervention."""
        self.advance()
        end = min(self.config.horizon.intervention_weeks, self.config.horizon.total_weeks)
        while self.model.week < end and not self.has_choices():
            self.advance()
        return self.model.week

    def run_to_end(self) -> int:
        """The rest of the run by the rules (the students' roles still count as theirs)."""
        if self.phase != "running":
            raise SessionError("not_running")
        while not self.at_horizon():
            self.advance()
        return self.model.week

    def end(self) -> None:
        """The teacher ends the class (at any time); the debrief stays available."""
        self.phase = "ended"

    # ------------------------------------------------------------------ what people see

    def student_view(self, token: Any, lang: str = "en") -> dict[str, Any]:
        """What one student may see: their own situation, never another student's choices
        (names of themes and dimensions, and the "last week" lines, in ``lang``)."""
        player = self.player(token)
        lang = lang_of(lang)
        view: dict[str, Any] = {"nickname": player.nickname, "role": player.role,
                                "week": self.model.week, "open_week": self.open_week,
                                "phase": self.phase, "seconds_left": self.seconds_left(),
                                "auto_advance": self.auto_advance,
                                "last_week": self._last_week(player, lang)}
        slot = self.model.slot_of(player.uid) if player.role else -1
        if slot < 0:
            return view
        model, strategy = self.model, team_strategy(self.model)
        team = int(model.team[slot])
        view.update({
            "city": model.city_names[int(model.city[slot])],
            "unit": int(model.unit[slot]),
            "workload": round(float(strategy.workload[slot]), 2),
            "team": theme_text(strategy.theme_names[team], lang) if team >= 0 else None,
            "my_invitations": list(self.choices.invites.get(player.uid, [])),
        })
        if self.calls_open(player):
            view["open_call"] = {"reach": self.config.teams.open_call_reach, "rule": True,
                                 "my_choice": self.choices.calls.get(player.uid)}
        if team >= 0 and self.open_week <= self.config.teams.recruitment_weeks:
            contacts = [self.model.slot_of(int(u)) for u in self._contacts(player.uid)]
            view["contacts"] = [
                {"id": int(model.uid[c]), "city": model.city_names[int(model.city[c])],
                 "theme_fit": round(float(fit(model.values[c], strategy.profile[team])), 3)}
                for c in contacts if c >= 0 and model.team[c] < 0]
        if self.phase == "running" and team >= 0:
            if self._due("pitch", team):
                menu = pitch_menu(model, team)
                for option in menu["options"]:
                    option["label"] = PLANS[lang][option["plan"]]
                view["pitch"] = {**menu, "team_choice": self.choices.pitches.get(team)}
            if self._due("gap", team):
                menu = gap_menu(model, team)
                for gap in menu["gaps"]:
                    gap["name"] = dimension_text(gap["name"], lang)
                view["gap"] = {**menu, "team_choice": self.choices.gaps.get(team)}
        if self.phase == "running":
            view["offers"] = [self._offer(player, slot, e.target, lang) for e in self.preview()
                              if e.kind == "respond" and e.actor == player.uid]
        return view

    def _offer(self, player: Player, slot: int, team: int, lang: str) -> dict[str, Any]:
        """An invitation as its invitee sees it: what the rule's join probability weighs
        (fit with the theme and with the sponsor, contacts already in, workload)."""
        model, strategy = self.model, team_strategy(self.model)
        sponsor = int(strategy.sponsor[team])
        contacts = [model.slot_of(int(u)) for u in self._contacts(player.uid)]
        inside = [c for c in contacts if c >= 0 and model.team[c] == team]
        return {"team": team, "theme": theme_text(strategy.theme_names[team], lang),
                "theme_fit": round(float(fit(model.values[slot], strategy.profile[team])), 3),
                "sponsor_fit": (round(float(fit(model.values[slot], model.values[sponsor])), 3)
                                if sponsor >= 0 else None),
                "contacts_in_team": round(len(inside) / max(1, len(contacts)), 3),
                "my_answer": self.choices.responses.get((player.uid, team))}

    def _last_week(self, player: Player, lang: str) -> list[dict[str, Any]]:
        """The player's decision points of the week just run, each marked by who chose:
        the student, or the model's rule (when they did not choose in time)."""
        if not player.role or self.model.week < 1:
            return []
        team = self._team_of(player)
        mine = []
        for e in reversed(self.book.log):  # the log is in week order
            if e.week < self.model.week:
                break
            own = e.kind in ("respond", "invite", "call") and e.actor == player.uid
            if own or (e.kind in ("pitch", "gap") and e.actor == team >= 0):
                mine.append(e)
        mine.reverse()
        names = team_strategy(self.model).theme_names
        out = []
        for e in mine:
            if e.kind == "respond" and e.source != "refused":
                what = phrase("accepted" if e.value else "declined", lang,
                              theme=theme_text(names[e.target], lang))
            elif e.kind == "invite" and e.source != "refused":
                what = phrase("invited", lang, id=e.target)
            elif e.kind == "call" and e.source != "refused":
                what = phrase("call_yes" if e.value else "call_no", lang)
            elif e.source == "refused":
                what = phrase("refused", lang, kind=phrase(f"{e.kind}_k", lang),
                              note=note_text(e.note, lang))
            elif e.kind == "pitch":
                what = phrase("pitch", lang, plan=PLANS[lang][e.value])
            else:
                what = phrase("gap", lang,
                              dim=dimension_text(self.model.dimensions[e.value], lang))
            out.append({"kind": e.kind, "what": what, "source": e.source})
        return out

    def teacher_view(self, lang: str = "en") -> dict[str, Any]:
        """The teacher's screen: teams and members per city, pitches waiting, the class."""
        model, strategy = self.model, team_strategy(self.model)
        lang = lang_of(lang)
        per_city = members_per_city(model)
        running = self.phase == "running" and not self.at_horizon()
        waiting = ([{"team": e.actor, "theme": theme_text(strategy.theme_names[e.actor], lang),
                     "quality": round(e.score, 3), "rule": bool(e.rule),
                     "plan": PLANS[lang][self.choices.pitches.get(e.actor, 0)],
                     "verdict": self.choices.verdicts.get(e.actor)}
                    for e in self.preview() if e.kind == "verdict"]
                   if running else [])
        return {"code": self.code, "phase": self.phase, "week": model.week,
                "scenario": self.scenario_name, "seed": self.seed,
                "auto_advance": self.auto_advance, "week_seconds": self.week_seconds,
                "open_week": self.open_week, "horizon": self.config.horizon.total_weeks,
                "at_horizon": self.at_horizon(), "seconds_left": self.seconds_left(),
                "threshold": self.config.teams.pitch_threshold,
                "students": [{"nickname": p.nickname, "role": p.role, "left": self.away(p),
                              "chosen": p.uid in self.choices.chosen}
                             for p in self.players.values()],
                "teams": [{"theme": theme_text(strategy.theme_names[t], lang),
                           "members_per_city": dict(zip(model.city_names,
                                                        per_city[t].tolist(), strict=True))}
                          for t in range(strategy.n_teams)],
                "pitches_waiting": waiting}

    # ------------------------------------------------------------------ record

    def session(self, note: str = "") -> Session:
        """The class's session file: replays the run so far byte for byte."""
        return session_from_run(self.config, self.strategy, self.seed, self.book, note=note,
                                weeks=self.model.week)
